"""Normalise an article's text and date, and record what could not be extracted."""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from cstocrawl.parsing.dates import parse_date
from cstocrawl.parsing.text import clean_line, clean_paragraphs

logger = logging.getLogger(__name__)


def content_sha256(item: ItemAdapter | dict[str, Any]) -> str:
    """Hash of what an analyst reads: a changed hash is a changed article (docs/dataset.md)."""
    content = {
        "title": item["title"],
        "published": item["published"],
        "text": item["text"],
        "attachments": [{"url": a["url"], "name": a["name"]} for a in item["attachments"]],
        "images": item["images"],
    }
    encoded = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


class CleaningPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CleaningPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        adapter["title"] = clean_line(adapter.get("title") or "") or None
        adapter["summary"] = clean_line(adapter.get("summary") or "") or None
        adapter["text"] = "\n\n".join(clean_paragraphs((adapter.get("text") or "").split("\n\n")))
        for attachment in adapter["attachments"]:
            attachment["name"] = clean_line(attachment["name"])
        adapter["published"] = self._iso_date(adapter)
        if not adapter["title"]:
            self._problem(adapter, "missing_title")
        if not adapter["text"] and not adapter["attachments"]:
            self._problem(adapter, "missing_body")
        adapter["content_sha256"] = content_sha256(adapter)
        return item

    def _iso_date(self, adapter: ItemAdapter) -> str | None:
        raw = adapter.get("published")
        if not raw:
            self._problem(adapter, "missing_date")
            return None
        parsed = parse_date(raw)
        if parsed is None:
            self._problem(adapter, "unparsed_date", detail=raw)
            return None
        return parsed.isoformat()

    def _problem(self, adapter: ItemAdapter, kind: str, detail: str | None = None) -> None:
        adapter["problems"].append(f"{kind}: {detail}" if detail else kind)
        self.stats.inc_value(f"cstocrawl/problems/{kind}")
        logger.warning("%s on %s%s", kind, adapter["url"], f" ({detail!r})" if detail else "")
