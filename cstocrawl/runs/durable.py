"""Writes that survive a crash or a power cut: a file is whole under its name, or not there.

Standard library only: the WARC writer process uses it too (cstocrawl/archive/warcwriter.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path


def fsync_directory(directory: Path) -> None:
    """Make a rename inside `directory` durable (the new name is in the directory's data)."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_atomically(path: Path, lines: Iterable[str]) -> None:
    """Readers see the old file or the new one, whole, even across a crash."""
    temporary = path.with_name(path.name + ".tmp")
    try:
        with temporary.open("w", encoding="utf-8") as file:
            for line in lines:
                file.write(line + "\n")
            file.flush()
            os.fsync(file.fileno())
    except BaseException:  # a full disk: the space the cut copy took is given back
        if temporary.is_file():
            temporary.unlink()
        raise
    temporary.replace(path)
    fsync_directory(path.parent)
