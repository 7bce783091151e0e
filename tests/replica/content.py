"""The clean article model of the replica site and its deterministic generator.

The model is the source of truth: pages are rendered from it with noise added on top, and the
expected dataset is computed from it directly (never by parsing our own HTML). Texts come from
real captures of the site (tests/data/page_texts.jsonl), cycled and varied to reach any size.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import textwrap
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from tests.documents import make_docx, make_pdf

CAPTURES = Path(__file__).resolve().parent.parent / "data" / "page_texts.jsonl"

HOSTS = {"en": "en.odkb-csto.org", "ru": "odkb-csto.org"}
NEWS_SECTIONS = ("news_odkb", "speech", "smi")
SECTIONS = (*NEWS_SECTIONS, "statements")
# The site's further news-bearing sections (issue 22, tests/replica/further.py).
FURTHER_SECTION_PATHS = {
    "permanent_council": "/authorized_organs/permanent_council/",
    "secretariat": "/authorized_organs/secretariat/",
    "session": "/session/",
    "training": "/training/",
    "international_org": "/international_org/",
    "chairmanship": "/chairmanship/",
    # A body's news that no menu links: found on /authorized_organs/ (the crawler's table lacks it).
    "military_committee": "/authorized_organs/military_committee/",
}
SECTION_PATHS = {
    "news_odkb": "/news/news_odkb/",
    "speech": "/news/speech/",
    "smi": "/news/smi/",
    "statements": "/documents/statements/",
    **FURTHER_SECTION_PATHS,
}
# Listing path -> sections whose articles it lists ("/news/" is the all-news feed).
LISTINGS: dict[str, tuple[str, ...]] = {
    "/news/": NEWS_SECTIONS,
    **{path: (section,) for section, path in SECTION_PATHS.items()},
}

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"

# Span of publication dates of the generated site (newest first); additions go after NEWEST.
NEWEST = date(2025, 12, 15)
OLDEST = date(2018, 1, 15)
UNDERSCORE_BEFORE = date(2019, 1, 1)  # older items have underscore slugs, as on the real site

# --- cleaning (docs/dataset.md), the replica's own implementation -----------------------------

_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
_STRAY_TAGS = frozenset({"p>", "</p>", "br>"})


def clean(text: str) -> str:
    """Clean a piece of text exactly as docs/dataset.md says the crawler must."""
    words = _INVISIBLE.sub("", text).split()  # str.split() splits on every Unicode space
    return " ".join(word for word in words if word not in _STRAY_TAGS)


def canonical_url(lang: str, path: str) -> str:
    """The official https URL of a site path (path kept exactly, `%20` included)."""
    return f"https://{HOSTS[lang]}{path}"


def hex_digest(*parts: object) -> str:
    """A stable 32-hex name (Bitrix-like) derived from the given parts."""
    return hashlib.md5(":".join(map(str, parts)).encode()).hexdigest()


# --- the model --------------------------------------------------------------------------------


@dataclass
class Image:
    """An image in an article: `path` is the URL path, `caption` the file name shown below it."""

    path: str
    caption: str


@dataclass
class Attachment:
    """A file behind the "Download document" line; `variant` picks its generated content."""

    path: str
    name: str
    kind: str  # "docx" | "pdf"
    variant: int
    served_type: str  # Content-Type the server sends (one file gets a wrong generic one)
    shared: bool = False  # the same bytes on both languages' sites

    @property
    def media_type(self) -> str:
        return DOCX_TYPE if self.kind == "docx" else PDF_TYPE


Block = str | Image  # a body paragraph (clean text) or an image with its caption


@dataclass
class Article:
    """One article as published; all texts clean. Render-time choices live in the fields below."""

    id: int
    lang: str
    section: str
    slug: str
    title: str
    published: date
    summary: str
    body: list[Block]
    picture: Image | None = None  # lead picture shown above the text
    attachment: Attachment | None = None
    date_style: str = "inline"  # "inline" (Title dd.mm.yyyy) | "own_line" | "glued"
    back_links: tuple[str, ...] = ("back", "section", "all")
    download_gap: bool = True  # "Download document name" vs "Download documentname"
    # Body lines a formal text opens or closes with (heading, dateline, salutations; the place and
    # date it was signed): body like the rest, which a markup may print apart (formalise()).
    opening: int = 0
    closing: int = 0
    key: str = ""  # the same article in the other language has the same key (further.py)

    @property
    def path(self) -> str:
        if self.section == "chairmanship":  # details addressed by element id
            return f"{SECTION_PATHS[self.section]}?ELEMENT_ID={self.slug}"
        return f"{SECTION_PATHS[self.section]}{self.slug}/"

    @property
    def url(self) -> str:
        return canonical_url(self.lang, self.path)

    @property
    def paragraphs(self) -> list[str]:
        return [block for block in self.body if isinstance(block, str)]

    @property
    def images(self) -> list[str]:
        """Canonical image URLs in page order, each once."""
        pictures = [self.picture] if self.picture else []
        pictures += [block for block in self.body if isinstance(block, Image)]
        return list(dict.fromkeys(canonical_url(self.lang, image.path) for image in pictures))

    def expected(self) -> dict[str, Any]:
        """The dataset record a correct crawl produces (docs/dataset.md), minus crawled_at."""
        attachments = []
        if self.attachment:
            url = canonical_url(self.lang, self.attachment.path)
            attachments.append({"url": url, "name": self.attachment.name})
        content = {
            "title": self.title,
            "published": self.published.isoformat(),
            "text": "\n\n".join(self.paragraphs),
            "attachments": attachments,
            "images": self.images,
        }
        digest = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return {
            "url": self.url,
            "lang": self.lang,
            "section": self.section,
            "summary": self.summary,
            "problems": [],
            **content,
            "content_sha256": hashlib.sha256(digest.encode()).hexdigest(),
            "aliases": [],  # ReplicaSite.expected_articles() lists the site's aliases
        }


# --- text pools from the captures -------------------------------------------------------------

_DATE_LINE = re.compile(r"^\d\d\.\d\d\.\d{2,4}")
_TITLE_DATE = re.compile(r"^(.*\S)\s+\d\d\.\d\d\.\d{4}$")
_IMAGE_NAME = re.compile(r"\.(jpe?g|png|gif)\b", re.IGNORECASE)
_SENTENCE = re.compile(r"^(.{40,}?[.!?])\s")

# Titles seen in the captures that the "Title / Title dd.mm.yyyy" pattern does not find.
EXTRA_TITLES = {
    "en": (
        "The CSTO Secretariat hosted consultations of the heads of press services (information "
        "units) of the foreign ministries of the CSTO member states",
        "Speech by the CSTO Secretary General Imangali Tasmagambetov at the II Minsk Conference "
        "on Eurasian Security",
        "Briefing by the Chief of the CSTO Joint Staff took place",
        "Interview of the CSTO Secretary General Imangali Tasmagambetov to the TASS agency",
        "On the anniversary of the Collective Security Treaty signing",
        "A meeting of the Parliamentary Assembly Council of the Collective Security Treaty "
        "Organization will be held in Yerevan",
        "The CSTO Joint Staff held the first staff talks on the preparation of joint trainings "
        "with the CSTO Troops (Collective Forces)",
        "The CSTO Deputy Secretary General Samat Ordabayev met with the UN Secretary General's "
        "Special Representative for Central Asia Kakha Imnadze",
        "Khasan Sultonov, Permanent and Plenipotentiary Representative of the Republic of "
        "Tajikistan to the CSTO, informed the members of the Organization's Permanent Council "
        "about the situation on the Tajik-Afghan border",
        "Statement of the CSTO Secretary General in the course of the “round table” meeting "
        '"CSTO: Landmarks for Strategic Development", October 7, 2020',
        "The CSTO Secretary General Imangali Tasmagambetov met with Denis Manturov, the Deputy "
        "Prime Minister of the Russian Federation - Minister of Industry and Trade of Russia, "
        "Chairman of the CSTO ICMEC",
        "The Newly appointed CSTO Secretary General Imangali TASMAGAMBETOV was presented to the "
        "CSTO Secretariat and members of the Organization's Permanent Council",
        "The May of the Great Victory is ahead!",
    ),
    "ru": (
        "Генеральный секретарь ОДКБ Станислав Зась в Минске обсудил с Министром иностранных дел "
        "Беларуси Владимиром Макеем международную и региональную безопасность и сотрудничество "
        "ОДКБ с ООН",
        "О ситуации в СМИ вокруг деятельности ОДКБ",
        "Завершается первый этап проверки готовности Коллективных сил оперативного реагирования "
        "ОДКБ",
        "Постоянный Совет ОДКБ согласовал предложения Секретариата ОДКБ по практическим мерам по "
        "противодействию международному терроризму",
        "В Секретариате ОДКБ состоялись консультации руководителей пресс-служб информационных "
        "подразделений МИД государств – членов ОДКБ",
        "Стороны обменялись мнениями по актуальным вопросам военного сотрудничества",
    ),
}
STATEMENT_TITLES = {
    "en": (
        "STATEMENT of the Ministers for Foreign Affairs of the Collective Security Treaty "
        "Organization Member States on international security issues",
        "Statement by the Ministers for Foreign Affairs of the Collective Security Treaty "
        "Organization regarding the seventy-fifth anniversary of the judgment of the "
        "International Military Tribunal in Nuremberg",
        "DECLARATION of the Collective Security Council of the Collective Security Treaty "
        "Organization",
        "Statement of the CSTO Secretary General on the situation on the Tajik-Afghan border",
    ),
    "ru": (
        "ЗАЯВЛЕНИЕ министров иностранных дел государств – членов Организации Договора о "
        "коллективной безопасности по вопросам международной безопасности",
        "Заявление министров иностранных дел государств – членов ОДКБ в связи с 75-летием "
        "вынесения приговора Международного военного трибунала в Нюрнберге",
        "ДЕКЛАРАЦИЯ Совета коллективной безопасности Организации Договора о коллективной "
        "безопасности",
    ),
}
# Paragraphs with real oddities that the pools would otherwise lack (from other captures).
ODDITIES = {
    "en": (
        "The CSTO Secretariat delegation took part in the ХI International Exhibition of arms "
        "and military equipment.",  # Cyrillic "Х" in "ХI", as published
        "ТTaalatbek Masadykov, the CSTO Deputy Secretary General, took part in the meeting.",
    ),
    "ru": (),
}
# Month names as dates are written in words: English, and Russian in the genitive.
MONTHS = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "ru": (
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ),
}

PRESS_CONTACT = {
    "en": ("The CSTO Press Secretary Vladimir Zaynetdinov", "+7495-795-27-10, odkb-pressa@gov.ru"),
    "ru": ("Пресс-секретарь ОДКБ Владимир Зайнетдинов", "+7495-795-27-10, odkb-pressa@gov.ru"),
}
PLACES = {
    "en": ("Moscow", "Minsk", "Astana", "Bishkek", "Dushanbe", "Yerevan", "Almaty", "Sochi"),
    "ru": ("Москва", "Минск", "Астана", "Бишкек", "Душанбе", "Ереван", "Алматы", "Сочи"),
}
MEMBER_STATES = {
    "en": (
        "Republic of Armenia",
        "Republic of Belarus",
        "Republic of Kazakhstan",
        "Kyrgyz Republic",
        "Russian Federation",
        "Republic of Tajikistan",
    ),
    "ru": (
        "Республика Армения",
        "Республика Беларусь",
        "Республика Казахстан",
        "Кыргызская Республика",
        "Российская Федерация",
        "Республика Таджикистан",
    ),
}
ORGANISATION = {
    "en": "Collective Security Treaty Organization",
    "ru": "Организация Договора о коллективной безопасности",
}
IMAGE_NAMES = (
    "IMG-20190301-WA0012.jpg",
    "1508056642.jpg",
    "DSC_4960.JPG",
    "Встреча Генска ОДКБ, ШОС и Предс.Исп.СНГ в Циндао 9.06.2018.jpg",
)

# Slugs with the real site's oddities, used first so that even a small site has them all.
SPECIAL_NEWS_SLUGS = (
    "v-odkb-provoditsya-strategicheskaya-komandno-shtabnaya-trenirovka",
    "v-odkb-provoditsya-strategicheskaya-komandno-shtabnaya-trenirovka-",
    "intervyu-generalnogo-sekretarya-odkb-imangali-tasmagambetova-tass",
    "intervyu-eneralnogo-sekretarya-odkb-imangali-tasmagambetova-tass",
    "voennyy-komitet-odkb-obsudil-voprosy-razvitiya-voennogo-sotrudnichestva-1",
    "sovet-kollektivnoy-bezopasnosti-odkb-prinyal-deklaratsiyu-i-zayavlenie-o-formirovanii-"
    "spravedlivogo-",
    "itogi2019",
    "v-obedinennom-shtabe1-odkb-sostoyalis-pervye-shtabnye-peregovory-po-podgotovke-sovmestnykh-"
    "ucheniy-s-",
)
STATEMENT_SLUGS = (
    "zayavlenie-ministrov-inostrannykh-del%20ODKB",
    "zayayavlenie-ministrov-inostrannykh-del%2019.05.2021%20-%201",
    "zayavlenie-ministrov-inostrannykh-del-19.05.2021%20-%203",
    "zayavlenie-ministrov-inostrannykh-del-gosudarstv-chlenov-odkb-v-svyazi-s-prodleniem-sroka-"
    "deystviya-",
    "deklaratsiya-soveta-kollektivnoy-bezopasnosti-organizatsii-dogovora-o-kollektivnoy-"
    "bezopasnosti-prin",
    "zayavlenie-generalnogo-sekretarya-odkb-o-situatsii-na-tadzhiksko-afganskoy-granitse",
)
NEWS_LIKE = ("/news/", "/documents/", "/session/", "/75-letie-pobedy/")
BXAJAXIDS = ("a4a891769c768a9a9246ed8384f62bf0", "f6299bc1e89f3cb26502911d17cb058b")


@dataclass(frozen=True)
class Pools:
    """Texts of one language drawn from the captures."""

    titles: tuple[str, ...]
    statement_titles: tuple[str, ...]
    paragraphs: tuple[str, ...]
    leads: tuple[str, ...]  # paragraphs fit to open an article (and give its teaser)
    slugs: tuple[str, ...]


def _capture_lang(url: str) -> str | None:
    host = urlsplit(url).hostname or ""
    if host == HOSTS["en"]:
        return "en"
    return "ru" if host in (HOSTS["ru"], "www." + HOSTS["ru"]) else None


@cache
def captures() -> tuple[tuple[str, str], ...]:
    """(url, text) of every capture in tests/data/page_texts.jsonl."""
    with CAPTURES.open(encoding="utf-8") as lines:
        return tuple((rec["url"], rec["text"]) for rec in map(json.loads, lines))


@cache
def pools(lang: str) -> Pools:
    """Titles, paragraphs and slugs of one language, deduplicated, in capture order."""
    titles: list[str] = []
    paragraphs: list[str] = []
    slugs: list[str] = []
    for url, text in captures():
        path = urlsplit(url).path
        if _capture_lang(url) and path.startswith("/news/") and path.count("/") == 4:
            slugs.append(path.split("/")[3])  # slugs are transliterated Russian on both sites
        if _capture_lang(url) != lang or (lang == "en" and not path.startswith(NEWS_LIKE)):
            continue  # English static pages (structure, bodies, ...) are not news prose
        lines = [line for line in map(clean, text.split("\n")) if line][:-1]  # last one is cut
        for line, after in zip(lines, [*lines[1:], ""], strict=True):
            match = _TITLE_DATE.match(after)
            if match and clean(match.group(1)) == line:
                titles.append(line)
            elif _is_paragraph(line):
                paragraphs.append(line)
    titles += EXTRA_TITLES[lang]
    # Short first sentences of paragraphs make plausible extra headlines.
    titles += [line for line in map(_headline, paragraphs) if line]
    titles = [title.rstrip(".") for title in dict.fromkeys(titles)]
    paragraphs = [p for p in dict.fromkeys(paragraphs) if p not in titles]
    return Pools(
        titles=tuple(dict.fromkeys(titles)),
        statement_titles=STATEMENT_TITLES[lang],
        paragraphs=tuple(paragraphs),
        leads=tuple(p for p in paragraphs if p[0].isalnum() and len(p) >= 80),
        slugs=tuple(s for s in dict.fromkeys(slugs) if s not in SPECIAL_NEWS_SLUGS),
    )


def _is_paragraph(line: str) -> bool:
    return (
        len(line) >= 60
        and not _DATE_LINE.match(line)
        and not _TITLE_DATE.match(line)
        and not _IMAGE_NAME.search(line)
        and "http" not in line
    )


def _headline(paragraph: str) -> str | None:
    """A short first sentence (or first clause) of a paragraph, usable as a title."""
    sentence = _first_sentence(paragraph)
    if len(sentence) >= 140:
        sentence = sentence.split(", ")[0]
    return sentence if 30 <= len(sentence) < 140 and sentence[0].isalnum() else None


def _first_sentence(paragraph: str) -> str:
    match = _SENTENCE.match(paragraph + " ")
    return match.group(1) if match else paragraph


# --- the generator ----------------------------------------------------------------------------


@dataclass
class Generator:
    """Makes articles one by one; every choice comes from a Random seeded by (seed, lang, id)."""

    lang: str
    seed: int
    next_id: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SECTIONS, 0))
    titles_taken: dict[str, int] = field(default_factory=lambda: {"news": 0, "statements": 0})
    used_titles: set[str] = field(default_factory=set)
    used_paths: set[str] = field(default_factory=set)
    news_slugs: int = 0  # how many pool slugs the news sections have taken
    pdfs: int = 0
    first_docx: Attachment | None = None

    def __post_init__(self) -> None:
        self.pools = pools(self.lang)

    def article(self, section: str, published: date) -> Article:
        """The next article of `section` (its index in the section = how many came before)."""
        index = self.counts[section]
        self.counts[section] += 1
        rng = random.Random(f"{self.seed}:{self.lang}:{self.next_id}")
        is_statement = section == "statements"
        title = (
            self._title("statements", self.pools.statement_titles)
            if is_statement
            else self._title("news", self.pools.titles)
        )
        body = self._statement_body(rng) if is_statement else self._news_body(rng, published)
        lead = body[0]
        assert isinstance(lead, str)  # every body opens with a paragraph
        article = Article(
            id=self.next_id,
            lang=self.lang,
            section=section,
            slug=self._slug(section, index, published),
            title=title,
            published=published,
            summary=_first_sentence(lead),
            body=body,
            date_style=rng.choice(("inline", "inline", "own_line", "glued")),
            back_links=rng.choice(
                (("back", "section", "all"),) * 3 + (("section", "all"), ("back", "all"))
            ),
            key=f"core{self.next_id}",
        )
        if is_statement:
            article.attachment = self._attachment(index)
            article.download_gap = article.attachment.kind == "docx"
            article.date_style = "own_line"
        elif rng.random() < 0.3:
            article.picture = self._image(rng, published, 0)
        self.next_id += 1
        return article

    def _title(self, key: str, bases: tuple[str, ...]) -> str:
        """A title unique on the site: a real one, later with a place and a number appended."""
        while True:
            count = self.titles_taken[key]
            self.titles_taken[key] += 1
            title = self._vary(bases[count % len(bases)], count // len(bases))
            if title not in self.used_titles:
                self.used_titles.add(title)
                return title

    def _vary(self, base: str, round_: int) -> str:
        if round_ == 0:
            return base
        places = PLACES[self.lang]
        place = places[(round_ - 1) % len(places)]
        number = (round_ - 1) // len(places)
        return f"{base} – {place}" + (f" ({number + 1})" if number else "")

    def _slug(self, section: str, index: int, published: date) -> str:
        """A slug like the site's: transliterated, cut at 100 chars, `-N` when reused."""
        pool: tuple[str, ...]
        if section == "statements":
            pool, position = STATEMENT_SLUGS, index
        elif section == "news_odkb" and index < len(SPECIAL_NEWS_SLUGS):
            pool, position = SPECIAL_NEWS_SLUGS, index
        else:
            pool, position = self.pools.slugs, self.news_slugs
            self.news_slugs += 1
        base = pool[position % len(pool)]  # real slugs, already cut at ~100 chars
        if published < UNDERSCORE_BEFORE and "%" not in base:
            base = base.replace("-", "_")
        round_ = position // len(pool)
        while True:
            slug = base + (f"-{round_}" if round_ else "")
            path = f"{SECTION_PATHS[section]}{slug}/"
            if path not in self.used_paths:
                self.used_paths.add(path)
                return slug
            round_ += 1

    def _news_body(self, rng: random.Random, published: date) -> list[Block]:
        body: list[Block] = [rng.choice(self.pools.leads)]
        body += rng.sample([p for p in self.pools.paragraphs if p != body[0]], rng.randint(1, 4))
        if ODDITIES[self.lang] and rng.random() < 0.15:
            body.insert(rng.randint(1, len(body)), rng.choice(ODDITIES[self.lang]))
        if rng.random() < 0.35:
            images = [self._image(rng, published, n) for n in range(1, rng.randint(2, 3))]
            if rng.random() < 0.2:
                images.append(images[0])  # the same picture twice: listed once in `images`
            for image in images:
                body.insert(rng.randint(1, len(body)), image)
        if rng.random() < 0.25:
            body += PRESS_CONTACT[self.lang]
        return body

    def _statement_body(self, rng: random.Random) -> list[Block]:
        return list(rng.sample(self.pools.leads, rng.randint(1, 2)))

    def _image(self, rng: random.Random, published: date, number: int) -> Image:
        """An /upload/iblock/ image; its file name is the caption the CMS prints under it."""
        kind = rng.randrange(len(IMAGE_NAMES))
        stamp = published.strftime("%Y%m%d")
        caption = (
            f"IMG-{stamp}-WA{rng.randrange(10000):04d}.jpg",
            f"{rng.randrange(1_400_000_000, 1_700_000_000)}.jpg",
            f"DSC_{rng.randrange(10000):04d}.JPG",
            IMAGE_NAMES[3],
        )[kind]
        digest = hex_digest(self.seed, self.lang, self.next_id, number)
        # Files with Cyrillic names are stored under a hash name, as Bitrix does.
        file_name = f"{digest}.jpg" if kind == 3 else caption
        return Image(path=f"/upload/iblock/{digest[:3]}/{quote(file_name)}", caption=caption)

    def _attachment(self, index: int) -> Attachment:
        """Alternating .docx (hash name) and "Annex 1.pdf" (own folder); #2 reuses #0's file."""
        if index == 2 and self.first_docx:
            return self.first_docx
        served = "application/octet-stream" if index == 3 else None
        if index % 2 == 0:
            digest = hex_digest(self.seed, self.lang, "docx", index)
            attachment = Attachment(
                path=f"/upload/iblock/{digest[:3]}/{digest}.docx",
                name=f"{digest}.docx",
                kind="docx",
                variant=index,
                served_type=served or DOCX_TYPE,
            )
            self.first_docx = self.first_docx or attachment
            return attachment
        folder = (self.pdfs * 2654435761 + self.seed) % 4096  # a permutation: distinct folders
        name = f"Annex {1 + self.pdfs // 4096}.pdf"
        self.pdfs += 1
        return Attachment(
            path=f"/upload/iblock/{folder:03x}/{quote(name)}",
            name=name,
            kind="pdf",
            variant=index,
            served_type=served or PDF_TYPE,
        )


def initial_dates(count: int, seed: int) -> list[date]:
    """`count` publication dates spread from NEWEST back to OLDEST, newest first."""
    span = (NEWEST - OLDEST).days
    rng = random.Random(f"dates:{seed}")
    step = span / max(count - 1, 1)
    return [
        NEWEST - timedelta(days=min(span, round(i * step + rng.uniform(0, step / 2))))
        for i in range(count)
    ]


# --- formal texts: speeches and statements as delivered -----------------------------------------

# From the captures: "October 7, 2020, Moscow" / "Dear colleagues!" above a speech, "Dear Mr.
# Chairman, ... dear Ladies and Gentlemen!"; the site's statements end "10 June 2022 / Yerevan city".
SPEECH_HEADS = {
    "en": ("WELCOME SPEECH", "SPEECH", "ADDRESS OF THE CSTO SECRETARY GENERAL"),
    "ru": ("ПРИВЕТСТВЕННОЕ СЛОВО", "ВЫСТУПЛЕНИЕ", "ОБРАЩЕНИЕ ГЕНЕРАЛЬНОГО СЕКРЕТАРЯ ОДКБ"),
}
SALUTATIONS = {
    "en": (
        ("Dear colleagues!", "Ladies and gentlemen!"),
        ("Dear colleagues!",),
        ("Dear Mr. Chairman, dear Ladies and Gentlemen!",),
        ("Dear participants of the Conference,",),
    ),
    "ru": (
        ("Уважаемые коллеги!", "Уважаемые дамы и господа!"),
        ("Уважаемые дамы и господа!",),
        ("Уважаемый господин Председатель, уважаемые дамы и господа!",),
        ("Уважаемые участники конференции!",),
    ),
}


def place_and_date(day: date, place: str, lang: str, style: int) -> str:
    """A dateline as the site prints it: "December 29, 2025, Almaty", "10 June 2022 / Yerevan
    city", "22 февраля 2017 года, г. Ереван", "29 декабря 2025 года, Алматы"."""
    month = MONTHS[lang][day.month - 1]
    if lang == "ru":
        spelled = f"{day.day} {month} {day.year} года"
        return f"{spelled}, г. {place}" if style % 2 else f"{spelled}, {place}"
    if style % 2:
        return f"{day.day} {month} {day.year} / {place} city"
    return f"{month} {day.day}, {day.year}, {place}"


def formalise(article: Article, rng: random.Random) -> None:
    """Speeches open with a heading, a dateline and salutations; statements close with the place
    and date of their adoption; some news open with a dateline. The day is at or before the
    publication (a speech is put online the day after): never a date to take for the article's."""
    lang = article.lang
    spoken = article.published - timedelta(days=rng.choice((0, 1, 1, 2, 3)))
    line = place_and_date(spoken, rng.choice(PLACES[lang]), lang, rng.randrange(2))
    opening: list[str] = []
    if article.section == "speech":
        if rng.random() < 0.5:
            opening.append(rng.choice(SPEECH_HEADS[lang]))
        if rng.random() < 0.6:
            opening.append(line)
        opening += rng.choice(SALUTATIONS[lang])
    elif article.section == "statements":
        article.body = [*article.body, line]
        article.closing = 1
    elif rng.random() < 0.3:
        opening.append(line)
    article.body = [*opening, *article.body]
    article.opening = len(opening)


# --- attachment files ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FileContent:
    """A generated attachment: its bytes and the exact text the extractor must produce."""

    data: bytes
    text: str


DOCX_DISTINCT = 64  # past this many, .docx/.pdf contents repeat (fast builds of big sites)


def attachment_content(lang: str, seed: int, attachment: Attachment) -> FileContent:
    """The file behind an attachment (contents repeat every DOCX_DISTINCT files)."""
    source = "ru" if attachment.shared else lang
    return _file_content(source, seed, attachment.kind, attachment.variant % DOCX_DISTINCT)


@cache
def _file_content(lang: str, seed: int, kind: str, variant: int) -> FileContent:
    """Real .docx / .pdf bytes via tests/documents.py, with their expected extracted text."""
    rng = random.Random(f"{seed}:{lang}:{kind}:{variant}")
    paragraphs = list(rng.sample(pools(lang).paragraphs, rng.randint(2, 4)))
    if kind == "pdf":
        lines = [line for paragraph in paragraphs for line in textwrap.wrap(paragraph, 80)]
        return FileContent(make_pdf(lines), "\n".join(lines))
    head = "State" if lang == "en" else "Государство"
    states = rng.sample(MEMBER_STATES[lang], 3)
    table = [[head, "№"]] + [[state, str(n + 1)] for n, state in enumerate(states)]
    header = ORGANISATION[lang]
    footer = f"{PLACES[lang][variant % len(PLACES[lang])]}, {2018 + variant % 8}"
    data = make_docx(paragraphs, table=table, header=header, footer=footer)
    # make_docx puts the table right after the first paragraph.
    rows = ["\t".join(row) for row in table]
    text = "\n".join([header, paragraphs[0], *rows, *paragraphs[1:], footer])
    return FileContent(data, text)
