"""The "table" markup: a 2000s table layout with no heading tags anywhere.

Tests: no <h1>-<h6> (titles in <font>/<b>, nested tables, <td> sidebar AFTER the article), the
date beside the title in its own cell, on its own line or glued to the first words, "Файл:"
download lines, "« Назад" back links, listings as dated table rows, "Следующая »" pagers with
query-only hrefs, and NBSP/SHY written as entities.
"""

from __future__ import annotations

from html import escape
from typing import ClassVar

from ..content import SECTION_PATHS, Article
from ..markup import LISTING_TITLES
from .base import Picture, UnseenRenderer

SKIN = "/bitrix/templates/odkb_old/images"


class TableRenderer(UnseenRenderer):
    """Nested tables, <font> and <b>: what a site built around 2005 and re-skinned never was."""

    ENTITIES = True
    WORDS: ClassVar[dict[str, dict[str, str]]] = {
        "en": {
            "back": "« Back",
            "section": "To the section",
            "all": "To the news list",
            "file": "File:",
            "latest": "News feed",
            "page": "Page:",
            "prev": "« Previous page",
            "next": "Next page »",
            "home": "Home",
        },
        "ru": {
            "back": "« Назад",
            "section": "В раздел",
            "all": "К списку новостей",
            "file": "Файл:",
            "latest": "Лента новостей",
            "page": "Страница:",
            "prev": "« Предыдущая",
            "next": "Следующая »",
            "home": "Главная",
        },
    }

    # --- frame ---

    def page(self, title: str, main: str, *, sidebar: str = "") -> str:
        menu = "".join(
            f'<tr><td><img src="{SKIN}/li.gif" width="5" height="5" alt="">&nbsp;'
            f'<a class="menu" href="{href}">{text}</a></td></tr>'
            for href, text in self.menu_items()
        )
        right = sidebar or "&nbsp;"
        return (
            '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">\n<html>\n<head>\n'
            '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
            f"<title>{escape(title)}</title>\n"
            '<link rel="stylesheet" href="/bitrix/templates/odkb_old/styles.css" type="text/css">\n'
            "</head>\n"
            '<body bgcolor="#FFFFFF" leftmargin="0" topmargin="0" marginwidth="0" marginheight="0">\n'
            '<table width="100%" border="0" cellspacing="0" cellpadding="0">\n'
            '<tr><td colspan="3" height="90" bgcolor="#003366">'
            f'<a href="/"><img src="{SKIN}/logo.gif" width="90" height="90" border="0" alt="CSTO">'
            f'</a>&nbsp;<font color="#FFFFFF" size="5"><b>{escape(self.site_name())}</b></font>'
            "</td></tr>\n<tr>\n"
            '<td width="180" valign="top" bgcolor="#F3F3F3">'
            f'<table width="100%" border="0" cellspacing="0" cellpadding="4">{menu}</table></td>\n'
            f'<td valign="top" style="padding:10px">\n{main}\n</td>\n'
            f'<td width="220" valign="top" bgcolor="#EEF2F7">{right}</td>\n</tr>\n'
            '<tr><td colspan="3" align="center" bgcolor="#003366"><font size="1" color="#FFFFFF">'
            + "<br>".join(self.footer_lines())
            + "</font></td></tr>\n</table>\n</body>\n</html>\n"
        )

    def heading(self, text: str) -> str:
        return f'<font size="4" color="#003366"><b>{text}</b></font><br><br>'

    def block_heading(self, text: str, href: str) -> str:
        return f'<br><b><a href="{href}">{text}</a></b>'

    # --- sidebar (a right-hand cell, after the article in the source) ---

    def sidebar(self, latest: list[Article], key: object) -> str:
        rng = self._rng("sidebar", key)
        rows = []
        for article in latest:
            href = escape(self.link(article.path, rng))
            teaser = self._text(article.summary, rng)
            dated = ""
            if rng.random() < 0.6:
                dated = f'<font size="1" color="#808080">{self.day(article)}</font><br>'
            rows.append(f'<tr><td>{dated}<a class="small" href="{href}">{teaser}</a></td></tr>')
        return (
            '<table width="100%" border="0" cellspacing="0" cellpadding="5">\n'
            f'<tr><td bgcolor="#003366"><font color="#FFFFFF"><b>{escape(self.words["latest"])}'
            "</b></font></td></tr>\n" + "\n".join(rows) + "\n</table>"
        )

    # --- detail ---

    def detail(self, article: Article, latest: list[Article]) -> str:
        rng = self._rng("detail", article.id)
        words = self.words
        day = self.day(article)
        title = f'<font size="3" color="#003366"><b>{self._text(article.title, rng, markup=False)}</b></font>'
        date = f'<font size="1" color="#808080">{day}</font>'
        glued = ""
        if article.attachment:
            name = self._text(article.attachment.name, rng, markup=False)
            head = (
                f"<div>{title}</div>\n<div>{date}&nbsp;&nbsp;<b>{escape(words['file'])}</b> "
                f'<a href="{escape(article.attachment.path)}">{name}</a></div><br>\n'
            )
        elif article.date_style == "inline":  # the date in a cell beside the title
            head = (
                '<table width="100%" border="0" cellspacing="0" cellpadding="0"><tr>'
                f'<td valign="top">{title}</td><td width="80" align="right" valign="top" nowrap>'
                f"{date}</td></tr></table><br>\n"
            )
        elif article.date_style == "own_line":
            head = f"<div>{title}</div>\n<div>{date}</div><br>\n"
        else:
            head, glued = f"<div>{title}</div><br>\n", day
        picture = ""
        if article.picture:
            picture = (
                f'<img src="{escape(article.picture.path)}" align="left" hspace="8" vspace="4" '
                f'border="0" width="300" alt="{escape(article.title)}">'
            )
        body = []
        for part in self.blocks(article, rng, glued):
            if isinstance(part, Picture):
                body.append(
                    f'<div align="center"><img src="{escape(part.image.path)}" border="0" alt="">'
                    f"<br><i>{part.caption}</i></div>"
                )
            else:
                body.append(part.html + (f"<br>\n{part.extra}" if part.extra else ""))
        text = "".join(chunk + ("" if chunk.endswith("</div>") else "<br><br>\n") for chunk in body)
        back = " &nbsp;|&nbsp; ".join(
            f'<img src="{SKIN}/arrow.gif" width="7" height="7" alt=""> '
            f'<a href="{href}">{escape(words[kind])}</a>'
            for kind, href in self.back_targets(article)
        )
        section = self.section_name(article)
        crumbs = (
            f'<font size="1"><a href="/">{escape(words["home"])}</a> / '
            f'<a href="{escape(SECTION_PATHS[article.section])}">{escape(section)}</a></font>'
        )
        main = (
            '<table width="100%" border="0" cellspacing="0" cellpadding="0">\n'
            f"<tr><td>{crumbs}<br><br></td></tr>\n"
            f'<tr><td class="text">\n{head}{picture}<font size="2">{text}</font>'
            '<br clear="all"></td></tr>\n'
            f'<tr><td bgcolor="#F3F3F3" style="padding:4px">{back}</td></tr>\n</table>'
        )
        return self.page(article.title, main, sidebar=self.sidebar(latest, article.id))

    # --- listings: dated table rows ---

    def listing(self, path: str, articles: list[Article], page: int, page_size: int) -> str:
        items, last = self.page_slice(articles, page, page_size)
        heading = self._pick(LISTING_TITLES[path])
        rows = []
        for article in items:
            href, title, teaser = self.entry(path, article)
            picture = "&nbsp;"
            if article.picture:
                picture = (
                    f'<a href="{href}"><img src="{escape(article.picture.path)}" width="100" '
                    'border="0" alt=""></a>'
                )
            rows.append(
                f'<tr><td valign="top" width="80" nowrap><font size="1" color="#808080">'
                f'{self.day(article)}</font></td><td valign="top" width="100">{picture}</td>'
                f'<td valign="top"><a href="{href}"><b>{title}</b></a><br>'
                f'<font size="2">{teaser}</font></td></tr>'
            )
        main = (
            self.heading(escape(heading))
            + '\n<table width="100%" border="0" cellspacing="0" cellpadding="4">\n'
            + "\n".join(rows)
            + "\n</table>\n<br>"
            + self._pager(path, page, last, len(articles), page_size)
        )
        return self.page(heading, main)

    def _pager(self, path: str, page: int, last: int, total: int, page_size: int) -> str:
        """Page: « Previous page | 1 [2] 3 | Next page », the numbers as query-only hrefs."""
        words = self.words
        numbers = []
        for n in self.window(page, last):
            if n == page:
                numbers.append(f"<b>[{n}]</b>")
            elif n == 1:
                numbers.append(f'<a href="{escape(path)}">{n}</a>')
            else:
                numbers.append(f'<a href="?PAGEN_1={n}">{n}</a>')
        parts = [escape(words["page"])]
        if page > 1:
            parts.append(
                f'<a href="{self.page_href(path, page - 1)}">{escape(words["prev"])}</a> |'
            )
        parts.append(" ".join(numbers))
        if page < last:
            parts.append(
                f'| <a href="{self.page_href(path, page + 1)}">{escape(words["next"])}</a>'
            )
        return '<div class="pager"><font size="2">' + " ".join(parts) + "</font></div>"
