"""Golden pages: real-looking pages stored with what the parsers return on them.

Each case is `tests/golden/<name>.html.gz` (the page as served) and `<name>.json`: the parser
(`detail` or `listing`), the URL, the language, the listing's evidence the page was read with,
and the expected result (for an article, also read without evidence, as `scrapy parse` reads
it). tests/golden/test_golden.py checks every case; after a deliberate parser change,
`python -m tests.golden --update` rewrites the expected results (review the diff before a commit).
"""

from __future__ import annotations

import dataclasses
import gzip
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cstocrawl.parsing.detail import parse_detail
from cstocrawl.parsing.evidence import ListingEvidence
from cstocrawl.parsing.listing import parse_listing
from cstocrawl.site import Site, UrlKind

HERE = Path(__file__).parent


def names() -> list[str]:
    """Every stored case, by name."""
    return sorted(path.name.removesuffix(".json") for path in HERE.glob("*.json"))


def load(name: str) -> tuple[dict[str, Any], bytes]:
    """A case's record and its page."""
    record = json.loads((HERE / f"{name}.json").read_text(encoding="utf-8"))
    return record, gzip.decompress((HERE / f"{name}.html.gz").read_bytes())


def as_plain(result: object) -> Any:
    """A parse result as JSON values: dataclasses as objects, frozensets as sorted lists."""
    return json.loads(json.dumps(dataclasses.asdict(result), default=sorted))  # type: ignore[call-overload]


def evidence_of(fields: dict[str, Any] | None) -> ListingEvidence | None:
    """The listing's evidence a case was read with, from its stored fields."""
    if fields is None:
        return None
    return ListingEvidence(**{**fields, "frame": frozenset(fields.get("frame", ()))})


def results(record: dict[str, Any], html: bytes) -> dict[str, Any]:
    """What the parsers return on the page today, in the form the case stores it."""
    url = record["url"]
    if record["parser"] == "listing":
        return {"expected": as_plain(parse_listing(html, url, article_key(record["lang"], url)))}
    evidence = evidence_of(record["evidence"])
    return {
        "expected": as_plain(parse_detail(html, url, evidence)),
        "expected_without_evidence": as_plain(parse_detail(html, url)),
    }


def article_key(lang: str, url: str) -> Callable[[str], str | None]:
    """The crawl's article key on the site the page was captured from (its host and port)."""
    parts = urlsplit(url)
    site = Site(lang, f"{parts.scheme}://{parts.netloc}")

    def key(link: str) -> str | None:
        canonical = site.canonical(link)
        return canonical if canonical and site.classify(canonical) is UrlKind.ARTICLE else None

    return key


def save(name: str, record: dict[str, Any], html: bytes | None = None) -> None:
    """Write a case: its page (when given, gzipped without a timestamp) and its record."""
    if html is not None:
        (HERE / f"{name}.html.gz").write_bytes(gzip.compress(html, mtime=0))
    text = json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    (HERE / f"{name}.json").write_text(text, encoding="utf-8")
