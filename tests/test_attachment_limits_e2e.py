"""Hostile attachments through the real `scrapy crawl` (issue 13, defects 3, 5 and 8): a file too
slow or too big to read fails alone and is not read again; SIGTERM stops a crawl whose worker is
busy; SIGKILL leaves no process behind."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from functools import cache
from pathlib import Path
from typing import Any

from tests.crawling import (
    REPO,
    by_url,
    crawl_in_process,
    descendants,
    options,
    read_dataset,
    run_stats,
    wait_gone,
)
from tests.extract.hostile import one_letter_runs_docx, shared_stream_pdf
from tests.replica import Fault, ReplicaSite, serve
from tests.replica.content import DOCX_TYPE, PDF_TYPE

MB = 2**20
# The cap the .docx below passes; in the tests that ignore it, it keeps it from taking a gigabyte.
MEMORY = {"CSTOCRAWL_ATTACHMENT_MAX_MEMORY": str(250 * MB)}
SLOW_PDF = "/upload/iblock/000/Annex%201.pdf"
BIG_DOCX = "/upload/iblock/445/445f13a1a614da95468ef5951f1fd1ad.docx"


@cache
def inflating_docx() -> bytes:
    """A .docx whose document part inflates to 180 MiB of one-letter runs: within the 200 MiB zip
    cap, but inflating it (ours, then python-docx's) passes 250 MiB before any parsing: issue 21."""
    return one_letter_runs_docx(180 * MB)


def hostile_site(pdf: bytes) -> ReplicaSite:
    """The replica with one PDF replaced by `pdf` and one .docx by `inflating_docx()`."""
    site = ReplicaSite(lang="en", variant="custom", articles_per_section=5, page_size=5)
    paths = {article.attachment.path for article in site.articles if article.attachment}
    assert {SLOW_PDF, BIG_DOCX} <= paths
    site.set_fault(SLOW_PDF, Fault(200, pdf, content_type=PDF_TYPE))
    site.set_fault(BIG_DOCX, Fault(200, inflating_docx(), content_type=DOCX_TYPE))
    return site


def attachments_by_path(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {
        "/" + a["url"].split("/", 3)[3]: a for record in records for a in record["attachments"]
    }


def test_slow_and_huge_attachments_fail_alone_and_are_not_read_again(tmp_path: Path) -> None:
    # No clock race (issue 21): the .docx passes the memory cap within a second, inflating, far
    # inside the time limit. The PDF (hours in pypdf, 166 KB on disk) overruns a limit for sure,
    # but which one first depends on the machine's speed (its text grows while the clock runs), so
    # either is its right failure; the time limit alone is tested in tests/processes/test_workers.py.
    site = hostile_site(shared_stream_pdf(1000, 1_900_000))
    truth = {record["url"]: record for record in site.expected_articles()}
    good = site.expected_attachments()  # by URL
    settings = {"CSTOCRAWL_ATTACHMENT_TIMEOUT": "10", **MEMORY}
    with serve(site) as base:
        first = crawl_in_process(base, tmp_path, settings=settings)
        second = crawl_in_process(base, tmp_path, "full=1", run_id="run2", settings=settings)
    assert first.returncode == 0, first.log[-3000:]
    assert second.returncode == 0, second.log[-3000:]

    slow = "extraction took longer than 10 s (CSTOCRAWL_ATTACHMENT_TIMEOUT)"
    big = "extraction needed more than 250 MiB (CSTOCRAWL_ATTACHMENT_MAX_MEMORY)"
    for run_id, suffix in (("run1", ""), ("run2", " (remembered, not tried again)")):
        records = read_dataset(tmp_path, run_id)
        assert sorted(by_url(records)) == sorted(truth)  # every article, once
        produced = attachments_by_path(records)
        assert produced[SLOW_PDF]["status"] == "failed"
        assert produced[SLOW_PDF]["error"] in (slow + suffix, big + suffix)
        assert (produced[BIG_DOCX]["status"], produced[BIG_DOCX]["error"]) == ("failed", big + suffix)
        for path, attachment in produced.items():
            if path not in (SLOW_PDF, BIG_DOCX):  # the others are read as ever
                assert attachment["text"] == good[attachment["url"]]["text"], path
                assert attachment["error"] is None
    first_stats, second_stats = run_stats(tmp_path), run_stats(tmp_path, "run2")
    assert first_stats["finish_reason"] == "finished"
    assert first_stats["cstocrawl/attachments/failed"] == 2
    assert "cstocrawl/attachments/failure_remembered" not in first_stats
    assert second_stats["cstocrawl/attachments/failure_remembered"] == 2


def start_crawl(base: str, output_dir: Path, log: Path, settings: dict[str, str]) -> Any:
    command = [sys.executable, "-m", "scrapy", "crawl", "news"]
    command += options(base, output_dir, (), {"CSTOCRAWL_RUN_ID": "run1", **settings})
    return subprocess.Popen(command, cwd=REPO, stderr=log.open("w"), stdout=subprocess.DEVNULL)


def wait_for_extraction(site: ReplicaSite, crawl: Any) -> set[int]:
    """Once the slow PDF was downloaded and a worker reads it: the crawl's processes then."""
    deadline = time.monotonic() + 120  # a bound on a hang, not a timing: a loaded machine is slow
    while site.hits.get(SLOW_PDF, 0) == 0 or len(descendants(crawl.pid)) < 2:
        assert time.monotonic() < deadline, "the crawl never reached the slow attachment"
        assert crawl.poll() is None, "the crawl ended early"
        time.sleep(0.1)
    time.sleep(2)  # into the extraction
    return descendants(crawl.pid)


def test_one_sigterm_stops_a_crawl_whose_worker_reads_a_file_for_hours(tmp_path: Path) -> None:
    # The campaign's PDF: 166 KB, 1,000 pages sharing 1.9 M tokens, about 25 s a page. No time
    # limit, so only the stop can end the extraction.
    site = hostile_site(shared_stream_pdf(1000, 1_900_000))
    log = tmp_path / "crawl.log"
    with serve(site) as base:
        crawl_process = start_crawl(
            base, tmp_path, log, {"CSTOCRAWL_ATTACHMENT_TIMEOUT": "0", **MEMORY}
        )
        try:
            workers = wait_for_extraction(site, crawl_process)
            crawl_process.send_signal(signal.SIGTERM)
            returncode = crawl_process.wait(timeout=120)
        finally:
            crawl_process.kill()
            crawl_process.wait()
    text = log.read_text()
    assert returncode >= 0, text[-3000:]  # exited by itself (its code is issue 10's business)
    assert "Received SIGTERM, shutting down gracefully" in text
    assert run_stats(tmp_path)["finish_reason"] == "shutdown"
    assert wait_gone(workers) == set()


def test_a_killed_crawl_leaves_no_process_behind(tmp_path: Path) -> None:
    site = hostile_site(shared_stream_pdf(1000, 1_900_000))
    log = tmp_path / "crawl.log"
    with serve(site) as base:
        crawl_process = start_crawl(
            base, tmp_path, log, {"CSTOCRAWL_ATTACHMENT_TIMEOUT": "0", **MEMORY}
        )
        try:
            processes = wait_for_extraction(site, crawl_process)
        finally:
            crawl_process.send_signal(signal.SIGKILL)
            crawl_process.wait()
    assert processes
    assert wait_gone(processes) == set(), log.read_text()[-3000:]
