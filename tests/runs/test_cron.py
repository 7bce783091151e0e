"""The cron runner: its exit codes, from the manifest's verdict to the real runs that earn them."""

from __future__ import annotations

import fcntl
import re
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from cstocrawl.runs.cron import main, refused_by_child
from cstocrawl.runs.outcome import Exit, Outcome
from cstocrawl.store.state import SCHEMA_VERSION, State, state_path
from tests.crawling import REPO, read_dataset, read_latest, read_manifest, run_cron
from tests.replica import Fault, ReplicaSite, Response, serve
from tests.replica.content import LISTINGS

# Article pages of every section: not a listing (a chairmanship detail is its listing's path with
# an ELEMENT_ID), not a file, not robots.txt.
OTHER_THAN_ARTICLES = ("/upload/", "/robots.txt")
# The pages a run reads for their links only, as they were (issue 22).
LINKS_ONLY = ("/?c-tab=statements", "/?gen-tab=press", "/documents/", "/authorized_organs/")
SHELL = (
    b'<!DOCTYPE html><html><head><title>CSTO</title></head><body><div id="app"></div></body></html>'
)
USAGE = "usage: python -m cstocrawl.runs.cron news [-a NAME=VALUE]... [-s NAME=VALUE]..."


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "the following arguments are required: spider"),
        (
            ["news", "-a", "no-equals-sign"],
            "argument -a: expected NAME=VALUE, got 'no-equals-sign'",
        ),
        (["news", "-s", "=1"], "argument -s: expected NAME=VALUE, got '=1'"),
    ],
)
def test_usage_errors_exit_64_in_one_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == Exit.USAGE.value == 64
    assert capsys.readouterr().err == f"cstocrawl.runs.cron: {message}; {USAGE} (exit 64)\n"


def test_an_unknown_spider_exits_64(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "cstocrawl.settings")
    assert main(["nope", "-s", f"CSTOCRAWL_OUTPUT_DIR={tmp_path}"]) == 64
    assert (
        capsys.readouterr().err == "cstocrawl.runs.cron: no spider named 'nope'; known: news, jscsto, ksopn (exit 64)\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_second_run_exits_at_once_while_the_lock_is_held(tmp_path: Path) -> None:
    with (tmp_path / "cron.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        lock.write("4242\n")
        lock.flush()
        second = subprocess.run(
            [
                sys.executable,
                "-m",
                "cstocrawl.runs.cron",
                "news",
                "-s",
                f"CSTOCRAWL_OUTPUT_DIR={tmp_path}",
            ],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert second.returncode == Exit.LOCKED.value == 75
    assert second.stderr == (
        f"cstocrawl.runs.cron: another run (pid 4242) holds {tmp_path / 'cron.lock'}; not started "
        "(exit 75)\n"
    )
    assert second.stdout == ""
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cron.lock"]  # no logs, no state


class RedesignedSite(ReplicaSite):
    """The replica after a redesign: article pages became an empty shell that scripts fill in."""

    def respond(self, target: str) -> Response:
        response = super().respond(target)
        listing = target.split("?")[0] in LISTINGS and "ELEMENT_ID=" not in target
        if listing or target.startswith(OTHER_THAN_ARTICLES) or target in LINKS_ONLY:
            return response
        return replace(response, body=SHELL)


def test_a_site_whose_article_pages_changed_fails_the_health_check(tmp_path: Path) -> None:
    site = RedesignedSite(lang="en", variant="custom")
    with serve(site) as base_url:
        result = run_cron(base_url, tmp_path)
    assert result.returncode == Exit.MARKUP.value == 4
    [path] = (tmp_path / "news").glob("*.manifest.json")
    run_id = path.name.removesuffix(".manifest.json")
    assert re.fullmatch(r"\d{8}T\d{6}Z", run_id)
    run = read_manifest(tmp_path, run_id)
    # No body on any page; what else the health check says is the extraction's business.
    failures = run["health"]["failures"]
    assert run["health"]["verdict"] == "failed"
    assert "67 of 67 articles have a body under 50 characters: the site's markup may have changed" in (
        failures
    )
    # Nothing recorded: the articles are fetched again once the parser is fixed.
    assert result.stderr == (
        f"cstocrawl.runs.cron {run_id}: FAILED, health check failed: {'; '.join(failures)}; "
        f"nothing recorded, 67 held; {run['errors']} errors (exit 4)\n"
    )
    # Each article was held on its own (no body), the run failed on them all together.
    assert (run["counts"]["held"], run["counts"]["discarded"]) == (67, 0)
    assert (tmp_path / "logs" / f"{run_id}.log").exists()
    # Every article held, none written: no .jsonl.tmp either.
    assert sorted(path.name for path in (tmp_path / "news").iterdir()) == [
        f"{run_id}.manifest.json",
        f"{run_id}.report.md",
    ]
    with State(state_path(tmp_path)) as state:
        assert state.article_count() == 0
        assert (state.run(run_id) or {}).get("outcome") == "discarded"


def test_pages_that_cannot_be_fetched_fail_the_run_and_are_fetched_by_the_next(
    tmp_path: Path,
) -> None:
    site = ReplicaSite(lang="en", variant="bitrix")
    newest = site.articles[0]
    # Strict: any article held or failed fails the run (the defaults let a few through).
    strict = {"CSTOCRAWL_MAX_DOUBT_SHARE": "0", "CSTOCRAWL_MIN_DOUBTFUL": "0", "RETRY_TIMES": "1"}
    with serve(site) as base_url:
        site.set_fault(newest.path, Fault(503))
        failing = run_cron(base_url, tmp_path, settings={**strict, "CSTOCRAWL_RUN_ID": "r1"})
        latest_after_r1 = (tmp_path / "news" / "latest.jsonl").exists()
        site.set_fault(newest.path, None)
        retried = run_cron(base_url, tmp_path, settings={**strict, "CSTOCRAWL_RUN_ID": "r2"})
    assert failing.returncode == Exit.ERRORS.value == 3
    # The page counts once, whatever it logged (two ERROR lines: "Gave up retrying", "Failed").
    assert failing.stderr == (
        "cstocrawl.runs.cron r1: FAILED, 1 of 67 articles held or failed (0 held, 1 failed; at most "
        "0% allowed); nothing recorded, 1 failed; 2 errors (exit 3)\n"
    )
    first = read_manifest(tmp_path, "r1")
    assert first["counts"]["failed"] == 1 and first["counts"]["discarded"] == 66
    assert not latest_after_r1
    # Nothing of r1 was recorded: r2 fetches and emits the whole site.
    assert retried.returncode == Exit.OK, retried.stderr
    assert len(read_dataset(tmp_path, "r2")) == len(read_latest(tmp_path)) == 67
    assert newest.url in {record["url"] for record in read_dataset(tmp_path, "r2")}


def test_a_scrapy_that_refused_after_our_checks_gives_its_code_and_line(tmp_path: Path) -> None:
    """A race the runner cannot see (its checks passed, scrapy's did not): scrapy's line wins."""
    log = tmp_path / "run.log"
    log.write_text(
        "2026-01-01 00:00:00 [scrapy.utils.log] INFO: Scrapy started\n"
        f"cstocrawl: another run (pid 7) holds {tmp_path / 'cron.lock'}; not started (exit 75)\n"
    )
    assert refused_by_child(75, log) == Outcome(
        Exit.LOCKED, f"another run (pid 7) holds {tmp_path / 'cron.lock'}; not started"
    )
    assert refused_by_child(1, log) is None  # a crawl that failed is judged from its manifest
    assert refused_by_child(-9, log) is None


def test_only_a_refusal_code_is_read_as_a_refusal(tmp_path: Path) -> None:
    """Which codes mean "refused" comes from outcome's table (REFUSALS): a judged run's code
    without a manifest is a run that died, whatever code is added to the table."""
    log = tmp_path / "run.log"
    log.write_text("cstocrawl: why (exit 4)\n")
    refusals = {code for code in Exit if refused_by_child(int(code), log) is not None}
    assert refusals == {Exit.USAGE, Exit.STATE, Exit.OUTPUT, Exit.LOCKED}
    assert refused_by_child(Exit.MARKUP, log) is None
    assert refused_by_child(2, log) is None  # make's and argparse's code, never ours


def test_a_scrapy_that_exits_73_without_a_manifest_is_73_not_died(tmp_path: Path) -> None:
    """A full disk took the manifest and the summary line: scrapy's code stands (issue 18)."""
    log = tmp_path / "run.log"
    log.write_text("2026-01-01 00:00:00 [cstocrawl.runs.extension] ERROR: Manifest ... could n")
    assert refused_by_child(73, log) == Outcome(
        Exit.OUTPUT, "the run wrote no manifest (scrapy exit 73)"
    )
    assert refused_by_child(73, tmp_path / "no-such.log") == Outcome(
        Exit.OUTPUT, "the run wrote no manifest (scrapy exit 73)"
    )


def test_a_state_from_a_newer_version_is_refused_before_anything_is_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 18: exit 65 and one line, not a traceback and exit 1."""
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "cstocrawl.settings")
    State(state_path(tmp_path)).close()
    with sqlite3.connect(state_path(tmp_path)) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    before = sorted(path.name for path in tmp_path.iterdir())
    assert main(["news", "-s", f"CSTOCRAWL_OUTPUT_DIR={tmp_path}"]) == Exit.STATE.value == 65
    assert capsys.readouterr().err == (
        f"cstocrawl.runs.cron: {state_path(tmp_path)} was written by a newer cstocrawl (state schema "
        f"{SCHEMA_VERSION + 1}; this one reads up to {SCHEMA_VERSION}): run the newer version, or "
        "restore a backup made before the upgrade (exit 65)\n"
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([*before, "cron.lock"])
