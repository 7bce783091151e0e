"""The spider on every markup and language, in process: through each markup's listings and
pagers it reaches every article of the replica once, and each article, cleaned as the pipeline
cleans it, is the ground truth. The real `scrapy crawl news` runs on one markup per family
(tests/spiders/test_news_e2e.py); this covers every markup at a fraction of a crawl's cost."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from itemadapter import ItemAdapter
from scrapy.http import HtmlResponse

from cstocrawl.items import Article
from cstocrawl.pipelines.cleaning import CleaningPipeline
from tests.crawling import project_crawler, spider_in_process
from tests.replica import SERVED_VARIANTS, ReplicaSite

MIRROR = "http://127.0.0.1:8800"
# What the spider and the cleaning pipeline decide; aliases, stored files and hashes are the
# state's and the attachments pipeline's (checked by the end-to-end crawls).
FIELDS = ("url", "lang", "section", "title", "published", "text", "summary", "images", "problems")


def as_truth(record: dict[str, Any]) -> dict[str, Any]:
    files = [(attachment["url"], attachment["name"]) for attachment in record["attachments"]]
    return {**{field: record[field] for field in FIELDS}, "attachments": files}


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("variant", SERVED_VARIANTS)
def test_the_spider_reaches_every_article_as_the_truth_has_it(
    variant: str, lang: str, tmp_path: Path
) -> None:
    site = ReplicaSite(lang=lang, variant=variant)
    crawler = project_crawler(tmp_path, {"lang": lang, "base_url": MIRROR}, CSTOCRAWL_WORKERS=0)
    cleaning = CleaningPipeline.from_crawler(crawler)
    produced: dict[str, dict[str, Any]] = {}

    def scraped(article: Article, response: HtmlResponse) -> None:
        record = ItemAdapter(cleaning.process_item(article)).asdict()
        assert record["url"] not in produced, record["url"]  # each article once
        produced[record["url"]] = as_truth(record)

    spider_in_process(crawler, site, MIRROR, scraped)
    truth = {record["url"]: as_truth(record) for record in site.expected_articles()}
    assert sorted(produced) == sorted(truth)
    for url, record in truth.items():
        assert produced[url] == record, url
