"""`scrapy crawl` killed with SIGKILL at several points, then run again: nothing is lost or torn.

After the re-run, latest.jsonl holds every article exactly once and right, no final file in news/
has a partial line, and the state (state.sqlite) agrees with the files on disk.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from threading import Event

import pytest

from cstocrawl.store.state import State, state_path
from tests.crawling import (
    REPO,
    by_url,
    comparable,
    crawl_in_process,
    hold,
    options,
    read_latest,
    run_cron,
)
from tests.replica import Fault, ReplicaSite, serve
from tests.replica.content import LISTINGS

Ready = Callable[[ReplicaSite, Path], bool]


def listings_waiting(site: ReplicaSite, output: Path) -> bool:
    return all(site.hits[path] for path in LISTINGS)


def lines_written(count: int) -> Ready:
    def ready(site: ReplicaSite, output: Path) -> bool:
        temporary = output / "news" / "run1.jsonl.tmp"
        return temporary.exists() and temporary.read_bytes().count(b"\n") >= count

    return ready


def attachment_requested(site: ReplicaSite, output: Path) -> bool:
    return any(target.startswith("/upload/") and count for target, count in site.hits.items())


def dataset_renamed(site: ReplicaSite, output: Path) -> bool:
    return (output / "news" / "run1.jsonl").exists()


def slow_listings(site: ReplicaSite) -> Event | None:
    for path in LISTINGS:  # the first answer of every listing hangs: the crawl waits on them
        site.set_fault(path, Fault(None, delay=30, times=1))
    return None


def held_articles(site: ReplicaSite) -> Event:
    """Articles answered until the kill point's 10 lines can be written, then nothing: the run
    cannot finish before the kill however slow the machine (a delay only made it unlikely)."""
    return hold(site, after_articles=15)


def slow_attachments(site: ReplicaSite) -> Event | None:
    for article in site.articles:
        if article.attachment:
            site.set_fault(article.attachment.path, Fault(None, delay=30, times=1))
    return None


def as_is(site: ReplicaSite) -> Event | None:
    """No slowdown: the kill lands right after the rename, while the run closes."""


@pytest.mark.parametrize(
    ("slow", "ready", "abandoned"),
    [
        (slow_listings, listings_waiting, True),
        (held_articles, lines_written(10), True),
        (slow_attachments, attachment_requested, True),
        (as_is, dataset_renamed, None),  # promoted or not, depending on the instant
    ],
    ids=["listing", "details", "attachments", "close"],
)
def test_a_killed_crawl_loses_nothing_and_leaves_no_torn_file(
    slow: Callable[[ReplicaSite], Event | None], ready: Ready, abandoned: bool | None, tmp_path: Path
) -> None:
    site = ReplicaSite(lang="en", variant="bitrix", articles_per_section=12)
    truth = {record["url"]: record for record in site.expected_articles()}
    released = slow(site)
    with serve(site) as base:
        command = [sys.executable, "-m", "scrapy", "crawl", "news"]
        command += options(base, tmp_path, (), {"CSTOCRAWL_RUN_ID": "run1"})
        killed = subprocess.Popen(
            command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            deadline = time.monotonic() + 120  # only stops a test that hangs
            while not ready(site, tmp_path):
                assert killed.poll() is None, "the crawl ended before the kill point"
                assert time.monotonic() < deadline, "the kill point was never reached"
                time.sleep(0.002)
            killed.send_signal(signal.SIGKILL)
            assert killed.wait(timeout=30) == -signal.SIGKILL
        finally:
            if released is not None:
                released.set()
        for path in list(site.faults):  # the site is well again for the next run
            site.set_fault(path, None)
        again = crawl_in_process(base, tmp_path, run_id="run2")  # no process under test here
    assert again.returncode == 0, again.log[-3000:]

    # latest.jsonl: every article exactly once, in its current version.
    latest = by_url(read_latest(tmp_path))
    assert sorted(latest) == sorted(truth)
    for url, record in truth.items():
        assert comparable(latest[url]) == record, url

    # No final file has a partial line; the killed run's lines are only in its .tmp.
    news = tmp_path / "news"
    for written in news.iterdir():
        if written.suffix == ".jsonl":
            data = written.read_bytes()
            assert data == b"" or data.endswith(b"\n"), written
            assert all(json.loads(line) for line in data.splitlines()), written
        elif written.suffix == ".json":
            json.loads(written.read_text(encoding="utf-8"))
    if abandoned:
        assert not (news / "run1.jsonl").exists()
        assert not (news / "run1.manifest.json").exists()

    # The state agrees with the files: the same articles as latest.jsonl, nothing left pending,
    # every stored attachment on disk with the recorded hash.
    with State(state_path(tmp_path)) as state:
        assert set(state.known_articles()) == set(latest)
        assert state.pending_count() == 0
        assert (state.run("run2") or {}).get("outcome") == "promoted"
        outcome = (state.run("run1") or {}).get("outcome")
        assert outcome == "abandoned" if abandoned else outcome in ("abandoned", "promoted")
        attachments = [a for record in latest.values() for a in record["attachments"]]
        assert attachments
        for attachment in attachments:
            assert state.attachment(attachment["url"]) == (attachment["sha256"], attachment["path"])
            stored = (tmp_path / attachment["path"]).read_bytes()
            assert hashlib.sha256(stored).hexdigest() == attachment["sha256"]


def promoted(output: Path, run_id: str) -> bool:
    """Whether the state says `run_id` was promoted (read only: the crawl holds it open)."""
    uri = f"file:{state_path(output)}?mode=ro"
    with sqlite3.connect(uri, uri=True) as db:
        row = db.execute("SELECT outcome FROM runs WHERE run_id = ?", (run_id,)).fetchone()
    db.close()
    return row is not None and row[0] == "promoted"


def test_a_kill_between_the_states_commit_and_latest_jsonl_is_repaired_by_the_next_run(
    tmp_path: Path,
) -> None:
    """Issue 18: SIGKILL after the state promoted a run, before `latest.jsonl` was renamed.

    `latest.jsonl.tmp` is made a FIFO: the crawl blocks opening it, after the state's commit and
    before the rename, until it is killed there (no race with a clock).
    """
    site = ReplicaSite(lang="en", variant="bitrix", articles_per_section=3)
    with serve(site) as base:
        assert crawl_in_process(base, tmp_path, run_id="run1").returncode == 0
        site.add_articles("news_odkb", 2)
        truth = {record["url"]: record for record in site.expected_articles()}
        os.mkfifo(tmp_path / "news" / "latest.jsonl.tmp")
        command = [sys.executable, "-m", "scrapy", "crawl", "news"]
        command += options(base, tmp_path, (), {"CSTOCRAWL_RUN_ID": "run2"})
        killed = subprocess.Popen(
            command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 120
        while not promoted(tmp_path, "run2"):
            assert killed.poll() is None, "the crawl ended before the kill point"
            assert time.monotonic() < deadline, "the kill point was never reached"
            time.sleep(0.05)
        killed.send_signal(signal.SIGKILL)
        assert killed.wait(timeout=30) == -signal.SIGKILL
    (tmp_path / "news" / "latest.jsonl.tmp").unlink()
    stale = by_url(read_latest(tmp_path))
    assert len(stale) == len(truth) - 2  # the state promoted run2, latest.jsonl lacks its two

    # The next run finds the site unreachable (the server is gone): it fails, exit 69, but it
    # has repaired latest.jsonl before anything else.
    again = run_cron(base, tmp_path, settings={"CSTOCRAWL_RUN_ID": "run3"})
    assert again.returncode == 69, again.stderr
    latest = by_url(read_latest(tmp_path))
    assert sorted(latest) == sorted(truth)
    for url, record in truth.items():
        assert comparable(latest[url]) == record, url
    log = (tmp_path / "logs" / "run3.log").read_text(encoding="utf-8")
    assert (
        f"WARNING: {tmp_path / 'news' / 'latest.jsonl'} is stale: runs run2 were promoted after "
        "it was last rebuilt; rebuilt from the state"
    ) in log
    with State(state_path(tmp_path)) as state:
        assert state.latest_stale() == []
        assert (state.run("run3") or {}).get("outcome") == "discarded"
