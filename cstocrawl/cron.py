"""Run one crawl for cron: never two at once, and an exit code that says how it went.

Usage: python -m cstocrawl.cron news [-a NAME=VALUE]... [-s NAME=VALUE]...

`scrapy crawl` exits 0 even when a crawl failed, so this runner decides from the run's manifest.
Exit codes (docs/operations.md):
  0   the run finished, its articles are recorded, health ok, errors within CSTOCRAWL_MAX_ERRORS
  1   the crawl failed: crashed or killed (no manifest), closed for another reason than
      "finished", or its articles were not recorded in the state
  2   health check failed: listings showed no articles, or too many detail pages without a
      title, date or body (the site's markup changed)
  3   more ERROR log lines than CSTOCRAWL_MAX_ERRORS (pages that could not be fetched, ...)
  64  usage error
  75  another run holds the lock (<output dir>/cron.lock); nothing was started
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, NoReturn

from scrapy.spiderloader import get_spider_loader
from scrapy.utils.project import get_project_settings

from cstocrawl.manifest import manifest_path
from cstocrawl.pipelines.jsonl import dataset_path

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_HEALTH = 2
EXIT_ERRORS = 3
EXIT_USAGE = os.EX_USAGE  # 64
EXIT_LOCKED = os.EX_TEMPFAIL  # 75

PROG = "cstocrawl.cron"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: {message}\n")


def _name_value(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name, value


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = _Parser(prog=f"python -m {PROG}", description=__doc__.split("\n\n")[0])
    parser.add_argument("spider", help="the spider to run (news)")
    parser.add_argument(
        "-a",
        dest="args",
        type=_name_value,
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="spider argument, as for scrapy crawl",
    )
    parser.add_argument(
        "-s",
        dest="settings",
        type=_name_value,
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="setting, as for scrapy crawl",
    )
    return parser.parse_args(argv)


def verdict(manifest: dict[str, Any] | None, returncode: int, max_errors: int) -> tuple[int, str]:
    """The exit code of a run and why, from its manifest (None: the crawl wrote none)."""
    if manifest is None:
        return EXIT_FAILED, f"the crawl died without a manifest (scrapy exit {returncode})"
    if manifest["finish_reason"] != "finished":
        return EXIT_FAILED, f"the crawl closed with {manifest['finish_reason']!r}"
    if returncode != 0:
        return EXIT_FAILED, f"scrapy exited with {returncode}"
    if manifest["state"]["outcome"] != "promoted":
        return EXIT_FAILED, "the run's articles were not recorded in the state"
    if manifest["health"]["verdict"] != "ok":
        return EXIT_HEALTH, "health check failed: " + "; ".join(manifest["health"]["failures"])
    if manifest["errors"] > max_errors:
        return EXIT_ERRORS, f"{manifest['errors']} errors logged (at most {max_errors} allowed)"
    return EXIT_OK, "ok"


def summary(run_id: str, manifest: dict[str, Any] | None, code: int, reason: str) -> str:
    if manifest is None:
        return f"{PROG} {run_id}: FAILED, {reason} (exit {code})"
    counts = manifest["counts"]
    status = "ok" if code == EXIT_OK else f"FAILED, {reason}"
    return (
        f"{PROG} {run_id}: {status}; {counts['new']} new, {counts['changed']} changed, "
        f"{counts['unchanged']} unchanged, {counts['failed']} failed, "
        f"{counts['attachments_downloaded']} attachments downloaded, "
        f"{manifest['errors']} errors (exit {code})"
    )


def new_run_id(output_dir: Path) -> str:
    """The UTC start time; waits for the next second rather than reuse a run's id."""
    while True:
        run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        dataset = dataset_path(output_dir, run_id)
        taken = (
            dataset,
            dataset.with_name(dataset.name + ".tmp"),
            manifest_path(output_dir, run_id),
            output_dir / "logs" / f"{run_id}.log",
        )
        if not any(path.exists() for path in taken):
            return run_id
        time.sleep(0.2)


def acquire_lock(path: Path) -> IO[str] | None:
    """The lock file, held (flock) for as long as it stays open; None when another run holds it."""
    lock = path.open("a+", encoding="utf-8")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        return None
    lock.truncate(0)
    lock.write(f"{os.getpid()}\n")
    lock.flush()
    return lock


def run_crawl(command: list[str], log: Path, lock: IO[str]) -> int:
    """Run scrapy with its output in the log; SIGTERM/SIGINT are passed on for a clean close."""
    with log.open("ab") as output:
        # The child inherits the lock, so no second run starts while it lives, even without us.
        child = subprocess.Popen(
            command, stdout=output, stderr=subprocess.STDOUT, pass_fds=(lock.fileno(),)
        )
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda received, _frame: child.send_signal(received))
    return child.wait()


def main(argv: list[str] | None = None) -> int:
    options = parse_args(argv)
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "cstocrawl.settings")
    settings = get_project_settings()
    for name, value in options.settings:
        settings.set(name, value, priority="cmdline")
    if options.spider not in get_spider_loader(settings).list():
        print(f"{PROG}: no spider named {options.spider!r}", file=sys.stderr)
        return EXIT_USAGE
    output_dir = Path(settings.get("CSTOCRAWL_OUTPUT_DIR", "output"))
    (output_dir / "logs").mkdir(parents=True, exist_ok=True)
    lock_path = output_dir / "cron.lock"
    lock = acquire_lock(lock_path)
    if lock is None:
        holder = lock_path.read_text(encoding="utf-8").strip() or "?"
        print(f"{PROG}: another run (pid {holder}) holds {lock_path}; not started", file=sys.stderr)
        return EXIT_LOCKED
    with lock:
        run_id = settings.get("CSTOCRAWL_RUN_ID") or new_run_id(output_dir)
        log = output_dir / "logs" / f"{run_id}.log"
        command = [sys.executable, "-m", "scrapy", "crawl", options.spider]
        for name, value in options.args:
            command += ["-a", f"{name}={value}"]
        for name, value in [*options.settings, ("CSTOCRAWL_RUN_ID", run_id), ("LOG_FILE", log)]:
            command += ["-s", f"{name}={value}"]
        returncode = run_crawl(command, log, lock)
    path = manifest_path(output_dir, run_id)
    manifest = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
    code, reason = verdict(manifest, returncode, settings.getint("CSTOCRAWL_MAX_ERRORS"))
    print(summary(run_id, manifest, code, reason), file=sys.stdout if code == 0 else sys.stderr)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
