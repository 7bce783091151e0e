"""CPU work (parsing pages, extracting attachment text) in worker processes the crawl controls.

Scrapy drives the network from one process on one core; what a page or a file costs in CPU runs
beside it. Two pools per crawl (`Workers`, cstocrawl/processes/extension.py), so a page never
waits behind a slow file: `run()` parses pages
(CSTOCRAWL_WORKERS processes), `extract()` reads attachments (CSTOCRAWL_ATTACHMENT_WORKERS) under a
wall-time limit per call and a memory limit per process. A call that overruns is killed with its
process; a call whose process died is never re-run in the crawl's own process.

Every worker is a fresh Python (never a fork of the running reactor) that dies with the crawl:
PR_SET_PDEATHSIG (Linux) kills a busy one when the crawl dies, even by SIGKILL, and an idle one
exits on EOF of its pipe.
"""

from __future__ import annotations

import asyncio
import atexit
import importlib
import logging
import os
import signal
import subprocess
import traceback
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from cstocrawl.processes.children import die_with, spawn_child

logger = logging.getLogger(__name__)
T = TypeVar("T")

# How often a waiting call looks whether the crawl is stopping (SIGTERM): the bound on how long
# a stop waits for a busy attachment worker, besides killing it.
_STOP_POLL_SECONDS = 0.5
# A new worker has this long to start (import Python and the preloaded modules).
_START_TIMEOUT = 120.0

_OK, _RAISED, _MEMORY = "ok", "raised", "memory"


class RemoteTraceback(Exception):
    """The traceback of an exception raised in a worker, shown as its cause."""

    def __str__(self) -> str:
        return f'\n"""\n{self.args[0]}"""'


class WorkerError(Exception):
    """A call that gave no result because its worker was killed or died; never retried inline."""


class WorkerTimeout(WorkerError):
    """The call ran longer than the pool's wall-time limit; its worker was killed."""


class WorkerOutOfMemory(WorkerError):
    """The call needed more memory than the worker's limit (RLIMIT_AS)."""


class WorkerDied(WorkerError):
    """The worker process ended during the call (a crash, the OOM killer, a signal)."""


class WorkersStopped(WorkerError):
    """The crawl is stopping: the call was not run, or its worker was killed."""


@dataclass(frozen=True)
class Limits:
    """What one call may cost: wall time (seconds) and the worker's address space (bytes)."""

    timeout: float | None = None
    memory: int | None = None


NO_LIMITS = Limits()


def never() -> bool:
    return False


class Pool:
    """`count` worker processes, each running one call at a time; started on first use."""

    def __init__(
        self,
        name: str,
        count: int,
        limits: Limits = NO_LIMITS,
        *,
        preload: tuple[str, ...] = (),
        stopping: Callable[[], bool] = never,
    ) -> None:
        if count < 1:
            raise ValueError(f"a pool needs at least one worker, not {count}")
        self.name = name
        self.count = count
        self.limits = limits
        self.preload = preload
        self.stopping = stopping
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._slots: asyncio.Semaphore | None = None
        self._closed = False

    async def call(self, function: Callable[..., T], *args: Any) -> T:
        """`function(*args)` in a worker; raises a WorkerError when it could not give a result."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.count)
        async with self._slots:
            if self._closed or self.stopping():
                raise WorkersStopped(f"{self.name} workers are stopping")
            worker = self._idle.pop() if self._idle else await self._start()
            self._busy.add(worker)
            try:
                timeout = self.limits.timeout
                status, value = await worker.call(function, args, timeout, self.stopping)
            except BaseException:
                worker.kill()  # its state is unknown: a timeout, a stop, a cancelled call
                raise
            finally:
                self._busy.discard(worker)
            if status == _MEMORY:
                worker.kill()  # the worker exits after a MemoryError anyway
                raise WorkerOutOfMemory(f"over the memory limit of {_mib(self.limits.memory)}")
            if self._closed:
                worker.kill()
            else:
                self._idle.append(worker)
        # The worker is free: a call waiting for it is sent before this result is used, so the
        # worker reads the next page while the crawl handles this one (else they take turns).
        await asyncio.sleep(0)
        if status == _RAISED:
            error, trace = value
            raise error from RemoteTraceback(trace)
        return value  # type: ignore[no-any-return]

    async def _start(self) -> _Worker:
        worker = _Worker(self.name, self.limits.memory, self.preload)
        try:
            await worker.wait_ready(self.stopping)
        except BaseException:
            worker.kill()
            raise
        return worker

    def pids(self) -> list[int]:
        return [w.pid for w in (*self._idle, *self._busy) if w.pid is not None]

    def shutdown(self) -> None:
        """Kill every worker: nothing waits on a busy one any more, and an idle one has no work.

        A call still waiting on a busy one sees its pipe end and fails with WorkerDied.
        """
        self._closed = True
        for worker in self._idle:
            worker.kill()
        self._idle.clear()
        for worker in self._busy:
            worker.kill_process()


class _Worker:
    """One worker process and the crawl's end of its pipe (a socket pair).

    Started with subprocess rather than multiprocessing: the child imports only what it runs (not
    the crawl's `__main__`), and no resource tracker or forkserver is left to outlive the crawl.
    """

    def __init__(self, name: str, memory: int | None, preload: tuple[str, ...]) -> None:
        self._process, self._conn = spawn_child(__name__, [str(memory or 0), ",".join(preload)])
        self.name = name
        self.pid = self._process.pid
        _LIVE.add(self)

    async def wait_ready(self, stopping: Callable[[], bool]) -> None:
        """The worker says it is ready once Python and the preloaded modules are imported."""
        await self._readable(_START_TIMEOUT, stopping)
        self._receive()

    async def call(
        self,
        function: Callable[..., Any],
        args: tuple[Any, ...],
        timeout: float | None,
        stopping: Callable[[], bool],
    ) -> tuple[str, Any]:
        try:
            self._conn.send((function, args))
        except (OSError, ValueError) as error:
            raise WorkerDied(f"the worker was gone before the call ({error})") from error
        await self._readable(timeout, stopping)
        return self._receive()

    async def _readable(self, timeout: float | None, stopping: Callable[[], bool]) -> None:
        """Wait for the worker's answer without a thread (a thread blocked on a live worker would
        keep the crawl process from exiting): a reader on the pipe and one timer that looks for
        a stop or the deadline, re-armed each poll (cheaper per call than `asyncio.wait`)."""
        loop = asyncio.get_running_loop()
        ready = loop.create_future()
        fd = self._conn.fileno()
        deadline = None if timeout is None else loop.time() + timeout

        def wake() -> None:
            if not ready.done():
                ready.set_result(None)

        def next_poll() -> float:
            at = loop.time() + _STOP_POLL_SECONDS
            return at if deadline is None else min(at, deadline)

        timer: asyncio.TimerHandle

        def poll() -> None:
            nonlocal timer
            if ready.done():
                return
            if stopping():
                ready.set_exception(WorkersStopped("the crawl is stopping"))
            elif deadline is not None and loop.time() >= deadline:
                ready.set_exception(WorkerTimeout(f"took longer than {timeout:g} s"))
            else:
                timer = loop.call_at(next_poll(), poll)

        loop.add_reader(fd, wake)
        timer = loop.call_at(next_poll(), poll)
        try:
            await ready
        finally:
            timer.cancel()
            loop.remove_reader(fd)

    def _receive(self) -> tuple[str, Any]:
        try:
            message: tuple[str, Any] = self._conn.recv()
        except (EOFError, OSError) as error:
            try:
                self._process.wait(5)
            except subprocess.TimeoutExpired:
                self.kill()
            raise WorkerDied(_death(self._process.returncode)) from error
        return message

    def kill(self) -> None:
        """Kill and reap the process (an idle one would exit on EOF; a busy one would not)."""
        self._conn.close()
        self.kill_process()
        _LIVE.discard(self)

    def kill_process(self) -> None:
        """Kill and reap the process, leaving the pipe to whoever waits on it."""
        if self._process.returncode is None:
            self._process.kill()
            self._process.wait()


# Workers not yet reaped, killed at exit: a forced shutdown (a second SIGTERM) skips the pools'
# shutdown, and outside Linux nothing else would stop a busy worker.
_LIVE: weakref.WeakSet[_Worker] = weakref.WeakSet()


@atexit.register
def _kill_live_workers() -> None:
    for worker in list(_LIVE):
        worker.kill()


def _death(exitcode: int | None) -> str:
    if exitcode is None:
        return "the worker closed its pipe"
    if exitcode < 0:
        return f"the worker was killed by {signal.Signals(-exitcode).name}"
    return f"the worker exited with status {exitcode}"


def _mib(size: int | None) -> str:
    return "no limit" if size is None else f"{size / 2**20:g} MiB"


# --- In the worker process ---------------------------------------------------------------------


def _main(argv: list[str]) -> None:
    """A worker's life: tie it to the crawl, preload, set the memory limit, then answer calls."""
    fd, parent, memory, preload = int(argv[0]), int(argv[1]), int(argv[2]), argv[3]
    die_with(parent)
    # Ctrl-C reaches the whole process group: the crawl decides what its workers do.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    conn = Connection(fd)
    for module in filter(None, preload.split(",")):
        importlib.import_module(module)
    if memory:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    conn.send((_OK, os.getpid()))
    while (call := _receive_call(conn)) is not None:
        reply = _answer(*call)
        del call
        _send(conn, reply)
        if reply[0] == _MEMORY:
            return  # a process that hit its limit is not trusted with another call


def _receive_call(conn: Connection) -> tuple[Callable[..., Any], tuple[Any, ...]] | None:
    """The next call; None when the crawl closed the pipe (or died), or memory ran out reading
    it (said to the crawl first). A call that cannot be unpickled is answered as raised."""
    while True:
        try:
            function, args = conn.recv()
        except EOFError:
            return None
        except MemoryError:
            conn.send((_MEMORY, None))
            return None
        except Exception as error:  # an argument that cannot be unpickled here
            conn.send((_RAISED, _raised(RuntimeError(f"cannot read the call: {error!r}"))))
            continue
        return function, args


def _answer(function: Callable[..., Any], args: tuple[Any, ...]) -> tuple[str, Any]:
    try:
        return (_OK, function(*args))
    except MemoryError:
        return (_MEMORY, None)
    except Exception as error:
        return (_RAISED, _raised(error))


def _send(conn: Connection, reply: tuple[str, Any]) -> None:
    """The reply; memory running out or a result that cannot be pickled is said instead."""
    try:
        conn.send(reply)
    except MemoryError:
        conn.send((_MEMORY, None))
    except Exception as error:  # an unpicklable result or exception
        problem = RuntimeError(f"cannot send the result: {error!r}")
        conn.send((_RAISED, _raised(problem)))


def _raised(error: BaseException) -> tuple[BaseException, str]:
    """The exception and its traceback in the worker, which does not cross the pipe by itself."""
    return error, "".join(traceback.format_exception(error))
