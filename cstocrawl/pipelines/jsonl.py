"""Write the run's dataset; the final name appears only when the crawl finished and every write
and fsync succeeded (a full disk leaves `<run id>.jsonl.tmp`, never a torn `<run id>.jsonl`)."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import IO, Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

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
        self._file: IO[bytes] | None = None
        self.path: Path | None = None
        # Why the file cannot become the dataset (the first failed write, flush or fsync).
        self.write_error: str | None = None

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
        self._file = self.temporary_path.open("wb")

    def process_item(self, item: Any) -> Any:
        assert self._file is not None
        if self.write_error is not None:  # the file is torn: no line after it is worth writing
            raise DropItem(f"The dataset cannot be written ({self.write_error})")
        # Encoded whole before any byte is written: an unencodable item never tears a line.
        line = json.dumps(ItemAdapter(item).asdict(), ensure_ascii=False).encode("utf-8") + b"\n"
        try:
            self._file.write(line)
            self._file.flush()
        except OSError as error:
            self._failed(error)
            raise
        self.crawler.stats.inc_value("cstocrawl/items_written")
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
        """Remember the first failure: the dataset keeps its temporary name whatever follows."""
        if self.write_error is None:
            self.write_error = str(error)
            self.crawler.stats.set_value("cstocrawl/failed/dataset", self.write_error)
            logger.error("Dataset %s cannot be written: %s", self.temporary_path, error)

    def spider_closed(self, reason: str) -> None:
        if self.path is None:
            return
        # Judged once (cstocrawl/outcome.py): only a finished, healthy run within its error
        # budget gets its final name and is promoted; a failed one leaves the state as it was.
        outcome = judged(self.crawler, reason)
        if self.write_error is not None:
            logger.error(
                "Dataset left unfinished at %s: a write failed (%s)",
                self.temporary_path,
                self.write_error,
            )
            return
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
