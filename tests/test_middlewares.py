"""The middlewares and the redirect extension on their own, in process: a request is on the site
when its scheme, host and port are; robots.txt judges every request that waited for it; a
redirect chain that comes back to a URL it passed is followed."""

from __future__ import annotations

import asyncio

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse
from scrapy.utils.test import get_crawler

from cstocrawl.middlewares import OffsiteMiddleware, RobotsTxtMiddleware
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


# --- robots.txt: every request that waited for it is judged by it --------------------------------


class RobotsEngine:
    """The engine's download of robots.txt, answered when the test says: the requests that arrive
    meanwhile all wait on one parser."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.requested: list[str] = []
        self.answer: asyncio.Future[None] | None = None

    async def download_async(self, request: Request) -> TextResponse:
        self.requested.append(request.url)
        self.answer = asyncio.get_running_loop().create_future()
        await self.answer
        return TextResponse(request.url, body=self.body, request=request)


def robots_verdicts(urls: list[str], robots_txt: bytes) -> tuple[list[str], RobotsEngine]:
    """What RobotsTxtMiddleware says of requests made at once, before robots.txt arrived."""
    crawler = get_crawler(NewsSpider, {"ROBOTSTXT_OBEY": True})
    crawler.stats.open_spider()
    engine = RobotsEngine(robots_txt)
    crawler.engine = engine  # type: ignore[assignment]
    robots = RobotsTxtMiddleware.from_crawler(crawler)

    async def verdict(request: Request) -> str:
        try:
            await robots.process_request(request)
        except IgnoreRequest as error:
            return str(error)
        return "allowed"

    async def main() -> list[str]:
        waiting = [asyncio.ensure_future(verdict(Request(url))) for url in urls]
        while engine.answer is None:  # every request is waiting on the one download
            await asyncio.sleep(0)
        await asyncio.sleep(0)
        engine.answer.set_result(None)
        return await asyncio.gather(*waiting)

    return asyncio.run(main()), engine


def test_every_request_that_waited_for_robots_txt_is_judged_by_it() -> None:
    """Scrapy 2.19 gave the parser to the first waiter only: the later ones were let through."""
    disallowed = [f"http://127.0.0.1:8800/news/smi/{n}/" for n in range(4)]
    verdicts, engine = robots_verdicts(
        [*disallowed, "http://127.0.0.1:8800/news/x/"], b"User-agent: *\nDisallow: /news/smi/\n"
    )
    assert verdicts == ["Forbidden by robots.txt"] * 4 + ["allowed"]
    assert engine.requested == ["http://127.0.0.1:8800/robots.txt"]  # fetched once for all
