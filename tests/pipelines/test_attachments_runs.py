"""Attachments through whole runs of the real engine (in process): stored once by content, text
extracted, never fetched twice."""

from __future__ import annotations

import hashlib
from pathlib import Path

from tests.crawling import (
    by_url,
    crawl_in_process,
    read_dataset,
    read_latest,
    run_stats,
    upload_hits,
)
from tests.replica import Fault, ReplicaSite, serve


def test_attachments_are_downloaded_once_and_match_the_ground_truth(tmp_path: Path) -> None:
    site = ReplicaSite(lang="en", variant="custom")
    expected_files = site.expected_attachments()
    with serve(site) as base_url:
        first = crawl_in_process(base_url, tmp_path, run_id="run1")
        hits_after_first = upload_hits(site)
        # full=1: re-emit every article (an incremental run would drop them all as unchanged).
        second = crawl_in_process(base_url, tmp_path, "full=1", run_id="run2")
        hits_after_second = upload_hits(site)
    assert first.returncode == 0, first.log[-3000:]
    assert second.returncode == 0, second.log[-3000:]
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

    # Files on disk: one by content for each distinct sha256, hard-linked from its URL name (and
    # its extracted text kept beside it).
    by_sha = list((tmp_path / "files" / "by-sha256").rglob("*.*"))
    texts = [path for path in by_sha if path.name.endswith(".text.json")]
    by_sha = [path for path in by_sha if path not in texts]
    assert len(texts) == len(by_sha)
    assert len(by_sha) == len({truth["sha256"] for truth in expected_files.values()})


def test_a_stored_file_corrupted_or_deleted_is_noticed_and_fetched_again(tmp_path: Path) -> None:
    """Issue 18: the reused file is checked against the SHA-256 the state recorded."""
    site = ReplicaSite(lang="en", variant="custom")
    expected_files = site.expected_attachments()
    with serve(site) as base_url:
        first = crawl_in_process(base_url, tmp_path, run_id="run1")
        assert first.returncode == 0, first.log[-3000:]
        stored = {a["url"]: a for r in read_dataset(tmp_path) for a in r["attachments"]}
        distinct = {a["sha256"]: url for url, a in sorted(stored.items())}
        corrupted, deleted = sorted(distinct.values())[:2]
        with (tmp_path / stored[corrupted]["path"]).open("r+b") as file:
            file.write(b"rotten bits")  # in place: both names of the file (hard links)
        (tmp_path / stored[deleted]["path"]).unlink()
        hits = upload_hits(site)
        second = crawl_in_process(base_url, tmp_path, "full=1", run_id="run2")
        assert second.returncode == 0, second.log[-3000:]
        assert upload_hits(site) == hits + 2  # those two, nothing else

    corrupted_name = Path(stored[corrupted]["path"]).name
    assert f"Stored attachment {corrupted} damaged: " in second.log
    assert f"{corrupted_name} is corrupted (its bytes hash to " in second.log
    assert (
        f"Stored attachment {deleted} damaged: {Path(stored[deleted]['path']).name} is "
        "missing: fetched again"
    ) in second.log
    assert run_stats(tmp_path, "run2")["cstocrawl/attachments/damaged"] == 2
    for record in read_dataset(tmp_path, "run2"):
        for attachment in record["attachments"]:
            truth = expected_files[attachment["url"]]
            assert attachment["sha256"] == truth["sha256"]
            assert attachment["text"] == truth["text"]
            assert attachment["status"] == "stored"  # whichever run fetched it (issue 19)
            data = (tmp_path / attachment["path"]).read_bytes()
            assert hashlib.sha256(data).hexdigest() == truth["sha256"]


def test_a_shared_attachment_that_failed_once_comes_back_for_every_article(
    tmp_path: Path,
) -> None:
    """Issue 18: one file, two statements; after one failed download both get it back."""
    site = ReplicaSite(lang="en", variant="custom")
    expected_files = site.expected_attachments()
    paths = [a.attachment.path for a in site.articles if a.attachment]
    shared = next(path for path in paths if paths.count(path) == 2)
    sharing = {a.url for a in site.articles if a.attachment and a.attachment.path == shared}
    with serve(site) as base_url:
        site.set_fault(shared, Fault(500))
        first = crawl_in_process(base_url, tmp_path, run_id="run1")
        site.set_fault(shared, None)
        second = crawl_in_process(base_url, tmp_path, run_id="run2")
    assert first.returncode == 0, first.log[-3000:]
    assert second.returncode == 0, second.log[-3000:]
    for url in sharing:
        [attachment] = by_url(read_dataset(tmp_path, "run1"))[url]["attachments"]
        assert attachment["status"] == "failed"
    latest = by_url(read_latest(tmp_path))
    for url in sharing:
        [attachment] = latest[url]["attachments"]
        truth = expected_files[attachment["url"]]
        assert attachment["status"] == "stored", url
        assert attachment["sha256"] == truth["sha256"] and attachment["text"] == truth["text"]
    assert sorted(r["url"] for r in read_dataset(tmp_path, "run2")) == sorted(sharing)
