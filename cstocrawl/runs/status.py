"""Whether the daily runs happen: the last runs, the age of `latest.jsonl`, and STALE when no run
was promoted for days (cron mails only failures, so silence alone proves nothing).

Usage: python -m cstocrawl.runs.status [OUTPUT_DIR] [--days N] [--runs N]

Reads the output dir's manifests and file names, and writes nothing: a second cron line or a
monitoring check can call it while a run works. Exit codes (docs/operations.md, "Is it running?"):
0 fresh, 1 STALE, 64 bad usage, 66 no such output dir.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

from cstocrawl import settings as project
from cstocrawl.runs.outcome import summary, verdict
from cstocrawl.runs.run import LATEST, LOGS_DIR, NEWS_DIR, iso_utc

PROG = "cstocrawl.runs.status"
FRESH, STALE, USAGE, NO_INPUT = 0, 1, os.EX_USAGE, os.EX_NOINPUT
# A daily job may miss one day (a flaky site, a deploy) before anyone needs to look.
DEFAULT_DAYS = 2.0
DEFAULT_RUNS = 5


@dataclass(frozen=True)
class RunRecord:
    """One run as its files tell it; `manifest` is None for a run that was killed or still works."""

    run_id: str
    manifest: dict[str, Any] | None

    @property
    def started_at(self) -> str:
        return str(self.manifest["started_at"]) if self.manifest else ""

    def promoted_at(self) -> datetime | None:
        if self.manifest is None or self.manifest["state"]["outcome"] != "promoted":
            return None
        return datetime.fromisoformat(self.manifest["ended_at"])

    def line(self) -> str:
        """When, mode, exit code, and the run's one line with its counts (held articles too)."""
        if self.manifest is None:
            return f"no manifest: killed, or running now (see {LOGS_DIR}/{self.run_id}.log)"
        manifest = self.manifest
        outcome = verdict(manifest)
        said = summary(PROG, self.run_id, manifest, outcome)
        said = said.removeprefix(f"{PROG} {self.run_id}: ").rsplit(" (exit ", 1)[0]
        code = int(outcome.code)
        return f"{manifest['started_at']}  {manifest['mode']:<11}  exit {code:<2}  {said}"


def read_runs(output_dir: Path) -> list[RunRecord]:
    """Every run the output dir shows, oldest first: those with a manifest by their start, then
    those without one (a `.jsonl.tmp` or a log and no manifest) by their id."""
    news = output_dir / NEWS_DIR
    manifests: dict[str, dict[str, Any]] = {}
    for path in news.glob("*.manifest.json"):
        try:
            manifests[path.name.removesuffix(".manifest.json")] = json.loads(
                path.read_text(encoding="utf-8")
            )
        except (OSError, ValueError):
            continue  # written atomically: only a hand-made file can be torn
    others = {path.name.removesuffix(".jsonl.tmp") for path in news.glob("*.jsonl.tmp")}
    others |= {path.stem for path in (output_dir / LOGS_DIR).glob("*.log")}
    records = [RunRecord(run_id, manifest) for run_id, manifest in manifests.items()]
    records.sort(key=lambda record: (record.started_at, record.run_id))
    records += [RunRecord(run_id, None) for run_id in sorted(others - set(manifests))]
    return records


def age(moment: datetime, now: datetime) -> str:
    minutes = (now - moment).total_seconds() / 60
    if minutes < 120:
        return f"{minutes:.0f} minute" + ("" if round(minutes) == 1 else "s")
    return f"{minutes / 60:.1f} hours" if minutes < 48 * 60 else f"{minutes / 1440:.1f} days"


def report(output_dir: Path, now: datetime, days: float, runs: int) -> tuple[int, Iterator[str]]:
    """The exit code and the lines to print, the verdict last."""
    records = read_runs(output_dir)
    promoted = [moment for record in records if (moment := record.promoted_at())]
    last = max(promoted, default=None)
    stale = last is None or (now - last).total_seconds() > days * 86400
    if last is None:
        verdict_line = f"STALE: no run in {output_dir} was ever promoted"
    else:
        when = f"the last promoted run ended {iso_utc(last)}, {age(last, now)} ago"
        verdict_line = f"{'STALE' if stale else 'ok'}: {when} (limit {days:g} days)"
    return (STALE if stale else FRESH), _lines(output_dir, records[-runs:], now, verdict_line)


def _lines(
    output_dir: Path, records: list[RunRecord], now: datetime, verdict_line: str
) -> Iterator[str]:
    latest = output_dir / NEWS_DIR / LATEST
    if latest.exists():
        written = datetime.fromtimestamp(latest.stat().st_mtime, UTC).replace(microsecond=0)
        with latest.open("rb") as lines:
            articles = sum(1 for _ in lines)
        yield f"{latest}: {articles} articles, written {iso_utc(written)} ({age(written, now)} ago)"
    else:
        yield f"{latest}: none yet"
    yield f"last {len(records)} runs, oldest first:" if records else "no runs yet"
    for record in records:
        yield f"  {record.run_id}  {record.line()}"
    yield f"{PROG}: {verdict_line}"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(USAGE, f"{PROG}: {message} (exit {USAGE})\n")


def positive(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise ValueError(text)
    return value


def whole(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = _Parser(prog=f"python -m {PROG}", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "output_dir",
        nargs="?",
        default=project.CSTOCRAWL_OUTPUT_DIR,
        help=f"the output dir (CSTOCRAWL_OUTPUT_DIR; default {project.CSTOCRAWL_OUTPUT_DIR})",
    )
    parser.add_argument(
        "--days",
        type=positive,
        default=DEFAULT_DAYS,
        help=f"STALE (exit 1) when no run was promoted for this long (default {DEFAULT_DAYS:g})",
    )
    parser.add_argument(
        "--runs", type=whole, default=DEFAULT_RUNS, help=f"runs shown (default {DEFAULT_RUNS})"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None, now: datetime | None = None) -> int:
    options = parse_args(argv)
    output_dir = Path(options.output_dir)
    if not (output_dir / NEWS_DIR).is_dir():
        print(
            f"{PROG}: {output_dir} holds no runs ({NEWS_DIR}/ is missing) (exit {NO_INPUT})",
            file=sys.stderr,
        )
        return NO_INPUT
    code, lines = report(output_dir, now or datetime.now(UTC), options.days, options.runs)
    *body, last = list(lines)
    print("\n".join(body))
    print(f"{last} (exit {code})", file=sys.stderr if code else sys.stdout)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
