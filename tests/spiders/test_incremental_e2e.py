"""Daily runs: only what is new or changed, latest.jsonl always one line per article (whole runs
with the real engine in process); nothing lost when the real cron runner's crawl is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from cstocrawl.store.state import State, state_path
from tests.crawling import (
    DAY,
    RECHECK_DAYS,
    REPO,
    TODAY,
    by_url,
    comparable,
    crawl_in_process,
    cron_command,
    hold,
    read_dataset,
    read_latest,
    read_manifest,
    run_cron,
    run_stats,
    upload_hits,
)
from tests.replica import Fault, ReplicaSite, serve
from tests.replica.content import LISTINGS, NEWS_SECTIONS
from tests.replica.further import FURTHER_ARTICLES

ROBOTS_TXT = 1
# Pages read only for their links to listings the table lacks (issue 22): the home page's two
# tabs, /documents/ and /authorized_organs/, and the static body page found there.
DISCOVERY_PAGES = 5


def settings(run_id: str) -> dict[str, str]:
    return {**DAY, "CSTOCRAWL_RUN_ID": run_id}


def in_window(site: ReplicaSite) -> list[str]:
    """URLs of the replica's articles published inside the re-check window of TODAY."""
    since = TODAY - timedelta(days=RECHECK_DAYS)
    return [article.url for article in site.articles if article.published >= since]


def expected_by_url(site: ReplicaSite) -> dict[str, dict[str, Any]]:
    return {article["url"]: article for article in site.expected_articles()}


def assert_equal_to_truth(records: list[dict[str, Any]], truth: dict[str, dict[str, Any]]) -> None:
    produced = by_url(records)
    assert sorted(produced) == sorted(truth)
    for url, record in produced.items():
        assert comparable(record) == truth[url], url


def test_daily_runs_emit_only_new_and_changed_articles(tmp_path: Path) -> None:
    site = ReplicaSite(lang="en", variant="custom")
    truth_day1 = expected_by_url(site)
    window = in_window(site)
    assert len(window) == 2  # the test's premise: two known articles get re-checked
    with serve(site) as base_url:
        day1 = crawl_in_process(base_url, tmp_path, run_id="day1", settings=DAY)
        uploads_after_day1 = upload_hits(site)
        day2 = crawl_in_process(base_url, tmp_path, run_id="day2", settings=DAY)
        uploads_after_day2 = upload_hits(site)
        added = site.add_articles("news_odkb", 3)
        edited = window[1]
        site.edit_article(edited, "A corrected first paragraph.\n\nAnd a second one.")
        day3 = crawl_in_process(base_url, tmp_path, run_id="day3", settings=DAY)

    # Day 1: the whole site, as the ground truth.
    assert day1.returncode == 0, day1.log
    assert day1.line.startswith("cstocrawl day1: ok; 67 new, 0 changed, 0 unchanged")
    first = read_manifest(tmp_path, "day1")
    assert first["counts"] == {
        "new": 67,
        "changed": 0,
        "unchanged": 0,
        "held": 0,
        "failed": 0,
        "attachments": 13,
        "attachments_downloaded": 12,
        "attachments_failed": 0,
        "cancelled": 0,
    }
    assert first["finish_reason"] == "finished"
    assert first["state"] == {"outcome": "promoted", "articles": 48 + FURTHER_ARTICLES["en"]}
    assert_equal_to_truth(read_dataset(tmp_path, "day1"), truth_day1)

    # Day 2, nothing changed: nothing emitted, no attachment fetched, and only the first page of
    # each of the 12 listings (the news sections', /news/, the further sections' and the body's
    # found on /authorized_organs/), the 5 discovery pages, and the 2 articles of the re-check
    # window requested.
    assert day2.returncode == 0, day2.log
    assert read_dataset(tmp_path, "day2") == []
    second = read_manifest(tmp_path, "day2")
    assert second["counts"] == {
        "new": 0,
        "changed": 0,
        "unchanged": 2,
        "held": 0,
        "failed": 0,
        "attachments": 0,
        "attachments_downloaded": 0,
        "attachments_failed": 0,
        "cancelled": 0,
    }
    daily = ROBOTS_TXT + len(LISTINGS) + DISCOVERY_PAGES
    assert second["stats"]["downloader/request_count"] == daily + 2 == 20
    # 5 entries on each first page of the news listings, the further sections' first pages (3 + 5
    # + 2 + 2 + 2 + 2 + 2), minus the window's 2 (one shown by 2 listings): not asked.
    assert second["stats"]["cstocrawl/incremental/skipped"] == 5 * 5 + 18 - 3
    assert uploads_after_day2 == uploads_after_day1 == 12

    # Day 3: 3 new articles and 1 edit inside the window: exactly those 4 emitted. The listings
    # showing the new articles (/news/ and /news/news_odkb/) are paged once more.
    assert day3.returncode == 0, day3.log
    truth = expected_by_url(site)
    assert_equal_to_truth(read_dataset(tmp_path, "day3"), {u: truth[u] for u in [*added, edited]})
    third = read_manifest(tmp_path, "day3")
    assert third["counts"] == {
        "new": 3,
        "changed": 1,
        "unchanged": 1,
        "held": 0,
        "failed": 0,
        # The edited article's file, stored by day 1: not downloaded again.
        "attachments": 1,
        "attachments_downloaded": 0,
        "attachments_failed": 0,
        "cancelled": 0,
    }
    assert third["stats"]["downloader/request_count"] == daily + 2 + 3 + 2
    assert third["state"] == {"outcome": "promoted", "articles": 51 + FURTHER_ARTICLES["en"]}

    # latest.jsonl: every article once, in its current version (the edit applied).
    latest = read_latest(tmp_path)
    assert_equal_to_truth(latest, truth)
    assert by_url(latest)[edited]["text"] == "A corrected first paragraph.\n\nAnd a second one."
    with State(state_path(tmp_path)) as state:
        assert (state.run("day3") or {}).get("outcome") == "promoted"
        assert state.pending_count() == 0


# Articles the killed run may fetch before the replica holds it: enough for the 10 lines it must
# have written when killed, too few for all 67.
ARTICLES_BEFORE_HOLD = 20


def scrapy_child(runner: subprocess.Popen[str]) -> int:
    children = Path(f"/proc/{runner.pid}/task/{runner.pid}/children").read_text().split()
    assert len(children) == 1, children
    return int(children[0])


def wait_for_lines(path: Path, count: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        if path.exists() and path.read_bytes().count(b"\n") >= count:
            return
        time.sleep(0.01)
    raise AssertionError(f"{path} never reached {count} lines")


def test_a_killed_run_loses_nothing(tmp_path: Path) -> None:
    site = ReplicaSite(lang="en", variant="bitrix")
    truth = expected_by_url(site)
    released = hold(site, after_articles=ARTICLES_BEFORE_HOLD)
    with serve(site) as base_url:
        runner = subprocess.Popen(
            cron_command(base_url, tmp_path, settings=settings("killed")),
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            temporary = tmp_path / "news" / "killed.jsonl.tmp"
            wait_for_lines(temporary, 10, time.monotonic() + 120)
            second = run_cron(base_url, tmp_path, settings=settings("second"))
            os.kill(scrapy_child(runner), signal.SIGKILL)
            _, runner_err = runner.communicate(timeout=60)
        finally:
            released.set()
        written_before_kill = temporary.read_bytes().count(b"\n")  # whole lines
        after = run_cron(base_url, tmp_path, settings=settings("after"))

    # A second runner, started while the first one ran, left at once.
    lock = tmp_path / "cron.lock"
    assert second.returncode == 75
    assert second.stderr == (
        f"cstocrawl.runs.cron: another run (pid {runner.pid}) holds {lock}; not started (exit 75)\n"
    )
    assert not (tmp_path / "logs" / "second.log").exists()

    # The killed run: runner exit 1, no final dataset, no manifest, its lines only in the .tmp.
    assert runner.returncode == 1
    assert "killed: FAILED, the crawl died without a manifest (scrapy exit -9)" in runner_err
    assert not (tmp_path / "news" / "killed.jsonl").exists()
    assert not (tmp_path / "news" / "killed.manifest.json").exists()
    assert 10 <= written_before_kill <= ARTICLES_BEFORE_HOLD

    # The next run emits every article again, the ones the killed run had written included.
    assert after.returncode == 0, after.stderr
    assert_equal_to_truth(read_dataset(tmp_path, "after"), truth)
    assert read_manifest(tmp_path, "after")["counts"]["new"] == 48 + FURTHER_ARTICLES["en"]
    assert_equal_to_truth(read_latest(tmp_path), truth)
    with State(state_path(tmp_path)) as state:
        assert (state.run("killed") or {}).get("outcome") == "abandoned"
        assert (state.run("after") or {}).get("outcome") == "promoted"


MAINTENANCE = (
    b"<!DOCTYPE html><html><head><title>Technical works</title></head>"
    b"<body><p>The site is under maintenance. Please come back later.</p></body></html>"
)


def test_an_error_page_served_with_200_never_replaces_a_good_article(tmp_path: Path) -> None:
    """Issue 13, defect 1: a re-check that lost the title, date and body is a failed fetch."""
    site = ReplicaSite(lang="en", variant="custom")
    truth = expected_by_url(site)
    victim = site.article(in_window(site)[0])
    with serve(site) as base_url:
        day1 = crawl_in_process(base_url, tmp_path, run_id="day1", settings=DAY)
        site.set_fault(
            victim.path, Fault(200, MAINTENANCE, content_type="text/html; charset=UTF-8")
        )
        day2 = crawl_in_process(base_url, tmp_path, run_id="day2", settings=DAY)
        site.set_fault(victim.path, None)
        hits_before_day3 = site.hits[victim.path]
        day3 = crawl_in_process(base_url, tmp_path, run_id="day3", settings=DAY)
    # Day 2 may exit non-zero (a failed fetch is an error): what matters is what it recorded.
    for run in (day1, day3):
        assert run.returncode == 0, run.log[-3000:]

    # Day 2: the victim not written, the good version kept, the fetch recorded as failed.
    day2_dataset = tmp_path / "news" / "day2.jsonl"
    assert not day2_dataset.exists() or read_dataset(tmp_path, "day2") == []
    assert_equal_to_truth(read_latest(tmp_path), truth)
    stats = run_stats(tmp_path, "day2")
    assert stats["cstocrawl/failed/article"] == stats["cstocrawl/failed/downgraded"] == 1
    [line] = [line for line in day2.log.splitlines() if "the page lost its" in line]
    assert f"ERROR: Failed article {victim.url}: the page lost its " in line
    assert "date" in line and line.endswith("(stored version kept, fetched again next run)")
    counts = read_manifest(tmp_path, "day2")["counts"]
    assert (counts["changed"], counts["failed"]) == (0, 1)

    # Day 3: still inside the window (the stored date was kept), fetched again, found unchanged.
    assert site.hits[victim.path] == hits_before_day3 + 1
    assert read_dataset(tmp_path, "day3") == []
    assert run_stats(tmp_path, "day3").get("cstocrawl/failed/article") is None
    assert_equal_to_truth(read_latest(tmp_path), truth)


def test_what_a_run_failed_is_retried_by_the_next_runs_then_given_up(tmp_path: Path) -> None:
    """Issue 13, defect 9: failed articles, listing pages and attachment downloads are on the
    state's retry list; the next incremental runs fetch them, a bounded number of times."""
    site = ReplicaSite(lang="en", variant="custom")
    truth = expected_by_url(site)
    news = [a for a in site.articles if a.section in NEWS_SECTIONS]
    statements = [a for a in site.articles if a.section == "statements"]
    lost_for_good, lost_once = news[-1], news[-2]  # the oldest: deep in their listings
    with_attachment = statements[1]  # on the first page of its listing, its file its own
    assert with_attachment.attachment is not None
    attachment_path = with_attachment.attachment.path
    deep_statements = [a.url for a in statements[site.page_size :]]
    site.set_fault(lost_for_good.path, Fault(500))
    site.set_fault(lost_once.path, Fault(500))
    site.set_fault(attachment_path, Fault(503))
    # The statements listing answers its first page, then fails: pages 2 and 3 are never seen.
    site.set_fault("/documents/statements/", Fault(None, times=1, then=Fault(500)))
    runs = {
        **DAY,
        "CSTOCRAWL_RETRY_RUNS": "2",
        "CSTOCRAWL_MAX_DOUBT_SHARE": "1",
        "RETRY_TIMES": "1",
    }
    with serve(site) as base_url:
        day1 = crawl_in_process(base_url, tmp_path, run_id="day1", settings=runs)
        for path in (lost_once.path, attachment_path, "/documents/statements/"):
            site.set_fault(path, None)
        day2 = crawl_in_process(base_url, tmp_path, run_id="day2", settings=runs)
        hits_after_day2 = site.hits[lost_for_good.path]
        day3 = crawl_in_process(base_url, tmp_path, run_id="day3", settings=runs)
    for run_id, run in (("day1", day1), ("day2", day2), ("day3", day3)):
        assert run_stats(tmp_path, run_id)["finish_reason"] == "finished", run.log[-3000:]

    # Day 1 lost them: all on the retry list.
    first = by_url(read_dataset(tmp_path, "day1"))
    assert lost_once.url not in first and lost_for_good.url not in first
    assert not set(deep_statements) & set(first)
    assert first[with_attachment.url]["attachments"][0]["status"] == "failed"

    # Day 2, incremental: nothing of that was in the window or on a first listing page, yet all
    # of it was fetched again, and the article is re-written with its file.
    second = by_url(read_dataset(tmp_path, "day2"))
    assert lost_once.url in second
    assert set(deep_statements) <= set(second)
    assert second[with_attachment.url]["attachments"][0]["status"] == "stored"
    assert run_stats(tmp_path, "day2")["cstocrawl/retry/listed"] == 4
    latest = by_url(read_latest(tmp_path))
    assert_equal_to_truth(
        list(latest.values()), {u: t for u, t in truth.items() if u != lost_for_good.url}
    )
    assert all(a["status"] == "stored" for record in latest.values() for a in record["attachments"])

    # The article that always fails was tried on day 2 too, then given up (2 runs) and reported.
    assert (
        f"WARNING: Gave up on article {lost_for_good.url} after 2 failed runs: HTTP 500" in day2.log
    )
    with State(state_path(tmp_path)) as state:
        assert state.retries() == []
        [given_up] = state.retries(given_up=True)
    assert (given_up.url, given_up.attempts) == (lost_for_good.url, 2)
    assert site.hits[lost_for_good.path] == hits_after_day2  # day 3 left it alone
    assert read_dataset(tmp_path, "day3") == []
