"""The trace of parse_detail: which signal decided the title, date, block and edges, and nothing
changed by asking for it."""

from __future__ import annotations

import pytest

from cstocrawl.parsing.detail import parse_detail
from cstocrawl.parsing.evidence import ListingEvidence
from cstocrawl.parsing.trace import Decision, Trace

URL = "https://en.odkb-csto.org/news/news_odkb/consultations/"
TITLE = "Consultations on information security were held in Moscow"
LEAD = "On 23 November, consultations on information security were held at the CSTO Secretariat."
BODY = "The parties discussed cooperation in countering the use of information technologies. " * 4
PAGE = f"""<html><body><nav><a href="/news/">News</a> <a href="/documents/">Documents</a></nav>
<div class="news-detail"><h1>{TITLE}</h1><p>23.11.2023</p><p>{LEAD}</p><p>{BODY}</p>
<p><a href="/news/news_odkb/">Back to the section</a></p></div></body></html>"""


def traced(html: str, evidence: ListingEvidence | None = None) -> Trace:
    trace: Trace = []
    parse_detail(html, URL, evidence, trace=trace)
    return trace


def signals(trace: Trace) -> list[tuple[str, str]]:
    return [(decision.part, decision.signal) for decision in trace]


def test_each_part_names_the_signal_that_decided_it() -> None:
    evidence = ListingEvidence(link_text=TITLE, date_text="23.11.2023", teaser=LEAD)
    trace = traced(PAGE, evidence)
    block = '<div class="news-detail">'
    assert Decision("block", "smallest holding the title and body", block) in trace
    assert signals(trace) == [
        ("edges", "the listing's teaser opens the body"),
        ("title", "line the evidence names"),
        ("block", "smallest holding the title and body"),
        ("date", "in the header under the title"),
        ("edges", "body ends at back links after it"),
    ]


def test_without_evidence_the_title_is_the_likeliest_heading() -> None:
    features = "Heading(index=1, prose_after=437, dated=True, plain=True, level=1, words=8)"
    assert traced(PAGE)[0] == Decision("title", "likeliest heading", f"line 1 {TITLE!r} {features}")


def test_evidence_the_page_never_prints_is_said() -> None:
    listed = "A title the page does not print"
    trace = traced(PAGE, ListingEvidence(link_text=listed))
    assert Decision("title", "evidence the page never prints", repr(listed)) in trace


def test_a_date_only_the_listing_shows_is_the_listing_s() -> None:
    undated = PAGE.replace("<p>23.11.2023</p>", "")
    trace = traced(undated, ListingEvidence(link_text=TITLE, date_text="22.11.2023"))
    assert Decision("date", "the listing's (the page shows none, or another)", "'22.11.2023'") in trace


def test_a_page_without_prose_says_no_block_was_found() -> None:
    assert traced("<html><body><p>Home</p></body></html>")[-1] == Decision("block", "none: no prose")


@pytest.mark.parametrize("evidence", [None, ListingEvidence(link_text=TITLE, teaser=LEAD)])
def test_a_trace_changes_nothing_parsed(evidence: ListingEvidence | None) -> None:
    assert parse_detail(PAGE, URL, evidence, trace=[]) == parse_detail(PAGE, URL, evidence)


def test_a_decision_prints_as_one_line() -> None:
    assert str(Decision("date", "on the title's line", "'23.11.2023'")) == (
        "date   on the title's line: '23.11.2023'"
    )
