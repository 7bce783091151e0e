"""Scrapy's redirect handling with one gap closed, found by fault tests (docs/reliability.md)."""

from __future__ import annotations

from scrapy import Request, signals
from scrapy.crawler import Crawler

from cstocrawl.runs.statkeys import REDIRECT_REVISITED
from cstocrawl.site import canonicalize_url


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
            self.crawler.stats.inc_value(REDIRECT_REVISITED)
            self.crawler.engine.crawl(request.replace(dont_filter=True))
