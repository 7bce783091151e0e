"""`<link rel="canonical">`: the URL a page declares as its own, read apart from the article."""

from __future__ import annotations

import pytest

from cstocrawl.parsing.detail import declared_url, parse_detail
from cstocrawl.parsing.lines import parse_html

URL = "https://en.odkb-csto.org/news/news_odkb/12345/"
ARTICLE = "https://en.odkb-csto.org/news/news_odkb/meeting-in-minsk/"


@pytest.mark.parametrize(
    ("head", "declared"),
    [
        (f'<link rel="canonical" href="{ARTICLE}">', ARTICLE),
        ('<link rel="canonical" href="/news/news_odkb/meeting-in-minsk/">', ARTICLE),
        ('<link rel="canonical" href="../meeting-in-minsk/">', ARTICLE),
        ('<link href=" /news/news_odkb/meeting-in-minsk/ " REL="Canonical">', ARTICLE),
        ('<link rel="stylesheet" href="/s.css"><link rel="canonical" href="/a/">',
         "https://en.odkb-csto.org/a/"),
        ('<link rel="alternate" hreflang="ru" href="https://odkb-csto.org/x/">', None),
        ('<link rel="canonical" href="">', None),
        ("", None),
    ],
)
def test_the_declared_url_is_resolved_against_the_page(head: str, declared: str | None) -> None:
    root = parse_html(f"<html><head>{head}</head><body><p>x</p></body></html>")
    assert declared_url(root, URL) == declared


def test_an_article_page_carries_its_declared_url() -> None:
    html = """<html><head><title>A meeting in Minsk</title>
    <link rel="canonical" href="/news/news_odkb/meeting-in-minsk/"></head><body>
    <h1>A meeting in Minsk</h1><p>23.11.2023</p>
    <p>The CSTO Collective Security Council met in Minsk on 23 November 2023.</p>
    <p>The heads of state discussed the situation in the region of collective security.</p>
    </body></html>"""
    page = parse_detail(html, URL)
    assert page.title == "A meeting in Minsk"
    assert page.declared_url == ARTICLE
    plain = parse_detail(html.replace('rel="canonical"', 'rel="alternate"'), URL)
    assert plain.declared_url is None
