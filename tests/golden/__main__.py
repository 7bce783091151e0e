"""python -m tests.golden --update | --harvest [--variants ...]

--update: rewrite every case's expected results with what the parsers return today; for a
deliberate parser change only (the diff of tests/golden/*.json shows what it changed).
--harvest: crawl the replica in each markup and language (as `make demo` does, about 12 s each)
and store, from the run's WARC file, its first listing page with entries and its first article
with the evidence that listing gave it: the pages exactly as the crawl received them.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from cstocrawl.parsing.evidence import ListingEvidence
from cstocrawl.parsing.listing import parse_listing
from cstocrawl.site import Site, UrlKind
from tests.crawling import crawl
from tests.golden import article_key, as_plain, load, names, results, save
from tests.replica import SERVED_VARIANTS, ReplicaSite, serve


def update() -> None:
    for name in names():
        record, html = load(name)
        save(name, {**record, **results(record, html)})
        print(f"updated {name}")


def captures(warc_dir: Path) -> list[tuple[str, bytes]]:
    """The HTML responses of a run's WARC files, in the order they were received."""
    pages: list[tuple[str, bytes]] = []
    for path in sorted(warc_dir.glob("*.warc.gz")):
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                kind = record.http_headers.get_header("Content-Type") or ""
                if record.http_headers.get_statuscode() == "200" and "html" in kind:
                    url = record.rec_headers.get_header("WARC-Target-URI")
                    pages.append((url, record.content_stream().read()))
    return pages


def harvest(variant: str, lang: str, work: Path) -> None:
    """Crawl one markup and language and store its first listing and article as cases."""
    site = ReplicaSite(lang=lang, variant=variant)
    output = work / f"{variant}-{lang}"
    with serve(site) as base_url:
        result = crawl(base_url, output, f"lang={lang}", "full=1")
    assert result.returncode == 0, result.stderr[-2000:]
    pages = captures(output / "warc")
    mirror = Site(lang, base_url)
    kinds = {url: mirror.classify(mirror.canonical(url) or url) for url, _ in pages}
    evidence: dict[str, tuple[str, ListingEvidence]] = {}
    listed: tuple[str, bytes] | None = None
    for url, html in pages:
        if kinds[url] is UrlKind.ARTICLE:
            continue
        listing = parse_listing(html, url, article_key(lang, url))
        if listing.entries and listed is None:
            listed = (url, html)
        for entry in listing.entries:
            evidence.setdefault(entry.url, (url, listing.evidence(entry)))
    assert listed is not None, f"{variant} {lang}: no listing page with entries"
    article = next((url, html) for url, html in pages if url in evidence)
    source = f"replica, {variant} markup, {lang}: harvested from a demo crawl's WARC file"
    for kind, (url, html), given in (
        ("listing", listed, None),
        ("detail", article, evidence[article[0]][1]),
    ):
        record: dict[str, Any] = {"parser": kind, "url": url, "lang": lang, "source": source}
        if kind == "detail":
            record["evidence"] = as_plain(given)
        name = f"replica-{variant}-{lang}-{'article' if kind == 'detail' else 'listing'}"
        save(name, {**record, **results(record, html)}, html)
        print(f"harvested {name} from {url}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.golden", description=__doc__)
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--update", action="store_true", help="rewrite the expected results")
    action.add_argument("--harvest", action="store_true", help="store pages of replica crawls")
    parser.add_argument("--variants", nargs="+", default=list(SERVED_VARIANTS))
    args = parser.parse_args()
    if args.update:
        update()
        return
    with tempfile.TemporaryDirectory() as work:
        for variant in args.variants:
            for lang in ("en", "ru"):
                harvest(variant, lang, Path(work))


if __name__ == "__main__":
    main()
