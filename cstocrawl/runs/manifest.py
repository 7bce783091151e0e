"""What a run's manifest (`news/<run id>.manifest.json`) says: counts by fate and the whole record.

Pure functions of the run, its stats and its outcome; the run's extension (cstocrawl/extensions/
run.py) writes the manifest last, once the run was promoted or discarded. `scrapy crawl` and the
cron runner exit with its `outcome`; a run killed outright writes none, which is itself a verdict.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import scrapy
from scrapy.settings import BaseSettings

import cstocrawl
from cstocrawl.runs.outcome import Outcome
from cstocrawl.runs.run import Run, iso_utc
from cstocrawl.runs.statkeys import (
    ARTICLE_NOT_HTML,
    ATTACHMENT_STATUSES,
    ATTACHMENTS_FAILED,
    CANCELLED_ARTICLE,
    CANCELLED_LISTING,
    FAILED_ARTICLE,
    FAILED_ITEM,
    FILES_DOWNLOADED,
    FINISH_REASON,
    HEALTH,
    HEALTH_FAILURES,
    ITEM_DROPPED_COUNT,
    LOG_ERRORS,
    STATE_CHANGED,
    STATE_DROPPED,
    STATE_NEW,
    STATE_UNCHANGED,
    VERDICT_FAILED_LIST,
    VERDICT_HELD,
    VERDICT_HELD_LIST,
    attachment_key,
)


def run_counts(stats: Mapping[str, Any]) -> dict[str, int]:
    """Articles by fate; `held` are doubtful ones not written (cstocrawl/runs/verdict.py); `failed`
    are those fetched or listed but not written, for any other reason but the state's own
    (unchanged, already emitted): a pipeline error (`cstocrawl/failed/item`) too."""
    held = stats.get(VERDICT_HELD, 0)
    dropped_by_others = (
        stats.get(ITEM_DROPPED_COUNT, 0) - stats.get(STATE_DROPPED, 0) - held
    )
    return {
        "new": stats.get(STATE_NEW, 0),
        "changed": stats.get(STATE_CHANGED, 0),
        "unchanged": stats.get(STATE_UNCHANGED, 0),
        "held": held,
        "failed": stats.get(FAILED_ARTICLE, 0)
        + stats.get(ARTICLE_NOT_HTML, 0)
        + stats.get(FAILED_ITEM, 0)
        + dropped_by_others,
        # Every attachment of the run's articles, those fetched now, and those that failed to
        # download or to be read.
        "attachments": sum(
            stats.get(attachment_key(status), 0) for status in ATTACHMENT_STATUSES
        ),
        "attachments_downloaded": stats.get(FILES_DOWNLOADED, 0),
        # Pages read when a stop (SIGTERM, Ctrl-C) began: not failed, not read.
        "cancelled": stats.get(CANCELLED_ARTICLE, 0)
        + stats.get(CANCELLED_LISTING, 0),
        "attachments_failed": stats.get(ATTACHMENTS_FAILED, 0),
    }


def recorded_counts(counts: dict[str, int], promoted: bool) -> dict[str, int]:
    """What the run recorded: for a run that was not promoted, nothing, and what it discarded."""
    if promoted:
        return counts
    discarded = counts["new"] + counts["changed"]
    return {**counts, "new": 0, "changed": 0, "unchanged": 0, "discarded": discarded}


def git_describe() -> str | None:
    """The code's commit, when it runs from a git checkout with git installed."""
    try:
        result = subprocess.run(
            ["git", "describe", "--always", "--dirty", "--tags"],
            cwd=Path(cstocrawl.__file__).parent,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode != 0:
        return None
    return result.stdout.strip() or None


def to_json(manifest: Mapping[str, Any]) -> str:
    """The manifest as written: stats hold datetimes (start and finish time) and the odd object."""
    return json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True, default=_jsonable)


def _jsonable(value: Any) -> Any:
    return iso_utc(value) if isinstance(value, datetime) else str(value)


def manifest(
    run: Run,
    spider: str,
    settings: BaseSettings,
    stats: Mapping[str, Any],
    outcome: Outcome,
    counts: Mapping[str, int],
    state: Mapping[str, Any],
    source: Mapping[str, Any],
) -> dict[str, Any]:
    """The run's record; `state` is what the state says of it: `outcome` (promoted or
    discarded), `articles` (how many it holds now), `schema_version`, `ended_at`; `source` where
    its pages came from: `lang`, `base_url` (the origin fetched), `official` (the real site)."""
    dataset = run.files.dataset
    return {
        "run_id": run.id,
        "spider": spider,
        "source": dict(source),
        # full or incremental; `reextract` for a run rebuilt from WARC files (issue 12).
        "mode": run.mode,
        "today": run.today.isoformat(),
        "recheck_days": settings.getint("CSTOCRAWL_RECHECK_DAYS"),
        "started_at": iso_utc(run.started_at),
        "ended_at": state["ended_at"],
        FINISH_REASON: stats.get(FINISH_REASON),
        "dataset": str(dataset.relative_to(run.files.output_dir)) if dataset.exists() else None,
        "state": {"outcome": state["outcome"], "articles": state["articles"]},
        "outcome": outcome.asdict(),
        "counts": dict(counts),
        # Each {"url", "title", "reason"}: what the run held back, and the articles it failed.
        "held": stats.get(VERDICT_HELD_LIST, []),
        "failed_articles": stats.get(VERDICT_FAILED_LIST, []),
        "errors": stats.get(LOG_ERRORS, 0),
        "health": {
            "verdict": stats.get(HEALTH),
            "failures": stats.get(HEALTH_FAILURES, []),
        },
        "stats": {
            key: value
            for key, value in stats.items()
            if key not in (VERDICT_HELD_LIST, VERDICT_FAILED_LIST)
        },
        "schema_version": state["schema_version"],
        "code_version": {
            "cstocrawl": cstocrawl.__version__,
            "git": git_describe(),
            "scrapy": scrapy.__version__,
        },
    }


def source_of(lang: str, fetch_origin: str, official_origin: str) -> dict[str, Any]:
    """Where a run's pages came from, as its manifest records it (preflight reads it back)."""
    return {"lang": lang, "base_url": fetch_origin, "official": fetch_origin == official_origin}
