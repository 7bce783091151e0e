"""The "minimal" markup: a light (mobile / accessible) version of the site.

Tests: the only <h1> and the <title> are the SECTION's name on detail pages (the article title is
a <strong> line), the sidebar BEFORE the article under a plain <strong> label, the date on its
own line after the title (or glued to the first words), a download line that is only the file
name as link text, srcset-only images over a spacer src, numbered-only pagers, listings as a
<dl> of dates and teaser-only links, and the menu after the content.
"""

from __future__ import annotations

from html import escape
from typing import ClassVar

from ..content import Article
from ..markup import LISTING_TITLES
from .base import Picture, UnseenRenderer

SPACER = "/local/templates/lite/img/spacer.gif"


class MinimalRenderer(UnseenRenderer):
    """Almost no classes or ids; one column; each label is a bare word."""

    WORDS: ClassVar[dict[str, dict[str, str]]] = {
        "en": {
            "back": "Back",
            "section": "Back to list",
            "all": "All news",
            "latest": "Latest",
            "menu": "Menu",
            "top": "Up",
        },
        "ru": {
            "back": "Назад",
            "section": "К списку",
            "all": "Все новости",
            "latest": "Последнее",
            "menu": "Меню",
            "top": "Наверх",
        },
    }

    # --- frame: sidebar, content, then the menu ---

    def page(self, title: str, main: str, *, sidebar: str = "") -> str:
        words = self.words
        menu = "".join(f'<li><a href="{href}">{text}</a></li>' for href, text in self.menu_items())
        latest = f'<div id="latest">\n{sidebar}\n</div>\n<hr>\n' if sidebar else ""
        return (
            f'<!doctype html>\n<html lang="{self.lang}">\n<head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width">'
            f"<title>{escape(title)}</title></head>\n<body>\n"
            f'<div id="top"><a href="/"><b>{escape(self.site_name())}</b></a> · '
            f'<a href="#menu">{escape(words["menu"])}</a></div>\n<hr>\n{latest}'
            f'<div id="content">\n{main}\n</div>\n<hr>\n<ul id="menu">{menu}</ul>\n'
            f'<p><a href="#top">{escape(words["top"])}</a></p>\n<p><small>'
            + "<br>".join(self.footer_lines())
            + "</small></p>\n</body>\n</html>\n"
        )

    def block_heading(self, text: str, href: str) -> str:
        return f'<p><b><a href="{href}">{text}</a></b></p>'

    @staticmethod
    def img(path: str) -> str:
        return f'<img src="{SPACER}" srcset="{escape(path)} 640w" sizes="100vw" alt="">'

    # --- sidebar: before the article, under a bold label ---

    def sidebar(self, latest: list[Article], key: object) -> str:
        rng = self._rng("sidebar", key)
        items = []
        for article in latest:
            href = escape(self.link(article.path, rng))
            teaser = self._text(article.summary, rng)
            dated = f"{self.day(article)} — " if rng.random() < 0.6 else ""
            items.append(f'<li>{dated}<a href="{href}">{teaser}</a></li>')
        return (
            f"<p><strong>{escape(self.words['latest'])}</strong></p>\n<ul>\n"
            + "\n".join(items)
            + "\n</ul>"
        )

    # --- detail: <h1> is the section ---

    def detail(self, article: Article, latest: list[Article]) -> str:
        rng = self._rng("detail", article.id)
        words = self.words
        day = self.day(article)
        section = self.section_name(article)
        title = f"<p><strong>{self._text(article.title, rng, markup=False)}</strong></p>\n"
        glued = day if article.date_style == "glued" and not article.attachment else ""
        head = title if glued else f"{title}<p>{day}</p>\n"
        if article.attachment:
            attachment = article.attachment
            name = self._text(attachment.name, rng, markup=False)
            head += (
                f'<p><a href="{escape(attachment.path)}">{name}</a> '
                f"({attachment.kind.upper()})</p>\n"
            )
        if article.picture:
            head += f"<p>{self.img(article.picture.path)}</p>\n"
        body = []
        for part in self.blocks(article, rng, glued):
            if isinstance(part, Picture):
                body.append(f"<p>{self.img(part.image.path)}<br><small>{part.caption}</small></p>")
            else:
                body.append(part.paragraph())
        back = " · ".join(
            f'<a href="{href}">{escape(words[kind])}</a>'
            for kind, href in self.back_targets(article)
        )
        main = (
            f"{self.heading(escape(section))}\n<div>\n{head}" + "\n".join(body) + "\n</div>\n"
            f"<p>{back}</p>"
        )
        return self.page(section, main, sidebar=self.sidebar(latest, article.id))

    # --- listings: dates and teaser-only links ---

    def listing(self, path: str, articles: list[Article], page: int, page_size: int) -> str:
        items, last = self.page_slice(articles, page, page_size)
        heading = self._pick(LISTING_TITLES[path])
        entries = []
        for article in items:
            rng = self._rng("item", path, article.id)
            href = escape(self.link(article.path, rng, base=path))
            teaser = self._text(article.summary, rng)
            entries.append(f'<dt>{self.day(article)}</dt><dd><a href="{href}">{teaser}</a></dd>')
        main = (
            f"{self.heading(escape(heading))}\n<dl>\n"
            + "\n".join(entries)
            + "\n</dl>\n"
            + self._pager(path, page, last, len(articles), page_size)
        )
        return self.page(heading, main)

    def _pager(self, path: str, page: int, last: int, total: int, page_size: int) -> str:
        """Numbered links only: the first, a window around the current page, the last."""
        shown = sorted({1, *self.window(page, last), last})
        links = []
        for previous, n in zip([0, *shown], shown, strict=False):
            if n - previous > 1:
                links.append("…")
            links.append(
                f"<b>{n}</b>" if n == page else f'<a href="{self.page_href(path, n)}">{n}</a>'
            )
        return "<p>" + " ".join(links) + "</p>"
