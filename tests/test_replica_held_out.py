"""Tests of the second round of blind markups (HELD_OUT_VARIANTS): the truth is on every page.

For every held-out markup and language, every expected field must be on the detail page or in
the listing entry that links to it; each markup must have the traits its docstring claims; and
what it adds around the article (tags, view counts, captions, print links) is not in the truth.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import lxml.html
import pytest

from tests.replica import (
    HELD_OUT_VARIANTS,
    UNSEEN_VARIANTS,
    VARIANTS,
    Article,
    ReplicaSite,
    clean,
)
from tests.replica.content import NEWS_SECTIONS, SECTION_PATHS, attachment_content
from tests.replica.further import FURTHER_ARTICLES
from tests.replica.markup import Renderer
from tests.replica.reading import (
    LANGS,
    crawl,
    image_urls,
    site_of,
    text_of,
)
from tests.replica.unseen import HELD_OUT_RENDERERS, RENDERERS
from tests.replica.unseen.bare import date_in_words

CASES = [(variant, lang) for variant in HELD_OUT_VARIANTS for lang in LANGS]
DAY_RE = re.compile(r"\b\d\d\.\d\d\.\d{4}\b")


def html_element(page: bytes | str) -> Any:
    """The page as lxml.html's HtmlElement: its stubs type fromstring() as a bare _Element,
    without find_class() and text_content()."""
    return lxml.html.fromstring(page)


def head_title(doc: lxml.html.HtmlElement) -> str:
    return clean(doc.findtext(".//title") or "")


def detail_docs(variant: str, lang: str) -> list[tuple[Article, lxml.html.HtmlElement, str]]:
    site, details, _ = crawl(variant, lang)
    return [(a, lxml.html.fromstring(details[a.path]), details[a.path]) for a in site.articles]


def record_of(site: ReplicaSite, article: Article) -> dict[str, Any]:
    return next(r for r in site.expected_articles() if r["url"] == article.url)


def body_images(article: Article) -> list[str]:
    return [block.path for block in article.body if not isinstance(block, str)]


def words_of(variant: str, lang: str) -> dict[str, str]:
    return HELD_OUT_RENDERERS[variant].WORDS[lang]


# --- the ground truth is on the pages ---------------------------------------------------------


@pytest.mark.parametrize(("variant", "lang"), CASES)
def test_every_expected_field_is_on_the_detail_page_or_its_listing_entry(
    variant: str, lang: str
) -> None:
    site, details, entries = crawl(variant, lang)
    records = {record["url"]: record for record in site.expected_articles()}
    assert len(records) == 4 * 6 + FURTHER_ARTICLES[lang]
    for article in site.articles:
        record = records[article.url]
        section_entry = entries[SECTION_PATHS[article.section]].get(article.path)
        assert section_entry is not None, f"{article.path} is not in its section listing"
        if article.section in NEWS_SECTIONS:
            assert article.path in entries["/news/"], f"{article.path} is not in /news/"
        doc = lxml.html.fromstring(details[article.path])
        page = text_of(doc.find("body"))
        where = f"{variant}/{lang} {article.path}"
        assert record["title"] in page, where  # whole, once <br> is read as a line break
        assert record["title"] in section_entry and record["title"] in head_title(doc), where
        for paragraph in record["text"].split("\n\n"):
            assert paragraph in page, where
        assert record["summary"] in section_entry, where  # the summary is the listing teaser
        day = article.published.strftime("%d.%m.%Y")
        words = date_in_words(article.published, lang)
        assert day in page or day in section_entry or words in page, where
        hrefs = {a.get("href") for a in doc.iter("a")}
        for attachment in record["attachments"]:
            path = attachment["url"].split("odkb-csto.org", 1)[1]
            assert path in hrefs, where
            named = [a for a in doc.iter("a") if a.get("href") == path]
            shown = {text_of(a) for a in named} | {a.get("title") for a in named}
            assert attachment["name"] in shown or unquote(path).endswith("/" + attachment["name"])
        images = image_urls(doc)
        for url in record["images"]:
            assert url.split("odkb-csto.org", 1)[1] in images, where


@pytest.mark.parametrize(("variant", "lang"), CASES)
def test_each_markup_uses_its_own_back_link_words(variant: str, lang: str) -> None:
    """Back links keep their targets; "back" is a history.back() link, or a button in press."""
    words = words_of(variant, lang)
    for article, doc, _ in detail_docs(variant, lang):
        links = {text_of(a): a.get("href") for a in doc.iter("a")}
        targets = {
            "back": "javascript:history.back()",
            "section": SECTION_PATHS[article.section],
            "all": "/news/",
        }
        for kind in article.back_links:
            if variant == "press" and kind == "back":
                buttons = {text_of(b): b.get("onclick") for b in doc.iter("button")}
                assert buttons.get(clean(words["back"])) == "history.back()"
                assert "javascript:history.back()" not in links.values()
            else:
                assert links.get(clean(words[kind])) == targets[kind], (variant, lang, kind)


# --- the registry -----------------------------------------------------------------------------


def test_held_out_variants_are_registered_apart() -> None:
    assert len(HELD_OUT_VARIANTS) == 3
    assert not set(HELD_OUT_VARIANTS) & set(VARIANTS + UNSEEN_VARIANTS)
    assert tuple(HELD_OUT_RENDERERS) == HELD_OUT_VARIANTS and tuple(RENDERERS) == UNSEEN_VARIANTS
    for name in HELD_OUT_VARIANTS:
        renderer = Renderer("ru", name, 0)
        assert type(renderer) is HELD_OUT_RENDERERS[name] and renderer.variant == name
        module = sys.modules[type(renderer).__module__]
        assert module.__name__.startswith("tests.replica.unseen.")
        assert "Tests:" in (module.__doc__ or ""), module.__name__


def test_the_command_line_serves_the_held_out_markups() -> None:
    root = Path(__file__).resolve().parent.parent
    run = subprocess.run(
        [sys.executable, "-m", "tests.replica", "--help"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    for name in HELD_OUT_VARIANTS:
        assert name in run.stdout


def test_the_markups_differ_from_each_other_and_from_the_others() -> None:
    path = site_of("bitrix", "en").articles[0].path
    pages = {
        variant: site_of(variant, "en").respond(path).body
        for variant in VARIANTS + UNSEEN_VARIANTS + HELD_OUT_VARIANTS
    }
    assert len(set(pages.values())) == len(pages)


# --- boilerplate the markups add is not in the truth ------------------------------------------


@pytest.mark.parametrize(("variant", "lang"), CASES)
def test_added_boilerplate_is_not_in_the_expected_data(variant: str, lang: str) -> None:
    """Tags, view counts, captions, print links, "most read" blocks and file sizes are extra."""
    site, _, _ = crawl(variant, lang)
    extras = {
        "flat": ("bx-newsdetail-tags", "bx-newsdetail-view", "bx-newsdetail-img-caption"),
        "bare": (),
        "press": ("c-popular", "c-files__size", "c-article__meta", "c-photo__caption"),
    }[variant]
    seen = set()
    for article, doc, _ in detail_docs(variant, lang):
        record = record_of(site, article)
        truth = "\n".join((record["text"], record["summary"]))
        for css in extras:
            for element in doc.find_class(css):
                seen.add(css)
                extra = text_of(element)
                assert extra and extra not in truth, (variant, css, extra)
        for small in doc.iter("small", "figcaption"):  # image captions: file names, not text
            assert text_of(small) not in record["text"].split("\n\n")
    assert seen == set(extras)


# --- each markup has the traits it claims -----------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_flat_is_the_bootstrap_v4_news_template(lang: str) -> None:
    site = site_of("flat", lang)
    words = words_of("flat", lang)
    mixed = gallery = 0
    for article, doc, html in detail_docs("flat", lang):
        assert [text_of(h) for h in doc.iter("h1")] == [article.title]
        assert [text_of(h) for h in doc.find_class("bx-newsdetail-title")] == [article.title]
        assert doc.find_class("bx-newsdetail-title")[0].tag == "h3"
        if article.picture:  # the title again in the picture's alt and title, and its caption
            img = doc.find_class("bx-newsdetail-img")[0].find("img")
            assert img.get("alt") == img.get("title") == article.title
            assert text_of(doc.find_class("bx-newsdetail-img-caption")[0]) == article.title
        content = doc.find_class("bx-newsdetail-content")[0]
        date = doc.find_class("bx-newsdetail-date")[0]
        assert text_of(date) == article.published.strftime("%d.%m.%Y")
        assert html.index('class="bx-newsdetail-content"') < html.index(
            'class="bx-newsdetail-date"'
        )
        assert words["views"] in text_of(doc.find_class("bx-newsdetail-view")[0])
        assert text_of(doc.find_class("bx-newsdetail-tags")[0]).startswith(words["tags"])
        loose = clean(content.text or "") or any(clean(p.tail or "") for p in content)
        mixed += bool(loose and content.find("p") is not None and "<br>\n<br>" in html)
        if body_images(article):
            thumbs = doc.find_class("bx-newsdetail-gallery")[0]
            links = [a for a in thumbs.iter("a") if a.find("img") is not None]
            assert [a.find("img").get("src") for a in links] == body_images(article)
            assert all(a.get("href").startswith("/upload/") for a in links)
            assert not [img for img in content.iter("img")]
            gallery += 1
        if article.attachment:
            link = doc.find_class("bx-newsdetail-file-link")[0]
            assert link.get("href") == article.attachment.path
            assert link.get("title") == article.attachment.name
            assert article.attachment.name not in text_of(link)  # the icon, no visible name
        assert html.index('class="bx-top-news"') > html.index('class="bx-newsdetail-back"')
        assert doc.find_class("bx-top-news")[0].tag == "ol"
    assert mixed and gallery
    for page in site.listing_pages():
        doc = html_element(site.respond(page).body)
        cards = doc.find_class("bx-newslist-container")
        assert cards and all(c.getparent().get("class") == "row" for c in cards)
        for card in cards:
            assert card.find(".//h3/a") is not None
            assert DAY_RE.fullmatch(text_of(card.find_class("bx-newslist-date")[0]))
        assert doc.find_class("bx-pagination")


@pytest.mark.parametrize("lang", LANGS)
def test_bare_has_no_classes_a_split_title_and_the_date_in_words(lang: str) -> None:
    site = site_of("bare", lang)
    words = words_of("bare", lang)
    pages = [site.respond(target).body for target in ("/", "/structure/", "/no/such/page/")]
    pages += [site.respond(page).body for page in site.listing_pages()]
    for body in pages:
        doc = lxml.html.fromstring(body)
        assert not [el for el in doc.iter() if el.get("class") is not None or el.get("id")]
    for page in site.listing_pages():  # listings without dates
        assert not DAY_RE.search(text_of(lxml.html.fromstring(site.respond(page).body)))
    points = 0
    for article, doc, html in detail_docs("bare", lang):
        assert not [el for el in doc.iter() if el.get("class") is not None or el.get("id")]
        h1 = doc.find(".//h1")
        assert h1.find("br") is not None and text_of(h1) == article.title
        assert clean(h1.text_content()) != article.title  # a <br> with no space around it
        assert head_title(doc) == article.title
        spelled = date_in_words(article.published, lang)
        assert clean(h1.getnext().text_content()) == spelled
        assert article.published.strftime("%d.%m.%Y") not in html
        assert html.index("</footer>") < html.index(f"<h3>{words['latest']}</h3>")
        points += bool(doc.find(".//article//ul/li") is not None)
        if article.attachment:
            link = next(a for a in doc.iter("a") if a.get("href") == article.attachment.path)
            paragraph = link.getparent()
            assert paragraph.tag == "p" and text_of(paragraph).startswith(words["document"])
            assert text_of(link) == article.attachment.name
    assert points
    spelled = {"en": "13 February 2026", "ru": "13 февраля 2026 г."}[lang]
    assert date_in_words(date(2026, 2, 13), lang) == spelled


@pytest.mark.parametrize("lang", LANGS)
def test_press_dates_only_in_json_ld_and_a_visible_line(lang: str) -> None:
    site = site_of("press", lang)
    words = words_of("press", lang)
    found = {"blockquote": 0, "iframe": 0, "contact": 0}
    for article, doc, html in detail_docs("press", lang):
        assert doc.find(".//time") is None and "datetime" not in html
        scripts = doc.xpath("//script[@type='application/ld+json']")
        assert len(scripts) == 1
        data = json.loads(scripts[0].text)
        assert data["datePublished"] == article.published.isoformat()
        assert data["dateModified"] > data["datePublished"] and data["headline"] == article.title
        meta = text_of(doc.find_class("c-article__meta")[0])
        assert meta.startswith(f"{words['published']} {article.published:%d.%m.%Y}")
        assert words["print"] in meta
        assert [text_of(h) for h in doc.iter("h1")] == [article.title]
        assert html.index('class="c-feed"') < html.index("<article")
        assert html.index('class="c-popular"') > html.index('class="c-article__body"')
        for views in doc.find_class("c-popular__views"):
            assert re.fullmatch(rf"[\d ]+ {words['views']}", text_of(views))
        found["blockquote"] += doc.find(".//blockquote") is not None
        found["iframe"] += doc.find(".//iframe") is not None
        found["contact"] += bool(doc.find_class("c-contact"))
        if article.attachment:
            size = len(attachment_content(lang, 0, article.attachment).data) / 1024
            shown = f"{size:.1f}".replace(".", "," if lang == "ru" else ".")
            item = text_of(doc.find_class("c-files__item")[0])
            kind = article.attachment.kind.upper()
            assert item == f"{article.attachment.name} ({kind}, {shown} {words['kb']})"
    assert all(found.values()), found
    for page in site.listing_pages():
        doc = html_element(site.respond(page).body)
        listing = doc.find_class("c-list")[0]
        assert not DAY_RE.search(text_of(listing)) and listing.find(".//h2") is None
        more = [a for a in doc.iter("a") if text_of(a) == clean(words["more"])]
        current = int(parse_qs(urlsplit(page).query).get("PAGEN_1", ["1"])[0])
        last = doc.find_class("c-more__page")
        if more:
            assert (more[0].get("href") or "").endswith(f"?PAGEN_1={current + 1}")
        else:
            assert all(int(text_of(a)) < current for a in last)
