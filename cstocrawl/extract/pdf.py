"""Text layer of a PDF, with pypdf. Scans have none: we report that and do no OCR."""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Generator

from pypdf import PdfReader

from cstocrawl.extract.result import ExtractionError

logger = logging.getLogger(__name__)


def pdf_lines(data: bytes) -> Generator[str, None, None]:
    """Every page's lines, whitespace-collapsed, page by page (none for a scan), so a caller that
    has enough text stops before the remaining pages are read."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise ExtractionError("encrypted PDF")
            for page in reader.pages:
                yield from _clean_lines(page.extract_text() or "")
        except (ExtractionError, MemoryError):
            raise
        except Exception as error:  # pypdf signals damage with many types
            raise ExtractionError(f"broken PDF: {type(error).__name__}: {error}") from error
        finally:
            for warning in caught:
                logger.debug("pypdf: %s", warning.message)


def _clean_lines(text: str) -> list[str]:
    return [line for line in (" ".join(raw.split()) for raw in text.splitlines()) if line]
