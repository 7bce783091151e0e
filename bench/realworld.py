"""Article extraction on real pages from other sites: ours against trafilatura, by its own metric.

python -m bench.realworld PATH [--worst 30] [--json]
PATH holds trafilatura's evaluation set as in its repository (adbar/trafilatura `tests/`):
`evaldata.json` (url -> {"file", "with": [passages the text must hold], "without": [passages it
must not]}) and the pages under `eval/` (some under `cache/`). The pages stay outside this
repository: their licences are their sites'.

Each page is decoded as Scrapy decodes a response without headers (w3lib: BOM, <meta>, then
detection) and goes through `parse_detail(html, url)` with no listing evidence, as under `scrapy
parse`, and through `trafilatura.extract(html)`. Scored as trafilatura's own evaluation does
(tests/comparison_small.py there): a "with" passage in the text is a true positive, else a false
negative; a "without" passage in it a false positive, else a true negative; precision, recall,
F1 and accuracy over all pages.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import trafilatura
from w3lib.encoding import html_to_unicode

from bench.common import machine
from cstocrawl.parsing.detail import parse_detail
from cstocrawl.parsing.evidence import ListingEvidence
from cstocrawl.parsing.layout import Layout
from cstocrawl.parsing.lines import parse_html

OURS, TRAFILATURA = "ours", "trafilatura"


@dataclass
class Counts:
    """Trafilatura's four counts, summed over pages."""

    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0

    def add(self, other: Counts) -> None:
        self.tp, self.fn = self.tp + other.tp, self.fn + other.fn
        self.fp, self.tn = self.fp + other.fp, self.tn + other.tn

    def scores(self) -> dict[str, float]:
        """Precision, recall, accuracy and F1 as trafilatura computes them."""
        return {
            "precision": self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0,
            "recall": self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0,
            "accuracy": (self.tp + self.tn) / max(1, self.tp + self.tn + self.fp + self.fn),
            "f1": 2 * self.tp / max(1, 2 * self.tp + self.fp + self.fn),
        }


def score_page(text: str, expected: dict[str, list[str]]) -> Counts:
    """One page's counts: trafilatura's evaluate_result (plain substring tests)."""
    with_ = [p for p in expected.get("with", []) if p is not None]
    without = [p for p in expected.get("without", []) if p is not None]
    found = sum(passage in text for passage in with_)
    leaked = sum(passage in text for passage in without)
    return Counts(found, len(with_) - found, leaked, len(without) - leaked)


@dataclass
class PageResult:
    url: str
    file: str
    counts: dict[str, Counts] = field(default_factory=dict)
    chars: dict[str, int] = field(default_factory=dict)
    cause: str = ""


def load_page(root: Path, name: str) -> str | None:
    """The page as Scrapy's `response.text` would read it, from `cache/` or `eval/`."""
    for folder in ("cache", "eval"):
        path = root / folder / name
        if path.is_file():
            return html_to_unicode(None, path.read_bytes())[1]
    return None


# Pages on which ours asked the second opinion: what widening its doubt costs in calls.
ASKED = [0]


def ours(html: str, url: str) -> str:
    page = parse_detail(html, url)
    ASKED[0] += page.second_opinion
    return "\n".join(page.paragraphs)


def theirs(html: str, url: str) -> str:
    return trafilatura.extract(html) or ""


def cause_of(html: str, url: str, text: str, expected: dict[str, list[str]]) -> str:
    """One word on why our text misses: empty, elsewhere (a wrong block), cut (the rest after our
    end), start (the start before ours), unseen (never a rendered line), leak, partial."""
    missing = [p for p in expected.get("with", []) if p and p not in text]
    if not text:
        return "empty"
    if not missing:
        return "leak"
    lines = Layout(parse_html(html), url, ListingEvidence()).lines
    ours_at = [i for i, line in enumerate(lines) if line.text and line.text in text]
    if not ours_at:
        return "elsewhere"
    places = []
    for passage in missing:
        where = next((i for i, line in enumerate(lines) if passage in line.text), None)
        places.append(where)
    if any(where is None for where in places):
        return "unseen"
    if len(missing) == len([p for p in expected.get("with", []) if p]):
        return "elsewhere"
    if all(where is not None and where > max(ours_at) for where in places):
        return "cut"
    if all(where is not None and where < min(ours_at) for where in places):
        return "start"
    return "partial"


def run(
    root: Path, limit: int | None = None, only: str | None = None
) -> tuple[list[PageResult], dict[str, float]]:
    """Every page through both extractors (or `only` one); CPU seconds of each beside."""
    data: dict[str, dict[str, list[str]]] = json.loads((root / "evaldata.json").read_text())
    extractors: dict[str, Callable[[str, str], str]] = {OURS: ours, TRAFILATURA: theirs}
    if only:
        extractors = {only: extractors[only]}
    cpu = dict.fromkeys(extractors, 0.0)
    results: list[PageResult] = []
    for url, expected in list(data.items())[:limit]:
        name = str(expected["file"])
        html = load_page(root, name)
        if html is None:
            continue
        result = PageResult(url, name)
        for label, extract in extractors.items():
            started = time.process_time()
            text = extract(html, url)
            cpu[label] += time.process_time() - started
            result.counts[label] = score_page(text, expected)
            result.chars[label] = len(text)
            if label == OURS and result.counts[label].fn + result.counts[label].fp:
                result.cause = cause_of(html, url, text, expected)
        results.append(result)
    return results, cpu


def table(results: list[PageResult], cpu: dict[str, float]) -> str:
    rows = [
        "| extractor | pages | precision | recall | F1 | accuracy | pages empty "
        "| pages with no passage found | CPU ms a page |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label in cpu:
        total = Counts()
        for result in results:
            total.add(result.counts[label])
        s = total.scores()
        empty = sum(not r.chars[label] for r in results)
        zero = sum(not r.counts[label].tp for r in results)
        ms = 1000 * cpu[label] / max(1, len(results))
        rows.append(
            f"| {label} | {len(results)} | {s['precision']:.3f} | {s['recall']:.3f} "
            f"| {s['f1']:.3f} | {s['accuracy']:.3f} | {empty} | {zero} | {ms:.1f} |"
        )
    return "\n".join(rows)


def worst(results: list[PageResult], count: int) -> str:
    def badness(result: PageResult) -> tuple[int, int]:
        mine = result.counts[OURS]
        return (mine.fn + mine.fp, -mine.tp)

    causes: dict[str, int] = {}
    for result in results:
        if result.cause:
            causes[result.cause] = causes.get(result.cause, 0) + 1
    ranked = sorted(causes.items(), key=lambda kv: -kv[1])
    rows = ["causes: " + ", ".join(f"{cause} {n}" for cause, n in ranked)]
    rows += ["| file | ours tp/fn/fp | trafilatura tp/fn/fp | cause |", "|---|---|---|---|"]
    for result in sorted(results, key=badness, reverse=True)[:count]:
        mine, other = result.counts[OURS], result.counts.get(TRAFILATURA, Counts())
        rows.append(
            f"| {result.file} | {mine.tp}/{mine.fn}/{mine.fp} | {other.tp}/{other.fn}/{other.fp} "
            f"| {result.cause} |"
        )
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="folder holding evaldata.json and eval/")
    parser.add_argument("--worst", type=int, default=30, help="how many of the worst pages to list")
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages")
    parser.add_argument("--only", choices=(OURS, TRAFILATURA), help="one extractor alone")
    parser.add_argument("--json", type=Path, default=None, help="write per-page results here")
    args = parser.parse_args()
    if not (args.path / "evaldata.json").is_file():
        print(f"no evaldata.json in {args.path}", file=sys.stderr)
        return 64
    warnings.simplefilter("ignore")
    results, cpu = run(args.path, args.limit, args.only)
    load = os.getloadavg()[0]
    print(f"Command: `python -m bench.realworld {args.path}`; load average {load:.2f}")
    print(f"Machine: {machine()}; trafilatura {trafilatura.__version__}\n")
    print(table(results, cpu))
    print(f"second opinion asked on {ASKED[0]} pages")
    print()
    print(worst(results, args.worst))
    if args.json:
        args.json.write_text(
            json.dumps(
                [
                    {**asdict(r), "counts": {k: asdict(v) for k, v in r.counts.items()}}
                    for r in results
                ],
                indent=1,
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
