"""Run the real `scrapy crawl news` in a subprocess against a local replica, and read its output."""

from __future__ import annotations

import json
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


def crawl(
    base_url: str,
    output_dir: Path,
    *args: str,
    run_id: str = "run1",
    settings: dict[str, str] | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"base_url={base_url}"]
    for arg in args:
        command += ["-a", arg]
    merged = {**FAST, "CSTOCRAWL_OUTPUT_DIR": str(output_dir), "CSTOCRAWL_RUN_ID": run_id}
    merged.update(settings or {})
    for name, value in merged.items():
        command += ["-s", f"{name}={value}"]
    return subprocess.run(
        command, cwd=REPO, capture_output=True, text=True, timeout=timeout, check=False
    )


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
