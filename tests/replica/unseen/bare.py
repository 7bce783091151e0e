"""The "bare" markup: a hand-written site with no class or id attribute anywhere.

Tests: no class/id at all; the article title split by <br> inside its <h1> (whole only in
<title> and in the listing link); the date ONLY in words under the title ("13 February 2026",
"13 февраля 2026 г."), never as dd.mm.yyyy, and listings without dates (<article>s of a title
link and a teaser); runs of middle paragraphs as a <ul> of points; image captions as <small>
lines; the attachment as a link inside a "Full text of the document:" paragraph after the body;
"◄ Return" style back links; "Newer / Older" pagers with page numbers; and the latest-news list
at the very end of <body>, after the footer.
"""

from __future__ import annotations

import random
from datetime import date
from html import escape
from typing import ClassVar

from ..content import MONTHS, Article
from ..markup import LISTING_TITLES
from .base import Picture, Text, UnseenRenderer


def date_in_words(day: date, lang: str) -> str:
    """The date as an editor types it: "13 February 2026", "13 февраля 2026 г."."""
    words = f"{day.day} {MONTHS[lang][day.month - 1]} {day.year}"
    return words if lang == "en" else words + " г."


def split_title(title: str) -> tuple[str, str]:
    """The title cut at the space nearest its middle (the editor's manual line break)."""
    spaces = [i for i, char in enumerate(title) if char == " "]
    if not spaces:
        return title, ""
    cut = min(spaces, key=lambda i: abs(i - len(title) // 2))
    return title[:cut], title[cut + 1 :]


class BareRenderer(UnseenRenderer):
    """Plain HTML5 elements only, written by hand: <header>, <main>, <article>, <hr>."""

    WORDS: ClassVar[dict[str, dict[str, str]]] = {
        "en": {
            "back": "◄ Return",
            "section": "Up to the section",
            "all": "Go to the list of news",
            "latest": "Recently published",
            "document": "Full text of the document:",
            "newer": "← Newer news",
            "older": "Older news →",
            "pages": "Pages:",
        },
        "ru": {
            "back": "◄ Вернуться",
            "section": "Назад к разделу",
            "all": "Перейти к списку новостей",
            "latest": "Недавно опубликовано",
            "document": "Полный текст документа:",
            "newer": "← Более новые",
            "older": "Более ранние →",
            "pages": "Страницы:",
        },
    }

    # --- frame: the latest news after the footer, last in <body> ---

    def page(self, title: str, main: str, *, sidebar: str = "") -> str:
        menu = " · ".join(f'<a href="{href}">{text}</a>' for href, text in self.menu_items())
        tail = f"<hr>\n{sidebar}\n" if sidebar else ""
        return (
            f'<!DOCTYPE html>\n<html lang="{self.lang}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{escape(title)}</title>\n</head>\n<body>\n<header>\n"
            '<p><a href="/"><img src="/images/emblem.gif" width="48" height="48" alt="CSTO"></a> '
            f"<big><b>{escape(self.site_name())}</b></big></p>\n<nav>{menu}</nav>\n</header>\n"
            f"<hr>\n<main>\n{main}\n</main>\n<hr>\n<footer>\n<p><small>"
            + "<br>\n".join(self.footer_lines())
            + f"</small></p>\n</footer>\n{tail}</body>\n</html>\n"
        )

    def block_heading(self, text: str, href: str) -> str:
        return f'<h3><a href="{href}">{text}</a></h3>'

    def sidebar(self, latest: list[Article], key: object) -> str:
        rng = self._rng("sidebar", key)
        items = []
        for article in latest:
            href = escape(self.link(article.path, rng))
            teaser = self._text(article.summary, rng)
            dated = f"{self.day(article)}: " if rng.random() < 0.5 else ""
            items.append(f'<li>{dated}<a href="{href}">{teaser}</a></li>')
        return f"<h3>{escape(self.words['latest'])}</h3>\n<ul>\n" + "\n".join(items) + "\n</ul>"

    # --- detail ---

    def detail(self, article: Article, latest: list[Article]) -> str:
        rng = self._rng("detail", article.id)
        words = self.words
        first, second = split_title(article.title)
        title = self._text(first, rng, markup=False)
        if second:
            title += "<br>" + self._text(second, rng, markup=False)
        head = f"<h1>{title}</h1>\n<p><i>{date_in_words(article.published, self.lang)}</i></p>\n"
        if article.picture:
            head += f'<p><img src="{escape(article.picture.path)}" width="600" alt=""></p>\n'
        body = self.body(self.blocks(article, rng), self._rng("points", article.id))
        if article.attachment:
            attachment = article.attachment
            name = self._text(attachment.name, rng, markup=False)
            body += (
                f'\n<p>{escape(words["document"])} <a href="{escape(attachment.path)}">{name}</a>'
                "</p>"
            )
        back = " &nbsp; ".join(
            f'<a href="{href}">{escape(words[kind])}</a>'
            for kind, href in self.back_targets(article)
        )
        main = f"<article>\n{head}{body}\n</article>\n<p>{back}</p>"
        return self.page(article.title, main, sidebar=self.sidebar(latest, article.id))

    @staticmethod
    def body(parts: list[Text | Picture], rng: random.Random) -> str:
        """<p>s and pictures; the longest run of plain middle paragraphs (2 or more) as a <ul>."""
        runs: list[tuple[int, int]] = []
        start = None
        for index, part in enumerate([*parts, None]):
            plain = index > 0 and isinstance(part, Text) and not part.extra
            if plain and start is None:
                start = index
            elif not plain and start is not None:
                runs.append((start, index))
                start = None
        runs = [run for run in runs if run[1] - run[0] >= 2]
        points = max(runs, key=lambda run: run[1] - run[0]) if runs else None
        if points and rng.random() < 0.3:
            points = None
        html = []
        for index, part in enumerate(parts):
            if isinstance(part, Picture):
                html.append(
                    f'<p><img src="{escape(part.image.path)}" width="600" alt=""><br>\n'
                    f"<small>{part.caption}</small></p>"
                )
            elif points and points[0] <= index < points[1]:
                opening = "<ul>\n" if index == points[0] else ""
                closing = "\n</ul>" if index == points[1] - 1 else ""
                html.append(f"{opening}<li>{part.html}</li>{closing}")
            else:
                html.append(part.paragraph())
        return "\n".join(html)

    # --- listings: <article>s without dates ---

    def listing(self, path: str, articles: list[Article], page: int, page_size: int) -> str:
        items, last = self.page_slice(articles, page, page_size)
        heading = self._pick(LISTING_TITLES[path])
        entries = []
        for article in items:
            href, title, teaser = self.entry(path, article)
            image = ""
            if article.picture:
                image = (
                    f'<p><a href="{href}"><img src="{escape(article.picture.path)}" width="200" '
                    'alt=""></a></p>\n'
                )
            entries.append(
                f'<article>\n<h2><a href="{href}">{title}</a></h2>\n{image}<p>{teaser}</p>\n'
                "</article>"
            )
        main = (
            f"{self.heading(escape(heading))}\n"
            + "\n".join(entries)
            + "\n"
            + self._pager(path, page, last, len(articles), page_size)
        )
        return self.page(heading, main)

    def _pager(self, path: str, page: int, last: int, total: int, page_size: int) -> str:
        """← Newer | Pages: 1 2 3 | Older →, every number linked but the current one."""
        words = self.words
        parts = []
        if page > 1:
            parts.append(f'<a href="{self.page_href(path, page - 1)}">{escape(words["newer"])}</a>')
        numbers = " ".join(
            f"<b>{n}</b>" if n == page else f'<a href="{self.page_href(path, n)}">{n}</a>'
            for n in range(1, last + 1)
        )
        parts.append(f"{escape(words['pages'])} {numbers}")
        if page < last:
            parts.append(f'<a href="{self.page_href(path, page + 1)}">{escape(words["older"])}</a>')
        return "<p>" + " | ".join(parts) + "</p>"
