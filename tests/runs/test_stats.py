"""The run's stats collector (cstocrawl/runs/stats.py): Scrapy's, without the per-call shim."""

from __future__ import annotations

from pathlib import Path

from scrapy.statscollectors import MemoryStatsCollector

from cstocrawl.runs.stats import RunStatsCollector
from tests.crawling import project_crawler


def test_the_crawl_s_stats_are_counted_by_the_collector_s_own_methods(tmp_path: Path) -> None:
    stats = project_crawler(tmp_path).stats
    assert isinstance(stats, RunStatsCollector)
    # Scrapy's shim hands out a wrapper of each method; here it is the method itself.
    assert getattr(stats.inc_value, "__func__", None) is MemoryStatsCollector.inc_value
    stats.inc_value("bench/x")
    stats.inc_value("bench/x", 2)
    stats.max_value("bench/max", 3)
    stats.max_value("bench/max", 1)
    assert (stats.get_value("bench/x"), stats.get_value("bench/max")) == (3, 3)
