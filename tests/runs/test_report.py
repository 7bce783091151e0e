"""The run's report for a person: exact text from a manifest (with the per-article verdicts'
keys), the run's articles and its failed pages; and written by a real run's end."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cstocrawl.runs.report import Failure, read_articles, render

MANIFEST: dict[str, Any] = {
    "run_id": "r2",
    "mode": "incremental",
    "started_at": "2026-12-01T05:17:00Z",
    "ended_at": "2026-12-01T05:20:00Z",
    "dataset": "news/r2.jsonl",
    "state": {"outcome": "promoted", "articles": 50},
    "outcome": {"code": 0, "name": "ok", "reason": "ok"},
    "counts": {
        "new": 2,
        "changed": 1,
        "unchanged": 9,
        "failed": 1,
        "held": 1,
        "attachments_downloaded": 1,
    },
    "errors": 2,
    # What the per-article verdicts add (branch verdict); read with .get.
    "held": [{"url": "https://x/held/", "title": "Held one", "reason": "missing_date"}],
    "failed_articles": [
        {"url": "https://x/lost/", "title": "Lost one", "reason": "HTTP 500"},
        {"url": "https://x/gone/", "title": "Gone", "reason": "HTTP 404"},
    ],
}


def record(n: int, published: str | None, section: str, change: str, **more: Any) -> str:
    fields = {"url": f"https://x/{n}/", "title": f"Title {n}", "published": published}
    return json.dumps({**fields, "section": section, "change": change, "attachments": [], **more})


def test_the_report_says_what_the_run_did(tmp_path: Path) -> None:
    dataset = tmp_path / "news" / "r2.jsonl"
    dataset.parent.mkdir()
    failed_file = {"url": "https://x/f.pdf", "status": "failed", "error": "not a PDF"}
    lines = [
        record(1, "2026-11-30", "news_odkb", "new"),
        record(2, "2026-10-02", "statements", "new", attachments=[failed_file]),
        record(3, None, "speech", "changed"),
    ]
    dataset.write_text("\n".join(lines) + '\n{"torn', encoding="utf-8")
    failures = [
        Failure("article", "https://x/lost/", "HTTP 500"),
        Failure("listing", "https://x/news/?PAGEN_1=3", None),
    ]
    text = render(MANIFEST, read_articles(dataset), failures, tmp_path)
    news = tmp_path / "news"
    assert text == (
        "# Run r2: ok\n\n"
        "`cstocrawl r2: ok; 2 new, 1 changed, 9 unchanged, 1 held, 1 failed; 0 attachments: "
        "1 downloaded, 0 failed; 2 errors (exit 0)`\n\n"
        "- mode: incremental, started 2026-12-01T05:17:00Z, ended 2026-12-01T05:20:00Z\n"
        f"- the run's articles: {news / 'r2.jsonl'}\n"
        f"- every article, current version: {news / 'latest.jsonl'}\n"
        f"- manifest: {news / 'r2.manifest.json'}\n"
        f"- attachments: {tmp_path / 'files'}\n\n"
        "| new | changed | unchanged | held | failed articles | failed pages | attachments "
        "downloaded | attachments failed | errors logged |\n"
        "|---|---|---|---|---|---|---|---|---|\n"
        "| 2 | 1 | 9 | 1 | 1 | 2 | 1 | 1 | 2 |\n\n"
        "## New articles (2)\n\n"
        "- 2026-11-30 [Title 1](https://x/1/) (news_odkb)\n"
        "- 2026-10-02 [Title 2](https://x/2/) (statements)\n\n"
        "## Changed articles (1)\n\n"
        "- undated [Title 3](https://x/3/) (speech)\n\n"
        "## Held articles (not recorded until fixed) (1)\n\n"
        "- Held one <https://x/held/>: missing_date\n\n"
        "## Failed pages (3)\n\n"
        "- article <https://x/lost/>: HTTP 500\n"
        "- listing <https://x/news/?PAGEN_1=3>: ?\n"
        "- Gone <https://x/gone/>: HTTP 404\n\n"
        "## Failed attachments (1)\n\n"
        "- of https://x/2/ <https://x/f.pdf>: not a PDF\n\n"
        "## Articles of this run per month and section\n\n"
        "```\n"
        f"month    {'':<40}  all  news_odkb  speech  statements\n"
        f"undated  {'#' * 40}    1          0       1           0\n"
        f"2026-11  {'#' * 40}    1          1       0           0\n"
        f"2026-10  {'#' * 40}    1          0       0           1\n"
        "```\n"
    )


def test_a_failed_run_says_nothing_was_recorded(tmp_path: Path) -> None:
    manifest = {
        **MANIFEST,
        "dataset": None,
        "state": {"outcome": "discarded", "articles": 48},
        "outcome": {"code": 69, "name": "unreachable", "reason": "site unreachable"},
        "counts": {"new": 0, "changed": 0, "unchanged": 0, "failed": 0, "discarded": 0},
    }
    del manifest["held"], manifest["failed_articles"]  # as before the verdicts
    text = render(manifest, read_articles(tmp_path / "none.jsonl"), [], tmp_path)
    assert text.startswith(
        "# Run r2: FAILED\n\n`cstocrawl r2: FAILED, site unreachable; nothing recorded; "
        "2 errors (exit 69)`\n"
    )
    assert "- the run's articles: none written (not promoted)\n" in text
    assert "Not promoted: nothing below was recorded; the next run fetches it again.\n" in text
    assert "## " not in text  # no empty sections
