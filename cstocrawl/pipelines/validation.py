"""Check every article against the dataset's JSON Schema; an invalid one goes to a rejects file.

Runs after cleaning and attachments and before anything that records state or writes the dataset,
so a line in `<run id>.jsonl` always satisfies cstocrawl/schema/article.schema.json. It sanitises
the attachments' strings first: the attachments pipeline added their text and errors since the
cleaning pipeline sanitised the whole item (the pipelines between add nothing from outside).

An item that any pipeline failed on (an exception, not a drop) goes to the rejects file too, with
the exception as its error, and counts in `cstocrawl/failed/item`: a failure, never lost quietly.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import IO, Any

import fastjsonschema
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from twisted.python.failure import Failure

from cstocrawl.items import Article, as_record
from cstocrawl.pipelines.cleaning import sanitise_item
from cstocrawl.runs.extension import RunLifecycle
from cstocrawl.runs.statkeys import FAILED_ITEM, INVALID
from cstocrawl.schema import article_schema

logger = logging.getLogger(__name__)

# The fields a pipeline after cleaning fills from outside the page (an attachment's text, error).
_ADDED_AFTER_CLEANING = ("attachments",)


def validation_error(record: dict[str, Any]) -> str | None:
    """The most relevant schema violation of `record` ("where: what"), or None when it is valid."""
    try:
        _compiled()(record)  # the common case: valid, in a twentieth of jsonschema's time
        return None
    except fastjsonschema.JsonSchemaValueException:
        pass  # jsonschema decides, and says why
    error = best_match(_validator().iter_errors(record))
    if error is None:
        return None
    where = "/".join(map(str, error.absolute_path)) or "(item)"
    return f"{where}: {error.message}"


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(article_schema())


@cache
def _compiled() -> Callable[[Any], Any]:
    """The schema as Python code (fastjsonschema), read as draft-07, which has every keyword it
    uses with the same meaning; it raises on an invalid record."""
    draft_07 = {**article_schema(), "$schema": "http://json-schema.org/draft-07/schema#"}
    check: Callable[[Any], Any] = fastjsonschema.compile(draft_07)
    return check


class ValidationPipeline:
    """Drops invalid items after writing them, with the reason, to `<run id>.rejects.jsonl`."""

    def __init__(self, crawler: Crawler, rejects_path: Path) -> None:
        self.crawler = crawler
        self.rejects_path = rejects_path
        self._rejects: IO[str] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidationPipeline:
        pipeline = cls(crawler, RunLifecycle.of(crawler).run.files.rejects)
        crawler.signals.connect(pipeline.item_error, signal=signals.item_error)
        return pipeline

    def process_item(self, item: Article) -> Article:
        sanitise_item(vars(item), self.crawler, _ADDED_AFTER_CLEANING)
        record = as_record(item)
        error = validation_error(record)
        if error is None:
            return item
        url = record.get("url")
        self._reject({"url": url, "error": error, "item": record})
        self.crawler.stats.inc_value(INVALID)
        logger.error("Invalid article %s: %s", url, error)
        raise DropItem(f"invalid article {url}: {error}")

    def item_error(self, item: Article, failure: Failure) -> None:
        """A pipeline raised on the item (Scrapy logs "Error processing"): reject and count it."""
        record = as_record(item)
        url = record.get("url")
        error = f"{type(failure.value).__name__}: {failure.getErrorMessage()}"
        self.crawler.stats.inc_value(FAILED_ITEM)
        logger.error("Failed item %s: %s", url, error)
        self._reject({"url": url, "error": error, "item": record})

    def _reject(self, line: dict[str, Any]) -> None:
        try:
            if self._rejects is None:  # opened on the first reject: a clean run leaves no file
                path = self.rejects_path
                path.parent.mkdir(parents=True, exist_ok=True)
                # An unencodable character (the cause of a reject, maybe) is written escaped,
                # which keeps the line valid JSON.
                self._rejects = path.open("a", encoding="utf-8", errors="backslashreplace")
            self._rejects.write(json.dumps(line, ensure_ascii=False, default=str) + "\n")
            self._rejects.flush()
        except OSError as error:  # a full disk: the ERROR line and the stat still say it
            logger.error("Could not write the reject of %s: %s", line.get("url"), error)

    def close_spider(self) -> None:
        if self._rejects is not None:
            self._rejects.close()
