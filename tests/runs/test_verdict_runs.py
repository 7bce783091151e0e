"""A verdict per article, run after run (issue 18): whole crawls of the replica with the real
engine in process (the exit code and line as `scrapy crawl` makes them), faults injected. One doubtful or broken article is held and listed; it never stops the
others from being recorded, and never replaces a good stored version. Every test here fails on
the code before issue 18: the run failed as a whole (exit 3 or 4), or the doubtful page was
written."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from cstocrawl.store.state import State, state_path
from tests.crawling import (
    DAY,
    RECHECK_DAYS,
    TODAY,
    by_url,
    comparable,
    crawl_in_process,
    read_dataset,
    read_latest,
    read_manifest,
    run_stats,
)
from tests.replica import Fault, ReplicaSite, Response, rewritten, serve, substituted

HTML = "text/html; charset=UTF-8"


def day(run_id: str, today: date = TODAY, **extra: str) -> dict[str, str]:
    return {**DAY, "CSTOCRAWL_TODAY": today.isoformat(), "CSTOCRAWL_RUN_ID": run_id, **extra}


def in_window(site: ReplicaSite) -> list[str]:
    since = TODAY - timedelta(days=RECHECK_DAYS)
    return [article.url for article in site.articles if article.published >= since]


def truth_of(site: ReplicaSite) -> dict[str, dict[str, Any]]:
    return {article["url"]: article for article in site.expected_articles()}


def assert_records(records: list[dict[str, Any]], truth: dict[str, dict[str, Any]]) -> None:
    produced = by_url(records)
    assert sorted(produced) == sorted(truth)
    for url, record in produced.items():
        assert comparable(record) == truth[url], url


def without(text: str) -> Fault:
    """The page served with every `text` removed (a page that does not hold it is unchanged)."""

    def edit(page: Response) -> Response:
        return replace(page, body=page.body.replace(text.encode(), b""))

    return Fault(status=None, edit=edit)


def test_one_doubtful_article_among_new_ones_is_held_and_retried(tmp_path: Path) -> None:
    """The issue's daily run: an article inside the re-check window edited down to one line, two
    new articles. Before: exit 4 ("1 of 4 articles have a body under 50 characters"), nothing
    recorded, every day while it stayed in the window."""
    site = ReplicaSite(lang="en", variant="custom")
    doubtful = site.article(in_window(site)[1])
    with serve(site) as base_url:
        day1 = crawl_in_process(base_url, tmp_path, run_id="day1", settings=day("day1"))
        truth_day1 = truth_of(site)
        added = site.add_articles("news_odkb", 2)
        site.edit_article(doubtful.url, "Updated.")
        day2 = crawl_in_process(base_url, tmp_path, run_id="day2", settings=day("day2"))
        hits_after_day2 = site.hits[doubtful.path]
        # Far outside the re-check window: only the retry list brings it back.
        day3 = crawl_in_process(
            base_url, tmp_path, run_id="day3", settings=day("day3", TODAY + timedelta(days=400))
        )
    assert day1.returncode == 0, day1.log[-3000:]

    # Day 2 exits 0, records the two new articles, holds the doubtful one with its reason.
    assert day2.returncode == 0, day2.log[-3000:]
    assert day2.line.startswith(
        "cstocrawl day2: ok; 2 new, 0 changed, 1 unchanged, 1 held, 0 failed; "
    )
    truth = truth_of(site)
    assert_records(read_dataset(tmp_path, "day2"), {url: truth[url] for url in added})
    manifest = read_manifest(tmp_path, "day2")
    stored_chars = len(truth_day1[doubtful.url]["text"])
    reason = f"body_shrank: {stored_chars} to 8 characters"
    assert manifest["held"] == [{"url": doubtful.url, "title": doubtful.title, "reason": reason}]
    assert manifest["failed_articles"] == []
    assert manifest["counts"]["held"] == 1
    assert manifest["stats"]["cstocrawl/verdict/held"] == 1
    [held_line] = [line for line in day2.log.splitlines() if "Held article" in line]
    assert f"WARNING: Held article {doubtful.url}: {reason} (not written" in held_line
    # Its previous version stays, in the state and in latest.jsonl.
    latest = by_url(read_latest(tmp_path))
    assert comparable(latest[doubtful.url]) == truth_day1[doubtful.url]
    assert_records(read_latest(tmp_path), {**truth, doubtful.url: truth_day1[doubtful.url]})

    # Day 3, 400 days on: fetched again from the retry list, held again and listed again; a
    # fault that persists does not fail the run.
    assert day3.returncode == 0, day3.log[-3000:]
    assert site.hits[doubtful.path] == hits_after_day2 + 1
    third = read_manifest(tmp_path, "day3")
    assert third["held"] == [{"url": doubtful.url, "title": doubtful.title, "reason": reason}]
    assert third["stats"]["cstocrawl/verdict/again"] == 1
    with State(state_path(tmp_path)) as state:
        [retry] = state.retries()
        assert (retry.url, retry.attempts, retry.error) == (doubtful.url, 2, f"held: {reason}")


def test_one_broken_new_article_among_three_is_held(tmp_path: Path) -> None:
    """A new article whose page shows no date, among three: the two good ones are recorded on
    the first run. Before: written with `published: null`."""
    site = ReplicaSite(lang="en", variant="custom")
    with serve(site) as base_url:
        day1 = crawl_in_process(base_url, tmp_path, run_id="day1", settings=DAY)
        added = site.add_articles("news_odkb", 3)
        broken = site.article(added[1])
        site.set_fault(broken.path, without(broken.published.strftime("%d.%m.%Y")))
        day2 = crawl_in_process(base_url, tmp_path, run_id="day2", settings=DAY)
    assert day1.returncode == 0, day1.log[-3000:]
    assert day2.returncode == 0, day2.log[-3000:]
    assert "2 new, 0 changed, 2 unchanged, 1 held, 0 failed" in day2.line
    truth = truth_of(site)
    good = [url for url in added if url != broken.url]
    assert_records(read_dataset(tmp_path, "day2"), {url: truth[url] for url in good})
    manifest = read_manifest(tmp_path, "day2")
    assert manifest["held"] == [
        {"url": broken.url, "title": broken.title, "reason": "missing_date"}
    ]
    assert broken.url not in by_url(read_latest(tmp_path))
    with State(state_path(tmp_path)) as state:
        assert [retry.url for retry in state.retries()] == [broken.url]


def test_six_dead_links_on_page_one_fail_no_run(tmp_path: Path) -> None:
    """Six articles of the first listing pages answer 404. Before: exit 3 on every run, "12
    errors logged" (two ERROR lines per lost page). Now each is one failed article, listed in the
    manifest every run; the others are recorded."""
    site = ReplicaSite(lang="en", variant="custom")
    dead = [article for article in site.articles if article.section != "statements"][:6]
    for article in dead:
        site.set_fault(article.path, Fault(404, b"Not found"))
    with serve(site) as base_url:
        day1 = crawl_in_process(base_url, tmp_path, run_id="day1", settings=DAY)
        day2 = crawl_in_process(base_url, tmp_path, run_id="day2", settings=DAY)
    truth = truth_of(site)
    dead_urls = sorted(article.url for article in dead)
    for run_id, run in (("day1", day1), ("day2", day2)):
        assert run.returncode == 0, run.log[-3000:]
        manifest = read_manifest(tmp_path, run_id)
        assert sorted(entry["url"] for entry in manifest["failed_articles"]) == dead_urls
        assert {entry["reason"] for entry in manifest["failed_articles"]} == {"HTTP 404"}
        assert manifest["counts"]["failed"] == 6
    assert_records(
        read_dataset(tmp_path, "day1"),
        {url: record for url, record in truth.items() if url not in dead_urls},
    )
    assert run_stats(tmp_path, "day2")["cstocrawl/verdict/again"] == 6


def test_every_attachment_answering_500_fails_one_run_not_every_run(tmp_path: Path) -> None:
    """All 12 attachments (13 links: two statements share a file) answer 500. Before: exit 3 on
    every run (Scrapy's "Gave up retrying" ERROR per file). Now each failed file counts once: the
    first run that meets the failure fails loudly (issue 19: more than half of its attachments),
    and a file that fails again next run is listed but not counted, so that run publishes."""
    site = ReplicaSite(lang="en", variant="custom")
    files = {article.attachment.path for article in site.articles if article.attachment}
    assert len(files) == 12
    for path in files:
        site.set_fault(path, Fault(500))
    with serve(site) as base_url:
        day1 = crawl_in_process(
            base_url, tmp_path, run_id="day1", settings=day("day1", RETRY_TIMES="1")
        )
        day2 = crawl_in_process(
            base_url, tmp_path, run_id="day2", settings=day("day2", RETRY_TIMES="1")
        )
    assert day1.returncode == 3, day1.log[-3000:]
    assert read_manifest(tmp_path, "day1")["outcome"]["reason"] == (
        "13 of 13 attachments failed (at most 50% allowed, CSTOCRAWL_MAX_ATTACHMENT_FAILURE_RATIO)"
    )
    assert run_stats(tmp_path, "day1")["cstocrawl/verdict/things_failed"] == 12
    assert day2.returncode == 0, day2.log[-3000:]
    assert read_manifest(tmp_path, "day2")["outcome"]["name"] == "ok"
    assert run_stats(tmp_path, "day2")["cstocrawl/verdict/things_failed_again"] == 12
    assert len(read_dataset(tmp_path, "day2")) == 67  # 48 news and statements, 19 further


MYSQL_ERROR = "MySQL Query Error: SELECT * FROM b_iblock_element WHERE ID=4 [Too many connections]"
MAINTENANCE = (
    b"<!DOCTYPE html><html><head><meta charset='utf-8'></head>"
    b"<body><p>The site is under maintenance. Please come back in an hour.</p></body></html>"
)


def test_an_error_body_or_a_maintenance_page_never_replaces_a_known_article(
    tmp_path: Path,
) -> None:
    """A known article re-checked while the site serves a database error under its real title
    and date, another while it serves a maintenance page (HTTP 200, no title, no date: the
    listing's evidence fills them in). Before: both replaced the stored version, exit 0."""
    site = ReplicaSite(lang="en", variant="bitrix")  # its listings show titles and dates
    mysql, maintenance = (site.article(url) for url in in_window(site))
    # The article's text replaced by the error, its title and date left as they are.
    error_body = rewritten(r"(</h3>).*?(<div style=\"clear:both\">)", rf"\1{MYSQL_ERROR}\2")
    with serve(site) as base_url:
        day1 = crawl_in_process(base_url, tmp_path, run_id="day1", settings=DAY)
        truth = truth_of(site)
        site.set_fault(mysql.path, Fault(status=None, edit=error_body))
        site.set_fault(maintenance.path, Fault(200, MAINTENANCE, content_type=HTML))
        day2 = crawl_in_process(base_url, tmp_path, run_id="day2", settings=DAY)
    assert day1.returncode == 0, day1.log[-3000:]
    assert day2.returncode == 0, day2.log[-3000:]
    # Nothing written, the stored versions kept (before: both replaced, exit 0).
    assert read_dataset(tmp_path, "day2") == []
    assert_records(read_latest(tmp_path), truth)
    manifest = read_manifest(tmp_path, "day2")
    held = {entry["url"]: entry for entry in manifest["held"]}
    assert held == {
        mysql.url: {
            "url": mysql.url,
            "title": mysql.title,
            "reason": "body_looks_like_error_page: MySQL Query Error",
        },
        maintenance.url: {
            "url": maintenance.url,
            "title": maintenance.title,
            "reason": "title_only_from_listing",
        },
    }


# --- No page overwrites another's record on its own say-so ---------------------------------------


def declaring(href: str) -> Fault:
    """The page served with a `<link rel="canonical" href=...>` naming `href`."""
    link = f'<link rel="canonical" href="{href}">'
    return Fault(status=None, edit=substituted("</head>", f"{link}\n</head>"))


def test_a_canonical_link_naming_another_article_is_only_a_hint(tmp_path: Path) -> None:
    """Article A's page names article B as its canonical URL (absolute), C's names D (relative).
    Before: A and C disappeared ("Dropped: Already emitted by this run"), exit 0. Now the claim
    is checked by fetching B and D: their pages say something else, so A and C stay articles."""
    site = ReplicaSite(lang="en", variant="bitrix")
    a, b, c, d = [article for article in site.articles if article.section == "news_odkb"][:4]
    site.set_fault(a.path, declaring(b.url))
    site.set_fault(c.path, declaring(f"../{d.path.rstrip('/').rsplit('/', 1)[-1]}/"))
    with serve(site) as base_url:
        result = crawl_in_process(base_url, tmp_path, settings=DAY)
    assert result.returncode == 0, result.log[-3000:]
    truth = truth_of(site)
    assert_records(read_dataset(tmp_path, "run1"), truth)
    assert_records(read_latest(tmp_path), truth)
    stats = run_stats(tmp_path)
    assert stats["cstocrawl/article/canonical_ignored"] == 2
    assert "cstocrawl/article/canonical_confirmed" not in stats
    for claimed, declared in ((a, b), (c, d)):
        assert (
            f"INFO: Ignored canonical {declared.url} declared by {claimed.url}: its page says "
            "something else" in result.log
        )


def test_merged_pages_that_differ_later_split_again(tmp_path: Path) -> None:
    """Two URLs served the same page, so they were merged into one article (as designed); then
    the second got its own text. Before: a full run wrote the second's title and text under the
    first's URL, and the second had no record. Now no URL's record ever gets the other's text,
    and they split: each URL its own record (at once when the article answered first, else on
    the next run, whose check sees the article's new version)."""
    site = ReplicaSite(lang="en", variant="bitrix")
    first, second = [article for article in site.articles if article.section == "speech"][:2]
    restore = site.duplicate_article(second.url, first.url)
    with serve(site) as base_url:
        day1 = crawl_in_process(base_url, tmp_path, run_id="day1", settings=DAY)
        merged = by_url(read_latest(tmp_path))
        restore()
        day2 = crawl_in_process(base_url, tmp_path, "full=1", run_id="day2", settings=DAY)
        day3 = crawl_in_process(base_url, tmp_path, "full=1", run_id="day3", settings=DAY)
    for run in (day1, day2, day3):
        assert run.returncode == 0, run.log[-3000:]
    # Day 1: one record for the two URLs, the other listed as its alias.
    [kept] = [url for url in (first.url, second.url) if url in merged]
    [alias] = [url for url in (first.url, second.url) if url != kept]
    assert merged[kept]["aliases"] == [alias]
    truth = truth_of(site)
    # Day 2: no URL written with the other's text.
    for record in read_dataset(tmp_path, "day2"):
        expected = {**truth[record["url"]], "aliases": record["aliases"]}
        assert comparable(record) == expected, record["url"]
    # Day 3: each URL its own record, its own text. (The run's own line of the article met before
    # the split may still list the other URL as its alias; latest.jsonl, from the state, does not.)
    unaliased = [{**record, "aliases": []} for record in read_dataset(tmp_path, "day3")]
    assert_records(unaliased, truth)
    assert_records(read_latest(tmp_path), truth)
    splits = [run_stats(tmp_path, run).get("cstocrawl/state/split") for run in ("day2", "day3")]
    assert sorted(splits, key=str) in ([1, None], [None, 1])
    assert f"INFO: Split {alias} from {kept}: it shows another article now" in (day2.log + day3.log)
