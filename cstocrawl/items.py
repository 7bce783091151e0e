"""The article record the dataset is made of (fields documented in docs/dataset.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Article:
    url: str
    lang: str
    section: str
    title: str | None
    published: str | None  # the date as printed until the cleaning pipeline makes it ISO
    text: str
    summary: str | None = None
    attachments: list[dict[str, Any]] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    crawled_at: str = ""
    content_sha256: str = ""
    # Other canonical URLs of the same article (not part of content_sha256: not what one reads)
    aliases: list[str] = field(default_factory=list)
