"""Scrapy components in process: a crawler with the project's own settings, writing into a
temporary output dir (scrapy.utils.test.get_crawler builds it; no engine, no reactor)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scrapy.crawler import AsyncCrawlerRunner, Crawler, CrawlerRunner
from scrapy.utils.reactor import is_reactor_installed
from scrapy.utils.test import get_reactor_settings

import cstocrawl.settings
from cstocrawl.spiders.news import NewsSpider


def project_settings(output_dir: Path, **overrides: Any) -> dict[str, Any]:
    """cstocrawl/settings.py, run `run1` into `output_dir`, with `overrides`."""
    settings = {
        name: getattr(cstocrawl.settings, name)
        for name in dir(cstocrawl.settings)
        if name.isupper()
    }
    return {**settings, "CSTOCRAWL_OUTPUT_DIR": str(output_dir), "CSTOCRAWL_RUN_ID": "run1"} | (
        overrides
    )


def project_crawler(
    output_dir: Path, spider: dict[str, str] | None = None, **overrides: Any
) -> Crawler:
    """A crawler of the news spider with the project's settings and extensions, its stats open.
    The run begins here (RunLifecycle.from_crawler): the state holds it as running. With `spider`
    (its -a arguments) the spider is made first, as `Crawler.crawl` does, so the run sees them;
    this is `get_crawler` with that one step added."""
    settings = {**get_reactor_settings(), **project_settings(output_dir, **overrides)}
    runner = CrawlerRunner(settings) if is_reactor_installed() else AsyncCrawlerRunner(settings)
    crawler = runner.create_crawler(NewsSpider)
    if spider is not None:
        crawler.spider = crawler._create_spider(**spider)
    crawler._apply_settings()
    crawler.stats.open_spider()
    return crawler
