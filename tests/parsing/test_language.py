"""The language of an article's text, against the run's; what the page declares only named."""

from __future__ import annotations

import pytest

from cstocrawl.parsing.language import declared_language, language_problem, text_language

ENGLISH = "The CSTO Collective Security Council met in Minsk on Thursday to discuss the region."
RUSSIAN = "Совет коллективной безопасности ОДКБ (CSTO) провёл заседание в Минске в четверг."


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


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (ENGLISH, "en"),
        (RUSSIAN, "ru"),  # Latin acronyms in a Russian text
        ("CSTO 2024", None),  # too few letters to say
        (ENGLISH[:45] + RUSSIAN[:45], None),  # half and half: not judged
    ],
)
def test_the_texts_alphabet_tells_its_language(text: str, language: str | None) -> None:
    assert text_language(text) == language


def test_a_text_in_another_language_than_the_runs_is_a_problem() -> None:
    assert language_problem('<html lang="en-US">', ENGLISH, "ru") == (
        "language_mismatch: the text is in 'en', the page declares <html lang='en'>, "
        "the run is lang=ru"
    )
    assert language_problem("<html>", RUSSIAN, "en") == (
        "language_mismatch: the text is in 'ru', the run is lang=en"
    )
    assert language_problem('<html lang="ru">', RUSSIAN, "ru") is None


def test_a_template_declaring_the_other_language_is_no_problem_when_the_text_is_the_runs() -> None:
    # A Bitrix English site may keep the Russian template's <html lang="ru">.
    assert language_problem('<html lang="ru">', ENGLISH, "en") is None
