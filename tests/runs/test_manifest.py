"""The manifest's counts and the atomic rewrite of latest.jsonl."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cstocrawl.runs.durable import write_atomically
from cstocrawl.runs.manifest import run_counts


def test_failed_counts_lost_pages_and_items_dropped_by_other_pipelines() -> None:
    stats = {
        "cstocrawl/state/new": 4,
        "cstocrawl/state/changed": 1,
        "cstocrawl/state/unchanged": 3,
        "cstocrawl/state/dropped": 3,  # the unchanged ones, dropped by the state pipeline
        "cstocrawl/verdict/held": 2,  # held by the verdict pipeline: not failed
        "item_dropped_count": 7,  # ... and 2 dropped by another pipeline (validation)
        "cstocrawl/failed/article": 1,
        "cstocrawl/article/not_html": 1,
        "file_status_count/downloaded": 2,
        "cstocrawl/attachments/stored": 3,
        "cstocrawl/attachments/failed": 1,
    }
    assert run_counts(stats) == {
        "new": 4,
        "changed": 1,
        "unchanged": 3,
        "held": 2,
        "failed": 4,
        "attachments": 4,
        "attachments_downloaded": 2,
        "attachments_failed": 1,
        "cancelled": 0,
    }
    assert run_counts({}) == dict.fromkeys(
        ("new", "changed", "unchanged", "held", "failed", "attachments"), 0
    ) | {"attachments_downloaded": 0, "attachments_failed": 0, "cancelled": 0}


def test_write_atomically_replaces_the_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "latest.jsonl"
    path.write_text("old\n", encoding="utf-8")
    write_atomically(path, iter(["{\"a\": 1}", "{\"b\": 2}"]))
    assert path.read_text(encoding="utf-8") == '{"a": 1}\n{"b": 2}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["latest.jsonl"]  # no .tmp left behind


def test_a_write_that_fails_midway_leaves_the_old_file_and_no_cut_copy(tmp_path: Path) -> None:
    """A full disk mid-write: the old file stays whole, the cut copy's space is given back."""
    path = tmp_path / "latest.jsonl"
    path.write_text("old\n", encoding="utf-8")

    def lines() -> Iterator[str]:
        yield '{"a": 1}'
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        write_atomically(path, lines())
    assert path.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["latest.jsonl"]
