"""Word's number formats, beyond what the generated lists reach."""

from __future__ import annotations

import pytest

from cstocrawl.extract.numbering import format_number


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        (7, "decimal", "7"),
        (3, "decimalZero", "03"),
        (1, "lowerLetter", "a"),
        (26, "lowerLetter", "z"),
        (27, "lowerLetter", "aa"),
        (28, "upperLetter", "BB"),
        (4, "lowerRoman", "iv"),
        (1994, "upperRoman", "MCMXCIV"),
        (10, "russianLower", "к"),
        (3, "russianUpper", "В"),
        (5, "ordinalText", "5"),
    ],
)
def test_format_number(value: int, fmt: str, expected: str) -> None:
    assert format_number(value, fmt) == expected
