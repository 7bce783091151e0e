"""The attachments pipeline's download side, in process: what it requests from a mirror, where a
download is stored, what it refuses to store, and how each outcome reaches the item."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.http import Response
from scrapy.pipelines.media import FileException
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from cstocrawl import settings as project_settings
from cstocrawl.items import Article
from cstocrawl.pipelines.attachments import URL_META, AttachmentsPipeline
from cstocrawl.spiders.news import NewsSpider

# The project's settings without its extensions (a run lock, the manifest): only the pipeline runs.
PROJECT = {
    name: getattr(project_settings, name)
    for name in dir(project_settings)
    if name.isupper() and name != "EXTENSIONS"
}
MIRROR = "http://127.0.0.1:8800"
PDF_URL = "https://en.odkb-csto.org/upload/iblock/000/Annex%201.pdf"
DOCX_URL = "https://en.odkb-csto.org/upload/iblock/445/statement.docx?v=2"


def pipeline(tmp_path: Path) -> AttachmentsPipeline:
    settings = {
        **PROJECT,
        "CSTOCRAWL_OUTPUT_DIR": str(tmp_path),
        "CSTOCRAWL_ATTACHMENT_MAXSIZE": 12345,
    }
    crawler = get_crawler(NewsSpider, settings)
    crawler.spider = NewsSpider.from_crawler(crawler, base_url=MIRROR)
    crawler.stats.open_spider()
    return AttachmentsPipeline.from_crawler(crawler)


def statement() -> Article:
    return Article(
        url="https://en.odkb-csto.org/documents/statements/a/",
        lang="en",
        section="statements",
        title="Statement",
        published="2024-03-01",
        text="The statement.",
        attachments=[{"url": PDF_URL, "name": "Annex 1"}, {"url": DOCX_URL, "name": "Statement"}],
    )


def test_attachments_are_requested_from_the_mirror_under_the_size_limit(tmp_path: Path) -> None:
    requests = pipeline(tmp_path).get_media_requests(statement(), None)  # type: ignore[arg-type]
    assert [r.url for r in requests] == [
        f"{MIRROR}/upload/iblock/000/Annex%201.pdf",
        f"{MIRROR}/upload/iblock/445/statement.docx?v=2",
    ]
    assert [r.meta[URL_META] for r in requests] == [PDF_URL, DOCX_URL]
    assert {r.meta["download_maxsize"] for r in requests} == {12345}


def test_a_download_is_stored_by_its_canonical_url_whatever_mirror_served_it(
    tmp_path: Path,
) -> None:
    files = pipeline(tmp_path)
    paths = {
        files.file_path(Request(f"{origin}/upload/iblock/000/Annex%201.pdf", meta={URL_META: PDF_URL}))
        for origin in (MIRROR, "http://127.0.0.1:9900", "https://en.odkb-csto.org")
    }
    assert paths == {f"by-url/{hashlib.sha1(PDF_URL.encode()).hexdigest()}"}
    assert files.store_dir == tmp_path / "files"


@pytest.mark.parametrize(
    ("status", "body", "reason"),
    [
        (404, b"%PDF-1.4 not found", "HTTP 404"),
        (200, b"<!DOCTYPE html><html><body>Login</body></html>", "HTML page instead of a document"),
    ],
)
def test_an_error_or_an_html_page_is_refused_before_it_is_stored(
    tmp_path: Path, status: int, body: bytes, reason: str
) -> None:
    files = pipeline(tmp_path)
    request = Request(f"{MIRROR}/upload/x.pdf", meta={URL_META: PDF_URL})
    response = Response(request.url, status=status, body=body, request=request)
    with pytest.raises(FileException, match=f"^{reason}$"):
        asyncio.run(files.media_downloaded(response, request, None))  # type: ignore[arg-type]
    assert [path for path in (tmp_path / "files").rglob("*") if path.is_file()] == []


def test_a_failed_download_keeps_its_reason(tmp_path: Path) -> None:
    files = pipeline(tmp_path)
    request = Request(f"{MIRROR}/upload/x.pdf")
    timeout = Failure(TimeoutError("Getting http://127.0.0.1:8800/upload/x.pdf took longer"))
    with pytest.raises(FileException, match=r"^Getting .* took longer$"):
        files.media_failed(timeout, request, None)  # type: ignore[arg-type]


def test_each_outcome_reaches_its_attachment(tmp_path: Path) -> None:
    results: list[tuple[bool, Any]] = [
        (True, {"status": "uptodate", "path": "by-url/aa", "url": PDF_URL}),
        (False, Failure(FileException("HTTP 503"))),
    ]
    item = pipeline(tmp_path).item_completed(results, statement(), None)  # type: ignore[arg-type]
    stored, failed = item.attachments
    assert stored == {
        "url": PDF_URL,
        "name": "Annex 1",
        "path": "by-url/aa",
        "sha256": None,
        "size": None,
        "media_type": None,
        "status": "stored",
        "text": None,
        "error": None,
    }
    assert (failed["status"], failed["error"], failed["path"]) == ("failed", "HTTP 503", None)
