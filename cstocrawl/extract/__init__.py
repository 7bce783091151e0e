"""Text of downloaded attachments (.docx, .pdf), decided by the bytes and never raising.

`extract_text()` is what the files pipeline stores per attachment: every failure becomes an
empty text plus a one-line reason, so one bad file never stops a crawl.
"""

from __future__ import annotations

from cstocrawl.extract.pdf import pdf_text
from cstocrawl.extract.result import Extraction, ExtractionError
from cstocrawl.extract.sniff import DOCX, HTML, PDF, sniff_media_type
from cstocrawl.extract.word import docx_text

__all__ = ["Extraction", "ExtractionError", "extract_text", "sniff_media_type"]

DEFAULT_MAX_UNCOMPRESSED = 200 * 2**20
DEFAULT_MAX_MEMBERS = 2000
NO_TEXT_LAYER = "no text layer (scanned PDF?)"


def extract_text(
    data: bytes,
    *,
    max_uncompressed: int = DEFAULT_MAX_UNCOMPRESSED,
    max_members: int = DEFAULT_MAX_MEMBERS,
) -> Extraction:
    """Sniff the type and extract the text; caps bound the memory a crafted zip can take."""
    media_type = sniff_media_type(data)
    if not data:
        return Extraction(media_type, "", "empty file", supported=False)
    if media_type == HTML:
        return Extraction(media_type, "", "HTML page instead of a document", True, readable=False)
    if media_type not in (DOCX, PDF):
        return Extraction(media_type, "", f"unsupported media type {media_type}", supported=False)
    try:
        if media_type == DOCX:
            text = docx_text(data, max_uncompressed=max_uncompressed, max_members=max_members)
        else:
            text = pdf_text(data)
    except ExtractionError as error:
        return Extraction(media_type, "", _one_line(str(error)), True, readable=False)
    except Exception as error:  # a crafted file must not crash the crawl
        reason = f"unexpected {type(error).__name__}: {error}"
        return Extraction(media_type, "", _one_line(reason), True, readable=False)
    if not text and media_type == PDF:
        return Extraction(media_type, "", NO_TEXT_LAYER, supported=True)
    return Extraction(media_type, text, None, supported=True)


def _one_line(reason: str) -> str:
    return " ".join(reason.split()) or "unknown error"
