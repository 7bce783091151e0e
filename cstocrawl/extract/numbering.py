"""List labels ("1.", "a)", "•") computed from numbering.xml as Word shows them to a reader."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from cstocrawl.extract.ooxml import w, w_val

BULLET = "•"
_PLACEHOLDER = re.compile(r"%([1-9])")
_ROMAN = [
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
]  # fmt: skip
# Word's Cyrillic list letters skip ё, й, ъ, ы and ь.
_RUSSIAN = "абвгдежзиклмнопрстуфхцчшщэюя"


@dataclass(frozen=True)
class Level:
    start: int
    fmt: str
    text: str


_DECIMAL = Level(1, "decimal", "")
# numId -> level index -> Level
Definitions = dict[str, dict[int, Level]]
# paragraph styleId -> (numId, ilvl) from w:numPr in the style or a style it is based on
StyleLists = dict[str, tuple[str | None, int | None]]


def read_definitions(numbering: etree._Element | None) -> Definitions:
    """The levels of each w:num: its abstractNum's levels with the num's overrides applied."""
    if numbering is None:
        return {}
    abstracts = {
        element.get(w("abstractNumId")): _levels(element)
        for element in numbering.iterfind(w("abstractNum"))
    }
    definitions: Definitions = {}
    for num in numbering.iterfind(w("num")):
        levels = dict(abstracts.get(w_val(num, "w:abstractNumId"), {}))
        for override in num.iterfind(w("lvlOverride")):
            index = int(override.get(w("ilvl"), "0"))
            lvl = override.find(w("lvl"))
            if lvl is not None:
                levels[index] = _level(lvl)
            start = w_val(override, "w:startOverride")
            if start is not None and index in levels:
                levels[index] = Level(int(start), levels[index].fmt, levels[index].text)
        if (num_id := num.get(w("numId"))) is not None:  # no id: no paragraph can name it
            definitions[num_id] = levels
    return definitions


def _levels(abstract: etree._Element) -> dict[int, Level]:
    return {int(lvl.get(w("ilvl"), "0")): _level(lvl) for lvl in abstract.iterfind(w("lvl"))}


def _level(lvl: etree._Element) -> Level:
    return Level(
        start=int(w_val(lvl, "w:start") or 0),
        fmt=w_val(lvl, "w:numFmt") or "decimal",
        text=w_val(lvl, "w:lvlText") or "",
    )


def read_style_lists(styles: etree._Element | None) -> StyleLists:
    """List membership that paragraphs inherit from their style (e.g. "List Number")."""
    if styles is None:
        return {}
    own: dict[str, tuple[str | None, int | None]] = {}
    based_on: dict[str, str] = {}
    for style in styles.iterfind(w("style")):
        style_id = style.get(w("styleId"))
        if style_id is None:  # no id: no paragraph or style can name it
            continue
        numpr = style.find(f"{w('pPr')}/{w('numPr')}")
        if numpr is not None:
            ilvl = w_val(numpr, "w:ilvl")
            own[style_id] = (w_val(numpr, "w:numId"), None if ilvl is None else int(ilvl))
        parent = w_val(style, "w:basedOn")
        if parent:
            based_on[style_id] = parent
    resolved: StyleLists = {}
    for style_id in {*own, *based_on}:
        current: str | None = style_id
        for _ in range(20):  # basedOn chains are short; a cycle must not hang us
            if current is None or current in own:
                break
            current = based_on.get(current)
        if current in own:
            resolved[style_id] = own[current]
    return resolved


class ListCounter:
    """Counts list items of one story (body, a header, the notes) and renders their labels."""

    def __init__(self, definitions: Definitions, style_lists: StyleLists) -> None:
        self._definitions = definitions
        self._style_lists = style_lists
        self._counters: dict[str, dict[int, int]] = {}

    def label(self, ppr: etree._Element | None) -> str:
        """The label of the paragraph with these properties, "" when it is not a list item."""
        if ppr is None:
            return ""
        style_num, style_lvl = self._style_lists.get(w_val(ppr, "w:pStyle") or "", (None, None))
        num_id = w_val(ppr, "w:numPr/w:numId") or style_num or ""
        levels = self._definitions.get(num_id)
        if not levels or num_id == "0":
            return ""
        ilvl = w_val(ppr, "w:numPr/w:ilvl")
        index = int(ilvl) if ilvl is not None else style_lvl or 0
        level = levels.get(index)
        if level is None:
            return ""
        counters = self._counters.setdefault(num_id, {})
        counters[index] = counters[index] + 1 if index in counters else level.start
        for deeper in [key for key in counters if key > index]:
            del counters[deeper]
        if level.fmt == "bullet":
            return BULLET
        if level.fmt == "none":
            return ""

        def number(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            referenced = levels.get(index, _DECIMAL)
            value = counters.get(index, referenced.start)
            return format_number(value, referenced.fmt)

        return _PLACEHOLDER.sub(number, level.text).strip()


def format_number(value: int, fmt: str) -> str:
    """A counter in one of Word's number formats; unknown formats fall back to decimal."""
    if fmt in ("lowerLetter", "upperLetter"):
        text = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1) if value > 0 else ""
        return text.upper() if fmt == "upperLetter" else text
    if fmt in ("lowerRoman", "upperRoman"):
        text = _roman(value)
        return text.upper() if fmt == "upperRoman" else text
    if fmt in ("russianLower", "russianUpper") and value > 0:
        letter = _RUSSIAN[(value - 1) % len(_RUSSIAN)] * ((value - 1) // len(_RUSSIAN) + 1)
        return letter.upper() if fmt == "russianUpper" else letter
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


def _roman(value: int) -> str:
    out = []
    for amount, symbol in _ROMAN:
        count, value = divmod(value, amount)
        out.append(symbol * count)
    return "".join(out)
