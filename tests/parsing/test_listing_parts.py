"""What parse_listing gives besides its entries: every link once, the page's title, its frame;
and which H1 starts the list."""

from __future__ import annotations

from cstocrawl.parsing.listing import parse_listing
from cstocrawl.site import Site, UrlKind

SITE = Site("en", "http://127.0.0.1:8800")
PAGE_URL = "http://127.0.0.1:8800/news/news_odkb/"
PAGE = """<html><head><title> CSTO News |
  Collective Security Treaty Organization </title></head><body>
<div class="menu"><a href="/news/">News</a> <a href="/documents/">Documents</a> <a href="#top">Up</a></div>
<h1>CSTO News</h1>
<div class="item"><span>23.11.2023</span> <a href="/news/news_odkb/a/">Title A</a><p>Teaser of A.</p></div>
<div class="item"><span>22.11.2023</span> <a href="/news/news_odkb/b/">Title B</a><p>Teaser of B.</p></div>
<div class="pager"><a href="/news/news_odkb/?PAGEN_1=2">2</a> <a href="?PAGEN_1=2">Next</a></div>
<p><a href="mailto:odkb@gov.ru">odkb@gov.ru</a> <a href="tel:+74957952710">Phone</a>
<a href="javascript:void(0)">Print</a></p><footer>© 2024 CSTO</footer></body></html>"""


def article_key(url: str) -> str | None:
    canonical = SITE.canonical(url)
    return canonical if canonical and SITE.classify(canonical) is UrlKind.ARTICLE else None


def test_every_followable_link_once_absolute_in_page_order() -> None:
    assert parse_listing(PAGE, PAGE_URL, article_key).links == [
        "http://127.0.0.1:8800/news/",
        "http://127.0.0.1:8800/documents/",
        "http://127.0.0.1:8800/news/news_odkb/a/",
        "http://127.0.0.1:8800/news/news_odkb/b/",
        "http://127.0.0.1:8800/news/news_odkb/?PAGEN_1=2",
    ]


def test_the_page_title_is_one_line_and_none_without_a_title_element() -> None:
    assert parse_listing(PAGE, PAGE_URL, article_key).title == (
        "CSTO News | Collective Security Treaty Organization"
    )
    assert parse_listing("<html><body><p>x</p></body></html>", PAGE_URL, article_key).title is None


def test_the_frame_is_every_line_and_link_text_outside_the_entries_but_their_dates() -> None:
    assert parse_listing(PAGE, PAGE_URL, article_key).frame == {
        "news documents up",  # an inline menu is one line, and each of its links counts alone
        "news",
        "documents",
        "up",
        "csto news",
        "2 next",
        "2",
        "next",
        "odkb@gov.ru phone print",
        "odkb@gov.ru",
        "phone",
        "print",
        "© 2024 csto",
    }


def test_the_list_starts_after_the_first_h1_with_text_outside_boilerplate() -> None:
    """No entry grows to take in the page's own H1 ("Speeches"): the logo's, a sidebar's or an
    empty H1 is not it (each taken for it makes "Speeches" the first entry's teaser)."""
    html = """<html><body><header><h1>CSTO</h1></header><div class="sidebar"><h1>Latest</h1></div>
    <div><h1> </h1><h1>Speeches</h1><div><span>23.11.2023</span> <a href="/news/news_odkb/a/">Title A</a></div></div>
    <div><a href="/news/news_odkb/b/">Title B</a> <a href="/news/news_odkb/c/">Title C</a></div></body></html>"""
    entries = parse_listing(html, PAGE_URL, article_key).entries
    assert [(entry.title, entry.teaser) for entry in entries] == [
        ("Title A", "Title A"),
        ("Title B", "Title B"),
        ("Title C", "Title C"),
    ]
