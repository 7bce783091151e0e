"""Publication dates in the forms the site prints them, English and Russian."""

from __future__ import annotations

import re
from datetime import date

from cstocrawl.parsing.thresholds import PLACE_WORDS

_EN_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
# Russian months in the nominative and the genitive ("10 июня 2022 года").
_RU_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("январь", "января"),
            ("февраль", "февраля"),
            ("март", "марта"),
            ("апрель", "апреля"),
            ("май", "мая"),
            ("июнь", "июня"),
            ("июль", "июля"),
            ("август", "августа"),
            ("сентябрь", "сентября"),
            ("октябрь", "октября"),
            ("ноябрь", "ноября"),
            ("декабрь", "декабря"),
        ],
        start=1,
    )
    for name in names
}
MONTHS = {**_EN_MONTHS, **_RU_MONTHS}
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))

# The site's own date, dd.mm.yyyy; may be glued to the next word ("09.06.2018On June 9").
DOTTED_DATE = r"(?<!\d)(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?!\d)"
_DOTTED_RE = re.compile(DOTTED_DATE)
_SLASHED_RE = re.compile(
    r"(?<!\d)(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
)
_ISO_RE = re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)")
_DAY_MONTH_RE = re.compile(
    rf"(?<!\d)(?P<d>\d{{1,2}})\s+(?P<mn>{_MONTH_NAMES})\.?,?\s+(?P<y>\d{{4}})(?:\s*(?:года|г\.))?",
    re.IGNORECASE,
)
_MONTH_DAY_RE = re.compile(
    rf"\b(?P<mn>{_MONTH_NAMES})\.?\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}})", re.IGNORECASE
)
_TRAILING_RE = re.compile(DOTTED_DATE + r"$")
_LONGEST_DOTTED = len("31.12.2024")
# At the start of a line the year may be glued to a number: "07.12.202414 августа".
_LEADING_RE = re.compile(r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})")
_PATTERNS = (_DOTTED_RE, _ISO_RE, _SLASHED_RE, _DAY_MONTH_RE, _MONTH_DAY_RE)
# What every one of them starts with: a digit, or (_MONTH_DAY_RE) a month name's first letter.
_DATE_START_RE = re.compile(r"[\d" + "".join(sorted({name[0] for name in MONTHS})) + "]", re.I)


def _to_date(match: re.Match[str]) -> date | None:
    groups = match.groupdict()
    month = MONTHS[groups["mn"].lower()] if groups.get("mn") else int(groups["m"])
    try:
        return date(int(groups["y"]), month, int(groups["d"]))
    except ValueError:
        return None


def find_date(text: str) -> tuple[date, re.Match[str]] | None:
    """The first well-formed date written anywhere in `text`, with where it stands."""
    found: list[tuple[int, date, re.Match[str]]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            value = _to_date(match)
            if value is not None:
                found.append((match.start(), value, match))
                break
    if not found:
        return None
    _, value, match = min(found, key=lambda item: item[0])
    return value, match


def parse_date(text: str) -> date | None:
    """A date written as the whole of `text` (surrounding punctuation and spaces allowed)."""
    stripped = text.strip(" \t\r\n.,;:()[]|-–—")
    if _DATE_START_RE.match(stripped) is None:
        return None  # most lines: neither a digit nor a month's first letter opens them
    # What find_date would pick if it starts the text, without scanning the rest of the text.
    for pattern in _PATTERNS:
        if (match := pattern.match(stripped)) and (value := _to_date(match)) is not None:
            break
    else:
        return None
    if stripped[match.end() :].strip(" .,") not in ("", "г", "года"):
        return None
    return value


def leading_date(text: str) -> tuple[str, str] | None:
    """A dd.mm.yyyy date opening `text` and what follows it ("23.11.2023 Download...")."""
    stripped = text.lstrip()
    if not stripped[:1].isdecimal():  # most lines: `\d` is a decimal digit (Unicode's Nd)
        return None
    match = _LEADING_RE.match(stripped)
    if match is None or _to_date(match) is None:
        return None
    return match.group(0), stripped[match.end() :]


def trailing_date(text: str) -> tuple[str, str] | None:
    """What comes before a dd.mm.yyyy date closing `text` ("Title 23.11.2023"), and the date."""
    stripped = text.rstrip()
    # The date is the line's last characters: the search starts where the longest ends (the
    # lookbehind still sees the character before), not at every character of a paragraph.
    match = _TRAILING_RE.search(stripped, max(0, len(stripped) - _LONGEST_DOTTED))
    if match is None or _to_date(match) is None:
        return None
    return stripped[: match.start()].rstrip(), match.group(0)


def date_only(text: str) -> str | None:
    """`text` itself when it is a whole date, as printed."""
    return text.strip() if parse_date(text) is not None else None


def date_beside(text: str) -> tuple[str, str] | None:
    """(date, the rest) when a dd.mm.yyyy date closes or opens `text` ("CSTO News 24.11.2025")."""
    if (trailing := trailing_date(text)) is not None:
        return trailing[1], trailing[0]
    return leading_date(text)


# A dateline's place: after a comma or a slash, a few capitalised words ("Almaty", "Yerevan city",
# "г. Ереван", "the Kremlin, Moscow"), these lower-case ones allowed among them.
_PLACE_SEPARATOR_RE = re.compile(r"^\s*[,/–—-]\s*")
_PLACE_FILLERS = frozenset({"the", "of", "city", "г.", "г", "город", "гор."})
_WORDS_DATE_RES = (_DAY_MONTH_RE, _MONTH_DAY_RE)


def is_dateline(text: str) -> bool:
    """A place and a date as a document is signed or a speech delivered ("December 29, 2025,
    Almaty", "10 June 2022 / Yerevan city", "22 февраля 2017 года, г. Ереван"): a line of the
    text itself, at its start or end, never the article's publication date."""
    stripped = text.strip().strip("()")
    for pattern in _WORDS_DATE_RES:
        match = pattern.match(stripped)
        if match is not None and _to_date(match) is not None:
            return _is_place(stripped[match.end() :])
    return False


def _is_place(text: str) -> bool:
    """", Almaty", " / Yerevan city": a separator, then a place name of a few capitalised words."""
    separator = _PLACE_SEPARATOR_RE.match(text)
    if separator is None:
        return False
    words = [w for w in re.split(r"[\s,]+", text[separator.end() :].rstrip(". ")) if w]
    names = [word for word in words if word.casefold() not in _PLACE_FILLERS]
    return (
        1 <= len(words) <= PLACE_WORDS
        and bool(names)
        and all(word[0].isupper() for word in names)
    )


def after_leading_date(text: str) -> str:
    """What follows a dd.mm.yyyy date opening `text`; `text` when none does."""
    dated = leading_date(text)
    return dated[1] if dated else text
