"""Compare each article with the crawl state: drop the unchanged ones, record what was written.

Two moments here, a third at the run's end (cstocrawl/store/state.py says why in this order):
- process_item, before attachments: one article, one record: an item fetched under a known alias
  is its article (unless it now shows another title and content: then it splits off as an article
  of its own; and one showing the stored version is never written in the article's place), and an
  unknown URL repeating an article's (section, content) is merged into it as an alias
  (docs/dataset.md); in incremental mode an article whose content_sha256 the state
  already has is dropped (logged at DEBUG: it is the normal case, not a problem); in any mode a
  version that lost the title, date or body the stored one had is a failed fetch, never a change:
  dropped, counted in `cstocrawl/failed/article` and logged, the stored version kept;
- item_scraped, after every pipeline, the writer included: the line is in `<run id>.jsonl.tmp`, so
  the article is recorded as pending for this run, as new, changed or (full mode) unchanged;
- the run's end (cstocrawl/runs/extension.py) promotes the run once the file has its final name.

It also keeps the run's side of the retry list (cstocrawl/store/state.py): pages the spider lost
(`page_failed`) or read (`page_read`), and items that lost their content or broke a pipeline, are
the run's outcomes; an unchanged article with a failed attachment download is let through to the
attachments pipeline. The spider requests what earlier runs failed (cstocrawl/store/incremental.py).
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from twisted.python.failure import Failure

from cstocrawl.exceptions import FailedFetch
from cstocrawl.items import Article, as_record
from cstocrawl.runs.extension import RunLifecycle
from cstocrawl.runs.run import iso_utc, utc_now
from cstocrawl.runs.statkeys import (
    FAILED_ARTICLE,
    FAILED_DOWNGRADED,
    RETRY_ATTACHMENT_ARTICLES,
    STATE_ALIAS_FETCHED,
    STATE_DROPPED,
    STATE_MERGED,
    STATE_SPLIT,
    STATE_UNCHANGED,
    state_key,
)
from cstocrawl.signals import page_failed, page_read
from cstocrawl.site import Site
from cstocrawl.store.state import Kind, Known, RetryKind, kind_of, lost_fields

logger = logging.getLogger(__name__)


class StatePipeline:
    def __init__(self, crawler: Crawler, lifecycle: RunLifecycle) -> None:
        assert crawler.stats is not None
        self.stats = crawler.stats
        self.run = lifecycle.run
        self.state = lifecycle.state
        self._emitted: set[str] = set()  # URLs this run let through, to never write one twice
        # What each emitted article showed (content_sha256, title): an alias must agree with it.
        self._emitted_content: dict[str, tuple[str, str | None]] = {}
        self._known = lifecycle.known
        # Alias URL -> article URL, known or met by this run; (section, content_sha256) -> URL.
        self._aliases = dict(lifecycle.aliases)
        self._by_content = lifecycle.state.content_index()
        # Articles with a failed attachment download: let through when unchanged, to retry it.
        self._attachment_articles = {
            retry.article
            for retry in lifecycle.retries
            if retry.kind == "attachment" and retry.article
        }

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StatePipeline:
        pipeline = cls(crawler, RunLifecycle.of(crawler))
        crawler.signals.connect(pipeline.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(pipeline.page_failed, signal=page_failed)
        crawler.signals.connect(pipeline.page_read, signal=page_read)
        crawler.signals.connect(pipeline.item_error, signal=signals.item_error)
        return pipeline

    def process_item(self, item: Article) -> Article:
        fetched_as = item.url
        url = self._as_article(item)
        if url in self._emitted:
            self._record_aliases(item)  # another URL of it may have led here
            self.stats.inc_value(STATE_DROPPED)
            raise DropItem(f"Already emitted by this run: {url}")
        known = self._known.get(url)
        if known is None:
            self._merge_by_content(item)
        if lost := lost_fields(known, vars(item)):
            self._downgraded(item, lost)
        kind = kind_of(known, item.content_sha256)
        if kind == "unchanged" and url != fetched_as:
            self._stale_alias(item, fetched_as)
        if kind == "unchanged" and url in self._attachment_articles:
            self.stats.inc_value(RETRY_ATTACHMENT_ARTICLES)  # re-written, to retry
        elif kind == "unchanged" and not self.run.full:
            self.state.record(self.run.id, as_record(item), kind, written=False)
            self.stats.inc_value(STATE_UNCHANGED)
            self.stats.inc_value(STATE_DROPPED)
            raise DropItem(f"Unchanged since it was last written: {url}", log_level="DEBUG")
        self._emitted.add(url)
        self._emitted_content[url] = (item.content_sha256, item.title)
        _stamp(item, known, kind)
        if self._has_content(item):
            self._by_content.setdefault((item.section, item.content_sha256), url)
        # The record lists every other URL the article is known under, not only this page's.
        known_aliases = [alias for alias, article in self._aliases.items() if article == url]
        item.aliases = sorted({*item.aliases, *known_aliases})
        return item

    # --- one article, one record ---

    def _as_article(self, item: Article) -> str:
        """An item fetched under a known alias is its article: the URL it carries, the alias
        among its aliases. The item's URL, resolved."""
        aliases = item.aliases
        for alias in aliases:
            self._aliases[alias] = item.url  # for later items of this run
        url = item.url
        if (article := self._aliases.get(url)) is not None and article != url:
            if self._diverged(item, article):
                del self._aliases[url]
                self.stats.inc_value(STATE_SPLIT)
                logger.info("Split %s from %s: it shows another article now", url, article)
                return url
            item.url = article
            item.section = Site.section_of(article) or ""
            item.aliases = [*aliases, url]
            self.stats.inc_value(STATE_ALIAS_FETCHED)
            return article
        return url

    def _stale_alias(self, item: Article, alias: str) -> None:
        """Another URL of an article showing its stored version is never written in its place:
        the article itself may have changed since, and its own fetch writes it (issue 18)."""
        self._record_aliases(item)
        self.stats.inc_value(STATE_DROPPED)
        raise DropItem(f"Another URL of {item.url}, as stored: {alias}", log_level="DEBUG")

    def _diverged(self, item: Article, article: str) -> bool:
        """An alias whose page shows another title and content than its article's (stored, or
        emitted by this run) is another article now: merged once on equal content, the two split
        again, so no page writes its text under the other's URL (issue 18). An error page
        proves nothing; an edit of the article keeps its title."""
        if not self._has_content(item):
            return False
        known = self._known.get(article)
        stored = (known.content_sha256, known.title) if known else None
        shown = self._emitted_content.get(article) or stored  # what the article shows now
        if shown is None:
            return False
        return item.content_sha256 != shown[0] and item.title != shown[1]

    def _merge_by_content(self, item: Article) -> None:
        """An unknown URL whose page repeats an article this run emitted, or the state knows,
        under another URL is that article: the URL becomes an alias, the item is dropped."""
        if not self._has_content(item):
            return
        url = item.url
        article = self._by_content.get((item.section, item.content_sha256))
        if article is None or article == url:
            return
        item.url = article
        item.aliases = [*item.aliases, url]
        self._record_aliases(item)
        self.stats.inc_value(STATE_MERGED)
        self.stats.inc_value(STATE_DROPPED)
        logger.info("Merged %s into %s: same content", url, article)
        raise DropItem(f"Same content as {article}: {url}", log_level="DEBUG")

    def _record_aliases(self, item: Article) -> None:
        """The item's aliases as pending rows of the run (`item_scraped` records those of the
        items that are written)."""
        url = item.url
        for alias in item.aliases:
            self._aliases[alias] = url
            self.state.record_alias(self.run.id, alias, url, item.crawled_at)

    @staticmethod
    def _has_content(item: Article) -> bool:
        """Only a page with a title and a body can prove two URLs are one article: error pages
        and empty templates all hash alike."""
        return bool(item.title) and bool(item.text or item.attachments)

    def _downgraded(self, item: Article, lost: list[str]) -> None:
        """A failed fetch (an error page served with 200): counted like one, the stored version
        kept, and fetched again by the next run (the retry list)."""
        url = item.url
        self._outcome(url, "article", f"lost its {', '.join(lost)}", item.summary)
        self.stats.inc_value(FAILED_ARTICLE)
        self.stats.inc_value(FAILED_DOWNGRADED)
        self.stats.inc_value(STATE_DROPPED)  # counted as failed/article, not twice
        logger.error(
            "Failed article %s: the page lost its %s (stored version kept, fetched again next run)",
            url,
            ", ".join(lost),
        )
        raise FailedFetch(f"Lost its {', '.join(lost)}: {url}", log_level="DEBUG")

    def item_scraped(self, item: Article) -> None:
        kind = kind_of(self._known.get(item.url), item.content_sha256)
        self.state.record(self.run.id, as_record(item), kind)
        self.stats.inc_value(state_key(kind))

    # --- the retry list: what this run failed, and what it read after earlier runs failed ---

    def _outcome(
        self, url: str, kind: RetryKind, error: str | None = None, summary: str | None = None
    ) -> None:
        self.state.record_outcome(
            self.run.id,
            url,
            kind,
            ok=error is None,
            seen_at=iso_utc(utc_now()),
            summary=summary,
            error=error,
        )

    def page_failed(self, url: str, kind: RetryKind, reason: str, summary: str | None) -> None:
        """A page the spider lost after Scrapy's retries, or could not read."""
        self._outcome(url, kind, reason, summary)

    def page_read(self, url: str, kind: RetryKind) -> None:
        """A listing page read takes it off the retry list (articles do when written)."""
        self._outcome(url, kind)

    def item_error(self, item: Article, failure: Failure) -> None:
        """A pipeline raised on the article: not written, so fetched again next run."""
        error = f"{type(failure.value).__name__}: {failure.getErrorMessage()}"
        self._outcome(item.url, "article", error, item.summary)


def _stamp(item: Article, known: Known | None, kind: Kind) -> None:
    """What the state knows of the article on its record, as promotion will record it: the
    record's own `crawled_at` for a first or changed version."""
    item.change = kind
    crawled_at = item.crawled_at
    item.first_seen = (known.first_seen_at if known is not None else None) or crawled_at
    if kind == "unchanged" and known is not None:
        item.last_changed = known.last_changed_at
    else:
        item.last_changed = crawled_at
