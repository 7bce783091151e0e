"""Decide a download's media type from its bytes: servers mislabel files and serve error pages."""

from __future__ import annotations

import io
import zipfile

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
MSWORD = "application/msword"
HTML = "text/html"
ZIP = "application/zip"
OCTET_STREAM = "application/octet-stream"

_OLE2_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
_UTF8_BOM = b"\xef\xbb\xbf"
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<title", b"<!--")
# Word's main part name, as a stored zip member name (readable even in a cut-off file).
_WORD_MEMBER = b"word/document.xml"
_WORD_CONTENT_TYPE = b"wordprocessingml.document.main+xml"


def sniff_media_type(data: bytes) -> str:
    """The media type the bytes really are, whatever the URL or Content-Type said."""
    if data.startswith(b"PK\x03\x04"):
        return DOCX if _is_word_zip(data) else ZIP
    if b"%PDF-" in data[:1024]:
        return PDF
    if data.startswith(_OLE2_MAGIC):
        return MSWORD
    if _looks_like_html(data[:1024]):
        return HTML
    return OCTET_STREAM


def _is_word_zip(data: bytes) -> bool:
    """A zip whose main part is a Word document; a cut-off zip is judged by its member names."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
            if "word/document.xml" in names:
                return True
            if "[Content_Types].xml" not in names:
                return False
            with package.open("[Content_Types].xml") as types:
                return _WORD_CONTENT_TYPE in types.read(2**20)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        # No central directory (truncated download): local headers still name the members.
        return _WORD_MEMBER in data


def _looks_like_html(head: bytes) -> bool:
    head = head.removeprefix(_UTF8_BOM).lstrip().lower()
    if head.startswith(b"<?xml"):
        return b"<html" in head
    return head.startswith(_HTML_STARTS)
