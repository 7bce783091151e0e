"""What the crawl knows about an article before its page is parsed, and what frames every page.

No template change removes this evidence: the listing entry that linked the article shows its
title (the link text) and often its date and teaser; `<title>` and `og:title` name it; and what
the listing page prints outside its entries (menu, header, footer, pager) is the site's frame,
which a detail page repeats around the article whatever its tags.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from lxml import etree

from cstocrawl.parsing.lines import text_content
from cstocrawl.parsing.text import clean_line
from cstocrawl.parsing.thresholds import TRUNCATED_TITLE

_NOT_WORD_RE = re.compile(r"[^\w]+")
# How <title> joins the page's name to the site's: "Title | CSTO", "CSTO - Title", "Title :: News".
_TITLE_SEPARATOR_RE = re.compile(r"\s+(?:[|:/\\»«·•—–-]{1,2})\s+")


@lru_cache(maxsize=32768)
def normalise(text: str) -> str:
    """Text as compared across pages: as cleaned for the dataset (no invisible characters or stray
    tag fragments, single spaces), case folded."""
    return clean_line(text).casefold()


# `normalise` makes a text at most this many times longer: `clean_line` only takes characters
# away, and casefold turns one character into at most three ("ΐ"), each alone.
_NORMALISED_GROWTH = 3


def shortest_holding(normalised: str) -> int:
    """The fewest characters a line needs for its `normalise` to hold `normalised`: a shorter
    line (most lines, against a title or a teaser) is passed over without being normalised."""
    return -(-len(normalised) // _NORMALISED_GROWTH)


@dataclass(frozen=True)
class ListingEvidence:
    """The listing entry that linked an article, and the frame of the listing page it is on."""

    link_text: str | None = None  # the entry's link text: the title, or the teaser itself
    date_text: str | None = None  # a date printed in the entry, as printed
    teaser: str | None = None
    page_title: str | None = None  # the listing page's <title>: what it shares names the site
    frame: frozenset[str] = field(default_factory=frozenset)  # normalised lines outside entries

    @cached_property
    def title(self) -> str | None:
        """The link text when it is a title: an entry whose only text is its link is a teaser.
        Once an entry, not through `normalise`'s cache, whose keys the crawl process kept."""
        uncached = normalise.__wrapped__
        if not self.link_text or (
            self.teaser and uncached(self.teaser) == uncached(self.link_text)
        ):
            return None
        return self.link_text

    @property
    def is_empty(self) -> bool:
        """Nothing from a listing or the state (`scrapy parse`, a benchmark's page): only then is
        every body weighed against the second opinion; a retried article (its stored teaser) and
        a claim's check are read as the crawl reads them."""
        return self == ListingEvidence()




@lru_cache(maxsize=32768)
def words_of(text: str) -> str:
    """Only the words, for comparing titles: quotes, dashes and final periods differ in print."""
    return " ".join(_NOT_WORD_RE.sub(" ", normalise(text)).split())


def names_title(text: str, candidate: str) -> bool:
    """Whether a page line is the candidate title: the same text, or the candidate's beginning
    when the candidate says it was cut ("A meeting of the CSTO Collective..."). Strict: another
    article's teaser may differ from this title by a final period only."""
    line, named = normalise(text), normalise(candidate)
    if named.endswith(("...", "…")):
        stem = named.rstrip(".… ")
        return bool(stem) and line.startswith(stem)
    return bool(named) and line == named


def titles_agree(title: str, listed: str) -> bool:
    """The chosen title agrees with the listing's link text: the same words, or the link text cut
    short, with or without an ellipsis (listings print at most so many characters)."""
    page, shown = words_of(title), words_of(listed)
    if not shown:
        return False
    return page == shown or (len(shown) >= TRUNCATED_TITLE and page.startswith(shown))


def document_titles(root: etree._Element) -> list[str]:
    """og:title, then <title>: what the page says it is called, site name included."""
    found = [
        " ".join((meta.get("content") or "").split())
        for meta in root.iter("meta")
        if (meta.get("property") or meta.get("name") or "").lower() in ("og:title", "twitter:title")
    ]
    title = next(root.iterdescendants("title"), None)  # `.//title`, without ElementPath
    if title is not None:
        found.append(" ".join(text_content(title).split()))
    return [text for text in dict.fromkeys(found) if text]


def title_candidates(root: etree._Element, evidence: ListingEvidence) -> list[str]:
    """The article's possible titles, best first: listing link text, og:title, <title>.

    From a document title the segments it shares with the listing page's title (the site's name,
    the section) are cut from either end; what is left is a candidate, and so is the whole.
    """
    site_parts = {normalise(part) for part in _segments(evidence.page_title or "")}
    candidates = [evidence.title] if evidence.title else []
    for text in document_titles(root):
        parts = _segments(text)
        while parts and normalise(parts[0]) in site_parts:
            parts = parts[1:]
        while parts and normalise(parts[-1]) in site_parts:
            parts = parts[:-1]
        if parts:
            candidates.append(_join_segments(text, parts))
        candidates.append(text)
    # The site's name is printed on every page: in the listing's frame, never the article's title.
    excluded = site_parts | evidence.frame
    unique: dict[str, str] = {}
    for candidate in candidates:
        key = normalise(candidate)
        if key and key not in excluded:
            unique.setdefault(key, candidate.strip())
    return list(unique.values())


def _segments(text: str) -> list[str]:
    return [part for part in _TITLE_SEPARATOR_RE.split(text.strip()) if part.strip()]


def _join_segments(text: str, parts: list[str]) -> str:
    """The stretch of `text` from the first to the last of `parts`, separators kept."""
    start = text.find(parts[0])
    end = text.rfind(parts[-1]) + len(parts[-1])
    return text[start:end].strip() if 0 <= start < end else " ".join(parts)
