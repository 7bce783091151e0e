"""The "hero" markup: a 2020s WordPress-style theme whose article header is a hero block.

Tests: `<body class="... no-sidebar header-aligned-left">` and containers of the article named
`widget-*`, `nav-*` and `site-header`-like; the <h1>, a dek (the listing teaser) and the lead
picture's <figure> with its caption in a hero <header>, the text in a SIBLING
`<section name="articleBody">`; the date in words in a <time> above the <h1>; a print link
(`javascript:window.print()`) in the hero's meta line, before the text; speeches opening with a
centred heading, an italic dateline and salutations, statements closing with the place and date
of their adoption; three unclosed <div>s after the first paragraph in some articles; a "Read
also" block of two or three other articles (date, linked title, teaser paragraph) right after the
text, inside <article>; share buttons as `javascript:` popups next to a `javascript:history.back()`
back link; the latest news as a footer widget; listings of cards with excerpts.
"""

from __future__ import annotations

from html import escape
from typing import ClassVar
from urllib.parse import quote

from ..content import MONTHS, SECTION_PATHS, Article
from ..markup import LISTING_TITLES
from .base import FormalRenderer, Picture

ASSETS = "/wp-content/themes/csto-hero"
UNCLOSED = (
    '<div class="wp-block-group"><div class="wp-block-group__inner-container">'
    '<div class="wp-block-columns">'
)


def date_in_words(article: Article, lang: str) -> str:
    """ "December 29, 2025" / "29 декабря 2025", as the theme's date format prints it."""
    day = article.published
    month = MONTHS[lang][day.month - 1]
    return f"{month} {day.day}, {day.year}" if lang == "en" else f"{day.day} {month} {day.year}"


class HeroRenderer(FormalRenderer):
    """A block theme: hero header, entry-content section, widgets everywhere."""

    WORDS: ClassVar[dict[str, dict[str, str]]] = {
        "en": {
            "back": "← Back",
            "section": "More from this section",
            "all": "All news",
            "latest": "Latest news",
            "related": "Read also",
            "share": "Share:",
            "print": "Print",
            "download": "Download",
            "older": "Older posts",
            "newer": "Newer posts",
            "skip": "Skip to content",
        },
        "ru": {
            "back": "← Назад",
            "section": "Ещё из раздела",
            "all": "Все новости",
            "latest": "Последние новости",
            "related": "Читайте также",
            "share": "Поделиться:",
            "print": "Распечатать",
            "download": "Скачать",
            "older": "Предыдущие записи",
            "newer": "Следующие записи",
            "skip": "Перейти к содержимому",
        },
    }

    # --- frame: class hints on <body> and on every container of the article ---

    def page(self, title: str, main: str, *, sidebar: str = "", kind: str = "page") -> str:
        menu = "".join(
            f'<li class="menu-item nav-item"><a class="nav-link" href="{href}">{text}</a></li>'
            for href, text in self.menu_items()
        )
        site = escape(self.site_name())
        widgets = ""
        if sidebar:
            widgets = f'<aside class="widget-area footer-widgets" role="complementary">\n{sidebar}\n</aside>\n'
        return (
            f'<!DOCTYPE html>\n<html lang="{self.lang}">\n<head>\n<meta charset="UTF-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)} – {site}</title>\n"
            f"<link rel='stylesheet' href='{ASSETS}/style.css' media='all'>\n</head>\n"
            f'<body class="{kind} wp-embed-responsive no-sidebar header-aligned-left '
            'nav-sticky">\n'
            f'<a class="skip-link screen-reader-text" href="#main">{escape(self.words["skip"])}</a>\n'
            '<div id="page" class="site">\n'
            '<header id="masthead" class="site-header"><div class="site-branding">'
            f'<p class="site-title"><a href="/" rel="home">{site}</a></p></div>\n'
            '<nav id="site-navigation" class="main-navigation nav-primary">'
            f'<ul id="primary-menu" class="nav-menu">{menu}</ul></nav>\n</header>\n'
            '<div id="content" class="site-content nav-offset">\n'
            '<div id="primary" class="content-area widget-area-main">\n'
            f'<main id="main" class="site-main">\n{main}\n</main>\n</div>\n</div>\n'
            f'{widgets}<footer id="colophon" class="site-footer"><div class="site-info">'
            + "<br>".join(self.footer_lines())
            + f"</div></footer>\n</div>\n<script src='{ASSETS}/js/share.js'></script>\n"
            "</body>\n</html>\n"
        )

    def heading(self, text: str) -> str:
        return f'<h1 class="page-title">{text}</h1>'

    def block_heading(self, text: str, href: str) -> str:
        return f'<h2 class="widget-title"><a href="{href}">{text}</a></h2>'

    def time(self, article: Article, css: str) -> str:
        iso = article.published.isoformat()
        return (
            f'<time class="{css}" datetime="{iso}T10:00:00+03:00">'
            f"{date_in_words(article, self.lang)}</time>"
        )

    # --- the latest news: a footer widget ---

    def sidebar(self, latest: list[Article], key: object) -> str:
        rng = self._rng("sidebar", key)
        items = []
        for article in latest:
            href = escape(self.link(article.path, rng))
            dated = (
                f' <span class="post-date">{self.day(article)}</span>' if rng.random() < 0.6 else ""
            )
            items.append(f'<li><a href="{href}">{self._text(article.summary, rng)}</a>{dated}</li>')
        return (
            '<section id="recent-posts-2" class="widget widget_recent_entries">'
            f'<h2 class="widget-title">{escape(self.words["latest"])}</h2>\n<ul>'
            + "\n".join(items)
            + "</ul></section>"
        )

    # --- detail ---

    def detail(self, article: Article, latest: list[Article]) -> str:
        rng = self._rng("detail", article.id)
        words = self.words
        section = escape(self.section_name(article))
        meta = (
            f'<div class="entry-meta"><span class="cat-links"><a href="'
            f'{SECTION_PATHS[article.section]}" rel="category tag">{section}</a></span> '
            f'<span class="posted-on">{self.time(article, "entry-date published")}</span> '
            f'<a class="entry-print" href="javascript:window.print()" rel="nofollow">'
            f"{escape(words['print'])}</a></div>\n"
        )
        title = self._text(article.title, rng, markup=False)
        dek = f'<p class="entry-dek">{self._text(article.summary, rng)}</p>\n'
        figure = ""
        if article.picture:
            caption = self._text(article.picture.caption, rng, markup=False)
            figure = (
                '<figure class="entry-hero__figure wp-caption">'
                f'<img class="attachment-full wp-post-image" src="{escape(article.picture.path)}" '
                f'width="1200" height="675" alt=""><figcaption class="wp-caption-text">{caption}'
                "</figcaption></figure>\n"
            )
        hero = (
            '<header class="entry-header entry-hero"><div class="entry-hero__inner">\n'
            f'{meta}<h1 class="entry-title">{title}</h1>\n{dek}{figure}</div></header>\n'
        )
        body = self.body(article)
        others = self.others(article, latest, 2 + self._rng("count", article.id).randrange(2))
        related = "".join(
            '<div class="related-post">'
            f"{self.time(other, 'related-post__date')}"
            f'<h3 class="related-post__title"><a href="{escape(self.link(other.path, rng))}">'
            f"{escape(other.title)}</a></h3>"
            f'<p class="related-post__excerpt">{self._text(other.summary, rng)}</p></div>\n'
            for other in others
        )
        url = quote(article.url, safe="")
        share = (
            f'<div class="share-buttons nav-share"><span class="share-buttons__label">'
            f"{escape(words['share'])}</span> "
            '<a class="share-vk" href="javascript:void(0)" onclick="window.open(\'https://vk.com/'
            f"share.php?url={url}','share','width=626,height=436');return false;\">VK</a> "
            f'<a class="share-tg" href="javascript:sharePopup(\'https://t.me/share/url?url={url}\')">'
            "Telegram</a> "
            f'<a class="share-print" href="javascript:window.print()">{escape(words["print"])}</a>'
            "</div>\n"
        )
        back = " ".join(
            f'<a class="nav-back__link" href="{href}">{escape(words[kind])}</a>'
            for kind, href in self.back_targets(article)
        )
        main = (
            f'<article id="post-{article.id}" class="post-{article.id} post type-post '
            f'status-publish widget-article category-{article.section}">\n{hero}'
            f'<section name="articleBody" class="entry-content" itemprop="articleBody">\n{body}\n'
            "</section>\n"
            f'<section class="related-posts"><h2 class="related-posts__title">'
            f"{escape(words['related'])}</h2>\n{related}</section>\n"
            f'<footer class="entry-footer">\n{share}<nav class="post-navigation nav-back">{back}'
            "</nav>\n</footer>\n</article>"
        )
        return self.page(
            article.title, main, sidebar=self.sidebar(latest, article.id), kind="single single-post"
        )

    def body(self, article: Article) -> str:
        """Opening lines styled apart, <p>s, figures, the file block, the closing line; three
        <div>s opened after the first paragraph and never closed in some articles."""
        parts = self.blocks(article, self._rng("body", article.id))
        opening, middle, closing = self.split(article, parts)
        html = []
        for line in opening:
            if line.html.strip().isupper():  # the speech's heading
                html.append(f'<p class="has-text-align-center"><strong>{line.html}</strong></p>')
            elif any(char.isdigit() for char in line.html):  # the dateline
                html.append(f"<p><em>{line.html}</em></p>")
            else:  # a salutation
                html.append(line.paragraph())
        unclosed = self._rng("unclosed", article.id).random() < 0.35
        for index, part in enumerate(middle):
            if isinstance(part, Picture):
                html.append(
                    f'<figure class="wp-block-image size-large"><img src="{escape(part.image.path)}" '
                    f'alt="" loading="lazy"><figcaption>{part.caption}</figcaption></figure>'
                )
            else:
                html.append(part.paragraph())
            if index == 0 and unclosed:
                html.append(UNCLOSED)
        for line in closing:
            html.append(f'<p class="has-text-align-right"><em>{line.html}</em></p>')
        if article.attachment:
            attachment = article.attachment
            href = escape(attachment.path)
            html.append(
                f'<div class="wp-block-file"><a href="{href}">{escape(attachment.name)}</a>'
                f'<a class="wp-block-file__button" href="{href}" download>'
                f"{escape(self.words['download'])}</a></div>"
            )
        return "\n".join(html)

    # --- listings: post cards ---

    def listing(self, path: str, articles: list[Article], page: int, page_size: int) -> str:
        items, last = self.page_slice(articles, page, page_size)
        heading = self._pick(LISTING_TITLES[path])
        cards = []
        for article in items:
            href, title, teaser = self.entry(path, article)
            thumb = ""
            if article.picture:
                thumb = (
                    f'<a class="post-thumbnail" href="{href}"><img src="'
                    f'{escape(article.picture.path)}" alt="" loading="lazy"></a>'
                )
            cards.append(
                f'<article class="post-card">{thumb}<div class="post-card__body">'
                f"{self.time(article, 'post-card__date')}"
                f'<h2 class="post-card__title"><a href="{href}" rel="bookmark">{title}</a></h2>'
                f'<div class="post-card__excerpt"><p>{teaser}</p></div></div></article>'
            )
        main = (
            f'<header class="page-header">{self.heading(escape(heading))}</header>\n'
            '<div class="posts-grid">\n'
            + "\n".join(cards)
            + "\n</div>\n"
            + self._page_links(path, page, last)
        )
        return self.page(heading, main, kind="archive category")

    def _page_links(self, path: str, page: int, last: int) -> str:
        """WordPress's the_posts_pagination(): prev/next and numbers in .nav-links."""
        words = self.words
        links = []
        if page > 1:
            links.append(
                f'<a class="prev page-numbers" href="{self.page_href(path, page - 1)}">'
                f"{escape(words['newer'])}</a>"
            )
        for n in self.window(page, last):
            if n == page:
                links.append(f'<span aria-current="page" class="page-numbers current">{n}</span>')
            else:
                links.append(f'<a class="page-numbers" href="{self.page_href(path, n)}">{n}</a>')
        if page < last:
            links.append(
                f'<a class="next page-numbers" href="{self.page_href(path, page + 1)}">'
                f"{escape(words['older'])}</a>"
            )
        return (
            '<nav class="navigation pagination" aria-label="Posts"><div class="nav-links">'
            + "".join(links)
            + "</div></nav>"
        )
