"""One run at a time per output directory: `flock` on `<output dir>/cron.lock`, taken by every run.

`scrapy crawl` (cstocrawl/commands/crawl.py) and the cron runner both take it. The runner passes
its locked descriptor to the `scrapy crawl` it starts (named in CSTOCRAWL_LOCK_FD), which holds
the same lock rather than waiting for itself; the lock lives as long as either process does.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

from cstocrawl.outcome import Exit, Refused

LOCK_FILE = "cron.lock"
INHERITED_FD = "CSTOCRAWL_LOCK_FD"


def lock_path(output_dir: str | Path) -> Path:
    return Path(output_dir) / LOCK_FILE


def _inherited(path: Path) -> IO[str] | None:
    """The lock passed down by the cron runner, when it is this very file and still held."""
    try:
        fd = int(os.environ.get(INHERITED_FD, ""))
        held, ours = os.fstat(fd), path.stat()
    except (ValueError, OSError):
        return None
    if (held.st_dev, held.st_ino) != (ours.st_dev, ours.st_ino):
        return None
    try:  # succeeds at once when this descriptor shares the holder's lock
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return None
    return os.fdopen(fd, "a+", encoding="utf-8", closefd=False)


def acquire(output_dir: str | Path, prog: str) -> IO[str]:
    """The held lock (held while the file stays open); Refused(LOCKED) naming the holder."""
    path = lock_path(output_dir)
    if (inherited := _inherited(path)) is not None:
        return inherited
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.open("a+", encoding="utf-8")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        holder = path.read_text(encoding="utf-8").strip().splitlines() or ["?"]
        raise Refused(
            Exit.LOCKED, f"another run (pid {holder[0]}) holds {path}; not started"
        ) from None
    lock.truncate(0)
    lock.write(f"{os.getpid()}\n{prog}\n")
    lock.flush()
    return lock
