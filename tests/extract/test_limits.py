"""The extractor's side of the attachment limits (issue 13, defect 5): text cut at a character cap
without reading further, and a failed allocation reported as memory, never as a broken file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pypdf
import pytest

from cstocrawl.extract import extract_text
from cstocrawl.extract.sniff import DOCX
from tests.documents import PDF_LINES_PER_PAGE, make_docx, make_pdf

REPO = Path(__file__).resolve().parents[2]


def test_docx_text_over_the_cap_is_cut_and_flagged() -> None:
    paragraphs = ["First paragraph", "Second paragraph", "Third paragraph"]
    result = extract_text(make_docx(paragraphs), max_chars=20)
    assert result.text == "First paragraph\nSeco"  # 15 + 1 + 4
    assert (result.media_type, result.truncated, result.readable) == (DOCX, True, True)
    assert result.error == "text cut at 20 characters (CSTOCRAWL_ATTACHMENT_MAX_CHARS)"


def test_text_at_the_cap_is_whole() -> None:
    result = extract_text(make_docx(["12345", "789"]), max_chars=9)
    assert (result.text, result.truncated, result.error) == ("12345\n789", False, None)


def test_pdf_pages_past_the_cap_are_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [f"Line {number}" for number in range(5 * PDF_LINES_PER_PAGE)]
    read: list[Any] = []
    extract = pypdf.PageObject.extract_text

    def counted(page: pypdf.PageObject, *args: Any, **kwargs: Any) -> str:
        read.append(page)
        return extract(page, *args, **kwargs)

    monkeypatch.setattr(pypdf.PageObject, "extract_text", counted)
    result = extract_text(make_pdf(lines), max_chars=30)
    assert result.text == "\n".join(lines)[:30] and result.truncated
    assert len(read) == 1
    read.clear()
    assert extract_text(make_pdf(lines)).text == "\n".join(lines)
    assert len(read) == 5


LIMITED = """
import resource, sys
from cstocrawl.extract import extract_text
from tests.extract.hostile import one_letter_runs_docx
data = one_letter_runs_docx(20 * 2**20)
resource.setrlimit(resource.RLIMIT_AS, (250 * 2**20, 250 * 2**20))
try:
    result = extract_text(data)
except MemoryError:
    print("MemoryError")
else:
    print("returned", result.error)
"""


def test_a_failed_allocation_in_lxml_is_a_memory_error_not_malformed_xml() -> None:
    """libxml2 reports it as a syntax error ("unknown error"), which read as a broken file."""
    done = subprocess.run(
        [sys.executable, "-c", LIMITED],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.stdout.strip() == "MemoryError", done.stdout + done.stderr[-2000:]
