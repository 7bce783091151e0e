"""An incremental run on the unchanged large replica against the full crawl before it.

python -m bench.incremental_bench [--runs 3] [--write-docs]
Each run: a fresh output directory, `scrapy crawl news -a full=1`, then `scrapy crawl news` (the
default, incremental) on the same directory; requests from each run's manifest.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.common import (
    LARGE,
    PAGE_SIZE,
    Run,
    large_site,
    machine,
    median,
    publish,
    run_scrapy,
)
from bench.crawl_bench import full_crawl_command
from bench.server import serve_fast
from tests.replica.content import NEWEST

# The day after the replica's newest article, as for a daily run: the re-check window (the
# default CSTOCRAWL_RECHECK_DAYS) then holds the newest articles, which are fetched again.
TODAY = {"CSTOCRAWL_TODAY": (NEWEST + timedelta(days=1)).isoformat()}


def manifest_stats(output: Path, run_id: str) -> dict[str, Any]:
    path = output / "news" / f"{run_id}.manifest.json"
    stats: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))["stats"]
    return stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write-docs", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    site = large_site()
    pairs: list[tuple[Run, Run, dict[str, Any], dict[str, Any]]] = []
    with tempfile.TemporaryDirectory() as directory, serve_fast(site) as base_url:
        workdir = Path(directory)
        for index in range(args.runs):
            output = workdir / f"output{index}"
            full = run_scrapy(
                full_crawl_command(base_url, output, "full", settings=TODAY), workdir / f"f{index}"
            )
            incremental = run_scrapy(
                full_crawl_command(base_url, output, "incremental", full=False, settings=TODAY),
                workdir / f"i{index}",
            )
            pairs.append(
                (full, incremental, manifest_stats(output, "full"),
                 manifest_stats(output, "incremental"))
            )  # fmt: skip
            print(
                f"  run {index + 1}: full {full.wall:.1f} s, "
                f"{pairs[-1][2]['downloader/request_count']} requests; incremental "
                f"{incremental.wall:.1f} s, {pairs[-1][3]['downloader/request_count']} requests",
                flush=True,
            )
    rows = ["| run | requests | articles written | wall time | spider open to close |"]
    rows.append("|---|---:|---:|---:|---:|")
    for name, position in (("`scrapy crawl news -a full=1`", 0), ("`scrapy crawl news`", 1)):
        runs = [pair[1] if position else pair[0] for pair in pairs]
        stats = [pair[3] if position else pair[2] for pair in pairs]
        rows.append(
            f"| {name} | {median([s['downloader/request_count'] for s in stats]):.0f} "
            f"| {median([s.get('cstocrawl/items_written', 0) for s in stats]):.0f} "
            f"| {median([r.wall for r in runs]):.1f} s "
            f"| {median([r.elapsed for r in runs]):.1f} s |"
        )
    summary = (
        f"Command: `python -m bench.incremental_bench --runs {args.runs}` (median of {args.runs} "
        f"pairs, each a full crawl into a fresh output directory, then the default incremental "
        f"crawl on the same directory; requests from `<output>/news/<run id>.manifest.json`, "
        f"wall time of the whole process).\n\nMachine: {machine()}.\n\n"
        f"Replica: {4 * LARGE} articles, {PAGE_SIZE} a listing page, unchanged between the two "
        f"runs; {TODAY['CSTOCRAWL_TODAY']} as the run date (CSTOCRAWL_TODAY), the day after its "
        f"newest article.\n\n" + "\n".join(rows)
    )
    publish("incremental", summary, write_docs=args.write_docs)


if __name__ == "__main__":
    main()
