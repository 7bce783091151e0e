"""Content addressing of stored attachments and the pipeline's steps, without the engine."""

import hashlib
from pathlib import Path

import pytest
from itemadapter import ItemAdapter
from scrapy.pipelines.media import FileException, FileInfo, FileInfoOrError
from twisted.python.failure import Failure

from cstocrawl.items import Article, Attachment
from cstocrawl.pipelines.attachments import AttachmentsPipeline, _link_by_content
from cstocrawl.store.files import URL_META, by_url_path, sha256_path
from tests.crawling import project_crawler


def test_same_bytes_from_two_urls_are_one_file_on_disk(tmp_path: Path) -> None:
    first, second = tmp_path / "by-url" / "a", tmp_path / "by-url" / "b"
    first.parent.mkdir()
    first.write_bytes(b"%PDF-1.4 same")
    second.write_bytes(b"%PDF-1.4 same")
    content = tmp_path / sha256_path("ab" * 32, "application/pdf")
    _link_by_content(first, content)
    _link_by_content(second, content)
    assert content.name == "ab" * 32 + ".pdf"
    assert content.samefile(first) and content.samefile(second)
    assert content.stat().st_nlink == 3
    _link_by_content(second, content)  # idempotent on a later run
    assert content.stat().st_nlink == 3


def test_unknown_types_are_stored_as_bin() -> None:
    assert sha256_path("0f" * 32, "text/html") == f"by-sha256/0f/{'0f' * 32}.bin"


# --- the pipeline's steps on typed attachments, in-process (the engine: test_attachments_runs.py) ---

MIRROR = "http://127.0.0.1:8800"
PDF_URL = "https://en.odkb-csto.org/upload/iblock/000/Annex%201.pdf"
DOCX_URL = "https://en.odkb-csto.org/upload/iblock/393/statement.docx"
GONE_URL = "https://en.odkb-csto.org/upload/iblock/000/gone.pdf"


def opened_pipeline(tmp_path: Path) -> AttachmentsPipeline:
    crawler = project_crawler(tmp_path, {"base_url": MIRROR})
    pipeline = AttachmentsPipeline.from_crawler(crawler)
    pipeline.open_spider()
    return pipeline


def news_item(*attachments: Attachment) -> Article:
    return Article(
        url="https://en.odkb-csto.org/news/news_odkb/a/",
        lang="en",
        section="news_odkb",
        title="Title",
        published="2025-11-24",
        text="Body.",
        attachments=list(attachments),
    )


def test_an_attachment_from_the_spider_is_its_url_and_name_the_rest_unknown() -> None:
    [record] = ItemAdapter(news_item(Attachment(PDF_URL, "Annex 1.pdf"))).asdict()["attachments"]
    assert list(record.items()) == [
        ("url", PDF_URL),
        ("name", "Annex 1.pdf"),
        ("path", None),
        ("sha256", None),
        ("size", None),
        ("media_type", None),
        ("status", None),
        ("text", None),
        ("error", None),
    ]


def test_each_attachment_is_requested_on_the_mirror_and_stored_by_its_canonical_url(
    tmp_path: Path,
) -> None:
    pipeline = opened_pipeline(tmp_path)
    item = news_item(Attachment(PDF_URL, "Annex 1.pdf"), Attachment(DOCX_URL, "statement.docx"))
    requests = pipeline.get_media_requests(item, pipeline.spiderinfo)
    assert [request.url for request in requests] == [
        f"{MIRROR}/upload/iblock/000/Annex%201.pdf",
        f"{MIRROR}/upload/iblock/393/statement.docx",
    ]
    assert [request.meta[URL_META] for request in requests] == [PDF_URL, DOCX_URL]
    assert [pipeline.file_path(request) for request in requests] == [
        by_url_path(PDF_URL),
        by_url_path(DOCX_URL),
    ]
    assert by_url_path(PDF_URL) == f"by-url/{hashlib.sha1(PDF_URL.encode()).hexdigest()}"


def test_completed_downloads_set_each_attachment_status_and_a_failure_keeps_its_reason(
    tmp_path: Path,
) -> None:
    pipeline = opened_pipeline(tmp_path)
    item = news_item(
        Attachment(PDF_URL, "Annex 1.pdf"),
        Attachment(DOCX_URL, "statement.docx"),
        Attachment(GONE_URL, "gone.pdf"),
    )
    downloaded = FileInfo(url=PDF_URL, path=by_url_path(PDF_URL), checksum="c", status="downloaded")
    stored = FileInfo(url=DOCX_URL, path=by_url_path(DOCX_URL), checksum="c", status="uptodate")
    results: list[FileInfoOrError] = [
        (True, downloaded),
        (True, stored),
        (False, Failure(FileException("HTTP 404"))),
    ]
    assert pipeline.item_completed(results, item, pipeline.spiderinfo) is item
    assert item.attachments == [
        # The file, whichever run fetched it (issue 19): one status.
        Attachment(PDF_URL, "Annex 1.pdf", status="stored"),
        Attachment(DOCX_URL, "statement.docx", status="stored"),
        Attachment(GONE_URL, "gone.pdf", status="failed", error="HTTP 404"),
    ]


def test_a_failed_download_keeps_its_reason(tmp_path: Path) -> None:
    pipeline = opened_pipeline(tmp_path)
    item = news_item(Attachment(GONE_URL, "gone.pdf"))
    [request] = pipeline.get_media_requests(item, pipeline.spiderinfo)
    refused = Failure(ConnectionRefusedError("Connection was refused by other side: 111"))
    with pytest.raises(FileException, match=r"^Connection was refused by other side: 111$"):
        pipeline.media_failed(refused, request, pipeline.spiderinfo)
    with pytest.raises(FileException, match=r"^TimeoutError$"):  # no message: the type says it
        pipeline.media_failed(Failure(TimeoutError()), request, pipeline.spiderinfo)
