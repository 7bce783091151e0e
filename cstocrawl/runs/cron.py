"""Run one crawl for cron: never two at once, and an exit code that says how it went.

Usage: python -m cstocrawl.runs.cron news [-a NAME=VALUE]... [-s NAME=VALUE]...

The same checks, lock and outcome as `scrapy crawl news` (cstocrawl/commands/crawl.py, exit codes
in cstocrawl/runs/outcome.py and docs/operations.md), plus what cron needs: a run id and a log file
per run, the scrapy process under the lock even if the runner dies, and one summary line, on stdout
when the run is fine and on stderr when it is not (cron mails only those).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import IO, Any, NoReturn

from cstocrawl.runs.arguments import name_value, project_settings
from cstocrawl.runs.lock import INHERITED_FD
from cstocrawl.runs.outcome import REFUSALS, Exit, Outcome, Refused, summary, verdict
from cstocrawl.runs.preflight import prepare_run
from cstocrawl.runs.run import RunFiles, new_run_id, output_dir

PROG = "cstocrawl.runs.cron"
USAGE = f"usage: python -m {PROG} news [-a NAME=VALUE]... [-s NAME=VALUE]..."


def refusal_line(outcome: Outcome) -> str:
    return f"{PROG}: {outcome.reason} (exit {int(outcome.code)})"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        """One line, with the usage exit code (argparse's own is 2, which means markup here)."""
        self.exit(Exit.USAGE, refusal_line(Outcome(Exit.USAGE, f"{message}; {USAGE}")) + "\n")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = _Parser(prog=f"python -m {PROG}", description=__doc__.split("\n\n")[0])
    parser.add_argument("spider", help="the spider to run (news; jscsto, ksopn: the sister sites)")
    parser.add_argument(
        "-a",
        dest="args",
        type=name_value,
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="spider argument, as for scrapy crawl",
    )
    parser.add_argument(
        "-s",
        dest="settings",
        type=name_value,
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="setting, as for scrapy crawl",
    )
    return parser.parse_args(argv)


def run_crawl(command: list[str], log: Path, lock: IO[str]) -> int:
    """Run scrapy with its output in the log; SIGTERM/SIGINT are passed on for a clean close."""
    # The child inherits the lock and holds it as its own (cstocrawl/runs/lock.py): no second run
    # starts while it lives, even without us.
    env = {**os.environ, INHERITED_FD: str(lock.fileno())}
    with log.open("ab") as output:
        child = subprocess.Popen(
            command, stdout=output, stderr=subprocess.STDOUT, pass_fds=(lock.fileno(),), env=env
        )
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda received, _frame: child.send_signal(received))
    return child.wait()


def refused_by_child(returncode: int, log: Path) -> Outcome | None:
    """A scrapy that refused to start (a check failed after ours), or could not write its
    manifest (a full disk: 73): its code, and its one line when the log has it."""
    if returncode not in REFUSALS:
        return None
    try:
        lines = log.read_text(encoding="utf-8", errors="replace").strip().splitlines() or [""]
    except OSError:
        lines = [""]
    last = lines[-1]
    reason = f"the run wrote no manifest (scrapy exit {returncode})"
    if last.startswith("cstocrawl") and last.endswith(f" (exit {returncode})"):
        reason = last.partition(": ")[2].rsplit(" (exit ", 1)[0] or reason
    return Outcome(Exit(returncode), reason)


def read_manifest(files: RunFiles) -> dict[str, Any] | None:
    path = files.manifest
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def main(argv: list[str] | None = None) -> int:
    options = parse_args(argv)
    settings = project_settings(options.settings)
    try:
        lock, _ = prepare_run(settings, options.spider, dict(options.args), PROG)
    except Refused as refused:
        print(refusal_line(refused.outcome), file=sys.stderr)
        return int(refused.outcome.code)
    directory = output_dir(settings)
    with lock:
        run_id = settings.get("CSTOCRAWL_RUN_ID") or new_run_id(directory)
        files = RunFiles(directory, run_id)
        log = files.log
        log.parent.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "scrapy", "crawl", options.spider]
        for name, value in options.args:
            command += ["-a", f"{name}={value}"]
        for name, value in [*options.settings, ("CSTOCRAWL_RUN_ID", run_id), ("LOG_FILE", log)]:
            command += ["-s", f"{name}={value}"]
        returncode = run_crawl(command, log, lock)
    manifest = read_manifest(files)
    outcome = verdict(manifest, returncode)
    if manifest is None:
        outcome = refused_by_child(returncode, log) or outcome
    print(summary(PROG, run_id, manifest, outcome), file=sys.stdout if outcome.ok else sys.stderr)
    return int(outcome.code)


if __name__ == "__main__":
    raise SystemExit(main())
