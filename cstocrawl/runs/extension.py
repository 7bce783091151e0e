"""A run's life, from the moment the crawler is made to the manifest, in the order it happens.

Begin (`from_crawler`, before anything is fetched): the run's value (cstocrawl/runs/run.py), the
state opened and the run on record in it; a run that dies is discarded by the next one
(`begin_run`).
Then, before anything else, `latest.jsonl` is repaired: rebuilt from the state when a promoted run
never got it rebuilt (killed, or a write failed, after its promotion) or when it is missing.
While the crawl runs, the pipelines write `<run id>.jsonl.tmp` and record each article in the state
as pending (`RunLifecycle.of(crawler)` gives them the run and the state).
End (`spider_closed`, after the pipelines closed and the dataset file was fsynced), in this order:
1. the health check judges what was extracted, and the WARC files are closed
   (`close_before_judging`);
2. the run is judged (cstocrawl/runs/outcome.py): finished, written, reachable, healthy, few
   articles held or failed, few pages and files failed;
3. promoted: the dataset renamed into place, then the run's articles marked seen in the state in
   one transaction (cstocrawl/store/state.py says why in this order); or discarded: the dataset
   keeps its `.tmp` name and the state keeps nothing the run fetched, only the failures it met
   (retry list);
4. the run closed in the state, and `latest.jsonl` rebuilt from it when the run was promoted, then
   marked rebuilt in the state (a kill or a failed write in between is repaired by the next run);
5. the manifest written: `scrapy crawl` and the cron runner exit with its outcome. A write that
   fails at 3 to 5 (a full disk) is the run's outcome, exit 73 (Exit.OUTPUT), never a traceback.
6. the report for a person beside it (cstocrawl/runs/report.py), from the manifest, the run's
   dataset and the failures read before the run was settled (step 3 empties them into the retry
   list).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from cstocrawl.extensions import required
from cstocrawl.extensions.health import HealthCheck
from cstocrawl.runs.durable import fsync_directory, write_atomically
from cstocrawl.runs.manifest import manifest, recorded_counts, run_counts, source_of, to_json
from cstocrawl.runs.outcome import OK, Exit, Outcome, judge
from cstocrawl.runs.report import Failure, read_articles, report_lines
from cstocrawl.runs.run import Run, iso_utc, utc_now
from cstocrawl.runs.statkeys import (
    DATASET,
    FINISH_REASON,
    LATEST_REPAIRED,
    OUTCOME,
    RETRY_GIVEN_UP,
    RETRY_LISTED,
    STATE_PROMOTED,
)
from cstocrawl.site import Site
from cstocrawl.store.pairing import PAIRS_FILE, with_translations
from cstocrawl.store.state import Retry, State

logger = logging.getLogger(__name__)


class RunLifecycle:
    """The one owner of a run's beginning and end (the module docstring gives the order)."""

    def __init__(self, crawler: Crawler, run: Run, state: State) -> None:
        self.crawler = crawler
        self.stats: StatsCollector = crawler.stats
        self.run = run
        self.state = state
        # What the state knew as the run began, read once: what to request, what changed.
        self.known = state.known_articles()
        self.aliases = state.aliases()  # alias URL -> article URL
        self.retries = state.retries()
        self.max_doubt_share = crawler.settings.getfloat("CSTOCRAWL_MAX_DOUBT_SHARE")
        self.min_doubtful = crawler.settings.getint("CSTOCRAWL_MIN_DOUBTFUL")
        self.max_attempts = crawler.settings.getint("CSTOCRAWL_RETRY_RUNS")
        self.max_attachment_failures = crawler.settings.getfloat(
            "CSTOCRAWL_MAX_ATTACHMENT_FAILURE_RATIO"
        )
        self.manifest: dict[str, Any] | None = None  # once written
        self._closed_before_judging: list[Callable[[], None]] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunLifecycle:
        run = Run.begin(crawler.settings, full=_full(crawler))
        state = State(run.files.state)
        try:
            abandoned = state.begin_run(run.id, iso_utc(run.started_at), run.mode)
            extension = cls(crawler, run, state)  # reads what the state knew
        except BaseException:
            state.close()
            raise
        extension.repair_latest()
        if abandoned:
            logger.warning(
                "Runs %s never closed: what they left pending is discarded, their articles will "
                "be emitted again",
                ", ".join(abandoned),
            )
        if extension.retries:
            extension.stats.set_value(RETRY_LISTED, len(extension.retries))
            logger.info("Retry list: %d pages or files earlier runs failed", len(extension.retries))
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    @classmethod
    def of(cls, crawler: Crawler) -> RunLifecycle:
        """The crawl's run; a component that records the run cannot work without it."""
        return required(crawler, cls)

    def close_before_judging(self, close: Callable[[], None]) -> None:
        """Have `close` run at the run's end, before the run is judged: what it closes is whole
        and in the stats when the manifest is written (the WARC capture's files)."""
        self._closed_before_judging.append(close)

    def spider_closed(self, reason: str) -> None:
        self.state.flush()  # what the state pipeline recorded, before anything is decided
        failures = [Failure(*failure) for failure in self.state.run_failures(self.run.id)]
        changes = self.state.run_changes(self.run.id)
        if (health := self.crawler.get_extension(HealthCheck)) is not None:
            health.check()
        for close in self._closed_before_judging:
            close()
        outcome = judge(
            self.stats.get_stats(),
            reason,
            self.max_doubt_share,
            self.min_doubtful,
            self.max_attachment_failures,
        )
        if outcome.ok:
            outcome = self._promote()
        if not outcome.ok:
            self._discard(outcome)
        self.stats.set_value(OUTCOME, outcome.asdict())
        self._close(outcome)
        self._write_report(failures, changes)

    def _promote(self) -> Outcome:
        """The dataset under its final name, then the run's articles known to the state."""
        files = self.run.files
        try:
            files.partial_dataset.replace(files.dataset)
            fsync_directory(files.news)
        except OSError as error:
            return Outcome(Exit.OUTPUT, f"the dataset could not be renamed into place: {error}")
        logger.info("Dataset written: %s", files.dataset)
        self.stats.set_value(DATASET, str(files.dataset))
        try:
            promoted = self.state.promote(self.run.id, self.max_attempts)
        except sqlite3.Error as error:
            logger.error("State: run %s could not be recorded: %s", self.run.id, error)
            code = Exit.OUTPUT if _unwritable(error) else Exit.FAILED
            return Outcome(code, f"the run's articles could not be recorded in the state: {error}")
        self.stats.set_value(STATE_PROMOTED, promoted)
        logger.info("State: run %s recorded, %d articles marked seen", self.run.id, promoted)
        self._report(self.state.given_up_now)
        return OK

    def _discard(self, outcome: Outcome) -> None:
        """Nothing the run fetched is recorded; what it failed is retried by the next runs."""
        files = self.run.files
        if files.partial_dataset.exists() and files.partial_dataset.stat().st_size == 0:
            files.partial_dataset.unlink()  # nothing was written: no file to look at
        if files.partial_dataset.exists():
            where = f"dataset left unfinished at {files.partial_dataset}"
        elif files.dataset.exists():  # renamed, but the state could not record its articles
            where = f"{files.dataset} written, its articles to be emitted again by the next run"
        else:
            where = "no dataset"
        logger.error("Run not promoted (%s): %s", outcome.reason, where)
        self._report(self.state.settle_failures(self.run.id, self.max_attempts))

    def _report(self, given_up: list[Retry]) -> None:
        if given_up:
            self.stats.set_value(
                RETRY_GIVEN_UP, [f"{r.kind} {r.url}: {r.error}" for r in given_up]
            )
        for retry in given_up:
            logger.warning(
                "Gave up on %s %s after %d failed runs: %s",
                retry.kind,
                retry.url,
                retry.attempts,
                retry.error,
            )

    def _close(self, outcome: Outcome) -> None:
        """The run closed in the state, `latest.jsonl` if it was promoted, and the manifest."""
        files = self.run.files
        stats = self.stats.get_stats()
        counts = recorded_counts(run_counts(stats), promoted=outcome.ok)
        ended_at = iso_utc(utc_now())
        try:
            verdict = self.state.finish_run(
                self.run.id, ended_at, stats.get(FINISH_REASON), counts
            )
        except sqlite3.Error as error:
            logger.error("State: run %s could not be closed: %s", self.run.id, error)
            verdict = "promoted" if outcome.ok else "discarded"  # what promote() committed
            outcome = _failed("the run could not be closed in the state", error, outcome)
        if verdict == "promoted" and (failure := self.rebuild_latest()) is not None:
            what = f"{files.latest} could not be rebuilt (the next run rebuilds it first)"
            outcome = _failed(what, failure, outcome)
        self.stats.set_value(OUTCOME, outcome.asdict())
        state = {
            "outcome": verdict,
            "articles": self.state.article_count(),
            "schema_version": self.state.schema_version,
            "ended_at": ended_at,
        }
        spider = self.crawler.spidercls.name
        settings = self.crawler.settings
        record = manifest(self.run, spider, settings, stats, outcome, counts, state, self._source())
        try:
            files.news.mkdir(parents=True, exist_ok=True)
            write_atomically(files.manifest, [to_json(record)])
        except OSError as error:
            logger.error("Manifest %s could not be written: %s", files.manifest, error)
            outcome = _failed("the manifest could not be written", error, outcome)
            record["outcome"] = outcome.asdict()  # what `scrapy crawl` exits with
        self.manifest = record
        logger.info("Run %s closed (%s): %s", self.run.id, verdict, counts)

    def rebuild_latest(self) -> Exception | None:
        """`latest.jsonl` from the state, then marked rebuilt in it; the error when that failed
        (the state still says stale: the next run tries again)."""
        try:
            self.run.files.news.mkdir(parents=True, exist_ok=True)
            pairs = self.run.files.news / PAIRS_FILE  # the last pairing step's, if any
            lines = with_translations(self.state.latest_items(), pairs)
            write_atomically(self.run.files.latest, lines)
            self.state.latest_rebuilt(iso_utc(utc_now()))
        except (OSError, sqlite3.Error) as error:
            logger.error("%s could not be rebuilt: %s", self.run.files.latest, error)
            return error
        return None

    def repair_latest(self) -> None:
        """Before anything else: `latest.jsonl` rebuilt when a promoted run's articles may be
        missing from it, or when it is gone."""
        stale = self.state.latest_stale()
        missing = not self.run.files.latest.exists() and self.state.article_count() > 0
        if not stale and not missing:
            return
        why = f"stale: runs {', '.join(stale)} were promoted after it was last rebuilt"
        logger.warning(
            "%s is %s; rebuilt from the state", self.run.files.latest, why if stale else "missing"
        )
        if self.rebuild_latest() is None:
            self.stats.set_value(LATEST_REPAIRED, stale or ["missing"])

    def _write_report(self, failures: list[Failure], changes: dict[str, str]) -> None:
        """Never fails the run: it was judged and recorded already."""
        files = self.run.files
        dataset = files.dataset if files.dataset.exists() else files.partial_dataset
        assert self.manifest is not None
        try:
            articles = read_articles(dataset, changes)
            lines = report_lines(self.manifest, articles, failures, files.output_dir)
            write_atomically(files.report, lines)
        except OSError as error:
            logger.warning("Report %s not written: %s", files.report, error)
            return
        logger.info("Report: %s", files.report)

    def _source(self) -> dict[str, Any]:
        """The spider's site; a crawler made without a spider (tests) crawled the official one."""
        site = getattr(_spider(self.crawler), "site", None) or Site()
        return source_of(site.lang, site.fetch_origin, site.official_origin)

    def engine_stopped(self) -> None:
        self.state.close()


def _unwritable(error: Exception) -> bool:
    """A write refused by the place (full, read-only, I/O error), not a fault of ours."""
    if isinstance(error, sqlite3.Error):
        code = (getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF  # the primary code
        return code in (sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_READONLY)
    return isinstance(error, OSError)


def _failed(what: str, error: Exception, outcome: Outcome) -> Outcome:
    """The outcome once a write at the run's end failed; the first failure stays the reason."""
    if not outcome.ok:
        return outcome
    code = Exit.OUTPUT if _unwritable(error) else Exit.FAILED
    return Outcome(code, f"{what}: {error}")


def _spider(crawler: Crawler) -> object:
    """The crawl's spider. Scrapy makes it just before the extensions; a crawler from
    `scrapy.utils.test.get_crawler` has none."""
    try:
        return crawler.spider
    except RuntimeError:
        return None


def _full(crawler: Crawler) -> bool:
    """The spider's checked `full` argument; without a spider, an incremental run."""
    return bool(getattr(_spider(crawler), "full", False))
