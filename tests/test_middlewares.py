"""The offsite filter on its own: a request is on the site when its scheme, host and port are."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.test import get_crawler

from cstocrawl.middlewares import OffsiteMiddleware
from cstocrawl.spiders.news import NewsSpider


def middleware(**spider_args: str) -> OffsiteMiddleware:
    crawler = get_crawler(NewsSpider)
    crawler.spider = NewsSpider.from_crawler(crawler, **spider_args)
    crawler.stats.open_spider()
    return OffsiteMiddleware.from_crawler(crawler)


@pytest.mark.parametrize(
    ("url", "followed"),
    [
        ("http://127.0.0.1:8800/news/x/", True),
        ("http://127.0.0.1:8801/news/x/", False),  # another port: another server
        ("https://127.0.0.1:8800/news/x/", False),
        ("http://localhost:8800/news/x/", False),
        ("http://en.odkb-csto.org/news/x/", False),
    ],
)
def test_a_mirror_is_its_scheme_host_and_port(url: str, followed: bool) -> None:
    offsite = middleware(base_url="http://127.0.0.1:8800")
    request = Request(url, dont_filter=True)  # a retried request is one
    if followed:
        offsite.process_request(request)
    else:
        with pytest.raises(IgnoreRequest):
            offsite.process_request(request)


@pytest.mark.parametrize(
    ("lang", "url", "followed"),
    [
        ("en", "https://en.odkb-csto.org/news/x/", True),
        ("en", "https://en.odkb-csto.org:443/news/x/", True),
        ("en", "https://en.odkb-csto.org:8443/news/x/", False),
        ("en", "http://en.odkb-csto.org/news/x/", False),  # no downgrade to plain http
        ("en", "https://odkb-csto.org/news/x/", False),  # the other language
        ("ru", "https://www.odkb-csto.org/news/x/", True),
        ("ru", "https://en.odkb-csto.org/news/x/", False),  # a subdomain, but the other site
        ("ru", "https://jscsto.odkb-csto.org/en/news/x/", False),
    ],
)
def test_the_official_site_is_https_on_its_own_hosts(lang: str, url: str, followed: bool) -> None:
    offsite = middleware(lang=lang)
    if followed:
        offsite.process_request(Request(url))
    else:
        with pytest.raises(IgnoreRequest):
            offsite.process_request(Request(url))
