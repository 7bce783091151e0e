"""The worker pool that parses pages and extracts text beside the crawl's own process."""

from __future__ import annotations

import asyncio
import multiprocessing
import os

import pytest

from cstocrawl import workers
from cstocrawl.workers import Workers


def where(value: int) -> tuple[int, bool]:
    return value * 2, multiprocessing.parent_process() is not None


def dies_in_a_worker() -> str:
    if multiprocessing.parent_process() is not None:
        os._exit(3)
    return "inline"


@pytest.fixture
def asyncio_reactor(monkeypatch: pytest.MonkeyPatch) -> None:
    """As under Scrapy's asyncio reactor, which the crawl runs with."""
    monkeypatch.setattr(workers, "is_asyncio_available", lambda: True)


def test_calls_run_in_a_worker_process(asyncio_reactor: None) -> None:
    pool = Workers(1)

    async def main() -> list[tuple[int, bool]]:
        return [await pool.run(where, n) for n in (1, 2)]

    try:
        assert asyncio.run(main()) == [(2, True), (4, True)]
    finally:
        pool.shutdown()


def test_no_workers_means_inline(asyncio_reactor: None) -> None:
    assert asyncio.run(Workers(0).run(where, 5)) == (10, False)


def test_a_dead_worker_costs_one_call_run_inline_not_the_crawl(
    asyncio_reactor: None, caplog: pytest.LogCaptureFixture
) -> None:
    pool = Workers(1)

    async def main() -> tuple[str, tuple[int, bool]]:
        return await pool.run(dies_in_a_worker), await pool.run(where, 1)

    try:
        assert asyncio.run(main()) == ("inline", (2, True))  # the next call gets a new pool
    finally:
        pool.shutdown()
    assert "A worker process died" in caplog.text
