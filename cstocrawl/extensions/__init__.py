"""The project's Scrapy extensions that belong to no other concern: the health check and redirect
revisits (the run's life is cstocrawl/runs/extension.py, the worker pools
cstocrawl/processes/extension.py), and `required`, how one component finds another."""

from __future__ import annotations

from typing import TypeVar

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

T = TypeVar("T")


def required(crawler: Crawler, extension: type[T]) -> T:
    """The crawl's instance of `extension`; a component that cannot work without it is not
    configured either (NotConfigured names the missing entry of EXTENSIONS)."""
    found = crawler.get_extension(extension)
    if found is None:
        raise NotConfigured(f"{extension.__module__}.{extension.__name__} is not in EXTENSIONS")
    return found
