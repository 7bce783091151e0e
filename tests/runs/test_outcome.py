"""The pure pieces behind every exit code: argument and settings checks, the outcome of a run."""

from __future__ import annotations

import fcntl
import json
import re
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from cstocrawl.runs.lock import RunLock
from cstocrawl.runs.outcome import OK, Exit, Outcome, Refused, judge, summary, verdict
from cstocrawl.runs.preflight import (
    RULES,
    check_run,
    check_settings,
    check_source,
    check_state,
    check_writable,
)
from cstocrawl.spiders.news import Arguments, NewsSpider
from cstocrawl.store.state import SCHEMA_VERSION, State, state_path
from tests.crawling import project_settings

HEALTHY = {"cstocrawl/listing/pages": 5, "cstocrawl/health": "ok", "log_count/ERROR": 0}
ARTICLES = {"cstocrawl/article/pages": 12}
# 5 listing pages, 12 article pages and 3 lost: 20 things tried.
FAILED_PAGES = {**ARTICLES, "cstocrawl/failed/article": 3}


# --- spider arguments ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            {"section": "statements"},
            "unknown argument -a section=statements; known: base_url, full, lang, max_pages, "
            "sections",
        ),
        ({"max_pages": "0"}, "-a max_pages=0: expected a positive whole number"),
        ({"max_pages": "-3"}, "-a max_pages=-3: expected a positive whole number"),
        ({"max_pages": "many"}, "-a max_pages=many: expected a positive whole number"),
        ({"lang": "fr"}, "-a lang=fr: expected one of en, ru"),
        (
            {"sections": "nosuch"},
            "-a sections=nosuch: unknown section nosuch; known: news_odkb, speech, smi, statements, "
            "permanent_council, secretariat, session, training, international_org, chairmanship",
        ),
        ({"full": "maybe"}, "-a full=maybe: expected 1 or 0"),
        (
            {"base_url": "127.0.0.1:8800"},
            "-a base_url=127.0.0.1:8800: expected an http(s) URL such as http://127.0.0.1:8800",
        ),
    ],
)
def test_a_bad_spider_argument_is_refused_in_one_line(
    arguments: dict[str, str], message: str
) -> None:
    with pytest.raises(ValueError) as raised:
        NewsSpider.check_arguments(arguments)
    assert str(raised.value) == message
    with pytest.raises(ValueError):  # however the spider is built
        NewsSpider.from_crawler(get_crawler(NewsSpider), **arguments)


def test_good_spider_arguments_are_parsed(tmp_path: Path) -> None:
    raw = {"lang": "ru", "sections": "smi, speech", "max_pages": "3", "full": "1"}
    assert NewsSpider.check_arguments(raw) == Arguments(
        lang="ru", sections=frozenset({"smi", "speech"}), max_pages=3, full=True
    )
    spider = NewsSpider.from_crawler(get_crawler(NewsSpider), **raw)
    assert (spider.site.lang, spider.max_pages, spider.full) == ("ru", 3, True)
    default = NewsSpider.from_crawler(get_crawler(NewsSpider, project_settings(tmp_path)))
    assert (default.site.lang, default.max_pages, default.full) == ("en", 500, False)
    # The further sections of issue 22 are taken as well (every section is the default).
    further = NewsSpider.check_arguments({"sections": "session,chairmanship,secretariat"})
    assert further.sections == frozenset({"session", "chairmanship", "secretariat"})
    assert default.article_links.sections is None


# --- settings and the output dir -------------------------------------------------------------------


def refusal(call: Any, *args: Any) -> Outcome:
    with pytest.raises(Refused) as raised:
        call(*args)
    return raised.value.outcome


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "CSTOCRAWL_MAX_PAGES",
            "0",
            "-s CSTOCRAWL_MAX_PAGES=0: expected a whole number of at least 1",
        ),
        (
            "CSTOCRAWL_MIN_DOUBTFUL",
            "x",
            "-s CSTOCRAWL_MIN_DOUBTFUL=x: expected a whole number of at least 0",
        ),
        (
            "CSTOCRAWL_MAX_DOUBT_SHARE",
            "-1",
            "-s CSTOCRAWL_MAX_DOUBT_SHARE=-1: expected a number from 0 to 1",
        ),
        (
            "CSTOCRAWL_MAX_PROBLEM_RATIO",
            "2",
            "-s CSTOCRAWL_MAX_PROBLEM_RATIO=2: expected a number from 0 to 1",
        ),
        ("CSTOCRAWL_TODAY", "today", "-s CSTOCRAWL_TODAY=today: expected a date, YYYY-MM-DD"),
        (
            "CSTOCRAWL_OUTPT_DIR",
            "/data/csto",
            "unknown setting CSTOCRAWL_OUTPT_DIR; did you mean CSTOCRAWL_OUTPUT_DIR?",
        ),
        (
            "CSTOCRAWL_MAX_ERRORS",
            "5",
            "setting CSTOCRAWL_MAX_ERRORS was removed: runs are judged on the share of articles, "
            "pages and files that failed or were held: CSTOCRAWL_MAX_DOUBT_SHARE and "
            "CSTOCRAWL_MIN_DOUBTFUL (docs/operations.md)",
        ),
        ("DOWNLOAD_DELAY", "abc", "-s DOWNLOAD_DELAY=abc: expected a number of at least 0"),
        ("DOWNLOAD_DELAY", "-1", "-s DOWNLOAD_DELAY=-1: expected a number of at least 0"),
        ("CSTOCRAWL_WARC", "maybe", "-s CSTOCRAWL_WARC=maybe: expected True or False (or 1 or 0)"),
        (
            "LOG_LEVEL",
            "LOUD",
            "-s LOG_LEVEL=LOUD: expected one of CRITICAL, ERROR, WARNING, INFO, DEBUG",
        ),
        (
            "CSTOCRAWL_ATTACHMENT_TIMEOUT",
            "-5",
            "-s CSTOCRAWL_ATTACHMENT_TIMEOUT=-5: expected a number of at least 0",
        ),
        (
            "CONCURRENT_REQUESTS",
            "2.5",
            "-s CONCURRENT_REQUESTS=2.5: expected a whole number of at least 1",
        ),
        (
            "CSTOCRAWL_MAX_PAGES",
            "",
            "-s CSTOCRAWL_MAX_PAGES=: expected a whole number of at least 1",
        ),
        (
            "EXTENSIONS",
            {"nonexistent.Ext": 1},
            "-s EXTENSIONS: cannot load nonexistent.Ext (No module named 'nonexistent')",
        ),
    ],
)
def test_a_bad_setting_is_refused(tmp_path: Path, name: str, value: Any, message: str) -> None:
    settings = Settings({"CSTOCRAWL_OUTPUT_DIR": str(tmp_path / "out"), name: value})
    assert refusal(check_run, NewsSpider, {}, settings) == Outcome(Exit.USAGE, message)
    assert list(tmp_path.iterdir()) == []


def test_the_project_settings_and_what_a_user_may_type_pass(tmp_path: Path) -> None:
    check_settings(Settings(project_settings(tmp_path)))
    typed = {"DOWNLOAD_DELAY": "2", "CSTOCRAWL_WARC": "false", "LOG_LEVEL": "WARNING"}
    check_settings(Settings(project_settings(tmp_path, **typed, CSTOCRAWL_TODAY="2026-01-02")))
    assert list(tmp_path.iterdir()) == []


def test_every_project_setting_with_a_value_to_check_has_a_rule() -> None:
    """A setting added to settings.py without a rule would go unchecked."""
    import cstocrawl.settings as project

    checked_elsewhere = {"CSTOCRAWL_OUTPUT_DIR", "CSTOCRAWL_RUN_ID", "CSTOCRAWL_REPLAY_WARCS"}
    names = {name for name in vars(project) if name.startswith("CSTOCRAWL_")}
    assert names - checked_elsewhere == {name for name in RULES if name.startswith("CSTOCRAWL_")}


def test_an_output_dir_that_is_a_file_or_cannot_be_written_is_refused(tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("x")
    assert refusal(check_writable, afile) == Outcome(
        Exit.OUTPUT, f"output dir {afile} is not a directory"
    )
    assert refusal(check_writable, afile / "out") == Outcome(
        Exit.OUTPUT, f"output dir {afile / 'out'} cannot be created: {afile} is a file"
    )
    # /proc takes no files, whoever we are (root included).
    assert refusal(check_writable, Path("/proc/cstocrawl-out")).code is Exit.OUTPUT
    check_writable(tmp_path / "new" / "out")  # can be made: fine, and not made yet
    assert sorted(path.name for path in tmp_path.iterdir()) == ["afile"]


def test_a_corrupt_state_file_is_refused_naming_it(tmp_path: Path) -> None:
    state_path(tmp_path).write_bytes(b"not a database, just bytes " * 100)
    outcome = refusal(check_state, tmp_path, "en")
    assert outcome.code is Exit.STATE and Exit.STATE.value == 65
    assert outcome.reason == (
        f"{state_path(tmp_path)} is unreadable (file is not a database): restore it from a "
        "backup, or move it aside to start afresh (the next run then fetches the whole site again)"
    )


UNREADABLE = (
    "restore it from a backup, or move it aside to start afresh (the next run then fetches the "
    "whole site again)"
)


def test_a_state_from_a_newer_version_is_refused_naming_both_versions(tmp_path: Path) -> None:
    State(state_path(tmp_path)).close()
    with closing(sqlite3.connect(state_path(tmp_path))) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    outcome = refusal(check_state, tmp_path, "en")
    assert outcome == Outcome(
        Exit.STATE,
        f"{state_path(tmp_path)} was written by a newer cstocrawl (state schema "
        f"{SCHEMA_VERSION + 1}; this one reads up to {SCHEMA_VERSION}): run the newer version, "
        "or restore a backup made before the upgrade",
    )


def test_a_state_missing_a_table_is_refused(tmp_path: Path) -> None:
    State(state_path(tmp_path)).close()
    with closing(sqlite3.connect(state_path(tmp_path))) as db:
        db.execute("DROP TABLE retries")
    outcome = refusal(check_state, tmp_path, "en")
    assert outcome == Outcome(
        Exit.STATE,
        f"{state_path(tmp_path)} is unreadable (not a cstocrawl state of schema {SCHEMA_VERSION}: "
        f"no table retries): {UNREADABLE}",
    )


def test_another_programs_database_is_refused_not_migrated(tmp_path: Path) -> None:
    with closing(sqlite3.connect(state_path(tmp_path))) as db:
        db.execute("CREATE TABLE articles (id INTEGER)")
    outcome = refusal(check_state, tmp_path, "en")
    assert outcome == Outcome(
        Exit.STATE,
        f"{state_path(tmp_path)} is unreadable (not a cstocrawl state of schema 0: 1 tables of "
        f"something else): {UNREADABLE}",
    )
    with closing(sqlite3.connect(state_path(tmp_path))) as db:  # left as it was
        assert db.execute("SELECT name FROM sqlite_master").fetchall() == [("articles",)]


def test_the_state_of_the_other_language_is_refused(tmp_path: Path) -> None:
    with State(state_path(tmp_path)) as state:
        state.begin_run("r1", "2026-01-01T00:00:00Z", "full")
        item: dict[str, Any] = {"url": "https://en.odkb-csto.org/news/a/", "lang": "en"}
        item |= {"content_sha256": "x", "published": None, "crawled_at": "2026-01-01T00:00:00Z"}
        item |= {"attachments": []}
        state.record("r1", item, "new")
        state.promote("r1")
    check_state(tmp_path, "en")
    assert refusal(check_state, tmp_path, "ru") == Outcome(
        Exit.USAGE,
        f"{tmp_path} holds the crawl state of lang=en; give lang=ru an output dir of its own, "
        f"e.g. -s CSTOCRAWL_OUTPUT_DIR={tmp_path / 'ru'}",
    )
    with sqlite3.connect(state_path(tmp_path)) as db:  # nothing was changed by looking
        assert db.execute("select count(*) from runs").fetchone() == (1,)


# --- from a closing run to an exit code ------------------------------------------------------------


@pytest.mark.parametrize(
    ("stats", "reason", "expected"),
    [
        (HEALTHY, "finished", Outcome(Exit.OK, "ok")),
        (HEALTHY, "shutdown", Outcome(Exit.FAILED, "the crawl closed with 'shutdown'")),
        (
            {
                "cstocrawl/failed/listing": 5,
                "downloader/exception_type_count/twisted.internet.error.DNSLookupError": 20,
                "downloader/response_status_count/503": 2,
                "cstocrawl/health": "failed",
            },
            "finished",
            Outcome(
                Exit.UNREACHABLE,
                "site unreachable: none of the 5 listing pages could be fetched (DNSLookupError)",
            ),
        ),
        (
            {"cstocrawl/failed/listing": 1, "downloader/response_status_count/503": 4},
            "finished",
            Outcome(
                Exit.UNREACHABLE,
                "site unreachable: none of the 1 listing page could be fetched (HTTP 503)",
            ),
        ),
        (
            {**HEALTHY, "cstocrawl/health": "failed", "cstocrawl/health/failures": ["a", "b"]},
            "finished",
            Outcome(Exit.MARKUP, "health check failed: a; b"),
        ),
        (
            {**HEALTHY, "cstocrawl/failed/listing": 2},  # some listings came back: not unreachable
            "finished",
            Outcome(Exit.OK, "ok"),
        ),
        # ERROR lines no longer count (issue 18): 3 failed pages of 20 things tried are not many.
        ({**HEALTHY, "log_count/ERROR": 30, **FAILED_PAGES}, "finished", Outcome(Exit.OK, "ok")),
        (
            {**HEALTHY, "log_count/ERROR": 9, "cstocrawl/failed/dataset": "[Errno 28] No space"},
            "finished",
            Outcome(Exit.OUTPUT, "the dataset could not be written: [Errno 28] No space"),
        ),
        (
            {**HEALTHY, **FAILED_PAGES, "cstocrawl/verdict/things_failed": 5},
            "finished",
            Outcome(Exit.ERRORS, "5 of 20 pages and files failed (at most 20% allowed)"),
        ),
        # Failed before, failed again: listed every run, judged once.
        (
            {**HEALTHY, **FAILED_PAGES, "cstocrawl/verdict/things_failed_again": 5},
            "finished",
            Outcome(Exit.OK, "ok"),
        ),
        ({**HEALTHY, **ARTICLES, "cstocrawl/verdict/held": 2}, "finished", Outcome(Exit.OK, "ok")),
        (
            {**HEALTHY, **ARTICLES, "cstocrawl/verdict/held": 3, "cstocrawl/verdict/failed": 1},
            "finished",
            Outcome(
                Exit.MARKUP,
                "4 of 12 articles held or failed (3 held, 1 failed; at most 20% allowed)",
            ),
        ),
        (
            {
                **HEALTHY,
                **ARTICLES,
                "cstocrawl/verdict/held": 3,
                "cstocrawl/verdict/failed": 1,
                "cstocrawl/verdict/again": 2,
            },
            "finished",
            Outcome(Exit.OK, "ok"),
        ),
    ],
)
def test_judge(stats: dict[str, Any], reason: str, expected: Outcome) -> None:
    """Held and failed articles, and failed things, as shares with a minimum (here 0.2 and 4)."""
    assert judge(stats, reason, max_share=0.2, minimum=4) == expected


@pytest.mark.parametrize(
    ("attachments", "expected"),
    [
        # 12 of 12 failed (issue 19: every extraction over its memory limit): never "ok".
        (
            {"cstocrawl/attachments/failed": 12},
            Outcome(
                Exit.ERRORS,
                "12 of 12 attachments failed (at most 50% allowed, "
                "CSTOCRAWL_MAX_ATTACHMENT_FAILURE_RATIO)",
            ),
        ),
        (
            {"cstocrawl/attachments/stored": 1, "cstocrawl/attachments/failed": 3},
            Outcome(
                Exit.ERRORS,
                "3 of 4 attachments failed (at most 50% allowed, "
                "CSTOCRAWL_MAX_ATTACHMENT_FAILURE_RATIO)",
            ),
        ),
        # Two broken files of two: too few to judge; a failed download is retried anyway.
        ({"cstocrawl/attachments/failed": 2}, OK),
        # Half of them: within the share.
        ({"cstocrawl/attachments/stored": 3, "cstocrawl/attachments/failed": 3}, OK),
        # All 12 failed, 11 files of them failed an earlier run too: listed, judged once (issue 18).
        (
            {"cstocrawl/attachments/failed": 12, "cstocrawl/verdict/attachments_failed_again": 11},
            OK,
        ),
    ],
)
def test_a_run_that_lost_most_attachments_fails(
    attachments: dict[str, int], expected: Outcome
) -> None:
    stats = {**HEALTHY, **attachments}
    assert judge(stats, "finished", 0.2, 5, max_attachment_failures=0.5) == expected


def manifest(outcome: Outcome, state: str = "promoted") -> dict[str, Any]:
    counts = {
        "new": 19,
        "changed": 1,
        "unchanged": 2,
        "held": 1,
        "failed": 0,
        "attachments_downloaded": 3,
    }
    counts |= {"attachments": 5, "attachments_failed": 2}
    return {"outcome": outcome.asdict(), "state": {"outcome": state}, "counts": counts, "errors": 1}


def test_verdict_and_summary() -> None:
    ok = Outcome(Exit.OK, "ok")
    assert verdict(None, -9) == Outcome(
        Exit.FAILED, "the crawl died without a manifest (scrapy exit -9)"
    )
    assert verdict(None) == Outcome(Exit.FAILED, "the run never began (see the log)")
    assert verdict(manifest(ok), 0) == ok
    assert verdict(manifest(ok), -15) == Outcome(Exit.FAILED, "scrapy exited with -15")
    assert summary("p", "r1", manifest(ok), ok) == (
        "p r1: ok; 19 new, 1 changed, 2 unchanged, 1 held, 0 failed; 5 attachments: "
        "3 downloaded, 2 failed; 1 errors (exit 0)"
    )
    # A discarded run counts nothing as recorded, whatever it had written to its .tmp.
    failed = Outcome(Exit.FAILED, "the crawl closed with 'shutdown'")
    assert summary("p", "r1", manifest(failed, "discarded"), failed) == (
        "p r1: FAILED, the crawl closed with 'shutdown'; nothing recorded, 1 held, "
        "2 attachments failed; 1 errors (exit 1)"
    )
    assert summary("p", "r1", None, verdict(None, -9)) == (
        "p r1: FAILED, the crawl died without a manifest (scrapy exit -9) (exit 1)"
    )


def test_the_exit_codes_are_distinct() -> None:
    assert len({int(code) for code in Exit}) == len(Exit) == 9
    assert [int(code) for code in Exit] == [0, 1, 3, 4, 64, 65, 69, 73, 75]
    assert 2 not in {int(code) for code in Exit}  # make's and argparse's own


def test_the_runbook_has_one_table_with_every_exit_code() -> None:
    runbook = (Path(__file__).resolve().parents[2] / "docs" / "operations.md").read_text("utf-8")
    assert runbook.count("| code | cause | what to do |") == 1
    documented = [int(code) for code in re.findall(r"^\| (\d+) \|", runbook, re.MULTILINE)]
    assert documented == [int(code) for code in Exit]


def test_a_crawl_started_any_way_holds_the_lock_while_it_runs(tmp_path: Path) -> None:
    settings = {"CSTOCRAWL_OUTPUT_DIR": str(tmp_path), "EXTENSIONS": {"cstocrawl.runs.lock.RunLock": 0}}
    path = tmp_path / "cron.lock"
    with path.open("w") as other:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        other.write("4242\n")
        other.flush()
        with pytest.raises(Refused) as raised:
            get_crawler(NewsSpider, settings)
    assert raised.value.outcome == Outcome(
        Exit.LOCKED, f"another run (pid 4242) holds {path}; not started"
    )
    crawler = get_crawler(NewsSpider, settings)  # free now: this crawl takes it
    extension = crawler.get_extension(RunLock)
    assert extension is not None and extension.lock is not None
    # Another crawler of this process shares it (the lock keeps processes apart).
    sharing = get_crawler(NewsSpider, settings).get_extension(RunLock)
    assert sharing is not None and sharing.lock is extension.lock
    for stopped in (extension, sharing):
        with path.open("a") as probe, pytest.raises(BlockingIOError):
            fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
        stopped.engine_stopped()
    with path.open("a") as probe:
        fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released with the last engine


def test_a_damaged_state_file_is_refused_too(tmp_path: Path) -> None:
    with State(state_path(tmp_path)) as state:
        state.begin_run("r1", "2026-01-01T00:00:00Z", "full")
        for n in range(300):  # enough rows for many pages
            item: dict[str, Any] = {"url": f"https://en.odkb-csto.org/news/a/{n}/", "lang": "en"}
            item |= {"content_sha256": "x" * 64, "published": None, "text": "word " * 100}
            item |= {"crawled_at": "2026-01-01T00:00:00Z", "attachments": []}
            state.record("r1", item, "new")
        state.promote("r1")
    check_state(tmp_path, "en")
    with sqlite3.connect(state_path(tmp_path)) as db:
        [(root,)] = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'articles'")
    db.close()
    data = bytearray(state_path(tmp_path).read_bytes())
    data[(root - 1) * 4096 : root * 4096] = b"\xff" * 4096  # the articles' root page, overwritten
    state_path(tmp_path).write_bytes(bytes(data))
    outcome = refusal(check_state, tmp_path, "en")
    assert outcome.code is Exit.STATE
    assert outcome.reason.startswith(f"{state_path(tmp_path)} is unreadable (")
    assert outcome.reason.endswith(
        "): restore it from a backup, or move it aside to start "
        "afresh (the next run then fetches the whole site again)"
    )


def test_a_run_id_given_by_hand_is_a_plain_name_never_used_before(tmp_path: Path) -> None:
    def check(run_id: str) -> None:
        settings = {"CSTOCRAWL_OUTPUT_DIR": str(tmp_path), "CSTOCRAWL_RUN_ID": run_id}
        check_run(NewsSpider, {}, get_crawler(NewsSpider, settings).settings)

    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "day1.jsonl.tmp").write_text("")  # a run that died: its id is taken
    check("day2")
    assert refusal(check, "day1") == Outcome(
        Exit.USAGE, f"-s CSTOCRAWL_RUN_ID=day1: a run of that id is in {tmp_path / 'news'} already"
    )
    assert refusal(check, "../day3").reason == (
        "-s CSTOCRAWL_RUN_ID=../day3: expected letters, digits, '_', '.', '-'"
    )


# --- provenance: the official site's data and a mirror's never mix unnoticed -----------------------


def recorded(directory: Path, run_id: str, official: bool, outcome: str = "promoted") -> None:
    base_url = "https://en.odkb-csto.org" if official else "http://127.0.0.1:8800"
    source = {"lang": "en", "base_url": base_url, "official": official}
    news = directory / "news"
    news.mkdir(parents=True, exist_ok=True)
    manifest = {"run_id": run_id, "state": {"outcome": outcome}, "source": source}
    (news / f"{run_id}.manifest.json").write_text(json.dumps(manifest), "utf-8")


def test_a_mirror_run_refuses_the_official_sites_data_and_the_reverse(tmp_path: Path) -> None:
    mirror = Arguments(base_url="http://127.0.0.1:9999")
    official, named = Arguments(), Arguments(base_url="https://en.odkb-csto.org")
    settings = Settings()
    recorded(tmp_path / "site", "r1", official=True)
    assert refusal(check_source, tmp_path / "site", mirror, settings) == Outcome(
        Exit.USAGE,
        f"{tmp_path / 'site'} holds the official site's pages (https://en.odkb-csto.org) and this "
        "run crawls the mirror http://127.0.0.1:9999: give it an output dir of its own, or "
        "-s CSTOCRAWL_MIX_SOURCES=True",
    )
    check_source(tmp_path / "site", official, settings)
    check_source(tmp_path / "site", named, settings)  # the official origin, named
    check_source(tmp_path / "site", mirror, Settings({"CSTOCRAWL_MIX_SOURCES": "True"}))

    recorded(tmp_path / "copy", "r1", official=False)
    assert refusal(check_source, tmp_path / "copy", official, settings).reason.startswith(
        f"{tmp_path / 'copy'} holds a mirror's pages (http://127.0.0.1:8800) and this run crawls "
        "the official site: "
    )
    check_source(tmp_path / "copy", mirror, settings)  # another mirror, another port: fine

    # Only what was recorded counts: a discarded run's, or no manifest at all, holds nothing.
    recorded(tmp_path / "failed", "r1", official=True, outcome="discarded")
    check_source(tmp_path / "failed", mirror, settings)
    check_source(tmp_path / "new", mirror, settings)
