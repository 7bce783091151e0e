"""The "flat" markup: Bitrix's own bootstrap_v4 / "flat" news templates, lightly customised.

Tests: listings as a grid of bx-newslist cards (<h3> title links, teaser, view count, the date
UNDER the teaser, "More" buttons) and bx-pagination pagers ("Back"/"Forward" and numbers);
detail pages whose <h1> title is repeated in an <h3>, in the lead picture's alt/title and in a
caption under it; the date (dd.mm.yyyy) BELOW the body beside a view count; bodies mixing bare
text separated by <br><br> with <p>s; body pictures gathered in a gallery of <a href> thumbnails
after the text; icon-only attachment links named by their title attribute; a "Tags:" line; and
the latest news as a numbered <ol> in a column AFTER the content.
"""

from __future__ import annotations

import random
from html import escape
from typing import ClassVar
from urllib.parse import quote

from ..content import Article
from ..markup import LISTING_TITLES
from .base import Picture, Text, UnseenRenderer

TEMPLATE = "/local/templates/bootstrap_v4"
TAGS = {
    "en": (
        "CSTO",
        "Secretary General",
        "Collective Security Council",
        "Joint Staff",
        "peacekeeping",
        "foreign ministers",
        "exercises",
    ),
    "ru": (
        "ОДКБ",
        "Генеральный секретарь",
        "Совет коллективной безопасности",
        "Объединенный штаб",
        "миротворчество",
        "министры иностранных дел",
        "учения",
    ),
}


class FlatRenderer(UnseenRenderer):
    """bx-newslist / bx-newsdetail blocks on a Bootstrap 4 grid, Font Awesome icons."""

    WORDS: ClassVar[dict[str, dict[str, str]]] = {
        "en": {
            "back": "‹ Previous page",
            "section": "All materials of the section",
            "all": "News feed",
            "latest": "Latest publications",
            "more": "More",
            "views": "Views:",
            "tags": "Tags:",
            "prev": "Back",
            "next": "Forward",
            "file": "Download the file",
            "gallery": "Photo gallery",
        },
        "ru": {
            "back": "‹ Предыдущая страница",
            "section": "Все материалы раздела",
            "all": "Лента публикаций",
            "latest": "Последние публикации",
            "more": "Подробнее",
            "views": "Просмотров:",
            "tags": "Теги:",
            "prev": "Назад",
            "next": "Вперед",
            "file": "Скачать файл",
            "gallery": "Фотогалерея",
        },
    }

    # --- frame: header and menu, the content column, then the sidebar column ---

    def page(self, title: str, main: str, *, sidebar: str = "") -> str:
        menu = "".join(
            f'<li class="bx-nav-1-lvl"><a href="{href}"><span>{text}</span></a></li>'
            for href, text in self.menu_items()
        )
        site = escape(self.site_name())
        column = f'<div class="sidebar col-lg-3 col-md-4">\n{sidebar}\n</div>\n' if sidebar else ""
        width = "col-lg-9 col-md-8" if sidebar else "col"
        return (
            f'<!DOCTYPE html>\n<html xml:lang="{self.lang}" lang="{self.lang}">\n<head>\n'
            '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
            f"<title>{escape(title)}</title>\n"
            f'<link href="{TEMPLATE}/css/bootstrap.min.css" type="text/css" rel="stylesheet">\n'
            f'<link href="{TEMPLATE}/template_styles.css" type="text/css" rel="stylesheet">\n'
            '</head>\n<body class="bx-background-image bx-theme-blue">\n<div id="panel"></div>\n'
            '<div class="bx-wrapper" id="bx_eshop_wrap">\n<header class="bx-header">'
            '<div class="bx-header-section container"><div class="row"><div class="col">'
            f'<a class="bx-logo-block" href="/"><img class="bx-logo" src="{TEMPLATE}/images/'
            f'logo.png" alt=""> <span class="bx-logo-text">{site}</span></a></div></div>\n'
            '<div class="row"><div class="col"><nav class="bx-top-nav">'
            f'<ul class="bx-nav-list-1-lvl" id="ul_catalog_menu_XEVOpk">{menu}</ul>'
            "</nav></div></div></div></header>\n"
            '<div class="workarea"><div class="container bx-content-section"><div class="row">\n'
            f'<div class="bx-content {width}">\n{main}\n</div>\n{column}'
            "</div></div></div>\n"
            '<footer class="bx-footer"><div class="bx-footer-section container">'
            + "".join(f'<div class="bx-footer-line">{line}</div>' for line in self.footer_lines())
            + "</div></footer>\n</div>\n"
            f'<script src="{TEMPLATE}/js/bootstrap.bundle.min.js"></script>\n</body>\n</html>\n'
        )

    def heading(self, text: str) -> str:
        return f'<h1 class="bx-title dbg_title" id="pagetitle">{text}</h1>'

    def block_heading(self, text: str, href: str) -> str:
        return f'<h4 class="bx-block-title"><a href="{href}">{text}</a></h4>'

    @staticmethod
    def icon(name: str) -> str:
        return f'<i class="fa fa-{name}" aria-hidden="true"></i>'

    def views(self, article: Article) -> int:
        """The article's view counter (the same on its card and its page)."""
        return self._rng("views", article.id).randint(35, 4800)

    # --- sidebar: a numbered list after the content ---

    def sidebar(self, latest: list[Article], key: object) -> str:
        rng = self._rng("sidebar", key)
        items = []
        for article in latest:
            href = escape(self.link(article.path, rng))
            teaser = self._text(article.summary, rng)
            dated = ""
            if rng.random() < 0.5:
                dated = f'<span class="bx-top-news-date">{self.day(article)}</span> '
            items.append(f'<li class="bx-top-news-item">{dated}<a href="{href}">{teaser}</a></li>')
        return (
            f'<div class="bx-sidebar-block"><h4 class="bx-block-title">'
            f"{escape(self.words['latest'])}</h4>\n"
            '<ol class="bx-top-news">\n' + "\n".join(items) + "\n</ol></div>"
        )

    # --- detail ---

    def detail(self, article: Article, latest: list[Article]) -> str:
        rng = self._rng("detail", article.id)
        words = self.words
        title = self._text(article.title, rng, markup=False)
        picture = ""
        if article.picture:
            alt = escape(article.title)
            picture = (
                f'<div class="bx-newsdetail-img"><img src="{escape(article.picture.path)}" '
                f'width="800" height="533" alt="{alt}" title="{alt}"></div>\n'
                f'<div class="bx-newsdetail-img-caption">{alt}</div>\n'
            )
        parts = self.blocks(article, rng)
        text = self.content(
            [part for part in parts if isinstance(part, Text)], self._rng("flow", article.id)
        )
        gallery = ""
        photos = [part for part in parts if isinstance(part, Picture)]
        if photos:
            thumbs = "".join(
                f'<div class="col-6 col-md-4 bx-newsdetail-gallery-item">'
                f'<a href="{escape(photo.image.path)}" data-fancybox="gallery" '
                f'title="{escape(photo.image.caption)}"><img class="img-fluid" '
                f'src="{escape(photo.image.path)}" alt=""></a></div>'
                for photo in photos
            )
            gallery = (
                f'<div class="bx-newsdetail-gallery"><div class="bx-newsdetail-gallery-title">'
                f'{escape(words["gallery"])}</div><div class="row">{thumbs}</div></div>\n'
            )
        files = ""
        if article.attachment:
            attachment = article.attachment
            files = (
                f'<div class="bx-newsdetail-file"><a class="bx-newsdetail-file-link" '
                f'href="{escape(attachment.path)}" title="{escape(attachment.name)}" '
                f'target="_blank">{self.icon("file-" + attachment.kind.replace("docx", "word"))}'
                f'<span class="sr-only">{escape(words["file"])}</span></a></div>\n'
            )
        tags = ", ".join(
            f'<a href="/news/?tags={quote(tag)}">{escape(tag)}</a>'
            for tag in self._rng("tags", article.id).sample(TAGS[self.lang], 3)
        )
        back = " ".join(
            f'<a class="btn btn-link bx-newsdetail-back-{kind}" href="{href}">'
            f"{escape(words[kind])}</a>"
            for kind, href in self.back_targets(article)
        )
        main = (
            f"{self.heading(title)}\n"
            f'<div class="bx-newsdetail">\n<div class="bx-newsdetail-block" '
            f'id="bx_1878455859_{article.id}">\n{picture}'
            f'<h3 class="bx-newsdetail-title">{self._text(article.title, rng, markup=False)}</h3>\n'
            f'<div class="bx-newsdetail-content">\n{text}\n</div>\n{gallery}{files}'
            '<div class="row">\n<div class="col-5">'
            f'<div class="bx-newsdetail-date">{self.icon("calendar-o")} {self.day(article)}</div>'
            '</div>\n<div class="col-7 text-right">'
            f'<div class="bx-newsdetail-view">{self.icon("eye")} {escape(words["views"])} '
            f"{self.views(article)}</div></div>\n</div>\n"
            f'<div class="bx-newsdetail-tags">{escape(words["tags"])} {tags}</div>\n'
            f'</div>\n</div>\n<div class="bx-newsdetail-back">{back}</div>'
        )
        return self.page(article.title, main, sidebar=self.sidebar(latest, article.id))

    @staticmethod
    def content(texts: list[Text], rng: random.Random) -> str:
        """DETAIL_TEXT pasted from a word processor: runs of bare text split by <br><br>, and
        <p>s; a contact's second line after a single <br>."""
        chunks = []
        for index, text in enumerate(texts):
            html = text.html + (f"<br>\n{text.extra}" if text.extra else "")
            bare = rng.random() < 0.5
            if not bare:
                chunks.append(f"<p>{html}</p>\n")
                continue
            after_bare = index > 0 and not chunks[-1].startswith("<p>")
            chunks.append(("<br>\n<br>\n" if after_bare else "") + html)
        return "".join(chunk if chunk.startswith("<p>") else chunk + "\n" for chunk in chunks)

    # --- listings: a grid of cards ---

    def listing(self, path: str, articles: list[Article], page: int, page_size: int) -> str:
        items, last = self.page_slice(articles, page, page_size)
        heading = self._pick(LISTING_TITLES[path])
        words = self.words
        cards = []
        for article in items:
            href, title, teaser = self.entry(path, article)
            image = ""
            if article.picture:
                alt = escape(article.title)
                image = (
                    f'<div class="bx-newslist-img"><a href="{href}"><img src="'
                    f'{escape(article.picture.path)}" alt="{alt}" title="{alt}"></a></div>'
                )
            cards.append(
                f'<div class="bx-newslist-container col-sm-6 col-lg-4" '
                f'id="bx_651765591_{article.id}"><div class="bx-newslist-block">{image}'
                f'<h3 class="bx-newslist-title"><a href="{href}">{title}</a></h3>'
                f'<div class="bx-newslist-content">{teaser}</div>'
                f'<div class="bx-newslist-view">{self.icon("eye")} {escape(words["views"])} '
                f"<span>{self.views(article)}</span></div>"
                f'<div class="bx-newslist-date">{self.icon("calendar-o")} {self.day(article)}</div>'
                '<div class="row"><div class="col-5"></div>'
                f'<div class="col-7 text-right bx-newslist-more"><a class="btn btn-primary btn-sm" '
                f'href="{href}">{escape(words["more"])}</a></div></div></div></div>'
            )
        main = (
            f"{self.heading(escape(heading))}\n"
            '<div class="bx-newslist">\n<div class="row">\n'
            + "\n".join(cards)
            + "\n</div>\n</div>\n"
            + self._pager(path, page, last, len(articles), page_size)
        )
        return self.page(heading, main)

    def _pager(self, path: str, page: int, last: int, total: int, page_size: int) -> str:
        """The stock bootstrap_v4 system.pagenavigation: Back, first … window … last, Forward."""
        words = self.words
        items = []
        if page > 1:
            items.append(
                f'<li class="bx-pag-prev"><a href="{self.page_href(path, page - 1)}">'
                f"<span>{escape(words['prev'])}</span></a></li>"
            )
        else:
            items.append(f'<li class="bx-pag-prev"><span>{escape(words["prev"])}</span></li>')
        shown = sorted({1, *self.window(page, last, 1), last})
        for previous, n in zip([0, *shown], shown, strict=False):
            if n - previous > 1:
                items.append('<li class="bx-pag-dots"><span>…</span></li>')
            if n == page:
                items.append(f'<li class="bx-active"><span>{n}</span></li>')
            else:
                items.append(f'<li><a href="{self.page_href(path, n)}"><span>{n}</span></a></li>')
        if page < last:
            items.append(
                f'<li class="bx-pag-next"><a href="{self.page_href(path, page + 1)}">'
                f"<span>{escape(words['next'])}</span></a></li>"
            )
        else:
            items.append(f'<li class="bx-pag-next"><span>{escape(words["next"])}</span></li>')
        return (
            '<div class="bx-pagination bx-blue"><div class="bx-pagination-container"><ul>'
            + "".join(items)
            + "</ul></div></div>"
        )
