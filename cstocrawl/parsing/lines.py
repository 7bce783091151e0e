"""Turn an HTML page into the lines a reader sees, in document order.

The site's markup is unknown and varies, but its reading order is stable (sidebar, H1, date, body,
back links, footer). Parsers work on these lines, so they depend on structure and text first and on
class names only as one hint among several.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin, urlsplit

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


class Resolver:
    """`urljoin(url, href)`, each href of a page resolved once: a page links most places twice or
    more (title, picture, "Read more"), and every layer asks where its lines' links go."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._absolute: dict[str, str] = {}
        self._origin = _origin(url)

    def __call__(self, href: str) -> str:
        if (absolute := self._absolute.get(href)) is None:
            absolute = self._absolute[href] = self._join(href)
        return absolute

    def _join(self, href: str) -> str:
        """A plain absolute path (most of the site's links) only gets the page's scheme and host,
        as urljoin gives it (an empty query's "?" dropped); any other href goes to urljoin."""
        if self._origin is not None and "/." not in href and _PLAIN_PATH_RE.fullmatch(href):
            path, _, query = href.partition("?")
            return self._origin + path + ("?" + query if query else "")
        return urljoin(self.url, href)


# An absolute path (not "//host") without dot segments, parameters, a fragment, spaces or other
# characters urllib would strip or split on, and an optional query.
_PLAIN_PATH_RE = re.compile(r"/(?!/)[\w.~%+=&!$*,@/-]*(?:\?[\w.~%+=&!$*,@/?-]*)?", re.ASCII)


def _origin(url: str) -> str | None:
    """"scheme://host" of an http(s) page, what urljoin puts before an absolute path; None where
    urljoin must decide (another scheme, no host, an unparsable URL)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


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
    names, ident = get("class"), get("id")
    if not names and not ident:  # most elements: no hint, nothing to format
        return False
    return _is_boilerplate_hint(names, ident)


@lru_cache(maxsize=4096)
def _is_boilerplate_hint(names: str | None, ident: str | None) -> bool:
    """Cached by the attributes themselves: every page repeats the same few class names, and this
    runs for every element (the hint is formatted as `element_hint` does, once a pair)."""
    hint = f"{names or ''} {ident or ''}".strip()
    return bool(hint) and bool(BOILERPLATE_HINT.search(hint))


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

    __slots__ = (
        "_blank",
        "_boilerplate",
        "_element",
        "_emphasised",
        "_heading",
        "_parts",
        "images",
        "lines",
        "links",
    )

    def __init__(self, element: etree._Element) -> None:
        self.lines: list[Line] = []
        self._parts: list[str] = []
        self._blank = True  # the line's text so far is only the markup's indentation
        self._emphasised = True  # all of the line's text is inside <b>/<strong>/<font> so far
        self.links: list[Link] = []
        self.images: list[str] = []
        self._element = element
        self._boilerplate, self._heading = False, 0

    def start(self, element: etree._Element, boilerplate: bool, heading: int) -> None:
        if self.images or not self._blank:
            self._flush()
        else:  # most blocks: no line (only the markup's indentation), so nothing to build
            if self._parts:
                self._parts, self._emphasised = [], True
            if self.links:
                self.links = []
        self._element, self._boilerplate, self._heading = element, boilerplate, heading

    def text(self, value: str, emphasised: bool) -> None:
        """`value` is not empty."""
        self._parts.append(value)
        if not value.isspace():
            self._blank = False
            if not emphasised:
                self._emphasised = False

    def finish(self) -> list[Line]:
        self.start(self._element, self._boilerplate, self._heading)
        return self.lines

    def _flush(self) -> None:
        text = " ".join("".join(self._parts).split())  # str.split() splits where \s+ does
        if text or self.images:
            emphasised = bool(text) and self._emphasised
            self.lines.append(
                Line(
                    text,
                    self._element,
                    self._boilerplate,
                    self._heading,
                    self.links,
                    self.images,
                    emphasised,
                )
            )
            self.links, self.images = [], []
        else:
            self.links = []
        self._parts, self._emphasised, self._blank = [], True, True


_HEADINGS = {f"h{level}": level for level in range(1, 7)}
# Tags whose text no reader sees: counted as no characters (their elements are still measured).
UNSEEN_TAGS = frozenset({"script", "style", "head", "title", "noscript", "template"})
Measures = dict[etree._Element, int]


def visible(text: str | None) -> int:
    """Characters a reader sees, near enough for proportions (the common spaces left out)."""
    if not text or not text.strip(_SPACES):  # most texts between tags: the markup's indentation
        return 0
    return len(text) - text.count(" ") - text.count("\n") - text.count("\t") - text.count("\r")


_SPACES = " \n\t\r"


@dataclass
class Rendering:
    """A page's lines, and of every element its visible characters, those inside links and its
    links: one walk of the tree for both."""

    start: etree._Element  # where the lines start: the body, or the element rendered
    lines: list[Line]
    chars: Measures
    link_chars: Measures
    links: Measures


# What an open element passes down (flags) and has measured so far: a list per element.
_BOILERPLATE, _HEADING, _INNER, _MODE, _CHARS, _LINK_CHARS, _LINKS = range(7)
# Where an element stands: outside the rendered start (measured only), rendered, in a skipped tag.
_OUTSIDE, _RENDERED, _MUTED = 0, 1, 2
_EVENTS = ("start", "end", "comment", "pi")


class _Walk:
    """One walk of lxml's events over a page: each element met once on the way in and once on
    the way out, without recursion (a page nested thousands of elements deep)."""

    __slots__ = ("above", "builder", "chars", "link_chars", "links", "start")

    def __init__(self, start: etree._Element) -> None:
        self.start = start
        # Text after an element is emphasised when an ancestor is <b>/<strong>/...: above the start
        # too.
        self.above = any(ancestor.tag in EMPHASIS_TAGS for ancestor in start.iterancestors())
        self.builder = _LineBuilder(start)  # an inline start (an entry cut to its <a>) has lines
        self.chars: Measures = {}
        self.link_chars: Measures = {}
        self.links: Measures = {}

    def run(self, top: etree._Element, measured: bool) -> None:
        """Walk `top` (the start, or the whole page when `measured`)."""
        start, above, text, opened = self.start, self.above, self.builder.text, self.builder.start
        # Each open element: what it passes down, then what it has measured so far.
        current: list[Any] = [False, 0, False, _OUTSIDE, 0, 0, 0]
        stack = [current]
        push, pop = stack.append, stack.pop
        for event, element in etree.iterwalk(top, events=_EVENTS):
            if event == "start":
                value = element.text
                mode = _RENDERED if element is start else current[_MODE]
                chars = visible(value) if measured and value else 0
                current = [current[0], current[1], current[2], mode, chars, 0, 0]
                if mode == _RENDERED:
                    self._open(element, current, value)
                push(current)
            elif event == "end":
                own = pop()
                current = stack[-1]
                tail = element.tail
                if measured:
                    self._measure(element, own, current, tail)
                if current[_MODE] == _RENDERED or element is start:
                    if element.tag in BLOCK_TAGS:  # leaving a block: its parent's line restarts
                        parent = element.getparent()
                        opened(parent if parent is not None else element, current[_BOILERPLATE], 0)
                    if tail:
                        text(tail, current[_INNER] or above)
            else:
                self._note(current, element.tail)

    def _note(self, parent: list[Any], tail: str | None) -> None:
        """A comment or processing instruction: only its tail is text, its parent's."""
        parent[_CHARS] += visible(tail)
        if tail and parent[_MODE] == _RENDERED:
            self.builder.text(tail, parent[_INNER] or self.above)

    def _open(self, element: etree._Element, own: list[Any], value: str | None) -> None:
        """A rendered element's flags for its children, the line it starts, the link or picture it
        adds, and its text."""
        tag = element.tag
        if tag in SKIPPED_TAGS:
            own[_MODE] = _MUTED
            return
        boilerplate = own[_BOILERPLATE] = own[_BOILERPLATE] or is_boilerplate_container(element)
        heading = own[_HEADING] = _HEADINGS.get(tag, own[_HEADING])
        inner = own[_INNER] = own[_INNER] or tag in EMPHASIS_TAGS
        if tag in BLOCK_TAGS:
            self.builder.start(element, boilerplate, heading)
        elif tag in _INLINE_EVENTS:
            _inline(self.builder, element, tag, boilerplate, heading, value)
        if value:
            self.builder.text(value, inner)

    def _measure(
        self, element: etree._Element, own: list[Any], parent: list[Any], tail: str | None
    ) -> None:
        """The element's measures, added to its parent's with its tail."""
        tag = element.tag
        if tag in UNSEEN_TAGS:
            total = inside = count = 0
        else:
            total, inside, count = own[_CHARS], own[_LINK_CHARS], own[_LINKS]
            if tag == "a":
                href = (element.get("href") or "").strip()
                if href and not href.startswith(("#", "javascript:")):
                    inside, count = total, count + 1
        self.chars[element], self.link_chars[element], self.links[element] = total, inside, count
        parent[_CHARS] += total + visible(tail) if tail else total
        parent[_LINK_CHARS] += inside
        parent[_LINKS] += count


def render(root: etree._Element, measured: bool = True) -> Rendering:
    """Lines of the page's body (or of any element), and, `measured`, every element's measures
    (those of elements outside the body too: the `<html>` around it)."""
    body = next(root.iterdescendants("body"), None)  # what `.//body` finds, without ElementPath
    walk = _Walk(body if body is not None else root)
    walk.run(root if measured else walk.start, measured)
    return Rendering(walk.start, walk.builder.finish(), walk.chars, walk.link_chars, walk.links)


def render_lines(root: etree._Element) -> list[Line]:
    """Lines of the page's body (or of any element)."""
    return render(root, measured=False).lines


_INLINE_EVENTS = frozenset({"br", "img", "a"})


def _inline(
    builder: _LineBuilder,
    element: etree._Element,
    tag: str,
    boilerplate: bool,
    heading: int,
    value: str | None,
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
        builder.links.append(Link(href.strip(), _text_of(element, value), element))


_STRING = etree.XPath("string()", smart_strings=False)


def text_content(element: etree._Element) -> str:
    """All the text under `element`, comments left out: lxml.html's `text_content()`."""
    return str(_STRING(element))


def _text_of(element: etree._Element, value: str | None) -> str:
    """A link's text; `value`, its own text, is all of it for most links."""
    text = text_content(element) if len(element) else value
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
