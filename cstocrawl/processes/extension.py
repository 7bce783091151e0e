"""The crawl's worker processes as an extension: the page and attachment pools (processes, limits
and the worker's loop are cstocrawl/processes/workers.py), found by the spider and the attachments
pipeline with `Workers.of(crawler)`, gone when the engine stops."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.utils.asyncio import is_asyncio_available

from cstocrawl.extensions import required
from cstocrawl.processes.workers import NO_LIMITS, Limits, Pool, WorkerDied, never

logger = logging.getLogger(__name__)
T = TypeVar("T")


class Workers:
    """The crawl's two pools, pages and attachments: made with the crawler from its settings,
    shut down when its engine stops."""

    def __init__(
        self,
        count: int,
        *,
        attachment_workers: int = 1,
        attachment_limits: Limits = NO_LIMITS,
        page_limits: Limits = NO_LIMITS,
        stopping: Callable[[], bool] = never,
    ) -> None:
        self.count = count
        # Both pools stop with the crawl: a graceful stop must not wait for any worker.
        self.pages = Pool("page", count, page_limits, stopping=stopping) if count > 0 else None
        self.attachments = Pool(
            "attachment",
            max(attachment_workers, 1),  # limits need a process to enforce them in
            attachment_limits,
            preload=("cstocrawl.extract",),
            stopping=stopping,
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Workers:
        settings = crawler.settings
        workers = cls(
            settings.getint("CSTOCRAWL_WORKERS"),
            attachment_workers=settings.getint("CSTOCRAWL_ATTACHMENT_WORKERS"),
            attachment_limits=Limits(
                timeout=settings.getfloat("CSTOCRAWL_ATTACHMENT_TIMEOUT") or None,
                memory=settings.getint("CSTOCRAWL_ATTACHMENT_MAX_MEMORY") or None,
            ),
            page_limits=Limits(timeout=settings.getfloat("CSTOCRAWL_PAGE_TIMEOUT") or None),
            stopping=lambda: _stopping(crawler),
        )
        crawler.signals.connect(workers.shutdown, signal=signals.engine_stopped)
        return workers

    @classmethod
    def of(cls, crawler: Crawler) -> Workers:
        """The crawl's pools; the spider and the attachments pipeline cannot work without them."""
        return required(crawler, cls)

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        """`function(*args)` for a page, in a page worker (inline with CSTOCRAWL_WORKERS=0).

        A worker that died is replaced and the call tried once more there (the OOM killer or a
        stray signal may have hit it); if that one dies too, WorkerDied. Never inline: a page
        that crashes its parser would take the whole crawl, and its manifest, with it. Also
        WorkerTimeout past CSTOCRAWL_PAGE_TIMEOUT, and WorkersStopped once the crawl is stopping.
        """
        if self.pages is None or not is_asyncio_available():
            return function(*args)
        try:
            return await self.pages.call(function, *args)
        except WorkerDied as error:
            logger.warning("A page worker died (%s); trying the call in a new one", error)
            return await self.pages.call(function, *args)

    async def extract(self, function: Callable[..., T], *args: Any) -> T:
        """`function(*args)` for an attachment, in an attachment worker under the limits; a
        WorkerError says why there is no result. Never run inline and never retried."""
        return await self.attachments.call(function, *args)

    def pids(self) -> list[int]:
        """The worker processes alive now (for tests and diagnostics)."""
        return [*(self.pages.pids() if self.pages else []), *self.attachments.pids()]

    def shutdown(self) -> None:
        if self.pages is not None:
            self.pages.shutdown()
        self.attachments.shutdown()


def _stopping(crawler: Crawler) -> bool:
    """A graceful stop (SIGTERM, Ctrl-C) began: Scrapy clears `crawling` before it waits for the
    items in flight, which would otherwise wait for every queued attachment."""
    try:
        engine = crawler.engine
    except RuntimeError:  # Scrapy 2.19: not set before the crawl starts (a pipeline under test)
        return False
    return engine is not None and not crawler.crawling
