"""Attachment text extraction: our extract_text vs docx2python, speed and text coverage.

Run from the repository root: `python -m bench.extract_bench` (the corpus is generated with
tests/documents.py into a temporary directory, so every run measures the same files).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

from docx2python import docx2python

from bench.common import machine, publish
from cstocrawl.extract import extract_text
from tests.documents import (
    Part,
    make_docx,
    make_pdf,
    para,
    raw_docx,
    run,
)

WORDS = [
    *["ОДКБ", "коллективной", "безопасности", "Секретариат", "заседание", "министров"],
    *["обороны", "государства", "члены", "CSTO", "Collective", "Security", "Treaty"],
    *["Organization", "Council", "meeting", "Secretary", "General", "exercise"],
    *["peacekeeping", "forces", "cooperation", "Moscow", "Minsk", "Yerevan", "Astana"],
]

# file, the text pieces we put in it, the pieces that must not come out (tracked deletions)
Corpus = list[tuple[Path, list[str], list[str]]]


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)) + f" {rng.randrange(10**6)}."


def rich_docx(rng: random.Random, paragraphs: int) -> tuple[bytes, list[str], list[str]]:
    """Header, paragraphs, a table, a list, a text box, a deletion, footnotes and a footer."""
    header, footer = sentence(rng, 4), sentence(rng, 3)
    body = [sentence(rng, rng.randint(8, 30)) for _ in range(paragraphs)]
    cells = [[sentence(rng, 3) for _ in range(3)] for _ in range(rng.randint(2, 12))]
    items = [sentence(rng, 6) for _ in range(rng.randint(2, 8))]
    notes = [sentence(rng, 10) for _ in range(rng.randint(1, 4))]
    box = sentence(rng, 5)
    deleted = sentence(rng, 6)
    refs = "".join(f'<w:r><w:footnoteReference w:id="{i + 1}"/></w:r>' for i in range(len(notes)))
    table = "<w:tbl>" + "".join(
        "<w:tr>" + "".join(f"<w:tc>{para(run(cell))}</w:tc>" for cell in row) + "</w:tr>"
        for row in cells
    ) + "</w:tbl>"  # fmt: skip
    numbered = "".join(
        para(run(item), ppr='<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>')
        for item in items
    )
    textbox = (
        "<w:r><w:pict><v:shape><v:textbox><w:txbxContent>"
        f"{para(run(box))}</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
    )
    deletion = f'<w:del><w:r><w:delText xml:space="preserve">{deleted}</w:delText></w:r></w:del>'
    xml = para(run(body[0]), refs, textbox, deletion) + table + numbered
    xml += "".join(para(run(text)) for text in body[1:])
    numbering = (
        '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    )
    footnotes = "".join(
        f'<w:footnote w:id="{i + 1}">{para(run(note))}</w:footnote>' for i, note in enumerate(notes)
    )
    parts = [
        Part("word/header1.xml", "header", "w:hdr", para(run(header)), "rIdH"),
        Part("word/footer1.xml", "footer", "w:ftr", para(run(footer)), "rIdF"),
        Part("word/numbering.xml", "numbering", "w:numbering", numbering, "rIdN"),
        Part("word/footnotes.xml", "footnotes", "w:footnotes", footnotes, "rIdFn"),
    ]
    sect_pr = (
        '<w:sectPr><w:headerReference w:type="default" r:id="rIdH"/>'
        '<w:footerReference w:type="default" r:id="rIdF"/></w:sectPr>'
    )
    expected = [header, *body, *(c for row in cells for c in row), *items, *notes, box, footer]
    return raw_docx(xml, parts=parts, sect_pr=sect_pr), expected, [deleted]


def plain_docx(rng: random.Random, paragraphs: int) -> tuple[bytes, list[str], list[str]]:
    """What python-docx writes: its full default template, a table, header and footer."""
    header, footer = sentence(rng, 4), sentence(rng, 3)
    body = [sentence(rng, rng.randint(8, 30)) for _ in range(paragraphs)]
    cells = [[sentence(rng, 3) for _ in range(4)] for _ in range(rng.randint(2, 10))]
    data = make_docx(body, table=cells, header=header, footer=footer)
    return data, [header, *body, *(c for row in cells for c in row), footer], []


def build_corpus(directory: Path, docx_count: int, pdf_count: int) -> tuple[Corpus, Corpus]:
    rng = random.Random(20240501)
    sizes = [5, 20, 80, 300, 1000]  # paragraphs: a memo up to a long report
    docx_files: Corpus = []
    for index in range(docx_count):
        builder = rich_docx if index % 2 else plain_docx
        data, expected, forbidden = builder(rng, sizes[index % len(sizes)])
        path = directory / f"doc{index:03d}.docx"
        path.write_bytes(data)
        docx_files.append((path, expected, forbidden))
    pdf_files: Corpus = []
    for index in range(pdf_count):
        lines = [sentence(rng, rng.randint(3, 8)) for _ in range(rng.choice([10, 60, 200]))]
        path = directory / f"doc{index:03d}.pdf"
        path.write_bytes(make_pdf(lines))
        pdf_files.append((path, lines, []))
    return docx_files, pdf_files


def ours(path: Path) -> str:
    return extract_text(path.read_bytes()).text


def with_docx2python(path: Path) -> str:
    with docx2python(path) as document:
        return document.text


def measure(tool: Callable[[Path], str], corpus: Corpus, runs: int) -> dict[str, float]:
    """Median corpus pass time over `runs`; shares of known pieces found and deletions leaked."""
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        for path, _expected, _forbidden in corpus:
            tool(path)
        timings.append(time.perf_counter() - start)
    found = total = leaked = deletions = 0
    for path, expected, forbidden in corpus:
        text = " ".join(tool(path).split())
        found += sum(" ".join(piece.split()) in text for piece in expected)
        total += len(expected)
        leaked += sum(" ".join(piece.split()) in text for piece in forbidden)
        deletions += len(forbidden)
    seconds = statistics.median(timings)
    size = sum(path.stat().st_size for path, _, _ in corpus)
    return {
        "files/s": len(corpus) / seconds,
        "MB/s": size / seconds / 1e6,
        "coverage": found / total,
        "leaked": leaked / deletions if deletions else 0.0,
        "seconds": seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docx", type=int, default=200)
    parser.add_argument("--pdf", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--write-docs", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        docx_files, pdf_files = build_corpus(Path(directory), args.docx, args.pdf)
        rows = [
            ("extract_text", "docx", measure(ours, docx_files, args.runs)),
            ("docx2python", "docx", measure(with_docx2python, docx_files, args.runs)),
            ("extract_text", "pdf", measure(ours, pdf_files, args.runs)),
        ]
        sizes = {kind: sum(p.stat().st_size for p, _, _ in files) for kind, files in
                 (("docx", docx_files), ("pdf", pdf_files))}  # fmt: skip
    versions = ", ".join(
        f"{name} {version(name)}" for name in ("python-docx", "pypdf", "docx2python")
    )
    lines = [
        f"Command: `python -m bench.extract_bench --runs {args.runs}` (median of {args.runs} "
        f"passes over {len(docx_files)} .docx, {sizes['docx'] / 1e6:.1f} MB, "
        f"and {len(pdf_files)} .pdf, {sizes['pdf'] / 1e6:.1f} MB).",
        "",
        f"Machine: {machine()}; {versions}.",
        "",
        "| tool         | kind | files/s | MB/s | coverage | deleted text leaked |",
        "|--------------|------|--------:|-----:|---------:|--------------------:|",
    ]
    for tool, kind, result in rows:
        leaked = f"{result['leaked']:.1%}" if kind == "docx" else "—"
        lines.append(
            f"| {tool:<13}| {kind:<5}| {result['files/s']:7.1f} | {result['MB/s']:4.2f} "
            f"| {result['coverage']:8.1%} | {leaked:>19} |"
        )
    speedup = rows[0][2]["files/s"] / rows[1][2]["files/s"]
    lines += ["", f"extract_text is {speedup:.1f}x as fast as docx2python on these .docx files."]
    summary = "\n".join(lines)
    publish("extract", summary, write_docs=args.write_docs)


if __name__ == "__main__":
    main()
