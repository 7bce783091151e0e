"""Where the files store (`<output dir>/files/`) keeps an attachment: by URL for Scrapy's
FilesPipeline, by SHA-256 of its bytes for the rest. Shared by the attachments pipeline and WARC
capture (which records a stored file's path instead of its bytes), so neither reads the other."""

from __future__ import annotations

import hashlib

from cstocrawl.extract.sniff import DOCX, MSWORD, PDF, ZIP

# The request meta key holding the canonical attachment URL a file request was made for (the
# request's own URL may be a mirror's or a redirect's).
URL_META = "cstocrawl_attachment_url"
# The suffix of a stored file, decided by its bytes, never by the URL or the name on the page.
SUFFIX_BY_MEDIA_TYPE = {DOCX: ".docx", PDF: ".pdf", MSWORD: ".doc", ZIP: ".zip"}
UNKNOWN_SUFFIX = ".bin"


def by_url_path(url: str) -> str:
    """Where FilesPipeline stores (and finds again) the download of a canonical URL."""
    return f"by-url/{hashlib.sha1(url.encode()).hexdigest()}"


def sha256_path(sha256: str, media_type: str) -> str:
    """Where the bytes with this SHA-256 are kept once, whichever URLs reached them."""
    suffix = SUFFIX_BY_MEDIA_TYPE.get(media_type, UNKNOWN_SUFFIX)
    return f"by-sha256/{sha256[:2]}/{sha256}{suffix}"


def text_path(sha256: str) -> str:
    """Where the text extracted from a stored file is kept, beside it."""
    return f"by-sha256/{sha256[:2]}/{sha256}.text.json"


def failure_path(sha256: str) -> str:
    """Where an extraction that overran a limit is remembered, beside the stored file."""
    return f"by-sha256/{sha256[:2]}/{sha256}.failed.json"
