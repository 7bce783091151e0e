"""The language a page declares, against the run's."""

from __future__ import annotations

import pytest

from cstocrawl.parsing.language import declared_language, language_problem


@pytest.mark.parametrize(
    ("html", "declared"),
    [
        ('<!DOCTYPE html>\n<html lang="en">\n<head>', "en"),
        ("<html xml:lang='ru-RU' lang='ru-RU'><head>", "ru"),
        ('<HTML LANG="EN-us" class="x">', "en"),
        ("<html lang=ru><body>", "ru"),
        ('<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">\n<html>\n<head>', None),
        ('<html><body><p lang="ru">цитата</p>', None),  # only the page's own declaration counts
    ],
)
def test_the_declared_language_is_the_html_elements(html: str, declared: str | None) -> None:
    assert declared_language(html) == declared


def test_another_language_than_the_runs_is_a_problem() -> None:
    assert language_problem('<html lang="en-US">', "ru") == (
        "language_mismatch: the page declares <html lang='en'>, the run is lang=ru"
    )
    assert language_problem('<html lang="ru">', "ru") is None
    assert language_problem("<html>", "ru") is None  # nothing declared: not judged
