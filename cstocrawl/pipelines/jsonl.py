"""Write the run's dataset with jsonlines; the final name appears only when the crawl finished."""

from __future__ import annotations

import json
import logging
import os
from functools import partial
from pathlib import Path
from typing import IO, Any

import jsonlines
from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler

from cstocrawl.outcome import judged

logger = logging.getLogger(__name__)

# Sent (with `path`) once the run's dataset is durably under its final name: the state promotes
# the run's articles on it, never before (cstocrawl/state.py says why).
dataset_written = object()


def dataset_path(output_dir: str | Path, run_id: str) -> Path:
    return Path(output_dir) / "news" / f"{run_id}.jsonl"


class JsonLinesWriterPipeline:
    """One line per article, UTF-8 unescaped, flushed line by line under `<run id>.jsonl.tmp`."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.output_dir = Path(crawler.settings.get("CSTOCRAWL_OUTPUT_DIR", "output"))
        self._file: IO[str] | None = None
        self._writer: jsonlines.Writer | None = None
        self.path: Path | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> JsonLinesWriterPipeline:
        pipeline = cls(crawler)
        # The close reason is known only at spider_closed, which comes after close_spider().
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    @property
    def temporary_path(self) -> Path:
        assert self.path is not None
        return self.path.with_name(self.path.name + ".tmp")

    def open_spider(self) -> None:
        self.path = dataset_path(self.output_dir, self.crawler.spider.run_id)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = self.temporary_path.open("w", encoding="utf-8")
        dumps = partial(json.dumps, ensure_ascii=False)
        self._writer = jsonlines.Writer(self._file, dumps=dumps, flush=True)

    def process_item(self, item: Any) -> Any:
        assert self._writer is not None
        self._writer.write(ItemAdapter(item).asdict())
        self.crawler.stats.inc_value("cstocrawl/items_written")
        return item

    def close_spider(self) -> None:
        assert self._writer is not None and self._file is not None
        self._writer.close()
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()

    def spider_closed(self, reason: str) -> None:
        if self.path is None:
            return
        # Judged once (cstocrawl/outcome.py): only a finished, healthy run within its error
        # budget gets its final name and is promoted; a failed one leaves the state as it was.
        outcome = judged(self.crawler, reason)
        if outcome.ok:
            self.temporary_path.replace(self.path)
            fsync_directory(self.path.parent)
            logger.info("Dataset written: %s", self.path)
            self.crawler.stats.set_value("cstocrawl/dataset", str(self.path))
            self.crawler.signals.send_catch_log(dataset_written, path=self.path)
        else:
            logger.error(
                "Run not promoted (%s): dataset left unfinished at %s",
                outcome.reason,
                self.temporary_path,
            )


def fsync_directory(directory: Path) -> None:
    """Make a rename inside `directory` durable (the new name is in the directory's data)."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
