"""Full crawl of a large replica against a bare Scrapy spider, and the crawl's peak memory.

python -m bench.crawl_bench [--runs 3] [--write-docs] [--setting NAME=VALUE ...]
Throughput: `scrapy crawl news -a full=1` with every pipeline on, and bench/bare.py over the same
pages, alternated, politeness off, the same concurrency. Memory: peak RSS of the crawl process at
1,000 and at 5,000 articles. `--setting` (repeatable) changes one setting of the full crawl only,
to attribute its cost one toggle at a time (`--setting CSTOCRAWL_WARC=0`); such runs are printed,
never written into the docs.
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
    scrapy_command,
)
from bench.server import serve_fast
from tests.crawling import FAST

SMALL = 250  # articles per section of the 1,000-article replica (memory growth)


def full_crawl_command(
    base_url: str,
    output: Path,
    run_id: str = "bench",
    *,
    full: bool = True,
    settings: dict[str, str] | None = None,
) -> list[str]:
    """The production crawl, every pipeline on; `full`: re-crawl everything (`-a full=1`)."""
    run = {"CSTOCRAWL_OUTPUT_DIR": str(output), "CSTOCRAWL_RUN_ID": run_id, **(settings or {})}
    mode = ("-a", "full=1") if full else ()
    return scrapy_command("crawl", "news", "-a", f"base_url={base_url}", *mode, settings=run)


def bare_command(base_url: str) -> list[str]:
    return scrapy_command("runspider", "bench/bare.py", "-a", f"base_url={base_url}")


def pages(run: Run) -> int:
    """HTML pages parsed: listing pages and articles (the bare spider counts its own)."""
    if "bench/pages" in run.stats:
        return run.stat("bench/pages")
    return run.stat("cstocrawl/listing/pages") + run.stat("item_scraped_count")


def crawl_runs(
    articles_per_section: int,
    runs: int,
    *,
    bare: bool,
    loads: list[float] | None = None,
    settings: dict[str, str] | None = None,
) -> tuple[list[Run], list[Run]]:
    """`runs` full crawls (each into a fresh output dir), alternated with bare runs if asked;
    `loads` gets the 1-minute load average after each full crawl (other work on the machine)."""
    site = large_site(articles_per_section)
    full_runs: list[Run] = []
    bare_runs: list[Run] = []
    with tempfile.TemporaryDirectory() as directory, serve_fast(site) as base_url:
        workdir = Path(directory)
        for index in range(runs):
            output = workdir / f"output{index}"
            command = full_crawl_command(base_url, output, settings=settings)
            full = run_scrapy(command, workdir / f"f{index}")
            full_runs.append(full)
            if loads is not None:
                loads.append(os.getloadavg()[0])
            print(f"  full crawl {index + 1}: {describe(full_runs[-1])}", flush=True)
            if bare:
                bare_runs.append(run_scrapy(bare_command(base_url), workdir / f"b{index}"))
                print(f"  bare spider {index + 1}: {describe(bare_runs[-1])}", flush=True)
    return full_runs, bare_runs


def crawl_cpu(run: Run) -> float:
    """CPU seconds of the crawl process alone (bench/stats.py), the one a bare spider is."""
    return float(run.stats.get("bench/cpu/crawl", run.cpu))


def describe(run: Run) -> str:
    return (
        f"{pages(run)} pages, {run.stat('item_scraped_count')} articles, "
        f"{run.stat('downloader/request_count')} requests in {run.elapsed:.1f} s "
        f"({pages(run) / run.elapsed:.0f} pages/s), peak RSS {run.peak_rss_mb:.0f} MiB, "
        f"CPU {crawl_cpu(run):.1f} s in the crawl process, {run.cpu:.1f} s with its children"
    )


def throughput_table(full: list[Run], bare: list[Run]) -> str:
    rows = [
        "| crawler | pages | articles | requests | s | pages/s | articles/s | peak RSS "
        "| CPU s, crawl process | CPU s, all processes |"
    ]
    rows.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, runs in (("`scrapy crawl news` (all pipelines)", full), ("bench/bare.py", bare)):
        rows.append(
            f"| {name} | {pages(runs[0])} | {runs[0].stat('item_scraped_count')} "
            f"| {runs[0].stat('downloader/request_count')} "
            f"| {median([r.elapsed for r in runs]):.1f} "
            f"| {median([pages(r) / r.elapsed for r in runs]):.0f} "
            f"| {median([r.stat('item_scraped_count') / r.elapsed for r in runs]):.0f} "
            f"| {median([r.peak_rss_mb for r in runs]):.0f} MiB "
            f"| {median([crawl_cpu(r) for r in runs]):.1f} | {median([r.cpu for r in runs]):.1f} |"
        )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write-docs", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument(
        "--setting", action="append", default=[], metavar="NAME=VALUE",
        help="a setting of the full crawl (not the bare spider); not with --write-docs",
    )  # fmt: skip
    args = parser.parse_args()
    toggled = dict(setting.split("=", 1) for setting in args.setting)
    if toggled and args.write_docs:
        parser.error("--setting runs are not the published figures: drop --write-docs")
    print(f"Crawl throughput, {4 * LARGE} articles, {args.runs} runs each ({machine()})")
    loads: list[float] = []
    full, bare = crawl_runs(LARGE, args.runs, bare=True, loads=loads, settings=toggled)
    print(f"Peak memory, {4 * SMALL} articles, {args.runs} runs")
    small, _ = crawl_runs(SMALL, args.runs, bare=False, settings=toggled)

    ratio = median([pages(r) / r.elapsed for r in full]) / median(
        [pages(r) / r.elapsed for r in bare]
    )
    settings = ", ".join(f"{name}={value}" for name, value in FAST.items())
    throughput = (
        f"Command: `python -m bench.crawl_bench --runs {args.runs}"
        f"{''.join(f' --setting {name}={value}' for name, value in toggled.items())}` "
        f"(median of {args.runs} runs "
        f"each, full crawl and bare spider alternated).\n\nMachine: {machine()}.\n\n"
        f"Replica: `ReplicaSite('en', 'bitrix', articles_per_section={LARGE}, "
        f"page_size={PAGE_SIZE})`, i.e. {4 * LARGE} articles in 4 sections, listed by 5 listings "
        f"(the 4 sections and the /news/ all-news feed), every page rendered before the clock "
        f"starts and served by bench/server.py. Settings for both: {settings}.\n\n"
        f"{throughput_table(full, bare)}\n\n"
        f"Ratio of pages/s, full crawl to bare spider: **{ratio:.2f}** (target: at least 0.8). "
        f"Load average (1 min) after each run: {', '.join(f'{load:.1f}' for load in loads)} "
        f"on {os.cpu_count()} cores. CPU s is user plus system time: of the crawl process alone, "
        "and of it with every child it reaped (page and attachment workers, WARC writer)."
    )
    peak_small = median([r.peak_rss_mb for r in small])
    peak_large = median([r.peak_rss_mb for r in full])
    memory = (
        f"Command: `python -m bench.crawl_bench --runs {args.runs}` (peak RSS, `ru_maxrss` of the "
        f"crawl process from `os.wait4`, median of {args.runs} runs).\n\nMachine: {machine()}.\n\n"
        "| articles | peak RSS | runs |\n|---:|---:|---|\n"
        f"| {small[0].stat('item_scraped_count')} | {peak_small:.0f} MiB | "
        f"{', '.join(f'{r.peak_rss_mb:.0f}' for r in small)} |\n"
        f"| {full[0].stat('item_scraped_count')} | {peak_large:.0f} MiB | "
        f"{', '.join(f'{r.peak_rss_mb:.0f}' for r in full)} |\n\n"
        f"Growth from {4 * SMALL} to {4 * LARGE} articles: "
        f"**{(peak_large - peak_small) / peak_small:+.0%}** "
        "(targets: at most 200 MB, at most +25%)."
    )
    publish("crawl", throughput, write_docs=args.write_docs)
    publish("memory", memory, write_docs=args.write_docs)


if __name__ == "__main__":
    main()
