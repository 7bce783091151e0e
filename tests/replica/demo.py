"""`make demo`: crawl the bundled replica with the real spider, offline, and show the dataset.

python -m tests.replica.demo [--output output/demo] [--lang en] [--variant bitrix]
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from tests.crawling import crawl, read_dataset

from . import SERVED_VARIANTS, ReplicaSite, serve


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.replica.demo", description=__doc__)
    parser.add_argument("--output", type=Path, default=Path("output/demo"))
    parser.add_argument("--lang", choices=("en", "ru"), default="en")
    parser.add_argument("--variant", choices=SERVED_VARIANTS, default="bitrix")
    args = parser.parse_args()

    site = ReplicaSite(lang=args.lang, variant=args.variant)
    output = args.output.resolve()
    with serve(site) as base_url:
        print(f"Replica ({args.lang}, {args.variant} markup) serving at {base_url}")
        # full=1 and a fresh run id: every article again, also when the demo ran here before.
        run_id = datetime.now(UTC).strftime("demo-%Y%m%dT%H%M%SZ")
        result = crawl(base_url, output, f"lang={args.lang}", "full=1", run_id=run_id)
    sys.stderr.write(result.stderr[-2000:] if result.returncode else "")
    dataset = output / "news" / f"{run_id}.jsonl"
    if result.returncode != 0 or not dataset.exists():
        print(f"The demo crawl failed (exit {result.returncode}); log above.", file=sys.stderr)
        return 1
    records = read_dataset(output, run_id)
    expected = {article["url"] for article in site.expected_articles()}
    produced = {record["url"] for record in records}
    attachments = [a for record in records for a in record["attachments"]]
    print(f"Dataset: {dataset}")
    print(f"  {len(records)} articles ({len(expected)} on the replica, {len(expected - produced)} missed)")
    print(f"  {len(attachments)} attachments stored under {output / 'files'}")
    print("First line:")
    print(json.dumps(records[0], ensure_ascii=False, indent=2)[:1500])
    return 0 if produced == expected else 1


if __name__ == "__main__":
    raise SystemExit(main())
