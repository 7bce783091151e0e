"""The language a page declares (`<html lang>`), against the run's: English pages recorded as
`lang: ru` (a mirror of the other language, a wrong base_url) are a problem on the item."""

from __future__ import annotations

import re

# The first <html ...> start tag's lang attribute; xml:lang too. Read from the page's head only.
_HTML_LANG_RE = re.compile(
    r"<html\b[^>]*?\s(?:xml:)?lang\s*=\s*[\"']?\s*([A-Za-z]{2,3})(?:[-_][^\"'\s>]*)?",
    re.IGNORECASE,
)
HEAD_CHARS = 4096


def declared_language(html: str) -> str | None:
    """The primary language subtag the page declares (`en-US` gives `en`), lower case."""
    match = _HTML_LANG_RE.search(html[:HEAD_CHARS])
    return match.group(1).lower() if match else None


def language_problem(html: str, lang: str) -> str | None:
    """`language_mismatch: <detail>` when the page declares another language than the run's; a
    page that declares none is not judged."""
    declared = declared_language(html)
    if declared is None or declared == lang:
        return None
    return f"language_mismatch: the page declares <html lang={declared!r}>, the run is lang={lang}"
