"""Extract the articles a listing page shows, each with its teaser, and every link for paging.

An entry is found by structure, not class names: the largest block around an article link that
holds no link to another article. The sidebar before the H1 and boilerplate containers are left out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from cstocrawl.parsing.dates import date_beside, leading_date, parse_date, trailing_date
from cstocrawl.parsing.evidence import ListingEvidence, normalise
from cstocrawl.parsing.labels import is_more_label
from cstocrawl.parsing.lines import (
    BLOCK_TAGS,
    SKIPPED_TAGS,
    Line,
    Resolver,
    is_boilerplate_container,
    parse_html,
    render_lines,
    text_content,
)
from cstocrawl.parsing.text import is_counter


@dataclass
class ListingEntry:
    url: str  # absolute, as linked
    key: str  # what identifies the article (its canonical URL)
    title: str  # the link text: the article's title, or its teaser when the link wraps that
    teaser: str | None
    date_text: str | None = None  # a date printed in the entry


@dataclass
class ListingPage:
    entries: list[ListingEntry] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # every link on the page, absolute
    title: str | None = None  # the page's <title>
    frame: frozenset[str] = frozenset()  # normalised lines printed outside the entries

    def evidence(self, entry: ListingEntry) -> ListingEvidence:
        """What this page says about one of its articles, for parsing the article's page."""
        return ListingEvidence(
            entry.title or None, entry.date_text, entry.teaser, self.title, self.frame
        )


def parse_listing(
    html: str | bytes, url: str, article_key: Callable[[str], str | None]
) -> ListingPage:
    """`article_key` maps an absolute URL to the article it names, or None for other links.

    An article linked twice (sidebar and list) is taken from the list: after the H1, outside
    boilerplate, in the block that links the most articles.
    """
    root = parse_html(html)
    order = {element: position for position, element in enumerate(root.iter())}
    heading = _main_heading(root)
    # A page links most places twice or more (title, picture, "Read more"): resolve each once.
    resolve = Resolver(url)
    links, keys = _links(root, resolve, article_key)
    held = _articles_held(keys)
    elsewhere = _blocks_linking_elsewhere(root, keys)
    chosen = [
        (key, anchor, _entry_block(anchor, key, held, elsewhere, heading))
        for key, anchor in _chosen_links(keys, held, order, heading)
    ]
    # The page is rendered once: each entry's lines are the page's lines inside its block.
    page_lines = render_lines(root)
    body = next(root.iterdescendants("body"), None)  # where the page's rendering starts
    owner = {element: index for index, (*_, block) in enumerate(chosen) for element in block.iter()}
    lines_of: list[list[Line]] = [[] for _ in chosen]
    for line in page_lines:
        if (index := owner.get(line.element)) is not None:
            lines_of[index].append(line)
    entries = [
        _entry(
            anchor,
            key,
            container,
            keys,
            resolve,
            lines if _renders_alike(container, body) else render_lines(container),
        )
        for (key, anchor, container), lines in zip(chosen, lines_of, strict=True)
    ]
    return ListingPage(
        entries=entries,
        links=links,
        title=_page_title(root),
        frame=_frame(page_lines, owner, entries, keys),
    )


def _renders_alike(container: etree._Element, body: etree._Element | None) -> bool:
    """Whether the page's lines inside `container` are the lines it renders alone, as far as an
    entry reads them (text, links, boilerplate flags): a block (its lines start and end with it),
    no text after it (rendered alone, its tail is a line of its own), reached by the page's
    rendering (in the body, not in a skipped tag) and in no boilerplate container (whose flag the
    page's lines would inherit)."""
    if container.tag not in BLOCK_TAGS or (container.tail or "").strip():
        return False
    for ancestor in container.iterancestors():
        if ancestor.tag in SKIPPED_TAGS or is_boilerplate_container(ancestor):
            return False
        if ancestor is body:
            return True
    return False


def _main_heading(root: etree._Element) -> etree._Element | None:
    """The page's own H1: the list starts after it, and no entry grows to take it in."""
    return next(
        (h for h in root.iter("h1") if text_content(h).strip() and not _in_boilerplate(h)), None
    )


def _in_boilerplate(element: etree._Element) -> bool:
    """Inside boilerplate (nav, header, footer, a sidebar by its class): a logo H1, a sidebar."""
    return any(is_boilerplate_container(e) for e in (element, *element.iterancestors()))


def _links(
    root: etree._Element, resolve: Resolver, article_key: Callable[[str], str | None]
) -> tuple[list[str], dict[etree._Element, str]]:
    """Every link the crawl may follow, absolute and once (the pager's among them), and the
    anchors that link an article, with the article's key."""
    links: list[str] = []
    keys: dict[etree._Element, str] = {}
    key_of: dict[str, str | None] = {}
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        absolute = resolve(href)
        links.append(absolute)
        if absolute not in key_of:
            key_of[absolute] = article_key(absolute)
        if (key := key_of[absolute]) is not None:
            keys[anchor] = key
    return list(dict.fromkeys(links)), keys


def _articles_held(keys: dict[etree._Element, str]) -> dict[etree._Element, set[str]]:
    """Which articles each element links: an entry is a block that links one article only."""
    held: dict[etree._Element, set[str]] = {}
    for anchor, key in keys.items():
        for element in (anchor, *anchor.iterancestors()):
            held.setdefault(element, set()).add(key)
    return held


def _blocks_linking_elsewhere(
    root: etree._Element, keys: dict[etree._Element, str]
) -> set[etree._Element]:
    """Blocks holding a link to no article (a pager, a menu): an entry never grows into them, even
    when it is the only article on the page (a last page of one)."""
    return {
        element
        for anchor in root.iter("a")
        if anchor not in keys and (anchor.get("href") or "").strip()
        for element in anchor.iterancestors()
    }


def _chosen_links(
    keys: dict[etree._Element, str],
    held: dict[etree._Element, set[str]],
    order: dict[etree._Element, int],
    heading: etree._Element | None,
) -> list[tuple[str, etree._Element]]:
    """One link per article, in page order: the list's where a sidebar links the article too;
    articles only a sidebar links are left out when the page has a list."""
    main_starts = order[heading] if heading is not None else -1

    def rank(anchor: etree._Element) -> tuple[int, int, int]:
        in_main = order[anchor] > main_starts and not _in_boilerplate(anchor)
        list_size = next((len(held[e]) for e in anchor.iterancestors() if len(held[e]) > 1), 1)
        return int(in_main), list_size, order[anchor]

    ranks = {anchor: rank(anchor) for anchor in keys}  # each walks the anchor's ancestors: once
    best: dict[str, etree._Element] = {}
    for anchor, key in keys.items():
        if key not in best or ranks[anchor] > ranks[best[key]]:
            best[key] = anchor
    if any(ranks[anchor][0] for anchor in best.values()):  # leave out sidebar-only articles
        best = {key: anchor for key, anchor in best.items() if ranks[anchor][0]}
    return sorted(best.items(), key=lambda item: order[item[1]])


def _entry_block(
    anchor: etree._Element,
    key: str,
    held: dict[etree._Element, set[str]],
    elsewhere: set[etree._Element],
    heading: etree._Element | None,
) -> etree._Element:
    """The entry: the largest block around the article's link that links nothing else and does
    not hold the H1, whatever its tags; never the list's own wrapper named like boilerplate (a
    `widget` holding a page's lone entry), whose name would make the entry's text boilerplate."""
    container = anchor
    while (
        (parent := container.getparent()) is not None
        and held[parent] == {key}
        and parent not in elsewhere
        and parent.tag not in ("body", "html")
        and (heading is None or heading not in parent.iterdescendants())
        and not (container is not anchor and is_boilerplate_container(parent))
    ):
        container = parent
    return container


def _entry(
    anchor: etree._Element,
    key: str,
    container: etree._Element,
    keys: dict[etree._Element, str],
    resolve: Resolver,
    lines: list[Line],
) -> ListingEntry:
    """What an entry shows of its article (`lines`, its rendering): the link text (the longest,
    "Read more" aside), the teaser and a date; a link wrapping the whole card is split into its
    parts."""
    shown = {link.element: link.text for line in lines for link in line.links}  # as rendered
    titles = [
        text
        for a in container.iter("a")
        if keys.get(a) == key
        and (text := shown[a] if a in shown else " ".join(text_content(a).split()))
        and not is_more_label(text)
    ]
    title = max(titles, key=len, default="")
    teaser = _teaser(lines, key, keys)
    if card := _card_parts(anchor):  # one link wraps the whole entry: split it
        title, teaser = card
    return ListingEntry(
        url=resolve(anchor.get("href", "")),
        key=key,
        title=title,
        teaser=teaser or title or None,
        date_text=_entry_date(container, lines),
    )


def _teaser(lines: list[Line], key: str, keys: dict[etree._Element, str]) -> str | None:
    """The entry's text besides its own link, its date, "Read more" and counters: the summary."""
    parts: list[str] = []
    for line in lines:
        if line.boilerplate:
            continue
        text = line.text
        for link in line.links:
            if link.text and keys.get(link.element) == key:
                text = text.replace(link.text, " ", 1)
        text = " ".join(text.split())
        text = _without_dates(text)
        if text and not is_more_label(text) and not is_counter(text):
            parts.append(text)
    return " ".join(parts) or None


def _without_dates(text: str) -> str:
    """A line of the entry without the date opening or closing it; a date alone leaves nothing."""
    if parse_date(text):
        return ""
    if dated := leading_date(text):
        text = dated[1]
    if dated := trailing_date(text):
        text = dated[0]
    return text.strip()


def _card_parts(anchor: etree._Element) -> tuple[str, str] | None:
    """(title, teaser) of a link that wraps a whole card (picture, date, title, teaser, "more"),
    its parts in child elements; None for a link holding one text."""
    if not len(anchor):  # most links: their text alone, one piece
        return None
    element = anchor
    while True:
        pieces = _pieces(element)
        if len(pieces) == 1 and pieces[0][1] is not None:
            element = pieces[0][1]
            continue
        break
    texts = [
        text
        for text, _ in pieces
        if parse_date(text) is None
        and not is_more_label(text)
        and not is_counter(text)
    ]
    if len(texts) < 2:
        return None
    return texts[0], " ".join(texts[1:])


def _pieces(element: etree._Element) -> list[tuple[str, etree._Element | None]]:
    """The texts an element shows, one per child element (with the child) or loose text."""
    pieces: list[tuple[str, etree._Element | None]] = []

    def add(text: str | None, child: etree._Element | None = None) -> None:
        if text := " ".join((text or "").split()):
            pieces.append((text, child))

    add(element.text)
    for child in element:
        if isinstance(child.tag, str):
            add(text_content(child), child)
        add(child.tail)
    return pieces


def _entry_date(container: etree._Element, lines: list[Line]) -> str | None:
    """A date printed in an entry, alone or opening/closing a line; or standing alone in the block
    right before it (<dt>date</dt><dd>entry</dd>, a date row above the entry's row)."""
    for line in lines:
        text = line.text
        if parse_date(text):
            return text.strip()
        if dated := date_beside(text):
            return dated[0]
    before = container.getprevious()
    if before is not None and not any(True for _ in before.iter("a")):
        text = " ".join(text_content(before).split())
        if parse_date(text):
            return text
    return None


def _frame(
    page_lines: list[Line],
    in_entries: dict[etree._Element, int],
    entries: list[ListingEntry],
    keys: dict[etree._Element, str],
) -> frozenset[str]:
    """What the page prints besides its entries (menu, header, footer, pager): a detail page
    repeats it around the article, so none of it is the article's title or body."""
    # A line holding an article link, or repeating an entry's text, belongs to an entry whatever
    # block the entry was cut to.
    entry_texts = {normalise(text) for e in entries for text in (e.title, e.teaser) if text}
    frame: set[str] = set()
    for line in page_lines:
        links = line.links
        if line.element in in_entries or (links and any(link.element in keys for link in links)):
            continue
        # Each link of the frame counts alone too: an inline menu renders as one long line.
        for shown in (line.text, *(link.text for link in links)) if links else (line.text,):
            text = normalise(shown)
            if text and text not in frame and text not in entry_texts and parse_date(text) is None:
                frame.add(text)  # entry dates aren't
    return frozenset(frame)


def _page_title(root: etree._Element) -> str | None:
    """The page's <title>: the parts an article's own <title> shares with it name the site."""
    title_element = next(root.iterdescendants("title"), None)  # `.//title`, without ElementPath
    return " ".join(text_content(title_element).split()) if title_element is not None else None
