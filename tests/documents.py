"""Real document bytes for tests and benchmarks, reproducible byte for byte.

The replica site serves these files and the crawler de-duplicates them by SHA-256, so every
builder returns identical bytes for identical input (fixed zip timestamps, no clocks).
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import docx

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def reproducible_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps and attributes so equal content gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        _copy_members(data, dst)
    return out.getvalue()


def _copy_members(data: bytes, dst: zipfile.ZipFile) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        for info in src.infolist():
            dst.writestr(_fixed_info(info.filename), src.read(info))


def _fixed_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def make_docx(
    paragraphs: list[str],
    *,
    table: list[list[str]] | None = None,
    header: str | None = None,
    footer: str | None = None,
) -> bytes:
    """A .docx made by python-docx; the table (if any) follows the first paragraph."""
    document = docx.Document()
    if table is not None and not paragraphs:
        _add_table(document, table)
    for index, text in enumerate(paragraphs):
        document.add_paragraph(text)
        if index == 0 and table is not None:
            _add_table(document, table)
    section = document.sections[0]
    if header is not None:
        section.header.paragraphs[0].text = header
    if footer is not None:
        section.footer.paragraphs[0].text = footer
    buffer = io.BytesIO()
    document.save(buffer)
    return reproducible_zip(buffer.getvalue())


def _add_table(document: docx.document.Document, rows: list[list[str]]) -> None:
    width = max((len(row) for row in rows), default=1)
    table = document.add_table(rows=len(rows), cols=width)
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=False):
            cell.text = value


# --- PDF ------------------------------------------------------------------------------------

PDF_LINES_PER_PAGE = 50


def make_pdf(lines: list[str], *, text_layer: bool = True) -> bytes:
    """A minimal valid PDF written by hand: Helvetica, one text line per item.

    Non-ASCII characters get codes 128..255 through a /Differences encoding plus a ToUnicode
    CMap, so Cyrillic text round-trips through text extraction (viewers may not draw it).
    Without a text layer (or with no lines) the page holds only a drawn rectangle, like a scan.
    """
    codes = _pdf_codes(lines)
    pages = [lines[i : i + PDF_LINES_PER_PAGE] for i in range(0, len(lines), PDF_LINES_PER_PAGE)]
    if not text_layer or not pages:
        pages = [[]]
    font_id = 3
    first_page_id = 4 if not codes else 5
    objects: dict[int, bytes] = {}
    kids = []
    for index, page_lines in enumerate(pages):
        page_id = first_page_id + 2 * index
        kids.append(f"{page_id} 0 R")
        content = _pdf_content(page_lines, codes) if text_layer else _PDF_RECTANGLE
        objects[page_id] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> /Contents {page_id + 1} 0 R >>"
        ).encode()
        objects[page_id + 1] = _pdf_stream(content)
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[2] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>".encode()
    objects[font_id] = _pdf_font(codes)
    if codes:
        objects[4] = _pdf_stream(_pdf_to_unicode(codes))
    return _pdf_file(objects)


_PDF_RECTANGLE = b"0.5 g 72 400 468 300 re f"


def _pdf_codes(lines: list[str]) -> dict[str, int]:
    """One-byte codes for the non-ASCII characters used, in order of first appearance."""
    codes: dict[str, int] = {}
    for char in "".join(lines):
        if not 32 <= ord(char) < 127 and char not in codes:
            codes[char] = 128 + len(codes)
    if len(codes) > 128:
        raise ValueError("make_pdf supports at most 128 distinct non-ASCII characters")
    return codes


def _pdf_string(text: str, codes: dict[str, int]) -> bytes:
    raw = bytes(codes.get(char, ord(char)) for char in text)
    out = bytearray(b"(")
    for byte in raw:
        if byte in b"()\\":
            out += b"\\" + bytes([byte])
        elif byte >= 127:
            out += f"\\{byte:03o}".encode()
        else:
            out.append(byte)
    return bytes(out + b")")


def _pdf_content(lines: list[str], codes: dict[str, int]) -> bytes:
    parts = [b"BT /F1 12 Tf 14 TL 72 740 Td"]
    for index, line in enumerate(lines):
        parts.append((b"" if index == 0 else b"T* ") + _pdf_string(line, codes) + b" Tj")
    parts.append(b"ET")
    return b"\n".join(parts)


def _pdf_font(codes: dict[str, int]) -> bytes:
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
    if not codes:
        return font + b"/Encoding /WinAnsiEncoding >>"
    names = " ".join(f"/uni{ord(char):04X}" for char in codes)
    return font + f"/Encoding << /Differences [128 {names}] >> /ToUnicode 4 0 R >>".encode()


def _pdf_to_unicode(codes: dict[str, int]) -> bytes:
    entries = [(code, chr(code)) for code in range(32, 127)] + [(c, ch) for ch, c in codes.items()]
    rows = [f"<{code:02X}> <{char.encode('utf-16-be').hex().upper()}>" for code, char in entries]
    # bfchar blocks hold at most 100 entries each.
    blocks = []
    for start in range(0, len(rows), 100):
        chunk = rows[start : start + 100]
        blocks.append(f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar")
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"
        + "\n".join(blocks)
        + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
    ).encode()


def _pdf_stream(content: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"


def _pdf_file(objects: dict[int, bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number]
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


# --- Hand-made .docx packages for features python-docx cannot write -------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_TYPE = R_NS  # relationship types are R_NS + "/" + kind
STRICT_URIS = {
    W_NS: "http://purl.oclc.org/ooxml/wordprocessingml/main",
    R_NS: "http://purl.oclc.org/ooxml/officeDocument/relationships",
}
_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_ROOT_NS = (
    f'xmlns:w="{W_NS}" xmlns:r="{R_NS}" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml" mc:Ignorable="wps"'
)
_QUOTE = {'"': "&quot;"}
_XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


@dataclass(frozen=True)
class Part:
    """A part of a hand-made package, linked from the main document by `rel_id`."""

    name: str  # e.g. "word/footnotes.xml"
    kind: str  # relationship type suffix and content type stem, e.g. "footnotes"
    root: str  # root element, e.g. "w:footnotes"
    inner: str  # XML inside the root element
    rel_id: str


def run(text: str) -> str:
    """A run with text; a leading/trailing space is kept by xml:space."""
    return f'<w:r><w:t xml:space="preserve">{xml_escape(text)}</w:t></w:r>'


def para(*content: str, ppr: str = "") -> str:
    """A paragraph from raw run-level XML (use `run()` for plain text)."""
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{''.join(content)}</w:p>"


def raw_docx(
    body: str,
    *,
    parts: Sequence[Part] = (),
    sect_pr: str = "",
    dangling_image: bool = False,
    strict: bool = False,
) -> bytes:
    """A minimal .docx written by hand: `body` is the XML inside w:body.

    `dangling_image` adds a relationship to a media part that is not in the package (python-docx
    refuses such files); `strict` writes ISO 29500 Strict namespace URIs.
    """
    rels = [_rel(p.rel_id, p.kind, p.name.removeprefix("word/")) for p in parts]
    if dangling_image:
        rels.append(_rel("rIdImg", "image", "media/image1.png"))
    overrides = "".join(
        f'<Override PartName="/{p.name}" ContentType="{_CT}.{p.kind}+xml"/>' for p in parts
    )
    members = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Default Extension="png" ContentType="image/png"/>'
            f'<Override PartName="/word/document.xml" ContentType="{_CT}.document.main+xml"/>'
            f"{overrides}</Types>"
        ),
        "_rels/.rels": _rels([_rel("rId1", "officeDocument", "word/document.xml")]),
        "word/document.xml": (
            f"<w:document {_ROOT_NS}><w:body>{body}{sect_pr or '<w:sectPr/>'}</w:body></w:document>"
        ),
        "word/_rels/document.xml.rels": _rels(rels),
    }
    for part in parts:
        members[part.name] = f"<{part.root} {_ROOT_NS}>{part.inner}</{part.root}>"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name, xml in members.items():
            if strict:
                for transitional, strict_uri in STRICT_URIS.items():
                    xml = xml.replace(transitional, strict_uri)
            package.writestr(_fixed_info(name), _XML_DECL + xml)
    return out.getvalue()


def _rel(rel_id: str, kind: str, target: str) -> str:
    return f'<Relationship Id="{rel_id}" Type="{REL_TYPE}/{kind}" Target="{target}"/>'


def _rels(relationships: list[str]) -> str:
    return (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(relationships)
        + "</Relationships>"
    )


def docx_paragraphs(paragraphs: list[str], **options: Any) -> bytes:
    """Plain paragraphs in a hand-made package (see `raw_docx` for the options)."""
    return raw_docx("".join(para(run(text)) for text in paragraphs), **options)


def make_docx_notes(body: list[str], foot: list[str], end: list[str]) -> bytes:
    """Body paragraphs; the first one references every footnote (`foot`) and endnote (`end`)."""
    refs = "".join(f'<w:r><w:footnoteReference w:id="{i + 1}"/></w:r>' for i in range(len(foot)))
    refs += "".join(f'<w:r><w:endnoteReference w:id="{i + 1}"/></w:r>' for i in range(len(end)))
    paragraphs = [para(run(text), refs if i == 0 else "") for i, text in enumerate(body)]
    parts = [
        Part("word/footnotes.xml", "footnotes", "w:footnotes", _notes("footnote", foot), "rIdF"),
        Part("word/endnotes.xml", "endnotes", "w:endnotes", _notes("endnote", end), "rIdE"),
    ]
    return raw_docx("".join(paragraphs), parts=parts)


def _notes(tag: str, texts: list[str]) -> str:
    """Notes as Word writes them: two separator notes first, then one note per text."""
    separators = (
        f'<w:{tag} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{tag}>'
        f'<w:{tag} w:type="continuationSeparator" w:id="0">'
        f"<w:p><w:r><w:continuationSeparator/></w:r></w:p></w:{tag}>"
    )
    ref = "footnoteRef" if tag == "footnote" else "endnoteRef"
    notes = "".join(
        f'<w:{tag} w:id="{i + 1}">{para(f"<w:r><w:{ref}/></w:r>", run(" " + text))}</w:{tag}>'
        for i, text in enumerate(texts)
    )
    return separators + notes


# Level formats of the numbered-list builder: (numFmt, lvlText) per level.
LIST_LEVELS = [
    ("decimal", "%1."),
    ("lowerLetter", "%2)"),
    ("lowerRoman", "%3."),
    ("bullet", "\uf0b7"),
    ("upperLetter", "%5."),
    ("upperRoman", "%6."),
]


def make_docx_numbered(items: list[tuple[int, str]], *, plain_before: str = "Intro") -> bytes:
    """A list of (level, text) items numbered through numbering.xml (see LIST_LEVELS)."""
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{xml_escape(text, _QUOTE)}"/></w:lvl>'
        for i, (fmt, text) in enumerate(LIST_LEVELS)
    )
    numbering = (
        f'<w:abstractNum w:abstractNumId="0">{levels}</w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    )
    body = para(run(plain_before)) + "".join(
        para(run(text), ppr=f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="1"/></w:numPr>')
        for level, text in items
    )
    part = Part("word/numbering.xml", "numbering", "w:numbering", numbering, "rIdN")
    return raw_docx(body, parts=[part])


def make_docx_sdt(before: str, block: str, inline: tuple[str, str], after: str) -> bytes:
    """A block content control holding a paragraph, and an inline one inside a paragraph."""
    block_sdt = f"<w:sdt><w:sdtPr/><w:sdtContent>{para(run(block))}</w:sdtContent></w:sdt>"
    inline_sdt = f"<w:sdt><w:sdtPr/><w:sdtContent>{run(inline[1])}</w:sdtContent></w:sdt>"
    body = para(run(before)) + block_sdt + para(run(inline[0]), inline_sdt) + para(run(after))
    return raw_docx(body)


def make_docx_textbox(anchor: str, box: list[str], after: str) -> bytes:
    """A text box as Word writes it: a DrawingML shape plus a VML fallback copy of its text."""
    content = "".join(para(run(text)) for text in box)
    choice = (
        '<mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData>'
        f"<wps:wsp><wps:txbx><w:txbxContent>{content}</w:txbxContent></wps:txbx></wps:wsp>"
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
    )
    fallback = (
        "<mc:Fallback><w:pict><v:shape><v:textbox>"
        f"<w:txbxContent>{content}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>"
    )
    anchor_run = f"<w:r><mc:AlternateContent>{choice}{fallback}</mc:AlternateContent></w:r>"
    return raw_docx(para(run(anchor), anchor_run) + para(run(after)))


def make_docx_tracked(kept: str, inserted: str, deleted: str, tail: str) -> bytes:
    """One paragraph with a tracked insertion and a tracked deletion, and a deleted paragraph."""
    ins = f'<w:ins w:id="1" w:author="A" w:date="2020-01-01T00:00:00Z">{run(inserted)}</w:ins>'
    deleted_run = f'<w:r><w:delText xml:space="preserve">{xml_escape(deleted)}</w:delText></w:r>'
    delete = f'<w:del w:id="2" w:author="A" w:date="2020-01-01T00:00:00Z">{deleted_run}</w:del>'
    deleted_para = para(f'<w:del w:id="3" w:author="A">{deleted_run}</w:del>')
    return raw_docx(para(run(kept), ins, delete, run(tail)) + deleted_para)


def make_docx_sections(body: tuple[str, str], header: str, footer: str, first: str) -> bytes:
    """Two sections: the same header in three parts (default in both, first page) and a footer.

    Section 1 has a default header, a first-page header and a footer; section 2 references a
    second header part with the same text and re-uses the first footer part (linked).
    """
    parts = [
        Part("word/header1.xml", "header", "w:hdr", para(run(header)), "rIdH1"),
        Part("word/header2.xml", "header", "w:hdr", para(run(first)), "rIdH2"),
        Part("word/header3.xml", "header", "w:hdr", para(run(header)), "rIdH3"),
        Part("word/footer1.xml", "footer", "w:ftr", para(run(footer)), "rIdF1"),
    ]
    sect1 = (
        '<w:sectPr><w:headerReference w:type="default" r:id="rIdH1"/>'
        '<w:headerReference w:type="first" r:id="rIdH2"/>'
        '<w:footerReference w:type="default" r:id="rIdF1"/><w:titlePg/></w:sectPr>'
    )
    sect2 = (
        '<w:sectPr><w:headerReference w:type="default" r:id="rIdH3"/>'
        '<w:footerReference w:type="default" r:id="rIdF1"/></w:sectPr>'
    )
    first_section = para(run(body[0]), ppr=sect1)
    return raw_docx(first_section + para(run(body[1])), parts=parts, sect_pr=sect2)


# --- Bad inputs --------------------------------------------------------------------------------

OLE2_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
# The first sector of a legacy .doc/.xls: magic, then a header we never read.
LEGACY_DOC = OLE2_MAGIC + bytes(504)
HTML_PAGE = (
    "\ufeff\n  <!DOCTYPE html>\n<html><head><title>404 Страница не найдена</title></head>"
    "<body><h1>Not found</h1></body></html>\n"
).encode()


def truncated(data: bytes, keep: float = 0.5) -> bytes:
    """The first part of a file, as a download cut short leaves it."""
    return data[: int(len(data) * keep)]


def zip_with_zeros(size: int, *, paragraphs: Sequence[str] = ("Bomb",)) -> bytes:
    """A valid .docx plus a member of `size` zero bytes (compresses about 1000:1)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        _copy_members(docx_paragraphs(list(paragraphs)), dst)
        with dst.open(_fixed_info("word/media/zeros.bin"), "w") as member:
            chunk = bytes(2**20)
            for start in range(0, size, len(chunk)):
                member.write(chunk[: size - start])
    return out.getvalue()


def lie_about_size(data: bytes, member: str, declared: int) -> bytes:
    """Rewrite the uncompressed size that a zip declares for `member`, local and central.

    With a huge `declared` this makes a declared-size zip bomb from a small file; with a small
    one it makes a member whose real content is larger than its headers say.
    """
    patched = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        info = package.getinfo(member)
        central = package.start_dir
    if info.file_size >= 0xFFFFFFFF or declared >= 0xFFFFFFFF:
        raise ValueError("lie_about_size handles 32-bit sizes only")
    size = declared.to_bytes(4, "little")
    patched[info.header_offset + 22 : info.header_offset + 26] = size  # local header
    while data[central + 46 : central + 46 + len(info.orig_filename.encode())] != member.encode():
        name_len, extra_len, comment_len = struct.unpack("<3H", data[central + 28 : central + 34])
        central += 46 + name_len + extra_len + comment_len
    patched[central + 24 : central + 28] = size  # central directory entry
    return bytes(patched)


def many_members(count: int) -> bytes:
    """A .docx padded with `count` extra empty members."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        _copy_members(docx_paragraphs(["Many"]), dst)
        for index in range(count):
            dst.writestr(_fixed_info(f"customXml/pad{index}.xml"), b"")
    return out.getvalue()


def replace_member(data: bytes, name: str, content: bytes) -> bytes:
    """The same zip with one member's content replaced (or added)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename != name:
                dst.writestr(_fixed_info(info.filename), src.read(info))
        dst.writestr(_fixed_info(name), content)
    return out.getvalue()


def with_doctype(data: bytes, doctype: str, text_suffix: str) -> bytes:
    """word/document.xml with a DOCTYPE declaring entities and `text_suffix` after its text.

    For the XML-safety tests: external entities (XXE) and nested ones (billion laughs).
    """
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        xml = package.read("word/document.xml").decode()
    head, _, rest = xml.partition("<w:document")
    xml = f"{head}{doctype}\n<w:document{rest}".replace("</w:t>", f"{text_suffix}</w:t>", 1)
    return replace_member(data, "word/document.xml", xml.encode())


def strict_version(data: bytes) -> bytes:
    """The same package rewritten with ISO 29500 Strict namespace URIs in every part."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info)
            for transitional, strict_uri in STRICT_URIS.items():
                content = content.replace(transitional.encode(), strict_uri.encode())
            dst.writestr(_fixed_info(info.filename), content)
    return out.getvalue()
