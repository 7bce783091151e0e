"""A small, polite crawl of the real site: does our extraction still hold on the live markup?"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.crawling import crawl, read_dataset


@pytest.mark.live
@pytest.mark.parametrize(("lang", "base_url"), [("en", "https://en.odkb-csto.org"), ("ru", "https://odkb-csto.org")])
def test_live_statements_and_news_have_titles_dates_and_bodies(lang: str, base_url: str, tmp_path: Path) -> None:
    result = crawl(
        base_url,
        tmp_path,
        f"lang={lang}",
        "sections=news_odkb,statements",
        "max_pages=1",
        settings={"DOWNLOAD_DELAY": "1", "CONCURRENT_REQUESTS_PER_DOMAIN": "1"},
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    records = read_dataset(tmp_path, "run1")
    assert records, "the live crawl produced an empty dataset"
    for record in records:
        assert record["title"] and record["published"] and (record["text"] or record["attachments"]), record["url"]
        assert record["problems"] == [], record["url"]
