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
    emphasised: bool = (
        False  # all of its text is inside <b>, <strong> or <font> (a title without tags)
    )


# libxml2 stops building the tree at depth 256 unless told otherwise, silently dropping the rest.
_PARSER = lxml.html.HTMLParser(huge_tree=True)
_EMPTY_HTML = "<html><body></body></html>"
EMPHASIS_TAGS = frozenset({"b", "strong", "font", "big"})
# An <img> declared no larger than this (width and height, pixels) is an icon, never a picture.
ICON_SIZE = 32
# Lazy-loading templates keep the real image in one of these, and a placeholder in src.
LAZY_IMAGE_ATTRIBUTES = ("data-src", "data-original", "data-lazy-src", "data-lazy", "data-srcset")
_PLACEHOLDER_RE = re.compile(
    r"(?:^data:)|(?:(?:^|/)[^/]*(?:placeholder|blank|spacer|lazy|loader|loading|pixel|transparent"
    r"|empty|1x1)[^/]*\.(?:gif|png|svg|jpe?g|webp)$)",
    re.IGNORECASE,
)


def parse_html(html: str | bytes) -> etree._Element:
    """Parse a page leniently; an empty or unparsable body gives an empty document."""
    try:
        root = lxml.html.document_fromstring(html, parser=_PARSER)
    except (etree.ParserError, ValueError):
        root = lxml.html.document_fromstring(_EMPTY_HTML, parser=_PARSER)
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


def image_source(element: etree._Element) -> str | None:
    """The real picture of an <img>: a lazy-loading attribute first, never a placeholder."""
    for name in (*LAZY_IMAGE_ATTRIBUTES, "src", "srcset"):
        value = (element.get(name) or "").strip()
        if name.endswith("srcset"):
            value = value.split(",")[0].strip().split(" ")[0] if value else ""
        if value and not _PLACEHOLDER_RE.search(value):
            return value
    return None


def is_icon(element: etree._Element) -> bool:
    """A picture that only decorates: declared no larger than an icon (a file type's, a bullet),
    or inside a link that runs a script (a print button's printer)."""
    sizes = [(element.get(name) or "").strip() for name in ("width", "height")]
    if all(size.isdigit() and int(size) <= ICON_SIZE for size in sizes):
        return True
    return any(
        ancestor.tag == "a"
        and (ancestor.get("href") or "").strip().lower().startswith("javascript:")
        for ancestor in element.iterancestors()
    )


class _LineBuilder:
    def __init__(self) -> None:
        self.lines: list[Line] = []
        self._parts: list[str] = []
        self._emphasis: list[bool] = []  # per part: inside <b>/<strong>/<font>
        self._links: list[Link] = []
        self._images: list[str] = []
        self._element: etree._Element | None = None
        self._boilerplate = False
        self._heading = 0

    def start(self, element: etree._Element, boilerplate: bool, heading: int) -> None:
        self.flush()
        self._element, self._boilerplate, self._heading = element, boilerplate, heading

    def enter(self, element: etree._Element, tag: str, boilerplate: bool, heading: int) -> None:
        """What an element adds before its text: a block starts a line, <br> breaks one (but
        in a heading), a picture or a link joins it."""
        if tag in BLOCK_TAGS:
            self.start(element, boilerplate, heading)
        if tag == "br" and heading:
            self.text(" ")  # a heading is one line, however it is broken for the eye
        elif tag == "br":
            parent = element.getparent()
            self.start(parent if parent is not None else element, boilerplate, heading)
        elif tag == "img":
            if (src := image_source(element)) and not is_icon(element):
                self.image(src)
        elif tag == "a" and element.get("href"):
            self.link(Link(element.get("href", "").strip(), _text_of(element), element))

    def leave(self, element: etree._Element, tag: str, boilerplate: bool) -> None:
        """Leaving a block restarts the line in its parent; the text after an element joins the
        line it is in."""
        if tag in BLOCK_TAGS:
            parent = element.getparent()
            self.start(parent if parent is not None else element, boilerplate, 0)
        self.text(element.tail, _parent_emphasised(element))

    def text(self, value: str | None, emphasised: bool = False) -> None:
        if value:
            self._parts.append(value)
            self._emphasis.append(emphasised or value.isspace())

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
                    text,
                    self._element,
                    self._boilerplate,
                    self._heading,
                    self._links,
                    self._images,
                    bool(text) and all(self._emphasis),
                )
            )
        self._parts, self._emphasis, self._links, self._images = [], [], [], []


def render_lines(root: etree._Element) -> list[Line]:
    """Lines of the page's body (or of any element).

    The walk is iterative: a page nested thousands of elements deep must not hit a recursion limit.
    """
    body = root.find(".//body")
    start = body if body is not None else root
    builder = _LineBuilder()
    builder.start(start, False, 0)  # an inline start (a listing entry cut to its <a>) has lines too
    # Entries: (element, boilerplate, heading, emphasised, entering). Leaving a block, the line
    # restarts in its parent, whose boilerplate flag the exit entry carries.
    stack: list[tuple[etree._Element, bool, int, bool, bool]] = [(start, False, 0, False, True)]
    while stack:
        element, boilerplate, heading, emphasised, entering = stack.pop()
        tag = element.tag if isinstance(element.tag, str) else ""
        if not entering:
            builder.leave(element, tag, boilerplate)
            continue
        if tag in SKIPPED_TAGS or not tag:
            builder.text(element.tail, _parent_emphasised(element))
            continue
        inherited = boilerplate
        boilerplate = boilerplate or is_boilerplate_container(element)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            heading = int(tag[1])
        emphasised = emphasised or tag in EMPHASIS_TAGS
        builder.enter(element, tag, boilerplate, heading)
        builder.text(element.text, emphasised)
        stack.append((element, inherited, heading, emphasised, False))
        for child in reversed(element):
            stack.append((child, boilerplate, heading, emphasised, True))
    builder.flush()
    return builder.lines


def _parent_emphasised(element: etree._Element) -> bool:
    """Whether a tail (text after `element`) is still inside emphasis: <b>x<br>tail</b>."""
    return any(ancestor.tag in EMPHASIS_TAGS for ancestor in element.iterancestors())


def text_content(element: etree._Element) -> str:
    """All the text under `element` (lxml.html's text_content, which its stubs do not declare)."""
    return str(element.text_content())  # type: ignore[attr-defined]


def _text_of(element: etree._Element) -> str:
    return " ".join(text_content(element).split())


def max_depth(root: etree._Element) -> int:
    """How deep the tree goes; past the parser's limit a page would lose its end."""
    depth, stack = 0, [(root, 1)]
    while stack:
        element, level = stack.pop()
        depth = max(depth, level)
        stack.extend((child, level + 1) for child in element)
    return depth
