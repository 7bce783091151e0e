"""`make demo`: crawl the bundled replica with the real spider, offline, and show the dataset.

python -m tests.replica.demo [--output output/demo] [--lang en] [--variant bitrix]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tests.crawling import crawl, read_dataset

from . import VARIANTS, ReplicaSite, serve


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.replica.demo", description=__doc__)
    parser.add_argument("--output", type=Path, default=Path("output/demo"))
    parser.add_argument("--lang", choices=("en", "ru"), default="en")
    parser.add_argument("--variant", choices=VARIANTS, default="bitrix")
    args = parser.parse_args()

    site = ReplicaSite(lang=args.lang, variant=args.variant)
    output = args.output.resolve()
    with serve(site) as base_url:
        print(f"Replica ({args.lang}, {args.variant} markup) serving at {base_url}")
        result = crawl(base_url, output, f"lang={args.lang}", run_id="demo")
    sys.stderr.write(result.stderr[-2000:] if result.returncode else "")
    dataset = output / "news" / "demo.jsonl"
    if result.returncode != 0 or not dataset.exists():
        print(f"The demo crawl failed (exit {result.returncode}); log above.", file=sys.stderr)
        return 1
    records = read_dataset(output, "demo")
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
