"""The "press" markup: a press-centre skin built from components with data attributes and JSON-LD.

Tests: the date machine-readable ONLY in a JSON-LD NewsArticle block (datePublished, and a later
dateModified) and visible as dd.mm.yyyy in a "Published:" line under the <h1>, with no <time>
element anywhere; listings without dates (title links are plain <a>s, no headings) whose pager is
a "Show more" link plus page numbers; the latest news as a <table> of date and teaser cells
BEFORE the article; a "Most read" block with view counts after the body; bodies with a
<blockquote>, an <iframe> video and the press contact as a <table>; attachments as a file list
with type and size ("Annex 1.pdf (PDF, 1.2 KB)"); "Back" as a <button onclick="history.back()">
beside real <a> links; a "Print version" link.
"""

from __future__ import annotations

import json
from datetime import timedelta
from html import escape
from typing import ClassVar

from ..content import SECTION_PATHS, Article, attachment_content, canonical_url, hex_digest
from ..markup import LISTING_TITLES
from .base import Picture, Text, UnseenRenderer

ASSETS = "/local/templates/press_center"


class PressRenderer(UnseenRenderer):
    """Components named c-*, data-entity hooks, structured data in the <head>."""

    WORDS: ClassVar[dict[str, dict[str, str]]] = {
        "en": {
            "back": "Return",
            "section": "To the section",
            "all": "To all news",
            "latest": "News feed",
            "published": "Published:",
            "print": "Print version",
            "popular": "Most read",
            "views": "views",
            "files": "Documents",
            "more": "Show more",
            "page": "Page",
            "kb": "KB",
            "mb": "MB",
            "video": "Video",
        },
        "ru": {
            "back": "Вернуться",
            "section": "В раздел",
            "all": "Ко всем новостям",
            "latest": "Лента",
            "published": "Опубликовано:",
            "print": "Версия для печати",
            "popular": "Самое читаемое",
            "views": "просмотров",
            "files": "Документы",
            "more": "Показать ещё",
            "page": "Страница",
            "kb": "КБ",
            "mb": "МБ",
            "video": "Видео",
        },
    }

    # --- frame: the feed table in a column BEFORE the content ---

    def page(self, title: str, main: str, *, sidebar: str = "", head: str = "") -> str:
        menu = "".join(
            f'<li class="c-menu__item" data-entity="menu-item"><a class="c-menu__link" '
            f'href="{href}">{text}</a></li>'
            for href, text in self.menu_items()
        )
        site = escape(self.site_name())
        feed = f'<div class="c-layout__feed">\n{sidebar}\n</div>\n' if sidebar else ""
        return (
            f'<!DOCTYPE html>\n<html lang="{self.lang}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)} — {site}</title>\n{head}"
            f'<link rel="stylesheet" href="{ASSETS}/build/app.css">\n</head>\n'
            '<body class="c-body">\n<div class="c-page" data-entity="page">\n'
            f'<header class="c-header"><a class="c-header__brand" href="/">{site}</a>\n'
            f'<ul class="c-menu" data-entity="menu">{menu}</ul></header>\n'
            f'<div class="c-layout">\n{feed}<div class="c-layout__content">\n{main}\n</div>\n'
            '</div>\n<footer class="c-footer">'
            + "".join(f'<span class="c-footer__line">{line}</span>' for line in self.footer_lines())
            + f'</footer>\n</div>\n<script src="{ASSETS}/build/app.js" defer></script>\n'
            "</body>\n</html>\n"
        )

    def heading(self, text: str) -> str:
        return f'<h1 class="c-title">{text}</h1>'

    def block_heading(self, text: str, href: str) -> str:
        return f'<h2 class="c-block-title"><a href="{href}">{text}</a></h2>'

    def views(self, article: Article) -> str:
        """A view counter with a thin space between thousands, as the template prints it."""
        count = self._rng("views", article.id).randint(120, 25000)
        return f"{count:,}".replace(",", " ")

    def size(self, article: Article) -> str:
        """The attachment's real size, "PDF, 1.2 KB" (a decimal comma in Russian)."""
        attachment = article.attachment
        assert attachment is not None
        size = len(attachment_content(self.lang, self.seed, attachment).data)
        unit, value = ("mb", size / 1024 / 1024) if size >= 1024 * 1024 else ("kb", size / 1024)
        number = f"{value:.1f}"
        if self.lang == "ru":
            number = number.replace(".", ",")
        return f"{attachment.kind.upper()}, {number} {self.words[unit]}"

    # --- sidebar: a table of dates and teasers ---

    def sidebar(self, latest: list[Article], key: object) -> str:
        rng = self._rng("sidebar", key)
        rows = []
        for article in latest:
            href = escape(self.link(article.path, rng))
            teaser = self._text(article.summary, rng)
            dated = self.day(article) if rng.random() < 0.7 else ""
            rows.append(
                f'<tr><td class="c-feed__date">{dated}</td>'
                f'<td class="c-feed__text"><a href="{href}">{teaser}</a></td></tr>'
            )
        return (
            '<table class="c-feed" data-entity="feed">\n'
            f'<caption class="c-feed__title">{escape(self.words["latest"])}</caption>\n'
            "<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"
        )

    # --- detail ---

    def detail(self, article: Article, latest: list[Article]) -> str:
        rng = self._rng("detail", article.id)
        words = self.words
        meta = (
            f'<div class="c-article__meta">{escape(words["published"])} '
            f'<span class="c-article__date">{self.day(article)}</span> · '
            f'<a class="c-article__section" href="{SECTION_PATHS[article.section]}">'
            f"{escape(self.section_name(article))}</a> · "
            f'<a class="c-article__print" href="?print=Y" rel="nofollow">'
            f"{escape(words['print'])}</a></div>\n"
        )
        cover = ""
        if article.picture:
            cover = (
                f'<img class="c-article__cover" src="{escape(article.picture.path)}" '
                'width="960" height="540" alt="">\n'
            )
        files = ""
        if article.attachment:
            attachment = article.attachment
            name = self._text(attachment.name, rng, markup=False)
            files = (
                f'<div class="c-files" data-entity="files"><div class="c-files__title">'
                f'{escape(words["files"])}</div><ul class="c-files__list">'
                f'<li class="c-files__item"><a class="c-files__link" href="{escape(attachment.path)}">{name}</a> '
                f'<span class="c-files__size">({self.size(article)})</span></li></ul></div>\n'
            )
        body = self.body(article, self.blocks(article, rng))
        popular = "".join(
            f'<li class="c-popular__item"><a href="{escape(self.link(other.path, rng))}">'
            f'{escape(other.title)}</a> <span class="c-popular__views">{self.views(other)} '
            f"{escape(words['views'])}</span></li>"
            for other in sorted(latest, key=lambda other: other.id)[:3]
        )
        nav = []
        for kind, href in self.back_targets(article):
            if kind == "back":
                nav.append(
                    '<button class="c-btn c-btn--back" type="button" onclick="history.back()">'
                    f"{escape(words['back'])}</button>"
                )
            else:
                nav.append(
                    f'<a class="c-btn c-btn--{kind}" href="{href}">{escape(words[kind])}</a>'
                )
        main = (
            f'<article class="c-article" data-entity="news-detail" data-id="{article.id}">\n'
            f"{self.heading(self._text(article.title, rng, markup=False))}\n{meta}{cover}{files}"
            f'<div class="c-article__body">\n{body}\n</div>\n</article>\n'
            f'<section class="c-popular"><h2 class="c-popular__title">{escape(words["popular"])}'
            f'</h2><ol class="c-popular__list">{popular}</ol></section>\n'
            f'<nav class="c-article__nav">{" ".join(nav)}</nav>'
        )
        return self.page(
            article.title,
            main,
            sidebar=self.sidebar(latest, article.id),
            head=self.json_ld(article),
        )

    def json_ld(self, article: Article) -> str:
        """Schema.org NewsArticle: the only machine-readable date on the page."""
        modified = article.published + timedelta(
            days=self._rng("modified", article.id).randint(1, 9)
        )
        data: dict[str, object] = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": article.title,
            "datePublished": article.published.isoformat(),
            "dateModified": modified.isoformat(),
            "mainEntityOfPage": article.url,
            "publisher": {"@type": "Organization", "name": self.site_name()},
        }
        if article.picture:
            data["image"] = canonical_url(self.lang, article.picture.path)
        text = json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
        return f'<script type="application/ld+json">\n{text}\n</script>\n'

    def body(self, article: Article, parts: list[Text | Picture]) -> str:
        """<p>s; one middle paragraph as a <blockquote>; a video after the first paragraph; the
        press contact as a two-row <table>; pictures as <figure>s with their file names."""
        rng = self._rng("extras", article.id)
        middle = [
            index
            for index, part in enumerate(parts)
            if index > 0 and isinstance(part, Text) and not part.extra
        ]
        quote = rng.choice(middle) if middle and rng.random() < 0.6 else None
        video = rng.random() < 0.35 and not article.attachment
        html = []
        for index, part in enumerate(parts):
            if isinstance(part, Picture):
                html.append(
                    f'<figure class="c-photo"><img class="c-photo__img" '
                    f'src="{escape(part.image.path)}" loading="lazy" alt="">'
                    f'<figcaption class="c-photo__caption">{part.caption}</figcaption></figure>'
                )
            elif part.extra:
                html.append(
                    '<table class="c-contact"><tbody>'
                    f"<tr><td>{part.html}</td></tr><tr><td>{part.extra}</td></tr>"
                    "</tbody></table>"
                )
            elif index == quote:
                html.append(f'<blockquote class="c-quote"><p>{part.html}</p></blockquote>')
            else:
                html.append(part.paragraph())
            if index == 0 and video:
                key = hex_digest(self.seed, "video", article.id)[:11]
                html.append(
                    f'<div class="c-video"><iframe src="https://www.youtube.com/embed/{key}" '
                    f'title="{escape(self.words["video"])}" width="640" height="360" '
                    'frameborder="0" allowfullscreen></iframe></div>'
                )
        return "\n".join(html)

    # --- listings: rows without dates, "Show more" ---

    def listing(self, path: str, articles: list[Article], page: int, page_size: int) -> str:
        items, last = self.page_slice(articles, page, page_size)
        heading = self._pick(LISTING_TITLES[path])
        rows = []
        for article in items:
            href, title, teaser = self.entry(path, article)
            image = ""
            if article.picture:
                image = (
                    f'<a class="c-list__pic" href="{href}"><img src="'
                    f'{escape(article.picture.path)}" loading="lazy" alt=""></a>'
                )
            rows.append(
                f'<div class="c-list__item" data-entity="news-item" data-id="{article.id}">'
                f'{image}<div class="c-list__body"><a class="c-list__title" href="{href}">'
                f'{title}</a><div class="c-list__lead">{teaser}</div></div></div>'
            )
        main = (
            f"{self.heading(escape(heading))}\n"
            '<div class="c-list" data-entity="news-list">\n'
            + "\n".join(rows)
            + "\n</div>\n"
            + self._pager(path, page, last, len(articles), page_size)
        )
        return self.page(heading, main)

    def _pager(self, path: str, page: int, last: int, total: int, page_size: int) -> str:
        """A "Show more" link to the next page (loaded by AJAX in a browser) and page numbers."""
        words = self.words
        more = ""
        if page < last:
            more = (
                f'<a class="c-more__btn" href="{self.page_href(path, page + 1)}" '
                f'data-entity="show-more" data-page="{page + 1}">{escape(words["more"])}</a>'
            )
        numbers = " ".join(
            f'<span class="c-more__current">{n}</span>'
            if n == page
            else f'<a class="c-more__page" href="{self.page_href(path, n)}">{n}</a>'
            for n in self.window(page, last)
        )
        return (
            f'<div class="c-more" data-entity="pager">{more}'
            f'<div class="c-more__pages">{escape(words["page"])}: {numbers}</div></div>'
        )
