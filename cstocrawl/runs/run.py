"""One run as a value: its id, its mode, its date and every file it writes.

Made once per crawl by the run's extension (cstocrawl/runs/extension.py), and by the cron runner
and the preflight checks for the names of a run's files before any crawl exists, so every part of
the project spells a run's paths the same way.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal

from scrapy.settings import BaseSettings

from cstocrawl import settings as project
from cstocrawl.store.state import state_path

Mode = Literal["full", "incremental", "reextract"]

RUN_ID_FORMAT = "%Y%m%dT%H%M%SZ"
NEWS_DIR = "news"
LOGS_DIR = "logs"
LATEST = "latest.jsonl"


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def iso_utc(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def output_dir(settings: BaseSettings) -> Path:
    """CSTOCRAWL_OUTPUT_DIR; unset or empty, the project's default (cstocrawl/settings.py)."""
    return Path(settings.get("CSTOCRAWL_OUTPUT_DIR") or project.CSTOCRAWL_OUTPUT_DIR)


def files_store(settings: BaseSettings) -> Path:
    """Where attachments are stored: FILES_STORE, or `<output dir>/files`."""
    return Path(settings.get("FILES_STORE") or output_dir(settings) / "files")


def run_date(settings: BaseSettings) -> date:
    """The run's "today": CSTOCRAWL_TODAY (YYYY-MM-DD) when set, else the UTC date."""
    today = settings.get("CSTOCRAWL_TODAY")
    return date.fromisoformat(today) if today else datetime.now(UTC).date()


@dataclass(frozen=True)
class RunFiles:
    """The files of run `run_id` in `output_dir` (docs/operations.md describes each)."""

    output_dir: Path
    run_id: str

    @property
    def news(self) -> Path:
        return self.output_dir / NEWS_DIR

    @property
    def dataset(self) -> Path:
        return self.news / f"{self.run_id}.jsonl"

    @property
    def partial_dataset(self) -> Path:
        """Where the dataset is written; renamed to `dataset` only when the run is promoted."""
        return self.news / f"{self.run_id}.jsonl.tmp"

    @property
    def rejects(self) -> Path:
        return self.news / f"{self.run_id}.rejects.jsonl"

    @property
    def manifest(self) -> Path:
        return self.news / f"{self.run_id}.manifest.json"

    @property
    def report(self) -> Path:
        """The run told for a person (cstocrawl/runs/report.py), beside the manifest."""
        return self.news / f"{self.run_id}.report.md"

    @property
    def log(self) -> Path:
        return self.output_dir / LOGS_DIR / f"{self.run_id}.log"

    @property
    def latest(self) -> Path:
        return self.news / LATEST

    @property
    def state(self) -> Path:
        return state_path(self.output_dir)

    def taken(self) -> bool:
        """A run of this id left its files already: its id must not be used again. (Its log
        is not one: the cron runner opens the log before the crawl begins.)"""
        return any(path.exists() for path in (self.dataset, self.partial_dataset, self.manifest))


def new_run_id(directory: Path) -> str:
    """The UTC start time; waits for the next second rather than reuse a run's id."""
    while True:
        run_id = datetime.now(UTC).strftime(RUN_ID_FORMAT)
        files = RunFiles(directory, run_id)
        if not files.taken() and not files.log.exists():
            return run_id
        time.sleep(0.2)


@dataclass(frozen=True)
class Run:
    id: str
    mode: Mode
    started_at: datetime
    today: date  # the re-check window ends here (CSTOCRAWL_TODAY)
    files: RunFiles

    @property
    def full(self) -> bool:
        """Every article is requested and written, known or not (re-extraction is a full run)."""
        return self.mode != "incremental"

    @classmethod
    def begin(cls, settings: BaseSettings, *, full: bool) -> Run:
        """The run a crawl with these settings is: CSTOCRAWL_RUN_ID or a new id, and its mode."""
        directory = output_dir(settings)
        mode: Mode = "full" if full else "incremental"
        if settings.getlist("CSTOCRAWL_REPLAY_WARCS"):
            mode = "reextract"
        run_id = settings.get("CSTOCRAWL_RUN_ID") or new_run_id(directory)
        return cls(run_id, mode, utc_now(), run_date(settings), RunFiles(directory, run_id))
