"""What every unseen markup shares: per-variant wordings, body blocks, link targets, pagers.

Each markup is a Renderer subclass that only decides the HTML around the same content; the
content, URLs, noise and link forms come from tests/replica/markup.py and content.py unchanged.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from html import escape
from math import ceil
from typing import ClassVar
from urllib.parse import quote

from ..content import PRESS_CONTACT, SECTION_PATHS, Article, Image, formalise
from ..markup import (
    FOOTER,
    LISTING_TITLES,
    MENU,
    STATIC_PAGES,
    Renderer,
    _static_text,
    noisy,
)

# The section names printed in breadcrumbs and meta lines (the listing H1s of markup.py).
SECTION_NAMES = {section: LISTING_TITLES[path] for section, path in SECTION_PATHS.items()}
SHARE_SITES = (
    ("vk", "VK", "https://vk.com/share.php?url="),
    ("telegram", "Telegram", "https://t.me/share/url?url="),
    ("ok", "OK", "https://connect.ok.ru/offer?url="),
)


@dataclass(frozen=True)
class Text:
    """A body paragraph, already noisy and escaped; `extra` is a second line (press contact)."""

    html: str
    extra: str = ""

    def paragraph(self) -> str:
        """The paragraph as a <p>, the second line after a <br>."""
        return f"<p>{self.html}" + (f"<br>{self.extra}" if self.extra else "") + "</p>"


@dataclass(frozen=True)
class Picture:
    """A body image with its noisy, escaped caption (the file name the CMS prints)."""

    image: Image
    caption: str


class UnseenRenderer(Renderer):
    """Base of the held-out markups: subclasses set WORDS and write the page-specific HTML."""

    WORDS: ClassVar[dict[str, dict[str, str]]] = {}  # lang -> label key -> this markup's wording
    ENTITIES = False  # write NBSP and SHY as entities (older templates do)

    def __init__(self, lang: str, variant: str, seed: int) -> None:
        super().__init__(lang, variant, seed)
        self.words = self.WORDS[lang]

    def _text(self, text: str, rng: random.Random, *, markup: bool = True) -> str:
        html = escape(noisy(text, rng, markup=markup), quote=False)
        if self.ENTITIES:
            html = html.replace("\u00a0", "&nbsp;").replace("\u00ad", "&shy;")
        return html

    # --- content helpers ---

    @staticmethod
    def day(article: Article) -> str:
        return article.published.strftime("%d.%m.%Y")

    def section_name(self, article: Article) -> str:
        return self._pick(SECTION_NAMES[article.section])

    def site_name(self) -> str:
        return self.labels["home"]

    def blocks(self, article: Article, rng: random.Random, glued: str = "") -> list[Text | Picture]:
        """The body in page order; `glued` is put before the first paragraph without a space."""
        contact = PRESS_CONTACT[self.lang]
        parts: list[Text | Picture] = []
        body = article.body
        index = 0
        while index < len(body):
            block = body[index]
            if isinstance(block, Image):
                parts.append(Picture(block, self._text(block.caption, rng, markup=False)))
                index += 1
                continue
            html = self._text(block, rng)
            if index == 0 and glued:
                html = glued + html.lstrip(" \n\t")
            if tuple(body[index : index + 2]) == contact:
                parts.append(Text(html, self._text(contact[1], rng)))
                index += 2
                continue
            parts.append(Text(html))
            index += 1
        return parts

    def back_targets(self, article: Article) -> list[tuple[str, str]]:
        """(kind, href) of the article's back links, in the site's order."""
        targets = {
            "back": "javascript:history.back()",
            "section": SECTION_PATHS[article.section],
            "all": "/news/",
        }
        return [(kind, targets[kind]) for kind in article.back_links]

    def menu_items(self) -> list[tuple[str, str]]:
        """(href, escaped label) of the site menu, with the same link forms as the other markups."""
        rng = self._rng("menu")
        return [
            (escape(self.link(path, rng)), escape(self._pick((en, ru)))) for path, en, ru in MENU
        ]

    def footer_lines(self) -> tuple[str, ...]:
        return tuple(escape(line) for line in FOOTER[self.lang])

    def share_links(self, article: Article) -> list[tuple[str, str, str]]:
        """(css key, service name, href) of the share buttons for the article's official URL."""
        url = quote(article.url, safe="")
        return [(key, name, escape(prefix + url)) for key, name, prefix in SHARE_SITES]

    def entry(self, path: str, article: Article) -> tuple[str, str, str]:
        """A listing entry's escaped href, title and teaser, noisy as the site prints them."""
        rng = self._rng("item", path, article.id)
        href = escape(self.link(article.path, rng, base=path))
        return href, self._text(article.title, rng, markup=False), self._text(article.summary, rng)

    @staticmethod
    def page_slice(articles: list[Article], page: int, page_size: int) -> tuple[list[Article], int]:
        """The articles of one listing page and the number of the last page."""
        last = max(1, ceil(len(articles) / page_size))
        return articles[(page - 1) * page_size : page * page_size], last

    @staticmethod
    def window(page: int, last: int, width: int = 2) -> range:
        """Page numbers shown around the current one."""
        return range(max(1, page - width), min(last, page + width) + 1)

    @staticmethod
    def page_href(path: str, n: int, junk: str = "") -> str:
        """A listing page URL: page 1 without PAGEN_1 unless junk is added."""
        return escape(path if n == 1 and not junk else f"{path}?PAGEN_1={n}{junk}")

    # --- the pages every markup has; subclasses set the headings ---

    def static(self, path: str, latest: list[Article]) -> str:
        en, ru, children = STATIC_PAGES[path]
        title = self._pick((en, ru))
        names = {
            **{p: self._pick(t) for p, t in LISTING_TITLES.items()},
            **{p: self._pick(t[:2]) for p, t in STATIC_PAGES.items()},
        }
        links = "".join(f'<p><a href="{p}">{escape(names[p])}</a></p>' for p in children)
        body = "\n".join(f"<p>{escape(p)}</p>" for p in _static_text(self.lang, path))
        main = f"{self.heading(escape(title))}\n{body}\n{links}"
        return self.page(title, main, sidebar=self.sidebar(latest, path))

    def not_found(self) -> str:
        message = escape(self.labels["not_found"])
        return self.page(self.labels["not_found"], f"{self.heading('404')}\n<p>{message}</p>")


class FormalRenderer(UnseenRenderer):
    """Base of the third round: its site prints speeches and statements as delivered (formalise)."""

    def dress(self, article: Article) -> None:
        formalise(article, self._rng("formal", article.id))

    @staticmethod
    def split(
        article: Article, parts: list[Text | Picture]
    ) -> tuple[list[Text], list[Text | Picture], list[Text]]:
        """The body's opening lines, its middle, and its closing lines (see Article.opening)."""
        head = parts[: article.opening]
        tail = parts[len(parts) - article.closing :] if article.closing else []
        middle = parts[article.opening : len(parts) - article.closing]
        assert all(isinstance(part, Text) for part in head + tail)
        return (
            [p for p in head if isinstance(p, Text)],
            middle,
            [p for p in tail if isinstance(p, Text)],
        )

    def others(self, article: Article, latest: list[Article], count: int) -> list[Article]:
        """`count` other articles to recommend after this one (never itself)."""
        pool = [other for other in latest if other is not article]
        return self._rng("others", article.id).sample(pool, min(count, len(pool)))
