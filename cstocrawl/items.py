"""The article record the dataset is made of (fields documented in docs/dataset.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# `downloaded` by this run, `stored` by an earlier one, `failed` (why: `error`), or `unsupported`
# (kept, not read).
AttachmentStatus = Literal["downloaded", "stored", "failed", "unsupported"]


@dataclass
class Attachment:
    """A file an article links: the spider knows its URL and name, the attachments pipeline
    fills in the rest (None until it ran). The field order is the dataset's key order."""

    url: str
    name: str
    path: str | None = None  # relative to the output dir: files/by-sha256/<2 hex>/<sha256>.<ext>
    sha256: str | None = None
    size: int | None = None
    media_type: str | None = None
    status: AttachmentStatus | None = None
    text: str | None = None
    error: str | None = None


@dataclass
class Article:
    url: str
    lang: str
    section: str
    title: str | None
    published: str | None  # ISO date (YYYY-MM-DD)
    text: str
    summary: str | None = None
    attachments: list[Attachment] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    crawled_at: str = ""
    content_sha256: str = ""
    # Other canonical URLs of the same article (not part of content_sha256: not what one reads)
    aliases: list[str] = field(default_factory=list)
