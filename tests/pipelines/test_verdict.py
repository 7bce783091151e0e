"""The verdict pipeline in process, with the project's settings and a real state file: what it
holds, what it lets through, and what it lists and counts for the run's judgement (issue 18).
Before issue 18 every held article here was written, replacing its stored version."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from itemadapter import ItemAdapter
from scrapy import signals

from cstocrawl.exceptions import HeldArticle
from cstocrawl.items import Article, Attachment
from cstocrawl.pipelines.cleaning import content_sha256
from cstocrawl.pipelines.verdict import VerdictPipeline
from cstocrawl.runs.extension import RunLifecycle
from cstocrawl.signals import page_failed
from cstocrawl.store.state import State
from tests.crawling import project_crawler

URL = "https://en.odkb-csto.org/news/news_odkb/summit/"
OTHER = "https://en.odkb-csto.org/news/news_odkb/other/"
FILE = "https://en.odkb-csto.org/upload/iblock/1/annex.pdf"
TEXT = (
    "The leaders of the CSTO member states met in Minsk and adopted a declaration.\n\n"
    "They also discussed the situation on the Tajik-Afghan border and approved a programme."
)


def article(**fields: object) -> Article:
    item = Article(
        url=URL,
        lang="en",
        section="news_odkb",
        title="The CSTO summit",
        published="2025-12-01",
        text=TEXT,
        summary="The leaders met.",
        crawled_at="2025-12-02T06:00:00Z",
    )
    item = replace(item, **fields)  # type: ignore[arg-type]
    item.content_sha256 = content_sha256(ItemAdapter(item))
    return item


def known(output_dir: Path, *items: Article) -> None:
    """A state that holds `items`, as a promoted run leaves it."""
    with State(output_dir / "state.sqlite") as state:
        state.begin_run("run0", "2025-12-01T00:00:00Z", "full")
        for item in items:
            state.record("run0", dict(item.__dict__), "new")
        state.promote("run0")


def verdicts(output_dir: Path) -> tuple[VerdictPipeline, RunLifecycle]:
    crawler = project_crawler(output_dir)
    return VerdictPipeline.from_crawler(crawler), RunLifecycle.of(crawler)


def retry_errors(life: RunLifecycle) -> dict[str, str | None]:
    """The retry list as the run leaves it (discarded or not, its failures join it)."""
    life.state.settle_failures(life.run.id)
    return {retry.url: retry.error for retry in life.state.retries()}


def test_an_article_with_no_doubt_is_accepted(tmp_path: Path) -> None:
    known(tmp_path, article())
    pipe, life = verdicts(tmp_path)
    edited = article(text=TEXT + "\n\nA third paragraph.")
    assert pipe.process_item(edited) is edited
    assert edited.problems == []
    assert life.stats.get_value("cstocrawl/verdict/accepted") == 1
    assert life.stats.get_value("cstocrawl/verdict/held_articles") == []


def test_a_body_shrunk_to_a_line_is_held_and_retried(tmp_path: Path) -> None:
    known(tmp_path, article())
    pipe, life = verdicts(tmp_path)
    with pytest.raises(HeldArticle):
        pipe.process_item(article(text="Updated."))
    reason = f"body_shrank: {len(TEXT)} to 8 characters"
    assert life.stats.get_value("cstocrawl/verdict/held") == 1
    assert life.stats.get_value("cstocrawl/problems/body_shrank") == 1
    assert life.stats.get_value("cstocrawl/verdict/held_articles") == [
        {"url": URL, "title": "The CSTO summit", "reason": reason}
    ]
    assert retry_errors(life) == {URL: f"held: {reason}"}


def test_a_database_error_under_the_real_title_and_date_is_held(tmp_path: Path) -> None:
    """The issue's case: the page kept its title and date, its body is the CMS's error."""
    known(tmp_path, article())
    pipe, life = verdicts(tmp_path)
    error = "MySQL Query Error: SELECT * FROM b_iblock_element [Too many connections]"
    item = article(text=error)
    with pytest.raises(HeldArticle):
        pipe.process_item(item)
    assert item.problems[0] == "body_looks_like_error_page: MySQL Query Error"
    assert retry_errors(life) == {URL: "held: body_looks_like_error_page: MySQL Query Error"}


def test_a_new_article_with_a_holding_problem_is_held(tmp_path: Path) -> None:
    pipe, life = verdicts(tmp_path)
    with pytest.raises(HeldArticle):
        pipe.process_item(article(published=None, problems=["missing_date"]))
    assert life.stats.get_value("cstocrawl/verdict/held_articles") == [
        {"url": URL, "title": "The CSTO summit", "reason": "missing_date"}
    ]
    assert life.stats.get_value("cstocrawl/verdict/again") is None


def test_a_version_that_lost_its_fields_is_failed_not_held(tmp_path: Path) -> None:
    """The state pipeline drops it as a failed fetch (its own test); here it is listed."""
    known(tmp_path, article())
    pipe, life = verdicts(tmp_path)
    lost = article(title=None, text="", problems=["missing_title", "missing_body"])
    assert pipe.process_item(lost) is lost
    assert life.stats.get_value("cstocrawl/verdict/failed") == 1
    assert life.stats.get_value("cstocrawl/verdict/things_failed") == 1
    assert life.stats.get_value("cstocrawl/verdict/failed_articles") == [
        {"url": URL, "title": None, "reason": "lost its title, body"}
    ]


def test_what_failed_before_is_listed_again_but_counted_apart(tmp_path: Path) -> None:
    with State(tmp_path / "state.sqlite") as state:
        state.begin_run("run0", "2025-12-01T00:00:00Z", "incremental")
        state.record_outcome("run0", OTHER, "article", ok=False, seen_at="T", error="HTTP 500")
        state.settle_failures("run0")
    pipe, life = verdicts(tmp_path)
    send = life.crawler.signals.send_catch_log
    send(page_failed, url=OTHER, kind="article", reason="HTTP 500", summary=None)
    send(page_failed, url=URL, kind="article", reason="HTTP 404", summary=None)
    assert life.stats.get_value("cstocrawl/verdict/failed") == 2
    assert life.stats.get_value("cstocrawl/verdict/again") == 1
    assert life.stats.get_value("cstocrawl/verdict/things_failed") == 1
    assert life.stats.get_value("cstocrawl/verdict/things_failed_again") == 1
    assert [entry["url"] for entry in life.stats.get_value(
        "cstocrawl/verdict/failed_articles"
    )] == [OTHER, URL]
    assert pipe is not None


def test_a_failed_attachment_counts_once(tmp_path: Path) -> None:
    _, life = verdicts(tmp_path)
    failed = Attachment(FILE, "annex.pdf", status="failed", error="HTTP 500")
    stored = Attachment(FILE + "x", "b.pdf", path="files/b.pdf", status="stored")
    item = article(attachments=[failed, stored])
    life.crawler.signals.send_catch_log(signals.item_scraped, item=item)
    # Another article linking the same file: one failed thing, not two.
    other = article(url=OTHER, attachments=[replace(failed)])
    life.crawler.signals.send_catch_log(signals.item_scraped, item=other)
    assert life.stats.get_value("cstocrawl/verdict/attachments") == 3
    assert life.stats.get_value("cstocrawl/verdict/things_failed") == 1
    assert life.stats.get_value("cstocrawl/verdict/failed") is None  # the article was written
