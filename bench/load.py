"""A bounded HTTP load: threads on keep-alive connections cycling through request targets.

python -m bench.load http://127.0.0.1:8800 --targets FILE --concurrency 16 --requests 20000
Prints one JSON object: requests, errors, seconds, requests/s. Stops at the count or the time limit.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit


def load(
    base_url: str, targets: list[str], concurrency: int, requests: int, seconds: float
) -> dict[str, float]:
    """GET `requests` targets (round robin) over `concurrency` connections, within `seconds`."""
    host = urlsplit(base_url)
    hostname = host.hostname or "127.0.0.1"
    queue = itertools.islice(itertools.cycle(targets), requests)
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    counts = {"requests": 0, "errors": 0}

    def worker() -> None:
        connection = http.client.HTTPConnection(hostname, host.port, timeout=30)
        done = errors = 0
        while time.perf_counter() < deadline:
            with lock:
                target = next(queue, None)
            if target is None:
                break
            connection.request("GET", target)
            response = connection.getresponse()
            response.read()
            done += 1
            errors += response.status >= 400
        connection.close()
        with lock:
            counts["requests"] += done
            counts["errors"] += errors

    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        for future in [pool.submit(worker) for _ in range(concurrency)]:
            future.result()
    elapsed = time.perf_counter() - start
    return {**counts, "seconds": elapsed, "requests/s": counts["requests"] / elapsed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url")
    parser.add_argument("--targets", type=Path, required=True, help="one request target a line")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    targets = args.targets.read_text(encoding="utf-8").split()
    print(json.dumps(load(args.base_url, targets, args.concurrency, args.requests, args.seconds)))


if __name__ == "__main__":
    main()
