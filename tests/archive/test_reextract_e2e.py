"""Crawl the replica, stop it, and rebuild the datasets from the WARC files alone (issue 12).

The crawls and re-extractions run with the real engine in process; `python -m
cstocrawl.archive.reextract` runs as a process where the process is what is tested (its file
descriptors, its refusal). After the crawl, a plain listener takes the replica's port and counts
connections: the re-extraction must make none.
"""

from __future__ import annotations

import json
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from warcio.cli import main as warcio_main

from cstocrawl import settings as project_settings
from cstocrawl.archive.reextract import warc_files
from tests.crawling import (
    REPO,
    after_run,
    by_url,
    crawl_in_process,
    options,
    read_dataset,
    read_latest,
    reextract_in_process,
    run_stats,
)
from tests.crawling import comparable as as_truth
from tests.crawling import read_manifest as manifest_of
from tests.replica import Fault, ReplicaSite, padded, serve
from tests.replica.sister import SISTERS, SisterSite

# When a run met the article and how it stood to the state then (a rebuilt output dir first saw
# every article at its rebuild).
VOLATILE = ("crawled_at", "first_seen", "last_changed", "change")
CORRECTED = "A corrected first paragraph, long enough to be an article's body on its own."


def reextract(
    output_dir: Path, max_open_files: int | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m cstocrawl.archive.reextract`, run re1; `max_open_files`: its RLIMIT_NOFILE
    (`ulimit -n`)."""
    command = [sys.executable, "-m", "cstocrawl.archive.reextract"]
    for name, value in {"CSTOCRAWL_OUTPUT_DIR": str(output_dir), "CSTOCRAWL_RUN_ID": "re1"}.items():
        command += ["-s", f"{name}={value}"]

    def limit_files() -> None:
        if max_open_files is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (max_open_files, max_open_files))

    return subprocess.run(
        command,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        preexec_fn=limit_files,
    )


@contextmanager
def listening(port: int) -> Iterator[list[str]]:
    """A plain TCP listener on 127.0.0.1:`port` for the block; yields the peers that connected."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", port))
    server.listen(16)
    server.settimeout(0.1)
    peers: list[str] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, peer = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            peers.append(f"{peer[0]}:{peer[1]}")
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield peers
    finally:
        stop.set()
        thread.join(timeout=5)
        server.close()


def comparable(record: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in record.items() if name not in VOLATILE}


def warcio_check(path: Path) -> int:
    with pytest.raises(SystemExit) as exit:
        warcio_main(["check", str(path)])
    return int(exit.value.code or 0)


def readme_steps_find_a_page(warc: Path) -> str:
    """README's `warcio index` command, as written, then `warcio extract --payload` at the
    offset it printed for the first listing page: the page as served (issue 19)."""
    readme = (REPO / "README.md").read_text("utf-8")
    pattern = r"^\.venv/bin/warcio (index .+) output/warc/<run id>\.warc\.gz$"
    [command] = re.findall(pattern, readme, flags=re.MULTILINE)
    warcio = str(Path(sys.executable).parent / "warcio")

    def run(*args: str) -> str:
        done = subprocess.run([warcio, *args], capture_output=True, text=True, check=True)
        return done.stdout

    records = [json.loads(line) for line in run(*command.split(), str(warc)).splitlines()]
    [offset] = [
        record["offset"]
        for record in records
        if record["warc-type"] == "response" and record["warc-target-uri"].endswith("/news/")
    ]
    return run("extract", "--payload", str(warc), offset)


def small_site() -> ReplicaSite:
    """Two listing pages a section, statements with attachments, one page answering 503 first."""
    site = ReplicaSite(lang="en", variant="bitrix", articles_per_section=6, page_size=4)
    flaky = next(a for a in site.articles if a.section == "smi")
    site.set_fault(urlsplit(flaky.url).path, Fault(503, times=1))  # retried: 503, then 200
    return site


def test_a_dataset_rebuilt_from_the_warc_equals_the_live_one_with_no_network(
    tmp_path: Path,
) -> None:
    live, rebuilt = tmp_path / "live", tmp_path / "rebuilt"
    site = small_site()
    # Attachments in full, so a fresh output dir with only the WARC files is enough.
    with serve(site) as base_url:
        crawled = crawl_in_process(
            base_url, live, settings={"CSTOCRAWL_WARC_ATTACHMENTS": "True"}
        )
    assert crawled.returncode == 0, crawled.log[-3000:]
    live_stats = run_stats(live)
    warcs = warc_files(live / "warc")
    assert [path.name for path in warcs] == ["run1.warc.gz"]
    assert not list((live / "warc").glob("*.open"))
    assert all(warcio_check(path) == 0 for path in warcs)
    assert live_stats["cstocrawl/warc/records"] == 2 * live_stats["downloader/response_count"]
    assert readme_steps_find_a_page(warcs[0]).startswith("<!DOCTYPE html>")

    # Only the WARC files go to the new output dir: no state, no files/, no replica.
    shutil.copytree(live / "warc", rebuilt / "warc")
    port = urlsplit(base_url).port
    assert port is not None
    with listening(port) as peers:
        result = reextract_in_process(rebuilt)
    assert result.returncode == 0, result.log[-3000:]
    assert peers == []  # zero connections to the site's address
    stats = run_stats(rebuilt, "re1")
    assert stats["downloader/request_count"] == stats["cstocrawl/replay/served"]
    assert not any(key.startswith("downloader/exception") for key in stats)
    assert "cstocrawl/warc/records" not in stats  # a re-extraction captures nothing new

    expected = by_url(read_dataset(live))
    produced = by_url(read_dataset(rebuilt, "re1"))
    assert sorted(produced) == sorted(expected) and len(expected) == len(site.articles)
    for url, record in expected.items():
        assert comparable(produced[url]) == comparable(record), url
    assert [comparable(r) for r in read_latest(rebuilt)] == [
        comparable(r) for r in read_latest(live)
    ]
    manifest = manifest_of(rebuilt, "re1")
    assert manifest["mode"] == "reextract"
    assert manifest["outcome"]["code"] == 0
    assert manifest["counts"]["new"] == len(expected)
    assert not (rebuilt / "warc" / "re1.warc.gz").exists()


@pytest.mark.parametrize("name", SISTERS)
def test_a_sister_sites_warc_files_are_replayed_by_its_own_spider(
    tmp_path: Path, name: str
) -> None:
    """Issue 22: the WARC files name their spider; a fresh output dir holding only them is
    rebuilt by it (the news spider would find none of the site's pages), the same dataset."""
    live, rebuilt = tmp_path / "live", tmp_path / "rebuilt"
    site = SisterSite(name)
    with serve(site) as base_url:
        crawled = crawl_in_process(base_url, live, "lang=ru", spider=name)
    assert crawled.returncode == 0, crawled.log[-3000:]
    expected = by_url(read_dataset(live))
    assert len(expected) == len(site.by_lang["ru"]) > 0

    shutil.copytree(live / "warc", rebuilt / "warc")
    result = reextract_in_process(rebuilt)
    assert result.returncode == 0, result.log[-3000:]
    produced = by_url(read_dataset(rebuilt, "re1"))
    assert {url: comparable(r) for url, r in produced.items()} == {
        url: comparable(r) for url, r in expected.items()
    }
    manifest = manifest_of(rebuilt, "re1")
    assert (manifest["spider"], manifest["mode"], manifest["source"]["lang"]) == (
        name,
        "reextract",
        "ru",
    )
    stats = manifest["stats"]
    assert stats["downloader/request_count"] == stats["cstocrawl/replay/served"]


def test_a_parser_fix_reaches_every_archived_article(tmp_path: Path) -> None:
    site = small_site()
    with serve(site) as base_url:
        # Attachments kept under files/, revisits in the WARC.
        crawled = crawl_in_process(base_url, tmp_path)
    assert crawled.returncode == 0, crawled.log[-3000:]
    live = by_url(read_dataset(tmp_path))
    revisits = run_stats(tmp_path)["cstocrawl/warc/revisits"]
    stored = {a["url"] for r in live.values() for a in r["attachments"] if a["path"]}
    assert revisits == len(stored) > 0  # each attachment fetched once, kept by its digest

    # The "fix": every title as a changed rule gives it, before the cleaning pipeline hashes it.
    pipelines = {**project_settings.ITEM_PIPELINES, "tests.pipelines.fixing.UpperTitles": 50}
    fixed = {"ITEM_PIPELINES": json.dumps(pipelines)}
    after_run(tmp_path, "run1")  # its times are whole seconds: the fix is a later change
    result = reextract_in_process(tmp_path, run_id="fix1", settings=fixed)
    assert result.returncode == 0, result.log[-3000:]

    produced = by_url(read_dataset(tmp_path, "fix1"))
    assert sorted(produced) == sorted(live)
    for url, before in live.items():
        after = produced[url]
        assert after["title"] == before["title"].upper() != before["title"], url
        # Same article otherwise; the attachments were already stored, not downloaded again.
        same = {**comparable(before), "title": after["title"]}
        same["attachments"] = [{**a, "status": "stored"} for a in before["attachments"]]
        same.pop("content_sha256")
        assert {k: v for k, v in comparable(after).items() if k != "content_sha256"} == same
        # An edit of a known article to the state: first seen by the live run, changed now.
        assert (after["change"], after["first_seen"]) == ("changed", before["first_seen"])
        assert after["last_changed"] == after["crawled_at"] > before["last_changed"]
    latest = by_url(read_latest(tmp_path))
    assert {url: r["title"] for url, r in latest.items()} == {
        url: r["title"].upper() for url, r in live.items()
    }
    manifest = manifest_of(tmp_path, "fix1")
    assert manifest["mode"] == "reextract"
    assert manifest["counts"]["changed"] == len(live)
    # Their texts were read back, not extracted again (issue 20): the same bytes, the same code.
    described = sum(1 for r in live.values() for a in r["attachments"] if a["path"])
    assert manifest["stats"]["cstocrawl/attachments/text_kept"] == described > 0


def test_a_killed_crawl_leaves_its_warc_under_the_temporary_name_only(tmp_path: Path) -> None:
    site = ReplicaSite(lang="en", variant="bitrix", articles_per_section=4, page_size=4)
    # Every article hangs: the crawl is still running when it is killed.
    for article in site.articles:
        site.set_fault(urlsplit(article.url).path, Fault(status=None, delay=120))
    command = [sys.executable, "-m", "scrapy", "crawl", "news"]
    with serve(site) as base_url:
        command += options(base_url, tmp_path, (), {"CSTOCRAWL_RUN_ID": "run1"})
        killed = subprocess.Popen(
            command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            torn = tmp_path / "warc" / "run1.warc.gz.open"
            deadline = time.monotonic() + 120
            while not (torn.exists() and torn.stat().st_size > 5000):  # listings captured
                assert killed.poll() is None, "the crawl ended before the kill"
                assert time.monotonic() < deadline, "the crawl captured nothing"
                time.sleep(0.1)
            killed.send_signal(signal.SIGKILL)
            assert killed.wait(timeout=30) == -signal.SIGKILL
        finally:
            if killed.poll() is None:
                killed.kill()
                killed.wait()
    assert [path.name for path in (tmp_path / "warc").iterdir()] == ["run1.warc.gz.open"]
    assert warc_files(tmp_path / "warc") == []  # never read by default
    result = reextract(tmp_path)
    assert result.returncode == 64 and "no WARC files" in result.stderr


def test_newest_captures_win_across_daily_runs_and_no_article_is_lost(tmp_path: Path) -> None:
    """Day 2 (incremental) captured an edit, and 3 new articles shifted the section's listing
    pages: the articles pushed from day 1's page 2 past day 2's page 2 (where day 2 stopped
    paging) are on no newest capture, only on day 1's capture of page 2."""
    day = {"CSTOCRAWL_TODAY": "2025-12-01", "CSTOCRAWL_RECHECK_DAYS": "60"}
    section = "sections=news_odkb"  # one listing: /news/ would list the lost ones as well
    site = ReplicaSite(lang="en", variant="custom")
    with serve(site) as base_url:
        first = crawl_in_process(base_url, tmp_path, section, run_id="day1", settings=day)
        added = site.add_articles("news_odkb", 3)
        old = [a.url for a in site.articles if a.section == "news_odkb" and a.url not in added]
        edited = old[0]  # inside the re-check window: fetched again on day 2
        site.edit_article(edited, f"{CORRECTED}\n\nAnd a second paragraph, as long as the first.")
        second = crawl_in_process(base_url, tmp_path, section, run_id="day2", settings=day)
    assert first.returncode == 0, first.log[-3000:]
    assert second.returncode == 0, second.log[-3000:]
    assert {r["url"] for r in read_dataset(tmp_path, "day2")} == {*added, edited}
    assert [p.name for p in warc_files(tmp_path / "warc")] == ["day1.warc.gz", "day2.warc.gz"]

    result = reextract_in_process(tmp_path, section, settings=day)
    assert result.returncode == 0, result.log[-3000:]
    stats = run_stats(tmp_path, "re1")
    assert stats["cstocrawl/replay/older_listings"] > 0
    assert "cstocrawl/replay/unlisted_articles" not in stats  # every one read with its listing
    assert not any("not_archived" in key for key in stats)

    truth = {a["url"]: a for a in site.expected_articles() if a["section"] == "news_odkb"}
    produced = by_url(read_dataset(tmp_path, "re1"))
    assert sorted(produced) == sorted(truth)
    for url, record in produced.items():
        assert as_truth(record) == truth[url], url
    assert produced[edited]["text"].startswith(CORRECTED)
    manifest = manifest_of(tmp_path, "re1")
    assert manifest["counts"]["changed"] == 0  # day 2 had recorded the edit already
    assert manifest["counts"]["unchanged"] == len(truth)


def test_over_a_hundred_warc_files_are_read_with_48_file_descriptors(tmp_path: Path) -> None:
    """Issue 18: every WARC file was kept open (1,920 files under `ulimit -n 1024` failed 401
    articles); now a file is open only while a record is read."""
    site = ReplicaSite(lang="en", variant="custom", articles_per_section=12)
    truth = {record["url"]: record for record in site.expected_articles()}
    with serve(site) as base_url:  # a file per record or so: rotation past 1 byte
        live = crawl_in_process(base_url, tmp_path, settings={"CSTOCRAWL_WARC_MAX_SIZE": "1"})
    assert live.returncode == 0, live.log[-3000:]
    # 105 before discovery (issue 22) added 2 articles, 1 listing and 5 discovery pages.
    assert len(warc_files(tmp_path / "warc")) == 113
    result = reextract(tmp_path, max_open_files=48)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Too many open files" not in result.stderr
    produced = by_url(read_dataset(tmp_path, "re1"))
    assert sorted(produced) == sorted(truth)
    for url, record in truth.items():
        assert as_truth(produced[url]) == record, url


def test_a_record_over_the_live_size_cap_is_one_failed_page_not_read_whole(
    tmp_path: Path,
) -> None:
    """Issue 18: the live crawl's DOWNLOAD_MAXSIZE holds when archived records are inflated."""
    site = ReplicaSite(lang="en", variant="custom", articles_per_section=3)
    big = site.articles[0]
    site.set_fault(big.path, Fault(None, edit=padded(400_000)))
    truth = {record["url"]: record for record in site.expected_articles()}
    with serve(site) as base_url:
        live = crawl_in_process(base_url, tmp_path)  # under the default cap (20 MiB): read
    assert live.returncode == 0, live.log[-3000:]
    assert big.url in by_url(read_dataset(tmp_path))

    result = reextract_in_process(tmp_path, settings={"DOWNLOAD_MAXSIZE": "300000"})
    assert result.returncode == 0, result.log[-3000:]
    produced = by_url(read_dataset(tmp_path, "re1"))
    assert sorted(produced) == sorted(set(truth) - {big.url})
    for url in produced:
        assert as_truth(produced[url]) == truth[url], url
    stats = run_stats(tmp_path, "re1")
    assert stats["cstocrawl/failed/article"] == 1
    assert stats["cstocrawl/replay/too_large"] == 1
    assert (
        f"{urlsplit(big.url).path}: DownloadCancelledError: Expected to receive 400000 bytes "
        "which is larger than download max size (300000) in request <GET "
    ) in result.log
    assert big.url in by_url(read_latest(tmp_path))  # its earlier version stays
