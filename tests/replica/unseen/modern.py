"""The "modern" markup: a 2020s BEM re-skin whose only <h1> is the site logo.

Tests: <h1> = site name and <title>/og:title = site name on detail pages (the article title is
an <h2> printed in the body and its breadcrumb), an <h2> "Latest news" sidebar BEFORE the
article, the date ABOVE the title in <time datetime>, breadcrumbs ending with the title, share
buttons and a dated "Related news" list inside <article>, lazy images (placeholder src +
data-src), "Скачать файл" download links without the file name, "←/→" pagers, and listing cards
with dates, title links, teasers and "Read more" links.
"""

from __future__ import annotations

from html import escape
from typing import ClassVar

from ..content import SECTION_PATHS, Article
from ..markup import LISTING_TITLES, STATIC_PAGES
from .base import Picture, UnseenRenderer

ASSETS = "/local/templates/csto2020"
PLACEHOLDER = f"{ASSETS}/img/placeholder.gif"


class ModernRenderer(UnseenRenderer):
    """Bootstrap grid and BEM blocks, lazysizes images, semantic but heading-poor markup."""

    WORDS: ClassVar[dict[str, dict[str, str]]] = {
        "en": {
            "back": "← Back",
            "section": "More in this section",
            "all": "All news →",
            "download": "Download file",
            "latest": "Latest news",
            "share": "Share",
            "related": "Related news",
            "home": "Home",
            "more": "Read more",
            "prev": "Previous page",
            "next": "Next page",
            "menu": "Menu",
        },
        "ru": {
            "back": "← Назад",
            "section": "Ещё в разделе",
            "all": "Все новости →",
            "download": "Скачать файл",
            "latest": "Свежие новости",
            "share": "Поделиться",
            "related": "Читайте также",
            "home": "Главная",
            "more": "Подробнее",
            "prev": "Предыдущая страница",
            "next": "Следующая страница",
            "menu": "Меню",
        },
    }

    # --- frame: the logo is the page's only <h1>; the sidebar comes first in the source ---

    def page(self, title: str, main: str, *, sidebar: str = "") -> str:
        menu = "".join(
            f'<li class="nav__item"><a class="nav__link" href="{href}">{text}</a></li>'
            for href, text in self.menu_items()
        )
        site = escape(self.site_name())
        if sidebar:
            body = (
                '<div class="row">\n'
                f'<aside class="col-lg-4 order-lg-2 news-feed">\n{sidebar}\n</aside>\n'
                f'<div class="col-lg-8 order-lg-1">\n{main}\n</div>\n</div>'
            )
        else:
            body = main
        return (
            f'<!DOCTYPE html>\n<html lang="{self.lang}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)}</title>\n"
            f'<meta property="og:site_name" content="{site}">\n'
            f'<meta property="og:title" content="{escape(title)}">\n'
            f'<link rel="stylesheet" href="{ASSETS}/css/main.min.css">\n</head>\n'
            '<body>\n<header class="header"><div class="container header__inner">\n'
            f'<h1 class="header__logo"><a class="header__logo-link" href="/">'
            f'<img class="header__logo-img" src="{ASSETS}/img/logo.svg" alt=""> {site}</a></h1>\n'
            f'<button class="header__burger" type="button" aria-label="{self.words["menu"]}">'
            "<span></span></button>\n"
            f'<nav class="header__nav"><ul class="nav">{menu}</ul></nav>\n</div></header>\n'
            f'<main class="main"><div class="container">\n{body}\n</div></main>\n'
            '<footer class="footer"><div class="container">'
            + "".join(f'<p class="footer__line">{line}</p>' for line in self.footer_lines())
            + "</div></footer>\n"
            f'<script src="{ASSETS}/js/lazysizes.min.js" async></script>\n</body>\n</html>\n'
        )

    def heading(self, text: str) -> str:
        return f'<h2 class="page-title">{text}</h2>'

    def block_heading(self, text: str, href: str) -> str:
        return f'<h3 class="home-block__title"><a href="{href}">{text}</a></h3>'

    @staticmethod
    def time(article: Article, css: str) -> str:
        iso = article.published.isoformat()
        return f'<time class="{css}" datetime="{iso}">{article.published:%d.%m.%Y}</time>'

    @staticmethod
    def lazy(path: str, css: str, alt: str = "") -> str:
        return (
            f'<img class="{css} lazyload" src="{PLACEHOLDER}" data-src="{escape(path)}" '
            f'alt="{escape(alt)}">'
        )

    # --- sidebar: an <h2> "Latest news" before the article ---

    def sidebar(self, latest: list[Article], key: object) -> str:
        rng = self._rng("sidebar", key)
        items = []
        for article in latest:
            href = escape(self.link(article.path, rng))
            teaser = self._text(article.summary, rng)
            dated = self.time(article, "news-feed__date") if rng.random() < 0.6 else ""
            items.append(
                f'<li class="news-feed__item">{dated}'
                f'<a class="news-feed__link" href="{href}">{teaser}</a></li>'
            )
        return (
            f'<h2 class="news-feed__title">{escape(self.words["latest"])}</h2>\n'
            '<ul class="news-feed__list">\n' + "\n".join(items) + "\n</ul>"
        )

    # --- detail ---

    def detail(self, article: Article, latest: list[Article]) -> str:
        rng = self._rng("detail", article.id)
        words = self.words
        title = self._text(article.title, rng, markup=False)
        section = escape(self.section_name(article))
        if article.section == "statements":
            parent = ("/documents/", self._pick(STATIC_PAGES["/documents/"][:2]))
        else:
            parent = ("/news/", self._pick(LISTING_TITLES["/news/"]))
        crumbs = (
            '<nav class="breadcrumbs" aria-label="breadcrumb"><ol class="breadcrumbs__list">'
            f'<li class="breadcrumbs__item"><a href="/">{escape(words["home"])}</a></li>'
            f'<li class="breadcrumbs__item"><a href="{parent[0]}">{escape(parent[1])}</a></li>'
            f'<li class="breadcrumbs__item"><a href="{SECTION_PATHS[article.section]}">'
            f"{section}</a></li>"
            f'<li class="breadcrumbs__item" aria-current="page"><span>{title}</span></li>'
            "</ol></nav>"
        )
        head = (
            f'<div class="article__meta">{self.time(article, "article__date")}'
            f'<span class="article__section">{section}</span></div>\n'
            f'<h2 class="article__title">{self._text(article.title, rng, markup=False)}</h2>\n'
        )
        files = ""
        if article.attachment:
            attachment = article.attachment
            files = (
                f'<div class="article__files"><a class="file" href="{escape(attachment.path)}" '
                f'download="{escape(attachment.name)}"><svg class="file__icon" width="24" '
                'height="24" aria-hidden="true"><use href="#icon-file"></use></svg>'
                f'<span class="file__label">{escape(words["download"])}</span> '
                f'<span class="file__ext">{attachment.kind.upper()}</span></a></div>\n'
            )
        picture = ""
        if article.picture:
            picture = (
                '<figure class="article__picture">'
                f"{self.lazy(article.picture.path, 'article__img', article.title)}</figure>\n"
            )
        body = []
        for part in self.blocks(article, rng):
            if isinstance(part, Picture):
                body.append(
                    f'<figure class="article__figure">{self.lazy(part.image.path, "article__img")}'
                    f"<figcaption>{part.caption}</figcaption></figure>"
                )
            else:
                body.append(part.paragraph())
        related = "".join(
            f'<li class="related__item">{self.time(other, "related__date")} '
            f'<a class="related__link" href="{escape(self.link(other.path, rng))}">'
            f"{escape(other.title)}</a></li>"
            for other in latest[-3:]
        )
        share = "".join(
            f'<a class="share__link share__link--{key}" href="{href}" target="_blank" '
            f'rel="noopener">{name}</a>'
            for key, name, href in self.share_links(article)
        )
        back = "".join(
            f'<a class="article-nav__link article-nav__link--{kind}" href="{href}">'
            f"{escape(words[kind])}</a>"
            for kind, href in self.back_targets(article)
        )
        main = (
            f'{crumbs}\n<article class="article">\n{head}{files}{picture}'
            '<div class="article__body">\n' + "\n".join(body) + "\n</div>\n"
            f'<div class="article__related related"><h3 class="related__title">'
            f'{escape(words["related"])}</h3><ul class="related__list">{related}</ul></div>\n'
            f'<div class="article__share share"><span class="share__label">'
            f"{escape(words['share'])}</span>{share}</div>\n"
            f'</article>\n<div class="article-nav">{back}</div>'
        )
        return self.page(self.site_name(), main, sidebar=self.sidebar(latest, article.id))

    # --- listings: cards in <div>s ---

    def listing(self, path: str, articles: list[Article], page: int, page_size: int) -> str:
        items, last = self.page_slice(articles, page, page_size)
        heading = self._pick(LISTING_TITLES[path])
        cards = []
        for article in items:
            href, title, teaser = self.entry(path, article)
            image = ""
            if article.picture:
                image = (
                    f'<a class="news-card__image" href="{href}">'
                    f"{self.lazy(article.picture.path, 'news-card__img')}</a>"
                )
            cards.append(
                f'<div class="news-card">{image}<div class="news-card__body">'
                f"{self.time(article, 'news-card__date')}"
                f'<h3 class="news-card__title"><a href="{href}">{title}</a></h3>'
                f'<p class="news-card__text">{teaser}</p>'
                f'<a class="news-card__more" href="{href}">{escape(self.words["more"])}</a>'
                "</div></div>"
            )
        main = (
            f"{self.heading(escape(heading))}\n"
            '<div class="news-grid">\n'
            + "\n".join(cards)
            + "\n</div>\n"
            + self._pager(path, page, last, len(articles), page_size)
        )
        return self.page(f"{heading} — {self.site_name()}", main)

    def _pager(self, path: str, page: int, last: int, total: int, page_size: int) -> str:
        """Arrows with aria-labels around numbered links."""
        words = self.words
        items = []
        if page > 1:
            items.append(
                f'<li class="pager__item"><a class="pager__prev" href="'
                f'{self.page_href(path, page - 1)}" aria-label="{words["prev"]}">←</a></li>'
            )
        for n in self.window(page, last):
            if n == page:
                items.append(f'<li class="pager__item pager__item--active"><span>{n}</span></li>')
            else:
                items.append(
                    f'<li class="pager__item"><a href="{self.page_href(path, n)}">{n}</a></li>'
                )
        if page < last:
            items.append(
                f'<li class="pager__item"><a class="pager__next" href="'
                f'{self.page_href(path, page + 1)}" aria-label="{words["next"]}">→</a></li>'
            )
        return '<nav class="pager"><ul class="pager__list">' + "".join(items) + "</ul></nav>"
