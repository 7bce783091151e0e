"""Compare each article with the crawl state: drop the unchanged ones, record what was written.

Three moments (cstocrawl/state.py says why in this order):
- process_item, before attachments: in incremental mode an article whose content_sha256 the state
  already has is dropped (logged at DEBUG: it is the normal case, not a problem); in any mode a
  version that lost the title, date or body the stored one had is a failed fetch, never a change:
  dropped, counted in `cstocrawl/failed/article` and logged, the stored version kept;
- item_scraped, after every pipeline, the writer included: the line is in `<run id>.jsonl.tmp`, so
  the article is recorded as pending for this run, as new, changed or (full mode) unchanged;
- dataset_written, sent by the writer once the file has its final name: the run is promoted.

It also keeps the retry list (cstocrawl/state.py): pages the spider lost (`page_failed`), items
that lost their content or broke a pipeline, and listing pages fetched are the run's outcomes; when
the spider runs out of requests, what earlier runs failed is requested again, and an unchanged
article with a failed attachment download is let through to the attachments pipeline.
"""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, DropItem
from scrapy.http import Response
from twisted.python.failure import Failure

from cstocrawl.incremental import page_failed
from cstocrawl.parsing.evidence import ListingEvidence
from cstocrawl.pipelines.jsonl import dataset_written
from cstocrawl.site import UrlKind
from cstocrawl.spiders.news import iso_utc, utc_now
from cstocrawl.state import Known, Retry, RetryKind, State, kind_of, lost_fields, state_path

logger = logging.getLogger(__name__)


class FailedFetch(DropItem):
    """An article page that lost what its stored version had: a failed fetch, not a change, and
    not the parser's output either (the health check leaves it out)."""


class StatePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.path = state_path(crawler.settings.get("CSTOCRAWL_OUTPUT_DIR", "output"))
        self._state: State | None = None
        self._emitted: set[str] = set()  # URLs this run let through, to never write one twice
        self._known: dict[str, Known] = {}
        self._aliases: dict[str, str] = {}  # alias URL -> article URL, known or met by this run
        self._by_content: dict[tuple[str, str], str] = {}  # (section, content_sha256) -> URL
        self._retries: list[Retry] = []
        self._attachment_articles: set[str] = set()  # articles with a failed download to retry
        self._retries_requested = False
        self._promoted = False
        self.max_attempts = crawler.settings.getint("CSTOCRAWL_RETRY_RUNS")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StatePipeline:
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(pipeline.dataset_written, signal=dataset_written)
        crawler.signals.connect(pipeline.engine_stopped, signal=signals.engine_stopped)
        crawler.signals.connect(pipeline.page_failed, signal=page_failed)
        crawler.signals.connect(pipeline.item_error, signal=signals.item_error)
        crawler.signals.connect(pipeline.response_received, signal=signals.response_received)
        crawler.signals.connect(pipeline.spider_idle, signal=signals.spider_idle)
        return pipeline

    @property
    def state(self) -> State:
        assert self._state is not None, "the state is opened with the spider"
        return self._state

    @property
    def run_id(self) -> str:
        return self.crawler.spider.run_id

    def open_spider(self) -> None:
        spider = self.crawler.spider
        self._state = State(self.path)
        mode = "full" if spider.full else "incremental"
        abandoned = self.state.begin_run(self.run_id, iso_utc(spider.started_at), mode)
        # What the state knew when the run began: one read instead of two queries per article.
        self._known = self.state.known_articles()
        self._aliases = self.state.aliases()
        self._by_content = self.state.content_index()
        self._retries = self.state.retries()
        self._attachment_articles = {
            retry.article for retry in self._retries if retry.kind == "attachment" and retry.article
        }
        if self._retries:
            self.stats.set_value("cstocrawl/retry/listed", len(self._retries))
            logger.info("Retry list: %d pages or files earlier runs failed", len(self._retries))
        self.stats.set_value("cstocrawl/state/mode", mode)  # the run is on record
        # Connected now, after the writer's own handler: it runs once the promotion is decided.
        self.crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        if abandoned:
            logger.warning(
                "Runs %s never closed: what they left pending is discarded, their articles will "
                "be emitted again",
                ", ".join(abandoned),
            )

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        url = self._as_article(adapter)
        if url in self._emitted:
            self._record_aliases(adapter)  # another URL of it may have led here
            self.stats.inc_value("cstocrawl/state/dropped")
            raise DropItem(f"Already emitted by this run: {url}")
        known = self._known.get(url)
        if known is None:
            self._merge_by_content(adapter)
        if lost := lost_fields(known, adapter):
            self._downgraded(adapter, lost)
        kind = kind_of(known, adapter["content_sha256"])
        if kind == "unchanged" and url in self._attachment_articles:
            self.stats.inc_value("cstocrawl/retry/attachment_articles")  # re-written, to retry
        elif kind == "unchanged" and not self.crawler.spider.full:
            self.state.record(self.run_id, adapter.asdict(), kind, written=False)
            self.stats.inc_value("cstocrawl/state/unchanged")
            self.stats.inc_value("cstocrawl/state/dropped")
            raise DropItem(f"Unchanged since it was last written: {url}", log_level="DEBUG")
        self._emitted.add(url)
        if self._has_content(adapter):
            self._by_content.setdefault((adapter["section"], adapter["content_sha256"]), url)
        # The record lists every other URL the article is known under, not only this page's.
        known_aliases = [alias for alias, article in self._aliases.items() if article == url]
        adapter["aliases"] = sorted({*(adapter.get("aliases") or ()), *known_aliases})
        return item

    # --- one article, one record ---

    def _as_article(self, adapter: ItemAdapter) -> str:
        """An item fetched under a known alias is its article: the URL it carries, the alias
        among its aliases. The item's URL, resolved."""
        aliases = adapter.get("aliases") or []
        for alias in aliases:
            self._aliases[alias] = adapter["url"]  # for later items of this run
        url = adapter["url"]
        if (article := self._aliases.get(url)) is not None and article != url:
            adapter["url"] = article
            adapter["section"] = self.crawler.spider.site.section_of(article) or ""
            adapter["aliases"] = [*aliases, url]
            self.stats.inc_value("cstocrawl/state/alias_fetched")
        return adapter["url"]

    def _merge_by_content(self, adapter: ItemAdapter) -> None:
        """An unknown URL whose page repeats an article this run emitted, or the state knows,
        under another URL is that article: the URL becomes an alias, the item is dropped."""
        if not self._has_content(adapter):
            return
        url = adapter["url"]
        article = self._by_content.get((adapter["section"], adapter["content_sha256"]))
        if article is None or article == url:
            return
        adapter["url"] = article
        adapter["aliases"] = [*(adapter.get("aliases") or ()), url]
        self._record_aliases(adapter)
        self.stats.inc_value("cstocrawl/state/merged")
        self.stats.inc_value("cstocrawl/state/dropped")
        logger.info("Merged %s into %s: same content", url, article)
        raise DropItem(f"Same content as {article}: {url}", log_level="DEBUG")

    def _record_aliases(self, adapter: ItemAdapter) -> None:
        """The item's aliases as pending rows of the run (`item_scraped` records those of the
        items that are written)."""
        url = adapter["url"]
        for alias in adapter.get("aliases") or ():
            self._aliases[alias] = url
            self.state.record_alias(self.run_id, alias, url, adapter["crawled_at"])

    @staticmethod
    def _has_content(adapter: ItemAdapter) -> bool:
        """Only a page with a title and a body can prove two URLs are one article: error pages
        and empty templates all hash alike."""
        body = adapter.get("text") or adapter.get("attachments")
        return bool(adapter.get("title")) and bool(body)

    def _downgraded(self, adapter: ItemAdapter, lost: list[str]) -> None:
        """A failed fetch (an error page served with 200): counted like one, the stored version
        kept, and fetched again by the next run (the retry list)."""
        url = adapter["url"]
        self._failed(url, "article", f"lost its {', '.join(lost)}", adapter.get("summary"))
        self.stats.inc_value("cstocrawl/failed/article")
        self.stats.inc_value("cstocrawl/failed/downgraded")
        self.stats.inc_value("cstocrawl/state/dropped")  # counted as failed/article, not twice
        logger.error(
            "Failed article %s: the page lost its %s (stored version kept, fetched again next run)",
            url,
            ", ".join(lost),
        )
        raise FailedFetch(f"Lost its {', '.join(lost)}: {url}", log_level="DEBUG")

    # --- the retry list ---

    def _failed(self, url: str, kind: RetryKind, error: str, summary: str | None = None) -> None:
        if self._state is None:  # the state could not be opened: the run records nothing
            return
        seen_at = iso_utc(utc_now())
        self.state.record_outcome(
            self.run_id, url, kind, ok=False, seen_at=seen_at, summary=summary, error=error
        )

    def page_failed(self, request: Request, kind: RetryKind, reason: str) -> None:
        """A page the spider lost after Scrapy's retries."""
        url = request.meta.get("redirect_urls", [request.url])[0]
        canonical = self.crawler.spider.site.canonical(url) or url
        listing = request.cb_kwargs.get("listing")
        self._failed(canonical, kind, reason, getattr(listing, "teaser", None))

    def item_error(self, item: Any, failure: Failure) -> None:
        """A pipeline raised on the article: not written, so fetched again next run."""
        adapter = ItemAdapter(item)
        error = f"{failure.type.__name__}: {failure.getErrorMessage()}"
        self._failed(adapter["url"], "article", error, adapter.get("summary"))

    def response_received(self, response: Response, request: Request) -> None:
        """A listing page that answered takes it off the retry list (articles do when written)."""
        if response.status != 200 or self._state is None:
            return
        site = self.crawler.spider.site
        url = site.canonical(request.meta.get("redirect_urls", [request.url])[0])
        if url is not None and site.classify(url) in (UrlKind.SECTION, UrlKind.ALL_NEWS):
            seen_at = iso_utc(utc_now())
            self.state.record_outcome(self.run_id, url, "listing", ok=True, seen_at=seen_at)

    def spider_idle(self) -> None:
        """Once the crawl ran out of requests: request what earlier runs failed and this one has
        not requested (the scheduler drops those it has)."""
        if self._retries_requested:
            return
        self._retries_requested = True
        requests = list(self._retry_requests())
        assert self.crawler.engine is not None
        for request in requests:
            self.crawler.engine.crawl(request)
        if requests:
            self.stats.set_value("cstocrawl/retry/requested", len(requests))
            raise DontCloseSpider

    def _retry_requests(self) -> list[Request]:
        spider = self.crawler.spider
        requests: dict[str, Request] = {}
        for retry in self._retries:
            if retry.kind == "listing":
                section = spider.site.section_of(retry.url)
                if section is None or spider.article_key.wants(section):
                    requests[retry.url] = spider.listing_request(retry.url)
                continue
            url = retry.article if retry.kind == "attachment" else retry.url
            if url is None or url in requests or spider.article_key(url) is None:
                continue
            requests[url] = Request(
                spider.site.fetch_url(url),
                callback=spider.parse_article,
                errback=spider.request_failed,
                cb_kwargs={"canonical_url": url, "listing": ListingEvidence(teaser=retry.summary)},
                priority=1,
            )
        return list(requests.values())

    def item_scraped(self, item: Any) -> None:
        adapter = ItemAdapter(item)
        kind = kind_of(self._known.get(adapter["url"]), adapter["content_sha256"])
        self.state.record(self.run_id, adapter.asdict(), kind)
        self.stats.inc_value(f"cstocrawl/state/{kind}")

    def close_spider(self) -> None:
        # Before spider_closed: the writer's rename and the manifest need the write lock.
        self.state.flush()

    def dataset_written(self) -> None:
        promoted = self.state.promote(self.run_id, self.max_attempts)
        self._promoted = True
        self.stats.set_value("cstocrawl/state/promoted", promoted)
        logger.info("State: run %s recorded, %d articles marked seen", self.run_id, promoted)
        self._report(self.state.given_up_now)

    def spider_closed(self) -> None:
        """A run that is not promoted records nothing it fetched, but what it lost is retried."""
        if self._state is not None and not self._promoted:
            self._report(self.state.settle_failures(self.run_id, self.max_attempts))

    def _report(self, given_up: list[Retry]) -> None:
        if given_up:
            self.stats.set_value(
                "cstocrawl/retry/given_up", [f"{r.kind} {r.url}: {r.error}" for r in given_up]
            )
        for retry in given_up:
            logger.warning(
                "Gave up on %s %s after %d failed runs: %s",
                retry.kind,
                retry.url,
                retry.attempts,
                retry.error,
            )

    def engine_stopped(self) -> None:
        if self._state is not None:
            self._state.close()
