"""The JSONL writer on a disk that fills up: the dataset is renamed into place only when every
write, flush and fsync succeeded (issue 13, defect 4)."""

from __future__ import annotations

import errno
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from cstocrawl.pipelines import jsonl
from cstocrawl.pipelines.jsonl import JsonLinesWriterPipeline, dataset_written


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


def writer(tmp_path: Path) -> tuple[JsonLinesWriterPipeline, list[Path]]:
    """An opened writer of run `run1` and the paths `dataset_written` was sent with."""
    crawler = get_crawler(settings_dict={"CSTOCRAWL_OUTPUT_DIR": str(tmp_path)})
    crawler.spider = SimpleNamespace(run_id="run1")
    crawler.stats.open_spider()
    crawler.stats.set_value("cstocrawl/health", "ok")  # a healthy run otherwise
    pipeline = JsonLinesWriterPipeline.from_crawler(crawler)
    sent: list[Path] = []
    crawler.signals.connect(lambda path: sent.append(path), signal=dataset_written, weak=False)
    pipeline.open_spider()
    return pipeline, sent


def item(n: int) -> dict[str, Any]:
    return {"url": f"https://en.odkb-csto.org/news/news_odkb/a-{n}/", "text": "Текст " * 20}


def test_a_clean_run_is_renamed_into_place(tmp_path: Path) -> None:
    pipeline, sent = writer(tmp_path)
    for n in range(3):
        pipeline.process_item(item(n))
    pipeline.close_spider()
    pipeline.spider_closed("finished")
    final = tmp_path / "news" / "run1.jsonl"
    assert [json.loads(line) for line in final.read_text("utf-8").splitlines()] == [
        item(n) for n in range(3)
    ]
    assert sent == [final]
    assert not (tmp_path / "news" / "run1.jsonl.tmp").exists()


def test_a_write_that_hits_a_full_disk_leaves_only_the_temporary_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    pipeline, sent = writer(tmp_path)
    pipeline.process_item(item(0))
    pipeline._file = FullDisk(pipeline._file, room=40)  # type: ignore[assignment]
    with pytest.raises(OSError, match="No space left"):
        pipeline.process_item(item(1))  # the item fails (rejected and counted elsewhere)
    with pytest.raises(DropItem, match="cannot be written"):
        pipeline.process_item(item(2))  # nothing is appended to a torn file
    pipeline.close_spider()
    pipeline.spider_closed("finished")

    assert not (tmp_path / "news" / "run1.jsonl").exists()
    torn = (tmp_path / "news" / "run1.jsonl.tmp").read_bytes()
    assert torn.count(b"\n") == 1 and not torn.endswith(b"\n")  # a cut line, under .tmp only
    assert sent == []  # nothing is promoted
    stats = pipeline.crawler.stats
    assert "No space left on device" in stats.get_value("cstocrawl/failed/dataset")
    assert "cannot be written: [Errno 28] No space left on device" in caplog.text
    assert "Dataset left unfinished at" in caplog.text
    assert "Dataset written" not in caplog.text


def test_a_failed_fsync_at_close_leaves_only_the_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pipeline, sent = writer(tmp_path)
    pipeline.process_item(item(0))

    def full(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(jsonl.os, "fsync", full)
    pipeline.close_spider()  # the failure is recorded, not raised into Scrapy's close
    monkeypatch.undo()
    pipeline.spider_closed("finished")
    assert not (tmp_path / "news" / "run1.jsonl").exists()
    assert (tmp_path / "news" / "run1.jsonl.tmp").exists()
    assert sent == []
