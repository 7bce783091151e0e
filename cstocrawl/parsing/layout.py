"""A page as the extraction layers see it: its lines, and measures of its blocks.

How much of a block is prose, how much is link text, whether it repeats the listing page's frame:
these say what is an article and what is a sidebar, a menu or a footer, whatever the tags.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from lxml import etree

from cstocrawl.parsing.dates import leading_date, trailing_date
from cstocrawl.parsing.evidence import ListingEvidence, normalise
from cstocrawl.parsing.labels import is_back_link_text, is_javascript, is_javascript_back
from cstocrawl.parsing.lines import (
    UNSEEN_TAGS,
    Line,
    Resolver,
    is_boilerplate_container,
    render,
    visible,
)
from cstocrawl.parsing.thresholds import (
    LEADING_PROSE,
    TEASER_CHARS,
    TEASER_DATE_LINE,
    TEASER_LABEL,
)
from cstocrawl.site import ALL_NEWS_PATH

# What may stand around back links on their line: separators, arrows, icons' text.
DECORATION = " |/•·-–—←→«»<>‹›↩⟵⬅▸►◄▶◀\u00a0"


class Layout:
    """A page's lines with the measures every layer asks about, each computed once."""

    def __init__(self, root: etree._Element, url: str, evidence: ListingEvidence) -> None:
        self.root = root
        self.url = url
        self.address = urlsplit(url)
        self.resolve = Resolver(url)  # where the lines' links go, each href resolved once
        self.evidence = evidence
        page = render(root)  # the lines and the measures in one walk
        self.lines, self.chars, self.link_chars, self.links = (
            page.lines,
            page.chars,
            page.link_chars,
            page.links,
        )
        self.page_prose = self.prose(page.start) or 1
        own = {normalise(text) for text in (evidence.teaser, evidence.link_text) if text}
        self.frame = evidence.frame - own
        self.section_paths = _ancestor_paths(url)
        self._free: dict[etree._Element, int] | None = None
        self._holders_of: dict[etree._Element, frozenset[etree._Element]] = {}
        self._hinted: dict[etree._Element, bool] = {}
        self._headed_blocks: frozenset[etree._Element] | None = None
        self._teasers: dict[etree._Element, int] | None = None
        self._first_link: dict[etree._Element, int] | None = None
        for line in self.lines:
            line.boilerplate = line.boilerplate and self.in_boilerplate(line.element)

    def is_boilerplate(self, element: etree._Element) -> bool:
        """A boilerplate container by tag or class name, unless it is the page itself or holds
        most of the page's prose, as the article's block does (the `<h1>` with a short text and
        related links beside it) and a link list does not: `<body class="no-sidebar">`, a
        `widget-area-main` around it all."""
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in ("html", "body") or not is_boilerplate_container(element):
            return False
        if self.prose(element) * 2 <= self.page_prose:
            return True
        return self.is_link_list(element) and element not in self._headed

    @property
    def _headed(self) -> frozenset[etree._Element]:
        """The blocks holding an `<h1>`, the likeliest title."""
        if self._headed_blocks is None:
            self._headed_blocks = frozenset(
                ancestor for h1 in self.root.iter("h1") for ancestor in h1.iterancestors()
            )
        return self._headed_blocks

    def in_teaser_run(self, element: etree._Element, article: etree._Element) -> bool:
        """Whether `element` is in one of a run of items inside `article`, each with a date or a
        linked heading and a link to another page, and short: other articles' teasers ("related
        news"), prose as they may be."""
        if self._teasers is None:
            self._teasers = self._teaser_marks(self.lines)
        current: etree._Element | None = element
        while current is not None and current is not article:
            parent = current.getparent()
            if parent is not None and self._is_teaser(current) and self._is_run(parent):
                return True
            current = parent
        return False

    def mark_teasers(self, lines: list[Line]) -> None:
        """Read the teaser marks from `lines` only (a body's span): what `in_teaser_run` asks."""
        self._teasers = self._teaser_marks(lines)

    def _teaser_marks(self, lines: list[Line]) -> dict[etree._Element, int]:
        """Per block: bit 1 a dated line or a linked heading in it, bit 2 a link elsewhere, and
        from bit 2 on, how many lines it holds (an item is a date, a title and a teaser)."""
        marks: dict[etree._Element, int] = {}
        for line in lines:
            mark = 4
            if len(line.text) <= TEASER_DATE_LINE and (
                leading_date(line.text) or trailing_date(line.text)
            ):
                mark |= 1
            if self.links_elsewhere(line):
                mark |= 2 | (1 if line.heading else 0)
            for ancestor in (line.element, *line.element.iterancestors()):
                had = marks.get(ancestor, 0)
                marks[ancestor] = ((had | mark) & 3) + (had & ~3) + 4
        return marks

    def _is_teaser(self, element: etree._Element) -> bool:
        assert self._teasers is not None
        mark = self._teasers.get(element, 0)
        return mark & 3 == 3 and mark >> 2 >= 2 and self.chars.get(element, 0) <= TEASER_CHARS

    def _is_run(self, parent: etree._Element) -> bool:
        """Two or more items, and every other child with text a short label ("Other news")."""
        items = [child for child in parent if self.chars.get(child, 0)]
        teasers = [child for child in items if self._is_teaser(child)]
        return len(teasers) >= 2 and all(
            self._is_teaser(child) or self.chars.get(child, 0) <= TEASER_LABEL for child in items
        )

    def in_boilerplate(self, element: etree._Element) -> bool:
        """Whether `element` or a block around it is boilerplate (`is_boilerplate`)."""
        chain: list[etree._Element] = []
        current: etree._Element | None = element
        found = False
        while current is not None:
            if current in self._hinted:
                found = self._hinted[current]
                break
            chain.append(current)
            current = current.getparent()
        for node in reversed(chain):  # from the outermost, each inherits its parent's verdict
            found = found or self.is_boilerplate(node)
            self._hinted[node] = found
        return found

    def prose(self, element: etree._Element) -> int:
        """Visible characters outside links."""
        return self.chars.get(element, 0) - self.link_chars.get(element, 0)

    def free_prose(self, element: etree._Element) -> int:
        """Prose outside links and outside link lists (a related-news list's dates and heading)."""
        if self._free is None:
            self._free = {}
            for node in reversed(list(self.root.iter())):  # children before their parents
                tag = node.tag if isinstance(node.tag, str) else ""
                if not tag or tag in UNSEEN_TAGS or tag == "a" or self.is_link_list(node):
                    self._free[node] = 0
                    continue
                own = visible(node.text) + sum(visible(child.tail) for child in node)
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

    def leads_its_lists(self, line: Line, anchor: etree._Element | None) -> bool:
        """Prose before the first link of every link list around it: a list that unclosed tags
        (`<div>` never closed after a paragraph) wrapped around the article's end."""
        if line.links or (line.text and (len(line.text) < LEADING_PROSE or line.heading)):
            return False  # a list's heading ("Latest news"), not prose; a picture may be
        if self._first_link is None:
            self._first_link = {}
            for index, each in enumerate(self.lines):
                if not each.links:
                    continue
                for element in (each.element, *each.element.iterancestors()):
                    if element in self._first_link:
                        break
                    self._first_link[element] = index
        position = self.lines.index(line)
        exempt = self._holders(anchor)
        current: etree._Element | None = line.element
        while current is not None and current not in exempt:
            if self.is_link_list(current) and self._first_link.get(current, -1) < position:
                return False
            current = current.getparent()
        return True

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
        own = self.address.path
        for link in line.links:
            href = link.href
            if is_javascript(href) or href.startswith("#"):
                continue
            try:
                path = urlsplit(self.resolve(href)).path
            except ValueError:  # an unparsable href ("http://[ccpa-preferences]"): no page
                continue
            if path != own and link.text:
                return True
        return False

    def is_nav_line(self, line: Line) -> bool:
        """A line made only of back links, known by their words or by where they point."""
        if is_back_link_text(line.text):
            return True
        # Scripts that do not go back (print, share popups) may stand beside back links.
        links = [link for link in line.links if not is_javascript(link.href)]
        links += [link for link in line.links if is_javascript_back(link.href)]
        if not links or not all(self._is_back_link(link.href, link.text) for link in links):
            return False
        rest = normalise(line.text)
        for link in line.links:
            rest = rest.replace(normalise(link.text), " ", 1)
        return not rest.strip(DECORATION)

    def _is_back_link(self, href: str, text: str) -> bool:
        if is_back_link_text(text) or is_javascript_back(href):
            return True
        try:
            parts = urlsplit(self.resolve(href))
        except ValueError:  # an unparsable href goes nowhere
            return False
        own = self.address
        if parts.netloc != own.netloc:
            return False
        # A detail addressed by its element id (/chairmanship/?ELEMENT_ID=23867) stands at its
        # listing's own path: a link there without an id goes back to the listing.
        by_id = bool(own.query) and parts.path == own.path and not parts.query
        return by_id or parts.path in self.section_paths


def _ancestor_paths(url: str) -> frozenset[str]:
    """Where back links go: the listing paths above an article ("/documents/statements/",
    "/documents/") and the site's all-news listing, which every article's page links back to."""
    segments = [part for part in urlsplit(url).path.split("/") if part]
    above = ("/" + "/".join(segments[:n]) + "/" for n in range(1, len(segments)))
    return frozenset((*above, ALL_NEWS_PATH))


# --- the title --------------------------------------------------------------------------------


def common_ancestor(first: etree._Element, second: etree._Element) -> etree._Element:
    ancestors = {first, *first.iterancestors()}
    for element in (second, *second.iterancestors()):
        if element in ancestors:
            return element
    return first.getroottree().getroot()


def inside(element: etree._Element, container: etree._Element) -> bool:
    # `in` compares lxml's elements by identity, without a Python step per ancestor.
    return element is container or container in element.iterancestors()


def boilerplate_below(layout: Layout, element: etree._Element, container: etree._Element) -> bool:
    """A class-named or semantic boilerplate container between `element` and the article."""
    current: etree._Element | None = element
    while current is not None and current is not container:
        if layout.is_boilerplate(current):
            return True
        current = current.getparent()
    return False


def is_header_noise(layout: Layout, line: Line, anchor: etree._Element | None) -> bool:
    """Lines around the title that are neither it nor the body: share buttons, breadcrumbs."""
    if not line.text:
        return True
    if anchor is None:
        return line.boilerplate or layout.in_frame(line) or layout.in_link_list(line.element, None)
    return not_the_article(layout, line, anchor)


def not_the_article(layout: Layout, line: Line, anchor: etree._Element) -> bool:
    """Frame text, a link list or a class-named boilerplate block that does not hold `anchor`
    (the title, or the article's prose): a class name around the whole article never counts."""
    if layout.in_frame(line):
        return True
    if layout.in_link_list(line.element, anchor) and not layout.leads_its_lists(line, anchor):
        return True
    return boilerplate_below(layout, line.element, common_ancestor(line.element, anchor))
