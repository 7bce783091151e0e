"""The words the site prints around articles, in English and Russian."""

from __future__ import annotations

import re

_LABEL_PUNCTUATION = " \t\n«»\"'.:!←→<>"


def normalise_label(text: str) -> str:
    """Single spaces (`str.split` splits where the regex `\\s+` does, NBSP included: a tenth of
    its time), no punctuation at the ends, case folded."""
    return " ".join(text.split()).strip(_LABEL_PUNCTUATION).casefold()


# Trailing navigation under an article. Its first line ends the article body.
GO_BACK = {"go back", "back", "вернуться назад", "назад"}
BACK_TO_SECTION = {
    "back to the section",
    "back to section",
    "back to the list",
    "back to list",
    "вернуться в раздел",
    "вернуться к разделу",
    "вернуться к списку",
    "назад к списку",
    "к списку",
    "в раздел",
}
BACK_TO_ALL_NEWS = {
    "back to the all news",
    "back to all news",
    "back to the news",
    "back to news",
    "all news",
    "вернуться ко всем новостям",
    "вернуться к новостям",
    "ко всем новостям",
    "все новости",
}
BACK_LINK_LABELS = GO_BACK | BACK_TO_SECTION | BACK_TO_ALL_NEWS

# "Download document <file>"; the space before the file name is sometimes missing.
DOWNLOAD_RE = re.compile(
    r"(?:download(?:\s+the)?\s+(?:document|file)|download|скачать(?:\s+(?:документ|файл))?)\s*:?",
    re.IGNORECASE,
)
# What every match of DOWNLOAD_RE holds in lower case: each code point the pattern matches
# ignoring case lowers to its letter (checked over every code point; not so for "с" and "т" of
# "скачать", hence its middle), so a line without them is refused before the search.
_DOWNLOAD_WORDS = ("download", "кач")


def search_download(text: str) -> re.Match[str] | None:
    """DOWNLOAD_RE searched in `text`, refused first when the label's letters are not there: a
    search tried at every character of a paragraph costs twenty times that test."""
    lowered = text.lower()
    if not any(word in lowered for word in _DOWNLOAD_WORDS):
        return None
    return DOWNLOAD_RE.search(text)


# Link texts in listings that are not teasers.
MORE_LABELS = {"read more", "more", "details", "подробнее", "читать далее", "далее"}


_LABEL_WORDS = max(len(label.split()) for label in BACK_LINK_LABELS)
_MORE_WORDS = max(len(label.split()) for label in MORE_LABELS)


def is_back_link_text(text: str) -> bool:
    """A back link's words ("Back to the list", "Назад"): the article has ended."""
    return _is_label_in(text, BACK_LINK_LABELS, _LABEL_WORDS)


def is_more_label(text: str) -> bool:
    """A listing's "Read more" link or line: never its title or teaser."""
    return _is_label_in(text, MORE_LABELS, _MORE_WORDS)


def _is_label_in(text: str, labels: set[str], most: int) -> bool:
    """Counting words first (`str.split` splits where `\\s` does, and the strip drops only whole
    words of punctuation at the ends): a paragraph is never normalised only to be refused."""
    words = text.split()
    while words and not words[0].strip(_LABEL_PUNCTUATION):
        del words[0]
    while words and not words[-1].strip(_LABEL_PUNCTUATION):
        del words[-1]
    return len(words) <= most and normalise_label(text) in labels


def is_javascript(href: str) -> bool:
    """A script to run, not a place to go: never another page, whatever it does."""
    return href.strip().lower().startswith("javascript:")


# A script that goes back in the browser's history: history.back(), history.go(-1).
_GOES_BACK_RE = re.compile(r"history\s*\.\s*(?:back\s*\(\s*\)|go\s*\(\s*-\s*1\s*\))")


def is_javascript_back(href: str) -> bool:
    """A `javascript:` link that goes back; print and share links (`window.print()`, popups)
    stand beside back links but end no article."""
    return is_javascript(href) and _GOES_BACK_RE.search(href) is not None


# How a speech or an address opens, in the words its first line starts with: "Dear colleagues!",
# "Ladies and gentlemen!", "Уважаемые дамы и господа!", "Дорогие друзья!".
SALUTATION_RE = re.compile(
    r"^(?:dear|my dear|distinguished|esteemed|excellenc|your excellenc|ladies and gentlemen"
    r"|уважаем|дорог|глубокоуважаем|дамы и господа|господин|госпожа)",
    re.IGNORECASE,
)


def is_salutation(text: str) -> bool:
    """A line that addresses the audience: the first line of a speech, never a page's label."""
    line = " ".join(text.split())
    return bool(line) and (
        line.endswith("!") or (SALUTATION_RE.match(line) is not None and line[-1] in ",:!")
    )
