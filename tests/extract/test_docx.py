"""Text of generated .docx files, one feature at a time, compared exactly."""

from __future__ import annotations

import io
from collections.abc import Callable

import docx
import pytest

from cstocrawl.extract import DEFAULT_MAX_UNCOMPRESSED, extract_text, word
from cstocrawl.extract.safety import read_zip
from cstocrawl.extract.sniff import DOCX
from tests.documents import (
    docx_paragraphs,
    make_docx,
    make_docx_notes,
    make_docx_numbered,
    make_docx_sdt,
    make_docx_sections,
    make_docx_textbox,
    make_docx_tracked,
    para,
    raw_docx,
    reproducible_zip,
    run,
    strict_version,
    with_doctype,
)


def text_of(data: bytes) -> str:
    result = extract_text(data)
    assert result.error is None
    assert (result.media_type, result.supported) == (DOCX, True)
    return result.text


def test_paragraphs_table_header_footer() -> None:
    data = make_docx(
        ["Заявление  Секретариата", "  Second\u00a0 paragraph ", "", "Last"],
        table=[["Name", "Date"], ["Иванов", "2024-01-05"], ["", ""], ["Only first"]],
        header="CSTO header",
        footer="Page footer",
    )
    assert text_of(data) == (
        "CSTO header\n"
        "Заявление Секретариата\n"
        "Name\tDate\n"
        "Иванов\t2024-01-05\n"
        "Only first\t\n"
        "Second paragraph\n"
        "Last\n"
        "Page footer"
    )


def test_cell_with_several_paragraphs_and_nested_table_is_one_line() -> None:
    nested = (
        "<w:tbl><w:tr><w:tc>" + para(run("in")) + "</w:tc><w:tc>" + para(run("ner"))
        + "</w:tc></w:tr></w:tbl>"
    )  # fmt: skip
    cell = para(run("first")) + para(run("second")) + nested + para(run(""))
    body = f"<w:tbl><w:tr><w:tc>{cell}</w:tc><w:tc>{para(run('B'))}</w:tc></w:tr></w:tbl>"
    assert text_of(raw_docx(body)) == "first second in ner\tB"


def test_tabs_and_breaks_inside_a_paragraph_become_spaces() -> None:
    body = para(run("a"), "<w:r><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t></w:r>", run(" "), run("d"))
    assert text_of(raw_docx(body)) == "a b c d"


def test_linked_and_identical_headers_appear_once_first_page_header_first() -> None:
    data = make_docx_sections(("Body one", "Body two"), "Same header", "Footer", "Title page")
    assert text_of(data) == "Title page\nSame header\nBody one\nBody two\nFooter"


def test_footnotes_then_endnotes_after_body_separators_skipped() -> None:
    data = make_docx_notes(["Body text", "More body"], ["Footnote one", "Footnote two"], ["End"])
    assert text_of(data) == "Body text\nMore body\nFootnote one\nFootnote two\nEnd"


def test_numbered_list_labels() -> None:
    items = [
        (0, "First item"),
        (0, "Second"),
        (1, "sub item"),
        (1, "another sub"),
        (2, "deep"),
        (0, "Third"),
        (1, "restarted sub"),
        (3, "bullet"),
        (4, "upper letter"),
        (5, "upper roman"),
    ]
    assert text_of(make_docx_numbered(items)) == (
        "Intro\n"
        "1. First item\n"
        "2. Second\n"
        "a) sub item\n"
        "b) another sub\n"
        "i. deep\n"
        "3. Third\n"
        "a) restarted sub\n"
        "• bullet\n"
        "A. upper letter\n"
        "I. upper roman"
    )


def test_python_docx_list_styles_are_numbered() -> None:
    document = docx.Document()
    document.add_paragraph("Plain")
    document.add_paragraph("One", style="List Number")
    document.add_paragraph("Two", style="List Number")
    document.add_paragraph("Dot", style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    assert text_of(reproducible_zip(buffer.getvalue())) == "Plain\n1. One\n2. Two\n• Dot"


def test_content_controls_block_and_inline() -> None:
    data = make_docx_sdt("Before", "Inside block control", ("Inline ", "value"), "After")
    assert text_of(data) == "Before\nInside block control\nInline value\nAfter"


def test_text_box_lines_follow_anchor_paragraph_once() -> None:
    data = make_docx_textbox("Anchor paragraph", ["Box line 1", "Box line 2"], "Next paragraph")
    assert text_of(data) == "Anchor paragraph\nBox line 1\nBox line 2\nNext paragraph"


def test_tracked_insertions_kept_deletions_dropped() -> None:
    data = make_docx_tracked("Kept ", "inserted", " deleted words", " tail.")
    assert text_of(data) == "Kept inserted tail."


def test_strict_namespaces_fall_back_to_lxml() -> None:
    data = docx_paragraphs(["Strict one", "Strict two"], strict=True)
    assert text_of(data) == "Strict one\nStrict two"


def test_strict_namespaces_keep_notes_and_tables() -> None:
    body = para(run("Para")) + "<w:tbl><w:tr><w:tc>" + para(run("x")) + "</w:tc></w:tr></w:tbl>"
    assert text_of(raw_docx(body, strict=True)) == "Para\nx"


def test_dangling_relationship_falls_back_to_lxml() -> None:
    data = docx_paragraphs(["Text survives", "a missing image"], dangling_image=True)
    assert text_of(data) == "Text survives\na missing image"


def test_empty_document_gives_empty_text_without_error() -> None:
    assert text_of(docx_paragraphs([])) == ""


@pytest.mark.parametrize("builder", [make_docx, docx_paragraphs])
def test_same_input_gives_byte_identical_docx(builder: Callable[[list[str]], bytes]) -> None:
    assert builder(["Stable", "bytes"]) == builder(["Stable", "bytes"])


def test_external_entities_are_not_resolved() -> None:
    doctype = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    data = with_doctype(docx_paragraphs(["safe"]), doctype, "&xxe;")
    assert text_of(data) == "safe"


def test_nested_entities_are_refused_not_expanded() -> None:
    entities = '<!ENTITY a "AAAAAAAAAA">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)
    )
    data = with_doctype(docx_paragraphs(["laughs"]), f"<!DOCTYPE w:document [{entities}]>", "&i;")
    result = extract_text(data)
    assert result.text == ""
    assert result.error is not None
    assert result.error.startswith("malformed XML in word/document.xml: Maximum entity amplif")


FEATURE_DOCUMENTS = {
    "sections": lambda: make_docx_sections(("One", "Two"), "Head", "Foot", "First"),
    "notes": lambda: make_docx_notes(["Body"], ["Foot note"], ["End note"]),
    "numbered": lambda: make_docx_numbered([(0, "a"), (1, "b"), (0, "c")]),
    "sdt": lambda: make_docx_sdt("x", "y", ("z ", "w"), "v"),
    "textbox": lambda: make_docx_textbox("anchor", ["in box"], "after"),
    "tracked": lambda: make_docx_tracked("k ", "ins", "del", " t"),
}


@pytest.mark.parametrize("name", FEATURE_DOCUMENTS)
def test_lxml_fallback_gives_the_same_text_as_the_python_docx_path(name: str) -> None:
    data = FEATURE_DOCUMENTS[name]()
    assert text_of(strict_version(data)) == text_of(data)


@pytest.mark.parametrize("name", FEATURE_DOCUMENTS)
def test_lxml_gives_the_text_python_docx_opening_the_package_gives(name: str) -> None:
    data = FEATURE_DOCUMENTS[name]()
    members = read_zip(data, max_uncompressed=DEFAULT_MAX_UNCOMPRESSED, max_members=100)
    by_lxml = list(word._Reader(word._open_with_lxml(members)).lines())
    assert by_lxml == list(word._Reader(word._open_with_python_docx(data)).lines())


def test_regular_files_are_read_without_python_docx(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(data: bytes) -> None:
        raise AssertionError("python-docx asked")

    monkeypatch.setattr(word, "_open_with_python_docx", refused)
    data = make_docx(["Regular"], table=[["a", "b"]], header="H", footer="F")
    assert text_of(data) == "H\nRegular\na\tb\nF"
    assert text_of(make_docx_notes(["Body"], ["Foot note"], [])) == "Body\nFoot note"
