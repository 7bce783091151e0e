"""How a run ended, as an exit code and one line: the one mapping `scrapy crawl` and cron share.

A run is judged once, when the spider closes and before its dataset is renamed (`judge`, called by
cstocrawl/extensions/run.py): only a run judged OK is promoted, so a failed run leaves the state,
`latest.jsonl` and the previous datasets as they were. The manifest records the outcome (a run
judged OK whose promotion failed after all is not OK), and both `scrapy crawl`
(cstocrawl/commands/crawl.py) and the cron runner exit with it (`verdict`).
docs/operations.md has the table of codes with what to do about each.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from cstocrawl import verdict as articles


class Exit(IntEnum):
    """Exit codes; the refusals (nothing was started) use the BSD sysexits values. 2 is never
    ours: make exits 2 when a recipe fails, and Python's argparse on a usage error."""

    OK = 0  # finished, healthy, few articles held or failed, promoted
    FAILED = 1  # crashed, killed, interrupted, or its articles could not be recorded
    ERRORS = 3  # too many failed things: pages lost after retries, attachments, items
    MARKUP = 4  # health check failed: pages fetched, nothing (or too little) extracted
    USAGE = os.EX_USAGE  # 64: bad arguments or settings, an output dir of the other language
    STATE = os.EX_DATAERR  # 65: state.sqlite unreadable
    UNREACHABLE = os.EX_UNAVAILABLE  # 69: no listing page could be fetched
    OUTPUT = os.EX_CANTCREAT  # 73: the output dir cannot be written (or filled up mid-run)
    LOCKED = os.EX_TEMPFAIL  # 75: another run holds the output dir's lock


@dataclass(frozen=True)
class Outcome:
    code: Exit
    reason: str  # "ok", or why not, in a few words

    @property
    def ok(self) -> bool:
        return self.code is Exit.OK

    def asdict(self) -> dict[str, Any]:
        return {"code": int(self.code), "name": self.code.name.lower(), "reason": self.reason}

    @classmethod
    def fromdict(cls, data: Mapping[str, Any]) -> Outcome:
        return cls(Exit(data["code"]), data["reason"])


OK = Outcome(Exit.OK, "ok")


class Refused(Exception):
    """A run refused before anything was created (no state, lock, log or run record)."""

    def __init__(self, code: Exit, reason: str) -> None:
        super().__init__(reason)
        self.outcome = Outcome(code, reason)


STAT = "cstocrawl/outcome"
# Attachments by status (cstocrawl/pipelines/attachments.py), and the downloads that failed.
ATTACHMENTS_STAT = "cstocrawl/attachments"
ATTACHMENT_STATUSES = ("stored", "failed", "unsupported")
# Extractions that overran a limit an earlier run met too (cstocrawl/pipelines/attachments.py).
REMEMBERED_FAILURES = f"{ATTACHMENTS_STAT}/failure_remembered"
# Texts read back from `<sha256>.text.json` rather than extracted again (the same pipeline).
KEPT_TEXTS = f"{ATTACHMENTS_STAT}/text_kept"


def _unreachable(stats: Mapping[str, Any]) -> str | None:
    """Why the site could not be reached, when no listing page came back and some failed."""
    failed = stats.get("cstocrawl/failed/listing", 0)
    if stats.get("cstocrawl/listing/pages", 0) or not failed:
        return None
    causes: Counter[str] = Counter()
    for key, count in stats.items():
        if key.startswith("downloader/exception_type_count/"):
            causes[key.rsplit(".", 1)[-1]] += count
        elif key.startswith("downloader/response_status_count/5"):
            causes["HTTP " + key.rsplit("/", 1)[-1]] += count
    cause = f" ({causes.most_common(1)[0][0]})" if causes else ""
    pages = "page" if failed == 1 else "pages"
    return f"site unreachable: none of the {failed} listing {pages} could be fetched{cause}"


def _fetched_articles(stats: Mapping[str, Any]) -> int:
    """Article pages this run asked for and got an answer to, or lost: a version that lost its
    fields (`failed/downgraded`) was parsed, so it is among the pages already."""
    return int(
        stats.get("cstocrawl/article/pages", 0)
        + stats.get("cstocrawl/article/not_html", 0)
        + stats.get("cstocrawl/failed/article", 0)
        - stats.get("cstocrawl/failed/downgraded", 0)
    )


def _too_doubtful(stats: Mapping[str, Any], max_share: float, minimum: int) -> Outcome | None:
    """Many of the fetched articles held or failed, not counting those an earlier run held or
    failed already (a fault that persists is listed every run, judged once)."""
    held, failed = stats.get(articles.HELD, 0), stats.get(articles.FAILED, 0)
    doubtful = held + failed - stats.get(articles.AGAIN, 0)
    fetched = _fetched_articles(stats)
    if not articles.too_many(doubtful, fetched, max_share, minimum):
        return None
    return Outcome(
        Exit.MARKUP if held >= failed else Exit.ERRORS,
        f"{doubtful} of {fetched} articles held or failed ({held} held, {failed} failed; "
        f"at most {max_share:.0%} allowed)",
    )


def _too_many_failed(stats: Mapping[str, Any], max_share: float, minimum: int) -> Outcome | None:
    """Many of the pages and files this run tried lost: each failed thing counts once, whatever
    it logged, and one an earlier run failed too not at all."""
    failed = stats.get(articles.THINGS_FAILED, 0) + stats.get("cstocrawl/invalid", 0)
    tried = (
        stats.get("cstocrawl/listing/pages", 0)
        + stats.get("cstocrawl/failed/listing", 0)
        + _fetched_articles(stats)
        + stats.get(articles.ATTACHMENTS, 0)
    )
    if not articles.too_many(failed, tried, max_share, minimum):
        return None
    return Outcome(
        Exit.ERRORS,
        f"{failed} of {tried} pages and files failed (at most {max_share:.0%} allowed)",
    )


# Fewer failed attachments than this never fail a run, whatever their share: one broken file
# must not keep a day's articles out of the dataset.
MIN_ATTACHMENT_FAILURES = 3


def _attachments_lost(stats: Mapping[str, Any], max_ratio: float) -> str | None:
    """Why the run lost too many attachments (not downloaded, or not read): the file host is
    down, or the extraction limits are wrong; never an "ok" run with every file failed."""
    # A file an earlier run failed too (its download, or its extraction under the same limits) is
    # listed again, not counted: a fault that persists is judged once, and the next runs publish
    # their articles with the file marked failed.
    again = stats.get(articles.ATTACHMENTS_AGAIN, 0) + stats.get(REMEMBERED_FAILURES, 0)
    failed = stats.get(f"{ATTACHMENTS_STAT}/failed", 0) - again
    total = sum(stats.get(f"{ATTACHMENTS_STAT}/{status}", 0) for status in ATTACHMENT_STATUSES)
    if failed < MIN_ATTACHMENT_FAILURES or failed <= max_ratio * total:
        return None
    return (
        f"{failed} of {total} attachments failed (at most {max_ratio:.0%} allowed, "
        "CSTOCRAWL_MAX_ATTACHMENT_FAILURE_RATIO)"
    )


def judge(
    stats: Mapping[str, Any],
    reason: str | None,
    max_share: float,
    minimum: int,
    max_attachment_failures: float = 1.0,
) -> Outcome:
    """The outcome of a closing run from its stats: OK only when it may be promoted.
    `max_share` and `minimum`: CSTOCRAWL_MAX_DOUBT_SHARE and CSTOCRAWL_MIN_DOUBTFUL;
    `max_attachment_failures`: CSTOCRAWL_MAX_ATTACHMENT_FAILURE_RATIO."""
    if reason != "finished":
        return Outcome(Exit.FAILED, f"the crawl closed with {reason!r}")
    if write_error := stats.get("cstocrawl/failed/dataset"):  # set by the writer (a full disk)
        return Outcome(Exit.OUTPUT, f"the dataset could not be written: {write_error}")
    if unreachable := _unreachable(stats):
        return Outcome(Exit.UNREACHABLE, unreachable)
    if stats.get("cstocrawl/health") != "ok":
        failures = stats.get("cstocrawl/health/failures") or ["the health check did not run"]
        return Outcome(Exit.MARKUP, "health check failed: " + "; ".join(failures))
    if doubtful := _too_doubtful(stats, max_share, minimum):
        return doubtful
    if failed := _too_many_failed(stats, max_share, minimum):
        return failed
    if lost := _attachments_lost(stats, max_attachment_failures):
        return Outcome(Exit.ERRORS, lost)
    return OK


def verdict(manifest: Mapping[str, Any] | None, returncode: int | None = None) -> Outcome:
    """The exit of a run from its manifest (None: it wrote none) and scrapy's exit code, if any."""
    if manifest is None:
        if returncode is None:
            return Outcome(Exit.FAILED, "the run never began (see the log)")
        return Outcome(Exit.FAILED, f"the crawl died without a manifest (scrapy exit {returncode})")
    outcome = Outcome.fromdict(manifest["outcome"])
    if outcome.ok and returncode not in (None, 0):
        return Outcome(Exit.FAILED, f"scrapy exited with {returncode}")
    return outcome


def summary(prog: str, run_id: str, manifest: Mapping[str, Any] | None, outcome: Outcome) -> str:
    """The one line a run ends with; a run that was not promoted counts nothing as recorded."""
    head = f"{prog} {run_id}: " + ("ok" if outcome.ok else f"FAILED, {outcome.reason}")
    if manifest is None:
        return f"{head} (exit {int(outcome.code)})"
    counts, errors = manifest["counts"], manifest["errors"]
    doubtful = f"{counts.get('held', 0)} held, {counts['failed']} failed"
    if manifest["state"]["outcome"] != "promoted":
        # The reason names what failed; "0 failed" beside an unreachable site would mislead.
        lost = {
            "held": counts.get("held"),
            "failed": counts["failed"],
            "cancelled": counts.get("cancelled"),
            "attachments failed": counts.get("attachments_failed"),
        }
        said = [f"{count} {what}" for what, count in lost.items() if count]
        recorded = ", ".join(["nothing recorded", *said])
    else:
        recorded = (
            f"{counts['new']} new, {counts['changed']} changed, {counts['unchanged']} unchanged, "
            f"{doubtful}; {counts.get('attachments', 0)} attachments: "
            f"{counts['attachments_downloaded']} downloaded, "
            f"{counts.get('attachments_failed', 0)} failed"
        )
    return f"{head}; {recorded}; {errors} errors (exit {int(outcome.code)})"
