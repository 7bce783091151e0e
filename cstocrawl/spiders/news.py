"""The news spider: walks every section's listings (site.SECTIONS), makes each article an item;
the sister sites' spiders (jscsto, ksopn) are the same spider on another site (site.PORTALS).

Usage: scrapy crawl news [-a lang=ru] [-a base_url=http://127.0.0.1:8800]
                         [-a sections=news_odkb,statements] [-a max_pages=N] [-a full=1]
       scrapy crawl jscsto|ksopn [-a lang=ru] ...  (into output/jscsto, output/ksopn by default)

Incremental by default (cstocrawl/store/incremental.py decides what to request); full=1 re-crawls
and re-emits everything.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, Self, TypeVar

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from cstocrawl import settings as project
from cstocrawl.exceptions import NotArchived
from cstocrawl.items import Article, Attachment
from cstocrawl.parsing.dates import parse_date
from cstocrawl.parsing.detail import DetailPage, parse_detail
from cstocrawl.parsing.evidence import ListingEvidence
from cstocrawl.parsing.language import language_problem
from cstocrawl.parsing.listing import ListingEntry, ListingPage, parse_listing
from cstocrawl.problems import Problem
from cstocrawl.processes.extension import Workers
from cstocrawl.processes.workers import WorkerError, WorkersStopped
from cstocrawl.runs.extension import RunLifecycle
from cstocrawl.runs.run import iso_utc, utc_now
from cstocrawl.runs.statkeys import (
    ARTICLE_CANONICAL_CONFIRMED,
    ARTICLE_CANONICAL_IGNORED,
    ARTICLE_NOT_HTML,
    ARTICLE_PAGES,
    ARTICLE_SECOND_OPINION,
    DISCOVERY_PAGES,
    EVIDENCE_TITLED,
    INCREMENTAL_SKIPPED,
    LISTING_DISCOVERED,
    LISTING_EMPTY,
    LISTING_ENTRIES,
    LISTING_MAX_PAGES_REACHED,
    LISTING_NOT_HTML,
    LISTING_PAGES,
    REPLAY_NOT_ARCHIVED_CLAIM,
    RETRY_REQUESTED,
    cancelled_key,
    failed_key,
    not_archived_key,
    problem_key,
    skipped_key,
)
from cstocrawl.signals import page_failed, page_read
from cstocrawl.site import CSTO, LANGS, PORTALS, ArticleLinkFilter, Site, UrlKind
from cstocrawl.store.incremental import Plan, plan_of

T = TypeVar("T")
ROBOTS_FORBIDDEN = "Forbidden by robots.txt"  # RobotsTxtMiddleware's IgnoreRequest message


class NewsSpider(scrapy.Spider):
    name = "news"
    portal = CSTO  # the site crawled (site.PORTALS)

    # The -a arguments `scrapy crawl news` takes (Arguments says what each means).
    ARGUMENTS = ("lang", "base_url", "sections", "max_pages", "full")

    def __init__(self, **kwargs: Any) -> None:
        arguments = self.check_arguments(
            {name: value for name, value in kwargs.items() if name not in _SPIDER_KWARGS}
        )
        super().__init__(**{name: kwargs[name] for name in _SPIDER_KWARGS if name in kwargs})
        self.site = Site(arguments.lang, arguments.base_url, self.portal)
        self.article_links = ArticleLinkFilter(self.site, arguments.sections)
        self._max_pages_arg = arguments.max_pages
        self.full = arguments.full
        # Read from the state when the crawl starts; until then (scrapy parse, scrapy shell) every
        # article counts as unknown.
        self.plan = Plan({}, date.max)
        self.allowed_domains = [self.site.fetch_host]
        # Detail URLs each listing has shown, to stop paging when a page repeats the last one.
        self._shown_by_listing: defaultdict[str, set[str]] = defaultdict(set)
        # Listings already requested: every page links them again, no need to make the scheduler
        # fingerprint and drop thousands of duplicate requests.
        self._requested_listings: set[str] = set()
        self._retries_requested = False
        # Every page links the same menu and section listings: each link is judged once. Bounded
        # (article links are mostly new, and least recently used): the menus fit many times over.
        self._listing_linked = lru_cache(maxsize=512)(self._listing_link)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.spider_idle, signal=signals.spider_idle)
        return spider

    @classmethod
    def check_arguments(cls, arguments: Mapping[str, Any]) -> Arguments:
        """The spider's arguments, checked; ValueError, in one line naming the argument, if not."""
        unknown = sorted(set(arguments) - set(cls.ARGUMENTS))
        if unknown:
            given = ", ".join(f"-a {name}={arguments[name]}" for name in unknown)
            raise ValueError(f"unknown argument {given}; known: {', '.join(sorted(cls.ARGUMENTS))}")
        return Arguments.parse(arguments, cls.portal)

    @property
    def max_pages(self) -> int:
        return self._max_pages_arg or self.settings.getint("CSTOCRAWL_MAX_PAGES")

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if (life := self.crawler.get_extension(RunLifecycle)) is not None:
            self.plan = plan_of(life, self.settings.getint("CSTOCRAWL_RECHECK_DAYS"))
        all_news = self.site.profile.all_news
        if self.article_links.sections is None and all_news is not None:
            yield self._listing(self.site.url_for_path(all_news))
        for name, path in self.site.sections.items():
            if self.article_links.wants(name):
                yield self._listing(self.site.url_for_path(path))
        if self.discovering:
            for path in self.site.profile.discovery:
                yield self._listing(self.site.url_for_path(path))

    @property
    def discovering(self) -> bool:
        """Whether the crawl looks for listings the table lacks: when it reads every section
        (`-a sections=` names the table's only)."""
        return self.article_links.sections is None

    def _listing(self, canonical_url: str) -> scrapy.Request:
        """A listing page this run asks for, remembered so that links to it are not followed."""
        self._requested_listings.add(canonical_url)
        return self.listing_request(canonical_url)

    def listing_request(self, canonical_url: str) -> scrapy.Request:
        """The request that reads a listing page (public: re-extraction schedules these too)."""
        return scrapy.Request(
            self.site.fetch_url(canonical_url),
            callback=self.parse_listing_page,
            errback=self.request_failed,
        )

    def article_request(
        self, canonical_url: str, listing: ListingEvidence | None
    ) -> scrapy.Request:
        """The request that reads an article page with what its listing entry showed (None: no
        entry); public: re-extraction schedules these too."""
        return scrapy.Request(
            self.site.fetch_url(canonical_url),
            callback=self.parse_article,
            errback=self.request_failed,
            cb_kwargs={"canonical_url": canonical_url, "listing": listing},
            # Before the next listing page: otherwise (LIFO) the pager runs ahead and the
            # articles it lists pile up in the scheduler.
            priority=1,
        )

    def parse(self, response: Response, **kwargs: Any) -> Any:
        """`scrapy parse --spider news URL` without -c: the callback the URL's kind calls for."""
        canonical = self.site.canonical(response.url)
        if canonical is not None and self.site.classify(canonical) is UrlKind.ARTICLE:
            return self.parse_article(response)
        return self.parse_listing_page(response)

    async def parse_listing_page(self, response: Response) -> AsyncIterator[scrapy.Request]:
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value(LISTING_NOT_HTML)
            self.logger.error("Listing is not an HTML page: %s", response.url)
            return
        page_url = self.site.canonical(response.url) or response.url
        first_page, page = self.site.listing_page(page_url)
        found = self._found_section(page_url)
        links = self.article_links if found is None else ArticleLinkFilter(self.site, found)
        listing = await self.parsed(
            "listing", response, parse_listing, response.text, response.url, links
        )
        if listing is None:
            return
        if response.request is not None:  # off the retry list, if it was on it
            url = self._requested(response.request)
            self.crawler.signals.send_catch_log(page_read, url=url, kind="listing")
        others = _not_entries(listing)
        if self.site.classify(page_url) is UrlKind.DISCOVERY or (found and not listing.entries):
            # Read for its links only: a parent's page, a home tab, a static page found where a
            # listing could be (never articles; not a listing that showed none).
            self.crawler.stats.inc_value(DISCOVERY_PAGES)
            for request in self.follow_listings(others):
                yield request
            return
        if found and page == 1:
            self._discovered(first_page, self.site.section_of(first_page))
        self._count_listing(response.url, listing)

        seen = self._shown_by_listing[first_page]
        new_here = [entry for entry in listing.entries if entry.key not in seen]
        seen.update(entry.key for entry in listing.entries)
        for request in self._article_requests(listing, new_here):
            yield request
        for request in self.follow_listings(others):
            yield request
        next_page = self._next_page(first_page, page, listing, others, bool(new_here))
        if next_page is not None:
            yield self._listing(next_page)

    def _count_listing(self, url: str, listing: ListingPage) -> None:
        """A listing page read, its entries counted: the health check reads these."""
        self.crawler.stats.inc_value(LISTING_PAGES)
        self.crawler.stats.inc_value(LISTING_ENTRIES, len(listing.entries))
        if not listing.entries:
            self.crawler.stats.inc_value(LISTING_EMPTY)
            self.logger.warning("Listing page shows no articles: %s", url)

    def _found_section(self, page_url: str) -> frozenset[str] | None:
        """The section of a listing the table lacks, whose entries are only its own section's
        links (a static page's sidebar links other sections' news); None for any other page."""
        section = self.site.section_of(page_url)
        if section is None or section in self.site.sections:
            return None
        return None if self.site.classify(page_url) is UrlKind.DISCOVERY else frozenset({section})

    def _article_requests(
        self, listing: ListingPage, entries: list[ListingEntry]
    ) -> Iterator[scrapy.Request]:
        """The entries' articles the run's plan wants, each with what its entry showed."""
        for entry in entries:
            if not self.plan.should_fetch(entry.key):
                self.crawler.stats.inc_value(INCREMENTAL_SKIPPED)
                continue
            yield self.article_request(entry.key, listing.evidence(entry))

    def _next_page(
        self, first_page: str, page: int, listing: ListingPage, links: list[str], shows_new: bool
    ) -> str | None:
        """The listing's next page among `links`, unless paging on is pointless (nothing new, only
        known articles) or the cap is reached; why it stopped is logged."""
        next_page = self.site.next_page(first_page, page, links)
        if next_page is None:
            return None
        if not shows_new:
            self.logger.info("Stopped paging %s: page %d shows nothing new", first_page, page)
        elif not self.plan.keep_paging(entry.key for entry in listing.entries):
            self.logger.info("Stopped paging %s at page %d: only known articles", first_page, page)
        elif page >= self.max_pages:
            self.crawler.stats.inc_value(LISTING_MAX_PAGES_REACHED)
            self.logger.warning("Stopped paging %s at the cap of %d pages", first_page, page)
        else:
            return next_page
        return None

    def request_failed(self, failure: Failure) -> None:
        """Record a page lost after retries (or skipped by robots.txt): a log line and a stat."""
        request: scrapy.Request = failure.request  # type: ignore[attr-defined]  # set by Scrapy
        url = request.meta.get("redirect_urls", [request.url])[0]
        kind = "listing" if request.callback == self.parse_listing_page else "article"
        error = failure.value
        message = failure.getErrorMessage()
        if isinstance(error, HttpError):
            reason = f"HTTP {error.response.status}"
        else:
            reason = f"{type(error).__name__}: {message}" if message else type(error).__name__
        if isinstance(error, NotArchived):  # a re-extraction whose WARC files lack it: no loss
            self.crawler.stats.inc_value(not_archived_key(kind))
            self.logger.warning("Skipped %s %s: %s", kind, url, message)
            return
        if isinstance(error, IgnoreRequest) and message == ROBOTS_FORBIDDEN:
            self.crawler.stats.inc_value(skipped_key(kind))
            self.logger.warning("Skipped %s %s: %s", kind, url, ROBOTS_FORBIDDEN)
            return
        self.page_lost(request, kind, url, reason)

    def page_lost(self, request: scrapy.Request, kind: str, url: str, reason: str) -> None:
        """A page fetched or not, but not read: a stat, a log line, and the retry list (the state
        pipeline listens), so the next runs request it again."""
        self.crawler.stats.inc_value(failed_key(kind))
        self.logger.error("Failed %s %s: %s", kind, url, reason)
        listing = request.cb_kwargs.get("listing")
        self.crawler.signals.send_catch_log(
            page_failed,
            url=self._requested(request),
            kind=kind,
            reason=reason,
            summary=listing.teaser if isinstance(listing, ListingEvidence) else None,
        )

    def _requested(self, request: scrapy.Request) -> str:
        """The canonical URL a request was made for, before any redirect: the retry list's key."""
        url: str = request.meta.get("redirect_urls", [request.url])[0]
        return self.site.canonical(url) or url

    async def parsed(
        self, kind: str, response: TextResponse, function: Callable[..., T], *args: Any
    ) -> T | None:
        """`function(*args)` in a worker; None, and the page recorded as lost, when the worker
        died or ran out of time or memory; as cancelled when the crawl is stopping."""
        try:
            return await Workers.of(self.crawler).run(function, *args)
        except WorkersStopped:
            # SIGTERM or Ctrl-C: not a fault of the page, nor of the site; the run is discarded
            # and the next one reads the page (issue 19).
            self.crawler.stats.inc_value(cancelled_key(kind))
            self.logger.info("Cancelled %s %s: the crawl was stopping", kind, response.url)
            return None
        except WorkerError as error:
            request = response.request or scrapy.Request(response.url)
            self.page_lost(request, kind, response.url, f"{type(error).__name__}: {error}")
            return None

    def spider_idle(self) -> None:
        """Once the crawl ran out of requests: what earlier runs failed (the retry list) and this
        one has not requested; the scheduler drops those it has."""
        if self._retries_requested:
            return
        self._retries_requested = True
        requests = list(self.retry_requests())
        assert self.crawler.engine is not None
        for request in requests:
            self.crawler.engine.crawl(request)
        if requests:
            self.crawler.stats.set_value(RETRY_REQUESTED, len(requests))
            raise DontCloseSpider

    def retry_requests(self) -> Iterator[scrapy.Request]:
        requested: set[str] = set()
        for retry in self.plan.retries:
            if retry.kind == "listing":
                section = self.site.section_of(retry.url)
                if section is None or self.article_links.wants(section):
                    yield self._listing(retry.url)
                continue
            url = retry.article if retry.kind == "attachment" else retry.url
            if url is None or url in requested or self.article_links(url) is None:
                continue
            requested.add(url)
            yield self.article_request(url, ListingEvidence(teaser=retry.summary))

    def follow_listings(self, links: list[str]) -> Iterator[scrapy.Request]:
        """Section listings linked from the menu or "Back to ..." links (page 1 only), and the
        pages that may link listings the table lacks (site.SECTION_ROOTS', the home tabs)."""
        for link in links:
            listing = self._listing_linked(link)
            if listing is not None and listing not in self._requested_listings:
                yield self._listing(listing)

    def _listing_link(self, link: str) -> str | None:
        """The listing a link leads to that this crawl reads (its first page), or None."""
        canonical = self.site.canonical(link)
        if canonical is None:
            return None
        kind = self.site.classify(canonical)
        if kind not in _LISTING_KINDS:  # most links: articles, files, images
            return None
        first_page, page = self.site.listing_page(canonical)
        if page != 1:
            return None
        if kind is UrlKind.DISCOVERY:  # a home tab is its query: the page as linked
            return canonical if self.discovering else None
        section = self.site.section_of(canonical)
        wanted = (kind is UrlKind.SECTION and self.article_links.wants(section)) or (
            kind is UrlKind.ALL_NEWS and self.article_links.sections is None
        )
        return first_page if wanted else None

    def _discovered(self, listing: str, section: str | None) -> None:
        """A listing under site.SECTION_ROOTS that site.SECTIONS does not name, found listing its
        own articles: read like the others, its records' `section` its path segment; said once,
        so that it can be named."""
        self.crawler.stats.inc_value(LISTING_DISCOVERED)
        self.logger.info("Discovered listing %s: its articles are section %r", listing, section)

    async def parse_article(
        self,
        response: Response,
        canonical_url: str | None = None,
        listing: ListingEvidence | None = None,
        claimed_by: Article | None = None,
    ) -> AsyncIterator[Article | scrapy.Request]:
        """An article page, read with what its listing entry showed (none under `scrapy parse`);
        `claimed_by`: the article whose page named this one its canonical URL (`_checked_claim`)."""
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value(ARTICLE_NOT_HTML)
            self.logger.error("Article is not an HTML page: %s", response.url)
            return
        if claimed_by is None:  # a claim's check is not another article page
            self.crawler.stats.inc_value(ARTICLE_PAGES)
        url = self.site.canonical(response.url) or canonical_url or response.url
        page = await self.parsed(
            "article", response, parse_detail, response.text, response.url, listing
        )
        if page is None:
            return
        if page.second_opinion:  # ours was unsure: how often the crawl paid for trafilatura
            self.crawler.stats.inc_value(ARTICLE_SECOND_OPINION)
        article = self._article(url, response, page, listing)
        if claimed_by is None:
            self._record_evidence(url, article.problems, page, listing)
        for request in self.follow_listings(page.back_links):
            yield request
        if claimed_by is not None:
            yield self._checked_claim(claimed_by, article)
        elif (declared := self._declared(url, page)) is None:
            yield article
        else:
            yield self._claim_request(declared, listing, article)

    def _article(
        self, url: str, response: TextResponse, page: DetailPage, listing: ListingEvidence | None
    ) -> Article:
        """The record of a parsed article page, with every problem met reading it."""
        published, date_problem = published_date(page.date_text)
        language = language_problem(
            response.text, f"{page.title or ''} {' '.join(page.paragraphs)}", self.site.lang
        )
        attachments = [
            Attachment(file_url, linked.name)
            for linked in page.attachments
            if (file_url := self.site.canonical(linked.url)) is not None
        ]
        section = self.site.section_of(url) or ""
        return Article(
            url=url,
            lang=self.site.lang,
            section=section,
            section_title=self.site.section_title(section),
            title=page.title,
            published=published,
            text="\n\n".join(page.paragraphs),
            summary=listing.teaser if listing else None,
            attachments=attachments,
            images=list(dict.fromkeys(filter(None, map(self.site.canonical, page.images)))),
            problems=[*page.problems, *filter(None, [date_problem, language])],
            crawled_at=iso_utc(utc_now()),
        )

    def _declared(self, url: str, page: DetailPage) -> str | None:
        """Another article of this site the page declares its canonical URL, or None: only a
        claim, checked before the two URLs are taken for one article (`_claim_request`)."""
        if not page.declared_url:
            return None
        try:
            declared = self.site.canonical(page.declared_url)
        except ValueError:  # unparsable (a bad IPv6 host)
            declared = None
        if declared == url:
            return None
        if declared is None or self.site.classify(declared) is not UrlKind.ARTICLE:
            self._canonical_ignored(url, page.declared_url, "not an article of this site")
            return None
        return declared

    def _claim_request(
        self, declared: str, listing: ListingEvidence | None, article: Article
    ) -> scrapy.Request:
        """The declared article, fetched to check the claim (issue 18): a page's own say-so never
        makes it another article's record. Fetched even if this run fetched it already."""
        return scrapy.Request(
            self.site.fetch_url(declared),
            callback=self.parse_article,
            errback=self.claim_unchecked,
            cb_kwargs={"canonical_url": declared, "listing": listing, "claimed_by": article},
            dont_filter=True,
            priority=1,
        )

    def _checked_claim(self, claimed_by: Article, declared: Article) -> Article:
        """The declared article with the claiming URL as an alias when both pages say the same;
        else the claiming page as an article of its own."""
        if _content(claimed_by) == _content(declared):
            self.crawler.stats.inc_value(ARTICLE_CANONICAL_CONFIRMED)
            declared.aliases = [claimed_by.url]
            return declared
        self._canonical_ignored(claimed_by.url, declared.url, "its page says something else")
        return claimed_by

    def claim_unchecked(self, failure: Failure) -> Iterator[Article]:
        """The declared article could not be fetched: the claiming page stays its own article.
        A re-extraction of WARC files written before claims were checked lacks the declared page:
        the declaration is taken as the run that archived them took it."""
        request: scrapy.Request = failure.request  # type: ignore[attr-defined]  # set by Scrapy
        claimed_by: Article = request.cb_kwargs["claimed_by"]
        declared: str = request.cb_kwargs["canonical_url"]
        if isinstance(failure.value, NotArchived):
            self.crawler.stats.inc_value(REPLAY_NOT_ARCHIVED_CLAIM)
            claimed_by.aliases = [claimed_by.url]
            claimed_by.url, claimed_by.section = declared, self.site.section_of(declared) or ""
            yield claimed_by
            return
        error = f"it could not be fetched ({type(failure.value).__name__})"
        self._canonical_ignored(claimed_by.url, declared, error)
        yield claimed_by

    def _canonical_ignored(self, url: str, declared: str, why: str) -> None:
        self.crawler.stats.inc_value(ARTICLE_CANONICAL_IGNORED)
        self.logger.info("Ignored canonical %s declared by %s: %s", declared, url, why)

    def _record_evidence(
        self, url: str, problems: list[str], page: DetailPage, listing: ListingEvidence | None
    ) -> None:
        """Count what the page and its listing entry could not confirm: the health check reads
        these (cstocrawl/problems/<kind>), against the articles whose listing showed a title."""
        stats = self.crawler.stats
        for problem in problems:
            kind, _, detail = problem.partition(": ")
            stats.inc_value(problem_key(kind))
            self.logger.warning("%s on %s%s", kind, url, f" ({detail})" if detail else "")
        if listing is not None and listing.title and page.title:
            stats.inc_value(EVIDENCE_TITLED)


def _not_entries(listing: ListingPage) -> list[str]:
    """The page's links but its entries' own: those are articles, never a listing nor the next
    page, and most of a page's links (each would be canonicalised here again for nothing)."""
    entries = {entry.url for entry in listing.entries}
    return [link for link in listing.links if link not in entries]


def _content(article: Article) -> tuple[object, ...]:
    """What two pages must share to be one article: what `content_sha256` hashes."""
    files = [(attachment.url, attachment.name) for attachment in article.attachments]
    return (article.title, article.published, article.text, files, article.images)


def published_date(text: str | None) -> tuple[str | None, str | None]:
    """The ISO date of a date as the page printed it, or the problem that leaves it null."""
    if not text:
        return None, Problem.MISSING_DATE.text()
    parsed = parse_date(text)
    if parsed is None:
        return None, Problem.UNPARSED_DATE.text(text)
    return parsed.isoformat(), None


# The kinds of link that may lead to a listing the crawl reads (`_listing_link`).
_LISTING_KINDS = frozenset({UrlKind.DISCOVERY, UrlKind.SECTION, UrlKind.ALL_NEWS})
# Spider.__init__'s own keyword arguments, which Scrapy's tools may pass.
_SPIDER_KWARGS = ("name",)
_TRUE = ("1", "true", "yes")
_FALSE = ("", "0", "false", "no")


@dataclass(frozen=True)
class Arguments:
    """The spider's -a arguments, parsed: checked once, before a run creates anything."""

    lang: str = "en"  # en: en.odkb-csto.org, ru: odkb-csto.org
    base_url: str | None = None  # a mirror with the site's paths (the replica, a cache)
    sections: frozenset[str] | None = None  # None: every section of site.SECTIONS
    max_pages: int | None = None  # per listing; None: CSTOCRAWL_MAX_PAGES
    full: bool = False  # re-crawl and re-emit everything
    portal: str = CSTO  # the spider's site, not an argument: site.PORTALS

    @classmethod
    def parse(cls, raw: Mapping[str, Any], portal: str = CSTO) -> Arguments:
        lang = str(raw.get("lang", "en"))
        if lang not in LANGS:
            raise ValueError(f"-a lang={lang}: expected one of {', '.join(LANGS)}")
        base_url = str(raw.get("base_url") or "") or None
        try:
            Site(lang, base_url)
        except ValueError:
            raise ValueError(
                f"-a base_url={base_url}: expected an http(s) URL such as http://127.0.0.1:8800"
            ) from None
        return cls(
            lang=lang,
            base_url=base_url,
            sections=_parse_sections(raw.get("sections"), portal),
            max_pages=_parse_max_pages(raw.get("max_pages")),
            full=_parse_flag("full", raw.get("full", False)),
            portal=portal,
        )


def _parse_max_pages(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        pages = int(value)
    except (TypeError, ValueError):
        pages = 0
    if pages < 1:
        raise ValueError(f"-a max_pages={value}: expected a positive whole number")
    return pages


def _parse_flag(name: str, value: Any) -> bool:
    text = str(value).strip().lower()
    if text not in _TRUE + _FALSE:
        raise ValueError(f"-a {name}={value}: expected 1 or 0")
    return text in _TRUE


def _parse_sections(value: str | None, portal: str) -> frozenset[str] | None:
    if not value:
        return None
    names = frozenset(name.strip() for name in value.split(",") if name.strip())
    known = [section.name for section in PORTALS[portal].sections]
    unknown = names - set(known)
    if unknown or not names:
        raise ValueError(
            f"-a sections={value}: unknown section {', '.join(sorted(unknown)) or '(none)'}; "
            f"known: {', '.join(known)}"
        )
    return names


class JscstoSpider(NewsSpider):
    """The CSTO Joint Staff's site, jscsto.odkb-csto.org: its own output dir by default."""

    name = "jscsto"
    portal = "jscsto"
    custom_settings = {"CSTOCRAWL_OUTPUT_DIR": f"{project.CSTOCRAWL_OUTPUT_DIR}/jscsto"}  # noqa: RUF012


class KsopnSpider(NewsSpider):
    """The anti-drug coordination council's site, ksopn.odkb-csto.org: its own output dir."""

    name = "ksopn"
    portal = "ksopn"
    custom_settings = {"CSTOCRAWL_OUTPUT_DIR": f"{project.CSTOCRAWL_OUTPUT_DIR}/ksopn"}  # noqa: RUF012
