"""Text normalisation shared by the cleaning pipeline: what the site's CMS leaves in its text."""

from __future__ import annotations

import re

# Soft hyphen and zero-width characters: invisible, but they break search and equality.
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")
# Stray tag fragments standing alone as a word: "said: p>", "</p>", "br>". Opening at the start or
# after a space, `(?<!\S)`: one test a character, half the time of `(?:(?<=\s)|^)`'s alternation.
_TAG_FRAGMENT_RE = re.compile(
    r"(?<!\S)<?/?(?:p|br|div|span|b|i|strong|em|u)\s*/?>(?=\s|$)", re.I
)
_IMAGE_NAME_RE = re.compile(r"^[^\n/\\]{1,200}\.(?:jpe?g|png|gif|webp|bmp|tiff?)$", re.IGNORECASE)


def clean_line(text: str) -> str:
    """One paragraph: visible characters only, single spaces, no stray tag fragments."""
    if not text.isascii() and any(char in text for char in _INVISIBLE):  # most lines: neither
        text = _INVISIBLE_RE.sub("", text)
    text = " ".join(text.split())  # str.split() also splits on NBSP and the other Unicode spaces
    if ">" not in text:  # every tag fragment ends with one: most lines skip the costly search
        return text
    text = _TAG_FRAGMENT_RE.sub(" ", text)
    return " ".join(text.split())


def is_image_file_name(text: str) -> bool:
    """A paragraph that is only an image's file name, a caption the CMS leaks into the body."""
    return bool(_IMAGE_NAME_RE.match(text.strip()))


def clean_paragraphs(paragraphs: list[str]) -> list[str]:
    cleaned = (clean_line(p) for p in paragraphs)
    return [p for p in cleaned if p and not is_image_file_name(p)]


# A counter the template prints beside an article: "Views: 871", "Просмотров: 1 204", "871".
_COUNTER_RE = re.compile(r"^\W*(?:[^\W\d_]+(?:\s+[^\W\d_]+)?\s*:\s*)?\d[\d\s.,]*\W*$")


def is_counter(text: str) -> bool:
    """A label and a number, or a number alone: page furniture, never an article's words."""
    return bool(_COUNTER_RE.match(text.strip()))
