"""The cron runner: its exit codes, from the manifest's verdict to the real runs that earn them."""

from __future__ import annotations

import fcntl
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from cstocrawl.cron import (
    EXIT_ERRORS,
    EXIT_FAILED,
    EXIT_HEALTH,
    EXIT_LOCKED,
    EXIT_OK,
    main,
    verdict,
)
from tests.crawling import REPO, read_dataset, read_manifest, run_cron
from tests.replica import Fault, ReplicaSite, Response, serve

ARTICLE_PATH = re.compile(r"^/(?:news|documents)/[^/]+/[^/?]+/")
HEADING = re.compile(r"<h1[^>]*>.*?</h1>", re.DOTALL)


def manifest(**changes: Any) -> dict[str, Any]:
    good = {
        "finish_reason": "finished",
        "state": {"outcome": "promoted", "articles": 48},
        "health": {"verdict": "ok", "failures": []},
        "errors": 0,
        "counts": {"new": 1, "changed": 0, "unchanged": 0, "failed": 0},
    }
    return {**good, **changes}


@pytest.mark.parametrize(
    ("run", "returncode", "expected"),
    [
        (manifest(), 0, (EXIT_OK, "ok")),
        (None, -9, (EXIT_FAILED, "the crawl died without a manifest (scrapy exit -9)")),
        (manifest(finish_reason="shutdown"), 0, (EXIT_FAILED, "the crawl closed with 'shutdown'")),
        (manifest(), 1, (EXIT_FAILED, "scrapy exited with 1")),
        (
            manifest(state={"outcome": "discarded", "articles": 0}),
            0,
            (EXIT_FAILED, "the run's articles were not recorded in the state"),
        ),
        (
            manifest(health={"verdict": "failed", "failures": ["a", "b"]}, errors=9),
            0,
            (EXIT_HEALTH, "health check failed: a; b"),
        ),
        (manifest(errors=3), 0, (EXIT_OK, "ok")),
        (manifest(errors=4), 0, (EXIT_ERRORS, "4 errors logged (at most 3 allowed)")),
    ],
)
def test_verdict(run: dict[str, Any] | None, returncode: int, expected: tuple[int, str]) -> None:
    assert verdict(run, returncode, max_errors=3) == expected


@pytest.mark.parametrize("argv", [[], ["news", "-a", "no-equals-sign"], ["news", "-s", "=1"]])
def test_usage_errors_exit_64(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == 64


def test_an_unknown_spider_exits_64(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "cstocrawl.settings")
    assert main(["nope", "-s", f"CSTOCRAWL_OUTPUT_DIR={tmp_path}"]) == 64
    assert not (tmp_path / "cron.lock").exists()


def test_a_second_run_exits_at_once_while_the_lock_is_held(tmp_path: Path) -> None:
    with (tmp_path / "cron.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        lock.write("4242\n")
        lock.flush()
        second = subprocess.run(
            [sys.executable, "-m", "cstocrawl.cron", "news", "-s", f"CSTOCRAWL_OUTPUT_DIR={tmp_path}"],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert second.returncode == EXIT_LOCKED == 75
    assert second.stderr == (
        f"cstocrawl.cron: another run (pid 4242) holds {tmp_path / 'cron.lock'}; not started\n"
    )
    assert second.stdout == ""
    assert list((tmp_path / "logs").iterdir()) == []  # no crawl was started


class HeadlessSite(ReplicaSite):
    """The replica after a redesign: article pages without their H1 (no title to be found)."""

    def respond(self, target: str) -> Response:
        response = super().respond(target)
        if not ARTICLE_PATH.match(target) or target.startswith("/upload/"):
            return response
        return replace(response, body=HEADING.sub("", response.body.decode()).encode())


def test_a_site_whose_pages_lost_their_titles_fails_the_health_check(tmp_path: Path) -> None:
    site = HeadlessSite(lang="en", variant="custom")
    with serve(site) as base_url:
        result = run_cron(base_url, tmp_path)
    assert result.returncode == EXIT_HEALTH == 2
    [path] = (tmp_path / "news").glob("*.manifest.json")
    run_id = path.name.removesuffix(".manifest.json")
    assert re.fullmatch(r"\d{8}T\d{6}Z", run_id)
    run = read_manifest(tmp_path, run_id)
    # Title, date, body and attachments are all found from the H1: all are lost with it. The
    # health check's own ERROR lines come after Scrapy stopped counting them (errors: 0).
    failures = [
        f"48 of 48 articles had {problem}: the site's markup may have changed"
        for problem in ("missing_title", "missing_date", "missing_body")
    ]
    assert run["health"] == {"verdict": "failed", "failures": failures}
    assert result.stderr == (
        f"cstocrawl.cron {run_id}: FAILED, health check failed: {'; '.join(failures)}; "
        "48 new, 0 changed, 0 unchanged, 0 failed, 0 attachments downloaded, 0 errors (exit 2)\n"
    )
    assert (tmp_path / "logs" / f"{run_id}.log").exists()


def test_pages_that_cannot_be_fetched_fail_the_run_and_are_fetched_by_the_next(
    tmp_path: Path,
) -> None:
    site = ReplicaSite(lang="en", variant="bitrix")
    newest = site.articles[0]
    strict = {"CSTOCRAWL_MAX_ERRORS": "0", "RETRY_TIMES": "1"}
    with serve(site) as base_url:
        site.set_fault(newest.path, Fault(503))
        failing = run_cron(base_url, tmp_path, settings={**strict, "CSTOCRAWL_RUN_ID": "r1"})
        site.set_fault(newest.path, None)
        retried = run_cron(base_url, tmp_path, settings={**strict, "CSTOCRAWL_RUN_ID": "r2"})
    assert failing.returncode == EXIT_ERRORS == 3
    # Two ERROR lines for the page: Scrapy's "Gave up retrying" and the spider's "Failed article".
    assert failing.stderr == (
        "cstocrawl.cron r1: FAILED, 2 errors logged (at most 0 allowed); 47 new, 0 changed, "
        "0 unchanged, 1 failed, 11 attachments downloaded, 2 errors (exit 3)\n"
    )
    assert read_manifest(tmp_path, "r1")["counts"]["failed"] == 1
    assert retried.returncode == EXIT_OK, retried.stderr
    assert [record["url"] for record in read_dataset(tmp_path, "r2")] == [newest.url]
