"""A stats collector that also writes the final stats as JSON, so benchmarks need not parse logs.

Enabled per run: `-s STATS_CLASS=bench.stats.JsonStatsCollector -s BENCH_STATS_FILE=path`.
"""

from __future__ import annotations

import json
from pathlib import Path

from scrapy.statscollectors import MemoryStatsCollector, StatsT


class JsonStatsCollector(MemoryStatsCollector):
    def _persist_stats(self, stats: StatsT) -> None:
        super()._persist_stats(stats)
        if path := self._crawler.settings.get("BENCH_STATS_FILE"):
            Path(path).write_text(json.dumps(stats, default=str, indent=1), encoding="utf-8")
