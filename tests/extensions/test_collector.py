"""CollectorThreshold in process: the crawl's garbage-collector threshold holds from the spider's
open to its close, and the process's own comes back after."""

from __future__ import annotations

import gc

import pytest
from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from cstocrawl.extensions.collector import CollectorThreshold


def test_the_threshold_holds_while_the_spider_is_open_only() -> None:
    before = gc.get_threshold()
    crawler = get_crawler(settings_dict={"CSTOCRAWL_GC_THRESHOLD": before[0] + 1234})
    extension = CollectorThreshold.from_crawler(crawler)  # held: signals keep weak references
    try:
        crawler.signals.send_catch_log(signals.spider_opened, spider=None)
        assert gc.get_threshold() == (before[0] + 1234, *before[1:])
        crawler.signals.send_catch_log(signals.spider_closed, spider=None, reason="finished")
        assert gc.get_threshold() == before
    finally:
        gc.set_threshold(*before)
    del extension


def test_zero_keeps_pythons_thresholds() -> None:
    with pytest.raises(NotConfigured):
        CollectorThreshold.from_crawler(get_crawler(settings_dict={"CSTOCRAWL_GC_THRESHOLD": 0}))
