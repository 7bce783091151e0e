"""The baseline for the crawl benchmark: plain Scrapy following the same pages, doing nothing else.

It starts where `news` starts and follows every same-host link into the news listings, their pages
and their articles (the pages `news` fetches), with Scrapy's default fingerprints, no parsing
beyond LinkExtractor and no pipelines. Attachments and images are not fetched. Like `news`, it
reads links to the official host (http://en.odkb-csto.org/...) as links to the mirror and drops
the parameters the CMS adds (?bxajaxid=...), or it would fetch other pages than `news` does.

scrapy runspider bench/bare.py -a base_url=http://127.0.0.1:8800
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.settings import BaseSettings

from cstocrawl.site import ALL_NEWS_PATH, KNOWN_SECTIONS, strip_junk_params

OFFICIAL_ORIGIN_RE = re.compile(r"^https?://(?:www\.)?en\.odkb-csto\.org(?=/|$)", re.IGNORECASE)


class BareSpider(scrapy.Spider):
    name = "bare"

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        """Scrapy's own fingerprints, no pipelines, no telnet console (custom_settings, typed)."""
        super().update_settings(settings)
        settings.setdict(
            {
                "ITEM_PIPELINES": {},
                "REQUEST_FINGERPRINTER_CLASS": "scrapy.utils.request.RequestFingerprinter",
                "EXTENSIONS": {"scrapy.extensions.telnet.TelnetConsole": None},
            },
            priority="spider",
        )

    def __init__(self, base_url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/")
        self.allowed_domains = ["127.0.0.1"]
        # Listings and articles; a query other than the page number (bxajaxid=...) is a duplicate.
        self.links = LinkExtractor(
            allow=rf"^{re.escape(self.base_url)}/(?:news|documents/statements)/",
            deny=r"\?(?!PAGEN_1=\d+$)",
            process_value=self.on_mirror,
        )

    def on_mirror(self, href: str) -> str:
        """Official-host links lead to the mirror; bxajaxid and such are dropped, as `news` does."""
        return strip_junk_params(OFFICIAL_ORIGIN_RE.sub(self.base_url, href.strip()))

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for path in (ALL_NEWS_PATH, *KNOWN_SECTIONS.values()):
            yield scrapy.Request(self.base_url + path)

    def parse(self, response: Response) -> Iterator[scrapy.Request]:
        self.crawler.stats.inc_value("bench/pages")
        if not isinstance(response, TextResponse):
            return
        for link in self.links.extract_links(response):
            yield scrapy.Request(link.url)
