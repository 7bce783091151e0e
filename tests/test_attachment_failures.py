"""Issue 19: a run whose attachments all fail says so and is not "ok"; the next run, with
limits that let the files be read, reads them all. Whole runs with the real engine in process."""

from __future__ import annotations

from pathlib import Path

from tests.crawling import crawl_in_process, read_dataset, read_manifest
from tests.replica import ReplicaSite, serve


def test_every_attachment_failing_fails_the_run_and_the_next_run_reads_them(
    tmp_path: Path,
) -> None:
    # 30 MB of address space: no attachment worker can read a file (a memory error, no ERROR).
    starved = {"CSTOCRAWL_ATTACHMENT_MAX_MEMORY": str(30_000_000)}
    with serve(ReplicaSite(lang="en", variant="custom")) as base_url:
        lost = crawl_in_process(base_url, tmp_path, run_id="r1", settings=starved)
        again = crawl_in_process(base_url, tmp_path, run_id="r2")

    assert lost.returncode == 3
    assert lost.line == (
        "cstocrawl r1: FAILED, 13 of 13 attachments failed (at most 50% allowed, "
        "CSTOCRAWL_MAX_ATTACHMENT_FAILURE_RATIO); nothing recorded, 13 attachments failed; "
        "0 errors (exit 3)"
    )
    counts = read_manifest(tmp_path, "r1")["counts"]
    assert counts["attachments_failed"] == counts["attachments"] == 13
    report = (tmp_path / "news" / "r1.report.md").read_text("utf-8")
    assert "## Failed attachments (13)\n" in report
    assert report.count("extraction needed more than 28.6102 MiB") == 13

    # The failures are remembered for those limits only: with the project's, every file is read.
    assert again.returncode == 0, again.log[-3000:]
    assert again.line == (
        "cstocrawl r2: ok; 67 new, 0 changed, 0 unchanged, 0 held, 0 failed; "
        "13 attachments: 0 downloaded, 0 failed; 0 errors (exit 0)"
    )
    files = [a for record in read_dataset(tmp_path, "r2") for a in record["attachments"]]
    assert len(files) == 13 and all(a["text"] and a["error"] is None for a in files)
