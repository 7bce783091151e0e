"""`as_record`, the fast path the validation and dataset pipelines take: the same data, in the
same key order, as itemadapter's generic conversion."""

from __future__ import annotations

import json

from itemadapter import ItemAdapter

from cstocrawl.items import Article, Attachment, as_record


def test_an_article_is_the_record_itemadapter_gives_in_the_same_key_order() -> None:
    article = Article(
        url="https://en.odkb-csto.org/news/news_odkb/a/",
        lang="en",
        section="news_odkb",
        title="A title",
        published="2025-12-01",
        text="One.\n\nTwo.",
        summary=None,
        attachments=[Attachment("https://en.odkb-csto.org/upload/a.pdf", "a.pdf", size=3)],
        images=["https://en.odkb-csto.org/upload/a.jpg"],
        problems=["missing_date"],
        aliases=["https://en.odkb-csto.org/news/news_odkb/b/"],
    )
    record = as_record(article)
    expected = ItemAdapter(article).asdict()
    assert json.dumps(record) == json.dumps(expected)
    assert record["attachments"][0] is not vars(article.attachments[0])  # a copy, like asdict's
    assert record["images"] is not article.images


def test_any_other_item_goes_through_itemadapter() -> None:
    item = {"url": "u", "attachments": [Attachment("f", "n")]}
    assert as_record(item) == {"url": "u", "attachments": [vars(Attachment("f", "n"))]}
