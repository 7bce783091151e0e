"""A verdict per fetched article (cstocrawl/runs/verdict.py): a held article is never written.

Its own pipeline, between cleaning and state: the verdict needs the cleaned text, and must come
before the state pipeline, which would record the article as new or changed and merge it into
another by its content. The stored version it is compared with is what the state knew as the run
began (`RunLifecycle.known`), read through the known aliases as the state pipeline reads it.

- accepted: passed on (`cstocrawl/verdict/accepted`);
- held (a problem of a kind in `verdict.HOLD`, or a body that is an error page or shrank to a
  line): dropped, its stored version kept, put on the retry list with its reason so the next run
  fetches it again, counted (`cstocrawl/verdict/held`) and logged once at WARNING;
- failed: a page lost after retries, a version that lost what the stored one had (the state
  pipeline drops it as a `FailedFetch`), an item a pipeline raised on (`cstocrawl/verdict/failed`).

Held and failed articles are listed, with their reason, in the stats the manifest moves to its
top-level `held` and `failed_articles`. So that a fault that persists is reported every run but
judged only once, the held and failed things that earlier runs already failed (the retry list)
are also counted apart (`.../again`); cstocrawl/runs/outcome.py judges the run on the others.
"""

from __future__ import annotations

import logging
from typing import Any, NoReturn

from scrapy import signals
from scrapy.crawler import Crawler
from twisted.python.failure import Failure

from cstocrawl.exceptions import HeldArticle
from cstocrawl.items import Article
from cstocrawl.problems import problem_kind
from cstocrawl.runs.extension import RunLifecycle
from cstocrawl.runs.run import iso_utc, utc_now
from cstocrawl.runs.statkeys import (
    ATTACHMENTS_FAILED_AGAIN,
    THINGS_FAILED,
    THINGS_FAILED_AGAIN,
    VERDICT_ACCEPTED,
    VERDICT_AGAIN,
    VERDICT_ATTACHMENTS,
    VERDICT_FAILED,
    VERDICT_FAILED_LIST,
    VERDICT_HELD,
    VERDICT_HELD_LIST,
    problem_key,
)
from cstocrawl.runs.verdict import Judgement, doubts, judge
from cstocrawl.signals import page_failed
from cstocrawl.store.state import RetryKind, lost_fields

logger = logging.getLogger(__name__)

class VerdictPipeline:
    def __init__(self, crawler: Crawler, lifecycle: RunLifecycle) -> None:
        assert crawler.stats is not None
        self.stats = crawler.stats
        self.run = lifecycle.run
        self.state = lifecycle.state
        self.known = lifecycle.known
        self.aliases = lifecycle.aliases
        self.retried = {(retry.kind, retry.url) for retry in lifecycle.retries}
        self._failed_things: set[tuple[str, str]] = set()
        self.stats.set_value(VERDICT_HELD_LIST, [])
        self.stats.set_value(VERDICT_FAILED_LIST, [])

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> VerdictPipeline:
        pipeline = cls(crawler, RunLifecycle.of(crawler))
        crawler.signals.connect(pipeline.page_failed, signal=page_failed)
        crawler.signals.connect(pipeline.item_error, signal=signals.item_error)
        crawler.signals.connect(pipeline.item_scraped, signal=signals.item_scraped)
        return pipeline

    def process_item(self, item: Article) -> Article:
        url = item.url
        known = self.known.get(self.aliases.get(url, url))
        fields = vars(item)  # read as a mapping, without ItemAdapter's lookups
        if lost := lost_fields(known, fields):  # the state pipeline drops it as a failed fetch
            self._failed(url, item.title, f"lost its {', '.join(lost)}", "article")
            return item
        for problem in doubts(fields, known.text_chars if known else None):
            item.problems.append(problem)
            self.stats.inc_value(problem_key(problem_kind(problem)))
        judgement = judge(item.problems)
        if judgement.accepted:
            self.stats.inc_value(VERDICT_ACCEPTED)
            return item
        self._held(item, judgement)

    def _held(self, item: Article, judgement: Judgement) -> NoReturn:
        url = item.url
        self.stats.inc_value(VERDICT_HELD)
        if ("article", url) in self.retried:
            self.stats.inc_value(VERDICT_AGAIN)
        self._list(VERDICT_HELD_LIST, url, item.title, judgement.reason)
        self.state.record_outcome(
            self.run.id,
            url,
            "article",
            ok=False,
            seen_at=iso_utc(utc_now()),
            summary=item.summary,
            error=f"held: {judgement.reason}",
        )
        logger.warning(
            "Held article %s: %s (not written, the stored version kept, fetched again next run)",
            url,
            judgement.reason,
        )
        raise HeldArticle(f"Held: {judgement.reason}: {url}", log_level="DEBUG")

    def _failed(self, url: str, title: str | None, reason: str, kind: RetryKind) -> None:
        """A thing this run failed, counted once (a file two articles link fails on both); an
        article is also listed."""
        if (kind, url) in self._failed_things:
            return
        self._failed_things.add((kind, url))
        again = (kind, url) in self.retried
        self.stats.inc_value(THINGS_FAILED_AGAIN if again else THINGS_FAILED)
        if kind == "attachment" and again:
            self.stats.inc_value(ATTACHMENTS_FAILED_AGAIN)
        if kind != "article":
            return
        self.stats.inc_value(VERDICT_FAILED)
        if again:
            self.stats.inc_value(VERDICT_AGAIN)
        self._list(VERDICT_FAILED_LIST, url, title, reason)

    def _list(self, key: str, url: str, title: str | None, reason: str) -> None:
        listed: list[dict[str, Any]] = self.stats.get_value(key, [])
        listed.append({"url": url, "title": title, "reason": reason})
        self.stats.set_value(key, listed)

    def page_failed(self, url: str, kind: RetryKind, reason: str, summary: str | None) -> None:
        """A page the spider lost after Scrapy's retries, or could not read."""
        self._failed(url, None, reason, kind)

    def item_error(self, item: Article, failure: Failure) -> None:
        """A pipeline raised on the article: not written."""
        error = f"{type(failure.value).__name__}: {failure.getErrorMessage()}"
        self._failed(item.url, item.title, error, "article")

    def item_scraped(self, item: Article) -> None:
        """A written article's attachments: how many, and the downloads that failed."""
        for attachment in item.attachments:
            self.stats.inc_value(VERDICT_ATTACHMENTS)
            if attachment.status == "failed" and not attachment.path:
                self._failed(attachment.url, None, attachment.error or "failed", "attachment")
