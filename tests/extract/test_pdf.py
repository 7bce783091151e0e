"""PDF text through pypdf, on PDFs written by the test factory."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from cstocrawl.extract import Extraction, extract_text
from cstocrawl.extract.sniff import PDF
from tests.documents import PDF_LINES_PER_PAGE, make_pdf


def test_pdf_lines_are_cleaned_and_kept_in_order() -> None:
    lines = ["Statement of the CSTO", "  spaced   out  ", "", "(brackets) and \\ backslash"]
    assert extract_text(make_pdf(lines)) == Extraction(
        PDF,
        "Statement of the CSTO\nspaced out\n(brackets) and \\ backslash",
        None,
        supported=True,
    )


def test_cyrillic_pdf_text() -> None:
    text = "Организация Договора о коллективной безопасности — ОДКБ"
    assert extract_text(make_pdf([text, "ёЁ «кавычки»"])).text == f"{text}\nёЁ «кавычки»"


def test_pages_are_joined_by_newline() -> None:
    lines = [f"Line {number}" for number in range(PDF_LINES_PER_PAGE + 3)]
    data = make_pdf(lines)
    assert len(PdfReader(io.BytesIO(data), strict=True).pages) == 2
    assert extract_text(data).text == "\n".join(lines)


def test_pdf_without_text_layer() -> None:
    expected = Extraction(PDF, "", "no text layer (scanned PDF?)", supported=True)
    assert extract_text(make_pdf(["hidden"], text_layer=False)) == expected
    assert extract_text(make_pdf([])) == expected


def test_make_pdf_is_byte_identical_and_valid() -> None:
    data = make_pdf(["Same", "Тот же"])
    assert data == make_pdf(["Same", "Тот же"])
    assert data.startswith(b"%PDF-1.4") and data.endswith(b"%%EOF\n")
    PdfReader(io.BytesIO(data), strict=True)


def test_broken_pdf_names_the_failure(capsys: pytest.CaptureFixture[str]) -> None:
    result = extract_text(b"%PDF-1.4\n1 0 obj << /Type /Catalog")
    assert (result.text, result.supported, result.readable) == ("", True, False)
    assert result.error is not None
    assert result.error.startswith("broken PDF: ")
    assert capsys.readouterr().out == ""


def test_truncated_pdf_is_an_error() -> None:
    data = make_pdf(["Some text"])
    result = extract_text(data[:120])
    assert result.text == ""
    assert result.error is not None
    assert result.error.startswith("broken PDF: ")
