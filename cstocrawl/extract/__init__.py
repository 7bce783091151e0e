"""Text of downloaded attachments (.docx, .pdf), decided by the bytes and never raising.

`extract_text()` is what the files pipeline stores per attachment: every failure becomes an
empty text plus a one-line reason, so one bad file never stops a crawl.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator

import docx
import lxml
import pypdf

from cstocrawl.extract.pdf import pdf_lines
from cstocrawl.extract.result import Extraction, ExtractionError
from cstocrawl.extract.sniff import DOCX, HTML, PDF, sniff_media_type
from cstocrawl.extract.word import docx_lines

__all__ = ["EXTRACTOR_VERSION", "Extraction", "ExtractionError", "extract_text", "sniff_media_type"]

# Names the code that produced a text: a file that failed (too slow, too big) is not read again
# until this changes. Bump the first number when extraction changes in this package.
EXTRACTOR_VERSION = (
    f"cstocrawl.extract 2; pypdf {pypdf.__version__}; python-docx {docx.__version__}; "
    f"lxml {lxml.__version__}"  # type: ignore[attr-defined]  # lxml-stubs 0.5.1 lacks it
)
DEFAULT_MAX_UNCOMPRESSED = 200 * 2**20
DEFAULT_MAX_MEMBERS = 2000
NO_TEXT_LAYER = "no text layer (scanned PDF?)"


def extract_text(
    data: bytes,
    *,
    max_uncompressed: int = DEFAULT_MAX_UNCOMPRESSED,
    max_members: int = DEFAULT_MAX_MEMBERS,
    max_chars: int | None = None,
) -> Extraction:
    """Sniff the type and extract the text; caps bound the memory a crafted zip can take, and
    `max_chars` the text kept (reading stops there; `truncated` and `error` say so).

    MemoryError is not caught: the worker running this reports it as the memory limit it is.
    """
    media_type = sniff_media_type(data)
    if not data:
        return Extraction(media_type, "", "empty file", supported=False)
    if media_type == HTML:
        return Extraction(media_type, "", "HTML page instead of a document", True, readable=False)
    if media_type not in (DOCX, PDF):
        return Extraction(media_type, "", f"unsupported media type {media_type}", supported=False)
    try:
        if media_type == DOCX:
            lines = docx_lines(data, max_uncompressed=max_uncompressed, max_members=max_members)
        else:
            lines = pdf_lines(data)
        text, truncated = _join_capped(lines, max_chars)
    except MemoryError:
        raise
    except ExtractionError as error:
        return Extraction(media_type, "", _one_line(str(error)), True, readable=False)
    except Exception as error:  # a crafted file must not crash the crawl
        reason = f"unexpected {type(error).__name__}: {error}"
        return Extraction(media_type, "", _one_line(reason), True, readable=False)
    if not text and media_type == PDF:
        return Extraction(media_type, "", NO_TEXT_LAYER, supported=True)
    if truncated:
        note = f"text cut at {max_chars} characters (CSTOCRAWL_ATTACHMENT_MAX_CHARS)"
        return Extraction(media_type, text, note, supported=True, truncated=True)
    return Extraction(media_type, text, None, supported=True)


def _join_capped(lines: Iterator[str], max_chars: int | None) -> tuple[str, bool]:
    """Lines joined by "\\n", at most `max_chars` characters; lines past the cap are never read."""
    kept: list[str] = []
    size = 0
    try:
        for line in lines:
            kept.append(line)
            size += len(line) + (len(kept) > 1)
            if max_chars is not None and size > max_chars:
                return "\n".join(kept)[:max_chars], True
    finally:
        if isinstance(lines, Generator):
            lines.close()  # leaves the PDF reader's warnings context now, not at collection
    return "\n".join(kept), False


def _one_line(reason: str) -> str:
    return " ".join(reason.split()) or "unknown error"
