"""The extraction benchmark's scoring: known values, so a wrong formula fails here, not in docs."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

import bench.extraction as extraction
from bench.common import write_section
from bench.extraction import (
    OURS,
    SECTION,
    TRAFILATURA,
    Extracted,
    Scores,
    f1,
    leakage,
    normalise,
    same_date,
    score,
    shortfalls,
    table,
    tokenise,
    verdict,
)
from tests.replica import ReplicaSite


def test_tokenise_words_without_punctuation_invisibles_or_compatibility_forms() -> None:
    assert tokenise("The CSTO\u00ad's  Secre\u200btary, 2025!") == [
        "The",
        "CSTO",
        "s",
        "Secretary",
        "2025",
    ]
    assert tokenise("Заседание\ufeff ОДКБ — Ереван") == ["Заседание", "ОДКБ", "Ереван"]
    assert tokenise("ﬁnal") == ["final"]  # NFKC: the ligature is two letters
    assert tokenise("") == []


def test_normalise_collapses_whitespace_only() -> None:
    assert normalise("  A\n\tB  C ") == "A B C"
    assert normalise("A\u00adB") == "A\u00adB"


def test_f1_of_two_short_texts() -> None:
    # 3 words shared; precision 3/4, recall 3/5: F1 = 2 * 0.75 * 0.6 / 1.35 = 2/3
    assert f1("a b c d", "a b c e f") == pytest.approx(2 / 3)


def test_f1_counts_repeated_words_once_per_occurrence() -> None:
    # produced a a a, expected a: overlap 1, precision 1/3, recall 1 -> 0.5
    assert f1("a a a", "a") == pytest.approx(0.5)
    assert f1("a a b", "a a b") == 1.0  # a bag, not a set: both a's match


def test_f1_edges() -> None:
    assert f1("same words here", "same  words\nhere") == 1.0
    assert f1("", "") == 1.0
    assert f1("", "expected") == 0.0
    assert f1("produced", "") == 0.0
    assert f1("x y", "a b") == 0.0


def test_leakage_is_the_share_of_produced_words_beyond_the_expected_bag() -> None:
    assert leakage("a b c d", "a b c e f") == pytest.approx(1 / 4)
    assert leakage("Latest news a b", "a b") == pytest.approx(2 / 4)
    assert leakage("a a", "a") == pytest.approx(1 / 2)
    assert leakage("a a b", "a a") == pytest.approx(1 / 3)
    assert leakage("", "a b") == 0.0
    assert leakage("a b", "a b c") == 0.0


def test_same_date_compares_the_day() -> None:
    assert same_date("2025-11-24", "2025-11-24")
    assert same_date("2025-11-24T10:00:00", "2025-11-24")
    assert not same_date("2025-11-23", "2025-11-24")
    assert not same_date(None, "2025-11-24")
    assert not same_date("24.11.2025", "2025-11-24")


def expected_record(url: str, **fields: object) -> dict[str, Any]:
    record = {
        "url": url, "title": "Title", "published": "2025-01-02", "text": "a b c d",
        "summary": "a b", "attachments": [], "images": [],
    }  # fmt: skip
    return {**record, **fields}


def test_score_averages_over_expected_articles_and_a_missing_one_scores_zero() -> None:
    expected = [
        expected_record("u1", attachments=[{"url": "f1", "name": "f1"}], images=["i1"]),
        expected_record("u2", attachments=[{"url": "f2", "name": "f2"}]),
    ]
    produced = {
        "u1": Extracted(
            title=" Title\n", published="2025-01-02", text="a b c d e f g h", summary="a b",
            attachments=["f1"], images=["i1"],
        ),
        "other": Extracted(title="Elsewhere"),
    }  # fmt: skip
    scores = score(expected, produced, markup="m", lang="en", extractor=OURS)
    assert scores.articles == 2
    assert scores.coverage == 0.5
    assert scores.title == 0.5
    assert scores.date == 0.5
    # u1: precision 4/8, recall 1 -> F1 2/3; u2 missing -> 0
    assert scores.body_f1 == pytest.approx(1 / 3)
    assert scores.leakage == pytest.approx(0.5)  # over the one article found
    assert scores.attachments == 0.5
    assert scores.images == 0.5
    assert scores.summary == 0.5
    assert scores.extra == ["other"]
    assert scores.note == "1 unexpected URLs"


def test_score_marks_fields_an_extractor_does_not_produce_as_not_applicable() -> None:
    expected = [expected_record("u1", attachments=[{"url": "f1", "name": "f1"}])]
    produced = {"u1": Extracted(title="Title", published="2025-01-02", text="a b c d")}
    scores = score(expected, produced, markup="m", lang="en", extractor=TRAFILATURA, produces=())
    assert scores.attachments is None and scores.images is None and scores.summary is None
    assert scores.body_f1 == 1.0 and scores.leakage == 0.0


def test_a_crawl_that_produced_nothing_scores_zero_and_says_why() -> None:
    expected = [
        expected_record("u1", attachments=[{"url": "f", "name": "f"}]),
        expected_record("u2"),
    ]
    scores = score(expected, {}, markup="m", lang="ru", extractor=OURS, note="crawl exit 1")
    assert (scores.coverage, scores.title, scores.date, scores.body_f1) == (0, 0, 0, 0)
    assert (scores.attachments, scores.images, scores.summary) == (0, 0, 0)
    assert scores.leakage is None
    row = table([scores]).splitlines()[-1]
    assert "| — |" in row and row.endswith("| crawl exit 1 |")


def row(extractor: str, **fields: float | None) -> Scores:
    values: dict[str, Any] = {
        "coverage": 1.0, "title": 1.0, "date": 1.0, "body_f1": 1.0, "leakage": 0.0,
        "attachments": None, "images": 1.0, "summary": None,
    }  # fmt: skip
    return Scores(markup="m", lang="en", extractor=extractor, articles=1, wall=0.0,
                  **{**values, **fields})  # fmt: skip


def test_shortfalls_compare_each_field_in_its_direction() -> None:
    assert shortfalls([row(OURS), row(TRAFILATURA, date=0.1, leakage=0.3)]) == []
    assert shortfalls([row(OURS, attachments=1.0), row(TRAFILATURA)]) == []
    worse = shortfalls([row(OURS, body_f1=0.8, leakage=0.2), row(TRAFILATURA, body_f1=0.9)])
    assert worse == ["m/en body_f1 0.800 vs 0.900", "m/en leakage 0.200 vs 0.000"]
    assert shortfalls([row(OURS, leakage=None), row(TRAFILATURA)]) == ["m/en leakage — vs 0.000"]
    assert "**yes**" in verdict([row(OURS), row(TRAFILATURA)])
    assert verdict([row(OURS, title=0.5, images=0.0), row(TRAFILATURA)]) == (
        "Ours >= trafilatura on every markup and field: "
        "**no** (m/en: title 0.500 vs 1.000, images 0.000 vs 1.000)."
    )


def test_table_has_a_row_per_markup_language_and_extractor() -> None:
    lines = table([row(OURS), row(TRAFILATURA, images=None)]).splitlines()
    assert len(lines) == 4
    assert lines[2].startswith("| m | en | ours | 1 | 1.000 |")
    assert "| n.a. |" in lines[3]


def test_write_section_adds_then_replaces_only_its_section(tmp_path: Path) -> None:
    docs = tmp_path / "extraction.md"
    docs.write_text("Lead's intro.\n")
    write_section(SECTION, "first", docs)
    assert (
        docs.read_text()
        == "Lead's intro.\n\n<!-- bench:extraction -->\nfirst\n<!-- /bench:extraction -->\n"
    )
    docs.write_text(docs.read_text() + "\nLead's analysis.\n")
    write_section(SECTION, "second", docs)
    text = docs.read_text()
    assert text.startswith("Lead's intro.") and text.endswith("Lead's analysis.\n")
    assert "second" in text and "first" not in text


def test_a_failed_crawl_gives_no_articles_and_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(
        base_url: str, output: Path, *args: object, **kwargs: object
    ) -> subprocess.CompletedProcess[str]:
        news = output / "news"
        news.mkdir(parents=True)
        (news / "extraction.jsonl.tmp").write_text('{"url": "u1"}\n{"url": "u2"}\n')
        return subprocess.CompletedProcess(["scrapy"], 2, "", "log line\nrun: FAILED, health\n")

    monkeypatch.setattr(extraction, "crawl", failing)
    produced, _, note = extraction.run_ours(ReplicaSite("en", "bitrix"), "en")
    assert produced == {}
    assert note == (
        "crawl exit 2 (run: FAILED, health); no news/extraction.jsonl; "
        "2 records left unpublished in extraction.jsonl.tmp, not scored"
    )


def test_crawl_verdict_is_the_last_line_cut_to_fit_a_cell() -> None:
    assert extraction.crawl_verdict("a\nb\n\n") == "b"
    assert extraction.crawl_verdict("") == ""
    assert extraction.crawl_verdict("x" * 200, width=10) == "x" * 9 + "…"
