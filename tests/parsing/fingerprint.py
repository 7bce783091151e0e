"""The parsers' output on every replica page as one SHA-256: a refactoring must leave it unchanged.

python -m tests.parsing.fingerprint [--seeds 0 1 2 3] [--dump DIR]
tests/parsing/fingerprint.txt is its output for seed 0, checked by test_fingerprint.py.
Every markup of ALL_VARIANTS, both languages: each listing page (parse_listing) and each article
page, with the evidence of the first listing page that shows it (as the crawl parses it) and
without any (as `scrapy parse` does). --dump writes what was hashed, one file per case, to diff.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from cstocrawl.parsing.detail import parse_detail
from cstocrawl.parsing.evidence import ListingEvidence
from cstocrawl.parsing.listing import parse_listing
from cstocrawl.site import Site
from tests.parsing.test_replica_pages import MIRROR, article_key_for, html_of
from tests.replica import ALL_VARIANTS, ReplicaSite


def as_json(result: object) -> str:
    """A parse result as text that does not depend on the process (frozensets sorted)."""

    def sortable(value: object) -> object:
        if isinstance(value, frozenset):
            return sorted(value)
        raise TypeError(type(value))

    fields = dataclasses.asdict(result)  # type: ignore[call-overload]
    return json.dumps(fields, default=sortable, ensure_ascii=False, sort_keys=True)


def results(variant: str, lang: str, seed: int) -> Iterator[str]:
    """One line per parse of one replica, in a fixed order."""
    site = ReplicaSite(lang=lang, variant=variant, seed=seed)
    mirror = Site(lang, MIRROR)
    article_key = article_key_for(mirror)
    evidence: dict[str, ListingEvidence] = {}
    for target in site.listing_pages():
        listing = parse_listing(html_of(site, target), MIRROR + target, article_key)
        yield f"listing {target} {as_json(listing)}"
        for entry in listing.entries:
            evidence.setdefault(entry.key, listing.evidence(entry))
            yield f"evidence {entry.key} {as_json(listing.evidence(entry))}"
    for article in site.articles:
        path = urlsplit(article.url).path
        html, url = html_of(site, path), MIRROR + path
        yield f"detail {path} {as_json(parse_detail(html, url, evidence[article.url]))}"
        yield f"bare {path} {as_json(parse_detail(html, url))}"


def case_text(variant: str, lang: str, seed: int) -> bytes:
    """What is hashed for one markup and language: every parse, a line each."""
    return "".join(line + "\n" for line in results(variant, lang, seed)).encode()


def case_line(variant: str, lang: str, seed: int, digest: str) -> str:
    """One line of the printed fingerprint (tests/parsing/fingerprint.txt stores seed 0's)."""
    return f"seed {seed} {variant:8} {lang} {digest}"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.parsing.fingerprint")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--dump", type=Path, help="write what was hashed here, a file per case")
    args = parser.parse_args()
    everything = hashlib.sha256()
    for seed in args.seeds:
        for variant in ALL_VARIANTS:
            for lang in ("en", "ru"):
                text = case_text(variant, lang, seed)
                digest = hashlib.sha256(text).hexdigest()
                everything.update(digest.encode())
                print(case_line(variant, lang, seed, digest), flush=True)
                if args.dump:
                    args.dump.mkdir(parents=True, exist_ok=True)
                    (args.dump / f"{seed}-{variant}-{lang}.jsonl").write_bytes(text)
    print(f"all {everything.hexdigest()}")


if __name__ == "__main__":
    main()
