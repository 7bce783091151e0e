"""The "archive" markup: the old (Bitrix 4-era) table layout the site kept for its archive.

Tests: a fixed-width table layout with no heading tags on article pages; <title> is the site and
section only; the title in <font><b> (the listing's link text, verbatim) and the date under it as
"[dd.mm.yyyy]"; the text as one <font> of <br><br>-separated lines and unclosed <p>s (no </p>
anywhere in the body, a <font> left open); speeches opening "Dear colleagues!<br><br>Ladies and
gentlemen!" ("Уважаемые дамы и господа!"), some after a heading and a dateline in <strong>
("WELCOME SPEECH", "December 29, 2025, Almaty"), statements closing with an italic place and date
("22 февраля 2017 года, г. Ереван"), some news opening with a dateline in <strong>; the latest
news in the left column BEFORE the article; "Версия для печати" (`javascript:window.print()`)
and "Send by e-mail" (`javascript:void(0)`) right beside the `javascript:history.back()` back link;
listings as "[dd.mm.yyyy] title" rows with teasers and "1 2 3 »" pagers.
"""

from __future__ import annotations

from html import escape
from typing import ClassVar

from ..content import Article
from ..markup import LISTING_TITLES
from .base import FormalRenderer, Picture

SKIN = "/bitrix/templates/archive/img"


class ArchiveRenderer(FormalRenderer):
    """Tables, <font>, <br>, and tags nobody closed."""

    ENTITIES = True
    WORDS: ClassVar[dict[str, dict[str, str]]] = {
        "en": {
            "back": "<< Back",
            "section": "To the section",
            "all": "All news",
            "latest": "News",
            "print": "Print version",
            "mail": "Send by e-mail",
            "file": "Document:",
            "pages": "Pages:",
            "home": "Collective Security Treaty Organization",
        },
        "ru": {
            "back": "<< Назад",
            "section": "В раздел",
            "all": "Все новости",
            "latest": "Новости",
            "print": "Версия для печати",
            "mail": "Отправить по e-mail",
            "file": "Документ:",
            "pages": "Страницы:",
            "home": "Организация Договора о коллективной безопасности",
        },
    }

    # --- frame: a 760px table, the menu and the news in the left column ---

    def page(self, title: str, main: str, *, sidebar: str = "") -> str:
        menu = "<br>\n".join(
            f'<img src="{SKIN}/dot.gif" width="4" height="7" alt=""> '
            f'<a href="{href}" class="leftmenu">{text}</a>'
            for href, text in self.menu_items()
        )
        news = f"<br><br>\n{sidebar}" if sidebar else ""
        return (
            '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.0 Transitional//EN">\n<html>\n<head>\n'
            '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
            f"<title>{escape(title)}</title>\n"
            '<link rel="stylesheet" href="/bitrix/templates/archive/styles.css">\n</head>\n'
            '<body bgcolor="#FFFFFF" text="#000000" link="#1F3F7F" vlink="#1F3F7F" '
            'marginwidth="0" marginheight="0">\n'
            '<table width="760" border="0" cellspacing="0" cellpadding="0" align="center">\n'
            f'<tr><td colspan="2"><a href="/"><img src="{SKIN}/top.jpg" width="760" height="110" '
            f'border="0" alt="{escape(self.site_name())}"></a></td></tr>\n'
            '<tr><td width="170" valign="top" bgcolor="#E8EEF6" style="padding:8px">\n'
            f'<font face="Tahoma" size="1">{menu}{news}</font></td>\n'
            f'<td width="590" valign="top" style="padding:10px">\n{main}\n</td></tr>\n'
            '<tr><td colspan="2" bgcolor="#1F3F7F" align="center"><font face="Tahoma" size="1" '
            'color="#FFFFFF">' + "<br>".join(self.footer_lines()) + "</font></td></tr>\n"
            "</table>\n</body>\n</html>\n"
        )

    def heading(self, text: str) -> str:
        return f'<font face="Arial" size="4" color="#1F3F7F"><b>{text}</b></font><br><br>'

    def block_heading(self, text: str, href: str) -> str:
        return f'<b><a href="{href}">{text}</a></b><br>'

    def site_title(self, article: Article) -> str:
        return f"{self.words['home']} :: {self.section_name(article)}"

    # --- the news column: dated teasers, before the article in the source ---

    def sidebar(self, latest: list[Article], key: object) -> str:
        rng = self._rng("sidebar", key)
        rows = [f"<b>{escape(self.words['latest'])}</b><br><br>"]
        for article in latest:
            href = escape(self.link(article.path, rng))
            dated = f"<b>{self.day(article)}</b><br>" if rng.random() < 0.8 else ""
            rows.append(f'{dated}<a href="{href}">{self._text(article.summary, rng)}</a><br><br>')
        return "\n".join(rows)

    # --- detail ---

    def detail(self, article: Article, latest: list[Article]) -> str:
        rng = self._rng("detail", article.id)
        words = self.words
        title = self._text(article.title, rng, markup=False)
        head = (
            f'<font face="Arial" size="3" color="#1F3F7F"><b>{title}</b></font><br>\n'
            f'<font size="1" color="#808080">[{self.day(article)}]</font><br><br>\n'
        )
        picture = ""
        if article.picture:
            picture = (
                f'<img src="{escape(article.picture.path)}" width="250" align="right" hspace="6" '
                'vspace="4" border="1" alt="">'
            )
        file = ""
        if article.attachment:
            attachment = article.attachment
            name = self._text(attachment.name, rng, markup=False)
            file = (
                f'<p><img src="{SKIN}/doc.gif" width="16" height="16" alt=""> '
                f'{escape(words["file"])} <a href="{escape(attachment.path)}">{name}</a>\n'
            )
        tools = (
            f'<a href="javascript:window.print()"><img src="{SKIN}/print.gif" border="0" '
            f'alt=""> {escape(words["print"])}</a> &nbsp; '
            f'<a href="javascript:void(0)" onclick="mailpage()">{escape(words["mail"])}</a>'
        )
        back = " &nbsp; ".join(
            f'<a href="{href}">{escape(words[kind])}</a>'
            for kind, href in self.back_targets(article)
        )
        main = (
            '<table width="100%" border="0" cellspacing="0" cellpadding="0"><tr>'
            '<td class="text">\n'
            f"{head}{picture}"
            f'<font face="Arial" size="2">\n{self.body(article)}\n{file}'
            '<br clear="all"><br>\n'
            f'<table width="100%" border="0" cellpadding="3" cellspacing="0"><tr>'
            f'<td bgcolor="#E8EEF6"><font size="1">{tools} &nbsp;|&nbsp; {back}</font></td>'
            "</tr></table>\n</td></tr></table>"
        )
        return self.page(self.site_title(article), main, sidebar=self.sidebar(latest, article.id))

    def body(self, article: Article) -> str:
        """Speeches: <strong> heading and dateline, then salutations as <br><br> lines; the text
        as <p>s never closed; the closing line in italics, right-aligned."""
        parts = self.blocks(article, self._rng("body", article.id))
        opening, middle, closing = self.split(article, parts)
        html = []
        for line, text in zip(opening, article.body, strict=False):  # told apart on clean text
            assert isinstance(text, str)
            if text.isupper() or any(char.isdigit() for char in text):
                html.append(f"<strong>{line.html}</strong><br><br>")
            else:  # salutations: "Dear colleagues!<br><br>Ladies and gentlemen!<br><br>"
                html.append(f"{line.html}<br><br>")
        for part in middle:
            if isinstance(part, Picture):
                html.append(
                    f'<p align="center"><img src="{escape(part.image.path)}" border="0" alt="">'
                    f"<br><i>{part.caption}</i>"
                )
            else:
                html.append("<p>" + part.html + (f"<br>\n{part.extra}" if part.extra else ""))
        html += [f'<p align="right"><i>{line.html}</i>' for line in closing]
        return "\n".join(html)

    # --- listings ---

    def listing(self, path: str, articles: list[Article], page: int, page_size: int) -> str:
        items, last = self.page_slice(articles, page, page_size)
        heading = self._pick(LISTING_TITLES[path])
        rows = []
        for article in items:
            href, title, teaser = self.entry(path, article)
            rows.append(
                f'<tr><td valign="top"><font size="1" color="#808080">[{self.day(article)}]'
                f'</font> <a href="{href}"><b>{title}</b></a><br>'
                f'<font size="2">{teaser}</font><br><br></td></tr>'
            )
        main = (
            self.heading(escape(heading))
            + '\n<table width="100%" border="0" cellspacing="0" cellpadding="2">\n'
            + "\n".join(rows)
            + "\n</table>\n"
            + self._page_links(path, page, last)
        )
        return self.page(f"{self.words['home']} :: {heading}", main)

    def _page_links(self, path: str, page: int, last: int) -> str:
        """Pages: « 1 2 [3] 4 »"""
        parts = [escape(self.words["pages"])]
        if page > 1:
            parts.append(f'<a href="{self.page_href(path, page - 1)}">&laquo;</a>')
        for n in self.window(page, last):
            parts.append(f"[{n}]" if n == page else f'<a href="{self.page_href(path, n)}">{n}</a>')
        if page < last:
            parts.append(f'<a href="{self.page_href(path, page + 1)}">&raquo;</a>')
        return '<p><font size="2">' + " ".join(parts) + "</font>"
