"""What an incremental run requests and when it stops paging, decided from the known articles."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from scrapy.settings import Settings

from cstocrawl.runs.extension import RunLifecycle
from cstocrawl.runs.run import run_date
from cstocrawl.store.incremental import Plan, plan_of
from cstocrawl.store.state import Known, Retry, State, state_path
from tests.crawling import project_crawler

RECENT = "https://en.odkb-csto.org/news/news_odkb/recent/"
OLD = "https://en.odkb-csto.org/news/news_odkb/old/"
UNDATED = "https://en.odkb-csto.org/news/news_odkb/undated/"
UNDATED_RECENT = "https://en.odkb-csto.org/news/news_odkb/undated-recent/"
NEW = "https://en.odkb-csto.org/news/news_odkb/new/"
FILE = "https://en.odkb-csto.org/upload/iblock/1/annex.pdf"
KNOWN = {
    RECENT: Known("r", date(2025, 11, 20)),
    OLD: Known("o", date(2024, 1, 1)),
    UNDATED: Known("u", None, first_seen=date(2024, 1, 1)),
    UNDATED_RECENT: Known("v", None, first_seen=date(2025, 11, 30)),
}
PLAN = Plan(KNOWN, recheck_from=date(2025, 11, 17))


def test_unknown_and_recent_articles_are_fetched_old_ones_are_not() -> None:
    assert PLAN.should_fetch(NEW)
    assert PLAN.should_fetch(RECENT)
    assert not PLAN.should_fetch(OLD)
    # No date: the window counts from the day the crawler first saw it, a date no page can lose.
    assert not PLAN.should_fetch(UNDATED)
    assert PLAN.should_fetch(UNDATED_RECENT)


def test_the_window_starts_on_its_first_day() -> None:
    assert Plan(KNOWN, recheck_from=date(2025, 11, 20)).should_fetch(RECENT)
    assert not Plan(KNOWN, recheck_from=date(2025, 11, 21)).should_fetch(RECENT)


def test_paging_goes_on_while_a_page_shows_something_new_or_only_recent_articles() -> None:
    assert PLAN.keep_paging([OLD, NEW, OLD])
    assert PLAN.keep_paging([RECENT, RECENT])
    assert not PLAN.keep_paging([RECENT, OLD])  # older pages are all outside the window
    assert not PLAN.keep_paging([OLD, UNDATED])
    assert not PLAN.keep_paging([])


def test_a_full_plan_fetches_and_pages_everything() -> None:
    full = Plan(KNOWN, recheck_from=date(2025, 11, 17), full=True)
    assert all(full.should_fetch(url) for url in (NEW, RECENT, OLD, UNDATED, UNDATED_RECENT))
    assert full.keep_paging([OLD, UNDATED])


def test_the_run_date_is_the_setting_or_the_utc_date() -> None:
    assert run_date(Settings({"CSTOCRAWL_TODAY": "2025-12-01"})) == date(2025, 12, 1)
    assert run_date(Settings({"CSTOCRAWL_TODAY": ""})) == datetime.now(UTC).date()


def test_the_plan_is_what_the_state_knew_as_the_run_began(tmp_path: Path) -> None:
    with State(state_path(tmp_path)) as state:
        state.begin_run("r1", "S1", "full")
        item = {"url": OLD, "content_sha256": "o", "published": "2024-01-01", "title": "Old",
                "text": "Body.", "crawled_at": "2024-01-02T06:00:00Z"}
        state.record("r1", {**item, "attachments": []}, "new")
        state.promote("r1")
    crawler = project_crawler(tmp_path, CSTOCRAWL_TODAY="2025-12-01")
    plan = plan_of(RunLifecycle.of(crawler), recheck_days=14)
    stamp = "2024-01-02T06:00:00Z"
    known = Known(
        "o",
        date(2024, 1, 1),
        first_seen=date(2024, 1, 2),
        text_chars=5,
        title="Old",
        first_seen_at=stamp,
        last_changed_at=stamp,
    )
    assert plan == Plan({OLD: known}, recheck_from=date(2025, 11, 17), full=False)


def test_the_retry_list_is_fetched_whatever_the_window() -> None:
    retries = (
        Retry(OLD, "article", None, "teaser", 1, "HTTP 500"),
        Retry(FILE, "attachment", UNDATED, None, 1, "HTTP 503"),
        Retry("https://en.odkb-csto.org/news/?PAGEN_1=9", "listing", None, None, 1, "HTTP 500"),
    )
    plan = Plan(KNOWN, recheck_from=date(2025, 11, 17), retries=retries)
    assert plan.retry_articles == {OLD, UNDATED}
    assert plan.should_fetch(OLD) and plan.should_fetch(UNDATED)
    assert not PLAN.should_fetch(OLD)


def test_a_known_alias_is_planned_as_its_article(tmp_path: Path) -> None:
    old_alias = "https://en.odkb-csto.org/news/news_odkb/Old/"
    recent_alias = "https://en.odkb-csto.org/news/news_odkb/1234/"
    with State(state_path(tmp_path)) as state:
        state.begin_run("r1", "S1", "full")
        item = {"url": OLD, "content_sha256": "o", "published": "2024-01-01", "title": "Old",
                "text": "Body.", "crawled_at": "2024-01-02T06:00:00Z"}
        state.record("r1", {**item, "attachments": []}, "new")
        state.record_alias("r1", old_alias, OLD, "2024-01-02T06:00:00Z")
        state.promote("r1")
    crawler = project_crawler(tmp_path, CSTOCRAWL_TODAY="2025-12-01")
    assert plan_of(RunLifecycle.of(crawler), recheck_days=14).aliases == {old_alias: OLD}
    plan = Plan(KNOWN, date(2025, 11, 17), aliases={old_alias: OLD, recent_alias: RECENT})
    assert not plan.should_fetch(old_alias)  # not a new article: an old known one
    assert plan.should_fetch(recent_alias)  # inside the window, like its article
    assert not plan.keep_paging([old_alias, OLD])  # a page of known articles only
    assert plan.keep_paging([old_alias, NEW])
