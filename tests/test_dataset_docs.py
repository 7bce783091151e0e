"""docs/dataset.md's four analyst questions, run as written against two crawls of the replica:
the answers equal what the replica published, so the docs cannot drift from the data."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.crawling import REPO, after_run, crawl_in_process, read_manifest
from tests.replica import ReplicaSite, serve

EDITED = "A corrected first paragraph about the Tajik-Afghan border.\n\nAnd a second one."


def snippets() -> list[str]:
    """The setup block, then the four answers, from docs/dataset.md."""
    text = (REPO / "docs" / "dataset.md").read_text("utf-8")
    section = text.split("## Four questions, four snippets", 1)[1]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
    assert len(blocks) == 5, "a setup block and four questions"
    return blocks


@pytest.fixture(scope="module")
def replica(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ReplicaSite, list[str], str]:
    """Day 1 crawls the site; then 2 articles appear and one is edited; day 2 re-crawls it all.
    The output dir, the site as it is now, what changed, and day 1's end."""
    output = tmp_path_factory.mktemp("analyst")
    site = ReplicaSite(lang="en", variant="custom")
    with serve(site) as base_url:
        assert crawl_in_process(base_url, output, run_id="day1").returncode == 0
        after_run(output, "day1")  # day 2 begins in a later second, as a day later would
        edited = site.articles[5].url
        site.edit_article(edited, EDITED)
        added = site.add_articles("smi", 2)
        assert crawl_in_process(base_url, output, "full=1", run_id="day2").returncode == 0
    return output, site, [*added, edited], read_manifest(output, "day1")["ended_at"]


def answer(block: str, output: Path, since: str = "", word: str = "") -> list[tuple[Any, ...]]:
    setup, *_ = snippets()
    names: dict[str, Any] = {}
    exec(setup, names)  # the documented code is what is under test
    names.update(output_dir=str(output), since=since, word=word)
    exec(block, names)
    return list(names["answer"])


def test_articles_per_month_and_section(replica: tuple[Path, ReplicaSite, list[str], str]) -> None:
    output, site, _, _ = replica
    expected = Counter((r["published"][:7], r["section_title"]) for r in site.expected_articles())
    rows = answer(snippets()[1], output)
    assert {(month, title): count for month, title, count in rows} == expected
    assert [row[0] for row in rows] == sorted((row[0] for row in rows), reverse=True)


def test_full_text_search_includes_attachments(
    replica: tuple[Path, ReplicaSite, list[str], str],
) -> None:
    output, site, _, _ = replica
    files = site.expected_attachments()
    word = "tajik"  # in titles, bodies, one edited body, and attachment texts; case ignored

    def mentions(record: dict[str, Any]) -> bool:
        texts = [
            record["title"],
            record["text"],
            *(files[a["url"]]["text"] for a in record["attachments"]),
        ]
        return any(word in text.lower() for text in texts)

    expected = sorted((r["url"], r["title"]) for r in site.expected_articles() if mentions(r))
    only_in_files = [
        r
        for r in site.expected_articles()
        if mentions(r) and word not in (r["title"] + r["text"]).lower()
    ]
    assert only_in_files, "the test's premise: some articles mention it only in a file"
    assert answer(snippets()[2], output, word=word) == expected


def test_attachment_text(replica: tuple[Path, ReplicaSite, list[str], str]) -> None:
    output, site, _, _ = replica
    files = site.expected_attachments()
    expected = sorted(
        (r["url"], a["name"], files[a["url"]]["media_type"], "stored", files[a["url"]]["text"])
        for r in site.expected_articles()
        for a in r["attachments"]
    )
    assert answer(snippets()[3], output) == expected


def test_what_changed_since_yesterday(replica: tuple[Path, ReplicaSite, list[str], str]) -> None:
    output, site, changed, day1_ended = replica
    titles = {r["url"]: r["title"] for r in site.expected_articles()}
    *added, edited = changed
    expected = sorted(
        [(url, titles[url], "new") for url in added] + [(edited, titles[edited], "changed")]
    )
    assert answer(snippets()[4], output, since=day1_ended) == expected
    # And before day 1 began, every article is new.
    before = datetime(2000, 1, 1, tzinfo=UTC).isoformat()
    assert {row[2] for row in answer(snippets()[4], output, since=before)} == {"new", "changed"}
