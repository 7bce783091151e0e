"""The site's further news-bearing sections (issue 22), the same items in both languages.

Authorised bodies, sessions, exercises, international organisations and the chairmanship, with
the real site's URL shapes (site-map.md): year folders, mixed-case exercise folders, numeric
suffixes, underscore slugs, details by ELEMENT_ID. One plan serves both languages, so that the
English and Russian sites carry known translation pairs, the hard ones included: an English slug
cut mid-word, hand-edited slugs (one with a file shared by both languages, one with nothing to
pair it by), two articles of one section on one date, and a Russian article with no English
version. Slugs are Bitrix transliterations of the Russian title (this module's own table).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from .content import PDF_TYPE, Article, Attachment, Generator, _first_sentence, hex_digest

# Section -> (en, ru) name in the site's menu: the records' `section_title`.
FURTHER_TITLES = {
    "permanent_council": ("Permanent Council", "Постоянный совет"),
    "secretariat": ("CSTO Secretariat", "Секретариат ОДКБ"),
    "session": (
        "Sessions of the Collective Security Council",
        "Сессии Совета коллективной безопасности",
    ),
    "training": ("Joint training", "Совместные учения"),
    "international_org": ("International organisations", "Международные организации"),
    "chairmanship": ("Chairmanship", "Председательство"),
}
# Sections the crawler finds rather than knows (issue 22): `section_title` null.
DISCOVERED = ("military_committee",)
# Listing path -> its H1 (en, ru).
FURTHER_LISTING_TITLES = {
    "/authorized_organs/permanent_council/": ("Permanent Council", "Постоянный совет ОДКБ"),
    "/authorized_organs/secretariat/": ("CSTO Secretariat", "Секретариат ОДКБ"),
    "/session/": (
        "Sessions of the Collective Security Council",
        "Сессии Совета коллективной безопасности",
    ),
    "/training/": ("Joint training", "Совместные учения"),
    "/international_org/": ("International organisations", "Международные организации"),
    "/chairmanship/": ("Chairmanship in the CSTO", "Председательство в ОДКБ"),
    "/authorized_organs/military_committee/": ("Military Committee", "Военный комитет ОДКБ"),
}
# The secretariat's listing prints its titles above the body's static description (site-map.md).
SECRETARIAT_TEXT = {
    "en": "The CSTO Secretariat is the permanent working body of the Organization. It provides "
    "organizational, informational, analytical and advisory support to the bodies of the CSTO.",
    "ru": "Секретариат ОДКБ является постоянно действующим рабочим органом Организации и "
    "осуществляет организационное, информационно-аналитическое и консультативное обеспечение "
    "деятельности органов ОДКБ.",
}

_TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "_",
            "y",
            "_",
            "e",
            "yu",
            "ya",
        ],
        strict=True,
    ),
    ъ="",
    ь="",
)


def bitrix_slug(title: str, separator: str = "-", limit: int = 100) -> str:
    """The element code Bitrix makes from a Russian title: transliterated, lower case, every run
    of other characters one separator, cut at `limit` characters (mid-word too)."""
    letters = "".join(_TRANSLIT.get(char, char) for char in title.lower())
    words = "".join(c if c.isascii() and c.isalnum() else " " for c in letters).split()
    return separator.join(words)[:limit]


@dataclass(frozen=True)
class Item:
    """One article of a further section, in both languages unless `en` is None.

    `folder`: the path part before the slug (a year folder, an exercise, an organisation);
    `en_slug`/`ru_slug`: hand-made slugs, else the transliterated Russian title (`ru_slug`
    "_": with underscores); `shared_file`: one PDF with the same bytes on both sites."""

    key: str
    section: str
    published: date
    ru: str
    en: str | None
    folder: str = ""
    en_slug: str | None = None
    ru_slug: str | None = None
    shared_file: bool = False


PLAN = (
    Item("pc1", "permanent_council", date(2025, 3, 12),
         "Постоянный совет ОДКБ согласовал предложения Секретариата ОДКБ по практическим мерам "
         "по противодействию международному терроризму",
         "The CSTO Permanent Council agreed on the proposals of the CSTO Secretariat on practical "
         "measures to counter international terrorism"),
    # Two articles of one section on one date.
    Item("pc2", "permanent_council", date(2025, 3, 12),
         "Постоянный совет ОДКБ обсудил подготовку к сессии Совета коллективной безопасности",
         "The CSTO Permanent Council discussed preparations for the session of the Collective "
         "Security Council"),
    # The Russian slug is in the older underscore style, the English one cut mid-word.
    Item("pc3", "permanent_council", date(2017, 6, 20),
         "Полномочные представители государств членов ОДКБ провели консультации по актуальным "
         "вопросам коллективной безопасности в Центральной Азии",
         "Plenipotentiary representatives of the CSTO member states held consultations on "
         "collective security in Central Asia", ru_slug="_"),
    Item("sec1", "secretariat", date(2025, 7, 26),
         "В Секретариате ОДКБ состоялась встреча с выпускниками вузов Центральной Азии",
         "Staff of the CSTO Secretariat met with graduates of Central Asian universities"),
    # A hand-edited English slug, and a file both sites serve: paired by the file and the date.
    Item("sec2", "secretariat", date(2024, 12, 27), "Итоги деятельности Секретариата ОДКБ в 2024 году",
         "Results of the work of the CSTO Secretariat in 2024", en_slug="itogi2024",
         shared_file=True),
    # A hand-edited English slug and nothing else to pair it by: left unpaired.
    Item("sec3", "secretariat", date(2024, 5, 14),
         "Секретариат ОДКБ провел консультации с представителями Исполнительного комитета СНГ",
         "The CSTO Secretariat held consultations with representatives of the CIS Executive "
         "Committee", en_slug="konsultatsii-s-ispolkomom-sng"),
    Item("sec4", "secretariat", date(2023, 11, 2),
         "В Секретариате ОДКБ прошел брифинг для представителей дипломатического корпуса",
         "A briefing for the diplomatic corps was held at the CSTO Secretariat"),
    # A Russian article with no English version, on the date of another one.
    Item("sec5", "secretariat", date(2023, 11, 2),
         "Сотрудники Секретариата ОДКБ приняли участие в международной конференции в Душанбе",
         None),
    Item("sec6", "secretariat", date(2022, 9, 8),
         "Генеральный секретарь ОДКБ провел рабочую встречу с сотрудниками Секретариата",
         "The CSTO Secretary General held a working meeting with the Secretariat staff"),
    Item("sec7", "secretariat", date(2021, 2, 17),
         "Секретариат ОДКБ подвел итоги работы по информационному противоборству",
         "The CSTO Secretariat summed up its work on information confrontation"),
    Item("ses1", "session", date(2023, 11, 23),
         "Сессия Совета коллективной безопасности ОДКБ в Минске",
         "Session of the CSTO Collective Security Council in Minsk", folder="2023/",
         en_slug="session202311", ru_slug="session202311"),
    Item("ses2", "session", date(2015, 9, 15),
         "Сессия Совета коллективной безопасности ОДКБ в Душанбе",
         "Session of the CSTO Collective Security Council in Dushanbe", folder="2015/",
         en_slug="session201509", ru_slug="session201509"),
    Item("tr1", "training", date(2015, 8, 20),
         "Завершается первый этап проверки готовности Коллективных сил оперативного реагирования "
         "ОДКБ которые проводятся в Псковской области",
         "The first stage of the readiness check of the CSTO Collective Rapid Reaction Forces is "
         "ending", folder="ksorodkb2015/"),
    Item("tr2", "training", date(2024, 9, 3),
         "Учение Взаимодействие с Коллективными силами ОДКБ началось в Казахстане",
         "The exercise Interaction with the CSTO Collective Forces has begun in Kazakhstan",
         folder="CSTO_collective_forces/"),
    Item("io1", "international_org", date(2016, 4, 5),
         "Заместитель Генерального секретаря ОДКБ встретился со Специальным представителем "
         "Генерального секретаря ООН по Центральной Азии",
         "The CSTO Deputy Secretary General met with the UN Secretary General's Special "
         "Representative for Central Asia", folder="un/", ru_slug="_"),
    Item("io2", "international_org", date(2022, 10, 19),
         "Представители ОДКБ и ОБСЕ обсудили вопросы противодействия терроризму",
         "Representatives of the CSTO and the OSCE discussed countering terrorism",
         folder="osce/"),
    Item("ch1", "chairmanship", date(2025, 1, 10),
         "Приоритеты председательства Российской Федерации в ОДКБ в 2025 году",
         "Priorities of the Russian Federation's chairmanship in the CSTO in 2025",
         en_slug="23867", ru_slug="23867"),
    Item("ch2", "chairmanship", date(2024, 1, 15),
         "План мероприятий председательства в ОДКБ на 2024 год",
         "Plan of events of the chairmanship in the CSTO for 2024",
         en_slug="23101", ru_slug="23101"),
    # A body's listing found only through /authorized_organs/ (DISCOVERED).
    Item("mc1", "military_committee", date(2025, 5, 22),
         "Военный комитет ОДКБ обсудил вопросы развития военного сотрудничества",
         "The CSTO Military Committee discussed the development of military cooperation"),
    Item("mc2", "military_committee", date(2023, 10, 11),
         "Заседание Военного комитета ОДКБ прошло в Бишкеке",
         "A meeting of the CSTO Military Committee was held in Bishkek"),
)  # fmt: skip
# Element ids of the chairmanship's details; numeric suffixes of exercise slugs (as on the site).
_EXERCISE_SUFFIX = {"tr1": "-4883", "tr2": "-12948"}


def slug_of(item: Item, lang: str) -> str:
    """The item's slug on one language's site (without its folder)."""
    hand = item.en_slug if lang == "en" else item.ru_slug
    if hand is not None and hand != "_":
        return hand
    suffix = _EXERCISE_SUFFIX.get(item.key, "")
    return bitrix_slug(item.ru, "_" if hand == "_" else "-", 100 - len(suffix)) + suffix


def further_articles(generator: Generator) -> list[Article]:
    """The plan's articles in the generator's language, ids following the generator's."""
    lang = generator.lang
    articles = []
    for item in PLAN:
        title = item.en if lang == "en" else item.ru
        if title is None:
            continue
        rng = random.Random(f"{generator.seed}:{lang}:further:{item.key}")
        body = generator._news_body(rng, item.published)  # the replica's own generator
        article = Article(
            id=generator.next_id,
            lang=lang,
            section=item.section,
            slug=item.folder + slug_of(item, lang),
            title=title,
            published=item.published,
            summary=_first_sentence(str(body[0])),
            body=body,
            key=item.key,
        )
        if item.shared_file:
            digest = hex_digest("shared", item.key)
            article.attachment = Attachment(
                path=f"/upload/iblock/{digest[:3]}/{digest}.pdf",
                name=f"{digest}.pdf",
                kind="pdf",
                variant=7,
                served_type=PDF_TYPE,
                shared=True,
            )
            article.date_style = "own_line"
        generator.used_titles.add(title)
        generator.next_id += 1
        articles.append(article)
    return articles


# How many further articles each language's site publishes (a Russian one has no English version).
FURTHER_ARTICLES = {
    "en": sum(1 for item in PLAN if item.en is not None),
    "ru": len(PLAN),
}


def known_pairs(english: list[Article], russian: list[Article]) -> dict[str, str]:
    """English article URL -> the URL of the Russian article it translates: the truth pairing
    is scored on (every English article of the replica has one)."""
    originals = {article.key: article.url for article in russian}
    return {article.url: originals[article.key] for article in english}
