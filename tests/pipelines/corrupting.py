"""A test-only pipeline that breaks one item, as a bug upstream of the schema check would."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler


class CorruptOne:
    """Gives the article at TESTS_CORRUPT_URL a `published` that is not an ISO date."""

    def __init__(self, url: str) -> None:
        self.url = url

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CorruptOne:
        return cls(crawler.settings.get("TESTS_CORRUPT_URL", ""))

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        if adapter["url"] == self.url:
            adapter["published"] = "yesterday"
        return item


class FailOne:
    """Raises on the article at TESTS_FAIL_URL, as a pipeline bug would (not a drop)."""

    def __init__(self, url: str) -> None:
        self.url = url

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FailOne:
        return cls(crawler.settings.get("TESTS_FAIL_URL", ""))

    def process_item(self, item: Any) -> Any:
        if ItemAdapter(item)["url"] == self.url:
            raise RuntimeError("a pipeline bug")
        return item
