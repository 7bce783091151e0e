"""Extract an article from a detail page: title, its own date, body, attachments, images.

The markup is unknown, so each field rests on evidence a template change does not remove, in
layers that can each fail alone (docs/extraction.md):

1. The title is the page line that matches what the listing's link, `og:title` or `<title>` call
   the article; without such a line, that evidence itself; without any, the heading-like line
   with the most prose under it.
2. The article is the smallest block holding the title and the text after it. Inside it, lines in
   link lists (sidebars, breadcrumbs, share buttons, related news), lines the listing page also
   prints outside its entries (menu, footer) and class-named boilerplate are not the body.
3. The date stands beside the title (before, after, on its line, glued to the body) and must agree
   with the listing entry's date where it shows one; a dated link list is never its source.
4. Attachments are links to documents (`/upload/`, document extensions) in the article, whatever
   their label; back links are recognised by where they point as well as by their words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from posixpath import basename
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree

from cstocrawl.parsing import second_opinion
from cstocrawl.parsing.dates import (
    after_leading_date,
    date_beside,
    date_only,
    find_date,
    is_dateline,
    leading_date,
    parse_date,
    trailing_date,
)
from cstocrawl.parsing.evidence import (
    ListingEvidence,
    document_titles,
    names_title,
    normalise,
    title_candidates,
    titles_agree,
)
from cstocrawl.parsing.labels import (
    DOWNLOAD_RE,
    is_javascript,
    is_salutation,
    search_download,
)
from cstocrawl.parsing.layout import (
    DECORATION,
    Layout,
    common_ancestor,
    inside,
    is_header_noise,
    not_the_article,
)
from cstocrawl.parsing.lines import Line, Resolver, parse_html, reaches_depth
from cstocrawl.parsing.text import clean_line, is_counter
from cstocrawl.parsing.thresholds import (
    ARTICLE_SHARE,
    BYLINE_LABEL,
    BYLINE_LINKS,
    CUT_PROSE,
    DATE_ABOVE,
    DENSE_LINE,
    FILE_LINE_REST,
    GALLERY_LABEL,
    HEADER_LINE,
    HEADER_ZONE,
    NAV_AFTER_BODY,
    PARSER_DEPTH_LIMIT,
    TEASER_MIN,
    THIN_HEADER,
    WIDEN_SHARE,
    WIDEN_SLACK,
)
from cstocrawl.parsing.title import TitleLine, find_title, teaser_line
from cstocrawl.parsing.trace import Decision, Trace, described
from cstocrawl.problems import Problem
from cstocrawl.site import ATTACHMENT_EXTENSIONS, IMAGE_EXTENSIONS

# How a byline separates its parts: "05.12.2025 · CSTO News | Print version".
_BYLINE_SEPARATOR_RE = re.compile(r"\s+[·•|/—–]\s+")
# A label opening a byline part: "Published:", "Опубликовано:".
_LABEL_PREFIX_RE = re.compile(r"^[^\W\d_]+(?:\s+[^\W\d_]+){0,2}\s*:\s*")
# A copyright or rights line: the page footer has begun, whatever its markup.
_FOOTER_START_RE = re.compile(r"©|\(c\)|copyright\b", re.I)
_FOOTER_PHRASE_RE = re.compile(r"all rights reserved|все права защищены", re.I)
_FILE_NAME_RE = re.compile(r"\.([A-Za-z0-9]{2,5})$")
# A file name standing in a line of text: "Annex 1.pdf", "39357fa0b754.docx".
_FILE_TOKEN_RE = re.compile(
    r"(?:[^\s/\\:]+ ){0,2}[^\s/\\:]+\.(?:docx?|pdf|rtf|xlsx?|odt|zip)\b", re.I
)
# A heading in capitals: words of capital letters only ("WELCOME SPEECH", "ОБРАЩЕНИЕ").
_CAPITALS_RE = re.compile(r"(?:[^\W\d_a-zа-яё]+[ \-–]*)+")


def _is_footer(text: str) -> bool:
    """A copyright or rights line. The phrase is searched only in a line whose lower case holds
    part of it (an ignore-case search tried at every character cost 11 µs a paragraph): only "E"
    and "e" match "e" ignoring case, and so on for each letter of "erved" and "защищен" (checked
    over every code point)."""
    if _FOOTER_START_RE.match(text):
        return True
    lowered = text.lower()
    return ("erved" in lowered or "защищен" in lowered) and bool(_FOOTER_PHRASE_RE.search(text))


@dataclass
class LinkedFile:
    url: str  # absolute, as linked (canonicalised by the spider)
    name: str  # the file name shown on the page


@dataclass
class DetailPage:
    title: str | None
    date_text: str | None  # the article's own date as printed, e.g. "23.11.2023"
    paragraphs: list[str]
    attachments: list[LinkedFile] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    back_links: list[str] = field(default_factory=list)  # hrefs of "Back to ..." links
    problems: list[str] = field(default_factory=list)  # what the evidence could not confirm
    declared_url: str | None = None  # <link rel="canonical">, absolute (the spider judges it)
    second_opinion: bool = False  # whether trafilatura was asked (ours was unsure), for the stats


def _densest_block(
    layout: Layout,
) -> tuple[int, etree._Element, etree._Element] | None:
    """For pages that never print the title: the index of the article's first line, the article,
    and its core, the block holding the most prose (the article widens it while that adds
    little prose: the picture and date above it)."""
    scores: dict[etree._Element, float] = {}
    for line in layout.lines:
        prose = len(line.text) - sum(len(link.text) for link in line.links)
        # Link text is not prose, so a sidebar of teaser links scores nothing.
        if prose < DENSE_LINE or line.boilerplate or layout.in_frame(line):
            continue
        scores[line.element] = scores.get(line.element, 0) + prose
        if (parent := line.element.getparent()) is not None:
            scores[parent] = scores.get(parent, 0) + prose
    if not scores:
        return None
    core = container = max(scores, key=lambda element: scores[element])
    prose = layout.free_prose(container)
    most = prose + max(WIDEN_SHARE * prose, WIDEN_SLACK)
    while (parent := container.getparent()) is not None and parent.tag not in ("body", "html"):
        if layout.free_prose(parent) > most:
            break
        container = parent
    for index, line in enumerate(layout.lines):
        if inside(line.element, container):
            return index, container, core
    return None


@dataclass
class _Header:
    end: int  # index of the first line after the header
    date_text: str | None
    glued: str | None  # body words glued to the date ("09.06.2018On June 9")
    lines: list[Line]


@dataclass(frozen=True)
class _HeaderLine:
    """What one line after the title adds to the header."""

    date_text: str | None
    glued: str | None = None  # body words glued to the date: the header ends on this line


def _read_header(
    layout: Layout,
    start: int,
    title: str | None,
    anchor: etree._Element | None,
    opening: int | None,
) -> _Header:
    """The lines right after the title: its repeat with the date, a date line, the download line;
    up to the body's first paragraph where the teaser shows it (`opening`)."""
    lines = layout.lines
    date_text: str | None = None
    header: list[Line] = []
    position, examined = start, 0
    printed = _title_above(layout, start, title) if opening is not None else None
    while position < len(lines) and examined < HEADER_ZONE:
        line = lines[position]
        if is_header_noise(layout, line, anchor):
            # A byline's links (section, print version) can outweigh its text: still its date.
            # Never a line in a larger link list: a sidebar's dated teasers.
            if date_text is None and _is_linked_byline(layout, line, anchor):
                date_text = _labelled_date(layout, line.text)
            header.append(line)
            position += 1
            continue
        examined += 1
        before_body = opening is not None and position < opening
        if before_body and printed is not None and _in_the_text(layout, printed, line, opening):
            before_body = False  # "ВЫСТУПЛЕНИЕ" beside the text, after the title's block
        part = _header_line(layout, line, title, before_body)
        if part is None:
            break
        date_text = date_text or part.date_text
        header.append(line)
        position += 1
        if part.glued is not None:
            return _Header(position, date_text, part.glued, header)
    return _Header(position, date_text, None, header)


def _header_line(
    layout: Layout, line: Line, title: str | None, before_body: bool
) -> _HeaderLine | None:
    """What a line after the title adds to the header, or None where the body begins: the forms
    a date takes beside a title, in the order they are trusted."""
    rest = _strip_title(line.text, title) if title else line.text
    if not rest:
        return _HeaderLine(None)  # the title again
    if (found := date_only(rest)) is not None:
        return _HeaderLine(found)
    if _opens_text(line, rest):
        return None  # "WELCOME SPEECH", "December 29, 2025, Almaty", "Dear colleagues!"
    if (labelled := _labelled_date(layout, rest)) is not None:
        return _HeaderLine(labelled)  # "CSTO News 24.11.2025": the section and the date
    if (dated := leading_date(rest)) is not None:
        if _is_download_line(line, dated[1]):
            return _HeaderLine(dated[0])
        return _HeaderLine(dated[0], glued=dated[1])  # "09.06.2018On June 9"
    if title and (titled := trailing_date(rest)) and normalise(titled[0]) == normalise(title):
        return _HeaderLine(titled[1])
    if (download_date := _download_date(rest)) is not None:
        return _HeaderLine(download_date)
    if before_body and (len(rest) <= HEADER_LINE or _repeats_teaser(layout, rest)):
        beside = date_beside(rest)  # "Speeches 03.06.2025", a byline, a dek before the body
        return _HeaderLine(beside[0] if beside else None)
    return _HeaderLine(None) if _is_download_line(line, rest) else None


def _title_above(layout: Layout, start: int, title: str | None) -> etree._Element | None:
    """The title's own line nearest above the header, where the page prints it."""
    target = normalise(title or "")
    if not target:
        return None
    return next(
        (line.element for line in reversed(layout.lines[:start]) if normalise(line.text) == target),
        None,
    )


def _in_the_text(layout: Layout, title: etree._Element, line: Line, opening: int | None) -> bool:
    """Whether a line without links stands in the block holding the text's first paragraph, apart
    from the title's line: the text's own first line, however short."""
    if opening is None or line.links:
        return False
    return not inside(title, common_ancestor(line.element, layout.lines[opening].element))


def _repeats_teaser(layout: Layout, text: str) -> bool:
    """A dek: the listing's teaser printed in the header, above the paragraph it opens."""
    teaser = normalise(layout.evidence.teaser or "").rstrip(".… ")
    return len(teaser) >= TEASER_MIN and normalise(text).startswith(teaser)


def _opens_text(line: Line, text: str) -> bool:
    """The first lines of a speech or a document: a dateline (place and date), a salutation, or
    a heading in capitals in bold ("WELCOME SPEECH"). The body's, however short and emphasised."""
    text = clean_line(text)
    return (
        is_dateline(text)
        or is_salutation(text)
        or (line.emphasised and not line.links and _CAPITALS_RE.fullmatch(text) is not None)
    )


def _is_linked_byline(layout: Layout, line: Line, anchor: etree._Element | None) -> bool:
    """A line whose own few links make it a link list, in no link list beyond itself."""
    parent = line.element.getparent()
    return (
        1 <= len(line.links) <= BYLINE_LINKS
        and parent is not None
        and not layout.in_link_list(parent, anchor)
    )


def _labelled_date(layout: Layout, text: str) -> str | None:
    """The date of a byline: a date among short labels ("CSTO News 24.11.2025", "03.06.2025 |
    Speeches", "Published: 05.12.2025 · CSTO News · Print version"), every label printed by the
    listing page too or too short to be prose."""
    found: str | None = None
    for part in _BYLINE_SEPARATOR_RE.split(text):
        part = part.strip(DECORATION)
        value = _LABEL_PREFIX_RE.sub("", part)  # "Published: 05.12.2025"
        if (whole := date_only(value)) is not None:
            found = found or whole
            continue
        beside = date_beside(value)
        glued = (
            beside is not None and leading_date(value) is not None and not beside[1][:1].isspace()
        )
        if beside is not None and not glued and _is_byline_label(layout, beside[1]):
            found = found or beside[0]
        elif not _is_byline_label(layout, part):
            return None  # prose, or a date glued to the body ("09.06.2018On June 9")
    return found


def _is_byline_label(layout: Layout, text: str) -> bool:
    label = text.strip(DECORATION + ":")
    return not label or normalise(label) in layout.frame or _is_label(label)


def _is_label(text: str) -> bool:
    """Words too few to be prose: no sentence ends in them."""
    return len(text) <= BYLINE_LABEL and not text.rstrip().endswith((".", "!", "?", ";"))


def _strip_title(text: str, title: str) -> str:
    """What is left of a line that repeats the title ("Title 23.11.2023" gives "23.11.2023")."""
    target = normalise(title)
    if not normalise(text).startswith(target):
        if (dated := leading_date(text)) and normalise(dated[1]) == target:
            return dated[0]
        return text
    # The raw text's shortest start that normalises to the title, to keep the raw remainder.
    cut = _title_cut(text, target, len(title) // 2)
    return text[cut:].strip() if cut is not None else text


def _title_cut(text: str, target: str, lowest: int) -> int | None:
    """The first cut from `lowest` on where `normalise(text[:cut]) == target`. Without a `>` (no tag
    fragment to drop), each character normalises to nothing or extends the prefix's normalised
    text (casefold maps each character alone): the only candidate is the first cut whose
    normalised text is as long as `target`, found by bisection."""
    if ">" in text:
        cuts = range(lowest, len(text) + 1)
        return next((cut for cut in cuts if normalise(text[:cut]) == target), None)
    low, high = lowest, len(text) + 1  # the first cut at least as long lies in [low, high)
    while low < high:
        middle = (low + high) // 2
        if len(normalise(text[:middle])) < len(target):
            low = middle + 1
        else:
            high = middle
    return low if low <= len(text) and normalise(text[:low]) == target else None


def _date_above(layout: Layout, index: int, title: etree._Element) -> str | None:
    """A date printed just above the title, outside any dated link list (a sidebar's)."""
    for line in reversed(layout.lines[max(0, index - DATE_ABOVE) : index]):
        if layout.in_link_list(line.element, title) or layout.links_elsewhere(line):
            continue
        if (found := date_only(line.text)) is not None:
            return found
        if (dated := leading_date(line.text)) is not None:
            return dated[0]
    return None


# --- attachments ------------------------------------------------------------------------------


def _is_file_line(line: Line) -> bool:
    """A line that only links documents ("PDF, 120 KB", a file name): the download line."""
    if not line.links or not all(_is_file_href(link.href) for link in line.links):
        return False
    rest = normalise(line.text)
    for link in line.links:
        rest = rest.replace(normalise(link.text), " ", 1)
    rest = rest.strip(DECORATION + "(),.;")
    # "PDF, 120 KB" beside the link, or a label introducing it: "Full text of the document:"
    return len(rest.rstrip(":")) <= FILE_LINE_REST or (rest.endswith(":") and _is_label(rest))


def _is_download_line(line: Line, text: str) -> bool:
    """The download line: "Download document <file>" (`text`, what follows any date opening the
    line), or a line that only links documents."""
    return _download_rest(text) is not None or _is_file_line(line)


def _download_rest(text: str) -> str | None:
    """The file name part of a "Download document <name>" line, or None for other lines."""
    match = DOWNLOAD_RE.match(text.strip())
    if match is None:
        return None
    return text.strip()[match.end() :].strip()


def _download_date(text: str) -> str | None:
    """The date of a "<date> Download document <file>" line, in any format ("11/28/2019 14:56")."""
    match = search_download(text)
    if match is None or match.start() == 0:
        return None
    return date_only(text[: match.start()])


def _is_file_href(href: str) -> bool:
    try:
        path = urlsplit(href).path.lower()
    except ValueError:  # an unparsable href ("http://[x]/a.pdf") links no file we could fetch
        return False
    extension = path.rsplit(".", 1)[-1] if "." in basename(path) else ""
    if extension in IMAGE_EXTENSIONS:
        return False
    return extension in ATTACHMENT_EXTENSIONS or "/upload/" in path


def _attachment_name(link_text: str, line_text: str, href: str, title_attr: str) -> str:
    """The file name the page shows: in the link, beside it, in its title, else in its URL."""
    text = link_text.strip()
    named = _download_rest(text)
    if named is not None:
        text = named
    if _FILE_NAME_RE.search(normalise(text)):
        return text
    after_label = _download_rest(after_leading_date(line_text))
    if after_label and _FILE_NAME_RE.search(normalise(after_label)):
        return after_label
    for source in (title_attr, line_text):
        if match := _FILE_TOKEN_RE.search(source):
            return match.group(0)
    if named is None and text:
        return text  # a name the page shows, odd as it may be: never a label ("Download (PDF)")
    return unquote(basename(urlsplit(href).path)) or text


# --- the page ---------------------------------------------------------------------------------


def parse_detail(
    html: str | bytes, url: str, evidence: ListingEvidence | None = None, trace: Trace | None = None
) -> DetailPage:
    """The article on `html`; `evidence` is what the listing that linked it showed. `trace`, when
    given, receives which signal decided the title, date, block and edges."""
    evidence = evidence or ListingEvidence()
    root = parse_html(html)
    layout = Layout(root, url, evidence)
    lines = layout.lines
    too_deep = reaches_depth(html, root, PARSER_DEPTH_LIMIT)
    problems = [Problem.MARKUP_TOO_DEEP.text()] if too_deep else []

    opening = teaser_line(layout)
    if trace is not None and opening is not None:
        trace.append(Decision("edges", "the listing's teaser opens the body", f"line {opening}"))
    found = find_title(layout, title_candidates(root, evidence), opening, trace)
    title = found.text
    located, body, opinion = _read_article(layout, html, found, opening, trace)
    if located is None:
        if trace is not None:
            read = opinion is not None and opinion.text
            signal = "none: trafilatura's text is the body" if read else "none: no prose"
            trace.append(Decision("block", signal))
        problems += only_from_listing(root, found, evidence, page_dated=False)
        return DetailPage(
            title,
            evidence.date_text,
            paragraphs=opinion.paragraphs if opinion else [],
            problems=problems,
            second_opinion=opinion is not None,
        )
    header, article, core = located

    page_dates = _page_dates(layout, found, header, core)
    date_text, date_problem = _agree_on_date(page_dates, evidence.date_text)
    problems += date_problem
    if title and evidence.title and not titles_agree(title, evidence.title):
        problems.append(Problem.TITLE_DISAGREES_WITH_LISTING.text(f"listing {evidence.title}"))

    lines_of_body, back_links = body
    paragraphs = ([header.glued] if header.glued else []) + [line.text for line in lines_of_body]
    if not paragraphs and opinion is not None and layout.evidence.is_empty:
        paragraphs = opinion.paragraphs  # weighed, ours kept none of its text: its text is the body
    if (cut := _cut_by_markup(layout, lines_of_body, article, core)) is not None:
        problems.append(Problem.BODY_CUT_BY_MARKUP.text(cut))
    if opinion is not None and (disagreement := opinion.disagreement(paragraphs)):
        problems.append(Problem.BODY_DISAGREES_WITH_SECOND_OPINION.text(disagreement))
    region = [line for line in lines if inside(line.element, article)] + header.lines
    page_dated = bool(page_dates) or _prints_date(layout, evidence.date_text)
    problems += only_from_listing(root, found, evidence, page_dated)
    if trace is not None:
        trace += _traced(layout, found, header, date_text, evidence.date_text, body)
    return DetailPage(
        title=title,
        date_text=date_text,
        paragraphs=paragraphs,
        attachments=_attachments(region, layout.resolve),
        images=_images(layout, article, core),
        back_links=list(dict.fromkeys(back_links)),
        problems=problems,
        declared_url=declared_url(root, url),
        second_opinion=opinion is not None,
    )


def _traced(
    layout: Layout,
    found: TitleLine,
    header: _Header,
    date_text: str | None,
    listed: str | None,
    body: _Body,
) -> Trace:
    """Where the date came from (the sources in the order _page_dates lists them) and the body's
    first and last lines."""
    if date_text is None:
        source = "none: neither the page nor the listing shows one"
    elif date_text == found.date_text:
        source = "on the title's line"
    elif date_text == header.date_text:
        source = "in the header under the title"
    elif date_text == listed:
        source = "the listing's (the page shows none, or another)"
    else:
        source = "just above the title"
    decisions = [Decision("date", source, repr(date_text))]
    lines, back_links = body
    if lines:
        first, last = layout.lines.index(lines[0]), layout.lines.index(lines[-1])
        ended = "back links after it" if back_links else "the block's end, a footer or a label"
        detail = f"lines {first} to {last} ({lines[0].text[:40]!r} to {lines[-1].text[:40]!r})"
        decisions.append(Decision("edges", f"body ends at {ended}", detail))
    return decisions


def only_from_listing(
    root: etree._Element, found: TitleLine, evidence: ListingEvidence, page_dated: bool
) -> list[str]:
    """What the page never showed itself and the listing filled in: an error or maintenance page
    read with its listing's evidence looks like the article (cstocrawl/runs/verdict.py holds it)."""
    problems = []
    listed_title = evidence.title
    if (
        found.index is None
        and listed_title
        and found.text == listed_title.strip()
        and not any(names_title(text, listed_title) for text in document_titles(root))
    ):
        problems.append(Problem.TITLE_ONLY_FROM_LISTING.text())
    if evidence.date_text and not page_dated:
        problems.append(Problem.DATE_ONLY_FROM_LISTING.text())
    return problems


def _prints_date(layout: Layout, listed: str | None) -> bool:
    """Whether the page prints the listing's date anywhere outside links and the site's frame
    (some templates print it under the pictures, where no date is taken from), or in a byline
    whose few links (its section, "Print") are its own, never a sidebar's dated teaser."""
    day = parse_date(listed) if listed else None
    if day is None:
        return False
    for line in layout.lines:
        found = find_date(line.text)
        if not found or found[0] != day or layout.in_frame(line):
            continue
        if not line.links or _is_linked_byline(layout, line, None):
            return True
    return False


def declared_url(root: etree._Element, url: str) -> str | None:
    """The URL the page declares as its own (`<link rel="canonical">`), resolved against `url`:
    the site serves some articles under a second path that names the first this way."""
    for link in root.iter("link"):
        rels = (link.get("rel") or "").lower().split()
        href = (link.get("href") or "").strip()
        if "canonical" in rels and href:
            try:
                return urljoin(url, href)
            except ValueError:  # an unparsable href (a bad IPv6 host): no declaration
                return None
    return None


def _article_block(layout: Layout, title_index: int, header: _Header) -> etree._Element:
    """The smallest block holding the title and the first body line."""
    lines = layout.lines
    anchor = lines[title_index].element
    for line in lines[header.end :]:
        if layout.is_nav_line(line) or is_header_noise(layout, line, anchor):
            continue
        if date_only(line.text) is not None or not line.text:
            continue
        return common_ancestor(anchor, line.element)
    parent = anchor.getparent()
    return parent if parent is not None else anchor


_Located = tuple["_Header", etree._Element, etree._Element]
_Body = tuple[list[Line], list[str]]


@dataclass(frozen=True)
class _Opinion:
    """Trafilatura's text of a page where ours was unsure."""

    text: str

    @property
    def paragraphs(self) -> list[str]:
        return [line for line in (" ".join(p.split()) for p in self.text.split("\n")) if line]

    def disagreement(self, paragraphs: list[str]) -> str | None:
        return second_opinion.disagreement("\n".join(paragraphs), self.text)


def _read_article(
    layout: Layout, html: str | bytes, found: TitleLine, opening: int | None, trace: Trace | None
) -> tuple[_Located | None, _Body, _Opinion | None]:
    """Our article block and body; where they are unsure (no body, or a small part of the page's
    prose), the block holding most of trafilatura's text, when ours finds it. Without a listing's
    evidence, every body is weighed against its text (`second_opinion.weigh`)."""
    located = _locate_article(layout, found, opening, trace)
    body: _Body = _body(layout, *located, found.text) if located else ([], [])
    unlisted = layout.evidence.is_empty
    unsure = not _confirmed(layout, found, body) and second_opinion.is_unsure(
        layout, sum(len(line.text) for line in body[0])
    )
    if not (unsure or unlisted):
        return located, body, None
    text = second_opinion.extract_text(html)
    opinion = _Opinion(text if second_opinion.is_text(text) else "")  # not a line or two
    if not opinion.text:
        return located, body, opinion
    if unsure and (block := second_opinion.block_holding(layout, text)) is not None:
        after = found.index + 1 if found.index is not None else 0
        if trace is not None:
            why = "holds most of trafilatura's text (ours unsure)"
            trace.append(Decision("block", why, described(block)))
        starts = [n for n, line in enumerate(layout.lines) if inside(line.element, block)]
        start = next((n for n in starts if n >= after), starts[0])
        header = _read_header(layout, start, found.text, block, opening)
        located = header, block, block
        body = _body(layout, header, block, block, found.text)
    if unlisted and located is not None:
        layout.mark_teasers(layout.lines)
        weighed = second_opinion.weigh(
            layout.lines,
            body[0],
            text,
            lambda line: _opens_text(line, line.text),
            lambda line: _may_join(layout, line, located, found),
        )
        if trace is not None:
            why = "no listing: our lines weighed against trafilatura's text"
            trace.append(Decision("edges", why, f"{len(body[0])} lines -> {len(weighed)}"))
        body = weighed, body[1]
    return located, body, opinion


def _may_join(layout: Layout, line: Line, located: _Located, found: TitleLine) -> bool:
    """A line the second opinion may add to our body: not our title, again or with its date, nor
    a dated line of our header (a byline; its text holds both), nor a line our rules say is no
    body's (a date alone, a counter, page tools); not mostly link text (another article's title),
    in a link list, or in a run of other articles' teasers (marked on the whole page)."""
    header, _, core = located
    if any(line is each for each in header.lines) and find_date(line.text) is not None:
        return False
    if found.text and _strip_title(line.text, found.text) != line.text:
        return False
    linked = sum(len(link.text) for link in line.links)
    return (
        linked * 2 < len(line.text)
        and date_only(line.text) is None
        and not is_counter(line.text)
        and not _is_tool_line(line)
        and not layout.in_link_list(line.element, core)
        and not layout.in_teaser_run(line.element, layout.root)
    )


def _confirmed(layout: Layout, found: TitleLine, body: _Body) -> bool:
    """A body under the title the listing named: short as it may be, it is the article's."""
    evidence = layout.evidence.title
    return bool(body[0]) and found.index is not None and evidence is not None and (
        titles_agree(found.text or "", evidence)
    )


def _beside_the_header(
    layout: Layout, title_index: int, header_end: int, article: etree._Element
) -> tuple[int, etree._Element, etree._Element] | None:
    """Where the article's prose starts, its block and core, when the block holding the title is
    a header or hero (the title, a dek, a byline, a caption) and the text stands after it: the
    body starts in the block with the most prose."""
    if layout.prose(article) >= ARTICLE_SHARE * layout.page_prose:
        return None  # half the page's prose is in it: the article (and this check is cheap)
    densest = _densest_block(layout)
    if densest is None:
        return None
    _, container, core = densest
    if inside(core, article):
        return None
    left = _prose_of(layout, layout.lines[header_end:], article)  # a caption, a dek
    if left * THIN_HEADER >= _prose_of(layout, layout.lines[title_index + 1 :], container):
        return None
    after = layout.lines[title_index + 1 :]
    start = next((n for n, line in enumerate(after) if inside(line.element, core)), None)
    return None if start is None else (title_index + 1 + start, container, core)


def _prose_of(layout: Layout, lines: list[Line], block: etree._Element) -> int:
    """Characters outside links on `lines` in `block`, outside its link lists."""
    return sum(
        len(line.text) - sum(len(link.text) for link in line.links)
        for line in lines
        if inside(line.element, block) and not layout.in_link_list(line.element, block)
    )


def _locate_article(
    layout: Layout, found: TitleLine, opening: int | None, trace: Trace | None
) -> tuple[_Header, etree._Element, etree._Element] | None:
    """The article's header, block and core, from its title line or, on a page that never prints
    one, from its densest prose; None for a page without prose."""
    if found.index is not None:
        core = layout.lines[found.index].element
        header = _read_header(layout, found.index + 1, found.text, core, opening)
        article = _article_block(layout, found.index, header)
        if (beside := _beside_the_header(layout, found.index, header.end, article)) is None:
            if trace is not None:
                trace.append(
                    Decision("block", "smallest holding the title and body", described(article))
                )
            return header, article, core
        start, article, prose = beside
        if trace is not None:
            trace.append(
                Decision("block", "densest prose beside the title's header", described(article))
            )
        moved = _read_header(layout, start, found.text, prose, opening)
        date_text = moved.date_text or header.date_text
        header = _Header(moved.end, date_text, moved.glued, header.lines + moved.lines)
        return header, article, prose
    if (densest := _densest_block(layout)) is None:
        return None
    start, article, core = densest
    if trace is not None:
        trace.append(Decision("block", "densest prose (no title line)", described(article)))
    return _read_header(layout, start, found.text, core, opening), article, core


def _page_dates(
    layout: Layout, found: TitleLine, header: _Header, core: etree._Element
) -> list[str]:
    """The dates printed beside the title (on its line, under it, just above it), most trusted
    first: found once, for the date and for whether the page prints one."""
    page_dates = [found.date_text, header.date_text]
    if found.index is not None:
        page_dates.append(_date_above(layout, found.index, core))
    return [d for d in page_dates if d]


def _agree_on_date(page_dates: list[str], listed: str | None) -> tuple[str | None, list[str]]:
    """The page's date, checked against the listing's; the listing's when the page shows none."""
    listed_day = parse_date(listed) if listed else None
    if listed_day is None:
        return (page_dates[0] if page_dates else None), []
    for printed in page_dates:
        if parse_date(printed) == listed_day:
            return printed, []
    if page_dates:
        detail = f"page {page_dates[0]}, listing {listed}"
        return listed, [Problem.DATE_DISAGREES_WITH_LISTING.text(detail)]
    return listed, []


def _body(
    layout: Layout,
    header: _Header,
    article: etree._Element,
    core: etree._Element,
    title: str | None,
) -> tuple[list[Line], list[str]]:
    """The article's prose lines up to its back links, a copyright line or the article's end."""
    lines = layout.lines
    body: list[Line] = []
    back_links: list[str] = []
    started = header.glued is not None
    end = len(lines)
    for index in range(header.end, len(lines)):
        line = lines[index]
        if layout.is_nav_line(line):
            back_links += _hrefs(line, layout.resolve)
            if started:
                end = index + 1
                break
            continue
        outside = not inside(line.element, article)
        if started and (outside or _is_footer(line.text)):
            end = index
            break
        if outside or not _is_body_line(layout, line, core, title):
            continue
        body.append(line)
        started = True
    body = _without_teasers(layout, body, article)
    return _without_trailing_labels(layout, body), back_links + _back_links_after(layout, end)


def _cut_by_markup(
    layout: Layout, body: list[Line], article: etree._Element, core: etree._Element
) -> str | None:
    """Prose after the body's end in the article block, left out for standing in a link list
    that also holds the body's end: tags left open nested the text in it (kept out, but said)."""
    if not body:
        return None
    left: list[Line] = []
    rest = layout.lines[layout.lines.index(body[-1]) + 1 :]
    for line in rest:
        if not line.links and len(line.text) < CUT_PROSE:
            continue  # most lines: neither prose nor the back links that end the search
        if layout.is_nav_line(line) or _is_footer(line.text):
            break
        if (
            not line.links
            and inside(line.element, article)
            and not layout.in_frame(line)
            and _swallowed(layout, line.element, body[-1].element, core)
        ):
            left.append(line)
    if left:  # other articles' teasers after the body are not its text
        layout.mark_teasers(rest)
        left = [line for line in left if not layout.in_teaser_run(line.element, article)]
    if not left:
        return None
    first = left[0].text[:60]
    return f"{len(left)} paragraphs of prose after its end, in link lists, from {first!r}"


def _swallowed(
    layout: Layout, element: etree._Element, body_end: etree._Element, core: etree._Element
) -> bool:
    """In a link list that also holds the body's last line (not one that holds the title): text
    and list nested together by tags left open."""
    holders = {core, *core.iterancestors()}
    current: etree._Element | None = element
    while current is not None and current not in holders:
        if layout.is_link_list(current) and inside(body_end, current):
            return True
        current = current.getparent()
    return False


def _without_teasers(layout: Layout, body: list[Line], article: etree._Element) -> list[Line]:
    """The body without runs of other articles' teasers beside or after it ("related news");
    a body that is nothing but such a run (a gallery, a listicle) is kept whole."""
    if len(body) < 2:
        return body
    # Items of a run after the body lie between its first and last lines: read only those.
    first, last = layout.lines.index(body[0]), layout.lines.index(body[-1])
    layout.mark_teasers(layout.lines[first : last + 1])
    kept = [line for line in body if not layout.in_teaser_run(line.element, article)]
    return kept or body


def _is_body_line(layout: Layout, line: Line, core: etree._Element, title: str | None) -> bool:
    """A line of the article block that is prose: not a link list, the frame or boilerplate, a date
    alone, a counter, the download line or the title again."""
    return not (
        is_header_noise(layout, line, core)
        or date_only(line.text) is not None
        or is_counter(line.text)  # "Views: 871"
        or _is_tool_line(line)  # "Print | Share"
        or _is_download_line(line, after_leading_date(line.text))
        or (title and normalise(line.text) == normalise(title))
    )


def _without_trailing_labels(layout: Layout, body: list[Line]) -> list[Line]:
    """A heading with no text under it, or a label over pictures ("Photo gallery"), ends no
    article."""
    end = len(body)
    while end and (body[end - 1].heading or _labels_pictures(layout, body[end - 1])):
        end -= 1
    return body[:end]


def _is_tool_line(line: Line) -> bool:
    """Only links that run a script (print, share popups, send by mail): the page's tools, which
    neither are the article's words nor end it."""
    if not line.links or not all(is_javascript(link.href) for link in line.links):
        return False
    rest = normalise(line.text)
    for link in line.links:
        rest = rest.replace(normalise(link.text), " ", 1)
    return not rest.strip(DECORATION + ":")


def _back_links_after(layout: Layout, end: int) -> list[str]:
    """The rest of the navigation block, when the body ended on its first line."""
    return [
        href
        for line in layout.lines[end : end + NAV_AFTER_BODY]
        if layout.is_nav_line(line)
        for href in _hrefs(line, layout.resolve)
    ]


def _labels_pictures(layout: Layout, line: Line) -> bool:
    """A short label whose next line holds only pictures: a gallery's title."""
    index = layout.lines.index(line)
    following = layout.lines[index + 1] if index + 1 < len(layout.lines) else None
    return (
        len(line.text) <= GALLERY_LABEL
        and _is_label(line.text)
        and following is not None
        and bool(following.images)
        and not following.text
    )


def _hrefs(line: Line, resolve: Resolver) -> list[str]:
    return [resolve(link.href) for link in line.links if not is_javascript(link.href)]


def _attachments(region: list[Line], resolve: Resolver) -> list[LinkedFile]:
    files: dict[str, LinkedFile] = {}
    for line in region:
        for link in line.links:
            if _is_file_href(link.href):
                absolute = resolve(link.href)
                name = _attachment_name(
                    link.text, line.text, link.href, link.element.get("title") or ""
                )
                files.setdefault(absolute, LinkedFile(absolute, name))
    return list(files.values())


def _images(layout: Layout, article: etree._Element, core: etree._Element) -> list[str]:
    """Pictures in the article, not in its link lists (thumbnails of other articles)."""
    images: list[str] = []
    for line in layout.lines:
        if not line.images or not inside(line.element, article):
            continue
        if not_the_article(layout, line, core):
            continue
        images.extend(layout.resolve(src) for src in line.images)
    return list(dict.fromkeys(images))
