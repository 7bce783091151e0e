"""Reading the replica's served pages as a browser shows them, for tests of its markups."""

from __future__ import annotations

import copy
import urllib.request
from functools import cache
from urllib.parse import urljoin, urlsplit

import lxml.html

from tests.replica import ReplicaSite, clean, serve
from tests.replica.content import LISTINGS

LANGS = ("en", "ru")
LAZY_ATTRIBUTES = ("src", "data-src", "data-original", "srcset", "data-srcset")


def fetch(url: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.headers["Content-Type"], response.read().decode()


def text_of(element: lxml.html.HtmlElement) -> str:
    """The element's text as a browser shows it (a <br> breaks the line), cleaned of noise."""
    element = copy.deepcopy(element)
    for br in element.iter("br"):
        br.tail = "\n" + (br.tail or "")
    return clean(element.text_content())


def site_of(variant: str, lang: str, seed: int = 0) -> ReplicaSite:
    return ReplicaSite(lang=lang, variant=variant, articles_per_section=6, page_size=4, seed=seed)


def article_path(page_url: str, href: str | None) -> str:
    """The site path an href points to (any host, query dropped but an element id), as article
    paths are written."""
    parts = urlsplit(urljoin(page_url, href or ""))
    element = [p for p in parts.query.split("&") if p.startswith("ELEMENT_ID=")]
    return parts.path + (f"?{element[0]}" if element else "")


def listing_entries(page_url: str, html: str, paths: set[str]) -> dict[str, str]:
    """Article path -> text of its listing entry: the largest element around its link that holds
    no link to another article."""
    doc = lxml.html.fromstring(html)
    entries: dict[str, str] = {}
    for link in doc.iter("a"):
        path = article_path(page_url, link.get("href"))
        if path not in paths or path in entries:
            continue
        entry = link
        for parent in link.iterancestors():
            targets = {article_path(page_url, a.get("href")) for a in parent.iter("a")}
            if targets & paths != {path}:
                break
            entry = parent
        entries[path] = text_of(entry)
    return entries


def image_urls(doc: lxml.html.HtmlElement) -> set[str]:
    """Every URL an <img> names, in src, lazy-loading attributes or srcset candidates."""
    urls = set()
    for img in doc.iter("img"):
        for attribute in LAZY_ATTRIBUTES:
            value = img.get(attribute) or ""
            if "srcset" in attribute:
                urls |= {
                    candidate.split()[0] for candidate in value.split(",") if candidate.strip()
                }
            elif value:
                urls.add(value)
    return urls


@cache
def crawl(variant: str, lang: str) -> tuple[ReplicaSite, dict[str, str], dict[str, dict[str, str]]]:
    """The site, its detail pages (path -> HTML) and listing entries (listing -> path -> text),
    all fetched over HTTP."""
    site = site_of(variant, lang)
    paths = {article.path for article in site.articles}
    entries: dict[str, dict[str, str]] = {path: {} for path in LISTINGS}
    details = {}
    with serve(site) as base:
        for page in site.listing_pages():
            status, content_type, html = fetch(base + page)
            assert (status, content_type) == (200, "text/html; charset=UTF-8"), page
            listing = urlsplit(page).path
            entries[listing].update(listing_entries(base + page, html, paths))
        for article in site.articles:
            status, _, html = fetch(base + article.path)
            assert status == 200, article.path
            details[article.path] = html
    return site, details, entries
