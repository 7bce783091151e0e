"""Limits on attachment work (issue 13, defects 3 and 5), through the attachments pipeline with
real worker processes: a file too slow or too big to read is `failed` with the reason, that
failure is remembered by content and extractor, and nothing is ever read in the crawl's process."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
from pathlib import Path
from typing import Any

import pytest

from cstocrawl.extract import Extraction
from cstocrawl.items import Attachment
from cstocrawl.pipelines import attachments
from cstocrawl.pipelines.attachments import AttachmentsPipeline
from cstocrawl.processes.extension import Workers
from cstocrawl.processes.workers import WorkerDied
from cstocrawl.store.files import by_url_path, failure_path, text_path
from tests.crawling import descendants, project_crawler, wait_gone
from tests.documents import make_docx, make_pdf
from tests.extract.hostile import one_letter_runs_docx, shared_stream_pdf

MB = 2**20
URL = "https://en.odkb-csto.org/upload/iblock/000/f.pdf"
# The project's settings without its extensions (a run lock, the manifest): only the pipeline runs.


@pytest.fixture(autouse=True)
def never_inline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text extraction in the test (crawl) process fails the test: it belongs in a worker."""

    def inline(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("attachment text extracted in the crawl process")

    monkeypatch.setattr(attachments, "extract_text", inline)


@pytest.fixture(autouse=True)
def no_process_left() -> Any:
    before = descendants(os.getpid())
    yield
    assert wait_gone(descendants(os.getpid()) - before, timeout=10) == set()


RUNS = itertools.count(1)  # each describe() is a run of its own, as each crawl is


def describe(tmp_path: Path, data: bytes, **settings: Any) -> tuple[Attachment, Extraction, Any]:
    """What the pipeline records for a downloaded file with these bytes, in a fresh crawl (a run)."""
    crawler = project_crawler(tmp_path, **{"CSTOCRAWL_RUN_ID": f"run{next(RUNS)}", **settings})
    pipeline = AttachmentsPipeline.from_crawler(crawler)
    attachment = Attachment(URL, "f", status="stored")
    by_url = tmp_path / "files" / by_url_path(URL)
    by_url.parent.mkdir(parents=True, exist_ok=True)
    if not by_url.exists():
        by_url.write_bytes(data)
    try:
        extraction = asyncio.run(pipeline._describe(attachment))
    finally:
        Workers.of(crawler).shutdown()
    return attachment, extraction, crawler


def test_a_pdf_over_the_time_limit_fails_and_is_not_read_again_until_the_extractor_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 20 pages drawing one stream of 200,000 operators: seconds a page in pypdf, 4 KB on disk.
    data = shared_stream_pdf(20, 200_000)
    assert len(data) < 10_000
    limits = {"CSTOCRAWL_ATTACHMENT_TIMEOUT": 1}
    first, _, _ = describe(tmp_path, data, **limits)
    reason = "extraction took longer than 1 s (CSTOCRAWL_ATTACHMENT_TIMEOUT)"
    assert (first.status, first.error, first.text) == ("failed", reason, "")
    assert (first.media_type, first.size) == ("application/pdf", len(data))
    assert first.sha256 is not None
    memo = tmp_path / "files" / failure_path(first.sha256)
    assert json.loads(memo.read_text())["error"] == reason

    # The next run does not read it again: no worker is even started.
    second, _, crawler = describe(tmp_path, data, **limits)
    assert second.status == "failed"
    assert second.error == f"{reason} (remembered, not tried again)"
    assert crawler.stats.get_value("cstocrawl/attachments/failure_remembered") == 1
    assert Workers.of(crawler).pids() == []

    # A new extractor tries again (and here fails again, so the memo is renewed).
    monkeypatch.setattr(attachments, "EXTRACTOR_VERSION", "a better extractor")
    third, _, crawler = describe(tmp_path, data, **limits)
    assert (third.status, third.error) == ("failed", reason)
    assert crawler.stats.get_value("cstocrawl/attachments/failure_remembered") is None
    assert json.loads(memo.read_text())["key"]["extractor"] == "a better extractor"


def test_a_docx_over_the_memory_limit_fails_and_a_normal_one_passes_under_it(
    tmp_path: Path,
) -> None:
    # 20 MiB of one-letter runs: about 400 MB to read, 50 KB on disk, within the zip caps.
    data = one_letter_runs_docx(20 * MB)
    assert len(data) < 100_000
    limits = {"CSTOCRAWL_ATTACHMENT_MAX_MEMORY": 250 * MB}
    described, _, _ = describe(tmp_path / "bomb", data, **limits)
    reason = "extraction needed more than 250 MiB (CSTOCRAWL_ATTACHMENT_MAX_MEMORY)"
    assert (described.status, described.error, described.text) == ("failed", reason, "")
    assert described.sha256 is not None
    assert (tmp_path / "bomb" / "files" / failure_path(described.sha256)).exists()

    normal, _, _ = describe(tmp_path / "normal", make_docx(["Statement", "Annex"]), **limits)
    assert (normal.status, normal.text, normal.error) == (
        "stored",
        "Statement\nAnnex",
        None,
    )


def test_text_over_the_character_cap_is_cut_and_says_so(tmp_path: Path) -> None:
    lines = [f"Line {number:03d} of a long annex" for number in range(200)]
    described, extraction, _ = describe(
        tmp_path, make_pdf(lines), CSTOCRAWL_ATTACHMENT_MAX_CHARS=100
    )
    assert described.status == "stored"
    assert described.text == "\n".join(lines)[:100]
    assert described.error == "text cut at 100 characters (CSTOCRAWL_ATTACHMENT_MAX_CHARS)"
    assert extraction.truncated is True


def test_a_crashed_extraction_is_failed_and_remembered_not_run_inline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def crash(self: Workers, *args: Any) -> Any:
        raise WorkerDied("the worker was killed by SIGKILL")

    monkeypatch.setattr(Workers, "extract", crash)
    described, _, _ = describe(tmp_path, make_docx(["x"]))
    reason = "extraction crashed: the worker was killed by SIGKILL"
    assert (described.status, described.error) == ("failed", reason)
    assert described.sha256 is not None
    assert (tmp_path / "files" / failure_path(described.sha256)).exists()


def test_a_text_extracted_once_is_kept_and_read_back_until_the_code_or_limits_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 20: a later run (a re-extraction from the WARC files above all) reads the kept text
    of a stored file instead of extracting the same bytes again."""
    data = make_docx(["Statement", "Annex"])
    first, extraction, crawler = describe(tmp_path, data)
    assert (first.status, first.text) == ("stored", "Statement\nAnnex")
    assert first.sha256 is not None
    assert crawler.stats.get_value("cstocrawl/attachments/text_kept") is None
    kept = tmp_path / "files" / text_path(first.sha256)
    assert json.loads(kept.read_text())["key"]["max_chars"] == 1_000_000  # the default cap

    # Read back: no worker started, the same record.
    second, again, crawler = describe(tmp_path, data)
    assert (second, again) == (first, extraction)
    assert crawler.stats.get_value("cstocrawl/attachments/text_kept") == 1
    assert Workers.of(crawler).pids() == []

    # Other limits, changed extraction code, a torn file: extracted again.
    cut, _, crawler = describe(tmp_path, data, CSTOCRAWL_ATTACHMENT_MAX_CHARS=5)
    assert (cut.text, crawler.stats.get_value("cstocrawl/attachments/text_kept")) == ("State", None)
    monkeypatch.setattr(attachments, "extractor_code", lambda: "0" * 64)
    fixed, _, crawler = describe(tmp_path, data)
    assert crawler.stats.get_value("cstocrawl/attachments/text_kept") is None
    assert fixed.text == first.text
    kept.write_text(kept.read_text()[:20])
    torn, _, crawler = describe(tmp_path, data)
    assert crawler.stats.get_value("cstocrawl/attachments/text_kept") is None
    assert torn.text == first.text
    assert json.loads(kept.read_text())["extraction"]["text"] == "Statement\nAnnex"


def test_a_text_that_cannot_be_kept_is_only_extracted_again(tmp_path: Path) -> None:
    """Keeping the text is a saving, never the article's failure (a full disk, a vanished dir)."""
    kept = tmp_path / "gone" / text_path("0" * 64)
    key = attachments.TextKey("x", "0" * 64, 1, None)
    attachments._keep_text(kept, key, Extraction("application/pdf", "text", None, True))
    assert not kept.parent.exists()
    assert attachments._kept_text(kept, key) is None
