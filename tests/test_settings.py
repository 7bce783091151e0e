"""The project's settings that are not read by one component of ours (cstocrawl/settings.py)."""

from __future__ import annotations

from pathlib import Path

from scrapy.core.spidermw import SpiderMiddlewareManager
from scrapy.spidermiddlewares.httperror import HttpErrorMiddleware
from scrapy.spidermiddlewares.start import StartSpiderMiddleware

from tests.crawling import project_crawler


def test_only_the_spider_middlewares_the_crawl_uses_wrap_its_callbacks(tmp_path: Path) -> None:
    manager = SpiderMiddlewareManager.from_crawler(project_crawler(tmp_path))
    kinds = {type(middleware) for middleware in manager.middlewares}
    assert kinds == {StartSpiderMiddleware, HttpErrorMiddleware}
