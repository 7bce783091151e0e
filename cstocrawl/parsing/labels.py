"""The words the site prints around articles, in English and Russian."""

from __future__ import annotations

import re

_SPACE_RE = re.compile(r"\s+")
_LABEL_PUNCTUATION = " \t\n«»\"'.:!←→<>"


def normalise_label(text: str) -> str:
    return _SPACE_RE.sub(" ", text.replace("\xa0", " ")).strip(_LABEL_PUNCTUATION).casefold()


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
# Link texts in listings that are not teasers.
MORE_LABELS = {"read more", "more", "details", "подробнее", "читать далее", "далее"}


def is_back_link_text(text: str) -> bool:
    return normalise_label(text) in BACK_LINK_LABELS


def is_javascript_back(href: str) -> bool:
    return href.strip().lower().startswith("javascript:")
