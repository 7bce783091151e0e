"""`scrapy crawl` with `news/` on a tiny tmpfs that fills up mid-run (issue 13, defect 4): no torn
file ever gets a final name, nothing is promoted, and the next run on a disk with room recovers.

The tmpfs is mounted in a private mount namespace (`unshare -rm`), so the test needs no root and
leaves nothing mounted; it is skipped where user namespaces are not allowed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cstocrawl.store.state import State, state_path
from tests.crawling import (
    REPO,
    by_url,
    comparable,
    crawl_in_process,
    options,
    read_latest,
    read_manifest,
)
from tests.replica import ReplicaSite, serve

# Mount a tmpfs on $NEWS, run the command, keep a copy of what it left there, exit with its code.
SCRIPT = (
    'mount -t tmpfs -o size=32k cstocrawl-full "$NEWS" || exit 97; '
    '"$@"; code=$?; cp -a "$NEWS"/. "$SAVED"/; exit $code'
)


def tmpfs_allowed(tmp_path: Path) -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", f"mount -t tmpfs -o size=4k probe {tmp_path}"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


def test_a_full_disk_never_leaves_a_torn_dataset_under_its_final_name(tmp_path: Path) -> None:
    if not tmpfs_allowed(tmp_path):
        pytest.skip("cannot mount a tmpfs in a user namespace here")
    output, saved = tmp_path / "out", tmp_path / "saved"
    (output / "news").mkdir(parents=True)
    saved.mkdir()
    site = ReplicaSite(lang="en", variant="custom")
    truth = {record["url"]: record for record in site.expected_articles()}
    with serve(site) as base:
        command = [sys.executable, "-m", "scrapy", "crawl", "news"]
        command += options(base, output, (), {"CSTOCRAWL_RUN_ID": "full"})
        env = {"NEWS": str(output / "news"), "SAVED": str(saved), "PATH": "/usr/bin:/bin"}
        full = subprocess.run(
            ["unshare", "-rm", "sh", "-c", SCRIPT, "sh", *command],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=300,
            env=env,
            check=False,
        )
        assert full.returncode != 97, full.stderr
        again = crawl_in_process(base, output, run_id="again")  # the run after: in process
    log = full.stderr
    assert "Dumping Scrapy stats" in log, log[-3000:]  # the crawl closed, it did not hang

    # The disk filled while the dataset was written: it kept its temporary name, cut short.
    assert "Dataset " in log and "cannot be written: [Errno 28] No space left on device" in log
    assert "Dataset written" not in log
    assert not (saved / "full.jsonl").exists()
    assert (saved / "full.jsonl.tmp").exists()
    for path in saved.iterdir():  # whatever did get a final name parses whole
        if path.suffix in (".jsonl", ".json"):
            data = path.read_bytes()
            assert data == b"" or data.endswith(b"\n") or path.suffix == ".json", path
            assert all(json.loads(line) for line in data.splitlines()), path
    with State(state_path(output)) as state:
        run = state.run("full")
        assert run is not None and run["outcome"] != "promoted"

    # The next run, with room, emits everything: the full run recorded nothing as seen.
    assert (output / "news" / "again.jsonl").exists(), again.log[-3000:]
    assert read_manifest(output, "again")["counts"]["new"] == len(truth)
    latest = by_url(read_latest(output))
    assert sorted(latest) == sorted(truth)
    for url, record in truth.items():
        assert comparable(latest[url]) == record, url
