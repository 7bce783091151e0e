"""Content addressing of stored attachments, without the engine."""

from pathlib import Path

from cstocrawl.pipelines.attachments import _link_by_content, sha256_path


def test_same_bytes_from_two_urls_are_one_file_on_disk(tmp_path: Path) -> None:
    first, second = tmp_path / "by-url" / "a", tmp_path / "by-url" / "b"
    first.parent.mkdir()
    first.write_bytes(b"%PDF-1.4 same")
    second.write_bytes(b"%PDF-1.4 same")
    content = tmp_path / sha256_path("ab" * 32, "application/pdf")
    _link_by_content(first, content)
    _link_by_content(second, content)
    assert content.name == "ab" * 32 + ".pdf"
    assert content.samefile(first) and content.samefile(second)
    assert content.stat().st_nlink == 3
    _link_by_content(second, content)  # idempotent on a later run
    assert content.stat().st_nlink == 3


def test_unknown_types_are_stored_as_bin() -> None:
    assert sha256_path("0f" * 32, "text/html") == f"by-sha256/0f/{'0f' * 32}.bin"
