"""Sanitising: every string of an item can be written as UTF-8 and holds no control character."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from itemadapter import ItemAdapter
from scrapy.utils.test import get_crawler

from cstocrawl.items import Article, Attachment
from cstocrawl.pipelines.cleaning import (
    CleaningPipeline,
    content_sha256,
    sanitise,
    sanitise_item,
)


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
    base: dict[str, Any] = {
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
        attachments=[Attachment("https://en.odkb-csto.org/upload/a.pdf", "A\x1b.pdf")],
    )
    CleaningPipeline(crawler).process_item(item)
    assert (item.title, item.text) == ("Title", "One \ufffd.\n\nTwo.")
    assert item.attachments[0] == Attachment("https://en.odkb-csto.org/upload/a.pdf", "A.pdf")
    json.dumps(ItemAdapter(item).asdict(), ensure_ascii=False).encode("utf-8")
    assert crawler.stats.get_value("cstocrawl/sanitised/items") == 1
    assert crawler.stats.get_value("cstocrawl/sanitised/characters") == 4


def test_a_clean_item_is_left_alone_and_not_counted() -> None:
    crawler = get_crawler()
    crawler.stats.open_spider()
    item = article()
    assert sanitise_item(ItemAdapter(item), crawler) == 0
    assert crawler.stats.get_value("cstocrawl/sanitised/items") is None


def test_attachment_text_added_later_is_sanitised_in_place_of_the_attachment() -> None:
    crawler = get_crawler()
    crawler.stats.open_spider()
    attachment = Attachment("https://en.odkb-csto.org/upload/a.pdf", "a.pdf", status="stored")
    attachment.text = "Annex \ud800\x0c text"
    item = article(attachments=[attachment])
    assert sanitise_item(ItemAdapter(item), crawler) == 2
    [sanitised] = item.attachments
    assert sanitised == Attachment(
        "https://en.odkb-csto.org/upload/a.pdf", "a.pdf", status="stored", text="Annex \ufffd text"
    )


def test_the_content_hash_is_the_documented_one_and_ignores_what_the_download_added() -> None:
    """docs/dataset.md: a change of this hash re-writes every article of every dataset."""
    url = "https://en.odkb-csto.org/upload/a.pdf"
    item = article(attachments=[Attachment(url, "Annex 1.pdf")], images=["i"])
    documented = json.dumps(
        {
            "title": "Title",
            "published": "24.11.2025",
            "text": "Body.",
            "attachments": [{"url": url, "name": "Annex 1.pdf"}],
            "images": ["i"],
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    expected = hashlib.sha256(documented.encode("utf-8")).hexdigest()
    assert content_sha256(ItemAdapter(item)) == expected
    item.attachments[0].status, item.attachments[0].text = "stored", "Annex text"
    item.summary, item.crawled_at = "teaser", "2026-01-01T00:00:00Z"
    assert content_sha256(ItemAdapter(item)) == expected
    item.attachments[0].name = "Annex 2.pdf"
    assert content_sha256(ItemAdapter(item)) != expected
