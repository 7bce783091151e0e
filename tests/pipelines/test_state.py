"""The state pipeline in process: what it drops, what it lets through, and what it puts on the
retry list; the run's promotion of what it recorded is tests/runs/test_extension.py's."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import DropItem
from twisted.python.failure import Failure

from cstocrawl.exceptions import FailedFetch
from cstocrawl.items import Article
from cstocrawl.pipelines.cleaning import content_sha256
from cstocrawl.pipelines.state import StatePipeline
from cstocrawl.signals import page_failed, page_read
from cstocrawl.store.state import State
from tests.crawling import project_crawler

URL = "https://en.odkb-csto.org/news/news_odkb/summit/"
LISTING = "https://en.odkb-csto.org/news/news_odkb/?PAGEN_1=3"


def article(**fields: object) -> Article:
    item = Article(
        url=URL,
        lang="en",
        section="news_odkb",
        title="The CSTO summit",
        published="2025-12-01",
        text="The leaders met in Minsk.",
        crawled_at="2025-12-02T06:00:00Z",
    )
    item = replace(item, **fields)  # type: ignore[arg-type]
    item.content_sha256 = content_sha256(ItemAdapter(item))
    return item


def known_state(output_dir: Path, *items: Article) -> None:
    """A state that holds `items`, as a promoted run leaves it."""
    with State(output_dir / "state.sqlite") as state:
        state.begin_run("run0", "2025-12-01T00:00:00Z", "full")
        for item in items:
            state.record("run0", dict(item.__dict__), "new")
        state.promote("run0")


def pipeline(output_dir: Path, **settings: Any) -> StatePipeline:
    return StatePipeline.from_crawler(project_crawler(output_dir, **settings))


def test_a_new_article_passes_once(tmp_path: Path) -> None:
    state = pipeline(tmp_path)
    assert state.process_item(article()) is not None
    with pytest.raises(DropItem, match="Already emitted by this run"):
        state.process_item(article(text="Another fetch of the same URL."))


def test_an_unchanged_article_is_dropped_but_recorded_in_an_incremental_run(
    tmp_path: Path,
) -> None:
    known_state(tmp_path, article())
    state = pipeline(tmp_path)
    with pytest.raises(DropItem, match="Unchanged since it was last written"):
        state.process_item(article())
    assert state.stats.get_value("cstocrawl/state/unchanged") == 1
    assert state.process_item(article(text="An edit.")) is not None  # changed: written


def test_a_version_that_lost_its_date_is_a_failed_fetch_not_a_change(tmp_path: Path) -> None:
    known_state(tmp_path, article())
    state = pipeline(tmp_path)
    with pytest.raises(FailedFetch, match="Lost its date"):
        state.process_item(article(published=None))
    assert state.stats.get_value("cstocrawl/failed/downgraded") == 1
    assert state.stats.get_value("cstocrawl/failed/article") == 1


def test_an_unchanged_article_with_a_failed_download_is_let_through(tmp_path: Path) -> None:
    known_state(tmp_path, article())
    with State(tmp_path / "state.sqlite") as db:
        db.begin_run("run1", "2025-12-02T00:00:00Z", "incremental")
        file = "https://en.odkb-csto.org/upload/iblock/1/annex.pdf"
        db.record_outcome(
            "run1", file, "attachment", ok=False, seen_at="x", article=URL, error="HTTP 503"
        )
        db.promote("run1")
    state = pipeline(tmp_path, CSTOCRAWL_RUN_ID="run2")
    assert state.process_item(article()) is not None
    assert state.stats.get_value("cstocrawl/retry/attachment_articles") == 1


def test_lost_pages_and_failed_items_are_the_run_s_failures_and_read_listings_its_successes(
    tmp_path: Path,
) -> None:
    crawler = project_crawler(tmp_path)
    state = StatePipeline.from_crawler(crawler)  # kept: signal receivers are weak references
    send = crawler.signals.send_catch_log
    send(page_failed, url=URL, kind="article", reason="HTTP 500", summary="A teaser.")
    send(page_failed, url=LISTING, kind="listing", reason="HTTP 503", summary=None)
    send(page_read, url=LISTING, kind="listing")  # retried by Scrapy later in the run: fine
    failure = Failure(UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed"))
    other = article(url="https://en.odkb-csto.org/news/news_odkb/other/")
    send(signals.item_error, item=other, response=None, spider=None, failure=failure)
    state.state.promote("run1")
    failed = {(retry.url, retry.kind, retry.summary) for retry in state.state.retries()}
    assert failed == {
        (URL, "article", "A teaser."),
        (other.url, "article", None),
    }
