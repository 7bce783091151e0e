"""Normalise an article's text, and record what could not be extracted.

Every string of the item is also sanitised: lone surrogates (a PDF's ToUnicode map pointing into
U+D800-U+DFFF, which pypdf passes on) cannot be written as UTF-8 and lost the whole article;
control characters break the readers of the dataset. `sanitise_item` runs here and again in the
validation pipeline, after the attachments pipeline added the extracted text.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterable, Mapping, MutableMapping
from typing import Any

from scrapy.crawler import Crawler

from cstocrawl.items import Article, Attachment
from cstocrawl.parsing.text import clean_line, clean_paragraphs
from cstocrawl.problems import Problem
from cstocrawl.runs.statkeys import SANITISED_CHARACTERS, SANITISED_ITEMS, problem_key

logger = logging.getLogger(__name__)


def content_sha256(item: Mapping[str, Any]) -> str:
    """Hash of what an analyst reads: a changed hash is a changed article (docs/dataset.md)."""
    attachments: list[Attachment] = item["attachments"]
    content = {
        "title": item["title"],
        "published": item["published"],
        "text": item["text"],
        "attachments": [{"url": a.url, "name": a.name} for a in attachments],
        "images": item["images"],
    }
    encoded = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


# Surrogate code points are never text; C0 and C1 controls other than tab, newline and carriage
# return, DEL, and the non-characters U+FFFE/U+FFFF are never meant to be read.
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
REPLACEMENT = "\ufffd"
# Either kind: one scan finds that a string (nearly always) needs neither substitution.
_UNWRITABLE_RE = re.compile(_SURROGATE_RE.pattern[:-1] + _CONTROL_RE.pattern[1:])


def sanitise(text: str) -> tuple[str, int]:
    """`text` writable as UTF-8 and free of control characters, and how many characters changed:
    a surrogate becomes U+FFFD (something was there), a control character is removed."""
    if not _UNWRITABLE_RE.search(text):
        return text, 0
    text, surrogates = _SURROGATE_RE.subn(REPLACEMENT, text)
    text, controls = _CONTROL_RE.subn("", text)
    return text, surrogates + controls


def _sanitised(value: Any) -> tuple[Any, int]:
    if isinstance(value, str):
        return sanitise(value)
    if isinstance(value, Attachment):
        fields, count = _sanitised(vars(value))
        return Attachment(**fields), count
    if isinstance(value, dict):
        pairs = [(key, _sanitised(inner)) for key, inner in value.items()]
        return {key: inner for key, (inner, _) in pairs}, sum(n for _, (_, n) in pairs)
    if isinstance(value, list):
        items = [_sanitised(inner) for inner in value]
        return [inner for inner, _ in items], sum(n for _, n in items)
    return value, 0


def _unwritable(value: Any) -> bool:
    """Whether any string in `value` needs sanitising: nearly never, so nothing is rebuilt."""
    if isinstance(value, str):
        return _UNWRITABLE_RE.search(value) is not None
    if isinstance(value, Attachment):
        return _unwritable(vars(value))
    if isinstance(value, dict):
        return any(_unwritable(inner) for inner in value.values())
    if isinstance(value, list):
        return any(_unwritable(inner) for inner in value)
    return False


def sanitise_item(
    adapter: MutableMapping[str, Any], crawler: Crawler, fields: Iterable[str] | None = None
) -> int:
    """Sanitise every string of the item, or of `fields` only, in place (an ItemAdapter, or an
    Article's `vars`); count and log what was changed."""
    changed = 0
    for field in list(adapter.keys()) if fields is None else fields:
        if not _unwritable(value := adapter[field]):
            continue
        value, count = _sanitised(value)
        if count:
            adapter[field] = value
            changed += count
    if changed:
        assert crawler.stats is not None
        crawler.stats.inc_value(SANITISED_ITEMS)
        crawler.stats.inc_value(SANITISED_CHARACTERS, changed)
        logger.warning(
            "Sanitised %d characters (lone surrogates, control characters) in %s",
            changed,
            adapter.get("url"),
        )
    return changed


class CleaningPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CleaningPipeline:
        return cls(crawler)

    def process_item(self, item: Article) -> Article:
        sanitise_item(vars(item), self.crawler)  # its fields, without ItemAdapter's lookups
        item.title = clean_line(item.title or "") or None
        item.summary = clean_line(item.summary or "") or None
        item.text = "\n\n".join(clean_paragraphs((item.text or "").split("\n\n")))
        for attachment in item.attachments:
            attachment.name = clean_line(attachment.name)
        if not item.title:
            self._problem(item, Problem.MISSING_TITLE)
        if not item.text and not item.attachments:
            self._problem(item, Problem.MISSING_BODY)
        item.content_sha256 = content_sha256(vars(item))
        return item

    def _problem(self, item: Article, kind: Problem) -> None:
        item.problems.append(kind.text())
        self.stats.inc_value(problem_key(kind))
        logger.warning("%s on %s", kind, item.url)
