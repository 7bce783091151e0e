"""A listing page is rendered once: each entry reads the page's lines inside its block, and only
where those would differ from the block rendered alone is the block rendered again."""

from __future__ import annotations

import pytest
from lxml import etree

from cstocrawl.parsing import listing
from cstocrawl.parsing.lines import Line, parse_html, render_lines
from cstocrawl.parsing.listing import ListingPage, _renders_alike, parse_listing
from cstocrawl.site import Site, UrlKind
from tests.replica import VARIANTS, ReplicaSite

BASE_URL = "http://127.0.0.1:8800"
SITE = Site("en", BASE_URL)
PAGE_URL = BASE_URL + "/news/news_odkb/"


def article_key(url: str) -> str | None:
    canonical = SITE.canonical(url)
    return canonical if canonical and SITE.classify(canonical) is UrlKind.ARTICLE else None


def alone(html: str, monkeypatch: pytest.MonkeyPatch, url: str = PAGE_URL) -> ListingPage:
    """The page parsed with every entry's block rendered alone, as before the shared rendering."""
    with monkeypatch.context() as patch:
        patch.setattr(listing, "_renders_alike", lambda container, body: False)
        return parse_listing(html, url, article_key)


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_replicas_listings_are_rendered_once_and_as_entries_rendered_alone(
    variant: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = ReplicaSite("en", variant, articles_per_section=12, page_size=5, seed=3)
    for path in site.listing_pages():
        html = site.respond(path).body.decode()
        renders: list[etree._Element] = []

        def counted(root: etree._Element, renders: list[etree._Element] = renders) -> list[Line]:
            renders.append(root)
            return render_lines(root)

        with monkeypatch.context() as patch:
            patch.setattr(listing, "render_lines", counted)
            shared = parse_listing(html, BASE_URL + path, article_key)
        assert shared.entries, path
        assert len(renders) == 1, path
        assert shared == alone(html, monkeypatch, BASE_URL + path), path


# Entries where the page's lines inside the block are not the block's own lines: a boilerplate
# container around the list (the page's lines inherit its flag), text after the block (alone, a
# line of its own), an inline block (its line starts before it), a list in a skipped tag.
EDGES = {
    "boilerplate around": '<div class="sidebar-wide"><p>{entry}</p><p>{other}</p></div>',
    "tail text": "<p>{entry}</p> Tail words <b>joined</b><p>{other}</p>",
    "inline block": "Lead in <span>{entry}</span> and on<p>{other}</p>",
    "in a button": "<button><p>{entry}</p></button><p>{other}</p>",
}
ENTRY = '<a href="/news/news_odkb/a/">Title A</a> 23.11.2023 Teaser of A'
OTHER = '<a href="/news/news_odkb/b/">Title B</a> Teaser of B'


@pytest.mark.parametrize("name", EDGES)
def test_a_block_whose_page_lines_differ_is_rendered_alone(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    html = (
        "<html><body><h1>News</h1>"
        + EDGES[name].format(entry=ENTRY, other=OTHER)
        + "<p>Footer text</p></body></html>"
    )
    root = parse_html(html)
    anchor = next(a for a in root.iter("a") if a.get("href") == "/news/news_odkb/a/")
    block = anchor.getparent()
    assert block is not None
    assert not _renders_alike(block, root.find(".//body"))
    assert parse_listing(html, PAGE_URL, article_key) == alone(html, monkeypatch)


def test_the_check_matters_the_page_lines_of_a_boilerplate_list_differ() -> None:
    """Without the fallback the first edge would lose its teaser: its page lines are flagged."""
    html = "<html><body>" + EDGES["boilerplate around"].format(entry=ENTRY, other=OTHER)
    root = parse_html(html)
    block = next(iter(root.iter("p")))
    page = [line for line in render_lines(root) if line.element is block]
    assert [line.boilerplate for line in page] == [True]
    assert [line.boilerplate for line in render_lines(block)] == [False]
