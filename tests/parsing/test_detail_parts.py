"""The pieces of parse_detail on one line or a few, through parse_detail itself: what the header
takes from a line after the title, which lines of the article block are body, where the body ends
(and the title layer on its own, where a line is too odd for a whole page)."""

from __future__ import annotations

import re

import pytest

from cstocrawl.parsing.detail import DetailPage, parse_detail
from cstocrawl.parsing.evidence import ListingEvidence
from cstocrawl.parsing.layout import Layout
from cstocrawl.parsing.lines import parse_html
from cstocrawl.parsing.title import find_title, teaser_line

URL = "https://en.odkb-csto.org/news/news_odkb/consultations/"
TITLE = "Consultations on information security"
PROSE = "The consultations were held in Minsk on 23 November."
LEAD = "The delegations of the member states exchanged views on threats in the information space."
MORE = "The next consultations will be held in Astana in the spring of next year."
FILE_LINK = '<a href="/upload/iblock/5f2/annex.pdf">Annex.pdf</a> (PDF, 120 KB)'


def page_of(body: str, evidence: ListingEvidence | None = None) -> DetailPage:
    return parse_detail(f"<html><body>{body}</body></html>", URL, evidence)


def after_title(text: str, before_body: bool) -> DetailPage:
    """`text` on the line after the title, then the body; `before_body`: the listing's teaser
    shows that the body starts after it."""
    evidence = ListingEvidence(link_text=TITLE, teaser=LEAD if before_body else None)
    return page_of(f"<div><h1>{TITLE}</h1><div>{text}</div><p>{LEAD}</p><p>{MORE}</p></div>", evidence)


def header_part(text: str, before_body: bool) -> tuple[str | None, list[str]] | None:
    """What the header takes from `text`: its date and the body words glued to it; None when
    `text` is the body's first line."""
    page = after_title(text, before_body)
    if page.paragraphs == [" ".join(re.sub(r"<[^>]+>", "", text).split()), LEAD, MORE]:
        return None
    assert page.paragraphs[-2:] == [LEAD, MORE], page.paragraphs
    return page.date_text, page.paragraphs[:-2]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (TITLE, (None, [])),  # the title again
        (f"{TITLE} 23.11.2023", ("23.11.2023", [])),
        ("23 November 2023", ("23 November 2023", [])),
        ("CSTO News 24.11.2025", ("24.11.2025", [])),
        ("Published: 05.12.2025 · CSTO News · Print version", ("05.12.2025", [])),
        (f"09.06.2018{PROSE}", ("09.06.2018", [PROSE])),
        ("11/28/2019 14:56 Download document", ("11/28/2019 14:56", [])),
        ("Download document Annex.pdf", (None, [])),
        (FILE_LINK, (None, [])),
        (PROSE, None),  # the body has begun
        ("By the CSTO press service", None),
    ],
)
def test_a_line_after_the_title_gives_the_header_its_date_or_ends_it(
    text: str, expected: tuple[str | None, list[str]] | None
) -> None:
    assert header_part(text, before_body=False) == expected


def test_before_the_body_s_known_start_a_short_line_is_still_header() -> None:
    assert header_part(PROSE, before_body=True) == (None, [])
    byline = "Reported by the press service. 03.06.2025"  # prose beside the date: no label
    assert header_part(byline, before_body=False) is None
    assert header_part(byline, before_body=True) == ("03.06.2025", [])
    assert header_part(f"{PROSE} " * 4, before_body=True) is None  # longer: prose, not a byline


def test_body_lines_are_prose_not_counters_dates_downloads_the_title_or_link_lists() -> None:
    page = page_of(
        f"""<div><h1>{TITLE}</h1><p>{PROSE}</p><p>Views: 871</p><p>23.11.2023</p>
        <p>Download document Annex.pdf</p><p>{FILE_LINK}</p><p>{TITLE}</p>
        <div><a href="/news/news_odkb/a/">Another article</a> <a href="/news/news_odkb/b/">And
        another</a></div></div>"""
    )
    assert page.paragraphs == [PROSE]


def test_a_heading_or_a_gallery_label_ends_no_article() -> None:
    gallery = '<p>Photo gallery</p><p><img src="/upload/a.jpg"></p>'
    start = f"<div><h1>{TITLE}</h1><p>{PROSE}</p>"
    assert page_of(f"{start}{gallery}</div>").paragraphs == [PROSE]
    assert page_of(f"{start}{gallery}<h3>See also</h3></div>").paragraphs == [PROSE]
    labelled = page_of(f"{start}<h3>See also</h3><p>Next steps</p></div>")
    assert labelled.paragraphs == [PROSE, "See also", "Next steps"]


def test_back_links_below_the_body_s_end_are_kept_other_links_not() -> None:
    page = page_of(
        f"""<div><h1>{TITLE}</h1><p>{PROSE}</p>
        <p><a href="/news/news_odkb/">Back to the section</a></p>
        <p><a href="javascript:history.back()">Go back</a></p><p><a href="/news/">Back to the all
        news</a></p><p><a href="/about/">About the CSTO</a></p></div>"""
    )
    assert page.paragraphs == [PROSE]
    assert page.back_links == [
        "https://en.odkb-csto.org/news/news_odkb/",
        "https://en.odkb-csto.org/news/",
    ]


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
    assert header_part("CSTO NEWS", before_body=True) == (None, [])  # a label
    assert header_part("<b>CSTO NEWS</b>", before_body=True) is None


def test_print_and_share_links_beside_back_links_are_no_back_links() -> None:
    page = page_of(
        f"""<div><h1>{TITLE}</h1><p>{PROSE}</p><p><a href="javascript:window.print()">Print</a> <a
        href="javascript:void(window.open('https://vk.com/share.php?url=x'))">VK</a></p>
        <p>{MORE}</p><p><a href="javascript:window.print()">Print version</a> | <a
        href="javascript:history.back()">Back</a> | <a href="/news/">All news</a></p></div>"""
    )
    assert page.paragraphs == [PROSE, MORE]  # scripts alone: page tools, the article goes on
    assert page.back_links == ["https://en.odkb-csto.org/news/"]  # back links, tools beside them


def test_a_line_a_third_as_long_as_the_evidence_may_print_it() -> None:
    """Casefold turns one character into up to three ("ﬃ" into "ffi"): the title's and the
    teaser's lines are read however much shorter than the listing's texts they are printed."""
    title, teaser = "ffi " * 7 + "ffi", "ffi" * 7  # 31 and 21 characters
    root = parse_html(f"<html><body><h1>{'ﬃ ' * 7}ﬃ</h1><p>{'ﬃ' * 7}</p></body></html>")
    layout = Layout(root, URL, ListingEvidence(link_text=title, teaser=teaser))
    assert [line.text for line in layout.lines] == ["ﬃ ﬃ ﬃ ﬃ ﬃ ﬃ ﬃ ﬃ", "ﬃﬃﬃﬃﬃﬃﬃ"]
    assert teaser_line(layout) == 1
    assert find_title(layout, [title], None).index == 0
