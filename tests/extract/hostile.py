"""Attachments that are small on disk and costly to read, as found by the hostile campaign (issue 13).

`shared_stream_pdf`: pages that all draw one large content stream (the 166 KB PDF of 1,000 pages
and 1.9 M tokens took about 25 s a page in pypdf). `one_letter_runs_docx`: a .docx whose
document part inflates to many one-letter runs (614 KB that inflated to 190 MB took 3.26 GB).
Both are valid files, within the download and zip caps; only reading them is expensive.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from tests.documents import FIXED_ZIP_TIME, docx_paragraphs


def shared_stream_pdf(pages: int, tokens: int) -> bytes:
    """`pages` pages whose /Contents is one Flate stream of about `tokens` text operators."""
    text = b"BT /F1 12 Tf 72 700 Td " + b"(a) Tj " * (tokens // 2) + b"ET"
    stream = zlib.compress(text, 9)
    first_page = 5
    kids = " ".join(f"{first_page + index} 0 R" for index in range(pages))
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        4: b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
        + stream
        + b"\nendstream",
    }
    for index in range(pages):
        objects[first_page + index] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
        )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for number in sorted(objects):
        out += b"%010d 00000 n \n" % offsets[number]
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def one_letter_runs_docx(inflated: int) -> bytes:
    """A valid .docx whose body is one paragraph of one-letter runs, `inflated` bytes of XML."""
    base = docx_paragraphs(["PLACEHOLDER"])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            if info.filename != "word/document.xml":
                dst.writestr(member, src.read(info))
                continue
            head, _, tail = src.read(info).partition(b"<w:p>")
            _, _, tail = tail.partition(b"</w:p>")
            run = b"<w:r><w:t>a</w:t></w:r>"
            with dst.open(member, "w") as document:
                document.write(head + b"<w:p>")
                chunk = run * (2**20 // len(run))
                for _ in range(max(inflated // len(chunk), 1)):
                    document.write(chunk)
                document.write(b"</w:p>" + tail)
    return out.getvalue()
