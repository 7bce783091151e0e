"""Turn an HTML page into the lines a reader sees, in document order.

The site's markup is unknown and varies, but its reading order is stable (sidebar, H1, date, body,
back links, footer). Parsers work on these lines, so they depend on structure and text first and on
class names only as one hint among several.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from lxml import etree

from cstocrawl.parsing.thresholds import ICON_SIZE

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


@dataclass(eq=False)
class Line:
    """One line of rendered text with the links and images it holds: a place on the page, so
    two lines are equal only when they are the same line (`lines.index(line)` finds it, not an
    earlier line of the same block and text, and compares no fields to do so)."""

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
# lxml.etree's parser, not lxml.html's: the same tree, without a Python class lookup for every
# element the walks touch (8% of parse_detail when measured on 2026-12-06).
_PARSER = etree.HTMLParser(huge_tree=True)
_EMPTY_HTML = "<html><body></body></html>"
_XML_DECLARATION_RE = re.compile(r"\A\s*<\?xml[^>]*\?>", re.IGNORECASE)
EMPHASIS_TAGS = frozenset({"b", "strong", "font", "big"})
# Lazy-loading templates keep the real image in one of these, and a placeholder in src.
LAZY_IMAGE_ATTRIBUTES = ("data-src", "data-original", "data-lazy-src", "data-lazy", "data-srcset")
_PLACEHOLDER_RE = re.compile(
    r"(?:^data:)|(?:(?:^|/)[^/]*(?:placeholder|blank|spacer|lazy|loader|loading|pixel|transparent"
    r"|empty|1x1)[^/]*\.(?:gif|png|svg|jpe?g|webp)$)",
    re.IGNORECASE,
)


def parse_html(html: str | bytes) -> etree._Element:
    """Parse a page leniently; an empty or unparsable body gives an empty document."""
    if isinstance(html, str) and _XML_DECLARATION_RE.match(html):
        # lxml refuses a decoded string that declares its encoding (XHTML pages): the text is
        # already decoded, so the declaration says nothing any more.
        html = _XML_DECLARATION_RE.sub("", html, count=1)
    try:
        root = etree.fromstring(html, parser=_PARSER)
    except (etree.ParserError, ValueError):
        root = None
    return root if root is not None else etree.fromstring(_EMPTY_HTML, parser=_PARSER)


def element_hint(element: etree._Element) -> str:
    return f"{element.get('class', '')} {element.get('id', '')}".strip()


def is_boilerplate_container(element: etree._Element) -> bool:
    if element.tag in BOILERPLATE_TAGS:
        return True
    get = element.get
    if not get("class") and not get("id"):  # most elements: no hint, nothing to format
        return False
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
    """Lines as the walk meets text: a block (or a <br>) flushes the line so far and starts one."""

    __slots__ = ("_element", "_emphasised", "_flags", "_parts", "images", "lines", "links")

    def __init__(self, element: etree._Element) -> None:
        self.lines: list[Line] = []
        self._parts: list[str] = []
        self._emphasised = True  # all of the line's text is inside <b>/<strong>/<font> so far
        self.links: list[Link] = []
        self.images: list[str] = []
        self._element = element
        self._flags: tuple[bool, int] = (False, 0)  # boilerplate, heading

    def start(self, element: etree._Element, boilerplate: bool, heading: int) -> None:
        parts = self._parts
        if self.images or (parts and not "".join(parts).isspace()):
            self._flush()
        else:  # most blocks: no line (only the markup's indentation), so nothing to build
            if parts:
                self._parts, self._emphasised = [], True
            if self.links:
                self.links = []
        self._element, self._flags = element, (boilerplate, heading)

    def text(self, value: str | None, emphasised: bool) -> None:
        if value:
            self._parts.append(value)
            if not emphasised and self._emphasised and not value.isspace():
                self._emphasised = False

    def finish(self) -> list[Line]:
        self.start(self._element, *self._flags)
        return self.lines

    def _flush(self) -> None:
        text = " ".join("".join(self._parts).split())  # str.split() splits where \s+ does
        if text or self.images:
            boilerplate, heading = self._flags
            emphasised = bool(text) and self._emphasised
            self.lines.append(
                Line(text, self._element, boilerplate, heading, self.links, self.images, emphasised)
            )
            self.links, self.images = [], []
        else:
            self.links = []
        self._parts, self._emphasised = [], True


_HEADINGS = {f"h{level}": level for level in range(1, 7)}


def render_lines(root: etree._Element) -> list[Line]:
    """Lines of the page's body (or of any element).

    One iterative walk, each element met once on the way in and once on the way out: a page nested
    thousands of elements deep must not hit a recursion limit.
    """
    body = root.find(".//body")
    start = body if body is not None else root
    # Text after an element is emphasised when an ancestor is <b>/<strong>/...: above the start too.
    above = any(ancestor.tag in EMPHASIS_TAGS for ancestor in start.iterancestors())
    builder = _LineBuilder(start)  # an inline start (an entry cut to its <a>) has lines too
    # (element, boilerplate, heading, emphasised, entering): the flags the element's parent passes
    # down (emphasis from the start down); leaving a block, the line restarts in its parent.
    stack: list[tuple[etree._Element, bool, int, bool, bool]] = [(start, False, 0, False, True)]
    pop, push = stack.pop, stack.append
    start_line, text = builder.start, builder.text
    while stack:
        element, boilerplate, heading, emphasised, entering = pop()
        tag = element.tag
        if not entering or tag in SKIPPED_TAGS or not isinstance(tag, str):
            if not entering and tag in BLOCK_TAGS:  # leaving a block: its parent's line restarts
                parent = element.getparent()
                start_line(parent if parent is not None else element, boilerplate, 0)
            if tail := element.tail:
                text(tail, emphasised or above)
            continue
        push((element, boilerplate, heading, emphasised, False))
        boilerplate = boilerplate or is_boilerplate_container(element)
        heading = _HEADINGS.get(tag, heading)
        inner = emphasised or tag in EMPHASIS_TAGS
        if tag in BLOCK_TAGS:
            start_line(element, boilerplate, heading)
        elif tag in _INLINE_EVENTS:
            _inline(builder, element, tag, boilerplate, heading)
        if value := element.text:
            text(value, inner)
        for child in reversed(element):
            push((child, boilerplate, heading, inner, True))
    return builder.finish()


_INLINE_EVENTS = frozenset({"br", "img", "a"})


def _inline(
    builder: _LineBuilder, element: etree._Element, tag: str, boilerplate: bool, heading: int
) -> None:
    """What an inline element adds before its text: <br> breaks the line (but in a heading), a
    picture or a link joins it."""
    if tag == "br" and heading:
        builder.text(" ", True)  # a heading is one line, however it is broken for the eye
    elif tag == "br":
        parent = element.getparent()
        builder.start(parent if parent is not None else element, boilerplate, heading)
    elif tag == "img":
        if (src := image_source(element)) and not is_icon(element):
            builder.images.append(src)
    elif href := element.get("href"):
        builder.links.append(Link(href.strip(), _text_of(element), element))


_STRING = etree.XPath("string()", smart_strings=False)


def text_content(element: etree._Element) -> str:
    """All the text under `element`, comments left out: lxml.html's `text_content()`."""
    return str(_STRING(element))


def _text_of(element: etree._Element) -> str:
    text = text_content(element) if len(element) else element.text  # most links: one text
    return " ".join(text.split()) if text else ""


# Levels the parser adds without a tag in the page (html, head, body, a paragraph), with room.
_IMPLIED_LEVELS = 16


def reaches_depth(html: str | bytes, root: etree._Element, limit: int) -> bool:
    """Whether `root`, parsed from `html`, is `limit` deep: every level but a few implied ones
    is a tag, so a page with fewer tags than that (most pages) is not walked."""
    tags = html.count("<") if isinstance(html, str) else html.count(b"<")
    return tags + _IMPLIED_LEVELS >= limit and max_depth(root) >= limit


def max_depth(root: etree._Element) -> int:
    """How deep the tree goes; past the parser's limit a page would lose its end. lxml walks the
    tree (comments and processing instructions count as one level below their parent)."""
    depth = deepest = 0
    for event, _ in etree.iterwalk(root, events=("start", "end", "comment", "pi")):
        if event == "end":
            depth -= 1
            continue
        level = depth + 1
        if event == "start":
            depth = level
        if level > deepest:
            deepest = level
    return deepest
