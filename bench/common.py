"""What every benchmark needs: the machine, a warm replica, timed Scrapy runs, the docs file."""

from __future__ import annotations

import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tests.crawling import FAST
from tests.replica import ReplicaSite

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs" / "benchmarks.md"
# The large replica: 4 sections x 1,250 articles (1,250 statements with an attachment each).
LARGE = 1250
PAGE_SIZE = 20  # articles per listing page, as on the real site
CRAWL_TIMEOUT = 600.0  # seconds; no single crawl of the replica may take longer


def machine() -> str:
    """The line every figure is published with: cores, CPU, Python, Scrapy, date."""
    cpuinfo = Path("/proc/cpuinfo")
    models = [
        line.split(":", 1)[1].strip()
        for line in (cpuinfo.read_text().splitlines() if cpuinfo.exists() else [])
        if line.startswith("model name")
    ]
    cpu = models[0] if models else platform.processor() or "unknown CPU"
    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
        f"Scrapy {version('Scrapy')}, lxml {version('lxml')}, Twisted {version('Twisted')}; "
        f"{datetime.now(UTC).date().isoformat()}"
    )


def median(values: list[float]) -> float:
    return statistics.median(values)


def large_site(articles_per_section: int = LARGE) -> ReplicaSite:
    """The benchmark replica, every page rendered in advance so the server only looks them up."""
    site = ReplicaSite(
        lang="en", variant="bitrix", articles_per_section=articles_per_section,
        page_size=PAGE_SIZE, seed=0,
    )  # fmt: skip
    for target in site_targets(site):
        site.respond(target)
    return site


def site_targets(site: ReplicaSite) -> list[str]:
    """Request targets of every listing page, article and attachment of `site`."""
    articles = site.articles
    return [
        *site.listing_pages(),
        *(urlsplit(article.url).path for article in articles),
        *(article.attachment.path for article in articles if article.attachment),
    ]


@dataclass
class Run:
    """One Scrapy process: its final stats, wall time and peak resident memory."""

    stats: dict[str, Any]
    wall: float  # seconds from process start to exit
    peak_rss_mb: float  # VmHWM of the process, in MiB (bench/stats.py)
    log: Path
    cpu: float = 0.0  # user + system seconds of the process and the children it waited for

    @property
    def elapsed(self) -> float:
        """Seconds from the spider's start to its close (excludes interpreter start-up)."""
        return float(self.stats["elapsed_time_seconds"])

    def stat(self, name: str) -> int:
        return int(self.stats.get(name, 0))


def scrapy_command(*args: str, settings: dict[str, str] | None = None) -> list[str]:
    """`python -m scrapy ARGS` with politeness off (as the tests do) and JSON stats."""
    command = [sys.executable, "-m", "scrapy", *args]
    merged = {**FAST, "STATS_CLASS": "bench.stats.JsonStatsCollector", **(settings or {})}
    for name, value in merged.items():
        command += ["-s", f"{name}={value}"]
    return command


def run_scrapy(
    command: list[str],
    workdir: Path,
    python_args: tuple[str, ...] = (),
    env: dict[str, str] | None = None,
) -> Run:
    """Run one Scrapy process to its end, in a fresh interpreter so its peak RSS is its own;
    `env`: variables added to this process's environment."""
    workdir.mkdir(parents=True, exist_ok=True)
    stats_file, log = workdir / "stats.json", workdir / "scrapy.log"
    command = [command[0], *python_args, *command[1:], "-s", f"BENCH_STATS_FILE={stats_file}"]
    start = time.perf_counter()
    with log.open("w") as output:
        process = subprocess.Popen(
            command,
            cwd=REPO,
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, **env} if env else None,
        )
        deadline = start + CRAWL_TIMEOUT
        while (waited := os.wait4(process.pid, os.WNOHANG))[0] == 0:
            if time.perf_counter() > deadline:
                process.kill()
                waited = os.wait4(process.pid, 0)
                break
            time.sleep(0.05)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(waited[1])  # reaped here, not by Popen
    if process.returncode != 0 or not stats_file.exists():
        tail = log.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"{' '.join(command)} exited {process.returncode}:\n{tail}")
    stats = json.loads(stats_file.read_text(encoding="utf-8"))
    usage = waited[2]
    # ru_maxrss of a child counts this process's own size too (Linux keeps it across exec).
    peak = float(stats.get("bench/peak_rss_mb", usage.ru_maxrss / 1024))
    return Run(stats, wall, peak, log, usage.ru_utime + usage.ru_stime)


def publish(name: str, markdown: str, *, write_docs: bool) -> None:
    """Print a benchmark's figures; with --write-docs also put them in docs/benchmarks.md."""
    print(markdown, end="\n\n")
    if write_docs:
        write_section(name, markdown)


def write_section(name: str, markdown: str, docs: Path = DOCS) -> None:
    """Replace the text between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->` in `docs`,
    leaving the rest as it is (people write around it)."""
    text = docs.read_text(encoding="utf-8")
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{start}\n{markdown.strip()}\n{end}"
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        text = text.rstrip("\n") + f"\n\n{block}\n"
    docs.write_text(text, encoding="utf-8")
