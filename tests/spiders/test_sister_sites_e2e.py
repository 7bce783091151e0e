"""The sister sites (issue 22): `scrapy crawl jscsto|ksopn` and the cron runner on the replica's
copies of them, both languages from one host, each run into an output dir of its own."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.crawling import (
    REPO,
    by_url,
    comparable,
    crawl,
    crawl_in_process,
    read_dataset,
    read_latest,
    read_manifest,
    run_cron,
)
from tests.replica import serve
from tests.replica.sister import SISTERS, SisterSite


@pytest.mark.parametrize("name", SISTERS)
def test_a_sister_site_is_crawled_exactly_in_both_languages_and_paired(
    tmp_path: Path, name: str
) -> None:
    """Each language into its own output dir (one host serves both), exact; then the pairing
    step over the two: every English article paired with its original, the Russian one with no
    English version and the two articles of one date included."""
    site = SisterSite(name)
    with serve(site) as base_url:
        for lang in ("en", "ru"):
            result = crawl_in_process(base_url, tmp_path / lang, f"lang={lang}", spider=name)
            assert result.returncode == 0, result.log[-2000:]
            records = by_url(read_dataset(tmp_path / lang))
            expected = by_url(site.expected_articles(lang))
            assert {url: comparable(record) for url, record in records.items()} == expected
            assert read_manifest(tmp_path / lang, "run1")["source"]["lang"] == lang
    step = subprocess.run(
        [sys.executable, "-m", "cstocrawl.store.pairing", str(tmp_path / "en"), str(tmp_path / "ru")],
        cwd=REPO, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert step.returncode == 0, step.stderr
    originals = {article.key: article.url for article in site.by_lang["ru"]}
    lines = (tmp_path / "en" / "news" / "pairs.jsonl").read_text(encoding="utf-8").splitlines()
    pairs = {line["url"]: line["translation"]["url"] for line in map(json.loads, lines)}
    assert pairs == {article.url: originals[article.key] for article in site.by_lang["en"]}
    # Each record of latest.jsonl names its translation, and keeps it when the next run
    # rebuilds the file from the state.
    translated = {record["url"]: record["translation"] for record in read_latest(tmp_path / "en")}
    assert {url: translation["url"] for url, translation in translated.items()} == pairs
    with serve(site) as base_url:
        again = crawl_in_process(base_url, tmp_path / "en", run_id="run2", spider=name)
    assert again.returncode == 0, again.log[-2000:]
    assert {r["url"]: r["translation"] for r in read_latest(tmp_path / "en")} == translated
    russian_only = [r for r in read_latest(tmp_path / "ru") if r["url"] not in pairs.values()]
    assert len(russian_only) == 1 and russian_only[0]["translation"] is None


def test_a_sister_sites_daily_run_reads_one_listing_page(tmp_path: Path) -> None:
    """The cron runner takes the sister spiders too; on an unchanged site the second run asks
    for robots.txt and the listing's first page, which shows only known articles."""
    site = SisterSite("jscsto")
    with serve(site) as base_url:
        first = run_cron(base_url, tmp_path, spider="jscsto")
        assert first.returncode == 0, first.stderr
        before = site.hits.copy()
        second = run_cron(base_url, tmp_path, spider="jscsto")
    assert second.returncode == 0, second.stderr
    assert set(site.hits - before) == {"/robots.txt", "/en/news/"}
    runs = sorted(path.name for path in (tmp_path / "news").glob("*.manifest.json"))
    assert len(runs) == 2
    assert read_dataset(tmp_path, runs[1].removesuffix(".manifest.json")) == []


def test_a_sister_site_is_refused_an_output_dir_holding_another_site(tmp_path: Path) -> None:
    """One output dir, one site: its state, lock and latest.jsonl would mix two sites."""
    jscsto, ksopn = SisterSite("jscsto"), SisterSite("ksopn")
    with serve(jscsto) as jscsto_url, serve(ksopn) as ksopn_url:
        assert crawl_in_process(jscsto_url, tmp_path, spider="jscsto").returncode == 0
        refused = crawl(ksopn_url, tmp_path, run_id="run2", spider="ksopn")
    assert refused.returncode == 64
    lines = refused.stderr.strip().splitlines()
    assert lines[-1] == (
        f"cstocrawl: {tmp_path} holds the crawl state of another site "
        "(jscsto.odkb-csto.org); give ksopn.odkb-csto.org an output dir of its own, "
        f"e.g. -s CSTOCRAWL_OUTPUT_DIR={tmp_path / 'ksopn'} (exit 64)"
    )
    assert not (tmp_path / "news" / "run2.manifest.json").exists()
