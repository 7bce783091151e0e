"""A stats collector that also writes the final stats as JSON, so benchmarks need not parse logs.

Enabled per run: `-s STATS_CLASS=bench.stats.JsonStatsCollector -s BENCH_STATS_FILE=path`.
It also records the crawl process's peak RSS (VmHWM), and the CPU seconds of the crawl process and
of each child still alive at the end (page and attachment workers, the WARC writer): on a shared
machine, where wall time says little, CPU time shows which process a change made cheaper.
"""

from __future__ import annotations

import json
import os
import resource
from pathlib import Path

from scrapy.statscollectors import StatsT

from cstocrawl.runs.stats import RunStatsCollector


def peak_rss_mb() -> float:
    """This process's peak resident memory since it started, in MiB (VmHWM). Not `ru_maxrss`,
    which Linux carries over exec: a child of the benchmark reported the benchmark's own size."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _child_name(argv: list[bytes]) -> str:
    """What a child of the crawl is, from its command line (started by
    cstocrawl/processes/children.py)."""
    code = next((a.decode() for a in argv if a.startswith(b"import ")), "")
    if "cstocrawl.processes.workers" in code:
        # The attachment pool preloads the extractors (cstocrawl/processes/workers.py): its
        # last argument.
        return "attachment-worker" if b"cstocrawl.extract" in argv else "page-worker"
    if "cstocrawl.archive.warcwriter" in code:
        return "warc-writer"
    return "other"


def children_cpu() -> dict[str, float]:
    """CPU seconds (user + system) of each live child of this process, keyed `<what> <pid>`."""
    ticks = os.sysconf("SC_CLK_TCK")
    found: dict[str, float] = {}
    for task in Path(f"/proc/{os.getpid()}/task").glob("*/children"):
        for pid in task.read_text().split():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue  # it ended meanwhile
            found[f"{_child_name(argv)} {pid}"] = (int(fields[11]) + int(fields[12])) / ticks
    return found


class JsonStatsCollector(RunStatsCollector):
    def _persist_stats(self, stats: StatsT) -> None:
        super()._persist_stats(stats)
        if path := self._crawler.settings.get("BENCH_STATS_FILE"):
            usage = resource.getrusage(resource.RUSAGE_SELF)
            stats = {
                **stats,
                "bench/peak_rss_mb": peak_rss_mb(),
                "bench/cpu/crawl": usage.ru_utime + usage.ru_stime,
                **{f"bench/cpu/{name}": cpu for name, cpu in children_cpu().items()},
            }
            Path(path).write_text(json.dumps(stats, default=str, indent=1), encoding="utf-8")
