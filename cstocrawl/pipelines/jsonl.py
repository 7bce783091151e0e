"""Write the run's dataset, one line per article, to `<run id>.jsonl.tmp`.

The file gets its final name from the run's end (cstocrawl/runs/extension.py), and only when the
run is judged OK, which it is not once a write, flush or fsync here failed: a full disk leaves
`<run id>.jsonl.tmp`, never a torn `<run id>.jsonl`.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import IO

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from cstocrawl.items import Article, as_record
from cstocrawl.runs.extension import RunLifecycle
from cstocrawl.runs.statkeys import FAILED_DATASET, ITEMS_WRITTEN

logger = logging.getLogger(__name__)

class JsonLinesWriterPipeline:
    """One line per article, UTF-8 unescaped, flushed line by line."""

    def __init__(self, stats: StatsCollector, path: Path) -> None:
        self.stats = stats
        self.path = path
        self._file: IO[bytes] | None = None
        self.write_error: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> JsonLinesWriterPipeline:
        assert crawler.stats is not None
        return cls(crawler.stats, RunLifecycle.of(crawler).run.files.partial_dataset)

    def open_spider(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = self.path.open("wb")

    def process_item(self, item: Article) -> Article:
        assert self._file is not None
        if self.write_error is not None:  # the file is torn: no line after it is worth writing
            raise DropItem(f"The dataset cannot be written ({self.write_error})")
        # Encoded whole before any byte is written: an unencodable item never tears a line.
        line = json.dumps(as_record(item), ensure_ascii=False).encode("utf-8") + b"\n"
        try:
            self._file.write(line)
            self._file.flush()
        except OSError as error:
            self._failed(error)
            raise
        self.stats.inc_value(ITEMS_WRITTEN)
        return item

    def close_spider(self) -> None:
        assert self._file is not None
        try:
            try:
                self._file.flush()
                os.fsync(self._file.fileno())
            finally:
                self._file.close()
        except OSError as error:  # a full disk may first show at flush, fsync or close
            self._failed(error)

    def _failed(self, error: OSError) -> None:
        """Remember the first failure: the run is not promoted whatever follows."""
        if self.write_error is None:
            self.write_error = str(error)
            self.stats.set_value(FAILED_DATASET, self.write_error)  # the judge reads it
            logger.error("Dataset %s cannot be written: %s", self.path, error)
