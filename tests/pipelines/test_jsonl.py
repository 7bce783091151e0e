"""The JSONL writer on a disk that fills up: the first failed write, flush or fsync is recorded,
so the run's end never renames the file into place (issue 13, defect 4; the rename itself is
tested in tests/runs/test_extension.py)."""

from __future__ import annotations

import errno
import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
from scrapy.exceptions import DropItem

from cstocrawl.items import Article
from cstocrawl.pipelines.jsonl import JsonLinesWriterPipeline
from tests.crawling import project_crawler


class FullDisk:
    """A file that takes `room` more bytes, then fails as a full disk does (a short write, then
    ENOSPC); everything else goes to the real file."""

    def __init__(self, file: Any, room: int) -> None:
        self.file = file
        self.room = room

    def write(self, data: bytes) -> int:
        taken = data[: self.room]
        self.file.write(taken)
        self.file.flush()
        self.room -= len(taken)
        if len(taken) < len(data):
            raise OSError(errno.ENOSPC, "No space left on device")
        return len(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.file, name)


def writer(tmp_path: Path) -> JsonLinesWriterPipeline:
    """An opened writer of run `run1`."""
    pipeline = JsonLinesWriterPipeline.from_crawler(project_crawler(tmp_path))
    pipeline.open_spider()
    return pipeline


def item(n: int) -> Article:
    url = f"https://en.odkb-csto.org/news/news_odkb/a-{n}/"
    return Article(url, "en", "news_odkb", title=None, published=None, text="Текст " * 20)


def test_every_item_is_one_line_under_the_temporary_name(tmp_path: Path) -> None:
    pipeline = writer(tmp_path)
    for n in range(3):
        pipeline.process_item(item(n))
    pipeline.close_spider()
    written = tmp_path / "news" / "run1.jsonl.tmp"
    assert [json.loads(line) for line in written.read_text("utf-8").splitlines()] == [
        asdict(item(n)) for n in range(3)
    ]
    assert pipeline.write_error is None
    assert pipeline.stats.get_value("cstocrawl/items_written") == 3
    assert not (tmp_path / "news" / "run1.jsonl").exists()  # the run's end renames it


def test_a_write_that_hits_a_full_disk_leaves_only_the_temporary_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    pipeline = writer(tmp_path)
    pipeline.process_item(item(0))
    pipeline._file = FullDisk(pipeline._file, room=40)  # type: ignore[assignment]
    with pytest.raises(OSError, match="No space left"):
        pipeline.process_item(item(1))  # the item fails (rejected and counted elsewhere)
    with pytest.raises(DropItem, match="cannot be written"):
        pipeline.process_item(item(2))  # nothing is appended to a torn file
    pipeline.close_spider()

    assert not (tmp_path / "news" / "run1.jsonl").exists()
    torn = (tmp_path / "news" / "run1.jsonl.tmp").read_bytes()
    assert torn.count(b"\n") == 1 and not torn.endswith(b"\n")  # a cut line, under .tmp only
    # the stat the run is judged by: not promoted (exit 73)
    assert "No space left on device" in pipeline.stats.get_value("cstocrawl/failed/dataset")
    assert "cannot be written: [Errno 28] No space left on device" in caplog.text


def test_a_failed_fsync_at_close_leaves_only_the_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pipeline = writer(tmp_path)
    pipeline.process_item(item(0))

    def full(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    pipeline.close_spider()  # the failure is recorded, not raised into Scrapy's close
    monkeypatch.undo()
    assert (tmp_path / "news" / "run1.jsonl.tmp").exists()
    assert "No space left on device" in pipeline.stats.get_value("cstocrawl/failed/dataset")
