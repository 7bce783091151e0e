"""The cyclic garbage collector's young-generation threshold, raised for the crawl's life.

Python collects the youngest generation every 700 net allocations, and every tenth of those
collections the middle one, every tenth of those a full one: in a crawl (Scrapy's requests,
responses, deferreds and tasks, short-lived but surviving a few callbacks) that was about 2 of the
crawl process's 19 to 22 CPU s for 5,000 articles, most of it full collections walking every
object start-up built (docs/benchmarks.md, "Sixth round: the crawl process").
"""

from __future__ import annotations

import gc

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured


class CollectorThreshold:
    """`CSTOCRAWL_GC_THRESHOLD` from the spider's open to its close; the old one after, since a
    crawl may run inside another process (the tests)."""

    def __init__(self, threshold: int) -> None:
        self.threshold = threshold
        self._saved: tuple[int, int, int] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CollectorThreshold:
        threshold = crawler.settings.getint("CSTOCRAWL_GC_THRESHOLD")
        if not threshold:
            raise NotConfigured("CSTOCRAWL_GC_THRESHOLD is 0: Python's own thresholds")
        extension = cls(threshold)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self) -> None:
        self._saved = gc.get_threshold()
        gc.set_threshold(self.threshold, *self._saved[1:])

    def spider_closed(self) -> None:
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None
