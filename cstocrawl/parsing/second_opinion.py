"""A second opinion on where the article is, from trafilatura, asked only where ours is unsure.

Trafilatura is tuned on thousands of real sites; ours on what the site's pages share with their
listings. Its text is evidence, not the answer: the article block is the block of our page that
holds most of its text, read with our own rules (docs/extraction.md, "A second opinion").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from cstocrawl.parsing.evidence import normalise
from cstocrawl.parsing.layout import Layout
from cstocrawl.parsing.lines import Line

# Our body holding less than this share of the page's prose is a body we are unsure of; without a
# listing's evidence (`scrapy parse`, a page from elsewhere) a larger share: nothing else backs it.
UNSURE_SHARE = 0.3
UNSURE_SHARE_UNLISTED = 0.45
# A line shorter than this proves nothing by appearing in both texts ("Share", "Home").
MATCHED_LINE = 15
# The article block holds at least this share of the text both extractors see.
HOLDS = 0.8
# Our body disagrees when more than this share of its words are not in the second opinion's text
# (it read another block); a body merely shorter than its (a short statement) agrees.
DISAGREE = 0.5
# A second opinion of fewer words is no text ("Service unavailable"); an empty body disagrees
# with one of at least this many.
SOME_WORDS = 20
# Weighing a body read without a listing (`weigh`): our lines its text lacks stay when at least
# this long (characters), and page lines its text holds and ours lacks join it when this long
# (shorter ones only between our lines, as whole lines of its text).
OWN_PROSE = 300
ITS_PROSE = 80
_WORD_RE = re.compile(r"\w+")


def is_unsure(layout: Layout, body_chars: int) -> bool:
    """A body that is missing, or a small part of what the page prints outside links."""
    unlisted = layout.evidence.link_text is None
    return body_chars < (UNSURE_SHARE_UNLISTED if unlisted else UNSURE_SHARE) * layout.page_prose


def extract_text(html: str | bytes) -> str:
    """Trafilatura's text of the page ('' when it finds none); imported here, when first asked,
    so a crawl that never asks never pays for the import."""
    import trafilatura

    return trafilatura.extract(html, include_comments=False) or ""


def is_text(text: str) -> bool:
    """Enough words to be an article's text, not a line of an error page."""
    return len(text.split()) >= SOME_WORDS


def block_holding(layout: Layout, text: str) -> etree._Element | None:
    """The smallest block of the page holding most of `text`, by our lines found in it."""
    wanted = normalise(text)
    scores: dict[etree._Element, int] = {}
    total = 0
    for line in layout.lines:
        key = normalise(line.text)
        if len(key) < MATCHED_LINE or key not in wanted:
            continue
        total += len(key)
        for element in (line.element, *line.element.iterancestors()):
            scores[element] = scores.get(element, 0) + len(key)
    if not total:
        return None
    block = layout.root
    while True:
        inner = [child for child in block if scores.get(child, 0) >= HOLDS * total]
        if not inner:
            return block
        block = inner[0]


def holds(text: str) -> Callable[[Line], bool]:
    """Whether a line's text is in `text`, as the texts compare across extractors."""
    wanted = normalise(text)
    return lambda line: normalise(line.text) in wanted


def weigh(
    lines: list[Line],
    body: list[Line],
    text: str,
    ours: Callable[[Line], bool],
    may_add: Callable[[Line], bool],
) -> list[Line]:
    """Our body weighed against its text, on a page where nothing else backs ours, in page order:
    our lines it holds stay, and ours that are long or `ours` (our own structure's evidence:
    a salutation, a dateline), and a heading over a line that stays; lines of prose it holds and
    ours lacks join when `may_add` (not another article's teaser, not a link list), short ones
    only between the lines kept and as whole lines of its text."""
    held = holds(text)
    stays = [len(line.text) >= OWN_PROSE or held(line) or ours(line) for line in body]
    for index in reversed(range(len(body) - 1)):
        stays[index] = stays[index] or (bool(body[index].heading) and stays[index + 1])
    kept = {id(line) for line, stay in zip(body, stays, strict=True) if stay}
    mine = {id(line) for line in body}
    for line in lines:
        if len(line.text) >= ITS_PROSE and id(line) not in mine and held(line) and may_add(line):
            kept.add(id(line))
    at = [n for n, line in enumerate(lines) if id(line) in kept]
    if at:  # its short lines between ours, whole and without links: a list's items, a table's
        its_lines = {normalise(part) for part in text.split("\n")}
        for line in lines[at[0] : at[-1]]:
            if id(line) in mine or line.links or normalise(line.text) not in its_lines:
                continue
            if may_add(line):
                kept.add(id(line))
    return [line for line in lines if id(line) in kept]


def disagreement(ours: str, theirs: str) -> str | None:
    """What tells our body from the second opinion's, when it is not the same text: ours
    empty beside its, or mostly words that it does not hold."""
    mine, other = _words(ours), _words(theirs)
    if not other:
        return None  # no opinion
    if not mine:
        return f"none of its {len(other)} words" if len(other) >= SOME_WORDS else None
    foreign = len(mine - other) / len(mine)
    if foreign <= DISAGREE:
        return None
    return f"{foreign:.0%} of our {len(mine)} words are not in its {len(other)}"


def _words(text: str) -> set[str]:
    return set(_WORD_RE.findall(text.casefold()))
