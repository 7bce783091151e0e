"""The real `scrapy crawl news` against the replica: the dataset must equal the ground truth."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.crawling import by_url, crawl, read_dataset
from tests.replica import ALL_VARIANTS, ReplicaSite, serve

VOLATILE = ("crawled_at",)
ATTACHMENT_FIELDS = ("url", "name")


def comparable(record: dict[str, Any]) -> dict[str, Any]:
    """The record without what changes from run to run, attachments reduced to what the page shows."""
    kept = {k: v for k, v in record.items() if k not in VOLATILE}
    kept["attachments"] = [{k: a[k] for k in ATTACHMENT_FIELDS} for a in record["attachments"]]
    return kept


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("variant", ALL_VARIANTS)
def test_crawl_equals_ground_truth(variant: str, lang: str, tmp_path: Path) -> None:
    site = ReplicaSite(lang=lang, variant=variant)
    with serve(site) as base_url:
        result = crawl(base_url, tmp_path, f"lang={lang}")
    assert result.returncode == 0, result.stderr[-3000:]
    produced = by_url(read_dataset(tmp_path))
    expected = {article["url"]: article for article in site.expected_articles()}
    assert sorted(produced) == sorted(expected)
    for url, article in expected.items():
        assert comparable(produced[url]) == article, url
    assert all(record["crawled_at"].endswith("Z") for record in produced.values())
    assert not (tmp_path / "news" / "run1.jsonl.tmp").exists()
