"""Sanitising: every string of an item can be written as UTF-8 and holds no control character."""

from __future__ import annotations

import json
from typing import Any

import pytest
from itemadapter import ItemAdapter
from scrapy.utils.test import get_crawler

from cstocrawl.items import Article
from cstocrawl.pipelines.cleaning import CleaningPipeline, sanitise, sanitise_item


@pytest.mark.parametrize(
    ("text", "expected", "count"),
    [
        ("plain Кириллица\tand\nlines\r\n", "plain Кириллица\tand\nlines\r\n", 0),
        ("lone \ud800 and pair \ud800\udfff", "lone \ufffd and pair \ufffd\ufffd", 3),
        ("bell\x07 nul\x00 esc\x1b del\x7f c1\x85 nonchar\uffff", "bell nul esc del c1 nonchar", 6),
    ],
)
def test_sanitise(text: str, expected: str, count: int) -> None:
    assert sanitise(text) == (expected, count)
    expected.encode("utf-8")  # always writable


def article(**fields: Any) -> Article:
    base = {
        "url": "https://en.odkb-csto.org/news/news_odkb/a/",
        "lang": "en",
        "section": "news_odkb",
        "title": "Title",
        "published": "24.11.2025",
        "text": "Body.",
        "summary": None,
        "attachments": [],
        "images": [],
        "problems": [],
        "crawled_at": "2025-11-30T06:00:00Z",
    }
    return Article(**{**base, **fields})


def test_the_cleaning_pipeline_sanitises_every_field_and_counts_it() -> None:
    crawler = get_crawler()
    crawler.stats.open_spider()
    item = article(
        title="Ti\x00tle",
        text="One \ud800.\n\nTwo\x07.",
        attachments=[{"url": "https://en.odkb-csto.org/upload/a.pdf", "name": "A\x1b.pdf"}],
    )
    CleaningPipeline(crawler).process_item(item)
    assert (item.title, item.text) == ("Title", "One \ufffd.\n\nTwo.")
    assert item.attachments[0]["name"] == "A.pdf"
    json.dumps(ItemAdapter(item).asdict(), ensure_ascii=False).encode("utf-8")
    assert crawler.stats.get_value("cstocrawl/sanitised/items") == 1
    assert crawler.stats.get_value("cstocrawl/sanitised/characters") == 4


def test_a_clean_item_is_left_alone_and_not_counted() -> None:
    crawler = get_crawler()
    crawler.stats.open_spider()
    item = article()
    assert sanitise_item(ItemAdapter(item), crawler) == 0
    assert crawler.stats.get_value("cstocrawl/sanitised/items") is None
