"""The outcome of extracting one file."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Extraction:
    """Text of one file; `error` is a one-line reason when `text` could not be had."""

    media_type: str
    text: str
    error: str | None
    supported: bool
    # False when the bytes could not be read as their type (broken, a bomb, an error page); a
    # readable file may still have no text (a scanned PDF), with `error` saying so.
    readable: bool = True
    # True when the text was cut at the caller's character cap (`error` then says so).
    truncated: bool = False


class ExtractionError(Exception):
    """A file of a supported type that cannot be read; the message is the one-line reason."""
