"""The site's words and link forms: which scripts go back, which lines address an audience."""

from __future__ import annotations

import pytest

from cstocrawl.parsing.labels import (
    DOWNLOAD_RE,
    is_back_link_text,
    is_javascript,
    is_javascript_back,
    is_salutation,
    search_download,
)


@pytest.mark.parametrize(
    ("href", "goes_back"),
    [
        ("javascript:history.back()", True),
        ("javascript:history.go(-1)", True),
        ("JavaScript: history.go( -1 );", True),
        ("javascript:window.print()", False),
        ("javascript:void(0)", False),
        ("javascript:void(window.open('https://vk.com/share.php?url=x','','width=600'))", False),
        ("javascript:sharePopup('https://t.me/share/url?url=x')", False),
    ],
)
def test_a_javascript_link_is_a_back_link_only_when_it_goes_back(href: str, goes_back: bool) -> None:
    assert is_javascript(href)
    assert is_javascript_back(href) is goes_back


def test_a_link_to_a_page_is_no_script() -> None:
    assert not is_javascript("/news/") and not is_javascript_back("/news/")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dear colleagues!", True),
        ("Ladies and gentlemen!", True),
        ("Dear participants of the Conference,", True),
        ("Уважаемые дамы и господа!", True),
        ("Дорогие друзья!", True),
        ("Dear\u00a0Mr. Chairman, dear Ladies and Gentlemen!", True),
        (" Ladies\t and\u2003gentlemen ,\u2003", True),  # any run of spaces is one
        ("Print version", False),
        ("Share:", False),
        ("Dear readers of our website can subscribe to the newsletter", False),  # no address
    ],
)
def test_a_salutation_addresses_the_audience(text: str, expected: bool) -> None:
    assert is_salutation(text) is expected


@pytest.mark.parametrize(
    ("text", "back"),
    [
        ("← « Back to the all news » →", True),  # five words between punctuation-only ones
        ("\u00a0:\tВернуться\u2003ко всем новостям ! .", True),
        ("Back to the all news today", False),
        ("« Back » to the all news", False),  # punctuation inside the label is kept
    ],
)
def test_back_link_labels_counted_in_words_between_punctuation(text: str, back: bool) -> None:
    assert is_back_link_text(text) is back


@pytest.mark.parametrize(
    "text",
    [
        "11/28/2019 14:56 DOWNLOAD the file",
        "Скачать документ",
        "\u1c83КАЧАТЬ",  # "с" written as its wide form, which the pattern matches ignoring case
        "\u1c83кача\u1c85ь",  # and "т" as its three-legged one
    ],
)
def test_a_download_label_is_searched_for_in_any_case(text: str) -> None:
    assert DOWNLOAD_RE.search(text) is not None
    assert search_download(text) is not None


def test_a_line_without_the_label_s_letters_is_not_searched() -> None:
    text = "The council met in Minsk on 23 November to discuss the documents."
    assert DOWNLOAD_RE.search(text) is None and search_download(text) is None
