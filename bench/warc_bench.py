"""What keeping every fetched byte costs, and how fast datasets are rebuilt from it (issue 12).

python -m bench.warc_bench [--runs 3] [--write-docs]
The full crawl of the large replica with WARC capture on (the default) and off
(`-s CSTOCRAWL_WARC=False`), alternated, each into a fresh output dir; then the WARC bytes per
article, and `python -m cstocrawl.archive.reextract` over the captured files (the same output dir,
so the attachments are already stored, as after a parser fix).
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

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
from bench.crawl_bench import full_crawl_command, pages, reextract_command
from bench.server import serve_fast


def warc_bytes(output: Path) -> int:
    return sum(path.stat().st_size for path in (output / "warc").glob("*.warc.gz"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write-docs", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    print(f"WARC capture and re-extraction, {4 * LARGE} articles, {args.runs} runs ({machine()})")
    site = large_site()
    on: list[Run] = []
    off: list[Run] = []
    replays: list[Run] = []
    sizes: list[float] = []
    loads: list[float] = []  # the 1-minute load average after each run: other work on the machine
    with tempfile.TemporaryDirectory() as directory, serve_fast(site) as base_url:
        workdir = Path(directory)
        for index in range(args.runs):
            output = workdir / f"on{index}"
            on.append(run_scrapy(full_crawl_command(base_url, output), workdir / f"c{index}"))
            sizes.append(float(warc_bytes(output)))
            off.append(
                run_scrapy(
                    full_crawl_command(
                        base_url, workdir / f"off{index}", settings={"CSTOCRAWL_WARC": "False"}
                    ),
                    workdir / f"n{index}",
                )
            )
            replays.append(run_scrapy(reextract_command(output, "re"), workdir / f"r{index}"))
            loads.append(os.getloadavg()[0])
            print(
                f"  run {index + 1}: capture on {pages(on[-1]) / on[-1].elapsed:.0f} pages/s "
                f"({on[-1].cpu:.1f} CPU s), off {pages(off[-1]) / off[-1].elapsed:.0f} pages/s "
                f"({off[-1].cpu:.1f} CPU s), WARC {sizes[-1] / 2**20:.1f} "
                f"MiB; re-extraction {replays[-1].stat('item_scraped_count')} articles in "
                f"{replays[-1].wall:.1f} s",
                flush=True,
            )

    def rate(runs: list[Run]) -> float:
        return median([pages(r) / r.elapsed for r in runs])

    articles = on[0].stat("item_scraped_count")
    slowdown = 1 - rate(on) / rate(off)
    cpu_cost = median([r.cpu for r in on]) / median([r.cpu for r in off]) - 1
    per_article = median(sizes) / articles
    rows = [
        "| run | pages | articles | s (spider open to close) | pages/s | CPU s | wall time "
        "| peak RSS |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, runs in (
        ("`scrapy crawl news -a full=1`, capture on (default)", on),
        ("the same, `-s CSTOCRAWL_WARC=False`", off),
        ("`python -m cstocrawl.archive.reextract` (the WARC of a capture run)", replays),
    ):
        rows.append(
            f"| {name} | {pages(runs[0])} | {runs[0].stat('item_scraped_count')} "
            f"| {median([r.elapsed for r in runs]):.1f} | {rate(runs):.0f} "
            f"| {median([r.cpu for r in runs]):.1f} "
            f"| {median([r.wall for r in runs]):.1f} s "
            f"| {median([r.peak_rss_mb for r in runs]):.0f} MiB |"
        )
    replay_rate = median([r.stat("item_scraped_count") / r.wall for r in replays])
    records = on[0].stat("cstocrawl/warc/records")
    summary = (
        f"Command: `python -m bench.warc_bench --runs {args.runs}` (median of {args.runs} runs "
        f"each; capture on and off alternated, each into a fresh output dir, then the "
        f"re-extraction of the capture run's output dir).\n\nMachine: {machine()}.\n\n"
        f"Replica: `ReplicaSite('en', 'bitrix', articles_per_section={LARGE}, "
        f"page_size={PAGE_SIZE})` served by bench/server.py; politeness off as in the crawl "
        f"benchmark. Load average (1 min) after each run: "
        f"{', '.join(f'{load:.1f}' for load in loads)} on {os.cpu_count()} cores.\n\n"
        + "\n".join(rows)
        + "\n\n"
        f"Capture costs **{slowdown:.0%}** of the crawl's pages/s (goal: at most 10%) and "
        f"{cpu_cost:+.0%} CPU time (the crawl process and its workers). "
        f"WARC: {median(sizes) / 2**20:.1f} MiB for {articles} articles ({records} records: each "
        f"response and its request, attachments as revisit records), "
        f"**{per_article / 1024:.1f} KiB per article**, "
        f"{per_article * 1000 / 2**20:.0f} MiB per 1,000 articles. "
        f"Re-extraction: **{replay_rate:.0f} articles/s** over the whole process (reading and "
        f"indexing the WARC included), no network."
    )
    publish("warc", summary, write_docs=args.write_docs)


if __name__ == "__main__":
    main()
