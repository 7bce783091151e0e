"""Close every run on record: the run in the state, `latest.jsonl`, and `<run id>.manifest.json`.

Runs at engine_stopped, after spider_closed (the run was judged, its dataset renamed and promoted
by then, or not: cstocrawl/outcome.py) and after the health check, so the manifest sees the final
stats. `latest.jsonl` is rebuilt only after a promoted run: a failed one leaves it as it was.
`scrapy crawl` and the cron runner exit with the manifest's `outcome`; a run killed outright
writes none, which is itself a verdict.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler

import cstocrawl
from cstocrawl.incremental import run_date
from cstocrawl.outcome import final, judged
from cstocrawl.pipelines.jsonl import dataset_path, fsync_directory
from cstocrawl.spiders.news import iso_utc, utc_now
from cstocrawl.state import State, state_path

logger = logging.getLogger(__name__)

LATEST = "latest.jsonl"


def manifest_path(output_dir: str | Path, run_id: str) -> Path:
    return Path(output_dir) / "news" / f"{run_id}.manifest.json"


def run_counts(stats: Mapping[str, Any]) -> dict[str, int]:
    """Articles by fate; `failed` are those fetched or listed but not written, for any reason but
    the state's own (unchanged, already emitted): a pipeline error (`cstocrawl/failed/item`) too."""
    dropped_by_others = stats.get("item_dropped_count", 0) - stats.get("cstocrawl/state/dropped", 0)
    return {
        "new": stats.get("cstocrawl/state/new", 0),
        "changed": stats.get("cstocrawl/state/changed", 0),
        "unchanged": stats.get("cstocrawl/state/unchanged", 0),
        "failed": stats.get("cstocrawl/failed/article", 0)
        + stats.get("cstocrawl/article/not_html", 0)
        + stats.get("cstocrawl/failed/item", 0)
        + dropped_by_others,
        "attachments_downloaded": stats.get("file_status_count/downloaded", 0),
    }


def recorded_counts(counts: dict[str, int], promoted: bool) -> dict[str, int]:
    """What the run recorded: for a run that was not promoted, nothing, and what it discarded."""
    if promoted:
        return counts
    discarded = counts["new"] + counts["changed"]
    return {**counts, "new": 0, "changed": 0, "unchanged": 0, "discarded": discarded}


def write_atomically(path: Path, lines: Iterable[str]) -> None:
    """Readers see the old file or the new one, whole, even across a crash."""
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open("w", encoding="utf-8") as file:
        for line in lines:
            file.write(line + "\n")
        file.flush()
        os.fsync(file.fileno())
    temporary.replace(path)
    fsync_directory(path.parent)


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


def _jsonable(value: Any) -> Any:
    return iso_utc(value) if isinstance(value, datetime) else str(value)


class RunManifest:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.output_dir = Path(crawler.settings.get("CSTOCRAWL_OUTPUT_DIR", "output"))
        self.manifest: dict[str, Any] | None = None  # once written; `scrapy crawl` exits with it

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunManifest:
        extension = cls(crawler)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def engine_stopped(self) -> None:
        spider = self.crawler.spider
        settings = self.crawler.settings
        stats = self.crawler.stats.get_stats()
        if "cstocrawl/state/mode" not in stats:
            logger.error("Run %s never began (see above): no manifest", spider.run_id)
            return
        judgement = judged(self.crawler, stats.get("finish_reason"))
        promoted = "cstocrawl/state/promoted" in stats
        counts = recorded_counts(run_counts(stats), promoted)
        ended_at = iso_utc(utc_now())
        news_dir = self.output_dir / "news"
        news_dir.mkdir(parents=True, exist_ok=True)
        with State(state_path(self.output_dir)) as state:
            outcome = state.finish_run(spider.run_id, ended_at, stats.get("finish_reason"), counts)
            if outcome == "promoted":
                write_atomically(news_dir / LATEST, state.latest_items())
            articles = state.article_count()
            schema_version = state.schema_version
        run_outcome = final(judgement, outcome == "promoted")
        dataset = dataset_path(self.output_dir, spider.run_id)
        manifest = {
            "run_id": spider.run_id,
            "spider": spider.name,
            # full or incremental; `reextract` for a run rebuilt from WARC files (issue 12).
            "mode": stats.get("cstocrawl/run/mode") or stats["cstocrawl/state/mode"],
            "today": run_date(settings).isoformat(),
            "recheck_days": settings.getint("CSTOCRAWL_RECHECK_DAYS"),
            "started_at": iso_utc(spider.started_at),
            "ended_at": ended_at,
            "finish_reason": stats.get("finish_reason"),
            "dataset": str(dataset.relative_to(self.output_dir)) if dataset.exists() else None,
            "state": {"outcome": outcome, "articles": articles},
            "outcome": run_outcome.asdict(),
            "counts": counts,
            "errors": stats.get("log_count/ERROR", 0),
            "health": {
                "verdict": stats.get("cstocrawl/health"),
                "failures": stats.get("cstocrawl/health/failures", []),
            },
            "stats": stats,
            "schema_version": schema_version,
            "code_version": {"cstocrawl": cstocrawl.__version__, "git": git_describe()},
        }
        text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True, default=_jsonable)
        write_atomically(manifest_path(self.output_dir, spider.run_id), [text])
        self.manifest = manifest
        logger.info("Run %s closed (%s): %s", spider.run_id, outcome, counts)
