"""Run the real `scrapy crawl news` in a subprocess against a local replica, and read its output."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
# Politeness off for a server on loopback; everything else as in production.
FAST = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
}


def options(
    base_url: str, output_dir: Path, args: tuple[str, ...], settings: dict[str, str]
) -> list[str]:
    """`-a`/`-s` options of a crawl of `base_url` into `output_dir`, fast settings first."""
    command = ["-a", f"base_url={base_url}"]
    for arg in args:
        command += ["-a", arg]
    for name, value in {**FAST, "CSTOCRAWL_OUTPUT_DIR": str(output_dir), **settings}.items():
        command += ["-s", f"{name}={value}"]
    return command


def crawl(
    base_url: str,
    output_dir: Path,
    *args: str,
    run_id: str = "run1",
    settings: dict[str, str] | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "scrapy", "crawl", "news"]
    command += options(base_url, output_dir, args, {"CSTOCRAWL_RUN_ID": run_id, **(settings or {})})
    return subprocess.run(
        command, cwd=REPO, capture_output=True, text=True, timeout=timeout, check=False
    )


def cron_command(
    base_url: str, output_dir: Path, *args: str, settings: dict[str, str] | None = None
) -> list[str]:
    """The cron runner (python -m cstocrawl.cron news) on the replica; it makes the run id."""
    command = [sys.executable, "-m", "cstocrawl.cron", "news"]
    return command + options(base_url, output_dir, args, settings or {})


def run_cron(
    base_url: str,
    output_dir: Path,
    *args: str,
    settings: dict[str, str] | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cron_command(base_url, output_dir, *args, settings=settings),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def read_manifest(output_dir: Path, run_id: str) -> dict[str, Any]:
    return json.loads((output_dir / "news" / f"{run_id}.manifest.json").read_text("utf-8"))


def read_latest(output_dir: Path) -> list[dict[str, Any]]:
    """news/latest.jsonl: the current version of every article ever seen."""
    return read_dataset(output_dir, "latest")


def read_dataset(output_dir: Path, run_id: str = "run1") -> list[dict[str, Any]]:
    path = output_dir / "news" / f"{run_id}.jsonl"
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def by_url(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Index by URL, failing on any duplicate: every article must appear exactly once."""
    indexed: dict[str, dict[str, Any]] = {}
    for record in records:
        assert record["url"] not in indexed, f"duplicate article {record['url']}"
        indexed[record["url"]] = record
    return indexed


_STAT_RE = re.compile(r"^[{ ]'(?P<key>[^']+)': (?P<value>.+?)[,}]?$")


def log_stats(log: str) -> dict[str, Any]:
    """The stats Scrapy dumps at the end of a crawl log (values that are not literals are kept as
    text, e.g. datetimes; values wrapped over several lines are left out)."""
    _, found, dump = log.rpartition("Dumping Scrapy stats:\n")
    assert found, "the crawl did not finish: no stats in its log"
    stats: dict[str, Any] = {}
    for line in dump.splitlines():
        if match := _STAT_RE.match(line):
            try:
                stats[match["key"]] = ast.literal_eval(match["value"])
            except (ValueError, SyntaxError):
                stats[match["key"]] = match["value"]
        if line.endswith("}"):
            break
    return stats
