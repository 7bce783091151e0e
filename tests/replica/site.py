"""ReplicaSite: the replica's state (articles, files, faults) and its request routing.

Pages are rendered from the model on request and cached until the model changes, so
add_articles() and edit_article() show up on the next request.
"""

from __future__ import annotations

import hashlib
import html as htmllib
import random
import re
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from math import ceil
from typing import Any
from urllib.parse import SplitResult, parse_qs, unquote, urljoin, urlsplit

from .content import (
    LISTINGS,
    SECTION_PATHS,
    SECTIONS,
    Article,
    Attachment,
    Generator,
    Image,
    attachment_content,
    canonical_url,
    clean,
    initial_dates,
)
from .further import DISCOVERED, FURTHER_TITLES, further_articles
from .markup import MENU, STATIC_PAGES, Renderer

# Section -> its name in the site's menu, by language: the records' `section_title`.
SECTION_MENU_TITLES: dict[str, dict[str, str | None]] = {
    **{
        section: {"en": en, "ru": ru}
        for path, en, ru in MENU
        for section, section_path in SECTION_PATHS.items()
        if path == section_path
    },
    **{section: {"en": en, "ru": ru} for section, (en, ru) in FURTHER_TITLES.items()},
    **{section: {"en": None, "ru": None} for section in DISCOVERED},
}

HTML_TYPE = "text/html; charset=UTF-8"


@dataclass(frozen=True)
class Response:
    """What the server sends for one request."""

    status: int
    body: bytes
    content_type: str = HTML_TYPE
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds the server waits before answering
    # Body bytes sent before the connection is closed; Content-Length still announces all of them.
    drop_after: int | None = None


Edit = Callable[[Response], Response]


@dataclass(frozen=True)
class Alias:
    """A second URL path under which the site serves an article's page, as the listings link it."""

    path: str  # the alias path, as served
    article: str  # the article's own path
    declares: bool  # the page served under it names the article with <link rel="canonical">
    listings: tuple[str, ...]  # listings that link the article under this path only


@dataclass(frozen=True)
class Fault:
    """An injected failure for one URL path: an error answer, or the page's own answer altered.

    `status=None` serves the page itself, changed by `edit`; `times` makes the fault recover after
    that many requests, or hand over to `then` (a sequence: 503, then a redirect); `delay` and
    `drop_after` apply to whatever is served.
    """

    status: int | None = 503
    body: bytes = b"Service Unavailable"
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "text/plain"
    times: int | None = None  # the first `times` requests get the fault; None: every request
    delay: float = 0.0
    drop_after: int | None = None
    edit: Edit | None = None
    then: Fault | None = None

    @classmethod
    def redirect(cls, location: str, status: int = 302, times: int | None = None) -> Fault:
        return cls(status, b"", {"Location": location}, times=times)

    def answer(self, page: Response) -> Response:
        """What is served instead of `page` (the path's normal answer)."""
        if self.status is None:
            served = self.edit(page) if self.edit else page
        else:
            served = Response(self.status, self.body, self.content_type, self.headers)
        return replace(served, delay=self.delay, drop_after=self.drop_after)


def truncated(size: int) -> Edit:
    """The page cut after `size` bytes and served as if complete."""
    return lambda page: replace(page, body=page.body[:size])


def substituted(old: str, new: str) -> Edit:
    """The page with every `old` replaced by `new` (in its text as decoded)."""

    def edit(page: Response) -> Response:
        body = page.body.decode("utf-8")
        if old not in body:
            raise ValueError(f"{old!r} is not on the page")
        return replace(page, body=body.replace(old, new).encode("utf-8"))

    return edit


def rewritten(pattern: str, new: str = "") -> Edit:
    """The page with every match of the regular expression `pattern` (dot matching newlines)
    replaced by `new` (backreferences allowed); by default, removed."""

    def edit(page: Response) -> Response:
        body, count = re.subn(pattern, new, page.body.decode("utf-8"), flags=re.DOTALL)
        if not count:
            raise ValueError(f"{pattern!r} is not on the page")
        return replace(page, body=body.encode("utf-8"))

    return edit


_META_CHARSET_RE = re.compile(rb"charset=[\"']?utf-8", re.IGNORECASE)


def encoded(charset: str) -> Edit:
    """The page in another encoding, declared only by its <meta> tag (none in Content-Type)."""

    def edit(page: Response) -> Response:
        html = _META_CHARSET_RE.sub(f"charset={charset}".encode(), page.body)
        body = html.decode("utf-8").encode(charset, errors="xmlcharrefreplace")
        return replace(page, body=body, content_type="text/html")

    return edit


def padded(size: int) -> Edit:
    """The page grown to `size` bytes by a comment before </body> (a huge inline blob)."""

    def edit(page: Response) -> Response:
        head, tail = page.body.rsplit(b"</body>", 1)
        filler = b"<!--" + b"x" * max(0, size - len(page.body) - 7) + b"-->"
        return replace(page, body=head + filler + b"</body>" + tail)

    return edit


class ReplicaSite:
    """A deterministic model of en.odkb-csto.org / odkb-csto.org and its expected dataset."""

    def __init__(
        self,
        lang: str = "en",
        variant: str = "bitrix",
        articles_per_section: int = 12,
        page_size: int = 5,
        seed: int = 0,
    ) -> None:
        if lang not in ("en", "ru"):
            raise ValueError("lang must be 'en' or 'ru'")
        self.lang = lang
        self.variant = variant
        self.page_size = page_size
        self.seed = seed
        self.renderer = Renderer(lang, variant, seed)
        self.faults: dict[str, Fault] = {}
        self._fault_uses: Counter[str] = Counter()  # how often each fault has been served
        self.robots_disallow: list[str] = []  # paths robots.txt disallows
        self.hits: Counter[str] = Counter()  # request targets served, for crawl-behaviour tests
        self._lock = threading.RLock()
        self._generator = Generator(lang, seed)
        self._articles: dict[str, Article] = {}  # unquoted path -> article
        self._files: dict[str, Attachment | Image] = {}  # unquoted path -> served file
        self._cache: dict[tuple[str, int], Response] = {}
        self._listings: dict[str, list[Article]] = {}
        self.aliases: dict[str, Alias] = {}  # unquoted alias path -> alias
        order = [section for section in SECTIONS for _ in range(articles_per_section)]
        random.Random(f"sections:{seed}").shuffle(order)
        for section, published in zip(order, initial_dates(len(order), seed), strict=True):
            self._add(self._generator.article(section, published))
        for article in further_articles(self._generator):  # after: the others stay as they were
            self._add(article)

    # --- the model ---

    def _add(self, article: Article) -> None:
        self.renderer.dress(article)
        self._articles[unquote(article.path)] = article
        files = [article.attachment, article.picture, *article.body]
        for file in files:
            if isinstance(file, Attachment | Image):
                self._files[unquote(file.path)] = file

    def _changed(self) -> None:
        self._cache.clear()
        self._listings.clear()

    @property
    def articles(self) -> list[Article]:
        """All articles, newest first (ties: the one generated first)."""
        with self._lock:
            return sorted(self._articles.values(), key=_newest_first)

    def listing(self, path: str) -> list[Article]:
        """The articles a listing shows, newest first."""
        with self._lock:
            if path not in self._listings:
                sections = LISTINGS[path]
                chosen = [a for a in self._articles.values() if a.section in sections]
                chosen.sort(key=_newest_first)
                self._listings[path] = chosen
            return self._listings[path]

    def listing_pages(self) -> list[str]:
        """Paths of every page of every listing (page 1 without PAGEN_1)."""
        pages = []
        for path in LISTINGS:
            last = max(1, ceil(len(self.listing(path)) / self.page_size))
            pages += [path] + [f"{path}?PAGEN_1={n}" for n in range(2, last + 1)]
        return pages

    def article(self, url: str) -> Article:
        """The article at a canonical URL, a mirror URL or a path."""
        return self._articles[_route(urlsplit(url))]

    def add_articles(self, section: str, n: int) -> list[str]:
        """Publish `n` new articles at the top of `section`; their canonical URLs, newest first."""
        if section not in SECTIONS:
            raise ValueError(f"section must be one of {SECTIONS}")
        with self._lock:
            newest = max(a.published for a in self._articles.values())
            added = [
                self._generator.article(section, newest + timedelta(days=i + 1)) for i in range(n)
            ]
            for article in added:
                self._add(article)
            self._changed()
        return [article.url for article in reversed(added)]

    def edit_article(self, url: str, new_text: str) -> None:
        """Replace an article's body by the paragraphs of `new_text` (blank-line separated)."""
        paragraphs = [p for p in map(clean, new_text.split("\n\n")) if p]
        if not paragraphs:
            raise ValueError("new_text has no paragraph")
        with self._lock:
            article = self.article(url)
            article.body, article.opening, article.closing = list(paragraphs), 0, 0
            self._changed()

    def duplicate_article(self, url: str, source_url: str) -> Callable[[], None]:
        """Publish the article at `url` with the title, date, teaser, body and files of the one at
        `source_url` (two URLs, one text); the function returned gives it its own back."""
        fields = ("title", "published", "summary", "body", "picture", "attachment",
                  "date_style", "download_gap")  # fmt: skip
        with self._lock:
            article, source = self.article(url), self.article(source_url)
            own = {name: getattr(article, name) for name in fields}
            for name in fields:
                setattr(article, name, getattr(source, name))
            self._changed()

        def restore() -> None:
            with self._lock:
                for name, value in own.items():
                    setattr(article, name, value)
                self._changed()

        return restore

    def add_alias(self, alias: Alias) -> None:
        """Serve the article's page under `alias.path` too, and link it so in `alias.listings`."""
        with self._lock:
            if unquote(alias.path) in self._articles or unquote(alias.article) not in self._articles:
                raise ValueError(f"{alias.path} is an article, or {alias.article} is not one")
            self.aliases[unquote(alias.path)] = alias
            self._changed()

    def add_alias_cases(self) -> tuple[Alias, Alias]:
        """The two ways the site shows one article under two URLs: a news article the all-news
        feed links under its path in other letter case (the same page, no canonical link), and a
        speech every listing links under its element id, whose page declares the article's own
        path with <link rel="canonical">."""
        cased = next(
            a for a in self.articles
            if a.section == "news_odkb" and a.slug[0].isalpha() and "%" not in a.slug
        )
        speech = next(a for a in self.articles if a.section == "speech")
        spelled = f"{SECTION_PATHS[cased.section]}{cased.slug[0].upper()}{cased.slug[1:]}/"
        by_id = f"{SECTION_PATHS[speech.section]}{10000 + speech.id}/"
        listings = tuple(path for path, sections in LISTINGS.items() if speech.section in sections)
        cases = (
            Alias(spelled, cased.path, declares=False, listings=("/news/",)),
            Alias(by_id, speech.path, declares=True, listings=listings),
        )
        for alias in cases:
            self.add_alias(alias)
        return cases

    def set_fault(self, path: str, fault: Fault | None = Fault()) -> None:
        """Make requests to `path` (a path or URL, query ignored but an element id) fail with
        `fault`; None removes it."""
        key = _route(urlsplit(path))
        with self._lock:
            if fault is None:
                self.faults.pop(key, None)
            else:
                self.faults[key] = fault
            self._fault_uses.pop(key, None)

    # --- the ground truth ---

    def expected_articles(self) -> list[dict[str, Any]]:
        """One record per article a correct crawl produces (docs/dataset.md, no crawled_at), with
        every alias URL, as `latest.jsonl` lists them when the crawl met the article's own path
        first."""
        with self._lock:
            records = [article.expected() for article in self.articles]
            for record in records:
                record["section_title"] = SECTION_MENU_TITLES[record["section"]][self.lang]
                record["aliases"] = sorted(
                    canonical_url(self.lang, alias.path)
                    for alias in self.aliases.values()
                    if canonical_url(self.lang, alias.article) == record["url"]
                )
            return records

    def expected_attachments(self) -> dict[str, dict[str, Any]]:
        """Canonical attachment URL -> sha256, size, extracted text and media type."""
        expected = {}
        with self._lock:
            attachments = {a.attachment.path: a.attachment for a in self.articles if a.attachment}
        for attachment in attachments.values():
            content = attachment_content(self.lang, self.seed, attachment)
            expected[canonical_url(self.lang, attachment.path)] = {
                "sha256": hashlib.sha256(content.data).hexdigest(),
                "size": len(content.data),
                "text": content.text,
                "media_type": attachment.media_type,
            }
        return expected

    # --- serving ---

    def respond(self, target: str) -> Response:
        """The response to a request target (`/path?query`), as the real site would answer."""
        path = _route(urlsplit(target))
        with self._lock:
            self.hits[target] += 1
            fault, uses = self.faults.get(path), self._fault_uses[path]
            while fault and fault.times is not None and uses >= fault.times:
                uses -= fault.times
                fault = fault.then
            self._fault_uses[path] += 1
            return fault.answer(self.page(target)) if fault else self.page(target)

    def page(self, target: str) -> Response:
        """The normal answer to a request target, without faults (and not counted in hits)."""
        split = urlsplit(target)
        path = _route(split)
        with self._lock:
            known = (*self._articles, *LISTINGS, *self.aliases)
            if _needs_slash(path) and path + "/" in known:
                location = split.path + "/" + (f"?{split.query}" if split.query else "")
                return Response(301, b"", headers={"Location": location})
            page = _page_number(split.query) if path in LISTINGS else 0
            key = (path, page)
            if key not in self._cache:
                self._cache[key] = self._render(path, page)
            return self._cache[key]

    def _render(self, path: str, page: int) -> Response:
        renderer = self.renderer
        if path == "/robots.txt":
            rules = "".join(f"Disallow: {p}\n" for p in self.robots_disallow) or "Disallow:\n"
            return Response(200, f"User-agent: *\n{rules}".encode(), "text/plain; charset=UTF-8")
        if path.startswith("/upload/"):
            return self._file(path)
        if path in LISTINGS:
            articles = self.listing(path)
            last = max(1, ceil(len(articles) / self.page_size))
            # Bitrix answers an out-of-range page with the last page.
            html = renderer.listing(path, articles, min(page, last), self.page_size)
            html = self._linked_as_aliases(path, html)
        elif path in self.aliases:
            alias = self.aliases[path]
            article = self._articles[unquote(alias.article)]
            html = renderer.detail(article, self._latest(article))
            if alias.declares:
                canonical = f'<link rel="canonical" href="{htmllib.escape(alias.article)}">\n'
                html = html.replace("</head>", canonical + "</head>", 1)
        elif path in self._articles:
            article = self._articles[path]
            html = renderer.detail(article, self._latest(article))
        elif path in STATIC_PAGES:
            html = renderer.static(path, self._latest(None))
        elif path == "/":
            statements = self.listing("/documents/statements/")[:3]
            html = renderer.home(self.listing("/news/")[:5], statements)
        else:
            return Response(404, renderer.not_found().encode())
        return Response(200, html.encode())

    def _linked_as_aliases(self, listing: str, html: str) -> str:
        """The listing page with every link to an aliased article pointing to the alias path."""
        moved = {a.article: a.path for a in self.aliases.values() if listing in a.listings}
        if not moved:
            return html

        def relinked(match: re.Match[str]) -> str:
            href = htmllib.unescape(match[1])
            path = urlsplit(urljoin(listing, href)).path
            return f'href="{htmllib.escape(moved[path])}"' if path in moved else match[0]

        return re.sub(r'href="([^"]*)"', relinked, html)

    def _latest(self, article: Article | None) -> list[Article]:
        """The sidebar: 3-6 of the newest news, never the page's own article."""
        count = random.Random(f"{self.seed}:latest:{article.id if article else -1}").randint(3, 6)
        news = [a for a in self.listing("/news/")[: count + 1] if a is not article]
        return news[:count]

    def _file(self, path: str) -> Response:
        file = self._files.get(path)
        if isinstance(file, Attachment):
            content = attachment_content(self.lang, self.seed, file)
            return Response(200, content.data, file.served_type)
        if isinstance(file, Image):
            return Response(200, _jpeg(path), "image/jpeg")
        return Response(404, self.renderer.not_found().encode())


def _newest_first(article: Article) -> tuple[int, int]:
    return (-article.published.toordinal(), article.id)


def _route(split: SplitResult) -> str:
    """The unquoted path a request target is served from: a detail addressed by element id
    (`/chairmanship/?ELEMENT_ID=23867`) keeps its id, any other query is dropped."""
    path = unquote(split.path)
    if path == "/chairmanship/":
        element = parse_qs(split.query).get("ELEMENT_ID", [""])[0]
        if element.isdigit():
            return f"{path}?ELEMENT_ID={element}"
    return path


def _needs_slash(path: str) -> bool:
    """Bitrix redirects a section or element path without its trailing slash."""
    return not path.endswith("/") and path not in STATIC_PAGES


def _page_number(query: str) -> int:
    """PAGEN_1 as Bitrix reads it: missing or invalid means page 1."""
    value = parse_qs(query).get("PAGEN_1", ["1"])[0]
    return max(1, int(value)) if value.isdigit() else 1


def _jpeg(path: str) -> bytes:
    """Small deterministic bytes framed as a JPEG (start and end markers)."""
    return b"\xff\xd8\xff\xe0" + hashlib.sha256(path.encode()).digest() * 8 + b"\xff\xd9"
