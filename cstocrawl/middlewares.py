"""Scrapy's robots.txt, offsite and redirect handling, with the gaps that lose or hide pages closed.

Each class is Scrapy's own behaviour plus one fix, found by the fault tests (docs/reliability.md).
"""

from __future__ import annotations

import logging
from urllib.parse import ParseResult, SplitResult, urlsplit

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware as ScrapyOffsiteMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as ScrapyRobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.robotstxt import RobotParser
from scrapy.utils.httpobj import urlparse_cached

from cstocrawl.site import HOST_LANGS, canonicalize_url

logger = logging.getLogger(__name__)


class RobotsTxtMiddleware(ScrapyRobotsTxtMiddleware):
    """Every request that waited for robots.txt is judged by it.

    Scrapy 2.19 awaits the shared Deferred through asFuture(), which hands the parser to the first
    waiter only: the others get None and are let through (a disallowed start listing was fetched).
    """

    async def robot_parser(self, request: Request) -> RobotParser | None:
        await super().robot_parser(request)
        # Set before the Deferred fires: the parser, or None when robots.txt could not be read.
        return self._parsers[urlparse_cached(request).netloc]


class OffsiteMiddleware(ScrapyOffsiteMiddleware):
    """No request leaves the site, and the page an offsite redirect cost is named in an error.

    Scrapy lets `dont_filter` requests through, and every retried request is one, so a page that
    redirects off the site after a retry was followed there. Scrapy also drops an offsite redirect
    at scheduling time with no errback and only a DEBUG line. And Scrapy compares host names only:
    a redirect to another port (another server) of the same host was followed; the site is its
    scheme, host and port.
    """

    def should_follow(self, request: Request, spider: Spider) -> bool:
        if not super().should_follow(request, spider):
            return False
        site = getattr(spider, "site", None)
        if site is None:  # a spider without a site (Scrapy's tools): host names only
            return True
        url, origin = urlparse_cached(request), urlsplit(site.fetch_origin)
        if (url.scheme, _port(url)) != (origin.scheme, _port(origin)):
            return False
        host = (url.hostname or "").lower()
        if site.base_url is not None:  # a mirror: its own host only
            return host == (origin.hostname or "").lower()
        return HOST_LANGS.get(host) == site.lang  # the official host, with or without www.

    def process_request(self, request: Request, spider: object = None) -> None:
        try:
            super().process_request(
                request.replace(dont_filter=False) if request.dont_filter else request
            )
        except IgnoreRequest:
            if chain := request.meta.get("redirect_urls"):
                self.stats.inc_value("cstocrawl/failed/redirect_offsite")
                logger.error(
                    "Failed %s: redirected off the site to %s (not followed)", chain[0], request.url
                )
            raise


def _port(url: SplitResult | ParseResult) -> int | None:
    """The port a URL connects to, its scheme's default when none is written."""
    return url.port or {"http": 80, "https": 443}.get(url.scheme)


class RedirectRevisits:
    """Follow a redirect chain back to a URL it passed through (a cache or cookie bounce).

    The dupefilter would drop the last hop silently; REDIRECT_MAX_TIMES still ends a real loop,
    and the request's errback records it.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectRevisits:
        extension = cls(crawler)
        crawler.signals.connect(extension.request_dropped, signal=signals.request_dropped)
        return extension

    def request_dropped(self, request: Request) -> None:
        chain = request.meta.get("redirect_urls")
        if not chain or request.dont_filter:
            return
        if canonicalize_url(request.url) in {canonicalize_url(url) for url in chain}:
            assert self.crawler.stats is not None and self.crawler.engine is not None
            self.crawler.stats.inc_value("cstocrawl/redirect/revisited")
            self.crawler.engine.crawl(request.replace(dont_filter=True))
