"""HTML of the replica site in three markup variants, with removable noise on clean text.

Every page is laid out like the real one: menu, then (on detail pages) the "latest news" sidebar,
then the content, then a footer. The crawler must pass all variants without being told which.
UNSEEN_VARIANTS and HELD_OUT_VARIANTS are two rounds of re-skins written blind
(tests/replica/unseen/), each scored before the extraction was tuned on it (docs/extraction.md).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from html import escape
from math import ceil

from .content import (
    BXAJAXIDS,
    HOSTS,
    PRESS_CONTACT,
    SECTION_PATHS,
    Article,
    Attachment,
    Image,
    captures,
    clean,
    pools,
)
from .further import FURTHER_LISTING_TITLES, SECRETARIAT_TEXT

VARIANTS = ("bitrix", "custom", "plain")
# Markups written blind (tests/replica/unseen/): by someone who never read the extraction code,
# and scored before the extraction was tuned on them (the first scores are in docs/extraction.md).
# The end-to-end and parser tests run on them like on VARIANTS.
UNSEEN_VARIANTS = ("table", "modern", "portal", "minimal")
# The second round of blind markups (tests/replica/unseen/ too), scored like the first.
HELD_OUT_VARIANTS = ("flat", "bare", "press")
# The third round (tests/replica/unseen/ too): the article's edges (a trailing block of other
# articles' teasers, a hero header beside the text, class hints on <body>, javascript: links,
# unclosed tags) and formal texts (speeches' salutations and datelines, statements' closing line).
THIRD_ROUND_VARIANTS = ("hero", "gazette", "archive")
# Every markup: what the end-to-end and parser tests run on. A next blind round stays out of it
# until its first score is written down.
ALL_VARIANTS = VARIANTS + UNSEEN_VARIANTS + HELD_OUT_VARIANTS
# Every markup the replica serves.
SERVED_VARIANTS = ALL_VARIANTS + THIRD_ROUND_VARIANTS

LABELS = {
    "en": {
        "back": "Go back",
        "section": "Back to the section",
        "all": "Back to the all news",
        "download": "Download document",
        "latest": "Latest news",
        "first": "First",
        "prev": "Prev",
        "next": "Next",
        "last": "Last",
        "pages": "Pages:",
        "items": "News",
        "of": "of",
        "home": "Collective Security Treaty Organization",
        "all_news": "All CSTO News",
        "all_statements": "All Statements",
        "not_found": "Page not found",
    },
    "ru": {
        "back": "Вернуться назад",
        "section": "Вернуться в раздел",
        "all": "Вернуться ко всем новостям",
        "download": "Скачать документ",
        "latest": "Последние новости",
        "first": "Начало",
        "prev": "Пред.",
        "next": "След.",
        "last": "Конец",
        "pages": "Страницы:",
        "items": "Новости",
        "of": "из",
        "home": "Организация Договора о коллективной безопасности",
        "all_news": "Все новости ОДКБ",
        "all_statements": "Все заявления",
        "not_found": "Страница не найдена",
    },
}
FOOTER = {
    "en": (
        "© 2003–2025 Collective Security Treaty Organization. All rights reserved.",
        "Address: 101000, Moscow, Sverchkov lane, 3/2",
        "Phone: +7 (495) 606-97-71, fax: +7 (495) 625-76-20",
    ),
    "ru": (
        "© 2003–2025 Организация Договора о коллективной безопасности. Все права защищены.",
        "Адрес: 101000, Москва, Сверчков переулок, д. 3/2",
        "Телефон: +7 (495) 606-97-71, факс: +7 (495) 625-76-20",
    ),
}
# Listing path -> its H1 (en, ru).
LISTING_TITLES = {
    "/news/": ("News", "Новости"),
    "/news/news_odkb/": ("CSTO News", "Новости ОДКБ"),
    "/news/speech/": (
        "Speeches and statements of the Secretary General",
        "Выступления Генерального секретаря",
    ),
    "/news/smi/": ("Media about the CSTO", "СМИ об ОДКБ"),
    "/documents/statements/": ("Statements", "Заявления"),
    **FURTHER_LISTING_TITLES,
}
# Static (non-news) pages: path -> (en title, ru title, child pages linked from it).
STATIC_PAGES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "/documents/": ("Documents", "Документы", ("/documents/statements/",)),
    "/authorized_organs/": (
        "Authorized organs",
        "Уставные органы",
        (
            "/authorized_organs/secretariat/",
            "/authorized_organs/permanent_council/",
            "/authorized_organs/collective_security_council/",
            "/authorized_organs/military_committee/",
        ),
    ),
    "/authorized_organs/collective_security_council/": (
        "Collective Security Council",
        "Совет коллективной безопасности",
        (),
    ),
    "/structure/": ("Structure", "Структура", ()),
    "/countries/belarus/": ("Republic of Belarus", "Республика Беларусь", ()),
    # An article's shape under /international_org/, but a static page no listing links.
    "/international_org/un/o_sotrudnichestve_odkb_s_oon_/": (
        "About CSTO Cooperation with the UN",
        "О сотрудничестве ОДКБ с ООН",
        (),
    ),
    "/institute": ("Partners and observers", "Партнеры и наблюдатели", ()),
}
# The menu printed on every page: news sections and other parts of the site.
MENU = (
    ("/news/", "News", "Новости"),
    ("/news/news_odkb/", "CSTO News", "Новости ОДКБ"),
    ("/news/speech/", "Speeches", "Выступления"),
    ("/news/smi/", "Media about the CSTO", "СМИ об ОДКБ"),
    ("/documents/", "Documents", "Документы"),
    ("/documents/statements/", "Statements", "Заявления"),
    ("/authorized_organs/", "Authorized organs", "Уставные органы"),
    ("/structure/", "Structure", "Структура"),
    ("/session/", "Sessions", "Сессии"),
    ("/countries/belarus/", "Belarus", "Беларусь"),
    ("/international_org/", "International organisations", "Международные организации"),
    ("/institute", "Partners and observers", "Партнеры и наблюдатели"),
    ("/training/", "Training", "Учения"),
)

# --- noise: each step is undone by the cleaning rules of docs/dataset.md -----------------------

_INVISIBLES = ("\u00ad", "\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
_SPACES = ("\u00a0", "\u00a0", "\u00a0", "\u2009", "\u202f", "\u3000")
_GAPS = ("  ", "   ", " \n", " \t ")
_STRAY = ("p>", "p>", "</p>", "br>")


def _inside_word(text: str, rng: random.Random) -> int | None:
    spots = [i for i in range(1, len(text)) if not text[i - 1].isspace() and text[i].isalpha()]
    return rng.choice(spots) if spots else None


def _space_at(text: str, rng: random.Random) -> int | None:
    spots = [i for i, char in enumerate(text) if char == " "]
    return rng.choice(spots) if spots else None


def noisy(text: str, rng: random.Random, *, markup: bool = True) -> str:
    """`text` with CMS noise that clean() removes: invisible characters, odd spaces, stray tag
    fragments and indentation. `markup=False` keeps to invisible and space noise."""
    if rng.random() < 0.35:
        spot = _inside_word(text, rng)
        if spot is not None:
            text = text[:spot] + rng.choice(_INVISIBLES) + text[spot:]
    for replacements in (_SPACES, _GAPS):
        if rng.random() < 0.3:
            spot = _space_at(text, rng)
            if spot is not None:
                text = text[:spot] + rng.choice(replacements) + text[spot + 1 :]
    if markup and rng.random() < 0.12:
        spot = _space_at(text, rng)
        fragment = rng.choice(_STRAY)
        if spot is None or rng.random() < 0.5:
            text = f"{text} {fragment}"
        else:
            text = f"{text[:spot]} {fragment} {text[spot + 1 :]}"
    if markup and rng.random() < 0.25:
        text = "\n" + " " * rng.randint(1, 16) + text + "\n" + " " * rng.randint(0, 8)
    return text


# --- the renderer -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageItem:
    """An article as shown in a list (listing, sidebar, home page)."""

    article: Article
    href: str


class Renderer:
    """Renders pages of one site (language and markup variant). Deterministic from the seed."""

    # What a sister site's renderer (tests/replica/sister.py) has of its own.
    menu: tuple[tuple[str, str, str], ...] = MENU
    listing_titles = LISTING_TITLES

    def __new__(cls, lang: str, variant: str, seed: int) -> Renderer:
        """Renderer(lang, variant, seed) also builds the unseen markups, as their subclasses."""
        if cls is Renderer and variant in SERVED_VARIANTS and variant not in VARIANTS:
            from .unseen import HELD_OUT_RENDERERS, RENDERERS, THIRD_ROUND_RENDERERS  # late: cycle

            cls = {**RENDERERS, **HELD_OUT_RENDERERS, **THIRD_ROUND_RENDERERS}[variant]
        return super().__new__(cls)

    def __init__(self, lang: str, variant: str, seed: int) -> None:
        if variant not in SERVED_VARIANTS:
            raise ValueError(f"variant must be one of {SERVED_VARIANTS}")
        self.lang = lang
        self.variant = variant
        self.seed = seed
        self.labels = LABELS[lang]
        self.host = HOSTS[lang]  # the official host, of absolute links

    def dress(self, article: Article) -> None:
        """Change the article as this markup's site publishes it (the truth follows): none here."""

    def _rng(self, *key: object) -> random.Random:
        return random.Random(":".join(map(str, (self.seed, self.lang, self.variant, *key))))

    def _text(self, text: str, rng: random.Random, *, markup: bool = True) -> str:
        """Noisy, escaped text; the stock Bitrix template writes NBSP and SHY as entities."""
        html = escape(noisy(text, rng, markup=markup), quote=False)
        if self.variant == "bitrix":
            html = html.replace("\u00a0", "&nbsp;").replace("\u00ad", "&shy;")
        return html

    def _pick(self, names: tuple[str, str]) -> str:
        """The name in this site's language from an (en, ru) pair."""
        return names[0] if self.lang == "en" else names[1]

    # --- links ---

    def link(self, path: str, rng: random.Random, *, base: str | None = None) -> str:
        """An href to `path` in one of the forms the site uses: root-relative (mostly), relative
        to `base`, absolute on the official http host, or with a `?bxajaxid=` copy."""
        form = rng.random()
        if form < 0.1 and base and path.startswith(base):
            return path[len(base) :]
        if form < 0.2:
            host = self.host
            if self.lang == "ru" and rng.random() < 0.5:
                host = "www." + host
            return f"http://{host}{path}"
        if form < 0.3:
            joint = "&" if "?" in path else "?"  # an ELEMENT_ID detail has a query already
            return f"{path}{joint}bxajaxid={rng.choice(BXAJAXIDS)}"
        return path

    # --- page frame ---

    def page(self, title: str, main: str, *, sidebar: str = "") -> str:
        """The full document: head, menu, sidebar (before the content), content, footer."""
        lang = self.lang
        rng = self._rng("menu")
        items = [(self.link(path, rng), en if lang == "en" else ru) for path, en, ru in self.menu]
        footer = FOOTER[lang]
        if self.variant == "bitrix":
            menu = "".join(f'<li><a href="{escape(h)}">{escape(t)}</a></li>' for h, t in items)
            return (
                f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n'
                '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />\n'
                f"<title>{escape(title)}</title>\n"
                '<link href="/bitrix/templates/csto/template_styles.css" rel="stylesheet" />\n'
                '</head>\n<body>\n<div id="panel"></div>\n<div class="header">'
                '<a class="logo" href="/">CSTO</a>\n'
                f'<ul class="top-menu">{menu}</ul></div>\n<div class="workarea">\n'
                f'<div class="sidebar">{sidebar}</div>\n<div class="content">\n{main}\n</div>\n'
                f'</div>\n<div class="footer"><p class="copyright">{escape(footer[0])}</p>'
                f'<p class="address">{escape(footer[1])}<br />{escape(footer[2])}</p></div>\n'
                "</body>\n</html>\n"
            )
        if self.variant == "custom":
            menu = "".join(
                f'<li class="main-menu__item"><a class="main-menu__link" href="{escape(h)}">'
                f"{escape(t)}</a></li>"
                for h, t in items
            )
            aside = f'<aside class="latest-news">{sidebar}</aside>\n' if sidebar else ""
            return (
                f'<!DOCTYPE html>\n<html lang="{lang}">\n<head><meta charset="utf-8">'
                f'<title>{escape(title)}</title></head>\n<body class="page">\n'
                '<header class="site-header"><a class="site-header__logo" href="/">CSTO</a>\n'
                f'<nav class="main-menu"><ul class="main-menu__list">{menu}</ul></nav></header>\n'
                f'<div class="page-wrapper">\n{aside}<div class="content-block">\n{main}\n'
                '</div>\n</div>\n<footer class="site-footer">'
                + "".join(f'<div class="site-footer__line">{escape(x)}</div>' for x in footer)
                + "</footer>\n</body>\n</html>\n"
            )
        menu = " | ".join(f'<a href="{escape(h)}">{escape(t)}</a>' for h, t in items)
        aside = f"<aside>{sidebar}</aside>\n" if sidebar else ""
        return (
            f'<!DOCTYPE html>\n<html lang="{lang}">\n<head><meta charset="utf-8">'
            f"<title>{escape(title)}</title></head>\n<body>\n"
            f'<header><a href="/">CSTO</a>\n<nav>{menu}</nav></header>\n{aside}'
            f"<main>\n{main}\n</main>\n<footer>"
            + "<br>".join(escape(x) for x in footer)
            + "</footer>\n</body>\n</html>\n"
        )

    # --- sidebar ---

    def sidebar(self, latest: list[Article], key: object) -> str:
        """The "latest news" widget: teasers of other articles, some dated, some teaser-only."""
        rng = self._rng("sidebar", key)
        parts = []
        for article in latest:
            href = escape(self.link(article.path, rng))
            teaser = self._text(article.summary, rng)
            day = article.published.strftime("%d.%m.%Y") if rng.random() < 0.6 else ""
            if self.variant == "bitrix":
                dated = f'<span class="news-date-time">{day}</span><br />' if day else ""
                parts.append(f'<p class="news-item">{dated}<a href="{href}">{teaser}</a></p>')
            elif self.variant == "custom":
                dated = f'<div class="latest-news__date">{day}</div>' if day else ""
                parts.append(
                    f'<div class="latest-news__item">{dated}'
                    f'<a class="latest-news__link" href="{href}">{teaser}</a></div>'
                )
            else:
                dated = f"<p>{day}</p>" if day else ""
                parts.append(f'{dated}<p><a href="{href}">{teaser}</a></p>')
        heading = escape(self.labels["latest"])
        if self.variant == "bitrix":
            return f'<div class="news-list">\n<h2>{heading}</h2>\n' + "\n".join(parts) + "\n</div>"
        if self.variant == "custom":
            return f'<div class="latest-news__title">{heading}</div>\n' + "\n".join(parts)
        return f"<h2>{heading}</h2>\n" + "\n".join(parts)

    # --- detail pages ---

    def detail(self, article: Article, latest: list[Article]) -> str:
        """A detail page: sidebar, H1, title + date (or date line), body, back links."""
        rng = self._rng("detail", article.id)
        day = article.published.strftime("%d.%m.%Y")
        h1 = self._text(article.title, rng, markup=False)
        head, first_glued = self._date_head(article, day, rng)
        body = self._body(article, rng, first_glued)
        picture = self._picture(article)
        back = self._back_links(article)
        if self.variant == "bitrix":
            main = (
                f'<h1>{h1}</h1>\n<div class="news-detail">\n{picture}{head}{body}\n'
                '<div style="clear:both"></div>\n</div>\n'
                f'<div class="news-detail-back">{back}</div>'
            )
        elif self.variant == "custom":
            main = (
                f'<h1 class="content-block__title">{h1}</h1>\n<div class="article">\n{picture}'
                f'{head}<div class="article__text">\n{body}\n</div>\n</div>\n'
                f'<div class="back-links">{back}</div>'
            )
        else:
            main = f"<article>\n<h1>{h1}</h1>\n{picture}{head}{body}\n</article>\n{back}"
        return self.page(article.title, main, sidebar=self.sidebar(latest, article.id))

    def _date_head(self, article: Article, day: str, rng: random.Random) -> tuple[str, str]:
        """The title repeated with the date, or the date line of a statement.

        Returns (html, prefix glued to the first body paragraph: the date, or "")."""
        # Drawn before the attachment name even when unused, so the noise that follows stays put.
        title = self._text(article.title, rng, markup=False)
        if article.attachment:
            return self._attachment_line(article.attachment, article.download_gap, day, rng), ""
        return self._dated_heading(article, title, day)

    def _attachment_line(
        self, attachment: Attachment, gap: bool, day: str, rng: random.Random
    ) -> str:
        """A statement has no title to repeat: its date stands before its document's link."""
        name = self._text(attachment.name, rng, markup=False)
        space = " " if gap else ""
        href = escape(attachment.path)
        link = f'{escape(self.labels["download"])}{space}<a href="{href}">{name}</a>'
        if self.variant == "bitrix":
            return f'<span class="news-date-time">{day}</span> {link}<br />\n'
        if self.variant == "custom":
            return (
                f'<div class="article__file"><span class="article__date">{day}</span> '
                f"{link}</div>\n"
            )
        return f"<p>{day} {link}</p>\n"

    def _dated_heading(self, article: Article, title: str, day: str) -> tuple[str, str]:
        """The real site puts the date in the heading, on its own line or glued to the body."""
        style = article.date_style
        v = self.variant
        if v == "bitrix":
            date_span = f'<span class="news-date-time">{day}</span>'
            if style == "inline":
                return f"<h3>{title} {date_span}</h3>\n", ""
            if style == "own_line":
                return f"<h3>{title}</h3>\n{date_span}<br />\n", ""
            return f"<h3>{title}</h3>\n", date_span
        if v == "custom":
            if style == "inline":
                return f'<p class="article__head">{title} {day}</p>\n', ""
            if style == "own_line":
                head = f'<p class="article__head">{title}</p>\n'
                return head + f'<div class="article__date">{day}</div>\n', ""
            head = f'<p class="article__head">{title}</p>\n'
            return head, f'<span class="article__date">{day}</span>'
        if style == "inline":
            return f"<p><b>{title}</b> {day}</p>\n", ""
        if style == "own_line":
            iso = article.published.isoformat()
            return f'<p><time datetime="{iso}">{day}</time></p>\n', ""
        return "", day

    def _body(self, article: Article, rng: random.Random, glued: str) -> str:
        """Body paragraphs: <br />-separated text (bitrix) or <p>s; images with their captions;
        the two press-contact lines as one <p> split by <br>."""
        contact = PRESS_CONTACT[self.lang]
        lines: list[str] = []  # one entry per rendered block
        blocks = article.body
        index = 0
        while index < len(blocks):
            block = blocks[index]
            if isinstance(block, Image):
                img = f'<img src="{escape(block.path)}" alt="" />'
                caption = self._text(block.caption, rng, markup=False)
                if self.variant == "bitrix":
                    lines += [img, caption]
                else:
                    lines += [f"<p>{img}</p>", f"<p>{caption}</p>"]
                index += 1
                continue
            text = self._text(block, rng)
            if index == 0 and glued:
                text = glued + text.lstrip(" \n\t")
            pair = tuple(blocks[index : index + 2]) == contact
            if pair and self.variant != "bitrix":
                second = self._text(contact[1], rng)
                lines.append(f"<p>{text}<br>{second}</p>")
                index += 2
                continue
            lines.append(text if self.variant == "bitrix" else f"<p>{text}</p>")
            index += 1
        if self.variant == "bitrix":
            separators = [rng.choice(("<br />\n<br />\n", "<br />\n")) for _ in lines]
            return "".join(line + sep for line, sep in zip(lines, separators, strict=True))
        return "\n".join(lines)

    def _picture(self, article: Article) -> str:
        if not article.picture:
            return ""
        src = escape(article.picture.path)
        alt = escape(article.title)
        if self.variant == "bitrix":
            return (
                f'<img class="detail_picture" border="0" src="{src}" width="600" height="400" '
                f'alt="{alt}" title="{alt}" />\n'
            )
        if self.variant == "custom":
            return f'<div class="article__image"><img src="{src}" alt="{alt}"></div>\n'
        return f'<figure><img src="{src}" alt="{alt}"></figure>\n'

    def _back_links(self, article: Article) -> str:
        targets = {
            "back": "javascript:history.back()",
            "section": SECTION_PATHS[article.section],
            "all": "/news/",
        }
        links = [(targets[kind], escape(self.labels[kind])) for kind in article.back_links]
        if self.variant == "bitrix":
            return "<br />".join(f'<a href="{href}">{label}</a>' for href, label in links)
        if self.variant == "custom":
            return "".join(
                f'<a class="back-links__item" href="{href}">{label}</a>' for href, label in links
            )
        return "\n".join(f'<p><a href="{href}">{label}</a></p>' for href, label in links)

    # --- listings ---

    def listing(self, path: str, articles: list[Article], page: int, page_size: int) -> str:
        """One page of a section listing: H1, items (title link + teaser), pager."""
        last = max(1, ceil(len(articles) / page_size))
        items = articles[(page - 1) * page_size : page * page_size]
        heading = escape(self._pick(self.listing_titles[path]))
        parts = []
        for article in items:
            rng = self._rng("item", path, article.id)
            href = escape(self.link(article.path, rng, base=path))
            title = self._text(article.title, rng, markup=False)
            teaser = self._text(article.summary, rng)
            if self.variant == "bitrix":
                day = article.published.strftime("%d.%m.%Y")
                picture = ""
                if article.picture:
                    picture = (
                        f'<a href="{href}"><img class="preview_picture" border="0" '
                        f'src="{escape(article.picture.path)}" alt="" /></a>'
                    )
                parts.append(
                    f'<p class="news-item" id="bx_3218110189_{article.id}">{picture}'
                    f'<span class="news-date-time">{day}</span>&nbsp;&nbsp;'
                    f'<a href="{href}"><b>{title}</b></a><br />\n{teaser}</p>'
                )
            elif self.variant == "custom":
                parts.append(
                    f'<div class="news-block__item"><h3 class="news-block__title">'
                    f'<a href="{href}">{title}</a></h3>'
                    f'<div class="news-block__text">{teaser}</div></div>'
                )
            else:  # teaser-only items: the link wraps the teaser
                parts.append(f'<li><a href="{href}">{teaser}</a></li>')
        pager = self._pager(path, page, last, len(articles), page_size)
        if self.variant == "bitrix":
            main = (
                f'<h1>{heading}</h1>\n<div class="news-list">\n'
                + "\n".join(parts)
                + f"\n<br />{pager}\n</div>"
            )
        elif self.variant == "custom":
            main = (
                f'<h1 class="content-block__title">{heading}</h1>\n<div class="news-block">\n'
                + "\n".join(parts)
                + f"\n</div>\n{pager}"
            )
        else:
            main = f"<h1>{heading}</h1>\n<ul>\n" + "\n".join(parts) + f"\n</ul>\n{pager}"
        if path == "/authorized_organs/secretariat/":  # the body's static text below its news
            main += f"\n<p>{escape(SECRETARIAT_TEXT[self.lang])}</p>"
        return self.page(self._pick(self.listing_titles[path]), main)

    def _pager(self, path: str, page: int, last: int, total: int, page_size: int) -> str:
        """Numbered links around the current page and a "next" link (none on the last page)."""
        numbers = range(max(1, page - 2), min(last, page + 2) + 1)
        if self.variant == "bitrix":
            return self._bitrix_pager(path, page, last, numbers, total, page_size)
        if self.variant == "custom":
            return self._custom_pager(path, page, last, numbers)
        links = _number_links(path, page, numbers)
        if page < last:
            links.append(f'<a href="{_page_href(path, page + 1)}">{self.labels["next"]} »</a>')
        return f"<p>{self.labels['pages']} " + " ".join(links) + "</p>"

    def _bitrix_pager(
        self, path: str, page: int, last: int, numbers: range, total: int, page_size: int
    ) -> str:
        """Bitrix's stock pager: First/Prev/Next/Last stay as bare words where they lead nowhere."""
        labels = self.labels
        if page > 1:
            nav = [
                f'<a href="{_page_href(path, 1)}">{labels["first"]}</a>',
                f'<a href="{_page_href(path, page - 1)}">{labels["prev"]}</a>',
            ]
        else:
            nav = [labels["first"], labels["prev"]]
        if page < last:
            ajax = f"&bxajaxid={BXAJAXIDS[len(path) % 2]}"
            tail = [
                f'<a href="{_page_href(path, page + 1, ajax)}">{labels["next"]}</a>',
                f'<a href="{_page_href(path, last)}">{labels["last"]}</a>',
            ]
        else:
            tail = [labels["next"], labels["last"]]
        first_item = (page - 1) * page_size + 1
        shown = min(page * page_size, total)
        return (
            f'<font class="text">{labels["items"]} <b>{first_item}</b> - <b>{shown}</b> '
            f'{labels["of"]} <b>{total}</b><br /></font>\n<font class="text">'
            + " | ".join(nav)
            + " | "
            + " ".join(_number_links(path, page, numbers))
            + " | "
            + " | ".join(tail)
            + "</font>"
        )

    def _custom_pager(self, path: str, page: int, last: int, numbers: range) -> str:
        """The redesign's pager also links page 1 and the last page, across "…" gaps."""
        items = []
        if page > 1:  # always with PAGEN_1, so page 1 also appears as ?PAGEN_1=1
            prev = escape(f"{path}?PAGEN_1={page - 1}")
            items.append(f'<li class="pagination__prev"><a href="{prev}">«</a></li>')
        if numbers[0] > 1:
            href = _page_href(path, 1)
            items.append(f'<li class="pagination__item"><a href="{href}">1</a></li>')
            items.append('<li class="pagination__item">…</li>')
        for n in numbers:
            if n == page:
                items.append(
                    f'<li class="pagination__item pagination__item--active"><span>{n}</span></li>'
                )
            else:
                href = _page_href(path, n)
                items.append(f'<li class="pagination__item"><a href="{href}">{n}</a></li>')
        if numbers[-1] < last:
            href = _page_href(path, last)
            items.append('<li class="pagination__item">…</li>')
            items.append(f'<li class="pagination__item"><a href="{href}">{last}</a></li>')
        if page < last:
            href = _page_href(path, page + 1)
            items.append(f'<li class="pagination__next"><a href="{href}">»</a></li>')
        return '<ul class="pagination">' + "".join(items) + "</ul>"

    # --- other pages ---

    def heading(self, text: str) -> str:
        """The page heading of home and other pages (escaped text); a markup may print another."""
        return f"<h1>{text}</h1>"

    def block_heading(self, text: str, href: str) -> str:
        """The heading of a home page block, linking to its tab."""
        return f'<h2><a href="{href}">{text}</a></h2>'

    def home(self, news: list[Article], statements: list[Article]) -> str:
        """The home page: blocks of the newest news and statements, with the tab links."""
        rng = self._rng("home")
        labels = self.labels

        def block(heading: str, more: str, articles: list[Article]) -> str:
            links = "".join(
                f'<li><a href="{escape(self.link(a.path, rng))}">{escape(a.title)}</a></li>'
                for a in articles
            )
            return f"{self.block_heading(escape(heading), more)}\n<ul>{links}</ul>\n"

        main = (
            self.heading(escape(labels["home"]))
            + "\n"
            + block(labels["all_news"], "/?gen-tab=press", news)
            + block(labels["all_statements"], "/?c-tab=statements", statements)
        )
        if self.variant == "custom":
            main = f'<div class="home">{main}</div>'
        return self.page(labels["home"], main)

    def static(self, path: str, latest: list[Article]) -> str:
        """A non-news page (menu target): H1, a few paragraphs, links to its sub-pages."""
        en, ru, children = STATIC_PAGES[path]
        title = self._pick((en, ru))
        paragraphs = _static_text(self.lang, path)
        names = {
            **{p: self._pick(t) for p, t in LISTING_TITLES.items()},
            **{p: self._pick(t[:2]) for p, t in STATIC_PAGES.items()},
        }
        links = "".join(f'<p><a href="{p}">{escape(names[p])}</a></p>' for p in children)
        body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
        main = f"<h1>{escape(title)}</h1>\n{body}\n{links}"
        return self.page(title, main, sidebar=self.sidebar(latest, path))

    def not_found(self) -> str:
        message = escape(self.labels["not_found"])
        return self.page(self.labels["not_found"], f"<h1>404</h1>\n<p>{message}</p>")


def _static_text(lang: str, path: str) -> list[str]:
    """Paragraphs of a static page: its capture when we have one, else a generic paragraph."""
    for url, text in captures():
        if url.endswith(path) and (lang == "en") == ("//en." in url):
            lines = [line for line in map(clean, text.split("\n")) if line]
            return lines[1:4] or lines[:1]
    return list(pools(lang).paragraphs[:1])


def _page_href(path: str, n: int, junk: str = "") -> str:
    """Bitrix links page 1 as the bare listing path, unless the link carries more query (`junk`)."""
    return escape(path if n == 1 and not junk else f"{path}?PAGEN_1={n}{junk}")


def _number_links(path: str, page: int, numbers: range) -> list[str]:
    """The Bitrix and plain pagers print the same numbers: links, the current page in bold."""
    return [
        f"<b>{n}</b>" if n == page else f'<a href="{_page_href(path, n)}">{n}</a>' for n in numbers
    ]
