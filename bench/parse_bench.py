"""Our page parsers alone, without Scrapy: parse_detail and parse_listing, pages per CPU second.

python -m bench.parse_bench [--runs 5] [--write-docs]
Every article and listing page of a 200-article replica in each of its three markups, in-process.
parse_detail twice: without evidence (`scrapy parse`: every body weighed against trafilatura's)
and with the evidence of the listing entry that linked the page, as the crawl reads it.
Timed in CPU seconds of this process (`time.process_time`): on a shared machine wall time also
counts the other processes' turns.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from bench.common import PAGE_SIZE, machine, median, publish
from cstocrawl.parsing.detail import parse_detail
from cstocrawl.parsing.evidence import ListingEvidence, normalise, words_of
from cstocrawl.parsing.listing import parse_listing
from cstocrawl.site import Site, UrlKind
from tests.replica import VARIANTS, ReplicaSite

BASE_URL = "http://127.0.0.1:8800"  # the pages' URL; nothing is served
Pages = list[tuple[str, str]]  # (url, html)
ArticleKey = Callable[[str], str | None]


def pages_of(variant: str) -> tuple[Pages, Pages]:
    """(articles, listing pages) of a 200-article replica in `variant` markup."""
    site = ReplicaSite("en", variant, articles_per_section=50, page_size=PAGE_SIZE, seed=0)
    targets = [urlsplit(article.url).path for article in site.articles]
    articles = [(BASE_URL + t, site.respond(t).body.decode()) for t in targets]
    listings = [(BASE_URL + t, site.respond(t).body.decode()) for t in site.listing_pages()]
    return articles, listings


def listed(articles: Pages, listings: Pages, article_key: ArticleKey) -> dict[str, ListingEvidence]:
    """Each article's evidence from the first listing entry linking it, as the crawl passes it."""
    evidence: dict[str, ListingEvidence] = {}
    for url, html in listings:
        page = parse_listing(html, url, article_key)
        for entry in page.entries:
            evidence.setdefault(entry.key, page.evidence(entry))
    return {url: evidence[key] for url, _ in articles if (key := article_key(url)) in evidence}


def read_with(evidence: dict[str, ListingEvidence]) -> Callable[[str, str], object]:
    """parse_detail given each page's listing evidence (none for a page no listing linked)."""
    return lambda html, url: parse_detail(html, url, evidence.get(url))


def pages_per_second(parse: Callable[[str, str], object], pages: Pages, runs: int) -> float:
    """Each pass reads the pages as a fresh crawl would, once: the text caches emptied (a pass
    that found every line normalised by the previous one hid clean_line's cost)."""
    timings = []
    for _ in range(runs):
        normalise.cache_clear()
        words_of.cache_clear()
        start = time.process_time()
        for url, html in pages:
            parse(html, url)
        timings.append(time.process_time() - start)
    return len(pages) / median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--write-docs", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    site = Site("en", BASE_URL)

    def article_key(url: str) -> str | None:
        canonical = site.canonical(url)
        return canonical if canonical and site.classify(canonical) is UrlKind.ARTICLE else None

    rows = [
        "| markup | parse_detail pages/s, no evidence | with its listing's | parse_listing |",
        "|---|---:|---:|---:|",
    ]
    for variant in VARIANTS:
        articles, listings = pages_of(variant)
        detail = pages_per_second(parse_detail, articles, args.runs)
        evidence = listed(articles, listings, article_key)
        crawled = pages_per_second(read_with(evidence), articles, args.runs)
        listing = pages_per_second(
            lambda html, url: parse_listing(html, url, article_key), listings, args.runs
        )
        rows.append(f"| {variant} | {detail:.0f} | {crawled:.0f} | {listing:.0f} |")
    summary = (
        f"Command: `python -m bench.parse_bench --runs {args.runs}` (median of {args.runs} passes "
        f"over 200 articles and their listing pages, {PAGE_SIZE} a page, per markup, each pass "
        f"with the text caches emptied; pages per CPU second of the process). parse_detail "
        f"without evidence weighs every body against trafilatura's; with the listing's evidence "
        f"it reads a page as the crawl does. Load average (1 min) at the end: "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.\n\n"
        f"Machine: {machine()}.\n\n" + "\n".join(rows)
    )
    publish("parsing", summary, write_docs=args.write_docs)


if __name__ == "__main__":
    main()
