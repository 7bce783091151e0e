"""The lines a reader sees: where a line breaks, and what each line carries (links, pictures,
heading level, boilerplate and emphasis flags)."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest

from cstocrawl.parsing.lines import (
    Line,
    Resolver,
    max_depth,
    parse_html,
    reaches_depth,
    render_lines,
)
from cstocrawl.parsing.thresholds import PARSER_DEPTH_LIMIT


def lines_of(body: str) -> list[Line]:
    return render_lines(parse_html(f"<html><body>{body}</body></html>"))


def test_a_br_breaks_a_line_but_not_a_heading() -> None:
    lines = lines_of("<h1>Statement of the<br>CSTO Secretary General</h1><p>One<br>two</p>")
    assert [(line.text, line.heading) for line in lines] == [
        ("Statement of the CSTO Secretary General", 1),
        ("One", 0),
        ("two", 0),
    ]


def test_text_after_a_block_is_a_line_of_the_block_s_parent_with_the_parent_s_flags() -> None:
    lines = lines_of("<div id='main'><nav><p>Menu</p></nav>After the menu</div>")
    assert [(line.text, line.element.tag, line.boilerplate) for line in lines] == [
        ("Menu", "p", True),
        ("After the menu", "div", False),
    ]


def test_a_line_carries_its_links_and_real_pictures() -> None:
    (line,) = lines_of(
        '<p>Read <a href=" /news/a/ ">the <b>statement</b></a> <a>no href</a>'
        '<img src="/upload/blank.gif" data-src="/upload/photo.jpg"><img src="/upload/spacer.gif">'
        "</p>"
    )
    assert line.text == "Read the statement no href"
    assert [(link.href, link.text) for link in line.links] == [("/news/a/", "the statement")]
    assert line.images == ["/upload/photo.jpg"]


def test_icons_are_no_pictures_a_print_button_s_neither() -> None:
    """A file type's 16-pixel icon and the printer in a `javascript:` print link decorate; a
    picture declared larger, or without a size, is the article's."""
    (line,) = lines_of(
        '<p><img src="/templates/img/doc.gif" width="16" height="16"> Document: '
        '<a href="/upload/iblock/5f2/annex.pdf">annex.pdf</a> <a href="javascript:window.print()">'
        '<img src="/templates/img/print.gif"> Print</a><img src="/upload/a.jpg" width="300" '
        'height="16"><img src="/upload/b.jpg"></p>'
    )
    assert line.images == ["/upload/a.jpg", "/upload/b.jpg"]


def test_a_line_is_emphasised_only_when_all_of_its_text_is() -> None:
    lines = lines_of("<p><b>A title without tags</b></p><p><b>Bold</b> and not</p>")
    assert [line.emphasised for line in lines] == [True, False]


def test_skipped_elements_keep_their_tail() -> None:
    (line,) = lines_of("<p>Before<script>var x;</script> after</p>")
    assert line.text == "Before after"


def test_an_xhtml_page_declaring_its_encoding_is_read_from_its_decoded_text() -> None:
    """lxml refuses a str with an encoding declaration; Scrapy hands the spider `response.text`.
    Before: no lines at all, so the article was empty (7 of trafilatura's 990 real pages)."""
    page = (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>'
        '<html xmlns="http://www.w3.org/1999/xhtml"><body><h1>Title</h1>'
        "<p>Some text, café</p></body></html>"
    )
    assert [line.text for line in render_lines(parse_html(page))] == ["Title", "Some text, café"]


@pytest.mark.parametrize("fonts", [PARSER_DEPTH_LIMIT - 4, PARSER_DEPTH_LIMIT - 3])
def test_depth_limit_counted_with_the_levels_the_parser_implies(fonts: int) -> None:
    """html, body and a paragraph come without a tag: the tag count's shortcut must not skip a
    page they take to the limit."""
    html = "Text<p>x" + "<font>" * fonts + "y"
    root = parse_html(html)
    reached = max_depth(root) >= PARSER_DEPTH_LIMIT
    assert reaches_depth(html, root, PARSER_DEPTH_LIMIT) is reached
    assert reaches_depth(html.encode(), root, PARSER_DEPTH_LIMIT) is reached
    assert reached is (fonts == PARSER_DEPTH_LIMIT - 3)


@pytest.mark.parametrize(
    "base", ["http://127.0.0.1:8800/news/a/", "HTTPS://Host:443/x;p?q#f", "ftp://host/a/", "http:///a"]
)
@pytest.mark.parametrize(
    "href",
    ["/news/b/?ELEMENT_ID=5", "/a/?", "/a/./b", "/a/../b", "/.", "//other/x", "/a;p", "/a#f",
     "/a b", "/новости/", "/a?b?c", "page2.html", "?PAGEN_1=2", "http://other/a/"],
)
def test_the_resolver_joins_as_urljoin_does(base: str, href: str) -> None:
    """Plain absolute paths skip urljoin: every other href, and every other page, still gets it."""
    assert Resolver(base)(href) == urljoin(base, href)
