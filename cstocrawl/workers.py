"""CPU work (parsing article pages, extracting attachment text) in worker processes.

Scrapy drives the network from one process on one core; what a page or a file costs in CPU can run
beside it. One pool per crawl, shared by the spider and the pipelines, shut down when it ends.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.utils.asyncio import is_asyncio_available

logger = logging.getLogger(__name__)
T = TypeVar("T")


class Workers:
    def __init__(self, count: int) -> None:
        self.count = count
        self._pool: ProcessPoolExecutor | None = None

    @classmethod
    def of(cls, crawler: Crawler) -> Workers:
        """The crawl's pool (CSTOCRAWL_WORKERS processes), made on first use."""
        workers = getattr(crawler, "_cstocrawl_workers", None)
        if workers is None:
            workers = cls(crawler.settings.getint("CSTOCRAWL_WORKERS"))
            crawler._cstocrawl_workers = workers  # type: ignore[attr-defined]
            crawler.signals.connect(workers.shutdown, signal=signals.engine_stopped)
        return workers

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        """`function(*args)` in a worker; inline with no workers, or when a worker died."""
        if self.count == 0 or not is_asyncio_available():
            return function(*args)
        if self._pool is None:
            context = multiprocessing.get_context("forkserver")  # no fork of a running reactor
            self._pool = ProcessPoolExecutor(self.count, mp_context=context)
        try:
            return await asyncio.wrap_future(self._pool.submit(function, *args))
        except BrokenProcessPool:
            logger.error("A worker process died; starting a new pool, this call runs inline")
            self._pool = None
            return function(*args)

    def shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
