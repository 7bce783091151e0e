"""The real `scrapy crawl news` against the replica: the dataset must equal the ground truth."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.crawling import (
    by_url,
    comparable,
    crawl,
    crawl_in_process,
    read_dataset,
    read_latest,
    run_stats,
)
from tests.replica import (
    HELD_OUT_VARIANTS,
    THIRD_ROUND_VARIANTS,
    UNSEEN_VARIANTS,
    VARIANTS,
    Alias,
    ReplicaSite,
    serve,
)
from tests.replica.content import canonical_url

# One markup of each family (the site's own, and each blind round), both languages: the real
# crawl end to end. Every markup runs through the spider in process
# (tests/spiders/test_news_in_process.py), and its pages through the parsers
# (tests/parsing/test_replica_pages.py), at a fraction of a crawl's cost.
FAMILIES = (VARIANTS, UNSEEN_VARIANTS, HELD_OUT_VARIANTS, THIRD_ROUND_VARIANTS)
CRAWLED = [(family[0], lang) for family in FAMILIES for lang in ("en", "ru")]


def as_met(
    site: ReplicaSite, produced: dict[str, Any], *, latest: bool
) -> dict[str, dict[str, Any]]:
    """The ground truth as the crawl met it: an article whose spellings prove one article only by
    their content is recorded under the spelling that answered first (either may); its record
    in the run's own file lists only the aliases its page declared, `latest.jsonl` all of them."""
    merged = {
        canonical_url(site.lang, alias.path): canonical_url(site.lang, alias.article)
        for alias in site.aliases.values()
        if not alias.declares
    }
    expected = {}
    for record in site.expected_articles():
        spellings = [
            record["url"],
            *(a for a in record["aliases"] if merged.get(a) == record["url"]),
        ]
        met = next((url for url in spellings if url in produced), record["url"])
        every = {record["url"], *record["aliases"]} - {met}
        aliases = every if latest else every - set(spellings)
        expected[met] = {**record, "url": met, "aliases": sorted(aliases)}
    return expected


def assert_exact(produced: dict[str, Any], expected: dict[str, dict[str, Any]]) -> None:
    assert sorted(produced) == sorted(expected)
    for url, article in expected.items():
        assert comparable(produced[url]) == article, url


@pytest.mark.parametrize(("variant", "lang"), CRAWLED)
def test_crawl_equals_ground_truth(variant: str, lang: str, tmp_path: Path) -> None:
    site = ReplicaSite(lang=lang, variant=variant)
    cased, by_id = site.add_alias_cases()  # one article, two URLs: both are met, one record
    with serve(site) as base_url:
        result = crawl(base_url, tmp_path, f"lang={lang}")
    assert result.returncode == 0, result.stderr[-3000:]
    produced = by_url(read_dataset(tmp_path))
    assert_exact(produced, as_met(site, produced, latest=False))
    assert_exact(by_url(read_latest(tmp_path)), as_met(site, produced, latest=True))
    assert all(record["crawled_at"].endswith("Z") for record in produced.values())
    assert not (tmp_path / "news" / "run1.jsonl.tmp").exists()
    # Both spellings were fetched; the second to answer was merged, not failed.
    assert site.hits[cased.path] == site.hits[cased.article] == 1
    # The page under the id declares the article's own path: fetched to check the claim.
    assert site.hits[by_id.path] == 1 and site.hits[by_id.article] == 1
    stats = run_stats(tmp_path)
    assert stats["cstocrawl/state/merged"] == 1
    assert "cstocrawl/failed/article" not in stats
    assert "INFO: Merged https://" in result.stderr


def spellings(site: ReplicaSite, alias: Alias) -> set[str]:
    return {canonical_url(site.lang, alias.path), canonical_url(site.lang, alias.article)}


def test_later_runs_neither_fetch_an_alias_as_new_nor_duplicate_it(tmp_path: Path) -> None:
    site = ReplicaSite(lang="en", variant="bitrix")
    cased, by_id = site.add_alias_cases()
    today = {"CSTOCRAWL_TODAY": "2030-01-01"}  # every article outside the re-check window
    with serve(site) as base_url:
        first = crawl_in_process(base_url, tmp_path, settings=today)
        assert first.returncode == 0, first.log[-3000:]
        latest = by_url(read_latest(tmp_path))
        hits = site.hits.copy()
        second = crawl_in_process(base_url, tmp_path, run_id="run2", settings=today)
        assert second.returncode == 0, second.log[-3000:]
        assert read_dataset(tmp_path, "run2") == []  # nothing new: no alias taken for new
        assert by_url(read_latest(tmp_path)) == latest
        # Neither spelling of either article fetched again (the listings are).
        for path in (cased.path, cased.article, by_id.path, by_id.article):
            assert site.hits[path] == hits[path], path
        third = crawl_in_process(base_url, tmp_path, "full=1", run_id="run3", settings=today)
    assert third.returncode == 0, third.log[-3000:]
    produced = by_url(read_dataset(tmp_path, "run3"))
    # Re-emitted once each, the record listing every alias the state knows.
    assert sorted(produced) == sorted(latest)
    for url, record in produced.items():
        assert comparable(record) == comparable(latest[url]), url
    [merged] = [
        r for r in produced.values() if set(r["aliases"]) | {r["url"]} == spellings(site, cased)
    ]
    assert len(merged["aliases"]) == 1
    assert produced[canonical_url("en", by_id.article)]["aliases"] == [
        canonical_url("en", by_id.path)
    ]
    assert by_url(read_latest(tmp_path)).keys() == latest.keys()
