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
from collections.abc import Iterable
from dataclasses import dataclass, field
from posixpath import basename
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree

from cstocrawl.parsing.dates import leading_date, parse_date, trailing_date
from cstocrawl.parsing.evidence import (
    ListingEvidence,
    normalise,
    title_candidates,
    titles_agree,
)
from cstocrawl.parsing.labels import DOWNLOAD_RE, is_back_link_text, is_javascript_back
from cstocrawl.parsing.lines import (
    Line,
    element_hint,
    is_boilerplate_container,
    max_depth,
    parse_html,
    render_lines,
)
from cstocrawl.site import ATTACHMENT_EXTENSIONS, IMAGE_EXTENSIONS

TITLE_HINT = re.compile(r"title|heading|caption|zagolovok|name", re.IGNORECASE)
# How many lines after the title may still hold its date or the download line.
HEADER_ZONE = 6
# Widening the densest block may add this much prose (a date line, a caption, share labels).
WIDEN_SLACK = 80
# A label beside a date longer than this (characters) may be prose: "<label> dd.mm.yyyy" bylines.
BYLINE_LABEL = 80
# A line between the title and the body's known start longer than this is prose, not a header.
HEADER_LINE = 200
# A date this many lines above the title may still be its own ("date above the title" templates).
DATE_ABOVE = 3
# A copyright or rights line: the page footer has begun, whatever its markup.
FOOTER_RE = re.compile(r"^(?:©|\(c\)|copyright\b)|all rights reserved|все права защищены", re.I)
_FILE_NAME_RE = re.compile(r"\.([A-Za-z0-9]{2,5})$")
# A file name standing in a line of text: "Annex 1.pdf", "39357fa0b754.docx".
_FILE_TOKEN_RE = re.compile(
    r"(?:[^\s/\\:]+ ){0,2}[^\s/\\:]+\.(?:docx?|pdf|rtf|xlsx?|odt|zip)\b", re.I
)
# What may stand around back links on their line: separators, arrows, icons' text.
_DECORATION = " |/•·-–—←→«»<>‹›↩⟵⬅▸►◄▶◀\u00a0"
# libxml2's depth limit even with huge_tree: a page this deep lost its end while parsing.
PARSER_DEPTH_LIMIT = 2047


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


class _Layout:
    """A page's lines with the measures every layer asks about, each computed once."""

    def __init__(self, root: etree._Element, url: str, evidence: ListingEvidence) -> None:
        self.root = root
        self.url = url
        self.evidence = evidence
        self.lines = render_lines(root)
        self.chars, self.link_chars, self.links = _text_measures(root)
        body = root.find(".//body")
        top = body if body is not None else root
        self.page_prose = self.prose(top) or 1
        own = {normalise(text) for text in (evidence.teaser, evidence.link_text) if text}
        self.frame = evidence.frame - own
        self.section_paths = _ancestor_paths(url)
        self._free: dict[etree._Element, int] | None = None
        self._holders_of: dict[etree._Element, frozenset[etree._Element]] = {}

    def prose(self, element: etree._Element) -> int:
        """Visible characters outside links."""
        return self.chars.get(element, 0) - self.link_chars.get(element, 0)

    def free_prose(self, element: etree._Element) -> int:
        """Prose outside links and outside link lists (a related-news list's dates and heading)."""
        if self._free is None:
            self._free = {}
            for node in reversed(list(self.root.iter())):  # children before their parents
                tag = node.tag if isinstance(node.tag, str) else ""
                if not tag or tag in _UNSEEN_TAGS or tag == "a" or self.is_link_list(node):
                    self._free[node] = 0
                    continue
                own = _visible(node.text) + sum(_visible(child.tail) for child in node)
                self._free[node] = own + sum(self._free.get(child, 0) for child in node)
        return self._free.get(element, 0)

    def is_link_list(self, element: etree._Element) -> bool:
        """Mostly the text of two or more links: a menu, sidebar, breadcrumbs, related news."""
        chars = self.chars.get(element, 0)
        return (
            self.links.get(element, 0) >= 2 and chars > 0 and self.link_chars[element] * 2 >= chars
        )

    def in_link_list(self, element: etree._Element, anchor: etree._Element | None) -> bool:
        """Whether `element` sits in a link list that does not hold `anchor` (the title, or the
        article's prose); without an anchor, below the first block holding most of the prose."""
        exempt = self._holders(anchor)
        current: etree._Element | None = element
        while current is not None and current not in exempt:
            if anchor is None and self.prose(current) * 2 > self.page_prose:
                return False
            if self.is_link_list(current):
                return True
            current = current.getparent()
        return False

    def _holders(self, anchor: etree._Element | None) -> frozenset[etree._Element]:
        """`anchor` and its ancestors: blocks that hold the article are never its boilerplate."""
        if anchor is None:
            return frozenset()
        if anchor not in self._holders_of:
            self._holders_of[anchor] = frozenset((anchor, *anchor.iterancestors()))
        return self._holders_of[anchor]

    def in_frame(self, line: Line) -> bool:
        return normalise(line.text) in self.frame

    def links_elsewhere(self, line: Line) -> bool:
        """A line that links to another page (a sidebar teaser, a breadcrumb, the logo)."""
        own = urlsplit(self.url).path
        for link in line.links:
            href = link.href
            if is_javascript_back(href) or href.startswith("#"):
                continue
            if urlsplit(urljoin(self.url, href)).path != own and link.text:
                return True
        return False

    def is_nav_line(self, line: Line) -> bool:
        """A line made only of back links, known by their words or by where they point."""
        if is_back_link_text(line.text):
            return True
        if not line.links or not all(
            self._is_back_link(link.href, link.text) for link in line.links
        ):
            return False
        rest = normalise(line.text)
        for link in line.links:
            rest = rest.replace(normalise(link.text), " ", 1)
        return not rest.strip(_DECORATION)

    def _is_back_link(self, href: str, text: str) -> bool:
        if is_back_link_text(text) or is_javascript_back(href):
            return True
        target = urljoin(self.url, href)
        parts = urlsplit(target)
        return parts.netloc == urlsplit(self.url).netloc and parts.path in self.section_paths


def _ancestor_paths(url: str) -> frozenset[str]:
    """The listing paths above an article ("/news/news_odkb/", "/news/"): where back links go."""
    segments = [part for part in urlsplit(url).path.split("/") if part]
    return frozenset("/" + "/".join(segments[:n]) + "/" for n in range(1, len(segments)))


def _text_measures(
    root: etree._Element,
) -> tuple[dict[etree._Element, int], dict[etree._Element, int], dict[etree._Element, int]]:
    """Visible characters, characters inside links, and links, of every element (one pass)."""
    chars: dict[etree._Element, int] = {}
    link_chars: dict[etree._Element, int] = {}
    links: dict[etree._Element, int] = {}
    for element in reversed(list(root.iter())):  # children before their parents
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _UNSEEN_TAGS or not tag:
            chars[element] = link_chars[element] = links[element] = 0
            continue
        total = _visible(element.text)
        inside = count = 0
        for child in element:
            total += chars.get(child, 0) + _visible(child.tail)
            inside += link_chars.get(child, 0)
            count += links.get(child, 0)
        href = (element.get("href") or "").strip() if tag == "a" else ""
        if href and not href.startswith(("#", "javascript:")):
            inside, count = total, count + 1
        chars[element], link_chars[element], links[element] = total, inside, count
    return chars, link_chars, links


_UNSEEN_TAGS = frozenset({"script", "style", "head", "title", "noscript", "template"})


def _visible(text: str | None) -> int:
    """Characters a reader sees, near enough for proportions (the common spaces left out)."""
    if not text:
        return 0
    return len(text) - text.count(" ") - text.count("\n") - text.count("\t") - text.count("\r")


# --- the title --------------------------------------------------------------------------------


@dataclass
class _Title:
    index: int | None  # the title's line; None when the page never prints it
    text: str | None
    date_text: str | None = None  # a date printed on the title's own line


def _match_candidate(text: str, candidates: list[str]) -> tuple[str, str | None] | None:
    """(title, date on the line) when `text` is a candidate, alone or with a date beside it."""
    key = normalise(text)
    if not any(normalise(candidate).rstrip(".… ") in key for candidate in candidates):
        return None  # most lines: no candidate in them at all
    for title, date_text in _title_and_date(text):
        if any(titles_agree(title, candidate) for candidate in candidates):
            return title, date_text
    return None


def _title_and_date(text: str) -> Iterable[tuple[str, str | None]]:
    yield text, None
    if (trailing := trailing_date(text)) is not None and trailing[0]:
        yield trailing[0], trailing[1]
    if (leading := leading_date(text)) is not None and leading[1].strip():
        yield leading[1].strip(), leading[0]


def _find_title(layout: _Layout, candidates: list[str], opening: int | None) -> _Title:
    """The line the evidence names, best placed; else the evidence; else the likeliest heading.

    The listing's teaser marks where the body starts: a dated heading between the line the
    evidence names and the body is the title (the named line was a section heading).
    """
    best: tuple[tuple[int, ...], _Title] | None = None
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
            best = (score, _Title(index, *matched))
    if best is not None:
        named = best[1]
        assert named.index is not None
        if opening is not None and named.index < opening:
            dated = _dated_heading_before(layout, opening, named.index)
            if dated is not None:
                return _line_title(layout, dated)
        return named
    if candidates:
        return _Title(None, candidates[0])
    index = _likeliest_heading(layout, opening)
    return _line_title(layout, index) if index is not None else _Title(None, None)


def _line_title(layout: _Layout, index: int) -> _Title:
    text = layout.lines[index].text
    if (titled := trailing_date(text)) is not None and titled[0]:
        return _Title(index, titled[0], titled[1])
    return _Title(index, text)


def _teaser_line(layout: _Layout) -> int | None:
    """The line that opens with the listing's teaser: the body's first paragraph, where known.
    A sidebar repeating the teaser links it; a class-named block is passed over if need be."""
    teaser = normalise(layout.evidence.teaser or "").rstrip(".… ")
    if len(teaser) < 20:
        return None
    found = [
        index
        for index, line in enumerate(layout.lines)
        if normalise(_line_after_date(line.text)).startswith(teaser)
        and not layout.links_elsewhere(line)
    ]
    plain = [index for index in found if not layout.lines[index].boilerplate]
    return (plain or found or [None])[0]


def _is_titlelike(layout: _Layout, line: Line, opening: int) -> bool:
    """A heading-like line outside any link list that does not also hold the body's opening."""
    return (
        3 <= len(line.text) <= 500
        and _date_only(line.text) is None
        and (bool(line.heading) or line.emphasised or _title_hinted(line))
        and not layout.in_frame(line)
        and not layout.links_elsewhere(line)
        and not layout.in_link_list(line.element, layout.lines[opening].element)
    )


def _dated_heading_before(layout: _Layout, opening: int, after: int) -> int | None:
    """The last heading-like line before the body's first paragraph with a date beside it."""
    for index in range(opening - 1, after, -1):
        line = layout.lines[index]
        if _is_titlelike(layout, line, opening) and _date_near(layout.lines, index):
            return index
    return None


def _title_hinted(line: Line) -> bool:
    return any(
        TITLE_HINT.search(element_hint(element))
        for element in (line.element, *(link.element for link in line.links))
    )


def _likeliest_heading(layout: _Layout, opening: int | None) -> int | None:
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
            int(_date_near(layout.lines, index)),
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


def _date_near(lines: list[Line], index: int) -> bool:
    for line in lines[max(0, index - 1) : index + 4]:
        text = line.text
        if parse_date(text) or leading_date(text) or trailing_date(text):
            return True
    return False


def _prose_after(layout: _Layout, index: int, limit: int = 4000) -> int:
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


def _common_ancestor(first: etree._Element, second: etree._Element) -> etree._Element:
    ancestors = {first, *first.iterancestors()}
    for element in (second, *second.iterancestors()):
        if element in ancestors:
            return element
    return first.getroottree().getroot()


def _inside(element: etree._Element, container: etree._Element) -> bool:
    return element is container or any(a is container for a in element.iterancestors())


def _boilerplate_below(element: etree._Element, container: etree._Element) -> bool:
    """A class-named or semantic boilerplate container between `element` and the article."""
    current: etree._Element | None = element
    while current is not None and current is not container:
        if is_boilerplate_container(current):
            return True
        current = current.getparent()
    return False


def _densest_block(
    layout: _Layout,
) -> tuple[int, etree._Element, etree._Element] | None:
    """For pages that never print the title: the index of the article's first line, the article,
    and its core, the block holding the most prose (the article widens it while that adds
    little prose: the picture and date above it)."""
    scores: dict[etree._Element, float] = {}
    for line in layout.lines:
        prose = len(line.text) - sum(len(link.text) for link in line.links)
        # Link text is not prose, so a sidebar of teaser links scores nothing.
        if prose < 25 or line.boilerplate or layout.in_frame(line):
            continue
        scores[line.element] = scores.get(line.element, 0) + prose
        if (parent := line.element.getparent()) is not None:
            scores[parent] = scores.get(parent, 0) + prose
    if not scores:
        return None
    core = container = max(scores, key=lambda element: scores[element])
    prose = layout.free_prose(container)
    most = prose + max(0.1 * prose, WIDEN_SLACK)
    while (parent := container.getparent()) is not None and parent.tag not in ("body", "html"):
        if layout.free_prose(parent) > most:
            break
        container = parent
    for index, line in enumerate(layout.lines):
        if _inside(line.element, container):
            return index, container, core
    return None


def _is_header_noise(layout: _Layout, line: Line, anchor: etree._Element | None) -> bool:
    """Lines around the title that are neither it nor the body: share buttons, breadcrumbs."""
    if not line.text:
        return True
    if anchor is None:
        return line.boilerplate or layout.in_frame(line) or layout.in_link_list(line.element, None)
    return _not_the_article(layout, line, anchor)


def _not_the_article(layout: _Layout, line: Line, anchor: etree._Element) -> bool:
    """Frame text, a link list or a class-named boilerplate block that does not hold `anchor`
    (the title, or the article's prose): a class name around the whole article never counts."""
    if layout.in_frame(line) or layout.in_link_list(line.element, anchor):
        return True
    return _boilerplate_below(line.element, _common_ancestor(line.element, anchor))


@dataclass
class _Header:
    end: int  # index of the first line after the header
    date_text: str | None
    glued: str | None  # body words glued to the date ("09.06.2018On June 9")
    lines: list[Line]


def _read_header(
    layout: _Layout,
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
    while position < len(lines) and examined < HEADER_ZONE:
        line = lines[position]
        if _is_header_noise(layout, line, anchor):
            header.append(line)
            position += 1
            continue
        examined += 1
        rest = _strip_title(line.text, title) if title else line.text
        if not rest:
            header.append(line)
            position += 1
            continue
        if (found := _date_only(rest)) is not None:
            date_text = date_text or found
        elif (labelled := _labelled_date(layout, rest)) is not None:
            date_text = date_text or labelled  # "CSTO News 24.11.2025": the section and the date
        elif (dated := leading_date(rest)) is not None:
            date_text = date_text or dated[0]
            if _download_rest(dated[1]) is None and not _is_file_line(line):
                header.append(line)
                return _Header(position + 1, date_text, dated[1], header)
        elif title and (titled := trailing_date(rest)) and normalise(titled[0]) == normalise(title):
            date_text = date_text or titled[1]
        elif (download_date := _download_date(rest)) is not None:
            date_text = date_text or download_date
        elif opening is not None and position < opening and len(rest) <= HEADER_LINE:
            date_text = date_text or _date_beside(rest)  # "Speeches 03.06.2025", "Views: 12"
        elif _download_rest(rest) is None and not _is_file_line(line):
            break
        header.append(line)
        position += 1
    return _Header(position, date_text, None, header)


def _date_beside(text: str) -> str | None:
    dated = trailing_date(text) or _swap(leading_date(text))
    return dated[1] if dated else None


def _labelled_date(layout: _Layout, text: str) -> str | None:
    """The date of a byline: a date beside a short label ("CSTO News 24.11.2025", "03.06.2025 |
    Speeches"), the label printed by the listing page too or too short to be prose."""
    leading = leading_date(text)
    if leading is not None and not leading[1][:1].isspace():
        leading = None  # "09.06.2018On June 9": a date glued to the body, not a byline
    for dated in (trailing_date(text), _swap(leading)):
        if dated is None:
            continue
        label = dated[0].strip(_DECORATION + ":")
        if normalise(label) in layout.frame or _is_label(label):
            return dated[1]
    return None


def _is_label(text: str) -> bool:
    """Words too few to be prose: no sentence ends in them."""
    return len(text) <= BYLINE_LABEL and not text.rstrip().endswith((".", "!", "?", ";"))


def _swap(pair: tuple[str, str] | None) -> tuple[str, str] | None:
    return (pair[1], pair[0]) if pair else None


def _strip_title(text: str, title: str) -> str:
    """What is left of a line that repeats the title ("Title 23.11.2023" gives "23.11.2023")."""
    target = normalise(title)
    if not normalise(text).startswith(target):
        if (dated := leading_date(text)) and normalise(dated[1]) == target:
            return dated[0]
        return text
    # Walk the raw text until the normalised title is consumed, to keep the raw remainder.
    for cut in range(len(title) // 2, len(text) + 1):
        if normalise(text[:cut]) == target:
            return text[cut:].strip()
    return text


def _date_only(text: str) -> str | None:
    return text.strip() if parse_date(text) is not None else None


def _date_above(layout: _Layout, index: int, title: etree._Element) -> str | None:
    """A date printed just above the title, outside any dated link list (a sidebar's)."""
    for line in reversed(layout.lines[max(0, index - DATE_ABOVE) : index]):
        if layout.in_link_list(line.element, title) or layout.links_elsewhere(line):
            continue
        if (found := _date_only(line.text)) is not None:
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
    return len(rest.strip(_DECORATION + "(),.:;")) <= 20


def _download_rest(text: str) -> str | None:
    """The file name part of a "Download document <name>" line, or None for other lines."""
    match = DOWNLOAD_RE.match(text.strip())
    if match is None:
        return None
    return text.strip()[match.end() :].strip()


def _download_date(text: str) -> str | None:
    """The date of a "<date> Download document <file>" line, in any format ("11/28/2019 14:56")."""
    match = DOWNLOAD_RE.search(text)
    if match is None or match.start() == 0:
        return None
    return _date_only(text[: match.start()])


def _is_file_href(href: str) -> bool:
    path = urlsplit(href).path.lower()
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
    after_label = _download_rest(_line_after_date(line_text))
    if after_label and _FILE_NAME_RE.search(normalise(after_label)):
        return after_label
    for source in (title_attr, line_text):
        if match := _FILE_TOKEN_RE.search(source):
            return match.group(0)
    return unquote(basename(urlsplit(href).path)) or text


def _line_after_date(text: str) -> str:
    dated = leading_date(text)
    return dated[1] if dated else text


# --- the page ---------------------------------------------------------------------------------


def parse_detail(
    html: str | bytes, url: str, evidence: ListingEvidence | None = None
) -> DetailPage:
    """The article on `html`; `evidence` is what the listing that linked it showed."""
    evidence = evidence or ListingEvidence()
    root = parse_html(html)
    layout = _Layout(root, url, evidence)
    lines = layout.lines
    problems = ["markup_too_deep"] if max_depth(root) >= PARSER_DEPTH_LIMIT else []

    opening = _teaser_line(layout)
    found = _find_title(layout, title_candidates(root, evidence), opening)
    title = found.text
    if found.index is not None:
        start, core = found.index + 1, lines[found.index].element
        header = _read_header(layout, start, title, core, opening)
        article = _article_block(layout, found.index, header)
    elif located := _densest_block(layout):
        start, article, core = located
        header = _read_header(layout, start, title, core, opening)
    else:
        return DetailPage(title, evidence.date_text, paragraphs=[], problems=problems)

    page_dates = [found.date_text, header.date_text]
    if found.index is not None:
        page_dates.append(_date_above(layout, found.index, core))
    date_text, date_problem = _agree_on_date([d for d in page_dates if d], evidence.date_text)
    problems += date_problem

    body, back_links = _body(layout, header, article, core, title)
    paragraphs = ([header.glued] if header.glued else []) + [line.text for line in body]
    region = [line for line in lines if _inside(line.element, article)] + header.lines
    return DetailPage(
        title=title,
        date_text=date_text,
        paragraphs=paragraphs,
        attachments=_attachments(region, url),
        images=_images(layout, article, core, url),
        back_links=list(dict.fromkeys(back_links)),
        problems=problems,
    )


def _article_block(layout: _Layout, title_index: int, header: _Header) -> etree._Element:
    """The smallest block holding the title and the first body line."""
    lines = layout.lines
    anchor = lines[title_index].element
    for line in lines[header.end :]:
        if layout.is_nav_line(line) or _is_header_noise(layout, line, anchor):
            continue
        if _date_only(line.text) is not None or not line.text:
            continue
        return _common_ancestor(anchor, line.element)
    parent = anchor.getparent()
    return parent if parent is not None else anchor


def _agree_on_date(page_dates: list[str], listed: str | None) -> tuple[str | None, list[str]]:
    """The page's date, checked against the listing's; the listing's when the page shows none."""
    listed_day = parse_date(listed) if listed else None
    if listed_day is None:
        return (page_dates[0] if page_dates else None), []
    for printed in page_dates:
        if parse_date(printed) == listed_day:
            return printed, []
    if page_dates:
        return listed, [f"date_disagrees_with_listing: page {page_dates[0]}, listing {listed}"]
    return listed, []


def _body(
    layout: _Layout,
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
            back_links += _hrefs(line, layout.url)
            if started:
                end = index + 1
                break
            continue
        if not _inside(line.element, article):
            if started:
                end = index
                break
            continue
        if started and FOOTER_RE.search(line.text):
            end = index
            break
        if _is_header_noise(layout, line, core) or _date_only(line.text) is not None:
            continue
        if _download_rest(_line_after_date(line.text)) is not None or _is_file_line(line):
            continue
        if title and normalise(line.text) == normalise(title):
            continue
        body.append(line)
        started = True
    # The rest of the navigation block, when the body ended on its first line.
    for line in lines[end : end + 4]:
        if layout.is_nav_line(line):
            back_links += _hrefs(line, layout.url)
    return body, back_links


def _hrefs(line: Line, url: str) -> list[str]:
    return [urljoin(url, link.href) for link in line.links if not is_javascript_back(link.href)]


def _attachments(region: list[Line], url: str) -> list[LinkedFile]:
    files: dict[str, LinkedFile] = {}
    for line in region:
        for link in line.links:
            if _is_file_href(link.href):
                absolute = urljoin(url, link.href)
                name = _attachment_name(
                    link.text, line.text, link.href, link.element.get("title") or ""
                )
                files.setdefault(absolute, LinkedFile(absolute, name))
    return list(files.values())


def _images(layout: _Layout, article: etree._Element, core: etree._Element, url: str) -> list[str]:
    """Pictures in the article, not in its link lists (thumbnails of other articles)."""
    images: list[str] = []
    for line in layout.lines:
        if not line.images or not _inside(line.element, article):
            continue
        if _not_the_article(layout, line, core):
            continue
        images.extend(urljoin(url, src) for src in line.images)
    return list(dict.fromkeys(images))
