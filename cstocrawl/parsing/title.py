"""Which line of a page is the article's title, and where its body starts.

Evidence first (the listing's link text, og:title, <title>, the teaser that opens the body), the
page's own headings only when there is none (docs/extraction.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from cstocrawl.parsing.dates import (
    after_leading_date,
    date_only,
    leading_date,
    parse_date,
    trailing_date,
)
from cstocrawl.parsing.evidence import names_title, normalise
from cstocrawl.parsing.layout import Layout
from cstocrawl.parsing.lines import Line, element_hint

TITLE_HINT = re.compile(r"title|heading|caption|zagolovok|name", re.IGNORECASE)
# A teaser shorter than this (characters) says too little to recognise its paragraph by.
TEASER_MIN = 20


@dataclass
class TitleLine:
    index: int | None  # the title's line; None when the page never prints it
    text: str | None
    date_text: str | None = None  # a date printed on the title's own line


def _match_candidate(text: str, candidates: list[str]) -> tuple[str, str | None] | None:
    """(title, date on the line) when `text` is a candidate, alone or with a date beside it."""
    key = normalise(text)
    if not any(normalise(candidate).rstrip(".… ") in key for candidate in candidates):
        return None  # most lines: no candidate in them at all
    for title, date_text in _title_and_date(text):
        if any(names_title(title, candidate) for candidate in candidates):
            return title, date_text
    return None


def _title_and_date(text: str) -> Iterable[tuple[str, str | None]]:
    yield text, None
    if (trailing := trailing_date(text)) is not None and trailing[0]:
        yield trailing[0], trailing[1]
    if (leading := leading_date(text)) is not None and leading[1].strip():
        yield leading[1].strip(), leading[0]


def find_title(layout: Layout, candidates: list[str], opening: int | None) -> TitleLine:
    """The line the evidence names, best placed; else the evidence; else the likeliest heading.

    The listing's teaser marks where the body starts: a dated heading between the line the
    evidence names and the body is the title (the named line was a section heading).
    """
    best: tuple[tuple[int, ...], TitleLine] | None = None
    for index, line in enumerate(layout.lines):
        if not 2 <= len(line.text) <= 600:
            continue
        matched = _match_candidate(line.text, candidates)
        if matched is None:
            continue
        score = (
            int(not layout.links_elsewhere(line)),
            int(not line.boilerplate),
            int(opening is None or index < opening),
            int(bool(line.heading) or line.emphasised or _title_hinted(line)),
            min(_prose_after(layout, index), 400),
            -index,
        )
        if best is None or score > best[0]:
            best = (score, TitleLine(index, *matched))
    if best is not None:
        named = best[1]
        assert named.index is not None
        if opening is not None and named.index < opening:
            dated = _dated_heading_before(layout, opening, named.index)
            if dated is not None:
                titled = _line_title(layout, dated)
                # Never from the listing's link text to another line ("Dear colleagues!").
                if not _prints_link_text(layout, named) or _prints_link_text(layout, titled):
                    return titled
        return named
    if candidates:
        return TitleLine(None, candidates[0])
    heading = _likeliest_heading(layout, opening)
    return _line_title(layout, heading) if heading is not None else TitleLine(None, None)


def _prints_link_text(layout: Layout, found: TitleLine) -> bool:
    """The line is the listing's link text, verbatim: the title, whatever stands after it (a
    salutation or a dateline under a date is the body's first line, not a dated title)."""
    listed = layout.evidence.title
    return bool(listed and found.text) and normalise(found.text or "") == normalise(listed or "")


def _line_title(layout: Layout, index: int) -> TitleLine:
    text = layout.lines[index].text
    if (titled := trailing_date(text)) is not None and titled[0]:
        return TitleLine(index, titled[0], titled[1])
    return TitleLine(index, text)


def teaser_line(layout: Layout) -> int | None:
    """The line that opens with the listing's teaser: the body's first paragraph, where known.
    A sidebar repeating the teaser links it; a class-named block is passed over if need be."""
    teaser = normalise(layout.evidence.teaser or "").rstrip(".… ")
    if len(teaser) < TEASER_MIN:
        return None
    found = [
        index
        for index, line in enumerate(layout.lines)
        if normalise(after_leading_date(line.text)).startswith(teaser)
        and not layout.links_elsewhere(line)
    ]
    plain = [index for index in found if not layout.lines[index].boilerplate]
    chosen = plain or found
    return chosen[0] if chosen else None


def _is_titlelike(layout: Layout, line: Line, opening: int) -> bool:
    """A heading-like line outside any link list that does not also hold the body's opening."""
    return (
        3 <= len(line.text) <= 500
        and date_only(line.text) is None
        and (bool(line.heading) or line.emphasised or _title_hinted(line))
        and not layout.in_frame(line)
        and not layout.links_elsewhere(line)
        and not layout.in_link_list(line.element, layout.lines[opening].element)
    )


def _dated_heading_before(layout: Layout, opening: int, after: int) -> int | None:
    """The last heading-like line before the body's first paragraph with a date beside it."""
    for index in range(opening - 1, after, -1):
        line = layout.lines[index]
        if _is_titlelike(layout, line, opening) and date_near(layout.lines, index):
            return index
    return None


def _title_hinted(line: Line) -> bool:
    return any(
        TITLE_HINT.search(element_hint(element))
        for element in (line.element, *(link.element for link in line.links))
    )


def _likeliest_heading(layout: Layout, opening: int | None) -> int | None:
    """Without evidence: a heading or emphasised line, not in a link list, with prose under it;
    the nearest such line above the body's first paragraph when the teaser shows where it is."""
    if opening is not None:
        for index in range(opening - 1, -1, -1):
            if _is_titlelike(layout, layout.lines[index], opening):
                return index
    best: tuple[tuple[int, ...], int] | None = None
    for index, line in enumerate(layout.lines):
        if not 3 <= len(line.text) <= 500 or layout.in_frame(line):
            continue
        # Only an H1 may sit in boilerplate (<header><h1>); a sidebar's heading never is the title.
        if line.boilerplate and line.heading != 1:
            continue
        if layout.links_elsewhere(line) or layout.in_link_list(line.element, None):
            continue
        titled = bool(line.heading) or line.emphasised or _title_hinted(line)
        if not titled and not _repeated_with_date(layout.lines, index):
            continue
        prose = _prose_after(layout, index)
        score = (
            int(prose >= 200),
            int(date_near(layout.lines, index)),
            int(not line.boilerplate),
            int(line.heading == 1),
            int(len(line.text.split()) >= 3),
            -(line.heading or 7),
            prose,
        )
        if best is None or score > best[0]:
            best = (score, index)
    return best[1] if best else None


def _repeated_with_date(lines: list[Line], index: int) -> bool:
    if index + 1 >= len(lines):
        return False
    following = trailing_date(lines[index + 1].text)
    return following is not None and normalise(following[0]) == normalise(lines[index].text)


def date_near(lines: list[Line], index: int) -> bool:
    for line in lines[max(0, index - 1) : index + 4]:
        text = line.text
        if parse_date(text) or leading_date(text) or trailing_date(text):
            return True
    return False


def _prose_after(layout: Layout, index: int, limit: int = 4000) -> int:
    """Text outside links under a line, to the next heading: articles have much, sidebars little."""
    total = 0
    for line in layout.lines[index + 1 :]:
        if line.heading and total:
            break
        if line.boilerplate or layout.in_frame(line):
            continue
        total += max(0, len(line.text) - sum(len(link.text) for link in line.links))
        if total >= limit:
            break
    return total


# --- the article block ------------------------------------------------------------------------
