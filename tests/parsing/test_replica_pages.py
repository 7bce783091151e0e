"""The parsers alone (no engine) on every replica page, in every markup and both languages.

Each article page is parsed with the evidence of the first listing page that shows it, as the
spider does.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest

from cstocrawl.parsing.dates import parse_date
from cstocrawl.parsing.detail import parse_detail
from cstocrawl.parsing.evidence import ListingEvidence
from cstocrawl.parsing.listing import parse_listing
from cstocrawl.parsing.text import clean_line, clean_paragraphs
from cstocrawl.site import Site, UrlKind
from tests.replica import ALL_VARIANTS, THIRD_ROUND_VARIANTS, ReplicaSite

MIRROR = "http://127.0.0.1:8800"
CASES = [(variant, lang) for variant in ALL_VARIANTS for lang in ("en", "ru")]
# The third blind round too.
ROUND_CASES = CASES + [(variant, lang) for variant in THIRD_ROUND_VARIANTS for lang in ("en", "ru")]
DETAIL_CASES = ROUND_CASES


def html_of(site: ReplicaSite, target: str) -> bytes:
    page = site.page(target)
    assert page.status == 200, target
    return page.body


def article_key_for(mirror: Site) -> Callable[[str], str | None]:
    def article_key(url: str) -> str | None:
        canonical = mirror.canonical(url)
        return canonical if canonical and mirror.classify(canonical) is UrlKind.ARTICLE else None

    return article_key


def listing_evidence(site: ReplicaSite, mirror: Site) -> dict[str, ListingEvidence]:
    """Each article's evidence from the first listing page that shows it."""
    found: dict[str, ListingEvidence] = {}
    for target in site.listing_pages():
        listing = parse_listing(html_of(site, target), MIRROR + target, article_key_for(mirror))
        for entry in listing.entries:
            found.setdefault(entry.key, listing.evidence(entry))
    return found


@pytest.mark.parametrize(("variant", "lang"), DETAIL_CASES)
def test_detail_pages(variant: str, lang: str) -> None:
    site = ReplicaSite(lang=lang, variant=variant)
    mirror = Site(lang, MIRROR)
    evidence = listing_evidence(site, mirror)
    for truth in site.expected_articles():
        parts = urlsplit(truth["url"])
        path = parts.path + (f"?{parts.query}" if parts.query else "")  # ELEMENT_ID details
        page = parse_detail(html_of(site, path), MIRROR + path, evidence[truth["url"]])
        assert clean_line(page.title or "") == truth["title"], path
        parsed = parse_date(page.date_text or "")
        assert parsed is not None and parsed.isoformat() == truth["published"], path
        assert "\n\n".join(clean_paragraphs(page.paragraphs)) == truth["text"], path
        assert [
            {"url": mirror.canonical(a.url), "name": clean_line(a.name)} for a in page.attachments
        ] == truth["attachments"], path
        assert [mirror.canonical(src) for src in page.images] == truth["images"], path
        assert page.problems == [], path


@pytest.mark.parametrize(("variant", "lang"), ROUND_CASES)
def test_listing_pages(variant: str, lang: str) -> None:
    site = ReplicaSite(lang=lang, variant=variant)
    mirror = Site(lang, MIRROR)
    summaries = {truth["url"]: truth["summary"] for truth in site.expected_articles()}
    article_key = article_key_for(mirror)

    listed: list[str] = []
    for target in site.listing_pages():
        listing = parse_listing(html_of(site, target), MIRROR + target, article_key)
        shown = [article.url for article in site.listing(urlsplit(target).path)]
        size = site.page_size
        number = int(target.partition("PAGEN_1=")[2] or 1)
        assert [entry.key for entry in listing.entries] == shown[(number - 1) * size :][:size]
        for entry in listing.entries:
            assert clean_line(entry.teaser or "") == summaries[entry.key], (target, entry.key)
        listed += [entry.key for entry in listing.entries]
    assert set(listed) == set(summaries)
