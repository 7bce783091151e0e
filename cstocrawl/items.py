"""The article record the dataset is made of (fields documented in docs/dataset.md)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Literal

from itemadapter import ItemAdapter

# What the file is, whichever run fetched it: `stored` (under `path`, its text read), `failed`
# (why: `error`), or `unsupported` (kept, not read). Runs before issue 19 wrote `downloaded` for a
# file stored by that very run; latest.jsonl says `stored` for it too.
AttachmentStatus = Literal["stored", "failed", "unsupported"]
# How a run's record stands to what the state knew: every record of a run's file says.
Change = Literal["new", "changed", "unchanged"]


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
    # The section's name as the site's menu shows it (cstocrawl/site.py); None for a section the
    # crawler discovered and does not know.
    section_title: str | None = field(default=None, kw_only=True)
    title: str | None
    published: str | None  # ISO date (YYYY-MM-DD)
    text: str
    summary: str | None = None
    attachments: list[Attachment] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    crawled_at: str = ""
    # From the state, when the state pipeline wrote the record: `crawled_at` of the first version,
    # of the last version with other content, and how this record stands to the one known before.
    first_seen: str | None = None
    last_changed: str | None = None
    change: Change | None = None
    content_sha256: str = ""
    # Other canonical URLs of the same article (not part of content_sha256: not what one reads)
    aliases: list[str] = field(default_factory=list)


_ARTICLE_FIELDS = tuple(f.name for f in fields(Article))
_ATTACHMENT_FIELDS = tuple(f.name for f in fields(Attachment))
_SCALARS = (str, int, float, bool, type(None))


def as_record(item: Any) -> dict[str, Any]:
    """The item as plain data, equal to `ItemAdapter(item).asdict()`: built field by field for an
    Article, since validation and the dataset writer need it for every item and the generic walk
    is most of their cost."""
    if item.__class__ is not Article:
        return ItemAdapter(item).asdict()
    return {name: _plain(getattr(item, name)) for name in _ARTICLE_FIELDS}


def _plain(value: Any) -> Any:
    if value.__class__ in _SCALARS:
        return value
    if value.__class__ is Attachment:
        return {name: getattr(value, name) for name in _ATTACHMENT_FIELDS}
    if isinstance(value, list | tuple | set):
        return value.__class__(_plain(inner) for inner in value)
    if isinstance(value, dict):
        return {key: _plain(inner) for key, inner in value.items()}
    if ItemAdapter.is_item(value):
        return ItemAdapter(value).asdict()
    return value
