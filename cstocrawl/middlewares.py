"""Scrapy's robots.txt and offsite downloader middlewares, with the gaps that lose pages closed.

Each class is Scrapy's own behaviour plus one fix, found by the fault tests (docs/reliability.md).
"""

from __future__ import annotations

import logging
from functools import lru_cache
from urllib.parse import ParseResult, SplitResult, urlsplit

from scrapy import Request, Spider
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware as ScrapyOffsiteMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as ScrapyRobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.robotstxt import RobotParser
from scrapy.utils.httpobj import urlparse_cached

from cstocrawl.runs.statkeys import FAILED_REDIRECT_OFFSITE
from cstocrawl.site import Site

logger = logging.getLogger(__name__)


class RobotsTxtMiddleware(ScrapyRobotsTxtMiddleware):
    """Every request that waited for robots.txt is judged by it.

    Scrapy 2.19 awaits the shared Deferred through asFuture(), which hands the parser to the first
    waiter only: the others get None and are let through (a disallowed start listing was fetched).
    """

    async def robot_parser(self, request: Request) -> RobotParser | None:
        await super().robot_parser(request)
        # Set before the Deferred fires: the parser, or None when robots.txt could not be read.
        parser = self._parsers[urlparse_cached(request).netloc]
        return parser if isinstance(parser, RobotParser) else None


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
        site: Site | None = getattr(spider, "site", None)
        if site is None:  # a spider without a site (Scrapy's tools): host names only
            return True
        url = urlparse_cached(request)
        scheme, port, origin_host = _origin(site)
        if (url.scheme, _port(url)) != (scheme, port):
            return False
        host = (url.hostname or "").lower()
        if site.base_url is not None:  # a mirror: its own host only
            return host == origin_host
        return site.owns_host(host)  # the official host, with or without www.

    def process_request(self, request: Request, spider: object = None) -> None:
        try:
            super().process_request(
                request.replace(dont_filter=False) if request.dont_filter else request
            )
        except IgnoreRequest:
            if chain := request.meta.get("redirect_urls"):
                self.stats.inc_value(FAILED_REDIRECT_OFFSITE)
                logger.error(
                    "Failed %s: redirected off the site to %s (not followed)", chain[0], request.url
                )
            raise


@lru_cache(maxsize=8)
def _origin(site: Site) -> tuple[str, int | None, str]:
    """Scheme, port and host name of the site's fetch origin: parsed once, not twice a request
    (the middleware sees each request when it is scheduled and when it is downloaded)."""
    origin = urlsplit(site.fetch_origin)
    return origin.scheme, _port(origin), (origin.hostname or "").lower()


def _port(url: SplitResult | ParseResult) -> int | None:
    """The port a URL connects to, its scheme's default when none is written."""
    return url.port or {"http": 80, "https": 443}.get(url.scheme)
