"""`make bench`: every benchmark in turn, figures printed and written into docs/benchmarks.md.

python -m bench [--runs 3]    (about 10 minutes on 2 cores)
Each one runs in its own process, so one's memory and imports do not weigh on the next.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

from bench.common import REPO

RUN_COUNTED = ("crawl_bench", "incremental_bench", "warc_bench")  # the ones taking --runs


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per crawl figure (median)")
    args = parser.parse_args()
    benchmarks = [
        "server_bench", "crawl_bench", "incremental_bench", "parse_bench", "profile_crawl",
        "extract_bench", "extraction", "warc_bench",
    ]  # fmt: skip
    started = time.perf_counter()
    for name in benchmarks:
        command = [sys.executable, "-m", f"bench.{name}", "--write-docs"]
        if name in RUN_COUNTED:
            command += ["--runs", str(args.runs)]
        print(f"\n=== {' '.join(command[1:])}", flush=True)
        if subprocess.run(command, cwd=REPO, check=False).returncode != 0:
            print(f"bench.{name} failed", file=sys.stderr)
            return 1
    print(f"\nAll benchmarks done in {time.perf_counter() - started:.0f} s; see docs/benchmarks.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
