"""Full crawl of a large replica against its floor and a bare Scrapy spider; re-extraction; memory.

python -m bench.crawl_bench [--runs 3] [--write-docs] [--setting NAME=VALUE ...]
Each round: `scrapy crawl news -a full=1` with every pipeline on; the floor, a replay of exactly
the requests that crawl made with nothing done and Scrapy's own settings (bench/replay.py);
bench/bare.py over the same pages; then `python -m cstocrawl.archive.reextract` of the crawl's
output dir (its WARC files, offline). Politeness off, the same concurrency. CPU seconds of every
process (user + system), since on a shared machine wall time says little. Memory: peak RSS of the
crawl process at 1,000 and at 5,000 articles. `--setting` (repeatable) changes one setting of the
full crawl only, to attribute its cost one toggle at a time (`--setting CSTOCRAWL_WARC=0`: then no
floor and no re-extraction, which need its WARC files); such runs are never written into the docs.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
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
from bench.replay import request_urls
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


def replay_command(urls: Path) -> list[str]:
    """The floor; run it with REPLAY_ENV, so that Scrapy's defaults apply, not the project's."""
    return scrapy_command("runspider", "bench/replay.py", "-a", f"urls={urls}")


REPLAY_ENV = {"SCRAPY_SETTINGS_MODULE": "bench.replay"}


def reextract_command(output: Path, run_id: str) -> list[str]:
    """`python -m cstocrawl.archive.reextract` on an output dir's WARC files, with JSON stats."""
    run = {"CSTOCRAWL_OUTPUT_DIR": str(output), "CSTOCRAWL_RUN_ID": run_id}
    scrapy = scrapy_command(settings=run)
    settings = scrapy[3:]  # the -s options scrapy_command built, politeness off included
    return [sys.executable, "-m", "cstocrawl.archive.reextract", *settings]


def pages(run: Run) -> int:
    """HTML pages parsed: listing pages and articles (the bare spider counts its own; the replay
    parses none)."""
    if "bench/pages" in run.stats:
        return run.stat("bench/pages")
    return run.stat("cstocrawl/listing/pages") + run.stat("item_scraped_count")


def responses(run: Run) -> int:
    return run.stat("downloader/response_count")


@dataclass
class Rounds:
    """The runs of each kind, one per round, and the load average after each full crawl."""

    full: list[Run] = field(default_factory=list)
    replay: list[Run] = field(default_factory=list)
    bare: list[Run] = field(default_factory=list)
    reextract: list[Run] = field(default_factory=list)
    loads: list[float] = field(default_factory=list)


def crawl_runs(
    articles_per_section: int,
    runs: int,
    *,
    compare: bool,
    settings: dict[str, str] | None = None,
) -> Rounds:
    """`runs` full crawls (each into a fresh output dir); with `compare`, each followed by the
    replay of its requests, the bare spider and the re-extraction of its WARC files."""
    site = large_site(articles_per_section)
    rounds = Rounds()
    with tempfile.TemporaryDirectory() as directory, serve_fast(site) as base_url:
        workdir = Path(directory)
        for index in range(runs):
            output = workdir / f"output{index}"
            command = full_crawl_command(base_url, output, settings=settings)
            rounds.full.append(run_scrapy(command, workdir / f"f{index}"))
            rounds.loads.append(os.getloadavg()[0])
            print(f"  full crawl {index + 1}: {describe(rounds.full[-1])}", flush=True)
            if not compare:
                continue
            if warcs := sorted((output / "warc").glob("*.warc.gz")):
                urls = workdir / f"urls{index}.txt"
                urls.write_text("\n".join(request_urls(warcs)), encoding="utf-8")
                replay = run_scrapy(replay_command(urls), workdir / f"p{index}", env=REPLAY_ENV)
                rounds.replay.append(replay)
                print(f"  replay {index + 1}: {describe(replay)}", flush=True)
            rounds.bare.append(run_scrapy(bare_command(base_url), workdir / f"b{index}"))
            print(f"  bare spider {index + 1}: {describe(rounds.bare[-1])}", flush=True)
            if warcs:
                again = run_scrapy(reextract_command(output, "re"), workdir / f"r{index}")
                rounds.reextract.append(again)
                print(f"  re-extraction {index + 1}: {describe(again)}", flush=True)
    return rounds


def crawl_cpu(run: Run) -> float:
    """CPU seconds of the crawl process alone (bench/stats.py), the one a bare spider is."""
    return float(run.stats.get("bench/cpu/crawl", run.cpu))


def describe(run: Run) -> str:
    return (
        f"{pages(run)} pages, {run.stat('item_scraped_count')} articles, "
        f"{responses(run)} responses in {run.elapsed:.1f} s "
        f"({pages(run) / run.elapsed:.0f} pages/s), peak RSS {run.peak_rss_mb:.0f} MiB, "
        f"CPU {crawl_cpu(run):.1f} s in the crawl process, {run.cpu:.1f} s with its children"
    )


def cpu_per_response(run: Run) -> float:
    """CPU milliseconds of every process of the run per response it received."""
    return 1000 * run.cpu / responses(run)


def rate(runs: list[Run], count: Callable[[Run], int] = pages) -> float:
    """Median of `count` per second, spider open to close."""
    return median([count(r) / r.elapsed for r in runs])


def throughput_table(rounds: Rounds) -> str:
    rows = [
        "| run | responses | pages | articles | s | pages/s | peak RSS "
        "| CPU s, crawl process | CPU s, all processes | CPU ms a response |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, runs in (
        ("`scrapy crawl news -a full=1` (all pipelines)", rounds.full),
        ("bench/replay.py (its requests, nothing done: the floor)", rounds.replay),
        ("bench/bare.py", rounds.bare),
        ("`python -m cstocrawl.archive.reextract` (its WARC files)", rounds.reextract),
    ):
        if not runs:
            continue
        rows.append(
            f"| {name} | {responses(runs[0])} | {pages(runs[0])} "
            f"| {runs[0].stat('item_scraped_count')} | {median([r.elapsed for r in runs]):.1f} "
            f"| {f'{rate(runs):.0f}' if pages(runs[0]) else '—'} "
            f"| {median([r.peak_rss_mb for r in runs]):.0f} MiB "
            f"| {median([crawl_cpu(r) for r in runs]):.1f} | {median([r.cpu for r in runs]):.1f} "
            f"| {median([cpu_per_response(r) for r in runs]):.2f} |"
        )
    return "\n".join(rows)


def ratios(rounds: Rounds) -> str:
    """The goals of issue 20, each as a ratio of medians."""
    full_cpu = median([cpu_per_response(r) for r in rounds.full])
    lines = []
    if rounds.replay:
        lines.append(
            f"CPU a response, full crawl to its floor: "
            f"**{full_cpu / median([cpu_per_response(r) for r in rounds.replay]):.2f}x** "
            f"(goal: at most 1.3x); responses/s, full crawl to floor: "
            f"**{rate(rounds.full, responses) / rate(rounds.replay, responses):.2f}** "
            "(goal: at least 0.8)."
        )
    if rounds.bare:
        lines.append(
            f"Pages/s, full crawl to bare spider: **{rate(rounds.full) / rate(rounds.bare):.2f}**."
        )
    if rounds.reextract:
        lines.append(
            f"Pages/s, re-extraction to full crawl: "
            f"**{rate(rounds.reextract) / rate(rounds.full):.2f}x** (goal: at least 3x)."
        )
    return " ".join(lines)


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
    rounds = crawl_runs(LARGE, args.runs, compare=True, settings=toggled)
    print(f"Peak memory, {4 * SMALL} articles, {args.runs} runs")
    small = crawl_runs(SMALL, args.runs, compare=False, settings=toggled).full
    full = rounds.full

    settings = ", ".join(f"{name}={value}" for name, value in FAST.items())
    throughput = (
        f"Command: `python -m bench.crawl_bench --runs {args.runs}"
        f"{''.join(f' --setting {name}={value}' for name, value in toggled.items())}` "
        f"(median of {args.runs} rounds, each: the full crawl, the replay of its requests, the "
        f"bare spider, the re-extraction of its WARC files).\n\nMachine: {machine()}.\n\n"
        f"Replica: `ReplicaSite('en', 'bitrix', articles_per_section={LARGE}, "
        f"page_size={PAGE_SIZE})`, i.e. {4 * LARGE} articles in 4 sections, listed by 5 listings "
        f"(the 4 sections and the /news/ all-news feed), every page rendered before the clock "
        f"starts and served by bench/server.py. Settings for all: {settings}.\n\n"
        f"{throughput_table(rounds)}\n\n{ratios(rounds)} "
        f"Load average (1 min) after each full crawl: "
        f"{', '.join(f'{load:.1f}' for load in rounds.loads)} on {os.cpu_count()} cores. "
        "CPU s is user plus system time: of the crawl process alone, and of it with every child "
        "it reaped (page and attachment workers, WARC writer); s and pages/s are spider open to "
        "close."
    )
    peak_small = median([r.peak_rss_mb for r in small])
    peak_large = median([r.peak_rss_mb for r in full])
    memory = (
        f"Command: `python -m bench.crawl_bench --runs {args.runs}` (peak RSS, VmHWM of the "
        f"crawl process at its end, median of {args.runs} runs).\n\nMachine: {machine()}.\n\n"
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
