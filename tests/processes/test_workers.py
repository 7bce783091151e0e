"""The worker pools: pages and attachments apart, limits enforced by killing, nothing run inline
after a crash, nothing left behind when the crawl process dies (issue 13, defects 3, 5 and 8)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Coroutine, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TypeVar

import pytest
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.utils.test import get_crawler

from cstocrawl.processes import extension as pools_module
from cstocrawl.processes import workers
from cstocrawl.processes.extension import Workers
from cstocrawl.processes.workers import (
    Limits,
    WorkerDied,
    WorkerOutOfMemory,
    WorkersStopped,
    WorkerTimeout,
)
from tests.crawling import alive, descendants, wait_gone

T = TypeVar("T")

REPO = Path(__file__).resolve().parents[2]
MB = 2**20


def where(value: int) -> tuple[int, int]:
    return value * 2, os.getpid()


def die_unless_in(pid: int) -> str:
    """Kills any process but `pid` (a worker); returns only when run inline in `pid`."""
    if os.getpid() != pid:
        os._exit(3)
    return "inline"


def die_first_time(marker: str) -> int:
    """Kills the first worker that runs it; a second one returns its pid."""
    if not Path(marker).exists():
        Path(marker).touch()
        os._exit(3)
    return os.getpid()


def count_and_die(log: str) -> None:
    with Path(log).open("a") as calls:
        calls.write(f"{os.getpid()}\n")
    os._exit(3)


def sleep_then(seconds: float, value: int) -> int:
    time.sleep(seconds)
    return value


def allocate(size: int) -> int:
    return len(bytearray(size))


@pytest.fixture(autouse=True)
def no_process_left() -> Iterator[None]:
    """Every test here ends with no child process of the test run left alive."""
    before = descendants(os.getpid())
    yield
    assert wait_gone(descendants(os.getpid()) - before, timeout=10) == set()


@pytest.fixture
def asyncio_reactor(monkeypatch: pytest.MonkeyPatch) -> None:
    """As under Scrapy's asyncio reactor, which the crawl runs with."""
    monkeypatch.setattr(pools_module, "is_asyncio_available", lambda: True)


def run_with(pools: Workers, main: Coroutine[Any, Any, T]) -> T:
    try:
        return asyncio.run(main)
    finally:
        pools.shutdown()


def test_page_calls_run_in_a_worker_process(asyncio_reactor: None) -> None:
    pools = Workers(1)

    async def main() -> list[tuple[int, int]]:
        return [await pools.run(where, n) for n in (1, 2)]

    [(two, first), (four, second)] = run_with(pools, main())
    assert (two, four) == (2, 4)
    assert first == second != os.getpid()  # one worker, kept between calls


def test_the_next_call_is_in_the_worker_before_a_result_is_used(asyncio_reactor: None) -> None:
    """The worker reads the next page while the crawl handles the last one's result, rather
    than the two taking turns."""
    pools = Workers(1)
    pool = pools.pages
    assert pool is not None

    async def first() -> bool:
        await pools.run(where, 1)
        return bool(pool._busy)  # the waiting call's worker, busy with it already

    async def main() -> tuple[bool, tuple[int, int]]:
        return await asyncio.gather(first(), pools.run(where, 2))

    busy, (four, _) = run_with(pools, main())
    assert busy and four == 4


def test_no_page_workers_means_inline(asyncio_reactor: None) -> None:
    pools = Workers(0)
    assert run_with(pools, pools.run(where, 5)) == (10, os.getpid())


def test_a_page_whose_worker_dies_twice_fails_and_is_never_run_inline(
    asyncio_reactor: None, caplog: pytest.LogCaptureFixture
) -> None:
    pools = Workers(1)
    with pytest.raises(WorkerDied, match="exited with status 3"):
        run_with(pools, pools.run(die_unless_in, os.getpid()))
    assert "A page worker died (the worker exited with status 3)" in caplog.text


def test_a_page_whose_worker_died_once_gets_a_new_worker(
    asyncio_reactor: None, tmp_path: Path
) -> None:
    pools = Workers(1)
    pid = run_with(pools, pools.run(die_first_time, str(tmp_path / "died")))
    assert pid != os.getpid()


def test_an_attachment_over_the_time_limit_is_killed_and_the_next_gets_a_new_worker() -> None:
    # The limit covers a call from its start, and unpickling a function defined here would import
    # this module (and pytest) inside it: the calls are builtins, so only the sleep can overrun.
    pools = Workers(1, attachment_limits=Limits(timeout=2))

    async def main() -> tuple[int, int]:
        slow = await pools.extract(os.getpid)
        with pytest.raises(WorkerTimeout, match=r"took longer than 2 s"):
            await pools.extract(time.sleep, 600)  # blocks past any limit
        assert not alive(slow)
        return slow, await pools.extract(os.getpid)

    slow, replacement = run_with(pools, main())
    assert replacement not in (slow, os.getpid())


def test_an_attachment_over_the_memory_limit_fails_and_the_worker_is_replaced() -> None:
    pools = Workers(1, attachment_limits=Limits(memory=300 * MB))

    async def main() -> int:
        assert await pools.extract(allocate, 50 * MB) == 50 * MB
        with pytest.raises(WorkerOutOfMemory, match="over the memory limit of 300 MiB"):
            await pools.extract(allocate, 400 * MB)
        return await pools.extract(allocate, 50 * MB)

    assert run_with(pools, main()) == 50 * MB


def test_a_crashed_attachment_is_neither_retried_nor_run_inline(tmp_path: Path) -> None:
    pools = Workers(1)
    log = tmp_path / "calls"

    async def main() -> None:
        with pytest.raises(WorkerDied, match="exited with status 3"):
            await pools.extract(count_and_die, str(log))
        with pytest.raises(WorkerDied):
            await pools.extract(die_unless_in, os.getpid())

    run_with(pools, main())
    [pid] = log.read_text().split()  # one call, in a worker
    assert int(pid) != os.getpid()


def test_pages_do_not_wait_behind_a_busy_attachment_worker(asyncio_reactor: None) -> None:
    pools = Workers(1, attachment_workers=1)

    async def main() -> None:
        busy = asyncio.ensure_future(pools.extract(sleep_then, 600, 1))
        while not pools.attachments.pids():  # the attachment worker has started
            await asyncio.sleep(0.05)
        # A page call, and a second one on the same worker, complete while the file is read.
        assert (await pools.run(where, 1))[0] == 2
        assert (await pools.run(where, 2))[0] == 4
        assert not busy.done()
        busy.cancel()
        with pytest.raises(asyncio.CancelledError):
            await busy

    run_with(pools, main())


def test_a_stopping_crawl_kills_busy_workers_and_runs_no_more(asyncio_reactor: None) -> None:
    stop = False
    pools = Workers(1, stopping=lambda: stop)

    async def main() -> None:
        nonlocal stop
        busy = asyncio.ensure_future(pools.extract(sleep_then, 600, 1))
        queued = asyncio.ensure_future(pools.extract(where, 1))
        page = asyncio.ensure_future(pools.run(sleep_then, 600, 2))
        while len(pools.pids()) < 2:  # both workers started
            await asyncio.sleep(0.05)
        pids = pools.pids()
        stop = True
        # No time limit is set: without the stop, all would wait for the 600 s calls.
        done, _ = await asyncio.wait({busy, queued, page}, timeout=60)
        assert done == {busy, queued, page}
        for call in (busy, queued, page):
            with pytest.raises(WorkersStopped):
                call.result()
        assert not any(alive(pid) for pid in pids)

    run_with(pools, main())


def test_shutdown_kills_a_busy_worker_and_its_caller_gets_an_error() -> None:
    pools = Workers(1)

    async def main() -> None:
        busy = asyncio.ensure_future(pools.extract(sleep_then, 600, 1))
        while not pools.attachments.pids():
            await asyncio.sleep(0.05)
        [pid] = pools.attachments.pids()
        pools.shutdown()  # as when the engine stops
        with pytest.raises(WorkerDied, match="killed by SIGKILL"):
            await asyncio.wait_for(busy, 60)
        assert not alive(pid)
        with pytest.raises(WorkersStopped):
            await pools.extract(where, 1)

    run_with(pools, main())


# The crawl process dies by SIGKILL while one worker is busy and one idle.
PARENT = """
import asyncio, json, sys
from cstocrawl.processes import extension as pools_module
from cstocrawl.processes.extension import Workers
from tests.processes.test_workers import sleep_then, where

pools_module.is_asyncio_available = lambda: True  # as under Scrapy's asyncio reactor

async def main():
    pools = Workers(1)
    await pools.run(where, 1)  # a page worker, idle from now on
    busy = asyncio.ensure_future(pools.extract(sleep_then, 600, 1))
    while not pools.attachments.pids():
        await asyncio.sleep(0.05)
    print(json.dumps(pools.pids()), flush=True)
    await busy

asyncio.run(main())
"""


def test_workers_die_with_a_killed_crawl_process() -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        assert parent.stdout is not None
        pids = set(json.loads(parent.stdout.readline()))
        children = descendants(parent.pid)
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    assert len(pids) == 2 and pids <= children
    assert wait_gone(children) == set()


def fails(message: str) -> None:
    raise ValueError(message)


def test_an_exception_in_a_worker_is_raised_with_its_traceback(asyncio_reactor: None) -> None:
    pools = Workers(1)
    with pytest.raises(ValueError, match="bad page") as raised:
        run_with(pools, pools.run(fails, "bad page"))
    assert isinstance(raised.value.__cause__, workers.RemoteTraceback)
    assert 'in fails\n    raise ValueError(message)' in str(raised.value.__cause__)


# --- Workers.of: the crawl's pools, from its settings, gone with its engine ----------------------


WORKERS = "cstocrawl.processes.extension.Workers"


def crawler_with(**settings: object) -> Crawler:
    crawler = get_crawler(settings_dict={**settings, "EXTENSIONS": {WORKERS: 0}})
    crawler.stats.open_spider()
    return crawler


def test_a_crawl_gets_one_pair_of_pools_from_its_settings() -> None:
    crawler = crawler_with(
        CSTOCRAWL_WORKERS=2,
        CSTOCRAWL_ATTACHMENT_WORKERS=3,
        CSTOCRAWL_ATTACHMENT_TIMEOUT=7,
        CSTOCRAWL_ATTACHMENT_MAX_MEMORY=300 * MB,
        CSTOCRAWL_PAGE_TIMEOUT=0,
    )
    pools = Workers.of(crawler)
    assert Workers.of(crawler) is pools
    assert pools.pages is not None and pools.pages.count == 2
    assert pools.pages.limits == Limits(timeout=None)  # 0: no limit
    assert pools.attachments.count == 3
    assert pools.attachments.limits == Limits(timeout=7.0, memory=300 * MB)
    assert Workers.of(crawler_with(CSTOCRAWL_WORKERS=0)).pages is None


def test_the_pools_stop_with_the_crawl_and_end_with_its_engine(asyncio_reactor: None) -> None:
    crawler = crawler_with(CSTOCRAWL_WORKERS=1)
    pools = Workers.of(crawler)
    assert not pools.attachments.stopping()  # no engine yet: a pipeline under test
    crawler.engine = SimpleNamespace()  # type: ignore[assignment]
    crawler.crawling = True
    assert not pools.attachments.stopping()
    [(_, pid)] = asyncio.run(main_of(pools.run(where, 1)))
    assert alive(pid)
    crawler.crawling = False  # a graceful stop began
    assert pools.pages is not None and pools.pages.stopping()
    crawler.signals.send_catch_log(signals.engine_stopped)
    assert wait_gone({pid}) == set()


async def main_of(call: Any) -> list[Any]:
    return [await call]
