"""The state store on a real SQLite file: pending rows become known only when promoted."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from cstocrawl.store.state import (
    SCHEMA_VERSION,
    Known,
    Retry,
    State,
    StateError,
    kind_of,
    lost_fields,
    state_path,
)

A = "https://en.odkb-csto.org/news/news_odkb/a/"
B = "https://en.odkb-csto.org/news/news_odkb/b/"
FILE = "https://en.odkb-csto.org/upload/iblock/1/annex.pdf"


def article(
    url: str, sha: str, published: str | None = "2025-11-24", crawled_at: str = "T1", **more: Any
) -> dict[str, Any]:
    return {
        "url": url,
        "content_sha256": sha,
        "published": published,
        "crawled_at": crawled_at,
        "attachments": [],
        **more,
    }


def row(path: Path, url: str) -> tuple[str, str, str, str, str]:
    """first_seen, last_seen, last_changed, content_sha256, item of an article, read directly."""
    with sqlite3.connect(path) as db:
        found: tuple[str, str, str, str, str] = db.execute(
            "SELECT first_seen, last_seen, last_changed, content_sha256, item FROM articles"
            " WHERE url = ?",
            (url,),
        ).fetchone()
    return found


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return state_path(tmp_path)


def test_a_new_file_has_the_schema_version_and_uses_wal(path: Path) -> None:
    with State(path) as state:
        assert state.schema_version == SCHEMA_VERSION == 4
        assert state.known_articles() == {}
        assert state.retries() == []
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert db.execute("PRAGMA user_version").fetchone() == (4,)


def test_a_newer_schema_is_refused(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StateError, match="newer"):
        State(path)


def test_articles_become_known_only_when_the_run_is_promoted(path: Path) -> None:
    with State(path) as state:
        assert state.begin_run("r1", "2025-12-01T06:00:00Z", "incremental") == []
        state.record("r1", article(A, "a1"), "new")
        assert state.known_articles().get(A) is None
        assert state.promote("r1") == 1
        assert state.known_articles().get(A) == Known(
            "a1",
            date(2025, 11, 24),
            first_seen=None,  # crawled_at "T1" is no date
            has_title=False,
            has_body=False,
            first_seen_at="T1",
            last_changed_at="T1",
        )
        assert state.pending_count() == 0
        assert state.finish_run("r1", "2025-12-01T06:05:00Z", "finished", {"new": 1}) == "promoted"
        run = state.run("r1")
    assert run is not None
    assert (run["outcome"], run["finish_reason"], run["counts"]) == ("promoted", "finished", {"new": 1})
    assert row(path, A)[:4] == ("T1", "T1", "T1", "a1")


def test_changed_and_unchanged_articles_update_their_dates(path: Path) -> None:
    with State(path) as state:
        state.begin_run("r1", "S1", "incremental")
        state.record("r1", article(A, "a1"), "new")
        state.record("r1", article(B, "b1", summary="first"), "new")
        state.promote("r1")
        state.begin_run("r2", "S2", "incremental")
        state.record("r2", article(A, "a2", crawled_at="T2"), "changed")
        state.record("r2", article(B, "b1", crawled_at="T2", summary="second"), "unchanged",
                     written=False)
        state.promote("r2")
    assert row(path, A)[:4] == ("T1", "T2", "T2", "a2")
    first_seen, last_seen, last_changed, sha, item = row(path, B)
    assert (first_seen, last_seen, last_changed, sha) == ("T1", "T2", "T1", "b1")
    assert json.loads(item)["summary"] == "first"  # an unwritten fetch keeps the written version


def test_attachments_with_a_stored_file_are_recorded(path: Path) -> None:
    stored = {"url": FILE, "name": "annex.pdf", "sha256": "f" * 64, "path": "files/x.pdf"}
    failed = {"url": FILE + "2", "name": "bad.pdf", "sha256": None, "path": None}
    with State(path) as state:
        state.begin_run("r1", "S1", "full")
        state.record("r1", article(A, "a1", attachments=[stored, failed]), "new")
        state.promote("r1")
        assert state.attachment(FILE) == ("f" * 64, "files/x.pdf")
        assert state.attachment(FILE + "2") is None


def test_what_a_dead_run_left_pending_is_discarded_by_the_next(path: Path) -> None:
    with State(path) as state:
        state.begin_run("killed", "S1", "incremental")
        state.record("killed", article(A, "a1"), "new")
    with State(path) as state:  # a new process: the killed run never promoted nor finished
        assert state.begin_run("next", "S2", "incremental") == ["killed"]
        assert state.pending_count() == 0
        assert state.known_articles().get(A) is None
        assert (state.run("killed") or {}).get("outcome") == "abandoned"


def test_a_run_closed_uncleanly_is_discarded(path: Path) -> None:
    with State(path) as state:
        state.begin_run("r1", "S1", "incremental")
        state.record("r1", article(A, "a1"), "new")
        assert state.finish_run("r1", "E1", "shutdown", {"new": 1}) == "discarded"
        assert state.pending_count() == 0
        assert state.known_articles().get(A) is None


def test_promotion_is_one_transaction(path: Path) -> None:
    broken = {"sha256": "f" * 64, "path": "files/x.pdf"}  # no url: recording it fails
    with State(path) as state:
        state.begin_run("r1", "S1", "incremental")
        state.record("r1", article(A, "a1"), "new")
        state.record("r1", article(B, "b1", attachments=[broken]), "new")
        state.flush()  # as the pipeline does when the spider closes
        with pytest.raises(KeyError):
            state.promote("r1")
        assert state.known_articles() == {}
        assert state.pending_count() == 2
        assert (state.run("r1") or {}).get("outcome") == "running"


def test_a_run_id_is_used_once(path: Path) -> None:
    with State(path) as state:
        state.begin_run("r1", "S1", "incremental")
        with pytest.raises(StateError, match="already used"):
            state.begin_run("r1", "S2", "incremental")


def test_latest_items_are_newest_first_with_undated_last(path: Path) -> None:
    with State(path) as state:
        state.begin_run("r1", "S1", "full")
        state.record("r1", article(A, "a1", published=None), "new")
        state.record("r1", article(B, "b1", published="2020-01-01"), "new")
        state.record("r1", article(A + "x/", "c1", published="2021-01-01"), "new")
        state.promote("r1")
        urls = [json.loads(item)["url"] for item in state.latest_items()]
        assert state.article_count() == 3
    assert urls == [A + "x/", B, A]


def test_kind_of() -> None:
    assert kind_of(None, "a1") == "new"
    assert kind_of(Known("a1", None), "a1") == "unchanged"
    assert kind_of(Known("a1", None), "a2") == "changed"


def test_known_articles_say_what_the_stored_version_has(path: Path) -> None:
    full = article(A, "a1", crawled_at="2025-11-30T06:00:00Z", title="T", text="Body.")
    attached = article(B, "b1", published=None, title=None, text="",
                       attachments=[{"url": FILE, "name": "annex.pdf"}])
    with State(path) as state:
        state.begin_run("r1", "S1", "full")
        state.record("r1", full, "new")
        state.record("r1", attached, "new")
        state.promote("r1")
        known = state.known_articles()
    # The stored text's length ("Body.") is what a new version that shrank is held against.
    stamps = {"first_seen_at": "2025-11-30T06:00:00Z", "last_changed_at": "2025-11-30T06:00:00Z"}
    assert known[A] == Known(
        "a1", date(2025, 11, 24), date(2025, 11, 30), True, True, 5, "T", **stamps
    )
    assert known[B] == Known(
        "b1", None, None, has_title=False, has_body=True, first_seen_at="T1", last_changed_at="T1"
    )


def test_a_version_that_lost_its_title_date_or_body_is_not_a_change() -> None:
    stored = Known("a1", date(2025, 11, 24), has_title=True, has_body=True)
    blank: dict[str, Any] = {"title": None, "published": None, "text": "", "attachments": []}
    assert lost_fields(stored, blank) == ["title", "date", "body"]
    assert lost_fields(stored, {**blank, "title": "T", "text": "x"}) == ["date"]
    assert lost_fields(stored, {**blank, "title": "T", "published": "2025-11-24",
                                "attachments": [{"url": FILE}]}) == []
    # What the stored version never had cannot be lost; a new article loses nothing.
    assert lost_fields(Known("a1", None, has_title=False, has_body=False), blank) == []
    assert lost_fields(None, blank) == []


LISTING = "https://en.odkb-csto.org/news/?PAGEN_1=7"


def test_a_version_1_state_gains_the_retry_list(path: Path) -> None:
    with State(path) as state:
        state.begin_run("r1", "S1", "full")
        state.record("r1", article(A, "a1"), "new")
        state.promote("r1")
    with sqlite3.connect(path) as db:  # as version 1 left it
        db.execute("DROP TABLE retries")
        db.execute("DROP TABLE pending_outcomes")
        db.execute("DROP TABLE aliases")
        db.execute("DROP TABLE pending_aliases")
        db.execute("ALTER TABLE runs DROP COLUMN latest_at")
        db.execute("PRAGMA user_version = 1")
    with State(path) as state:
        assert state.schema_version == SCHEMA_VERSION
        assert list(state.known_articles()) == [A]
        assert state.retries() == []


def test_a_version_3_state_knows_which_promoted_runs_latest_jsonl_may_lack(path: Path) -> None:
    with State(path) as state:
        for run_id in ("r1", "r2"):
            state.begin_run(run_id, f"S{run_id}", "full")
            state.record(run_id, article(A, run_id), "new")
            state.promote(run_id)
        state.finish_run("r1", "E1", "finished", {})  # r2 was killed after its promotion
    with sqlite3.connect(path) as db:  # as version 3 left it
        db.execute("ALTER TABLE runs DROP COLUMN latest_at")
        db.execute("PRAGMA user_version = 3")
    db.close()
    with State(path) as state:
        assert state.schema_version == SCHEMA_VERSION
        assert state.latest_stale() == ["r2"]
        state.latest_rebuilt("L")
        assert state.latest_stale() == []


def fail(state: State, run_id: str, url: str, kind: str = "article", **more: Any) -> None:
    state.record_outcome(run_id, url, kind, ok=False, seen_at=f"{run_id}T", **more)  # type: ignore[arg-type]


def test_failures_join_the_retry_list_when_the_run_is_promoted(path: Path) -> None:
    with State(path) as state:
        state.begin_run("r1", "S1", "incremental")
        fail(state, "r1", A, summary="teaser", error="HTTP 500")
        fail(state, "r1", LISTING, "listing", error="HTTP 503")
        assert state.retries() == []  # pending until the promotion
        state.promote("r1")
        assert state.retries() == [
            Retry(A, "article", None, "teaser", 1, "HTTP 500"),
            Retry(LISTING, "listing", None, None, 1, "HTTP 503"),
        ]
        # A run that is not promoted settles nothing.
        state.begin_run("r2", "S2", "incremental")
        fail(state, "r2", A, error="HTTP 500")
        state.finish_run("r2", "E2", "shutdown", {})
        assert [r.attempts for r in state.retries()] == [1, 1]


def test_a_success_removes_a_retry_and_a_success_in_the_same_run_outweighs_a_failure(
    path: Path,
) -> None:
    with State(path) as state:
        state.begin_run("r1", "S1", "incremental")
        fail(state, "r1", A)
        fail(state, "r1", B)
        fail(state, "r1", LISTING, "listing")
        state.promote("r1")
        state.begin_run("r2", "S2", "incremental")
        state.record("r2", article(A, "a1"), "new")  # fetched and written
        fail(state, "r2", B)
        state.record_outcome("r2", B, "article", ok=True, seen_at="T")  # ... then fetched
        state.record_outcome("r2", LISTING, "listing", ok=True, seen_at="T")
        state.promote("r2")
        assert state.retries() == []


def test_a_retry_is_given_up_after_the_limit_and_reported_once(path: Path) -> None:
    with State(path) as state:
        for run in ("r1", "r2", "r3", "r4"):
            state.begin_run(run, "S", "incremental")
            fail(state, run, A, error="HTTP 404")
            state.promote(run, max_attempts=3)
            reported = [(r.url, r.attempts) for r in state.given_up_now]
            assert reported == ([(A, 3)] if run == "r3" else [])
        assert state.retries() == []
        assert state.retries(given_up=True) == [
            Retry(A, "article", None, None, 4, "HTTP 404", given_up=True)
        ]


def test_failed_attachment_downloads_are_retried_stored_files_are_not(path: Path) -> None:
    failed = {"url": FILE, "name": "annex.pdf", "status": "failed", "path": None,
              "sha256": None, "error": "HTTP 503"}
    unreadable = {"url": FILE + "2", "name": "bomb.docx", "status": "failed",
                  "path": "files/b.docx", "sha256": "b" * 64, "error": "zip bomb: ..."}
    with State(path) as state:
        state.begin_run("r1", "S1", "full")
        state.record("r1", article(A, "a1", summary="teaser", attachments=[failed, unreadable]),
                     "new")
        state.promote("r1")
        assert state.retries() == [Retry(FILE, "attachment", A, "teaser", 1, "HTTP 503")]
        stored = {**failed, "status": "stored", "path": "files/x.pdf", "sha256": "f" * 64,
                  "error": None}
        state.begin_run("r2", "S2", "incremental")
        state.record("r2", article(A, "a1", attachments=[stored, unreadable]), "unchanged")
        state.promote("r2")
        assert state.retries() == []
        assert state.attachment(FILE) == ("f" * 64, "files/x.pdf")


def test_a_shared_attachment_that_failed_is_retried_for_every_article_that_links_it(
    path: Path,
) -> None:
    """Issue 18: one file, two articles; the retry list's key is the file's URL, so only one
    article was fetched again and the other kept `status: failed` for good."""
    failed = {"url": FILE, "name": "annex.pdf", "status": "failed", "path": None,
              "sha256": None, "error": "HTTP 503"}
    stored = {**failed, "status": "downloaded", "path": "files/x.pdf", "sha256": "f" * 64,
              "error": None}
    with State(path) as state:
        state.begin_run("r1", "S1", "full")
        state.record("r1", article(A, "a1", summary="ta", attachments=[failed]), "new")
        state.record("r1", article(B, "b1", summary="tb", attachments=[failed]), "new")
        state.promote("r1")
        assert state.retries() == [
            Retry(FILE, "attachment", A, "ta", 1, "HTTP 503"),
            Retry(FILE, "attachment", B, "tb", 1, "HTTP 503"),
        ]
        # r2 fetched A only (a state left so by older code): B is still to fetch.
        state.begin_run("r2", "S2", "incremental")
        state.record("r2", article(A, "a1", attachments=[stored]), "unchanged")
        state.promote("r2")
        assert state.retries() == [
            Retry(FILE, "attachment", B, "tb", 0, "stored since, through another article")
        ]
        state.begin_run("r3", "S3", "incremental")
        state.record("r3", article(B, "b1", attachments=[stored]), "unchanged")
        state.promote("r3")
        assert state.retries() == []


def test_a_run_that_is_not_promoted_still_puts_what_it_lost_on_the_retry_list(
    path: Path,
) -> None:
    with State(path) as state:
        state.begin_run("r1", "S1", "incremental")
        fail(state, "r1", A, error="HTTP 500")
        state.promote("r1", max_attempts=2)
        state.begin_run("r2", "S2", "incremental")  # judged failed (errors): not promoted
        state.record("r2", article(B, "b1"), "new")
        state.record_outcome("r2", A, "article", ok=True, seen_at="T")  # fetched, not recorded
        fail(state, "r2", LISTING, "listing", error="HTTP 500")
        assert state.settle_failures("r2", max_attempts=2) == []
        assert state.finish_run("r2", "E2", "finished", {}) == "discarded"
        assert state.known_articles() == {}
        assert state.retries() == [
            Retry(A, "article", None, None, 1, "HTTP 500"),
            Retry(LISTING, "listing", None, None, 1, "HTTP 500"),
        ]
        state.begin_run("r3", "S3", "incremental")
        fail(state, "r3", LISTING, "listing", error="HTTP 500")
        [given_up] = state.settle_failures("r3", max_attempts=2)
        assert (given_up.url, given_up.attempts) == (LISTING, 2)


A2 = "https://en.odkb-csto.org/news/news_odkb/A/"  # another spelling of A


def test_aliases_become_known_with_the_run_and_latest_items_list_them(path: Path) -> None:
    with State(path) as state:
        state.begin_run("r1", "S1", "incremental")
        state.record("r1", article(A, "a1", aliases=[A + "copy/"]), "new")  # declared by its page
        state.record_alias("r1", A2, A, "T1")  # merged by content
        state.record_alias("r1", A, A, "T1")  # never an alias of itself
        assert state.aliases() == {}  # pending until the promotion
        state.promote("r1")
        assert state.aliases() == {A + "copy/": A, A2: A}
        state.begin_run("r2", "S2", "incremental")
        fail(state, "r2", A2)  # lost once: retried by the next run
        state.promote("r2")
        assert [retry.url for retry in state.retries()] == [A2]
        state.begin_run("r3", "S3", "incremental")
        state.record("r3", article(A, "a2", crawled_at="T2"), "changed")  # shows no alias
        state.record_alias("r3", A2, A, "T2")  # met again (fetched): listed once, off the list
        state.promote("r3")
        assert state.retries() == []
        assert state.pending_count() == 0
        [item] = [json.loads(line) for line in state.latest_items()]
    assert (item["url"], item["content_sha256"]) == (A, "a2")
    assert item["aliases"] == sorted([A + "copy/", A2])


def test_a_run_that_is_not_promoted_records_no_alias(path: Path) -> None:
    with State(path) as state:
        state.begin_run("r1", "S1", "incremental")
        state.record("r1", article(A, "a1"), "new")
        state.promote("r1")
        state.begin_run("failed", "S2", "incremental")
        state.record_alias("failed", A2, A, "T2")
        state.record("failed", article(B, "b1", aliases=[B + "copy/"]), "new")
        assert state.finish_run("failed", "E2", "finished", {}) == "discarded"
        state.begin_run("killed", "S3", "incremental")
        state.record_alias("killed", A2, A, "T3")
    with State(path) as state:
        state.begin_run("next", "S4", "incremental")  # discards what the killed run left
        state.promote("next")
        assert state.aliases() == {}
        assert [json.loads(line)["aliases"] for line in state.latest_items()] == [[]]


def test_an_article_url_never_becomes_an_alias(path: Path) -> None:
    with State(path) as state:
        state.begin_run("r1", "S1", "full")
        state.record("r1", article(A, "a1"), "new")
        state.record("r1", article(B, "b1"), "new")
        state.record_alias("r1", B, A, "T1")
        state.promote("r1")
        assert state.aliases() == {}


def test_the_content_index_holds_articles_with_a_title_and_a_body(path: Path) -> None:
    good = article(A, "a1", section="news_odkb", title="T", text="Body.")
    empty = article(B, "b1", section="news_odkb", title=None, text="")
    with State(path) as state:
        state.begin_run("r1", "S1", "full")
        state.record("r1", good, "new")
        state.record("r1", empty, "new")
        state.promote("r1")
        assert state.content_index() == {("news_odkb", "a1"): A}


def test_a_version_2_state_gains_the_alias_table(path: Path) -> None:
    with State(path) as state:
        state.begin_run("r1", "S1", "full")
        state.record("r1", article(A, "a1"), "new")  # a version 2 item: no aliases field
        state.promote("r1")
    with sqlite3.connect(path) as db:  # as version 2 left it
        db.execute("DROP TABLE aliases")
        db.execute("DROP TABLE pending_aliases")
        db.execute("ALTER TABLE runs DROP COLUMN latest_at")
        db.execute("PRAGMA user_version = 2")
    with State(path) as state:
        assert state.schema_version == SCHEMA_VERSION
        assert list(state.known_articles()) == [A]
        assert state.aliases() == {}
        assert [json.loads(line)["aliases"] for line in state.latest_items()] == [[]]
        state.begin_run("r2", "S2", "incremental")
        state.record_alias("r2", A2, A, "T2")
        state.promote("r2")
        assert state.aliases() == {A2: A}
