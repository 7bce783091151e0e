"""The pieces of parse_detail on one line or a few: what the header takes from a line, which
lines of the article block are body, where the body ends."""

from __future__ import annotations

import pytest

from cstocrawl.parsing.detail import (
    _back_links_after,
    _header_line,
    _HeaderLine,
    _is_body_line,
    _without_trailing_labels,
)
from cstocrawl.parsing.evidence import ListingEvidence
from cstocrawl.parsing.layout import Layout
from cstocrawl.parsing.lines import parse_html

URL = "https://en.odkb-csto.org/news/news_odkb/consultations/"
TITLE = "Consultations on information security"
PROSE = "The consultations were held in Minsk on 23 November."
FILE_LINK = '<a href="/upload/iblock/5f2/annex.pdf">Annex.pdf</a> (PDF, 120 KB)'


def layout_of(body: str) -> Layout:
    return Layout(parse_html(f"<html><body>{body}</body></html>"), URL, ListingEvidence())


def header_part(text: str, before_body: bool) -> _HeaderLine | None:
    """What the header takes from `text` on the line after the title."""
    layout = layout_of(f"<h1>{TITLE}</h1><div>{text}</div>")
    return _header_line(layout, layout.lines[1], TITLE, before_body)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (TITLE, _HeaderLine(None)),  # the title again
        (f"{TITLE} 23.11.2023", _HeaderLine("23.11.2023")),
        ("23 November 2023", _HeaderLine("23 November 2023")),
        ("CSTO News 24.11.2025", _HeaderLine("24.11.2025")),
        ("Published: 05.12.2025 · CSTO News · Print version", _HeaderLine("05.12.2025")),
        (f"09.06.2018{PROSE}", _HeaderLine("09.06.2018", glued=PROSE)),
        ("11/28/2019 14:56 Download document", _HeaderLine("11/28/2019 14:56")),
        ("Download document Annex.pdf", _HeaderLine(None)),
        (FILE_LINK, _HeaderLine(None)),
        (PROSE, None),  # the body has begun
        ("By the CSTO press service", None),
    ],
)
def test_a_line_after_the_title_gives_the_header_its_date_or_ends_it(
    text: str, expected: _HeaderLine | None
) -> None:
    assert header_part(text, before_body=False) == expected


def test_before_the_body_s_known_start_a_short_line_is_still_header() -> None:
    assert header_part(PROSE, before_body=True) == _HeaderLine(None)
    byline = "Reported by the press service. 03.06.2025"  # prose beside the date: no label
    assert header_part(byline, before_body=False) is None
    assert header_part(byline, before_body=True) == _HeaderLine("03.06.2025")
    assert header_part(f"{PROSE} " * 4, before_body=True) is None  # longer: prose, not a byline


def test_body_lines_are_prose_not_counters_dates_downloads_the_title_or_link_lists() -> None:
    layout = layout_of(
        f"""<div><h1>{TITLE}</h1><p>{PROSE}</p><p>Views: 871</p><p>23.11.2023</p>
        <p>Download document Annex.pdf</p><p>{FILE_LINK}</p><p>{TITLE}</p></div>
        <div><a href="/news/news_odkb/a/">Another article</a> <a href="/news/news_odkb/b/">And
        another</a></div>"""
    )
    core = layout.lines[0].element
    assert [line.text for line in layout.lines if _is_body_line(layout, line, core, TITLE)] == [
        PROSE
    ]
    untitled = [line.text for line in layout.lines if _is_body_line(layout, line, core, None)]
    assert untitled == [TITLE, PROSE, TITLE]  # without a title, its line is prose


def test_a_heading_or_a_gallery_label_ends_no_article() -> None:
    layout = layout_of(
        f"""<p>{PROSE}</p><p>Photo gallery</p><p><img src="/upload/a.jpg"></p><h3>See also</h3>
        <p>Next steps</p><p>{PROSE}</p>"""
    )
    prose, gallery, _pictures, see_also, label, _ = layout.lines
    assert _without_trailing_labels(layout, [prose, gallery]) == [prose]
    assert _without_trailing_labels(layout, [prose, gallery, see_also]) == [prose]
    assert _without_trailing_labels(layout, [prose, see_also, label]) == [prose, see_also, label]
    assert _without_trailing_labels(layout, [gallery]) == []


def test_back_links_below_the_body_s_end_are_kept_other_links_not() -> None:
    layout = layout_of(
        f"""<p>{PROSE}</p><p><a href="/news/news_odkb/">Back to the section</a></p>
        <p><a href="javascript:history.back()">Go back</a></p><p><a href="/news/">Back to the all
        news</a></p><p><a href="/about/">About the CSTO</a></p>"""
    )
    assert _back_links_after(layout, 2) == ["https://en.odkb-csto.org/news/"]
    assert _back_links_after(layout, 1) == [
        "https://en.odkb-csto.org/news/news_odkb/",
        "https://en.odkb-csto.org/news/",
    ]
    assert _back_links_after(layout, 4) == []


@pytest.mark.parametrize(
    "text",
    [
        "<strong>WELCOME SPEECH</strong>",
        "<b>ПРИВЕТСТВЕННОЕ СЛОВО</b>",
        "<strong>December 29, 2025, Almaty</strong>",
        "10 June 2022 / Yerevan city",
        "22 февраля 2017 года, г. Ереван",
        "Dear colleagues!",
        "<strong>Уважаемые дамы и господа!</strong>",
    ],
)
def test_a_speech_s_or_a_document_s_first_line_begins_the_body(text: str) -> None:
    """Short as they are, and before the teaser's paragraph, these are the text's own lines."""
    assert header_part(text, before_body=True) is None
    assert header_part(text, before_body=False) is None


def test_a_line_of_capitals_is_a_heading_of_the_text_only_when_emphasised() -> None:
    assert header_part("CSTO NEWS", before_body=True) == _HeaderLine(None)  # a label
    assert header_part("<b>CSTO NEWS</b>", before_body=True) is None


def test_print_and_share_links_beside_back_links_are_no_back_links() -> None:
    layout = layout_of(
        f"""<p>{PROSE}</p><p><a href="javascript:window.print()">Print</a> <a
        href="javascript:void(window.open('https://vk.com/share.php?url=x'))">VK</a></p>
        <p><a href="javascript:window.print()">Print version</a> | <a
        href="javascript:history.back()">Back</a> | <a href="/news/">All news</a></p>"""
    )
    tools, nav = layout.lines[1], layout.lines[2]
    assert not layout.is_nav_line(tools)  # scripts alone: page tools, the article goes on
    assert layout.is_nav_line(nav)  # back links, with tools beside them
    assert _back_links_after(layout, 1) == ["https://en.odkb-csto.org/news/"]
