"""One article, one record: the spider follows a page's declared canonical URL, and the state
pipeline merges an item fetched under a known alias or repeating an article's content."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path
from typing import Any

import pytest
from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, IgnoreRequest
from scrapy.http import HtmlResponse, Request
from twisted.python.failure import Failure

from cstocrawl.exceptions import NotArchived
from cstocrawl.items import Article
from cstocrawl.pipelines.cleaning import content_sha256
from cstocrawl.pipelines.state import StatePipeline
from cstocrawl.runs.extension import RunLifecycle
from cstocrawl.spiders.news import NewsSpider
from cstocrawl.store.state import State, state_path
from tests.crawling import project_crawler

MIRROR = "http://127.0.0.1:8800"
SITE = "https://en.odkb-csto.org"
A = f"{SITE}/news/news_odkb/meeting-in-minsk/"
A_CASE = f"{SITE}/news/news_odkb/Meeting-In-Minsk/"  # the same page under other letter case
A_ID = f"{SITE}/news/news_odkb/12345/"  # the same page under its element id
B = f"{SITE}/news/news_odkb/summit-in-astana/"


def crawler_for(tmp_path: Path, run_id: str = "run1", *, full: bool = False) -> Crawler:
    spider = {"lang": "en", "base_url": MIRROR, "full": str(int(full))}
    return project_crawler(tmp_path, spider, CSTOCRAWL_WORKERS=0, CSTOCRAWL_RUN_ID=run_id)


# --- the spider: <link rel="canonical"> ---


def page(canonical: str | None) -> str:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return f"""<html><head><title>A meeting in Minsk</title>{link}</head><body>
    <h1>A meeting in Minsk</h1><p>23.11.2023</p>
    <p>The CSTO Collective Security Council met in Minsk on 23 November 2023.</p>
    <p>The heads of state discussed the situation in the region of collective security.</p>
    </body></html>"""


def parse(
    crawler: Crawler, fetched: str, html: str, claimed_by: Article | None = None
) -> list[Any]:
    """What the spider's article callback yields for `html` served at `fetched`."""
    spider = crawler.spider
    assert isinstance(spider, NewsSpider)
    url = MIRROR + fetched.removeprefix(SITE)
    response = HtmlResponse(url, body=html.encode(), encoding="utf-8", request=Request(url))

    async def gather() -> list[Any]:
        return [result async for result in spider.parse_article(response, claimed_by=claimed_by)]

    return asyncio.run(gather())


@pytest.mark.parametrize(
    ("fetched", "declared", "claim"),
    [
        (A_ID, "/news/news_odkb/meeting-in-minsk/", A),  # root-relative
        (A_ID, f"{MIRROR}/news/news_odkb/meeting-in-minsk/", A),  # the mirror's host
        (A_ID, f"{SITE}/news/news_odkb/meeting-in-minsk?sphrase_id=7", A),  # canonicalised
        (A, A, None),  # its own URL
        (A, "http://en.odkb-csto.org/news/news_odkb/meeting-in-minsk/index.php", None),
        (A_ID, None, None),  # none declared
        (A_ID, "https://example.org/news/news_odkb/meeting-in-minsk/", None),  # offsite
        (A_ID, "/news/news_odkb/", None),  # a listing, not an article
        (A_ID, "/about/", None),  # not an article
        (A_ID, "http://[::1/x/", None),  # unparsable
    ],
)
def test_a_declared_canonical_article_url_is_a_claim_to_check(
    tmp_path: Path, fetched: str, declared: str | None, claim: str | None
) -> None:
    """Issue 18: the page naming another article is not taken at its word (before, its item
    became that article's at once): the declared article is fetched to compare."""
    results = parse(crawler_for(tmp_path), fetched, page(declared))
    if claim is None:
        [item] = results
        assert (item.url, item.aliases, item.section) == (fetched, [], "news_odkb")
        assert item.title == "A meeting in Minsk"
        return
    [request] = results
    assert request.url == MIRROR + claim.removeprefix(SITE) and request.dont_filter
    assert request.cb_kwargs["claimed_by"].url == fetched


def test_a_claim_is_confirmed_only_by_the_same_page(tmp_path: Path) -> None:
    crawler = crawler_for(tmp_path)
    [request] = parse(crawler, A_ID, page(A))
    claimed = request.cb_kwargs["claimed_by"]
    [same] = parse(crawler, A, page(None), claimed_by=claimed)
    assert (same.url, same.aliases) == (A, [A_ID])
    [own] = parse(crawler, A, page(None).replace("in Minsk on", "in Astana on"), claimed_by=claimed)
    assert own is claimed and (own.url, own.aliases) == (A_ID, [])
    assert crawler.stats.get_value("cstocrawl/article/canonical_confirmed") == 1
    assert crawler.stats.get_value("cstocrawl/article/canonical_ignored") == 1


def test_a_claim_that_cannot_be_checked_leaves_the_page_its_own_article(tmp_path: Path) -> None:
    """The declared article answers 404: the claim is ignored. A re-extraction whose WARC files
    (written before claims were checked) lack the declared page takes it as that run did."""
    crawler = crawler_for(tmp_path)
    spider = crawler.spider
    assert isinstance(spider, NewsSpider)

    def unchecked(error: Exception) -> list[Article]:
        [request] = parse(crawler, A_ID, page(A))
        failure = Failure(error)
        failure.request = request  # type: ignore[attr-defined]  # as Scrapy sets it
        return list(spider.claim_unchecked(failure))

    [own] = unchecked(IgnoreRequest("HTTP 404"))
    assert (own.url, own.aliases) == (A_ID, [])
    assert crawler.stats.get_value("cstocrawl/article/canonical_ignored") == 1
    [replayed] = unchecked(NotArchived("not in the WARC files"))
    assert (replayed.url, replayed.aliases, replayed.section) == (A, [A_ID], "news_odkb")


# --- the state pipeline ---


def article(url: str, text: str = "The Council met in Minsk.", **fields: Any) -> Article:
    item = Article(
        url=url,
        lang="en",
        section="news_odkb",
        title=fields.pop("title", "A meeting in Minsk"),
        published="2023-11-23",
        text=text,
        crawled_at="2025-12-01T06:00:00Z",
        **fields,
    )
    item.content_sha256 = content_sha256(ItemAdapter(item))
    return item


class Run:
    """One run of the state pipeline, fed items by hand as the engine would."""

    def __init__(self, tmp_path: Path, run_id: str, *, full: bool = False) -> None:
        self.crawler = crawler_for(tmp_path, run_id, full=full)
        self.pipeline = StatePipeline.from_crawler(self.crawler)
        self.written: list[Article] = []

    def feed(self, *items: Article) -> list[str]:
        """Each item through process_item; what was dropped, and why."""
        dropped = []
        for item in items:
            try:
                passed = self.pipeline.process_item(item)
            except DropItem as drop:
                dropped.append(str(drop))
                continue
            self.pipeline.item_scraped(passed)  # the writer wrote it
            self.written.append(passed)
        return dropped

    def promote(self) -> None:
        """What the run's end does for a promoted run, as far as the state goes."""
        life = RunLifecycle.of(self.crawler)
        life.state.flush()
        life.state.promote(life.run.id)
        life.engine_stopped()

    def stat(self, name: str) -> Any:
        return self.crawler.stats.get_value(name)


def latest(tmp_path: Path) -> dict[str, list[str]]:
    with State(state_path(tmp_path)) as state:
        return {r["url"]: r["aliases"] for r in map(json.loads, state.latest_items())}


def test_another_spelling_with_the_same_content_is_merged_in_the_run_and_later(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    first = Run(tmp_path, "r1")
    with caplog.at_level(logging.INFO, logger="cstocrawl.pipelines.state"):
        dropped = first.feed(article(A), article(A_CASE), article(B, "The summit was held."))
    assert dropped == [f"Same content as {A}: {A_CASE}"]
    assert [(item.url, item.aliases) for item in first.written] == [(A, []), (B, [])]
    assert f"Merged {A_CASE} into {A}: same content" in caplog.text
    assert first.stat("cstocrawl/state/merged") == 1
    assert first.stat("cstocrawl/failed/article") is None
    first.promote()
    assert latest(tmp_path) == {A: [A_CASE], B: []}

    # A full run fetching the alias first: it is the article, written once (from its own fetch:
    # the alias showing the stored version never stands in for it), listing its alias.
    second = Run(tmp_path, "r2", full=True)
    assert second.feed(article(A_CASE), article(A)) == [f"Another URL of {A}, as stored: {A_CASE}"]
    assert [(item.url, item.aliases) for item in second.written] == [(A, [A_CASE])]
    assert second.stat("cstocrawl/state/merged") is None
    second.promote()
    assert latest(tmp_path) == {A: [A_CASE], B: []}


def test_an_incremental_run_merges_a_new_spelling_into_a_known_article(tmp_path: Path) -> None:
    first = Run(tmp_path, "r1")
    first.feed(article(A))
    first.promote()
    second = Run(tmp_path, "r2")
    assert second.feed(article(A_CASE)) == [f"Same content as {A}: {A_CASE}"]
    assert second.written == []
    second.promote()
    assert latest(tmp_path) == {A: [A_CASE]}
    # Edited later: the article's record lists the alias it is known under.
    third = Run(tmp_path, "r3")
    assert third.feed(article(A_CASE, "The Council met in Minsk on Thursday.")) == []
    assert [(item.url, item.aliases) for item in third.written] == [(A, [A_CASE])]


def test_a_declared_alias_is_recorded_also_when_the_article_was_emitted_first(
    tmp_path: Path,
) -> None:
    run = Run(tmp_path, "r1")
    dropped = run.feed(article(A), article(A, aliases=[A_ID]))
    assert dropped == [f"Already emitted by this run: {A}"]
    run.promote()
    assert latest(tmp_path) == {A: [A_ID]}
    # An unchanged fetch through the alias (dropped, incremental) keeps it known.
    again = Run(tmp_path, "r2")
    assert again.feed(article(A, aliases=[A_ID])) == [f"Unchanged since it was last written: {A}"]
    again.promote()
    assert latest(tmp_path) == {A: [A_ID]}


def test_pages_without_a_title_or_body_or_in_another_section_are_never_merged(
    tmp_path: Path,
) -> None:
    run = Run(tmp_path, "r1")
    blank = {"title": None}
    elsewhere = article(f"{SITE}/news/smi/meeting-in-minsk/")
    elsewhere.section = "smi"  # the same content in another section: another article
    dropped = run.feed(
        article(f"{B}1/", "", **blank),
        article(f"{B}2/", "", **blank),  # error pages all hash alike: never one article
        article(A),
        elsewhere,
        article(A_CASE),
    )
    assert dropped == [f"Same content as {A}: {A_CASE}"]
    assert [item.url for item in run.written] == [f"{B}1/", f"{B}2/", A, elsewhere.url]
    assert run.stat("cstocrawl/state/merged") == 1


def test_a_run_that_is_not_promoted_records_no_merge(tmp_path: Path) -> None:
    first = Run(tmp_path, "r1")
    assert first.feed(article(A), article(A_CASE)) == [f"Same content as {A}: {A_CASE}"]
    life = RunLifecycle.of(first.crawler)
    life.state.flush()
    life.state.finish_run("r1", "E1", "shutdown", {})  # never promoted
    life.engine_stopped()
    assert latest(tmp_path) == {}
    with State(state_path(tmp_path)) as state:
        assert state.aliases() == {}
