"""The "portal" markup: a news-portal re-skin whose detail pages never print the title.

Tests: the title only in <title> ("Title | CSTO"), og:title and the listing card; the sidebar
AFTER the article; a date line with an icon (or the date glued to the first words); share
buttons and a dated "Other news" list inside the article block; lazy images (placeholder src +
data-original, srcset on the lead picture) with captions only in alt; "Download (PDF)" links;
icon-decorated back links; listing cards that are one link around date, title, teaser and
"Read more →"; "«/»" pagers with #nav_start and &bxajaxid= junk.
"""

from __future__ import annotations

from html import escape
from typing import ClassVar

from ..content import BXAJAXIDS, SECTION_PATHS, Article
from ..markup import LISTING_TITLES
from .base import Picture, UnseenRenderer

ASSETS = "/bitrix/templates/portal"
PLACEHOLDER = f"{ASSETS}/images/blank.gif"


class PortalRenderer(UnseenRenderer):
    """Cards, widgets and icon fonts; the article's own headline lives only in the <head>."""

    WORDS: ClassVar[dict[str, dict[str, str]]] = {
        "en": {
            "back": "Back",
            "section": "Section news",
            "all": "All news",
            "download": "Download ({kind})",
            "latest": "News",
            "other": "Other news",
            "share": "Share:",
            "more": "Read more →",
            "home": "Home",
            "suffix": "CSTO",
        },
        "ru": {
            "back": "Назад",
            "section": "Новости раздела",
            "all": "Все новости",
            "download": "Скачать ({kind})",
            "latest": "Новости",
            "other": "Другие новости",
            "share": "Поделиться:",
            "more": "Подробнее →",
            "home": "Главная",
            "suffix": "ОДКБ",
        },
    }

    # --- frame: content first, the widget column after it ---

    def page(self, title: str, main: str, *, sidebar: str = "", meta: str = "") -> str:
        menu = "".join(
            f'<a class="portal-menu__item" href="{href}">{text}</a>'
            for href, text in self.menu_items()
        )
        aside = f'<aside class="layout__aside">\n{sidebar}\n</aside>\n' if sidebar else ""
        site = escape(self.site_name())
        return (
            f'<!DOCTYPE html>\n<html lang="{self.lang}">\n<head>\n<meta charset="UTF-8">\n'
            f"<title>{escape(title)} | {self.words['suffix']}</title>\n{meta}"
            f'<link rel="stylesheet" href="{ASSETS}/template_styles.css">\n</head>\n'
            '<body class="portal">\n<div class="wrapper">\n<header class="portal-header">'
            f'<a class="portal-header__logo" href="/"><img src="{ASSETS}/images/logo.png" '
            f'alt="{site}"></a><div class="portal-header__name">{site}</div></header>\n'
            f'<nav class="portal-menu">{menu}</nav>\n<div class="layout">\n'
            f'<main class="layout__main">\n{main}\n</main>\n{aside}</div>\n'
            '<footer class="portal-footer">'
            + "".join(
                f'<div class="portal-footer__line">{line}</div>' for line in self.footer_lines()
            )
            + "</footer>\n</div>\n"
            f'<script src="{ASSETS}/js/jquery.lazyload.min.js"></script>\n</body>\n</html>\n'
        )

    def heading(self, text: str) -> str:
        return f'<h1 class="page-title">{text}</h1>'

    def block_heading(self, text: str, href: str) -> str:
        return f'<div class="block-title"><a href="{href}">{text}</a></div>'

    @staticmethod
    def lazy(path: str, css: str, alt: str = "") -> str:
        return (
            f'<img class="{css} lazy" src="{PLACEHOLDER}" data-original="{escape(path)}" '
            f'alt="{alt}">'
        )

    # --- sidebar: a widget after the content ---

    def sidebar(self, latest: list[Article], key: object) -> str:
        rng = self._rng("sidebar", key)
        items = []
        for article in latest:
            href = escape(self.link(article.path, rng))
            teaser = self._text(article.summary, rng)
            dated = ""
            if rng.random() < 0.6:
                dated = f'<div class="widget__date">{self.day(article)}</div>'
            items.append(
                f'<div class="widget__item">{dated}<a class="widget__link" href="{href}">'
                f"{teaser}</a></div>"
            )
        return (
            f'<div class="widget widget--news"><div class="widget__title">'
            f"{escape(self.words['latest'])}</div>\n" + "\n".join(items) + "\n"
            f'<a class="widget__all" href="/news/">{escape(self.words["all"])}</a></div>'
        )

    # --- detail: no element prints the title ---

    def detail(self, article: Article, latest: list[Article]) -> str:
        rng = self._rng("detail", article.id)
        words = self.words
        day = self.day(article)
        section = escape(self.section_name(article))
        section_path = SECTION_PATHS[article.section]
        crumbs = (
            f'<div class="breadcrumbs"><a href="/">{escape(words["home"])}</a> » '
            f'<a href="{section_path}">{section}</a></div>'
        )
        glued = day if article.date_style == "glued" and not article.attachment else ""
        date = (
            ""
            if glued
            else (
                f' <span class="news-detail-page__date"><i class="icon icon-calendar"></i>{day}</span>'
            )
        )
        top = f'<div class="news-detail-page__top"><span class="news-detail-page__section">{section}</span>{date}</div>\n'
        attach = ""
        if article.attachment:
            attachment = article.attachment
            label = words["download"].format(kind=attachment.kind.upper())
            attach = (
                f'<div class="attach"><a class="attach__link" href="{escape(attachment.path)}" '
                f'target="_blank"><i class="icon icon-file"></i>{escape(label)}</a></div>\n'
            )
        picture = ""
        if article.picture:
            path = escape(article.picture.path)
            picture = (
                '<div class="news-detail-page__img">'
                f'<img class="lazy" src="{PLACEHOLDER}" data-original="{path}" '
                f'srcset="{path} 800w" sizes="(max-width: 800px) 100vw, 800px" alt=""></div>\n'
            )
        body = []
        for part in self.blocks(article, rng, glued):
            if isinstance(part, Picture):
                alt = escape(part.image.caption)
                body.append(f'<p class="photo">{self.lazy(part.image.path, "photo__img", alt)}</p>')
            else:
                body.append(part.paragraph())
        share = "".join(
            f'<a class="share__btn share__btn--{key}" href="{href}" title="{name}" '
            f'target="_blank"><i class="icon icon-{key}"></i></a>'
            for key, name, href in self.share_links(article)
        )
        others = "".join(
            f'<li><span class="other__date">{self.day(other)}</span> '
            f'<a href="{escape(self.link(other.path, rng))}">{escape(other.title)}</a></li>'
            for other in latest[:3]
        )
        back = "".join(
            f'<a class="back-link back-link--{kind}" href="{href}">'
            f'<i class="icon icon-{"arrow-left" if kind == "back" else "list"}"></i> '
            f"{escape(words[kind])}</a>"
            for kind, href in self.back_targets(article)
        )
        main = (
            f'{crumbs}\n<div class="news-detail-page">\n{top}{attach}{picture}'
            '<div class="news-detail-page__text">\n' + "\n".join(body) + "\n</div>\n"
            f'<div class="share">{escape(words["share"])} {share}</div>\n'
            f'<div class="other"><div class="other__title">{escape(words["other"])}</div>'
            f"<ul>{others}</ul></div>\n</div>\n"
            f'<div class="news-detail-page__back">{back}</div>'
        )
        meta = (
            '<meta property="og:type" content="article">\n'
            f'<meta property="og:title" content="{escape(article.title)}">\n'
            f'<meta property="og:url" content="{escape(article.url)}">\n'
        )
        return self.page(article.title, main, sidebar=self.sidebar(latest, article.id), meta=meta)

    # --- listings: each card is one link ---

    def listing(self, path: str, articles: list[Article], page: int, page_size: int) -> str:
        items, last = self.page_slice(articles, page, page_size)
        heading = self._pick(LISTING_TITLES[path])
        cards = []
        for article in items:
            href, title, teaser = self.entry(path, article)
            image = ""
            if article.picture:
                image = (
                    f'<span class="card__img">{self.lazy(article.picture.path, "card__pic")}</span>'
                )
            cards.append(
                f'<a class="card" href="{href}">{image}'
                f'<span class="card__date">{self.day(article)}</span>'
                f'<span class="card__title">{title}</span>'
                f'<span class="card__text">{teaser}</span>'
                f'<span class="card__more">{escape(self.words["more"])}</span></a>'
            )
        main = (
            f'<div class="breadcrumbs"><a href="/">{escape(self.words["home"])}</a></div>\n'
            f"{self.heading(escape(heading))}\n"
            '<div class="cards">\n'
            + "\n".join(cards)
            + "\n</div>\n"
            + self._pager(path, page, last, len(articles), page_size)
        )
        return self.page(heading, main)

    def _pager(self, path: str, page: int, last: int, total: int, page_size: int) -> str:
        """Numbers jump to #nav_start; the arrows carry the AJAX component's bxajaxid."""
        ajax = f"&bxajaxid={BXAJAXIDS[(len(path) + 1) % 2]}"
        links = []
        if page > 1:
            links.append(
                f'<a class="nav-pages__prev" href="{self.page_href(path, page - 1, ajax)}">«</a>'
            )
        for n in self.window(page, last):
            if n == page:
                links.append(f'<span class="nav-pages__current">{n}</span>')
            else:
                links.append(f'<a href="{self.page_href(path, n, "#nav_start")}">{n}</a>')
        if page < last:
            links.append(
                f'<a class="nav-pages__next" href="{self.page_href(path, page + 1, ajax)}">»</a>'
            )
        return '<div class="nav-pages" id="nav_start">' + " ".join(links) + "</div>"
