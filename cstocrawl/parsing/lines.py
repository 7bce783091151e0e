"""Turn an HTML page into the lines a reader sees, in document order.

The site's markup is unknown and varies, but its reading order is stable (sidebar, H1, date, body,
back links, footer). Parsers work on these lines, so they depend on structure and text first and on
class names only as one hint among several.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import lxml.html
from lxml import etree

BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
SKIPPED_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "title",
        "iframe",
        "object",
        "svg",
        "select",
        "option",
        "button",
        "input",
    ]
)
# Containers that never hold the article: by tag, or by a class/id that says what they are.
BOILERPLATE_TAGS = frozenset({"nav", "aside", "footer", "header", "form"})
BOILERPLATE_HINT = re.compile(
    r"side-?bar|aside|menu|breadcrumb|pager|pagination|footer|share|social|banner|widget"
    r"|last-?news|latest|copyright|header|masthead|logo|navbar|navigation|(?:^|[\s_-])nav(?:$|[\s_-])",
    re.IGNORECASE,
)


@dataclass
class Link:
    href: str
    text: str
    element: etree._Element


@dataclass
class Line:
    """One line of rendered text with the links and images it holds."""

    text: str
    element: etree._Element  # the block element the line belongs to
    boilerplate: bool = False
    heading: int = 0  # 1..6 when the line is a heading
    links: list[Link] = field(default_factory=list)
    images: list[str] = field(default_factory=list)


def parse_html(html: str | bytes) -> etree._Element:
    """Parse a page leniently; an empty or unparsable body gives an empty document."""
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        root = lxml.html.document_fromstring("<html><body></body></html>")
    return root


def element_hint(element: etree._Element) -> str:
    return f"{element.get('class', '')} {element.get('id', '')}".strip()


def is_boilerplate_container(element: etree._Element) -> bool:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in BOILERPLATE_TAGS:
        return True
    hint = element_hint(element)
    return bool(hint) and _is_boilerplate_hint(hint)


@lru_cache(maxsize=4096)
def _is_boilerplate_hint(hint: str) -> bool:
    """Cached: every page repeats the same few class names, and this runs for every element."""
    return bool(BOILERPLATE_HINT.search(hint))


class _LineBuilder:
    def __init__(self) -> None:
        self.lines: list[Line] = []
        self._parts: list[str] = []
        self._links: list[Link] = []
        self._images: list[str] = []
        self._element: etree._Element | None = None
        self._boilerplate = False
        self._heading = 0

    def start(self, element: etree._Element, boilerplate: bool, heading: int) -> None:
        self.flush()
        self._element, self._boilerplate, self._heading = element, boilerplate, heading

    def text(self, value: str | None) -> None:
        if value:
            self._parts.append(value)

    def link(self, link: Link) -> None:
        self._links.append(link)

    def image(self, src: str) -> None:
        self._images.append(src)

    def flush(self) -> None:
        if not self._parts and not self._images:  # most blocks: no line, so nothing to build
            self._links.clear()
            return
        text = " ".join("".join(self._parts).split())  # str.split() splits where \s+ does
        if (text or self._images) and self._element is not None:
            self.lines.append(
                Line(
                    text, self._element, self._boilerplate, self._heading, self._links, self._images
                )
            )
        self._parts, self._links, self._images = [], [], []


def render_lines(root: etree._Element, keep: etree._Element | None = None) -> list[Line]:
    """Lines of the page's body; `keep` is an element whose ancestors are never boilerplate."""
    body = root.find(".//body")
    start = body if body is not None else root
    protected = set(keep.iterancestors()) | {keep} if keep is not None else set()
    builder = _LineBuilder()

    def walk(element: etree._Element, boilerplate: bool, heading: int) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in SKIPPED_TAGS or not tag:
            builder.text(element.tail)
            return
        boilerplate = boilerplate or (
            element not in protected and is_boilerplate_container(element)
        )
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            heading = int(tag[1])
        is_block = tag in BLOCK_TAGS
        if is_block:
            builder.start(element, boilerplate, heading)
        if tag == "br":
            builder.start(element.getparent(), boilerplate, heading)
        elif tag == "img":
            src = (element.get("src") or element.get("data-src") or "").strip()
            if src:
                builder.image(src)
        elif tag == "a" and element.get("href"):
            builder.link(Link(element.get("href", "").strip(), _text_of(element), element))
        builder.text(element.text)
        for child in element:
            walk(child, boilerplate, heading)
        if is_block:
            parent = element.getparent()
            builder.start(parent if parent is not None else element, boilerplate_of(parent), 0)
        builder.text(element.tail)

    def boilerplate_of(element: etree._Element | None) -> bool:
        while element is not None:
            if element not in protected and is_boilerplate_container(element):
                return True
            element = element.getparent()
        return False

    walk(start, False, 0)
    builder.flush()
    return builder.lines


def _text_of(element: etree._Element) -> str:
    return " ".join(element.text_content().split())
