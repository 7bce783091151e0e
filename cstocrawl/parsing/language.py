"""The language of an article's text against the run's: English pages recorded as `lang: ru` (a
mirror of the other language, a wrong base_url) are a problem on the item.

The text decides, by its alphabet: Russian is written in Cyrillic, English in Latin letters, and
no template changes that. `<html lang>` alone does not: a CMS's English template may well keep
the Russian site's `<html lang="ru">`, and one such page a day would hold every article.
"""

from __future__ import annotations

import re

from cstocrawl.parsing.thresholds import CYRILLIC_SHARE, HEAD_CHARS, MIN_LETTERS
from cstocrawl.problems import Problem

# The first <html ...> start tag's lang attribute; xml:lang too. Read from the page's head only.
_HTML_LANG_RE = re.compile(
    r"<html\b[^>]*?\s(?:xml:)?lang\s*=\s*[\"']?\s*([A-Za-z]{2,3})(?:[-_][^\"'\s>]*)?",
    re.IGNORECASE,
)
_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
_LATIN_RE = re.compile(r"[A-Za-z]")


def declared_language(html: str) -> str | None:
    """The primary language subtag the page declares (`en-US` gives `en`), lower case."""
    match = _HTML_LANG_RE.search(html[:HEAD_CHARS])
    return match.group(1).lower() if match else None


def text_language(text: str) -> str | None:
    """`ru` or `en` by the text's alphabet, or None when it has too few letters or a mix."""
    cyrillic = len(_CYRILLIC_RE.findall(text))
    letters = cyrillic + len(_LATIN_RE.findall(text))
    if letters < MIN_LETTERS:
        return None
    share = cyrillic / letters
    if share >= CYRILLIC_SHARE["en"]:
        return "ru"
    if share < CYRILLIC_SHARE["ru"]:
        return "en"
    return None


def language_problem(html: str, text: str, lang: str) -> str | None:
    """`language_mismatch: <detail>` when the article's text is in another language than the
    run's; what the page declares is named beside it, never judged alone."""
    written = text_language(text)
    if written is None or written == lang:
        return None
    declared = declared_language(html)
    said = f", the page declares <html lang={declared!r}>" if declared else ""
    detail = f"the text is in {written!r}{said}, the run is lang={lang}"
    return Problem.LANGUAGE_MISMATCH.text(detail)
