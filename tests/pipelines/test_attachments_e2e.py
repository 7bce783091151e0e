"""Attachments through the real engine: stored once by content, text extracted, never fetched twice."""

from __future__ import annotations

from pathlib import Path

from tests.crawling import by_url, crawl, read_dataset, upload_hits
from tests.replica import ReplicaSite, serve


def test_attachments_are_downloaded_once_and_match_the_ground_truth(tmp_path: Path) -> None:
    site = ReplicaSite(lang="en", variant="custom")
    expected_files = site.expected_attachments()
    with serve(site) as base_url:
        first = crawl(base_url, tmp_path, run_id="run1")
        hits_after_first = upload_hits(site)
        # full=1: re-emit every article (an incremental run would drop them all as unchanged).
        second = crawl(base_url, tmp_path, "full=1", run_id="run2")
        hits_after_second = upload_hits(site)
    assert first.returncode == 0, first.stderr[-3000:]
    assert second.returncode == 0, second.stderr[-3000:]
    # Every distinct attachment URL was requested exactly once, by the first run only.
    assert hits_after_first == len(expected_files)
    assert hits_after_second == hits_after_first

    for run_id in ("run1", "run2"):
        articles = by_url(read_dataset(tmp_path, run_id))
        attachments = [a for article in articles.values() for a in article["attachments"]]
        assert {a["url"] for a in attachments} == set(expected_files)
        for attachment in attachments:
            truth = expected_files[attachment["url"]]
            assert attachment["sha256"] == truth["sha256"]
            assert attachment["size"] == truth["size"]
            assert attachment["media_type"] == truth["media_type"]
            assert attachment["text"] == truth["text"]
            assert attachment["error"] is None
            stored = tmp_path / attachment["path"]
            assert stored.read_bytes().__len__() == truth["size"]
            assert attachment["path"] == (
                f"files/by-sha256/{truth['sha256'][:2]}/{truth['sha256']}"
                + {"application/pdf": ".pdf"}.get(truth["media_type"], ".docx")
            )
        # The same status whichever run fetched the file (issue 19).
        assert {a["status"] for a in attachments} == {"stored"}

    # Files on disk: one by content for each distinct sha256, hard-linked from its URL name.
    by_sha = list((tmp_path / "files" / "by-sha256").rglob("*.*"))
    assert len(by_sha) == len({truth["sha256"] for truth in expected_files.values()})
