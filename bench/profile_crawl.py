"""Where a full crawl spends its time: cProfile of the real `scrapy crawl news` process.

python -m bench.profile_crawl [--articles-per-section 1250] [--output crawl.prof]
Prints self time grouped by owner (ours, Scrapy, Twisted, asyncio, lxml, ...), then our functions
by cumulative time and every function by self time. cProfile slows the crawl about twofold, so
shares matter here, not absolute seconds.
"""

from __future__ import annotations

import argparse
import pstats
import tempfile
from collections import Counter
from pathlib import Path

from bench.common import LARGE, large_site, machine, publish, run_scrapy
from bench.crawl_bench import full_crawl_command
from bench.server import serve_fast

# (owner, what a profile entry's file name or C function description contains), first match wins.
OWNERS = [
    ("ours", "/cstocrawl/"),
    ("Scrapy", "/scrapy/"),
    ("Twisted", "/twisted/"),
    ("lxml", "lxml"),
    ("asyncio", "asyncio"),
    ("python-docx/pypdf (attachments)", "/docx/"),
    ("python-docx/pypdf (attachments)", "/pypdf/"),
    ("sqlite3", "sqlite3"),
    ("jsonschema", "jsonschema"),
    ("w3lib/urllib (URLs)", "w3lib"),
    ("w3lib/urllib (URLs)", "urllib"),
    ("re (regular expressions)", "re.Pattern"),
    ("re (regular expressions)", "/re/"),
]


def owner(function: tuple[str, int, str]) -> str:
    file, _line, name = function
    where = file if file != "~" else name
    return next((who for who, mark in OWNERS if mark in where), "other (stdlib, builtins)")


def label(function: tuple[str, int, str]) -> str:
    file, line, name = function
    if file == "~":
        return name
    for prefix in ("/cstocrawl/", "/site-packages/", "/lib/python3"):
        if prefix in file:
            file = file.split(prefix, 1)[1]
            break
    return f"{file}:{line}({name})"


def report(profile: Path, top: int) -> str:
    """Markdown: self time by owner, our top functions by cumulative time, top by self time."""
    stats = pstats.Stats(str(profile))
    entries = stats.stats  # type: ignore[attr-defined]  # {function: (cc, nc, tt, ct, callers)}
    total = sum(tt for _cc, _nc, tt, _ct, _callers in entries.values())
    by_owner: Counter[str] = Counter()
    for function, (_cc, _nc, tt, _ct, _callers) in entries.items():
        by_owner[owner(function)] += tt
    lines = ["| owner | self time | share |", "|---|---:|---:|"]
    lines += [f"| {who} | {t:.1f} s | {t / total:.0%} |" for who, t in by_owner.most_common()]
    ours = sorted(
        ((ct, nc, function) for function, (_cc, nc, _tt, ct, _c) in entries.items()
         if owner(function) == "ours"),
        reverse=True,
    )[:top]  # fmt: skip
    lines += ["", "Ours, by cumulative time:", "", "| function | calls | cumulative |"]
    lines += ["|---|---:|---:|"]
    lines += [f"| `{label(f)}` | {nc} | {ct:.2f} s |" for ct, nc, f in ours]
    heavy = sorted(
        ((tt, nc, function) for function, (_cc, nc, tt, _ct, _c) in entries.items()),
        reverse=True,
    )[:top]
    lines += ["", "Everything, by self time:", "", "| function | owner | calls | self |"]
    lines += ["|---|---|---:|---:|"]
    lines += [f"| `{label(f)}` | {owner(f)} | {nc} | {tt:.2f} s |" for tt, nc, f in heavy]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles-per-section", type=int, default=LARGE)
    parser.add_argument("--output", type=Path, help="keep the .prof file here")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--write-docs", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    site = large_site(args.articles_per_section)
    with tempfile.TemporaryDirectory() as directory, serve_fast(site) as base_url:
        workdir = Path(directory)
        profile = args.output or workdir / "crawl.prof"
        run = run_scrapy(
            full_crawl_command(base_url, workdir / "output"),
            workdir / "profiled",
            python_args=("-m", "cProfile", "-o", str(profile)),
        )
        table = report(profile, args.top)
    summary = (
        f"Command: `python -m bench.profile_crawl --articles-per-section "
        f"{args.articles_per_section}` (one profiled run: {run.stat('item_scraped_count')} "
        f"articles in {run.elapsed:.1f} s under cProfile).\n\nMachine: {machine()}.\n\n{table}"
    )
    publish("profile", summary, write_docs=args.write_docs)


if __name__ == "__main__":
    main()
