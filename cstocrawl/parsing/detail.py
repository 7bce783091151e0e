"""Extract an article from a detail page: title, its own date, body, attachments, images.

Layers, strongest first: the H1 (or the heading with a date beside it), the line that repeats the
title with the date, the "Download document" line, the back links that close the article; class
names only help to recognise boilerplate containers. The sidebar's dated teasers come before the
title in reading order, so no date before the title is ever taken unless it sits right beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from posixpath import basename
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree

from cstocrawl.parsing.dates import leading_date, parse_date, trailing_date
from cstocrawl.parsing.labels import (
    DOWNLOAD_RE,
    is_back_link_text,
    is_javascript_back,
)
from cstocrawl.parsing.lines import (
    Line,
    element_hint,
    is_boilerplate_container,
    parse_html,
    render_lines,
)
from cstocrawl.site import ATTACHMENT_EXTENSIONS, IMAGE_EXTENSIONS

TITLE_HINT = re.compile(r"title|heading|caption|zagolovok|name", re.IGNORECASE)
# How many lines after the title may still hold its date or the download line.
HEADER_ZONE = 6
_INVISIBLE_RE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
# A copyright or rights line: the page footer has begun, whatever its markup.
FOOTER_RE = re.compile(r"^(?:©|\(c\)|copyright\b)|all rights reserved|все права защищены", re.I)
_FILE_NAME_RE = re.compile(r"\.([A-Za-z0-9]{2,5})$")


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


def _norm(text: str) -> str:
    return " ".join(_INVISIBLE_RE.sub("", text.replace("\xa0", " ")).split()).casefold()


def is_nav_line(line: Line) -> bool:
    """A line made only of back links ("Go back", "Back to the section", ...)."""
    if is_back_link_text(line.text):
        return True
    if not line.links or not all(
        is_back_link_text(link.text) or is_javascript_back(link.href) for link in line.links
    ):
        return False
    rest = _norm(line.text)
    for link in line.links:
        rest = rest.replace(_norm(link.text), " ", 1)
    return not rest.strip(" |/•·-–")


def _date_only(text: str) -> str | None:
    return text.strip() if parse_date(text) is not None else None


def _find_title(lines: list[Line]) -> int | None:
    """Index of the title line: an H1, else the heading or title-like line with a date beside it."""
    best: tuple[tuple[int, ...], int] | None = None
    for index, line in enumerate(lines):
        if not (3 <= len(line.text) <= 500):
            continue
        # Only an H1 may sit in boilerplate (<header><h1>); a sidebar's heading never is the title.
        if line.boilerplate and line.heading != 1:
            continue
        hinted = bool(TITLE_HINT.search(element_hint(line.element)))
        if not line.heading and not hinted and not _repeated_with_date(lines, index):
            continue
        score = (
            int(not line.boilerplate),
            # A site logo is often an H1 too: a link home, with no date beside it.
            int(not any(_norm(link.text) == _norm(line.text) for link in line.links)),
            int(_date_follows(lines, index)),
            int(line.heading == 1),
            int(len(line.text.split()) >= 3),
            -(line.heading or 7),
            _text_after(lines, index),
        )
        if best is None or score > best[0]:
            best = (score, index)
    return best[1] if best else None


def _repeated_with_date(lines: list[Line], index: int) -> bool:
    if index + 1 >= len(lines):
        return False
    following = trailing_date(lines[index + 1].text)
    return following is not None and _norm(following[0]) == _norm(lines[index].text)


def _date_follows(lines: list[Line], index: int) -> bool:
    for line in lines[index + 1 : index + 1 + 3]:
        text = line.text
        if parse_date(text) or leading_date(text) or trailing_date(text):
            return True
    return False


def _text_after(lines: list[Line], index: int, limit: int = 4000) -> int:
    """Text under a heading until the next one: articles have much, sidebar teasers little."""
    total = 0
    for line in lines[index + 1 :]:
        if line.heading:
            break
        if not line.boilerplate:
            total += len(line.text)
            if total >= limit:
                break
    return total


def _strip_title(text: str, title: str) -> str:
    """What is left of a line that repeats the title ("Title 23.11.2023" gives "23.11.2023")."""
    if _norm(text).startswith(_norm(title)):
        # Walk the raw text until the normalised title is consumed, to keep the raw remainder.
        target = _norm(title)
        for cut in range(len(title) // 2, len(text) + 1):
            if _norm(text[:cut]) == target:
                return text[cut:].strip()
    return text


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


def _attachment_name(link_text: str, line_text: str, href: str) -> str:
    text = link_text.strip()
    named = _download_rest(text)
    if named is not None:
        text = named
    if _FILE_NAME_RE.search(text):
        return text
    after_label = _download_rest(_line_after_date(line_text))
    if after_label:
        return after_label
    if text:
        return text
    return unquote(basename(urlsplit(href).path))


def _line_after_date(text: str) -> str:
    dated = leading_date(text)
    return dated[1] if dated else text


def parse_detail(html: str | bytes, url: str) -> DetailPage:
    root = parse_html(html)
    lines = render_lines(root)
    title_index = _find_title(lines)
    if title_index is None:
        return DetailPage(title=None, date_text=None, paragraphs=[])
    title_line = lines[title_index]
    # Render again so that no ancestor of the title counts as boilerplate ("header" around the H1);
    # when none of them is boilerplate, the lines would come out the same.
    title_chain = (title_line.element, *title_line.element.iterancestors())
    if any(is_boilerplate_container(element) for element in title_chain):
        lines = render_lines(root, keep=title_line.element)
    title_index = next(i for i, line in enumerate(lines) if line.element is title_line.element)
    title = lines[title_index].text

    date_text: str | None = None
    # Without an H1, the title may be the line that repeats it with the date ("Title 23.11.2023").
    if lines[title_index].heading != 1 and (titled := trailing_date(title)) and titled[0]:
        title, date_text = titled
    paragraphs: list[str] = []
    header_lines: list[Line] = []
    position = title_index + 1
    while position < len(lines) and position <= title_index + HEADER_ZONE:
        line = lines[position]
        if line.boilerplate or not line.text:
            header_lines.append(line)
            position += 1
            continue
        rest = _strip_title(line.text, title)
        if not rest:
            position += 1
            continue
        if date_text is None and (found := _date_only(rest)):
            date_text = found
        elif (dated := leading_date(rest)) is not None:
            date_text = date_text or dated[0]
            if _download_rest(dated[1]) is None:
                paragraphs.append(dated[1])  # a date glued to the first body words
                header_lines.append(line)
                position += 1
                break
        elif (titled := trailing_date(rest)) is not None and _norm(titled[0]) == _norm(title):
            date_text = date_text or titled[1]
        elif (download_date := _download_date(rest)) is not None:
            date_text = date_text or download_date
        elif _download_rest(rest) is None:
            break
        header_lines.append(line)
        position += 1

    if date_text is None:
        date_text = _date_before_title(lines, title_index)

    body_lines, back_links = _body(lines[position:], url, has_body=bool(paragraphs))

    attachments: list[LinkedFile] = []
    images: list[str] = []
    for line in [*header_lines, *body_lines]:
        for link in line.links:
            if _is_file_href(link.href):
                attachments.append(
                    LinkedFile(
                        urljoin(url, link.href), _attachment_name(link.text, line.text, link.href)
                    )
                )
        images.extend(urljoin(url, src) for src in line.images)
    for line in body_lines:
        if not line.text or _download_rest(_line_after_date(line.text)) is not None:
            continue
        if _norm(line.text) == _norm(title):
            continue
        paragraphs.append(line.text)
    return DetailPage(
        title=title,
        date_text=date_text,
        paragraphs=paragraphs,
        attachments=_unique_by_url(attachments),
        images=list(dict.fromkeys(images)),
        back_links=list(dict.fromkeys(back_links)),
    )


def _body(lines: list[Line], url: str, *, has_body: bool) -> tuple[list[Line], list[str]]:
    """The article's lines up to the back links (or a copyright line), and the back links' hrefs.

    Back links printed before any body text (a "Back" link under the title) do not end the body.
    """
    body: list[Line] = []
    back_links: list[str] = []
    end = len(lines)
    for index, line in enumerate(lines):
        started = bool(body) or has_body
        if is_nav_line(line):
            back_links += _hrefs(line, url)
            if started:
                end = index + 1
                break
        elif started and FOOTER_RE.search(line.text):
            end = index
            break
        elif not line.boilerplate:
            body.append(line)
    # The rest of the navigation block, when the body ended on its first line.
    for line in lines[end : end + 3]:
        if is_nav_line(line):
            back_links += _hrefs(line, url)
    return body, back_links


def _hrefs(line: Line, url: str) -> list[str]:
    return [urljoin(url, link.href) for link in line.links if not is_javascript_back(link.href)]


def _date_before_title(lines: list[Line], title_index: int) -> str | None:
    """A date printed just above the title in the same block (stock Bitrix puts it there)."""
    title_line = lines[title_index]
    title_parent = title_line.element.getparent()
    for line in reversed(lines[max(0, title_index - 2) : title_index]):
        if line.boilerplate:
            continue
        if (found := _date_only(line.text)) and _shares_block(line.element, title_parent):
            return found
    return None


def _shares_block(element: etree._Element, parent: etree._Element | None) -> bool:
    return parent is not None and (element is parent or element.getparent() is parent)


def _unique_by_url(files: list[LinkedFile]) -> list[LinkedFile]:
    seen: dict[str, LinkedFile] = {}
    for linked in files:
        seen.setdefault(linked.url, linked)
    return list(seen.values())
