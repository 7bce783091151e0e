"""`python -m cstocrawl.extract`, run as a user would, in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.documents import HTML_PAGE, LEGACY_DOC, make_docx, make_pdf, truncated

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cstocrawl.extract", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        check=False,
        timeout=120,
    )


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    contents = {
        "good.docx": make_docx(["Привет", "World"], table=[["a", "b"]]),
        "good.pdf": make_pdf(["PDF line"]),
        "page.docx": HTML_PAGE,
        "cut.docx": truncated(make_docx(["x"] * 40)),
        "old.doc": LEGACY_DOC,
    }
    paths = {}
    for name, data in contents.items():
        paths[name] = tmp_path / name
        paths[name].write_bytes(data)
    return paths


def test_single_file_prints_text_only(files: dict[str, Path]) -> None:
    result = cli(files["good.docx"])
    assert (result.returncode, result.stdout, result.stderr) == (0, "Привет\na\tb\nWorld\n", "")


def test_several_good_files_get_headers(files: dict[str, Path]) -> None:
    result = cli(files["good.docx"], files["good.pdf"])
    assert result.returncode == 0
    assert result.stdout == (
        f"==> {files['good.docx']} <==\nПривет\na\tb\nWorld\n\n"
        f"==> {files['good.pdf']} <==\nPDF line\n"
    )
    assert result.stderr == ""


def test_mixed_good_and_bad_files_exit_1_and_report_each(files: dict[str, Path]) -> None:
    missing = files["good.pdf"].with_name("missing.pdf")
    paths = [files["page.docx"], files["good.docx"], missing, files["cut.docx"], files["old.doc"]]
    result = cli(*paths)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"cstocrawl.extract: {files['page.docx']}: HTML page instead of a document",
        f"cstocrawl.extract: {missing}: No such file or directory",
        f"cstocrawl.extract: {files['cut.docx']}: not a valid docx: File is not a zip file",
        f"cstocrawl.extract: {files['old.doc']}: unsupported media type application/msword",
    ]
    assert f"==> {files['good.docx']} <==\nПривет\na\tb\nWorld\n" in result.stdout


def test_json_lines(files: dict[str, Path]) -> None:
    result = cli("--json", files["good.docx"], files["page.docx"])
    assert result.returncode == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records == [
        {
            "path": str(files["good.docx"]),
            "media_type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "text": "Привет\na\tb\nWorld",
            "error": None,
        },
        {
            "path": str(files["page.docx"]),
            "media_type": "text/html",
            "text": "",
            "error": "HTML page instead of a document",
        },
    ]
    assert "Привет" in result.stdout  # ensure_ascii=False


def test_no_arguments_is_a_usage_error() -> None:
    result = cli()
    assert result.returncode == 2
    assert "usage:" in result.stderr


def test_broken_pdf_noise_stays_off_stdout(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog")
    result = cli(broken)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"cstocrawl.extract: {broken}: broken PDF: ")
    assert len(result.stderr.splitlines()) == 1
