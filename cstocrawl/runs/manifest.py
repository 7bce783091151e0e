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
from cstocrawl.runs import verdict
from cstocrawl.runs.outcome import ATTACHMENT_STATUSES, ATTACHMENTS_STAT, Outcome
from cstocrawl.runs.run import Run, iso_utc


def run_counts(stats: Mapping[str, Any]) -> dict[str, int]:
    """Articles by fate; `held` are doubtful ones not written (cstocrawl/runs/verdict.py); `failed`
    are those fetched or listed but not written, for any other reason but the state's own
    (unchanged, already emitted): a pipeline error (`cstocrawl/failed/item`) too."""
    held = stats.get(verdict.HELD, 0)
    dropped_by_others = (
        stats.get("item_dropped_count", 0) - stats.get("cstocrawl/state/dropped", 0) - held
    )
    return {
        "new": stats.get("cstocrawl/state/new", 0),
        "changed": stats.get("cstocrawl/state/changed", 0),
        "unchanged": stats.get("cstocrawl/state/unchanged", 0),
        "held": held,
        "failed": stats.get("cstocrawl/failed/article", 0)
        + stats.get("cstocrawl/article/not_html", 0)
        + stats.get("cstocrawl/failed/item", 0)
        + dropped_by_others,
        # Every attachment of the run's articles, those fetched now, and those that failed to
        # download or to be read.
        "attachments": sum(
            stats.get(f"{ATTACHMENTS_STAT}/{status}", 0) for status in ATTACHMENT_STATUSES
        ),
        "attachments_downloaded": stats.get("file_status_count/downloaded", 0),
        # Pages read when a stop (SIGTERM, Ctrl-C) began: not failed, not read.
        "cancelled": stats.get("cstocrawl/cancelled/article", 0)
        + stats.get("cstocrawl/cancelled/listing", 0),
        "attachments_failed": stats.get(f"{ATTACHMENTS_STAT}/failed", 0),
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
        "finish_reason": stats.get("finish_reason"),
        "dataset": str(dataset.relative_to(run.files.output_dir)) if dataset.exists() else None,
        "state": {"outcome": state["outcome"], "articles": state["articles"]},
        "outcome": outcome.asdict(),
        "counts": dict(counts),
        # Each {"url", "title", "reason"}: what the run held back, and the articles it failed.
        "held": stats.get(verdict.HELD_LIST, []),
        "failed_articles": stats.get(verdict.FAILED_LIST, []),
        "errors": stats.get("log_count/ERROR", 0),
        "health": {
            "verdict": stats.get("cstocrawl/health"),
            "failures": stats.get("cstocrawl/health/failures", []),
        },
        "stats": {
            key: value
            for key, value in stats.items()
            if key not in (verdict.HELD_LIST, verdict.FAILED_LIST)
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
