"""The sister sites (issue 22): the Joint Staff (jscsto) and the anti-drug council (ksopn).

Each serves both languages on one host: English under /en/ (`/en/news/<slug>/`, observed on the
real sites, site-map.md 1.3), Russian at the root (`/news/<slug>/`, assumed). One news listing per
language, paged with PAGEN_1, the same Bitrix markup as the CSTO site; the Joint Staff's slugs
have hyphens, the council's underscores (as observed), both transliterated from the Russian title.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import date
from math import ceil
from typing import Any
from urllib.parse import unquote, urlsplit

from .content import Article, Generator, _first_sentence
from .further import bitrix_slug
from .markup import LISTING_TITLES, Renderer
from .site import Response, _jpeg, _needs_slash, _page_number

# Site -> (host, slug separator, (en, ru) section title, [(date, ru title, en title or None)]).
SISTERS: dict[str, tuple[str, str, tuple[str, str], tuple[tuple[date, str, str | None], ...]]] = {
    "jscsto": (
        "jscsto.odkb-csto.org",
        "-",
        ("Joint Staff news", "Новости Объединенного штаба"),
        (
            (date(2025, 11, 20), "Начальник Объединенного штаба ОДКБ провел рабочую встречу с "
             "военными атташе государств членов", "The Chief of the CSTO Joint Staff met the "
             "military attachés of the member states"),
            (date(2025, 10, 2), "В Объединенном штабе ОДКБ обсудили подготовку к совместным "
             "учениям Взаимодействие", "The CSTO Joint Staff discussed the preparations for the "
             "joint exercise Interaction"),
            (date(2025, 10, 2), "Офицеры Объединенного штаба ОДКБ посетили Военную академию "
             "Генерального штаба", "Officers of the CSTO Joint Staff visited the Military Academy "
             "of the General Staff"),
            (date(2025, 6, 17), "Состоялось заседание рабочей группы по военно техническому "
             "сотрудничеству", None),
            (date(2024, 12, 5), "Объединенный штаб ОДКБ подвел итоги оперативной подготовки за "
             "2024 год", "The CSTO Joint Staff summed up the operational training of 2024"),
            (date(2024, 3, 1), "Годовщина образования Объединенного штаба ОДКБ", "Anniversary "
             "of the CSTO Joint Staff"),
        ),
    ),
    "ksopn": (
        "ksopn.odkb-csto.org",
        "_",
        ("Anti-drug Coordination Council news",
         "Новости Координационного совета по противодействию наркотикам"),
        (
            (date(2025, 9, 12), "Завершился первый этап международной антинаркотической "
             "операции Канал Центр", "The first stage of the international anti-drug operation "
             "Channel Centre is over"),
            (date(2024, 11, 28), "Состоялось заседание Координационного совета руководителей "
             "компетентных органов по противодействию незаконному обороту наркотиков",
             "A meeting of the Coordination Council of the heads of the competent authorities "
             "for countering drug trafficking was held"),
            (date(2018, 5, 15), "В Минске обсудили противодействие распространению синтетических "
             "наркотиков", "Countering the spread of synthetic drugs was discussed in Minsk"),
            (date(2017, 4, 3), "Итоги операции Канал Волга Дон", "Results of the operation "
             "Channel Volga Don"),
            (date(2017, 2, 14), "Рабочая группа экспертов КСОПН провела совещание в Бишкеке",
             None),
        ),
    ),
}  # fmt: skip
PREFIXES = {"en": "/en", "ru": ""}
SISTER_LISTING = "/news/"


@dataclass
class SisterArticle(Article):
    """An article of a sister site: its path under the language's prefix, on the site's host."""

    host: str = ""

    @property
    def path(self) -> str:
        return f"{PREFIXES[self.lang]}{SISTER_LISTING}{self.slug}/"

    @property
    def url(self) -> str:
        return f"https://{self.host}{self.path}"

    @property
    def images(self) -> list[str]:
        pictures = [block for block in self.body if not isinstance(block, str)]
        return list(dict.fromkeys(f"https://{self.host}{image.path}" for image in pictures))


class SisterRenderer(Renderer):
    """The CSTO site's Bitrix markup with the sister site's menu, host and listing."""

    def __init__(self, lang: str, host: str, seed: int) -> None:
        super().__init__(lang, "bitrix", seed)
        prefix = PREFIXES[lang]
        self.host = host
        self.menu = (
            (f"{prefix}/", "Home", "Главная"),
            (f"{prefix}{SISTER_LISTING}", "News", "Новости"),
            (f"{prefix}/about/", "About", "О нас"),
            ("/" if prefix else "/en/", "Русский", "English"),  # the other language's home
        )
        self.listing_titles = {**LISTING_TITLES, f"{prefix}{SISTER_LISTING}": ("News", "Новости")}

    def _back_links(self, article: Article) -> str:
        listing = f"{PREFIXES[self.lang]}{SISTER_LISTING}"
        targets = {"back": "javascript:history.back()", "section": listing, "all": listing}
        return "<br />".join(
            f'<a href="{targets[kind]}">{self.labels[kind]}</a>' for kind in article.back_links
        )


class SisterSite:
    """Both languages of one sister site, served from one host; the expected dataset by language."""

    def __init__(self, name: str, page_size: int = 2, seed: int = 0) -> None:
        self.name = name
        self.host, separator, self.titles, plan = SISTERS[name]
        self.page_size = page_size
        self.hits: Counter[str] = Counter()
        self._lock = threading.Lock()
        self.renderers = {lang: SisterRenderer(lang, self.host, seed) for lang in PREFIXES}
        self.by_lang: dict[str, list[SisterArticle]] = {"en": [], "ru": []}
        for lang in PREFIXES:
            generator = Generator(lang, seed)
            for number, (published, ru, en) in enumerate(plan):
                title = en if lang == "en" else ru
                if title is None:  # a Russian article with no English version
                    continue
                rng = random.Random(f"{seed}:{name}:{lang}:{number}")
                body = generator._news_body(rng, published)  # the replica's own generator
                self.by_lang[lang].append(
                    SisterArticle(
                        id=1000 * (number + 1),
                        lang=lang,
                        section="news",
                        slug=bitrix_slug(ru, separator),
                        title=title,
                        published=published,
                        summary=_first_sentence(str(body[0])),
                        body=body,
                        host=self.host,
                        key=f"{name}{number}",
                    )
                )
        self._pages = {
            unquote(article.path): article for articles in self.by_lang.values()
            for article in articles
        }  # fmt: skip

    def listing_path(self, lang: str) -> str:
        return f"{PREFIXES[lang]}{SISTER_LISTING}"

    def expected_articles(self, lang: str) -> list[dict[str, Any]]:
        """The records a correct crawl of one language produces (no crawled_at)."""
        records = []
        for article in self.by_lang[lang]:
            record = article.expected()
            record["section_title"] = self.titles[0 if lang == "en" else 1]
            records.append(record)
        return records

    def respond(self, target: str) -> Response:
        """The answer to a request target, as the real site would give it."""
        split = urlsplit(target)
        path = unquote(split.path)
        with self._lock:
            self.hits[target] += 1
        listings = {self.listing_path(lang): lang for lang in PREFIXES}
        if _needs_slash(path) and (path + "/" in self._pages or path + "/" in listings):
            return Response(301, b"", headers={"Location": split.path + "/"})
        if path == "/robots.txt":
            return Response(200, b"User-agent: *\nDisallow:\n", "text/plain; charset=UTF-8")
        if path.startswith("/upload/"):
            return Response(200, _jpeg(path), "image/jpeg")
        if path in listings:
            lang = listings[path]
            articles: list[Article] = list(self.by_lang[lang])
            last = max(1, ceil(len(articles) / self.page_size))
            page = min(_page_number(split.query), last)
            html = self.renderers[lang].listing(path, articles, page, self.page_size)
            return Response(200, html.encode())
        if (article := self._pages.get(path)) is not None:
            others = list[Article](a for a in self.by_lang[article.lang] if a is not article)[:3]
            return Response(200, self.renderers[article.lang].detail(article, others).encode())
        html = self.renderers["en" if path.startswith("/en/") else "ru"].not_found()
        return Response(404, html.encode())

