"""Everything the crawler knows about the CSTO website's hosts, sections and URLs.

One place decides what a URL means (listing, article, attachment, elsewhere) and what its canonical
form is, so item URLs, request de-duplication and the state store always agree: `normalise` is the
one canonicalisation of a URL's path and query, used for the site's URLs (`Site.canonical`) and for
any other URL, a mirror's included (`canonicalize_url`, request fingerprints).
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
# Listings of the news-like sections, by the name used in the dataset's `section` field.
KNOWN_SECTIONS = {
    "news_odkb": "/news/news_odkb/",
    "speech": "/news/speech/",
    "smi": "/news/smi/",
    "statements": "/documents/statements/",
}
# The known sections as the site's menu names them, by language: `section_title` in the dataset.
SECTION_TITLES = {
    "en": {
        "news_odkb": "CSTO News",
        "speech": "Speeches",
        "smi": "Media about the CSTO",
        "statements": "Statements",
    },
    "ru": {
        "news_odkb": "Новости ОДКБ",
        "speech": "Выступления",
        "smi": "СМИ об ОДКБ",
        "statements": "Заявления",
    },
}
# Parents under which further news-like sections are discovered (menu, "Back to the section").
SECTION_ROOTS = ("/news/", "/documents/")

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

_SEGMENT = r"[^/?#]+"
_SECTION_PATH_RE = re.compile(rf"^/(?:news|documents)/({_SEGMENT})/$")
_DETAIL_PATH_RE = re.compile(rf"^/(?:news|documents)/({_SEGMENT})/({_SEGMENT})/?$")
# `/news`, `/documents/statements`, `/news/speech/slug`: Bitrix redirects them to the slash.
_SLASHLESS_PATH_RE = re.compile(rf"^/(?:news|documents)(?:/{_SEGMENT}){{0,2}}$")


class UrlKind(Enum):
    ALL_NEWS = "all_news"
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


def normalise(url: str) -> str:
    """The canonical path and query of any http(s) URL, host untouched: junk parameters and the
    fragment dropped; a news section or article path without its trailing slash given one (Bitrix
    redirects it), `index.php` dropped; pager parameters dropped on an article; percent-encoding
    normalised and the query sorted (w3lib). Letter case is kept: the site has mixed-case paths."""
    parts = urlsplit(url)
    path = _slashed(parts.path or "/")
    article = bool(_DETAIL_PATH_RE.match(path))
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not is_junk_param(k) and not (article and _PAGER_PARAM_RE.match(k))
    ]
    rebuilt = urlunsplit((parts.scheme, parts.netloc, path, urlencode(query), ""))
    return w3lib_canonicalize_url(rebuilt, keep_blank_values=True)


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
    """One language of the site, optionally fetched through a mirror with the same paths.

    `base_url` is where requests go (the official origin, a local replica, a cache); item URLs are
    always canonical on the official host, whichever mirror served them.
    """

    lang: str = "en"
    base_url: str | None = None

    def __post_init__(self) -> None:
        if self.lang not in LANGS:
            raise ValueError(f"unknown language {self.lang!r}; expected one of {LANGS}")
        if self.base_url is not None:
            parts = urlsplit(self.base_url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ValueError(f"base_url must be an http(s) URL, got {self.base_url!r}")

    @property
    def official_origin(self) -> str:
        return f"https://{OFFICIAL_HOSTS[self.lang]}"

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
        return HOST_LANGS.get(host.split(":", 1)[0]) == self.lang

    def canonical(self, url: str) -> str | None:
        """The canonical form of a URL of this site, or None for another site or a non-web link."""
        return _canonical(self, url)

    def _canonical(self, url: str) -> str | None:
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not self._is_own_netloc(parts.netloc):
            return None
        official = ("https", OFFICIAL_HOSTS[self.lang], parts.path, parts.query, "")
        return normalise(urlunsplit(official))

    def fetch_url(self, canonical_url: str) -> str:
        """Where to request a canonical URL: the same path and query on the mirror."""
        parts = urlsplit(canonical_url)
        origin = urlsplit(self.fetch_origin)
        return urlunsplit((origin.scheme, origin.netloc, parts.path, parts.query, ""))

    def url_for_path(self, path: str) -> str:
        return f"{self.official_origin}{path}"

    def classify(self, canonical_url: str) -> UrlKind:
        parts = urlsplit(canonical_url)
        if parts.netloc != OFFICIAL_HOSTS[self.lang]:
            return UrlKind.FOREIGN
        path = parts.path
        if path.startswith("/upload/"):
            ext = _extension(path)
            return UrlKind.IMAGE if ext in IMAGE_EXTENSIONS else UrlKind.ATTACHMENT
        if _extension(path) in ATTACHMENT_EXTENSIONS:
            return UrlKind.ATTACHMENT
        query = {k for k, _ in parse_qsl(parts.query, keep_blank_values=True)}
        if path == ALL_NEWS_PATH:
            return UrlKind.ALL_NEWS
        if _SECTION_PATH_RE.match(path):
            return UrlKind.SECTION
        if _DETAIL_PATH_RE.match(path) and PAGE_PARAM not in query:
            return UrlKind.ARTICLE
        return UrlKind.OTHER

    @staticmethod
    def section_of(canonical_url: str) -> str | None:
        """The `section` of a listing or article URL: the segment after /news/ or /documents/."""
        path = urlsplit(canonical_url).path
        match = _SECTION_PATH_RE.match(path) or _DETAIL_PATH_RE.match(path)
        return match.group(1) if match else None

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
            if canonical is not None and self.listing_page(canonical) == (first_page_url, page + 1):
                return canonical
        return None


# Menus, pagers and sidebars repeat the same links on every page: canonicalise each once.
@lru_cache(maxsize=16384)
def _canonical(site: Site, url: str) -> str | None:
    return site._canonical(url)


@lru_cache(maxsize=8192)
def canonicalize_url(url: str) -> str:
    """Canonical form of any URL, for request fingerprints: site hosts mapped, junk removed."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    lang = HOST_LANGS.get(host)
    if lang is not None and parts.scheme in ("http", "https"):
        site_url = Site(lang).canonical(url)
        if site_url is not None:
            return site_url
    return normalise(url)
