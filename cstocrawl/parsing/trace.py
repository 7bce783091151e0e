"""Which signal decided each part of a parse: a record the parsers append to only when given one.

`parse_detail(..., trace=[])` fills the list; `scrapy parse --trace` prints it. Without a list
the parsers skip every note (`if trace is not None`), so a crawl pays nothing for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from lxml import etree

Part = Literal["title", "date", "block", "edges"]


@dataclass(frozen=True)
class Decision:
    """One part of the article and the signal that decided it (named as in docs/extraction.md)."""

    part: Part
    signal: str
    detail: str = ""  # what the signal saw: a line, its features, a block

    def __str__(self) -> str:
        return f"{self.part:5}  {self.signal}" + (f": {self.detail}" if self.detail else "")


Trace = list[Decision]


def described(element: etree._Element) -> str:
    """A block as a reader finds it in the page's source: its tag, class and id."""
    hints = [f'{name}="{element.get(name)}"' for name in ("class", "id") if element.get(name)]
    return "<" + " ".join([str(element.tag), *hints]) + ">"
