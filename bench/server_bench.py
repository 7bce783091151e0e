"""Is the replica server fast enough not to be what a crawl benchmark measures?

python -m bench.server_bench [--write-docs]
Plain HTTP load (bench/load.py, another process, keep-alive connections) on the large replica's
pages, served by the tests' ThreadingHTTPServer and by the benchmark's asyncio server.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from bench.common import LARGE, REPO, large_site, machine, publish, site_targets
from bench.server import serve_fast
from tests.replica import ReplicaSite, serve

REQUESTS = 20000  # per measurement, at most
SECONDS = 10.0  # per measurement, at most
SERVERS: dict[str, Callable[[ReplicaSite], AbstractContextManager[str]]] = {
    "tests/replica/server.py (ThreadingHTTPServer)": serve,
    "bench/server.py (asyncio, one write per answer)": serve_fast,
}


def measure(base_url: str, targets: Path, concurrency: int) -> dict[str, float]:
    command = [
        sys.executable, "-m", "bench.load", base_url, "--targets", str(targets),
        "--concurrency", str(concurrency), "--requests", str(REQUESTS), "--seconds", str(SECONDS),
    ]  # fmt: skip
    result = subprocess.run(
        command, cwd=REPO, capture_output=True, text=True, check=True, timeout=SECONDS + 60
    )
    measured: dict[str, float] = json.loads(result.stdout)
    return measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write-docs", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    site = large_site()
    targets = site_targets(site)
    random.Random(0).shuffle(targets)  # listings, articles and attachments mixed, as in a crawl
    rows = ["| server | connections | requests | requests/s |", "|---|---:|---:|---:|"]
    with tempfile.TemporaryDirectory() as directory:
        target_file = Path(directory) / "targets.txt"
        target_file.write_text("\n".join(targets), encoding="utf-8")
        for name, serve_site in SERVERS.items():
            with serve_site(site) as base_url:
                for concurrency in (1, 16):
                    result = measure(base_url, target_file, concurrency)
                    if result["errors"]:
                        raise RuntimeError(f"{name}: {result['errors']} error answers")
                    rows.append(
                        f"| {name} | {concurrency} | {result['requests']} "
                        f"| {result['requests/s']:.0f} |"
                    )
                    print(rows[-1], flush=True)
    summary = (
        f"Command: `python -m bench.server_bench` (each line: up to {REQUESTS} GETs or "
        f"{SECONDS:.0f} s, whichever comes first, from bench/load.py in its own process over "
        f"keep-alive connections; the {4 * LARGE}-article replica's listing pages, articles and "
        f"attachments in a shuffled order).\n\nMachine: {machine()}.\n\n" + "\n".join(rows)
    )
    publish("server", summary, write_docs=args.write_docs)


if __name__ == "__main__":
    main()
