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
from cstocrawl.parsing.evidence import names_title, normalise, shortest_holding
from cstocrawl.parsing.layout import Layout
from cstocrawl.parsing.lines import Line, element_hint
from cstocrawl.parsing.thresholds import (
    ARTICLE_PROSE,
    DATE_NEAR_ABOVE,
    DATE_NEAR_BELOW,
    EVIDENCE_LINE_CHARS,
    HEADING_CHARS,
    PROSE_READ,
    RANKED_PROSE,
    TEASER_MIN,
)
from cstocrawl.parsing.trace import Decision, Trace

TITLE_HINT = re.compile(r"title|heading|caption|zagolovok|name", re.IGNORECASE)


@dataclass
class TitleLine:
    index: int | None  # the title's line; None when the page never prints it
    text: str | None
    date_text: str | None = None  # a date printed on the title's own line


def _match_candidate(
    text: str, candidates: list[str], keys: list[str]
) -> tuple[str, str | None] | None:
    """(title, date on the line) when `text` is a candidate, alone or with a date beside it;
    `keys` are the candidates normalised (once a page, not once a line)."""
    key = normalise(text)
    if not any(candidate in key for candidate in keys):
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


@dataclass(frozen=True, slots=True)
class NamedLine:
    """A line the evidence names, with what tells the article's title from its other mentions."""

    index: int
    outside_links: bool  # not a link to elsewhere (a teaser of it, a breadcrumb)
    plain: bool  # not in class-named boilerplate
    before_body: bool  # above the body's first paragraph, or that paragraph unknown
    titled: bool  # a heading, emphasised, or a class name saying "title"
    prose_after: int  # characters outside links under it, to the next heading

    def rank(self) -> tuple[int, ...]:
        """The page's own line before a link to it, outside boilerplate, above the body, looking
        like a title, with prose under it (to RANKED_PROSE: past it both head articles); then
        the first: a sidebar repeats the title after the article, never before it."""
        return (
            int(self.outside_links),
            int(self.plain),
            int(self.before_body),
            int(self.titled),
            min(self.prose_after, RANKED_PROSE),
            -self.index,
        )


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading-like line on a page without evidence, and what says it heads the article."""

    index: int
    prose_after: int  # characters outside links under it, to the next heading
    dated: bool  # a date on, just above or just below it
    plain: bool  # not in class-named boilerplate
    level: int  # 1..6, 0 for an emphasised or class-named line
    words: int

    def rank(self) -> tuple[int, ...]:
        """An article's heading (ARTICLE_PROSE under it) before a sidebar's, dated, outside
        boilerplate, an H1, a phrase rather than a label, the higher level, the most prose."""
        return (
            int(self.prose_after >= ARTICLE_PROSE),
            int(self.dated),
            int(self.plain),
            int(self.level == 1),
            int(self.words >= 3),
            -(self.level or 7),
            self.prose_after,
        )


def find_title(
    layout: Layout, candidates: list[str], opening: int | None, trace: Trace | None = None
) -> TitleLine:
    """The line the evidence names, best placed; else the evidence; else the likeliest heading.

    The listing's teaser marks where the body starts: a dated heading between the line the
    evidence names and the body is the title (the named line was a section heading).
    """
    best: tuple[NamedLine, TitleLine] | None = None
    low, high = EVIDENCE_LINE_CHARS
    keys = [normalise(candidate).rstrip(".… ") for candidate in candidates]
    low = max(low, min((shortest_holding(key) for key in keys), default=0))
    for index, line in enumerate(layout.lines):
        if not low <= len(line.text) <= high:
            continue
        matched = _match_candidate(line.text, candidates, keys)
        if matched is None:
            continue
        named = NamedLine(
            index,
            outside_links=not layout.links_elsewhere(line),
            plain=not line.boilerplate,
            before_body=opening is None or index < opening,
            titled=bool(line.heading) or line.emphasised or _title_hinted(line),
            prose_after=_prose_after(layout, index),
        )
        if best is None or named.rank() > best[0].rank():
            best = (named, TitleLine(index, *matched))
    if best is not None:
        return _named_or_dated(layout, best[0], best[1], opening, trace)
    if candidates:
        if trace is not None:
            trace.append(Decision("title", "evidence the page never prints", repr(candidates[0])))
        return TitleLine(None, candidates[0])
    heading = _likeliest_heading(layout, opening, trace)
    return _line_title(layout, heading) if heading is not None else TitleLine(None, None)


def _named_or_dated(
    layout: Layout, features: NamedLine, named: TitleLine, opening: int | None, trace: Trace | None
) -> TitleLine:
    """The line the evidence names, unless a dated heading stands between it and the body."""
    assert named.index is not None
    if opening is not None and named.index < opening:
        dated = _dated_heading_before(layout, opening, named.index)
        if dated is not None:
            titled = _line_title(layout, dated)
            # Never from the listing's link text to another line ("Dear colleagues!").
            if not _prints_link_text(layout, named) or _prints_link_text(layout, titled):
                if trace is not None:
                    detail = f"line {dated} {titled.text!r}, not line {named.index}"
                    trace.append(Decision("title", "dated heading above the teaser", detail))
                return titled
    if trace is not None:
        detail = f"line {named.index} {named.text!r} {features}"
        trace.append(Decision("title", "line the evidence names", detail))
    return named


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
    shortest = shortest_holding(teaser)
    found = [
        index
        for index, line in enumerate(layout.lines)
        if len(line.text) >= shortest
        and normalise(after_leading_date(line.text)).startswith(teaser)
        and not layout.links_elsewhere(line)
    ]
    plain = [index for index in found if not layout.lines[index].boilerplate]
    chosen = plain or found
    return chosen[0] if chosen else None


def _is_titlelike(layout: Layout, line: Line, opening: int) -> bool:
    """A heading-like line outside any link list that does not also hold the body's opening."""
    return (
        HEADING_CHARS[0] <= len(line.text) <= HEADING_CHARS[1]
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


def _likeliest_heading(layout: Layout, opening: int | None, trace: Trace | None) -> int | None:
    """Without evidence: a heading or emphasised line, not in a link list, with prose under it;
    the nearest such line above the body's first paragraph when the teaser shows where it is."""
    if opening is not None:
        for index in range(opening - 1, -1, -1):
            if _is_titlelike(layout, layout.lines[index], opening):
                if trace is not None:
                    detail = f"line {index} {layout.lines[index].text!r}"
                    trace.append(Decision("title", "heading nearest above the teaser", detail))
                return index
    best: Heading | None = None
    for index, line in enumerate(layout.lines):
        if (heading := _heading(layout, index, line)) is None:
            continue
        if best is None or heading.rank() > best.rank():
            best = heading
    if trace is not None:
        found = f"line {best.index} {layout.lines[best.index].text!r} {best}" if best else "none"
        trace.append(Decision("title", "likeliest heading", found))
    return best.index if best else None


def _heading(layout: Layout, index: int, line: Line) -> Heading | None:
    """The line as a candidate heading, or None when it cannot be the title."""
    low, high = HEADING_CHARS
    if not low <= len(line.text) <= high or layout.in_frame(line):
        return None
    # Only an H1 may sit in boilerplate (<header><h1>); a sidebar's heading never is the title.
    if line.boilerplate and line.heading != 1:
        return None
    if layout.links_elsewhere(line) or layout.in_link_list(line.element, None):
        return None
    titled = bool(line.heading) or line.emphasised or _title_hinted(line)
    if not titled and not _repeated_with_date(layout.lines, index):
        return None
    return Heading(
        index,
        prose_after=_prose_after(layout, index),
        dated=date_near(layout.lines, index),
        plain=not line.boilerplate,
        level=line.heading,
        words=len(line.text.split()),
    )


def _repeated_with_date(lines: list[Line], index: int) -> bool:
    if index + 1 >= len(lines):
        return False
    following = trailing_date(lines[index + 1].text)
    return following is not None and normalise(following[0]) == normalise(lines[index].text)


def date_near(lines: list[Line], index: int) -> bool:
    """A date on the line or just around it: a heading with its date heads an article."""
    for line in lines[max(0, index - DATE_NEAR_ABOVE) : index + DATE_NEAR_BELOW + 1]:
        text = line.text
        if parse_date(text) or leading_date(text) or trailing_date(text):
            return True
    return False


def _prose_after(layout: Layout, index: int, limit: int = PROSE_READ) -> int:
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
