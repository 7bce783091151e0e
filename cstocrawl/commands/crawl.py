"""`scrapy crawl news` with an exit code that tells the truth, and one line saying how it went.

Scrapy's own `crawl` exits 0 whatever happened. This one checks the arguments, settings, output
dir and state before anything is created, takes the output dir's lock (cstocrawl/runs/lock.py), runs
the crawl, and exits with the run's outcome (cstocrawl/runs/outcome.py, docs/operations.md): the
same codes and lines as the cron runner.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from typing import IO, NoReturn

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from cstocrawl.runs.extension import RunLifecycle
from cstocrawl.runs.outcome import Exit, Outcome, Refused, summary, verdict
from cstocrawl.runs.preflight import prepare_run

logger = logging.getLogger(__name__)

PROG = "cstocrawl"
USAGE = "usage: scrapy crawl news [-a NAME=VALUE]... [-s NAME=VALUE]... [-O FILE]"

FEEDS_NOTE = (
    "Feed exports (-o, -O, FEEDS) get what this run emits: an incremental run emits only new and "
    "changed articles; -a full=1 exports every article"
)


def refuse(outcome: Outcome, prog: str = PROG) -> NoReturn:
    """One line on stderr, and the exit code; nothing was started."""
    print(f"{prog}: {outcome.reason} (exit {int(outcome.code)})", file=sys.stderr)
    sys.exit(int(outcome.code))


class Command(ScrapyCrawl):
    def __init__(self) -> None:
        super().__init__()
        self._lock: IO[str] | None = None  # held until the process exits
        self._arguments: object = None

    def short_desc(self) -> str:
        return "Run a spider; exit code and last line say how the run went (docs/operations.md)"

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        try:
            super().process_options(args, opts)
            if len(args) != 1:
                raise UsageError(USAGE)
            assert self.settings is not None
            self._lock, self._arguments = prepare_run(self.settings, args[0], opts.spargs, PROG)
        except UsageError as error:
            refuse(Outcome(Exit.USAGE, str(error) or USAGE))
        except Refused as refused:
            refuse(refused.outcome)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.crawler_process is not None and self.settings is not None
        crawler = self._create_crawler(args[0])
        if self.settings.getdict("FEEDS") and not getattr(self._arguments, "full", False):
            logger.warning(FEEDS_NOTE)
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        try:
            extension = crawler.get_extension(RunLifecycle)
        except RuntimeError:  # the crawl failed before its extensions were made (a bad setting)
            extension = None
        manifest = extension.manifest if extension is not None else None
        if self.crawler_process.bootstrap_failed and manifest is None:
            outcome = Outcome(Exit.FAILED, "the crawl could not start (see the log)")
        else:
            outcome = verdict(manifest)
        run_id = manifest["run_id"] if manifest else self.settings.get("CSTOCRAWL_RUN_ID") or "-"
        line = summary(PROG, run_id, manifest, outcome)
        self.exitcode = int(outcome.code)
        with contextlib.suppress(OSError):  # a log file on a full disk: the exit code tells
            print(line, file=sys.stdout if outcome.ok else sys.stderr, flush=True)
