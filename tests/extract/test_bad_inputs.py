"""Every bad download gives empty text and a one-line reason, never an exception."""

from __future__ import annotations

import io
import zipfile

import pytest

from cstocrawl.extract import Extraction, extract_text, sniff_media_type
from cstocrawl.extract.sniff import DOCX, HTML, MSWORD, OCTET_STREAM, PDF, ZIP
from tests.documents import (
    HTML_PAGE,
    LEGACY_DOC,
    docx_paragraphs,
    lie_about_size,
    make_docx,
    make_pdf,
    many_members,
    replace_member,
    truncated,
    zip_with_zeros,
)

MB = 2**20


def test_html_page_under_docx_name_is_a_supported_error() -> None:
    assert extract_text(HTML_PAGE) == Extraction(
        HTML, "", "HTML page instead of a document", supported=True, readable=False
    )


def test_truncated_docx() -> None:
    data = truncated(make_docx(["Cut short"] * 40))
    assert sniff_media_type(data) == DOCX
    assert extract_text(data) == Extraction(
        DOCX, "", "not a valid docx: File is not a zip file", supported=True, readable=False
    )


def test_declared_size_zip_bomb_with_default_cap() -> None:
    data = lie_about_size(docx_paragraphs(["x"]), "word/document.xml", 4_000_000_000)
    assert len(data) < 5000
    result = extract_text(data)
    assert result.error == "zip bomb: declared uncompressed size 4000000934 bytes > 209715200"
    assert (result.text, result.supported, result.readable) == ("", True, False)


def test_real_zeros_over_a_lower_cap() -> None:
    data = zip_with_zeros(3 * MB)
    assert extract_text(data, max_uncompressed=4 * MB).text == "Bomb"
    result = extract_text(data, max_uncompressed=MB)
    assert result.error == f"zip bomb: declared uncompressed size {3 * MB + 1604} bytes > {MB}"
    assert result.text == ""


def test_member_larger_than_its_header_says_is_refused() -> None:
    data = lie_about_size(zip_with_zeros(3 * MB), "word/media/zeros.bin", 1000)
    result = extract_text(data, max_uncompressed=MB)
    assert result.error == (
        "not a valid docx: word/media/zeros.bin: Bad CRC-32 for file 'word/media/zeros.bin'"
    )
    assert result.text == ""


def test_too_many_members() -> None:
    data = many_members(20)
    assert extract_text(data).error is None
    result = extract_text(data, max_members=10)
    assert result == Extraction(
        DOCX, "", "zip bomb: too many members (24 > 10)", supported=True, readable=False
    )


def test_legacy_ole2_is_unsupported() -> None:
    assert extract_text(LEGACY_DOC) == Extraction(
        MSWORD, "", "unsupported media type application/msword", supported=False
    )


def test_empty_bytes() -> None:
    assert extract_text(b"") == Extraction(OCTET_STREAM, "", "empty file", supported=False)


def test_other_zip_is_unsupported() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("xl/workbook.xml", "<workbook/>")
    assert extract_text(buffer.getvalue()) == Extraction(
        ZIP, "", "unsupported media type application/zip", supported=False
    )


def test_malformed_document_xml() -> None:
    data = replace_member(docx_paragraphs(["x"]), "word/document.xml", b"<w:document><w:body>")
    result = extract_text(data)
    assert result.text == ""
    assert result.error is not None
    assert result.error.startswith("malformed XML in word/document.xml: ")
    assert "\n" not in result.error


def test_docx_without_main_part() -> None:
    data = replace_member(docx_paragraphs(["x"]), "word/document.xml", b"")
    result = extract_text(data)
    assert result.text == ""
    assert result.error is not None
    assert result.error.startswith("malformed XML in word/document.xml: ")


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (make_docx(["a"]), DOCX),
        (docx_paragraphs(["a"], strict=True), DOCX),
        (make_pdf(["a"]), PDF),
        (b"\n\n%PDF-1.7\n...", PDF),
        (LEGACY_DOC, MSWORD),
        (HTML_PAGE, HTML),
        (b"  <html><body>Error</body></html>", HTML),
        (b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"/>', HTML),
        (b"<!-- error --><html/>", HTML),
        (b'<?xml version="1.0"?><feed/>', OCTET_STREAM),
        (b"plain text", OCTET_STREAM),
        (b"PK\x03\x04garbage", ZIP),
        (b"", OCTET_STREAM),
    ],
)
def test_sniff_media_type(data: bytes, media_type: str) -> None:
    assert sniff_media_type(data) == media_type
