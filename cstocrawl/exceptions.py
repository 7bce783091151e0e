"""Exceptions one component raises and another tells apart (kingfisher-collect's exceptions.py is
the model). Those that stay inside one concern live with it: `Refused` (cstocrawl/runs/outcome.py,
a run refused with its exit code), the worker errors (cstocrawl/processes/workers.py, pickled
across processes), `StateError` (cstocrawl/store/state.py), `ExtractionError`
(cstocrawl/extract/result.py)."""

from __future__ import annotations

from scrapy.exceptions import DropItem, IgnoreRequest


class FailedFetch(DropItem):
    """An article page that lost what its stored version had: a failed fetch, not a change, and
    not the parser's output either (the health check leaves it out)."""


class HeldArticle(DropItem):
    """A doubtful article: not written, its stored version kept, fetched again next run."""


class NotArchived(IgnoreRequest):
    """A re-extraction asked for a URL the WARC files do not hold
    (cstocrawl/archive/reextract.py)."""
