"""The run's stats collector: Scrapy's in-memory one, its methods called directly.

Scrapy 2.19's StatsCollector looks up every attribute through a `__getattribute__` that wraps its
methods to warn about a deprecated `spider` argument: two more calls and an f-string on each of
the 270,000 stat calls of a 5,000-article crawl (docs/benchmarks.md). No caller here passes one.
"""

from __future__ import annotations

from scrapy.statscollectors import MemoryStatsCollector


class RunStatsCollector(MemoryStatsCollector):
    """MemoryStatsCollector without the per-access shim: a `spider` argument is ignored."""

    __getattribute__ = object.__getattribute__
