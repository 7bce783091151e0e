from datetime import date

import pytest

from cstocrawl.parsing.dates import is_dateline, leading_date, parse_date, trailing_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("23.11.2023", date(2023, 11, 23)),
        (" 9.6.2018 ", date(2018, 6, 9)),
        ("11/28/2019 14:56:41", date(2019, 11, 28)),
        ("10 June 2022", date(2022, 6, 10)),
        ("June 9, 2021", date(2021, 6, 9)),
        ("10 июня 2022 года", date(2022, 6, 10)),
        ("11 февраля 2026 г.", date(2026, 2, 11)),
        ("2024-04-24", date(2024, 4, 24)),
        ("31.02.2024", None),  # not a day
        ("On June 9, 2018 the council met", None),  # a date inside a sentence is not a date line
        ("12.00", None),
        ("", None),
    ],
)
def test_parse_date(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


def test_leading_date_splits_a_date_glued_to_the_body() -> None:
    assert leading_date("09.06.2018On June 9, 2018") == ("09.06.2018", "On June 9, 2018")
    assert leading_date("10.06.2022 Download document x.docx") == (
        "10.06.2022",
        " Download document x.docx",
    )
    assert leading_date("07.12.202414 августа 2023 года") == ("07.12.2024", "14 августа 2023 года")
    assert leading_date("On 10.06.2022") is None
    # `\d` is any decimal digit, as the first character's check before the pattern is tried.
    assert leading_date("\u2003\u0660\u0669.\u0660\u0666.\u0662\u0660\u0661\u0668 x") == (
        "\u0660\u0669.\u0660\u0666.\u0662\u0660\u0661\u0668",
        " x",
    )


def test_trailing_date_splits_the_title_line() -> None:
    assert trailing_date("A meeting was held 23.11.2023") == ("A meeting was held", "23.11.2023")
    assert trailing_date("Report 2023") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("December 29, 2025, Almaty", True),
        ("10 June 2022 / Yerevan city", True),
        ("22 февраля 2017 года, г. Ереван", True),
        ("29 декабря 2025 года, Алматы", True),
        ("(17 November 2021, Moscow)", True),
        ("December 10, 2010, the Kremlin, Moscow", True),
        ("December 29, 2025", False),  # a date alone: the page's date line
        ("CSTO News 24.11.2025", False),  # a byline
        ("June 9, 2021, the meeting began", False),  # a sentence
        ("On 10 December 2024, in Moscow, consultations were held", False),
    ],
)
def test_a_dateline_is_a_date_in_words_and_a_place(text: str, expected: bool) -> None:
    assert is_dateline(text) is expected
