"""Everything the crawler knows about the CSTO website's hosts, sections and URLs.

One place decides what a URL means (listing, article, attachment, elsewhere) and what its canonical
form is, so item URLs, request de-duplication and the state store always agree: `normalise_url` is
the one canonicalisation of a URL's path and query, used for the site's URLs (`Site.canonical`) and
for any other URL, a mirror's included (`canonicalize_url`, request fingerprints).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url as w3lib_canonicalize_url

LANGS = ("en", "ru")
OFFICIAL_HOSTS = {"en": "en.odkb-csto.org", "ru": "odkb-csto.org"}
# Every host name under which the site has been seen, mapped to its language.
HOST_LANGS = {
    "en.odkb-csto.org": "en",
    "www.en.odkb-csto.org": "en",
    "odkb-csto.org": "ru",
    "www.odkb-csto.org": "ru",
}

ALL_NEWS_PATH = "/news/"


@dataclass(frozen=True)
class Section:
    """A listing of dated articles: its name in the dataset's `section` field, the path of its
    first page, the paths of its articles, and its name in the site's menu by language."""

    name: str
    listing: str
    article: re.Pattern[str]  # matched against the path (and, for ELEMENT_ID details, the query)
    titles: tuple[str, str]  # (en, ru): `section_title` in the dataset


_SEGMENT = r"[^/?#]+"
# Every section whose listing the crawl starts from, in the order it requests them: the news
# sections, then the other parts of the site that publish dated news (site-map.md, issue 22).
SECTIONS = (
    Section("news_odkb", "/news/news_odkb/",
            re.compile(rf"^/news/news_odkb/{_SEGMENT}/$"), ("CSTO News", "Новости ОДКБ")),
    Section("speech", "/news/speech/",
            re.compile(rf"^/news/speech/{_SEGMENT}/$"), ("Speeches", "Выступления")),
    Section("smi", "/news/smi/",
            re.compile(rf"^/news/smi/{_SEGMENT}/$"), ("Media about the CSTO", "СМИ об ОДКБ")),
    Section("statements", "/documents/statements/",
            re.compile(rf"^/documents/statements/{_SEGMENT}/$"), ("Statements", "Заявления")),
    Section("permanent_council", "/authorized_organs/permanent_council/",
            re.compile(rf"^/authorized_organs/permanent_council/{_SEGMENT}/$"),
            ("Permanent Council", "Постоянный совет")),
    Section("secretariat", "/authorized_organs/secretariat/",
            re.compile(rf"^/authorized_organs/secretariat/{_SEGMENT}/$"),
            ("CSTO Secretariat", "Секретариат ОДКБ")),
    # /session/<YYYY>/session<YYYY>[MM]/: one page per session of the Collective Security Council.
    Section("session", "/session/", re.compile(r"^/session/\d{4}/session\d{4,6}/$"),
            ("Sessions of the Collective Security Council",
             "Сессии Совета коллективной безопасности")),
    # /training/<exercise>/<slug>/: mixed-case exercise folders (CSTO_collective_forces).
    Section("training", "/training/", re.compile(rf"^/training/{_SEGMENT}/{_SEGMENT}/$"),
            ("Joint training", "Совместные учения")),
    # /international_org/<org>/<slug>/: cooperation with the UN, OSCE, SCO.
    Section("international_org", "/international_org/",
            re.compile(rf"^/international_org/{_SEGMENT}/{_SEGMENT}/$"),
            ("International organisations", "Международные организации")),
    # Details addressed by element id only: /chairmanship/?ELEMENT_ID=23867.
    Section("chairmanship", "/chairmanship/", re.compile(r"^/chairmanship/\?ELEMENT_ID=\d+$"),
            ("Chairmanship", "Председательство")),
)  # fmt: skip
# The sections under /news/ and /documents/, which the shapes of SECTION_ROOTS already know
# (and under /authorized_organs/, whose table entries are named as a discovered listing would be).
NEWS_SECTIONS = ("news_odkb", "speech", "smi", "statements")
SECTIONS_BY_NAME = {section.name: section for section in SECTIONS}
# Listings of the sections, by the name used in the dataset's `section` field.
KNOWN_SECTIONS = {section.name: section.listing for section in SECTIONS}


@dataclass(frozen=True)
class Portal:
    """One website the crawler knows: its official host and path prefix by language, and the
    sections whose listings a crawl starts from (paths below the prefix). The CSTO site itself
    puts each language on a host of its own; the sister sites serve both on one host, English
    under /en/ (site-map.md 1.3)."""

    name: str
    hosts: tuple[str, str]  # (en, ru) official host
    prefixes: tuple[str, str]  # (en, ru) path prefix, "" or "/en"
    sections: tuple[Section, ...]
    all_news: str | None  # the listing of every section's news, if the site has one
    # Pages read only for their links to listings the table lacks (the home page's tabs).
    discovery: tuple[str, ...] = ()

    def host(self, lang: str) -> str:
        return self.hosts[LANGS.index(lang)]

    def prefix(self, lang: str) -> str:
        return self.prefixes[LANGS.index(lang)]

    def local_path(self, lang: str, path: str) -> str | None:
        """The path below the language's prefix, or None if the path is not under it."""
        prefix = self.prefix(lang)
        if not prefix:
            return path
        return path[len(prefix) :] if path.startswith(prefix + "/") else None


def _sister(name: str, titles: tuple[str, str]) -> Portal:
    """A sister site under odkb-csto.org: one news listing, `/en/news/<slug>/` in English
    (observed), `/news/<slug>/` in Russian (assumed: Bitrix's default language at the root)."""
    host = f"{name}.odkb-csto.org"
    news = Section("news", "/news/", re.compile(rf"^/news/{_SEGMENT}/$"), titles)
    return Portal(name, (host, host), ("/en", ""), (news,), None)


CSTO = "csto"
PORTALS = {
    CSTO: Portal(CSTO, (OFFICIAL_HOSTS["en"], OFFICIAL_HOSTS["ru"]), ("", ""), SECTIONS,
                 ALL_NEWS_PATH, ("/?c-tab=statements", "/?gen-tab=press")),
    # The CSTO Joint Staff (jscsto.odkb-csto.org/en/, /en/news/<slug>/).
    "jscsto": _sister("jscsto", ("Joint Staff news", "Новости Объединенного штаба")),
    # The anti-drug coordination council (ksopn.odkb-csto.org/en/news/<underscore_slug>/).
    "ksopn": _sister("ksopn", ("Anti-drug Coordination Council news",
                               "Новости Координационного совета по противодействию наркотикам")),
}  # fmt: skip
# Sister site host -> its portal (the CSTO site's own hosts are HOST_LANGS).
SISTER_HOSTS = {
    host: portal for portal in PORTALS.values() if portal.name != CSTO for host in portal.hosts
}
# Parents under which further news-like sections are discovered (menu, "Back to the section",
# the parent's own page): a listing found there is named by its path's last segment, and is one
# only if its page lists articles of its own (`/authorized_organs/collective_security_council/`
# is a body's static description). /international_org/<org>/ adds no section: the table's
# /international_org/ lists every organisation's articles.
SECTION_ROOTS = ("/news/", "/documents/", "/authorized_organs/")
# The parents' own pages, read for their links (ALL_NEWS is /news/'s).
DISCOVERY_ROOTS = frozenset(SECTION_ROOTS) - {ALL_NEWS_PATH}

PAGE_PARAM = "PAGEN_1"
# Query parameters that Bitrix and trackers add without changing the page: `sphrase_id` is added by
# Bitrix's search module to every link from a search result.
JUNK_PARAMS = frozenset(
    {
        "bxajaxid",
        "sessid",
        "clear_cache",
        "print",
        "back_url",
        "back_url_admin",
        "show_all",
        "sphrase_id",
        "bitrix_include_areas",
        "fbclid",
        "gclid",
        "yclid",
        "ysclid",
        "_openstat",
    }
)
JUNK_PARAM_PREFIXES = ("utm_",)
# Pager parameters of Bitrix components (`PAGEN_<n>`, `SIZEN_<n>`, `SHOWALL_<n>`): on a detail page
# they page a sidebar or a second list, never the article.
_PAGER_PARAM_RE = re.compile(r"^(?:pagen|sizen|showall)_\d+$", re.IGNORECASE)
# Extensions of pages and scripts: a path ending in one (or in an attachment's or an image's)
# never gets a trailing slash.
_PAGE_EXTENSIONS = frozenset({"php", "html", "htm", "asp", "aspx", "xml", "json"})

ATTACHMENT_EXTENSIONS = frozenset(
    {"docx", "doc", "pdf", "rtf", "odt", "xls", "xlsx", "ppt", "pptx", "zip", "rar", "7z", "txt"}
)
IMAGE_EXTENSIONS = frozenset({"jpg", "jpeg", "png", "gif", "webp", "bmp", "tif", "tiff", "svg"})

_ROOTS = "|".join(root.strip("/") for root in SECTION_ROOTS)
_SECTION_PATH_RE = re.compile(rf"^/(?:{_ROOTS})/({_SEGMENT})/$")
_DETAIL_PATH_RE = re.compile(rf"^/(?:{_ROOTS})/({_SEGMENT})/({_SEGMENT})/?$")
# The home page's tabs (`/?c-tab=statements`, `/?gen-tab=press`): discovery pages too.
_TAB_PARAM_RE = re.compile(r"^[a-z]+-tab$")
# `/news`, `/documents/statements`, `/news/speech/slug`, `/session/2015/session201509`: Bitrix
# redirects them to the slash.
_SLASHLESS_PATH_RE = re.compile(
    rf"^(?:/en)?/(?:news|documents|authorized_organs|session|training|international_org|chairmanship)"
    rf"(?:/{_SEGMENT}){{0,2}}$"
)
_LISTING_SECTIONS = {section.listing: section.name for section in SECTIONS}
# A URL that w3lib's canonicalize_url gives back unchanged (8 of normalise_url's 14 µs): a
# lower-case host, a port without leading zeros, a path of unreserved characters without dot
# segments or percent signs, and a single parameter at most (nothing to sort).
_CANONICAL_AS_IS_RE = re.compile(
    r"https?://[a-z0-9-]+(?:\.[a-z0-9-]+)*(?::[1-9][0-9]{0,3})?"
    r"(?:/|(?:/(?!\.\.?(?:/|\?|$))[\w.~-]+)+/?)(?:\?[\w.-]+=[\w.-]+)?",
    re.ASCII,
)
# A path and query that urlsplit and urlunsplit give back unchanged: no fragment, no characters
# urlsplit drops, not an empty query.
_KEPT_AS_IS_RE = re.compile(r"/[^#\t\r\n]*(?<!\?)")


class UrlKind(Enum):
    ALL_NEWS = "all_news"
    DISCOVERY = "discovery"  # read for its links to listings only (SECTION_ROOTS, home tabs)
    SECTION = "section"
    ARTICLE = "article"
    ATTACHMENT = "attachment"
    IMAGE = "image"
    OTHER = "other"  # on the site, but not part of the news crawl
    FOREIGN = "foreign"  # another site: never requested


def is_junk_param(name: str) -> bool:
    lowered = name.lower()
    return lowered in JUNK_PARAMS or lowered.startswith(JUNK_PARAM_PREFIXES)


def strip_junk_params(url: str) -> str:
    """Drop tracking/AJAX parameters and the fragment, keeping the rest of the URL as it is."""
    parts = urlsplit(url)
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_junk_param(k)
    ]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def normalise_url(url: str) -> str:
    """The canonical path and query of any http(s) URL, host untouched: junk parameters and the
    fragment dropped; a news section or article path without its trailing slash given one (Bitrix
    redirects it), `index.php` dropped; pager parameters dropped on an article; percent-encoding
    normalised and the query sorted (w3lib). Letter case is kept: the site has mixed-case paths."""
    parts = urlsplit(url)
    path = _slashed(parts.path or "/")
    article = bool(_DETAIL_PATH_RE.match(path) or _further_section(path, parts.query, 0))
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not is_junk_param(k) and not (article and _PAGER_PARAM_RE.match(k))
    ]
    rebuilt = urlunsplit((parts.scheme, parts.netloc, path, urlencode(query), ""))
    if _CANONICAL_AS_IS_RE.fullmatch(rebuilt):  # most links: w3lib would give it back unchanged
        return rebuilt
    return w3lib_canonicalize_url(rebuilt, keep_blank_values=True)


def _further_section(path: str, query: str, index: int) -> str | None:
    """The section other than /news/ and /documents/ whose listing (`index` 1) or article
    (`index` 0) this path is, by the shapes in SECTIONS; an ELEMENT_ID detail is matched with it."""
    if index:
        return None if "ELEMENT_ID" in query else _LISTING_SECTIONS.get(path)
    element = [v for k, v in parse_qsl(query, keep_blank_values=True) if k == "ELEMENT_ID"]
    target = f"{path}?ELEMENT_ID={element[0]}" if len(element) == 1 else path
    for section in SECTIONS[len(NEWS_SECTIONS) :]:
        if section.article.match(target):
            return section.name
    return None


def _slashed(path: str) -> str:
    """A news section or article path with its trailing slash, without a trailing `index.php`."""
    if path.endswith("/index.php"):
        path = path[: -len("index.php")]
    if path.endswith("/") or not _SLASHLESS_PATH_RE.match(path):
        return path
    if _extension(path) in ATTACHMENT_EXTENSIONS | IMAGE_EXTENSIONS | _PAGE_EXTENSIONS:
        return path
    return path + "/"


def _extension(path: str) -> str:
    last = path.rsplit("/", 1)[-1]
    return last.rsplit(".", 1)[-1].lower() if "." in last else ""


@dataclass(frozen=True)
class Site:
    """One language of a site (`portal`: the CSTO site or a sister site, PORTALS), optionally
    fetched through a mirror with the same paths.

    `base_url` is where requests go (the official origin, a local replica, a cache); item URLs are
    always canonical on the official host, whichever mirror served them.
    """

    lang: str = "en"
    base_url: str | None = None
    portal: str = CSTO

    def __post_init__(self) -> None:
        if self.lang not in LANGS:
            raise ValueError(f"unknown language {self.lang!r}; expected one of {LANGS}")
        if self.portal not in PORTALS:
            raise ValueError(f"unknown site {self.portal!r}; expected one of {tuple(PORTALS)}")
        if self.base_url is not None:
            parts = urlsplit(self.base_url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ValueError(f"base_url must be an http(s) URL, got {self.base_url!r}")

    @property
    def profile(self) -> Portal:
        return PORTALS[self.portal]

    @property
    def official_host(self) -> str:
        return self.profile.host(self.lang)

    @property
    def official_origin(self) -> str:
        return f"https://{self.official_host}"

    @property
    def sections(self) -> dict[str, str]:
        """The listings a crawl starts from, by section name: paths below the language's prefix."""
        return {section.name: section.listing for section in self.profile.sections}

    def section_title(self, section: str) -> str | None:
        """The section's name in the site's menu in this language: `section_title` (None for a
        discovered section)."""
        titles = {s.name: s.titles[LANGS.index(self.lang)] for s in self.profile.sections}
        return titles.get(section)

    def owns_host(self, host: str) -> bool:
        """An official host name of this site and language, with or without www."""
        if self.portal == CSTO:
            return HOST_LANGS.get(host) == self.lang
        return host in (self.official_host, f"www.{self.official_host}")

    @property
    def fetch_origin(self) -> str:
        if self.base_url is None:
            return self.official_origin
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def fetch_host(self) -> str:
        return urlsplit(self.fetch_origin).hostname or ""

    def _is_own_netloc(self, netloc: str) -> bool:
        host = netloc.lower().rsplit("@", 1)[-1]
        if host == urlsplit(self.fetch_origin).netloc.lower():
            return True
        return self.owns_host(host.split(":", 1)[0])

    def canonical(self, url: str) -> str | None:
        """The canonical form of a URL of this site, or None for another site or a non-web link."""
        return _canonical(self, url)

    def _canonical(self, url: str) -> str | None:
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not self._is_own_netloc(parts.netloc):
            return None
        official = ("https", self.official_host, parts.path, parts.query, "")
        return normalise_url(urlunsplit(official))

    def fetch_url(self, canonical_url: str) -> str:
        """Where to request a canonical URL: the same path and query on the mirror."""
        rest = canonical_url[len(self.official_origin) :]
        if canonical_url.startswith(self.official_origin) and _KEPT_AS_IS_RE.fullmatch(rest):
            return self.fetch_origin + rest  # what splitting and joining it again would give
        parts = urlsplit(canonical_url)
        origin = urlsplit(self.fetch_origin)
        return urlunsplit((origin.scheme, origin.netloc, parts.path, parts.query, ""))

    def url_for_path(self, path: str) -> str:
        """The canonical URL of a path below the language's prefix (a section's listing)."""
        return f"{self.official_origin}{self.profile.prefix(self.lang)}{path}"

    def classify(self, canonical_url: str) -> UrlKind:
        """What a canonical URL of this site is (its kind decides what the crawl does with it)."""
        return _classified(self, canonical_url)

    def _classify(self, canonical_url: str) -> UrlKind:
        parts = urlsplit(canonical_url)
        if parts.netloc != self.official_host:
            return UrlKind.FOREIGN
        path = parts.path
        if path.startswith("/upload/"):
            ext = _extension(path)
            return UrlKind.IMAGE if ext in IMAGE_EXTENSIONS else UrlKind.ATTACHMENT
        if _extension(path) in ATTACHMENT_EXTENSIONS:
            return UrlKind.ATTACHMENT
        if self.portal != CSTO:
            match = _sister_match(self.profile, self.lang, path)
            return UrlKind.OTHER if match is None else match[1]
        query = {k for k, _ in parse_qsl(parts.query, keep_blank_values=True)}
        if path == ALL_NEWS_PATH:
            return UrlKind.ALL_NEWS
        if path in DISCOVERY_ROOTS or (path == "/" and any(map(_TAB_PARAM_RE.match, query))):
            return UrlKind.DISCOVERY
        if _SECTION_PATH_RE.match(path) or _further_section(path, parts.query, 1):
            return UrlKind.SECTION
        if PAGE_PARAM in query:
            return UrlKind.OTHER
        if _DETAIL_PATH_RE.match(path) or _further_section(path, parts.query, 0):
            return UrlKind.ARTICLE
        return UrlKind.OTHER

    @staticmethod
    def section_of(canonical_url: str) -> str | None:
        """The `section` of a listing or article URL: the segment after /news/ or /documents/,
        or the name of the further section (SECTIONS) whose shape it has; on a sister site, the
        section whose listing or article it is."""
        parts = urlsplit(canonical_url)
        if (portal := SISTER_HOSTS.get(parts.netloc)) is not None:
            matches = (_sister_match(portal, lang, parts.path) for lang in LANGS)
            return next((match[0] for match in matches if match is not None), None)
        match = _SECTION_PATH_RE.match(parts.path) or _DETAIL_PATH_RE.match(parts.path)
        if match:
            return match.group(1)
        return _further_section(parts.path, parts.query, 0) or _further_section(
            parts.path, parts.query, 1
        )

    def listing_page(self, canonical_url: str) -> tuple[str, int]:
        """A listing URL's identity (its path: other pager parameters do not make a new listing)
        and its page number."""
        parts = urlsplit(canonical_url)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        try:
            page = max(int(query.get(PAGE_PARAM, "1")), 1)
        except ValueError:
            page = 1
        return urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")), page

    def next_page(self, first_page_url: str, page: int, links: list[str]) -> str | None:
        """The link to page `page + 1` of a listing, whatever other pager parameters it carries."""
        for link in links:
            canonical = self.canonical(link)
            if (
                canonical is not None
                and PAGE_PARAM in canonical  # from page 2 on: not a menu's link
                and self.listing_page(canonical) == (first_page_url, page + 1)
            ):
                return canonical
        return None


def _sister_match(portal: Portal, lang: str, path: str) -> tuple[str, UrlKind] | None:
    """The section and kind of a sister site's path in one language: a listing or an article."""
    local = portal.local_path(lang, path)
    for section in portal.sections if local is not None else ():
        if local == section.listing:
            return section.name, UrlKind.SECTION
        if section.article.match(local or ""):
            return section.name, UrlKind.ARTICLE
    return None


# Menus, pagers and sidebars repeat the same links on every page: canonicalise each once. 2,048
# holds them many times over; 16,384 also kept every article's URLs, 4 MiB of the crawl process's
# growth at 5,000 articles, to save 0.1 CPU s a crawl (docs/benchmarks.md, "Peak memory").
@lru_cache(maxsize=2048)
def _canonical(site: Site, url: str) -> str | None:
    return site._canonical(url)


@lru_cache(maxsize=2048)
def _classified(site: Site, canonical_url: str) -> UrlKind:
    return site._classify(canonical_url)


@lru_cache(maxsize=2048)
def canonicalize_url(url: str) -> str:
    """Canonical form of any URL, for request fingerprints: site hosts mapped, junk removed."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    lang = HOST_LANGS.get(host)
    if lang is not None and parts.scheme in ("http", "https"):
        site_url = Site(lang).canonical(url)
        if site_url is not None:
            return site_url
    return normalise_url(url)


@dataclass(frozen=True)
class ArticleLinkFilter:
    """Maps a link to the canonical URL of an article in a wanted section, or None.

    A plain value (picklable), so listings can be parsed in a worker process; it lives here, not
    in the spider, so a worker that unpickles it imports no Scrapy (0.4 s of CPU per crawl).
    """

    site: Site
    sections: frozenset[str] | None  # None: every section

    def wants(self, section: str | None) -> bool:
        return section is not None and (self.sections is None or section in self.sections)

    def __call__(self, url: str) -> str | None:
        return _article_of(self, url)

    def _article(self, url: str) -> str | None:
        canonical = self.site.canonical(url)
        if canonical is None or self.site.classify(canonical) is not UrlKind.ARTICLE:
            return None
        return canonical if self.wants(self.site.section_of(canonical)) else None


# Every listing page links the same menus, sections and pager: each link is judged once (bounded
# as the caches above).
@lru_cache(maxsize=2048)
def _article_of(links: ArticleLinkFilter, url: str) -> str | None:
    return links._article(url)
