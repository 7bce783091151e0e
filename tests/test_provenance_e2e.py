"""Issue 19, provenance: the manifest says where the pages came from and which code read them; an
English mirror crawled as Russian is told, not recorded as Russian."""

from __future__ import annotations

from pathlib import Path

import scrapy

import cstocrawl
from tests.crawling import crawl, read_manifest
from tests.replica import ReplicaSite, serve


def test_an_english_mirror_crawled_as_russian_fails_with_every_page_a_language_mismatch(
    tmp_path: Path,
) -> None:
    with serve(ReplicaSite(lang="en", variant="custom")) as base_url:
        result = crawl(base_url, tmp_path, "lang=ru", run_id="r1")
    assert result.returncode == 4, result.stderr[-3000:]
    manifest = read_manifest(tmp_path, "r1")
    assert manifest["source"] == {"lang": "ru", "base_url": base_url, "official": False}
    assert manifest["code_version"]["cstocrawl"] == cstocrawl.__version__
    assert manifest["code_version"]["scrapy"] == scrapy.__version__
    pages = manifest["stats"]["cstocrawl/article/pages"]
    assert manifest["stats"]["cstocrawl/problems/language_mismatch"] == pages > 40  # every one
    assert (
        f"{pages} of {pages} article pages are in another language than the run's: a mirror of "
        "the other language, or the wrong -a lang"
    ) in manifest["health"]["failures"]
    # Nothing recorded: every article was held, each with its reason in the manifest.
    reasons = {entry["reason"] for entry in manifest["held"]}
    assert len(manifest["held"]) == pages
    assert reasons == {
        "language_mismatch: the text is in 'en', the page declares <html lang='en'>, "
        "the run is lang=ru"
    }
    assert not (tmp_path / "news" / "r1.jsonl").exists()
