"""Compare each article with the crawl state: drop the unchanged ones, record what was written.

Three moments (cstocrawl/state.py says why in this order):
- process_item, before attachments: in incremental mode an article whose content_sha256 the state
  already has is dropped (logged at DEBUG: it is the normal case, not a problem); in any mode a
  version that lost the title, date or body the stored one had is a failed fetch, never a change:
  dropped, counted in `cstocrawl/failed/article` and logged, the stored version kept;
- item_scraped, after every pipeline, the writer included: the line is in `<run id>.jsonl.tmp`, so
  the article is recorded as pending for this run, as new, changed or (full mode) unchanged;
- dataset_written, sent by the writer once the file has its final name: the run is promoted.
"""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from cstocrawl.pipelines.jsonl import dataset_written
from cstocrawl.spiders.news import iso_utc
from cstocrawl.state import Known, State, kind_of, lost_fields, state_path

logger = logging.getLogger(__name__)


class StatePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.path = state_path(crawler.settings.get("CSTOCRAWL_OUTPUT_DIR", "output"))
        self._state: State | None = None
        self._emitted: set[str] = set()  # URLs this run let through, to never write one twice
        self._known: dict[str, Known] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StatePipeline:
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(pipeline.dataset_written, signal=dataset_written)
        crawler.signals.connect(pipeline.engine_stopped, signal=signals.engine_stopped)
        return pipeline

    @property
    def state(self) -> State:
        assert self._state is not None, "the state is opened with the spider"
        return self._state

    @property
    def run_id(self) -> str:
        return self.crawler.spider.run_id

    def open_spider(self) -> None:
        spider = self.crawler.spider
        self._state = State(self.path)
        mode = "full" if spider.full else "incremental"
        abandoned = self.state.begin_run(self.run_id, iso_utc(spider.started_at), mode)
        # What the state knew when the run began: one read instead of two queries per article.
        self._known = self.state.known_articles()
        self.stats.set_value("cstocrawl/state/mode", mode)  # the run is on record
        if abandoned:
            logger.warning(
                "Runs %s never closed: what they left pending is discarded, their articles will "
                "be emitted again",
                ", ".join(abandoned),
            )

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        url = adapter["url"]
        if url in self._emitted:
            self.stats.inc_value("cstocrawl/state/dropped")
            raise DropItem(f"Already emitted by this run: {url}")
        known = self._known.get(url)
        if lost := lost_fields(known, adapter):
            self._downgraded(url, lost)
        kind = kind_of(known, adapter["content_sha256"])
        if kind == "unchanged" and not self.crawler.spider.full:
            self.state.record(self.run_id, adapter.asdict(), kind, written=False)
            self.stats.inc_value("cstocrawl/state/unchanged")
            self.stats.inc_value("cstocrawl/state/dropped")
            raise DropItem(f"Unchanged since it was last written: {url}", log_level="DEBUG")
        self._emitted.add(url)
        return item

    def _downgraded(self, url: str, lost: list[str]) -> None:
        """A failed fetch (an error page served with 200): counted like one, the stored version
        kept, and fetched again by the next run (its stored date keeps it in the window)."""
        self.stats.inc_value("cstocrawl/failed/article")
        self.stats.inc_value("cstocrawl/failed/downgraded")
        self.stats.inc_value("cstocrawl/state/dropped")  # counted as failed/article, not twice
        logger.error(
            "Failed article %s: the page lost its %s (stored version kept, fetched again next run)",
            url,
            ", ".join(lost),
        )
        raise DropItem(f"Lost its {', '.join(lost)}: {url}", log_level="DEBUG")

    def item_scraped(self, item: Any) -> None:
        adapter = ItemAdapter(item)
        kind = kind_of(self._known.get(adapter["url"]), adapter["content_sha256"])
        self.state.record(self.run_id, adapter.asdict(), kind)
        self.stats.inc_value(f"cstocrawl/state/{kind}")

    def close_spider(self) -> None:
        # Before spider_closed: the writer's rename and the manifest need the write lock.
        self.state.flush()

    def dataset_written(self) -> None:
        promoted = self.state.promote(self.run_id)
        self.stats.set_value("cstocrawl/state/promoted", promoted)
        logger.info("State: run %s recorded, %d articles marked seen", self.run_id, promoted)

    def engine_stopped(self) -> None:
        if self._state is not None:
            self._state.close()
