"""The spider's callbacks in process: a listing's evidence travels to the article it links.

Pages come from the replica, rendered without a server; responses are Scrapy's own HtmlResponse.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from cstocrawl.items import Article
from cstocrawl.parsing.evidence import ListingEvidence
from cstocrawl.parsing.listing import parse_listing
from cstocrawl.parsing.text import clean_line
from cstocrawl.processes.workers import WorkerTimeout
from cstocrawl.signals import page_failed
from cstocrawl.spiders.news import NewsSpider
from tests.replica import ReplicaSite

MIRROR = "http://127.0.0.1:8800"


def spider(**arguments: str) -> NewsSpider:
    settings = {"CSTOCRAWL_WORKERS": 0, "EXTENSIONS": {"cstocrawl.processes.extension.Workers": 0}}
    crawler = get_crawler(NewsSpider, settings_dict=settings)
    crawler.spider = crawler._create_spider(lang="en", base_url=MIRROR, **arguments)
    crawler.stats.open_spider()
    assert isinstance(crawler.spider, NewsSpider)
    return crawler.spider


def response(site: ReplicaSite, target: str, request: Request | None = None) -> HtmlResponse:
    page = site.page(target)
    url = MIRROR + target
    return HtmlResponse(url, body=page.body, encoding="utf-8", request=request or Request(url))


def collect(results: AsyncIterator[Any]) -> list[Any]:
    async def gather() -> list[Any]:
        return [result async for result in results]

    return asyncio.run(gather())


def test_article_requests_carry_their_listing_entry() -> None:
    site = ReplicaSite(lang="en", variant="portal")  # a card link wraps date, title and teaser
    news = spider()
    requests = collect(news.parse_listing_page(response(site, "/news/news_odkb/")))
    articles = [r for r in requests if r.callback == news.parse_article]
    shown = site.listing("/news/news_odkb/")[: site.page_size]
    assert [r.cb_kwargs["canonical_url"] for r in articles] == [a.url for a in shown]
    first, truth = articles[0].cb_kwargs["listing"], shown[0]
    assert isinstance(first, ListingEvidence)
    assert clean_line(first.title or "") == truth.title
    assert clean_line(first.teaser or "") == truth.summary
    assert first.date_text == truth.published.strftime("%d.%m.%Y")
    assert first.frame  # the page's menu, footer and headings, to recognise them on the article


def test_an_article_is_read_with_its_evidence_and_without() -> None:
    site = ReplicaSite(lang="en", variant="portal")  # the article page never prints its title
    news = spider()
    listing = collect(news.parse_listing_page(response(site, "/news/news_odkb/")))
    request = next(r for r in listing if r.callback == news.parse_article)
    truth = next(
        a for a in site.expected_articles() if a["url"] == request.cb_kwargs["canonical_url"]
    )
    parts = urlsplit(truth["url"])
    target = parts.path + (f"?{parts.query}" if parts.query else "")  # ELEMENT_ID details

    with_evidence = collect(
        news.parse_article(response(site, target, request), **request.cb_kwargs)
    )
    item = next(result for result in with_evidence if isinstance(result, Article))
    assert (item.title, item.summary, item.problems) == (
        request.cb_kwargs["listing"].link_text,
        request.cb_kwargs["listing"].teaser,
        [],
    )
    assert item.published == truth["published"]  # ISO, from the date the page printed
    assert news.crawler.stats.get_value("cstocrawl/evidence/titled") == 1
    assert news.crawler.stats.get_value("cstocrawl/problems/title_disagrees_with_listing") is None

    # `scrapy parse -c parse_article URL`: no listing; <title> still names the article.
    alone = collect(news.parse_article(response(site, target)))
    bare = next(result for result in alone if isinstance(result, Article))
    assert bare.title == truth["title"] and bare.summary is None


def test_a_page_that_disagrees_with_its_listing_is_counted() -> None:
    site = ReplicaSite(lang="en", variant="bitrix")
    news = spider()
    listing = collect(news.parse_listing_page(response(site, "/news/news_odkb/")))
    request = next(r for r in listing if r.callback == news.parse_article)
    target = urlsplit(request.cb_kwargs["canonical_url"]).path
    wrong = ListingEvidence(
        link_text="Latest news from the CSTO",
        date_text="01.01.2001",
        teaser=request.cb_kwargs["listing"].teaser,
        page_title=request.cb_kwargs["listing"].page_title,
        frame=request.cb_kwargs["listing"].frame,
    )
    results = collect(
        news.parse_article(
            response(site, target, request), request.cb_kwargs["canonical_url"], wrong
        )
    )
    item = next(result for result in results if isinstance(result, Article))
    assert [problem.partition(":")[0] for problem in item.problems] == [
        "date_disagrees_with_listing",
        "title_disagrees_with_listing",
    ]
    assert item.problems[1] == "title_disagrees_with_listing: listing Latest news from the CSTO"
    stats = news.crawler.stats
    assert stats.get_value("cstocrawl/problems/title_disagrees_with_listing") == 1
    assert stats.get_value("cstocrawl/problems/date_disagrees_with_listing") == 1


def test_a_page_whose_parsing_worker_fails_is_recorded_as_lost(monkeypatch: Any) -> None:
    """A worker that dies or runs out of time loses that page only: a stat, a log line, the retry
    list; no item, no exception out of the callback."""
    site = ReplicaSite(lang="en", variant="bitrix")
    news = spider()
    listing = collect(news.parse_listing_page(response(site, "/news/news_odkb/")))
    request = next(r for r in listing if r.callback == news.parse_article)
    lost: list[dict[str, Any]] = []
    news.crawler.signals.connect(lambda **kw: lost.append(kw), signal=page_failed, weak=False)

    def timeout(*args: Any) -> None:
        raise WorkerTimeout("parsing took longer than 120 s (CSTOCRAWL_PAGE_TIMEOUT)")

    monkeypatch.setattr("cstocrawl.spiders.news.parse_detail", timeout)
    target = urlsplit(request.cb_kwargs["canonical_url"]).path
    results = collect(news.parse_article(response(site, target, request), **request.cb_kwargs))
    assert not [result for result in results if isinstance(result, Article)]
    assert news.crawler.stats.get_value("cstocrawl/failed/article") == 1
    assert [(entry["kind"], entry["reason"]) for entry in lost] == [
        ("article", "WorkerTimeout: parsing took longer than 120 s (CSTOCRAWL_PAGE_TIMEOUT)")
    ]


def test_the_second_opinion_is_counted_where_it_was_asked() -> None:
    site = ReplicaSite(lang="en", variant="bitrix")
    news = spider()
    listing = collect(news.parse_listing_page(response(site, "/news/news_odkb/")))
    request = next(r for r in listing if r.callback == news.parse_article)
    target = urlsplit(request.cb_kwargs["canonical_url"]).path
    collect(news.parse_article(response(site, target, request), **request.cb_kwargs))
    assert news.crawler.stats.get_value("cstocrawl/article/second_opinion") is None

    verses = "".join(f"<p>{verse} line {n} of the verse</p>" for n, verse in enumerate("abcdef"))
    url = MIRROR + "/news/news_odkb/a-poem/"  # every line too short to be prose for ours
    page = HtmlResponse(url, body=f"<html><body>{verses}</body></html>", encoding="utf-8")
    item = next(r for r in collect(news.parse_article(page)) if isinstance(r, Article))
    assert item.text.split("\n\n") == [f"{v} line {n} of the verse" for n, v in enumerate("abcdef")]
    assert news.crawler.stats.get_value("cstocrawl/article/second_opinion") == 1


def test_a_listing_no_section_names_is_discovered_named_by_its_path_and_logged(
    caplog: Any,
) -> None:
    """A menu link to a listing under /news/ that site.SECTIONS lacks: requested; once its page
    lists articles of its own, counted and logged once with the section its records get; the
    known listings it links are not "discovered"."""
    site = ReplicaSite(lang="en", variant="bitrix")
    page = site.page("/news/news_odkb/").body.replace(
        b"</body>",
        b'<a href="/news/events/">Events</a><a href="/news/events/?PAGEN_1=2">2</a></body>',
    )
    url = MIRROR + "/news/news_odkb/"
    news = spider()
    with caplog.at_level("INFO"):
        requests = collect(
            news.parse_listing_page(HtmlResponse(url, body=page, request=Request(url)))
        )
        listings = [r.url for r in requests if r.callback == news.parse_listing_page]
        assert f"{MIRROR}/news/events/" in listings
        assert news.crawler.stats.get_value("cstocrawl/listing/discovered") is None
        events = site.page("/news/smi/").body.replace(b"/news/smi/", b"/news/events/")
        url = MIRROR + "/news/events/"
        found = collect(
            news.parse_listing_page(HtmlResponse(url, body=events, request=Request(url)))
        )
    articles = [r.cb_kwargs["canonical_url"] for r in found if r.callback == news.parse_article]
    assert articles and all("/news/events/" in article for article in articles)
    assert news.crawler.stats.get_value("cstocrawl/listing/discovered") == 1
    discovered = [r.getMessage() for r in caplog.records if "Discovered" in r.getMessage()]
    assert discovered == [
        "Discovered listing https://en.odkb-csto.org/news/events/: its articles are section 'events'"
    ]


def test_a_static_page_where_a_listing_could_be_is_read_for_its_links_only() -> None:
    """/authorized_organs/collective_security_council/ has a listing's path but lists no article
    of its own (only the sidebar's news): no article, no empty listing, not "discovered"."""
    site = ReplicaSite(lang="en", variant="bitrix")
    news = spider()
    page = response(site, "/authorized_organs/collective_security_council/")
    requests = collect(news.parse_listing_page(page))
    assert not [r for r in requests if r.callback == news.parse_article]
    stats = news.crawler.stats
    assert stats.get_value("cstocrawl/discovery/pages") == 1
    assert stats.get_value("cstocrawl/listing/empty") is None
    assert stats.get_value("cstocrawl/listing/pages") is None
    assert stats.get_value("cstocrawl/listing/discovered") is None


def test_only_a_run_of_every_section_reads_the_discovery_pages() -> None:
    """The home tabs start a run of every section; a run of named sections reads their listings."""
    every = [request.url for request in collect(spider().start())]
    assert every[-2:] == [f"{MIRROR}/?c-tab=statements", f"{MIRROR}/?gen-tab=press"]
    settings = {"CSTOCRAWL_WORKERS": 0, "EXTENSIONS": {"cstocrawl.processes.extension.Workers": 0}}
    crawler = get_crawler(NewsSpider, settings_dict=settings)
    named = crawler._create_spider(lang="en", base_url=MIRROR, sections="speech")
    assert [request.url for request in collect(named.start())] == [f"{MIRROR}/news/speech/"]


@pytest.mark.parametrize("variant", ["bitrix", "portal", "plain"])
def test_leaving_the_entries_links_out_changes_no_listing_followed(variant: str) -> None:
    """The entries' links are articles: the listings a page leads to (the linked ones, then its
    next page) are those every link of the page, judged one by one, leads to."""
    site = ReplicaSite(lang="en", variant=variant)
    for target in site.listing_pages():
        news, judge = spider(max_pages="500"), spider()
        page = response(site, target)
        listing = parse_listing(page.text, page.url, judge.article_links)
        assert listing.entries, target
        first, number = judge.site.listing_page(judge.site.canonical(page.url) or page.url)
        next_page = judge.site.next_page(first, number, listing.links)
        expected = [request.url for request in judge.follow_listings(listing.links)]
        expected += [judge.site.fetch_url(next_page)] if next_page else []
        requests = collect(news.parse_listing_page(page))
        assert [r.url for r in requests if r.callback == news.parse_listing_page] == expected
