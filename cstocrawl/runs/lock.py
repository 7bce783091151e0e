"""One run at a time per output directory: `flock` on `<output dir>/cron.lock`, taken by every run.

`scrapy crawl` (cstocrawl/commands/crawl.py) and the cron runner both take it before anything is
created. The runner passes its locked descriptor to the `scrapy crawl` it starts (named in
CSTOCRAWL_LOCK_FD), which holds the same lock rather than waiting for itself; the lock lives as
long as either process does. The RunLock extension takes it for a crawl started any other way
(a script with CrawlerProcess), and does nothing when this process holds it already.

The lock file is opened with O_NOFOLLOW: a symbolic link in its place is refused, never written
through. What cannot be locked (a directory in its place, a file system without `flock`) is
refused in one line with Exit.OUTPUT, like an output dir that cannot be written.
"""

from __future__ import annotations

import errno
import fcntl
import os
from pathlib import Path
from typing import IO

from scrapy import signals
from scrapy.crawler import Crawler

from cstocrawl.runs import run
from cstocrawl.runs.outcome import Exit, Refused

LOCK_FILE = "cron.lock"
INHERITED_FD = "CSTOCRAWL_LOCK_FD"


# The locks this process holds, by resolved path, open for as long as the process lives.
_held: dict[Path, IO[str]] = {}


def lock_path(output_dir: str | Path) -> Path:
    return Path(output_dir) / LOCK_FILE


def _inherited(path: Path) -> IO[str] | None:
    """The lock passed down by the cron runner, when it is this very file and still held."""
    try:
        fd = int(os.environ.get(INHERITED_FD, ""))
        held, ours = os.fstat(fd), path.lstat()
    except (ValueError, OSError):
        return None
    if (held.st_dev, held.st_ino) != (ours.st_dev, ours.st_ino):
        return None
    try:  # succeeds at once when this descriptor shares the holder's lock
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return None
    return os.fdopen(fd, "a+", encoding="utf-8", closefd=False)


def held(output_dir: str | Path) -> bool:
    """Whether this process holds the output dir's lock for the whole of its life."""
    lock = _held.get(lock_path(output_dir).resolve())
    return lock is not None and not lock.closed


def acquire(output_dir: str | Path, prog: str, *, for_life: bool = True) -> IO[str]:
    """The held lock (held while the file stays open); Refused(LOCKED) naming the holder.

    `for_life`: the process keeps it until it exits, and later calls return it.
    """
    path = lock_path(output_dir)
    if held(output_dir):
        return _held[path.resolve()]
    if (inherited := _inherited(path)) is not None:
        _held[path.resolve()] = inherited
        return inherited
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = _open(path)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.seek(0)
        holder = lock.read().strip().splitlines() or ["?"]
        lock.close()
        raise Refused(
            Exit.LOCKED, f"another run (pid {holder[0]}) holds {path}; not started"
        ) from None
    except OSError as error:  # ENOLCK, EOPNOTSUPP: a file system without locks
        lock.close()
        raise Refused(
            Exit.OUTPUT, f"cannot lock {path} ({error.strerror or error}); not started"
        ) from None
    lock.truncate(0)
    lock.write(f"{os.getpid()}\n{prog}\n")
    lock.flush()
    if for_life:
        _held[path.resolve()] = lock
    return lock


def _open(path: Path) -> IO[str]:
    """The lock file, opened for reading and writing, never through a symbolic link."""
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as error:
        if error.errno == errno.ELOOP:
            reason = "is a symbolic link (not followed)"
        elif error.errno == errno.EISDIR:
            reason = "is a directory"
        else:
            reason = f"cannot be opened ({error.strerror or error})"
        raise Refused(Exit.OUTPUT, f"lock file {path} {reason}; not started") from None
    return os.fdopen(fd, "r+", encoding="utf-8")


# Locks taken by crawlers of this process (RunLock), with how many crawlers share each.
_crawlers: dict[Path, tuple[IO[str], int]] = {}


class RunLock:
    """Extension: a crawl holds its output dir's lock, however it was started; one started
    without `scrapy crawl` or the cron runner holds it until its engine stops. Crawlers of one
    process share it: the lock keeps runs (processes) apart."""

    def __init__(self, path: Path | None) -> None:
        self.path = path  # None: the process holds it already, for life

    @property
    def lock(self) -> IO[str] | None:
        return _crawlers[self.path][0] if self.path in _crawlers else None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunLock:
        output_dir = run.output_dir(crawler.settings)
        if held(output_dir):
            return cls(None)
        path = lock_path(output_dir).resolve()
        if path in _crawlers:
            lock, users = _crawlers[path]
        else:
            lock, users = acquire(output_dir, f"{crawler.spidercls.name} crawl", for_life=False), 0
        _crawlers[path] = (lock, users + 1)
        extension = cls(path)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def engine_stopped(self) -> None:
        if self.path is None or self.path not in _crawlers:
            return
        lock, users = _crawlers.pop(self.path)
        if users > 1:
            _crawlers[self.path] = (lock, users - 1)
        else:
            lock.close()
