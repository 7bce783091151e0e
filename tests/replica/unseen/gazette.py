"""The "gazette" markup: a 2010s Bitrix site template built of widgets, two columns.

Tests: `<body class="inner-page no-sidebar">` with the article inside `div.widget` and
`div.nav-*`-named wrappers; the date (dd.mm.yyyy) above an <h1> title, with "Print version"
(`javascript:window.print()`) and "Send to a friend" (`javascript:void(0)`) tools between them;
the body's first short lines in <strong> (a speech's heading, a dateline "December 29, 2025,
Almaty", salutations "Dear colleagues!"), statements closing with a right-aligned place and date
("22 февраля 2017 года, г. Ереван"); three unclosed <div>s after the first paragraph in some
articles (the template's </div>s then close the wrong elements); an "Other news" widget of two
or three articles (date, linked title, teaser paragraph) right after the text and BEFORE the
share popups (`javascript:void(window.open(...))`) and the `javascript:history.back()` back link;
a right-hand sidebar of dated teasers; listings as dated items with a Bitrix "modern" pager.
"""

from __future__ import annotations

from html import escape
from typing import ClassVar
from urllib.parse import quote

from ..content import SECTION_PATHS, Article
from ..markup import LISTING_TITLES
from .base import FormalRenderer, Picture

SKIN = "/bitrix/templates/csto_gazette"
UNCLOSED = (
    '<div class="news-detail__inner"><div class="text-block"><div style="text-align: justify;">'
)


class GazetteRenderer(FormalRenderer):
    """Bitrix components wrapped in the template's widget boxes."""

    WORDS: ClassVar[dict[str, dict[str, str]]] = {
        "en": {
            "back": "« Back",
            "section": "Back to the section",
            "all": "All news",
            "latest": "News of the day",
            "other": "Other news",
            "share": "Share:",
            "print": "Print version",
            "send": "Send to a friend",
            "files": "Attached files:",
            "home": "Home",
            "prev": "Previous",
            "next": "Next",
        },
        "ru": {
            "back": "« Назад",
            "section": "Вернуться в раздел",
            "all": "Все новости",
            "latest": "Новости дня",
            "other": "Другие новости",
            "share": "Поделиться:",
            "print": "Версия для печати",
            "send": "Отправить другу",
            "files": "Прикреплённые файлы:",
            "home": "Главная",
            "prev": "Назад",
            "next": "Вперёд",
        },
    }
    SHARE = (
        ("vk", "VK", "https://vk.com/share.php?url="),
        ("ok", "OK", "https://connect.ok.ru/offer?url="),
        ("tg", "Telegram", "https://t.me/share/url?url="),
    )

    # --- frame: two columns, the sidebar on the right ---

    def page(self, title: str, main: str, *, sidebar: str = "") -> str:
        menu = "".join(
            f'<li class="nav-main__item"><a href="{href}">{text}</a></li>'
            for href, text in self.menu_items()
        )
        site = escape(self.site_name())
        right = f'<div class="column-right sidebar">\n{sidebar}\n</div>\n' if sidebar else ""
        return (
            f'<!DOCTYPE html>\n<html lang="{self.lang}">\n<head>\n'
            '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">\n'
            f"<title>{escape(title)}</title>\n"
            f'<link href="{SKIN}/template_styles.css" type="text/css" rel="stylesheet">\n'
            "</head>\n"
            '<body class="inner-page no-sidebar">\n<div id="panel"></div>\n'
            '<div class="page-wrap">\n'
            f'<div class="header-top nav-top"><a class="logo" href="/"><img src="{SKIN}/images/'
            f'logo.png" alt=""></a><span class="logo-text">{site}</span></div>\n'
            f'<div class="nav-main"><ul class="nav-main__list">{menu}</ul></div>\n'
            '<div class="columns clearfix">\n'
            f'<div class="column-left widget-column">\n{main}\n</div>\n{right}</div>\n'
            '<div class="footer"><div class="footer__copy">'
            + "<br>".join(self.footer_lines())
            + "</div></div>\n</div>\n</body>\n</html>\n"
        )

    def heading(self, text: str) -> str:
        return f'<h1 class="page-title">{text}</h1>'

    def block_heading(self, text: str, href: str) -> str:
        return f'<div class="widget-title"><a href="{href}">{text}</a></div>'

    # --- sidebar: "News of the day", dated teasers ---

    def sidebar(self, latest: list[Article], key: object) -> str:
        rng = self._rng("sidebar", key)
        items = []
        for article in latest:
            href = escape(self.link(article.path, rng))
            dated = ""
            if rng.random() < 0.7:
                dated = f'<span class="news-date-time">{self.day(article)}</span>'
            items.append(
                f'<div class="news-item">{dated}<a href="{href}">'
                f"{self._text(article.summary, rng)}</a></div>"
            )
        return (
            '<div class="widget widget-news-day">'
            f'<div class="widget-title">{escape(self.words["latest"])}</div>\n'
            + "\n".join(items)
            + "\n</div>"
        )

    # --- detail ---

    def detail(self, article: Article, latest: list[Article]) -> str:
        rng = self._rng("detail", article.id)
        words = self.words
        section = escape(self.section_name(article))
        crumbs = (
            f'<div class="breadcrumbs nav-chain"><a href="/">{escape(words["home"])}</a> / '
            f'<a href="{SECTION_PATHS[article.section]}">{section}</a></div>'
        )
        tools = (
            '<span class="news-detail__tools">'
            f'<a class="print" href="javascript:window.print()" title="{escape(words["print"])}">'
            f'<img src="{SKIN}/images/print.gif" alt=""> {escape(words["print"])}</a> '
            f'<a class="send" href="javascript:void(0)" onclick="showSendForm({article.id})">'
            f"{escape(words['send'])}</a></span>"
        )
        top = (
            f'<div class="news-detail__top"><span class="news-date-time">{self.day(article)}'
            f"</span> {tools}</div>\n"
            f'<h1 class="news-detail__title">{self._text(article.title, rng, markup=False)}</h1>\n'
        )
        files = ""
        if article.attachment:
            attachment = article.attachment
            name = self._text(attachment.name, rng, markup=False)
            files = (
                f'<div class="news-detail__files">{escape(words["files"])} '
                f'<a href="{escape(attachment.path)}">{name}</a></div>\n'
            )
        picture = ""
        if article.picture:
            picture = (
                f'<img class="detail_picture" src="{escape(article.picture.path)}" width="400" '
                f'alt="{escape(article.title)}" title="{escape(article.title)}">\n'
            )
        others = self.others(article, latest, 2 + self._rng("count", article.id).randrange(2))
        other = "".join(
            f'<div class="other-news__item"><div class="other-news__date">{self.day(o)}</div>'
            f'<a class="other-news__title" href="{escape(self.link(o.path, rng))}">'
            f'{escape(o.title)}</a><div class="other-news__text">{self._text(o.summary, rng)}'
            "</div></div>\n"
            for o in others
        )
        url = quote(article.url, safe="")
        share = " ".join(
            f'<a class="share__{key}" href="javascript:void(window.open(\'{prefix}{url}\','
            f"'','width=600,height=400'))\">{name}</a>"
            for key, name, prefix in self.SHARE
        )
        back = " | ".join(
            f'<a href="{href}">{escape(words[kind])}</a>'
            for kind, href in self.back_targets(article)
        )
        main = (
            f"{crumbs}\n"
            '<div class="widget widget-news-detail"><div class="news-detail">\n'
            f"{top}{files}"
            f'<div class="news-detail__text">\n{picture}{self.body(article)}\n</div>\n'
            f'<div class="other-news widget widget-other"><div class="widget-title">'
            f"{escape(words['other'])}</div>\n{other}</div>\n"
            f'<div class="share nav-share">{escape(words["share"])} {share}</div>\n'
            f'<div class="news-detail__back nav-back">{back}</div>\n'
            "</div></div>"
        )
        return self.page(article.title, main, sidebar=self.sidebar(latest, article.id))

    def body(self, article: Article) -> str:
        """Opening lines in <strong>, <p>s, photos with captions, the closing line right-aligned;
        three <div>s opened after the first paragraph and never closed in some articles."""
        parts = self.blocks(article, self._rng("body", article.id))
        opening, middle, closing = self.split(article, parts)
        html = [f"<p><strong>{line.html}</strong></p>" for line in opening]
        unclosed = self._rng("unclosed", article.id).random() < 0.35
        for index, part in enumerate(middle):
            if isinstance(part, Picture):
                html.append(
                    f'<div class="news-detail__photo"><img src="{escape(part.image.path)}" alt="">'
                    f'<div class="caption">{part.caption}</div></div>'
                )
            else:
                html.append(part.paragraph())
            if index == 0 and unclosed:
                html.append(UNCLOSED)
        html += [f'<p style="text-align: right;"><b>{line.html}</b></p>' for line in closing]
        return "\n".join(html)

    # --- listings ---

    def listing(self, path: str, articles: list[Article], page: int, page_size: int) -> str:
        items, last = self.page_slice(articles, page, page_size)
        heading = self._pick(LISTING_TITLES[path])
        rows = []
        for article in items:
            href, title, teaser = self.entry(path, article)
            picture = ""
            if article.picture:
                picture = (
                    f'<a href="{href}"><img class="preview_picture" src="'
                    f'{escape(article.picture.path)}" width="120" alt=""></a>'
                )
            rows.append(
                f'<div class="news-item">{picture}'
                f'<span class="news-date-time">{self.day(article)}</span>'
                f'<a class="news-item__title" href="{href}"><b>{title}</b></a><br>'
                f'<div class="news-item__text">{teaser}</div></div>'
            )
        main = (
            f"{self.heading(escape(heading))}\n"
            '<div class="widget widget-news-list"><div class="news-list">\n'
            + "\n".join(rows)
            + "\n</div></div>\n"
            + self._page_links(path, page, last)
        )
        return self.page(heading, main)

    def _page_links(self, path: str, page: int, last: int) -> str:
        """Bitrix's "modern" pager: a <ul> of numbers between "Previous" and "Next"."""
        words = self.words
        items = []
        if page > 1:
            items.append(
                f'<li class="bx-pag-prev"><a href="{self.page_href(path, page - 1)}">'
                f"<span>{escape(words['prev'])}</span></a></li>"
            )
        for n in self.window(page, last):
            if n == page:
                items.append(f'<li class="bx-active"><span>{n}</span></li>')
            else:
                items.append(f'<li><a href="{self.page_href(path, n)}"><span>{n}</span></a></li>')
        if page < last:
            items.append(
                f'<li class="bx-pag-next"><a href="{self.page_href(path, page + 1)}">'
                f"<span>{escape(words['next'])}</span></a></li>"
            )
        return (
            '<div class="bx-pagination nav-pages"><div class="bx-pagination-container">'
            f"<ul>{''.join(items)}</ul></div></div>"
        )
