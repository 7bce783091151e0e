"""The health check: missing fields, and confident nonsense that only shows across articles.

In process: the extension fed with items, and the spider's callbacks fed with the replica's pages
(HtmlResponse) in front of it. That a failed health check fails the run, exit 4 with nothing
recorded, is the cron runner's test (tests/runs/test_cron.py), through a real process.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from cstocrawl.exceptions import FailedFetch
from cstocrawl.extensions.health import HealthCheck, Observed, assess
from cstocrawl.items import Article
from cstocrawl.parsing.evidence import normalise
from cstocrawl.runs.outcome import Exit, judge
from cstocrawl.spiders.news import NewsSpider
from tests.crawling import project_crawler, spider_in_process
from tests.replica import Fault, ReplicaSite, rewritten
from tests.replica.further import FURTHER_ARTICLES

ARTICLES = 48 + FURTHER_ARTICLES["en"]  # the replica's English articles, every section

HEALTHY_STATS = {
    "cstocrawl/listing/pages": 3,
    "cstocrawl/listing/entries": 12,
    "cstocrawl/article/pages": 12,
}
BODY = "The CSTO Collective Security Council met in Minsk on 23 November and adopted a declaration."


def article(number: int, *, title: str | None = None, published: str | None = None) -> Article:
    return Article(
        url=f"https://en.odkb-csto.org/news/news_odkb/item-{number}/",
        lang="en",
        section="news_odkb",
        title=title or f"Meeting number {number} of the Council",
        published=published or f"2024-03-{number + 1:02d}",
        text=f"{BODY} Item {number}.",
    )


def observed(articles: list[Article]) -> Observed:
    seen = Observed()
    for item in articles:
        seen.add(item)
    return seen


def test_distinct_articles_are_healthy() -> None:
    assert assess(HEALTHY_STATS, 0.2, observed([article(n) for n in range(12)])) == []


def test_the_articles_seen_leave_nothing_in_the_parsers_normalise_cache() -> None:
    """Each article's title and summary is seen once: kept as the cache's keys, they grew the
    crawl process with the run (issue 20)."""
    items = [article(n) for n in range(12)]
    for item in items:
        item.summary = f"Item {item.url[-3:-1]} of the agenda was adopted by the council"
    normalise.cache_clear()
    assert assess(HEALTHY_STATS, 0.2, observed(items)) == []
    assert normalise.cache_info().currsize == 0


def test_one_title_for_every_article_fails_naming_it() -> None:
    failures = assess(
        HEALTHY_STATS, 0.2, observed([article(n, title="Latest news") for n in range(12)])
    )
    assert failures == [
        "12 of 12 articles share one title ('latest news'): the extraction is reading a part of "
        "the page every article shows"
    ]


def test_one_date_for_most_articles_fails() -> None:
    items = [article(n, published="2026-02-13" if n < 8 else None) for n in range(12)]
    failures = assess(HEALTHY_STATS, 0.2, observed(items))
    assert len(failures) == 1 and failures[0].startswith("8 of 12 articles share one date")


def test_a_few_articles_of_one_day_are_not_nonsense() -> None:
    """An incremental run of three statements from one summit day is normal."""
    items = [article(n, published="2026-02-13") for n in range(3)]
    assert assess(HEALTHY_STATS, 0.2, observed(items)) == []


def test_summaries_that_all_end_alike_carry_the_listing_template() -> None:
    items = [article(n) for n in range(12)]
    for number, item in enumerate(items):
        item.summary = f"The Council met in Minsk, item {number}. Views: {100 + 37 * number}"
    failures = assess(HEALTHY_STATS, 0.2, observed(items))
    assert failures == [
        "12 of 12 articles share one summary ending ('views: #'): the extraction is reading a "
        "part of the page every article shows"
    ]
    topics = ["peacekeeping", "drugs", "migration", "borders", "cyber", "exercises"]
    for number, item in enumerate(items):
        item.summary = f"The Council met in Minsk on day {number} to discuss {topics[number % 6]}."
    assert assess(HEALTHY_STATS, 0.2, observed(items)) == []  # at most 2 of 12 end alike


def test_shrunken_bodies_fail_when_most_shrank() -> None:
    items = [article(n) for n in range(12)]
    for number, item in enumerate(items[:7]):
        item.text = f"(Video {number})"
    failures = assess(HEALTHY_STATS, 0.5, observed(items))
    assert failures == [
        "7 of 12 articles have a body under 50 characters: the site's markup may have changed"
    ]


def test_a_few_shrunken_bodies_are_held_not_a_failed_run() -> None:
    """Issue 18: 4 of 12 (1 of 4 before) failed the run; those articles are held instead."""
    items = [article(n) for n in range(12)]
    for number, item in enumerate(items[:4]):
        item.text = f"(Video {number})"
    assert assess(HEALTHY_STATS, 0.2, observed(items)) == []


def test_titles_and_dates_that_disagree_with_the_listings_fail() -> None:
    stats = {
        **HEALTHY_STATS,
        "cstocrawl/evidence/titled": 10,
        "cstocrawl/problems/title_disagrees_with_listing": 6,
        "cstocrawl/problems/date_disagrees_with_listing": 7,
    }
    assert assess(stats, 0.5) == [
        "6 of 10 article titles disagree with their listing's link text",
        "7 of 12 article dates disagree with their listing's date",
    ]
    # Fewer than CSTOCRAWL_MIN_DOUBTFUL, or not most: those articles are held, the run goes on.
    assert assess(stats, 0.5, minimum=8) == []
    assert assess(stats, 0.6) == []


def test_the_extension_sees_kept_dropped_and_failed_items() -> None:
    crawler = get_crawler(settings_dict={"CSTOCRAWL_MAX_PROBLEM_RATIO": 0.2})
    crawler.stats.open_spider()
    check = HealthCheck.from_crawler(crawler)
    crawler.stats.set_stats(dict(HEALTHY_STATS))
    for number in range(3):
        crawler.signals.send_catch_log(signals.item_scraped, item=article(number, title="News"))
        dropped = article(number + 3, title="News")
        crawler.signals.send_catch_log(
            signals.item_dropped, item=dropped, exception=DropItem("Unchanged")
        )
    check.check()
    assert crawler.stats.get_value("cstocrawl/health") == "failed"
    assert crawler.stats.get_value("cstocrawl/health/failures")[0].startswith(
        "6 of 6 articles share one title ('news')"
    )


def test_a_failed_fetch_is_not_taken_for_a_markup_change() -> None:
    """A re-check that got a maintenance page (dropped by the state pipeline as a failed fetch)
    says nothing of the markup: its disagreeing date does not count against the parser."""
    problem = "date_disagrees_with_listing"
    stats = {**HEALTHY_STATS, "cstocrawl/article/pages": 2, f"cstocrawl/problems/{problem}": 1}
    maintenance = article(0, title="Service unavailable")
    maintenance.problems = [f"{problem}: page 01.01.2020, listing 01.03.2024"]

    def verdict(exception: Exception) -> Any:
        settings = {"CSTOCRAWL_MAX_PROBLEM_RATIO": 0.2, "CSTOCRAWL_MIN_DOUBTFUL": 1}
        crawler = get_crawler(settings_dict=settings)
        crawler.stats.open_spider()
        check = HealthCheck.from_crawler(crawler)
        crawler.stats.set_stats(dict(stats))
        crawler.signals.send_catch_log(signals.item_scraped, item=article(1))
        crawler.signals.send_catch_log(signals.item_dropped, item=maintenance, exception=exception)
        check.check()
        return crawler.stats.get_value("cstocrawl/health/failures")

    assert verdict(FailedFetch("Lost its date")) == []
    assert verdict(DropItem("Unchanged")) == [
        "1 of 2 article dates disagree with their listing's date"
    ]


# --- The spider's callbacks and the health check together, in process ---------------------------

MIRROR = "http://127.0.0.1:8800"


def crawled_in_process(site: ReplicaSite, output_dir: Path) -> Crawler:
    """The spider's callbacks on `site` (tests.crawling.spider_in_process), every article
    reaching the health check as a scraped item. The crawler, closed, is returned."""
    crawler = project_crawler(output_dir, {"lang": "en", "base_url": MIRROR}, CSTOCRAWL_WORKERS=0)
    check = crawler.get_extension(HealthCheck)
    assert check is not None
    spider = crawler.spider
    assert isinstance(spider, NewsSpider)

    def scraped(article: Article, response: HtmlResponse) -> None:
        send = crawler.signals.send_catch_log
        send(signals.item_scraped, item=article, response=response, spider=spider)

    spider_in_process(crawler, site, MIRROR, scraped)
    check.check()
    return crawler


def test_a_site_whose_pages_all_print_one_date_fails_the_run(tmp_path: Path) -> None:
    """Every article page shows the same date (a template printing the newest item's date): the
    listings' dates disagree, so the run fails as a markup change (exit 4) and says why."""
    site = ReplicaSite(lang="en", variant="bitrix")
    for truth in site.expected_articles():
        fault = Fault(status=None, edit=rewritten(r"\d\d\.\d\d\.\d{4}", "13.02.2026"))
        site.set_fault(truth["url"], fault)
    stats = crawled_in_process(site, tmp_path).stats
    assert stats.get_value("cstocrawl/article/pages") == ARTICLES
    assert stats.get_value("cstocrawl/health") == "failed"
    failures = stats.get_value("cstocrawl/health/failures")
    assert f"{ARTICLES} of {ARTICLES} article dates disagree with their listing's date" in failures
    assert judge(stats.get_stats(), "finished", max_share=0.2, minimum=5).code == Exit.MARKUP


def test_a_site_whose_pages_all_print_one_title_fails_the_run(tmp_path: Path) -> None:
    """Every article page calls itself "Latest news" (heading and <title>): the run fails as a
    markup change (exit 4), naming the shared title."""
    site = ReplicaSite(lang="en", variant="plain")
    for truth in site.expected_articles():
        fault = Fault(
            status=None,
            edit=rewritten(r"<(h1|title|b)>.*?</\1>", r"<\1>Latest news</\1>"),
        )
        site.set_fault(truth["url"], fault)
    stats = crawled_in_process(site, tmp_path).stats
    assert stats.get_value("cstocrawl/article/pages") == ARTICLES
    assert stats.get_value("cstocrawl/health") == "failed"
    failures = stats.get_value("cstocrawl/health/failures")
    assert any(f.startswith(f"{ARTICLES} of {ARTICLES} articles share one title ('latest news')") for f in failures)
    assert judge(stats.get_stats(), "finished", max_share=0.2, minimum=5).code == Exit.MARKUP


def test_the_unchanged_site_is_healthy_in_process(tmp_path: Path) -> None:
    """The same crawl of the site as served: every page read, no alarm (the two above fail on
    their fault, not on the way pages are fed)."""
    for variant in ("bitrix", "plain"):
        site = ReplicaSite(lang="en", variant=variant)
        stats = crawled_in_process(site, tmp_path / variant).stats
        assert stats.get_value("cstocrawl/article/pages") == ARTICLES, variant
        assert stats.get_value("cstocrawl/health/failures") == [], variant
        assert judge(stats.get_stats(), "finished", max_share=0.2, minimum=5).code == Exit.OK, variant
