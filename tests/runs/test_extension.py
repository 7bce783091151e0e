"""A run's life in process: begun when the crawler is made, ended in order when the spider closes
(promoted: dataset renamed, state, latest.jsonl, manifest; or discarded, leaving all as it was)."""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from cstocrawl.items import Article
from cstocrawl.pipelines.cleaning import CleaningPipeline
from cstocrawl.pipelines.jsonl import JsonLinesWriterPipeline
from cstocrawl.pipelines.state import StatePipeline
from cstocrawl.runs.extension import RunLifecycle
from cstocrawl.runs.outcome import Exit
from cstocrawl.store.state import State
from tests.crawling import project_crawler

SECTION = "https://en.odkb-csto.org/news/news_odkb/"


def article(n: int) -> Article:
    return Article(
        url=f"{SECTION}article-{n}/",
        lang="en",
        section="news_odkb",
        title=f"Article {n} on collective security",
        published=f"2025-12-0{n}",
        text=f"Body of article {n}. " * 10,
        crawled_at="2025-12-10T00:00:00Z",
    )


class Crawl:
    """The components that record a run, fed by hand as the engine would feed them."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.life = RunLifecycle.of(crawler)
        self.cleaning = CleaningPipeline.from_crawler(crawler)
        self.state = StatePipeline.from_crawler(crawler)
        self.writer = JsonLinesWriterPipeline.from_crawler(crawler)
        self.writer.open_spider()

    def scrape(self, item: Article) -> None:
        """An article through the pipelines, then item_scraped, as the engine does."""
        self.crawler.stats.inc_value("cstocrawl/article/pages")
        send = self.crawler.signals.send_catch_log
        try:
            for pipeline in (self.cleaning, self.state, self.writer):
                item = pipeline.process_item(item)
        except DropItem as dropped:
            send(signals.item_dropped, item=item, response=None, exception=dropped, spider=None)
        else:
            send(signals.item_scraped, item=item, response=None, spider=None)

    def close(self, reason: str = "finished", listing_pages: int = 1) -> dict[str, Any]:
        """The engine's close: pipelines first, then spider_closed; the manifest written."""
        stats = self.crawler.stats
        stats.set_value("cstocrawl/listing/pages", listing_pages)
        stats.set_value("cstocrawl/listing/entries", 2 * listing_pages)
        stats.set_value("finish_reason", reason)
        self.writer.close_spider()
        self.life.spider_closed(reason)
        self.life.engine_stopped()
        path = self.life.run.files.manifest
        return dict(json.loads(path.read_text("utf-8")))


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def test_a_healthy_run_is_promoted_in_order(tmp_path: Path) -> None:
    crawl = Crawl(project_crawler(tmp_path))
    for n in (1, 2):
        crawl.scrape(article(n))
    manifest = crawl.close()

    news = tmp_path / "news"
    assert [record["url"] for record in lines(news / "run1.jsonl")] == [
        f"{SECTION}article-1/",
        f"{SECTION}article-2/",
    ]
    assert not (news / "run1.jsonl.tmp").exists()
    # latest.jsonl: newest publication first, rebuilt from the state after the promotion
    assert [record["url"] for record in lines(news / "latest.jsonl")] == [
        f"{SECTION}article-2/",
        f"{SECTION}article-1/",
    ]
    assert manifest["outcome"] == {"code": 0, "name": "ok", "reason": "ok"}
    assert manifest["state"] == {"outcome": "promoted", "articles": 2}
    assert manifest["counts"]["new"] == 2 and manifest["counts"]["failed"] == 0
    assert manifest["dataset"] == "news/run1.jsonl"
    assert manifest["mode"] == "incremental" and manifest["run_id"] == "run1"
    assert manifest["stats"]["cstocrawl/outcome"]["code"] == 0
    with State(tmp_path / "state.sqlite") as state:
        assert state.article_count() == 2
        run = state.run("run1")
        assert run is not None and run["outcome"] == "promoted"
    assert crawl.life.manifest == manifest


def test_an_unhealthy_run_is_discarded_and_changes_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    crawl = Crawl(project_crawler(tmp_path))
    crawl.scrape(article(1))
    with caplog.at_level(logging.ERROR):
        manifest = crawl.close(listing_pages=0)  # nothing listed: the health check fails

    news = tmp_path / "news"
    assert not (news / "run1.jsonl").exists()
    assert (news / "run1.jsonl.tmp").exists()  # kept for a look, never promoted
    assert not (news / "latest.jsonl").exists()
    assert manifest["outcome"]["code"] == Exit.MARKUP
    assert manifest["outcome"]["reason"] == "health check failed: no listing page was parsed"
    assert manifest["state"] == {"outcome": "discarded", "articles": 0}
    assert manifest["counts"]["new"] == 0 and manifest["counts"]["discarded"] == 1
    assert manifest["dataset"] is None
    assert "Run not promoted (health check failed" in caplog.text
    with State(tmp_path / "state.sqlite") as state:
        assert state.article_count() == 0 and state.pending_count() == 0


def test_a_failed_write_is_never_renamed_into_place(tmp_path: Path) -> None:
    crawl = Crawl(project_crawler(tmp_path))
    crawl.scrape(article(1))
    crawl.writer._failed(OSError(28, "No space left on device"))
    manifest = crawl.close()

    assert manifest["outcome"]["code"] == Exit.OUTPUT
    assert "No space left on device" in manifest["outcome"]["reason"]
    assert not (tmp_path / "news" / "run1.jsonl").exists()
    assert manifest["state"]["outcome"] == "discarded"


def test_a_rename_that_fails_is_a_failed_run_not_a_promoted_one(tmp_path: Path) -> None:
    crawl = Crawl(project_crawler(tmp_path))
    crawl.scrape(article(1))
    (tmp_path / "news" / "run1.jsonl").mkdir()  # the final name is taken by a directory
    manifest = crawl.close()

    assert manifest["outcome"]["code"] == Exit.OUTPUT
    assert manifest["outcome"]["reason"].startswith("the dataset could not be renamed")
    assert manifest["state"] == {"outcome": "discarded", "articles": 0}
    assert not (tmp_path / "news" / "latest.jsonl").exists()


def test_a_discarded_run_that_wrote_nothing_leaves_no_empty_dataset(tmp_path: Path) -> None:
    crawl = Crawl(project_crawler(tmp_path))
    manifest = crawl.close(listing_pages=0)
    assert manifest["outcome"]["code"] == Exit.MARKUP
    assert sorted(path.name for path in (tmp_path / "news").iterdir()) == [
        "run1.manifest.json",
        "run1.report.md",
    ]


def test_a_run_judged_ok_whose_articles_cannot_be_recorded_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    crawl = Crawl(project_crawler(tmp_path))
    crawl.scrape(article(1))

    def locked(*args: Any) -> int:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(crawl.life.state, "promote", locked)
    manifest = crawl.close()
    assert manifest["outcome"] == {
        "code": Exit.FAILED,
        "name": "failed",
        "reason": "the run's articles could not be recorded in the state: database is locked",
    }
    assert manifest["state"]["outcome"] == "discarded"
    assert not (tmp_path / "news" / "latest.jsonl").exists()


def test_a_second_run_knows_what_the_first_promoted(tmp_path: Path) -> None:
    first = Crawl(project_crawler(tmp_path))
    first.scrape(article(1))
    first.close()

    second = Crawl(project_crawler(tmp_path, CSTOCRAWL_RUN_ID="run2"))
    second.scrape(article(1))  # unchanged: dropped by the state, not written again
    second.scrape(article(2))
    manifest = second.close()
    assert [record["url"] for record in lines(tmp_path / "news" / "run2.jsonl")] == [
        f"{SECTION}article-2/"
    ]
    assert manifest["counts"]["new"] == 1 and manifest["counts"]["unchanged"] == 1
    assert manifest["state"] == {"outcome": "promoted", "articles": 2}


def test_a_run_that_never_closed_is_discarded_by_the_next(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    killed = Crawl(project_crawler(tmp_path))
    killed.scrape(article(1))
    killed.life.state.close()  # killed: no spider_closed, no manifest

    with caplog.at_level(logging.WARNING):
        crawl = Crawl(project_crawler(tmp_path, CSTOCRAWL_RUN_ID="run2"))
    assert "Runs run1 never closed" in caplog.text
    crawl.scrape(article(1))  # emitted again: run1 never recorded it
    manifest = crawl.close()
    assert manifest["counts"]["new"] == 1
    with State(tmp_path / "state.sqlite") as state:
        run = state.run("run1")
        assert run is not None and run["outcome"] == "abandoned"


def test_components_that_record_a_run_need_its_extension(tmp_path: Path) -> None:
    from scrapy.exceptions import NotConfigured
    from scrapy.utils.test import get_crawler

    crawler = get_crawler(settings_dict={"CSTOCRAWL_OUTPUT_DIR": str(tmp_path)})
    with pytest.raises(NotConfigured, match="RunLifecycle is not in EXTENSIONS"):
        JsonLinesWriterPipeline.from_crawler(crawler)


def test_a_latest_jsonl_that_cannot_be_rebuilt_exits_73_and_the_next_run_rebuilds_it_first(
    tmp_path: Path,
) -> None:
    """Issue 18: the state promoted, `latest.jsonl` not rebuilt (a full disk at that moment)."""
    first = Crawl(project_crawler(tmp_path))
    first.scrape(article(1))
    first.close()
    news = tmp_path / "news"
    (news / "latest.jsonl.tmp").mkdir()  # the rebuild's write fails, as on a full disk

    second = Crawl(project_crawler(tmp_path, CSTOCRAWL_RUN_ID="run2"))
    second.scrape(article(2))
    manifest = second.close()
    assert manifest["outcome"] == {
        "code": Exit.OUTPUT,
        "name": "output",
        "reason": f"{news / 'latest.jsonl'} could not be rebuilt (the next run rebuilds it "
        f"first): [Errno 21] Is a directory: '{news / 'latest.jsonl.tmp'}'",
    }
    assert manifest["state"] == {"outcome": "promoted", "articles": 2}  # recorded, and says so
    assert [record["url"] for record in lines(news / "latest.jsonl")] == [f"{SECTION}article-1/"]
    with State(tmp_path / "state.sqlite") as state:
        assert state.latest_stale() == ["run2"]

    (news / "latest.jsonl.tmp").rmdir()
    third = Crawl(project_crawler(tmp_path, CSTOCRAWL_RUN_ID="run3"))
    # Repaired as the run begins, before anything is fetched; it holds even if the run fails.
    assert [record["url"] for record in lines(news / "latest.jsonl")] == [
        f"{SECTION}article-2/",
        f"{SECTION}article-1/",
    ]
    manifest = third.close(listing_pages=0)
    assert manifest["outcome"]["code"] == Exit.MARKUP
    assert manifest["stats"]["cstocrawl/latest/repaired"] == ["run2"]
    assert len(lines(news / "latest.jsonl")) == 2
    with State(tmp_path / "state.sqlite") as state:
        assert state.latest_stale() == []


def test_a_missing_latest_jsonl_is_rebuilt_as_the_next_run_begins(tmp_path: Path) -> None:
    first = Crawl(project_crawler(tmp_path))
    first.scrape(article(1))
    first.close()
    (tmp_path / "news" / "latest.jsonl").unlink()
    Crawl(project_crawler(tmp_path, CSTOCRAWL_RUN_ID="run2")).close(listing_pages=0)
    assert [r["url"] for r in lines(tmp_path / "news" / "latest.jsonl")] == [f"{SECTION}article-1/"]


def test_a_manifest_that_cannot_be_written_is_exit_73_not_a_crash(tmp_path: Path) -> None:
    crawl = Crawl(project_crawler(tmp_path))
    crawl.scrape(article(1))
    (tmp_path / "news" / "run1.manifest.json.tmp").mkdir()  # the write fails
    crawl.writer.close_spider()
    for name, value in {"listing/pages": 1, "listing/entries": 2}.items():
        crawl.crawler.stats.set_value(f"cstocrawl/{name}", value)
    crawl.crawler.stats.set_value("finish_reason", "finished")
    crawl.life.spider_closed("finished")
    crawl.life.engine_stopped()
    manifest = crawl.life.manifest  # what `scrapy crawl` exits with
    assert manifest is not None and manifest["outcome"]["code"] == Exit.OUTPUT
    assert manifest["outcome"]["reason"].startswith("the manifest could not be written: ")
    assert not (tmp_path / "news" / "run1.manifest.json").exists()
    assert len(lines(tmp_path / "news" / "latest.jsonl")) == 1  # the run itself was recorded


def test_the_report_is_written_beside_the_manifest_with_what_the_run_did(tmp_path: Path) -> None:
    first = Crawl(project_crawler(tmp_path))
    first.scrape(article(1))
    first.close()

    second = Crawl(project_crawler(tmp_path, CSTOCRAWL_RUN_ID="run2"))
    edited = article(1)
    edited.title = "Article 1, edited"
    second.scrape(edited)
    second.scrape(article(2))
    second.state.page_failed(f"{SECTION}?PAGEN_1=2", "listing", "HTTP 500", None)
    second.close()
    report = (tmp_path / "news" / "run2.report.md").read_text("utf-8")
    assert report.startswith("# Run run2: ok\n\n`cstocrawl run2: ok; 1 new, 1 changed, ")
    assert (
        "## New articles (1)\n\n"
        f"- 2025-12-02 [Article 2 on collective security]({SECTION}article-2/) (news_odkb)\n\n"
        "## Changed articles (1)\n\n"
        f"- 2025-12-01 [Article 1, edited]({SECTION}article-1/) (news_odkb)\n\n"
        "## Failed pages (1)\n\n"
        f"- listing <{SECTION}?PAGEN_1=2>: HTTP 500\n\n"
    ) in report
