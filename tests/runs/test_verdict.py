"""The verdict on one article, as pure functions (cstocrawl/runs/verdict.py): every case below was
accepted, or failed the whole run, before issue 18."""

from __future__ import annotations

import pytest

from cstocrawl.runs.verdict import (
    _ERROR_PAGE_RE,
    _ERROR_PAGE_WORDS,
    HOLD,
    Judgement,
    doubts,
    judge,
    looks_like_error_page,
    too_many,
)

ARTICLE = (
    "The CSTO Collective Security Council met in Minsk on 23 November and adopted a declaration "
    "on the strengthening of the organisation's crisis response system.\n\n"
    "The heads of state also discussed the situation in Central Asia."
)


@pytest.mark.parametrize(
    ("text", "notice"),
    [
        ("MySQL Query Error: SELECT * FROM b_iblock [Too many connections]", "MySQL Query Error"),
        ("DB query error. Please try later.", "DB query error"),
        ("Error establishing a database connection", "Error establishing a database connection"),
        ("Service Temporarily Unavailable. nginx", "Service Temporarily Unavailable"),
        ("The site is under maintenance. We will be back soon.", "under maintenance"),
        ("Ошибка подключения к базе данных", "Ошибка подключения к баз"),
        ("Сайт временно недоступен. Ведутся технические работы.", "Сайт временно недоступ"),
        ("На сайте проводятся профилактические работы, попробуйте зайти позже.",
         "профилактические работ"),
    ],
)
def test_error_and_maintenance_notices_are_recognised(text: str, notice: str) -> None:
    assert looks_like_error_page(text) == notice
    assert doubts({"text": text}, None) == [f"body_looks_like_error_page: {notice}"]


def test_an_article_about_maintenance_is_not_an_error_page() -> None:
    assert looks_like_error_page(ARTICLE) is None
    # Long enough to be an article: a quoted notice deep inside it holds nothing.
    quoted = ARTICLE + "\n\n" + "x " * 500 + "The service is temporarily unavailable, he said."
    assert looks_like_error_page(quoted) is None


def branches(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression's source."""
    found, depth, start = [], 0, 0
    for at, char in enumerate(pattern):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "|" and depth == 0:
            found.append(pattern[start:at])
            start = at + 1
    return [*found, pattern[start:]]


def test_every_notice_has_a_word_the_quick_check_looks_for() -> None:
    """A body without any of the words is not searched: a notice without one would be missed."""
    notices = branches(_ERROR_PAGE_RE.pattern)
    assert len(notices) == 21
    for notice in notices:
        assert any(word in notice.casefold() for word in _ERROR_PAGE_WORDS), notice


def test_a_body_shrunk_to_a_line_against_the_stored_one() -> None:
    assert doubts({"text": "One line."}, len(ARTICLE)) == [
        f"body_shrank: {len(ARTICLE)} to 9 characters"
    ]
    # A new article (nothing stored), an edit of a few words, or paragraphs: not shrunk.
    assert doubts({"text": "One line."}, None) == []
    assert doubts({"text": ARTICLE[:-20]}, len(ARTICLE)) == []
    assert doubts({"text": "First.\n\nSecond."}, len(ARTICLE)) == []
    # A stored line edited to another line is not a line where an article was.
    assert doubts({"text": "One line."}, 20) == []


def test_the_first_holding_problem_is_the_reason() -> None:
    assert judge([]) == Judgement("accepted")
    assert judge(["markup_too_deep", "unparsed_date: 31.02.2024"]).accepted
    held = judge(["markup_too_deep", "body_shrank: 900 to 9 characters", "missing_date"])
    assert held == Judgement("held", "body_shrank: 900 to 9 characters")
    assert not held.accepted


def test_the_hold_set_has_every_agreed_kind() -> None:
    """The kinds other branches emit hold too (the seam agreed in issue 18)."""
    agreed = {
        "missing_title", "missing_date", "missing_body",
        "title_disagrees_with_listing", "date_disagrees_with_listing",
        "title_only_from_listing", "date_only_from_listing",
        "body_looks_like_error_page", "body_shrank",
        "body_disagrees_with_second_opinion", "body_cut_by_markup", "language_mismatch",
    }  # fmt: skip
    assert agreed == HOLD
    for kind in HOLD:
        assert not judge([f"{kind}: detail"]).accepted


@pytest.mark.parametrize(
    ("doubtful", "fetched", "expected"),
    [
        (1, 4, False),  # one of four: held, the run goes on (it failed before issue 18)
        (4, 19, False),  # fewer than the minimum
        (5, 100, False),  # the minimum, but a small share
        (5, 20, True),
        (0, 0, False),
    ],
)
def test_too_many_is_a_share_with_a_minimum(doubtful: int, fetched: int, expected: bool) -> None:
    assert too_many(doubtful, fetched, max_share=0.2, minimum=5) is expected
