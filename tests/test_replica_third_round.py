"""Tests of the third round of blind markups (THIRD_ROUND_VARIANTS): the truth is on every page.

For every markup of the round and language, every expected field is on the detail page or in
the listing entry that links to it; the formal lines the round adds to speeches and statements
are the only difference from the other markups' truth; each markup has the traits its docstring
claims; and what it adds around the article (dek, related teasers, share and print links) is not
in the truth.
"""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from tests.replica import (
    ALL_VARIANTS,
    SERVED_VARIANTS,
    THIRD_ROUND_VARIANTS,
    Article,
    ReplicaSite,
    clean,
)
from tests.replica.content import NEWS_SECTIONS, SECTION_PATHS, place_and_date
from tests.replica.further import FURTHER_ARTICLES
from tests.replica.markup import Renderer
from tests.replica.reading import LANGS, crawl, image_urls, site_of, text_of
from tests.replica.unseen import THIRD_ROUND_RENDERERS
from tests.replica.unseen.hero import date_in_words

CASES = [(variant, lang) for variant in THIRD_ROUND_VARIANTS for lang in LANGS]
DAY_RE = re.compile(r"\b\d\d\.\d\d\.\d{4}\b")
SHARE_HOSTS = ("vk.com", "t.me", "ok.ru")


def detail_docs(variant: str, lang: str) -> list[tuple[Article, lxml.html.HtmlElement, str]]:
    site, details, _ = crawl(variant, lang)
    return [(a, lxml.html.fromstring(details[a.path]), details[a.path]) for a in site.articles]


def record_of(site: ReplicaSite, article: Article) -> dict[str, Any]:
    return next(r for r in site.expected_articles() if r["url"] == article.url)


def words_of(variant: str, lang: str) -> dict[str, str]:
    return THIRD_ROUND_RENDERERS[variant].WORDS[lang]


def javascript_links(doc: lxml.html.HtmlElement) -> list[str]:
    return [a.get("href") for a in doc.iter("a") if (a.get("href") or "").startswith("javascript:")]


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
        assert record["title"] in page and record["title"] in section_entry, where
        at = 0
        for paragraph in record["text"].split("\n\n"):  # in the page's order
            found = page.find(paragraph, at)
            assert found >= 0, (where, paragraph)
            at = found + len(paragraph)
        assert record["summary"] in section_entry, where  # the summary is the listing teaser
        day = article.published.strftime("%d.%m.%Y")
        assert day in page or date_in_words(article, lang) in page, where
        hrefs = {a.get("href") for a in doc.iter("a")}
        for attachment in record["attachments"]:
            path = attachment["url"].split("odkb-csto.org", 1)[1]
            assert path in hrefs, where
            shown = {text_of(a) for a in doc.iter("a") if a.get("href") == path}
            assert attachment["name"] in shown, where
        images = image_urls(doc)
        for url in record["images"]:
            assert url.split("odkb-csto.org", 1)[1] in images, where


@pytest.mark.parametrize("variant", THIRD_ROUND_VARIANTS)
def test_the_truth_is_the_others_plus_the_formal_lines(variant: str) -> None:
    """Speeches gain opening lines, statements a closing one, some news a dateline; nothing else
    differs from the truth of the other markups, and each line is what formalise() says."""
    for lang in LANGS:
        site, plain = site_of(variant, lang, seed=3), site_of("bitrix", lang, seed=3)
        assert site.respond("/news/").body == site_of(variant, lang, seed=3).respond("/news/").body
        kinds = {"speech": 0, "statements": 0, "news": 0}
        for article, other in zip(site.articles, plain.articles, strict=True):
            assert article.url == other.url and article.title == other.title
            body = article.body[article.opening : len(article.body) - article.closing]
            assert body == other.body, article.url
            lines = [
                *article.body[: article.opening],
                *article.body[len(article.body) - article.closing :],
            ]
            assert all(isinstance(line, str) and clean(line) == line for line in lines)
            if article.section == "statements":
                assert (article.opening, article.closing) == (0, 1)
            elif article.section != "speech":
                assert article.closing == 0 and article.opening <= 1
            kind = "news" if article.section not in ("speech", "statements") else article.section
            kinds[kind] += bool(lines)
            record, truth = record_of(site, article), record_of(plain, other)
            assert {**record, "text": "", "content_sha256": ""} == {
                **truth,
                "text": "",
                "content_sha256": "",
            }
        assert all(kinds.values()), (variant, lang, kinds)


def test_place_and_date_lines_are_written_as_the_site_writes_them() -> None:
    day = date(2017, 2, 22)
    assert place_and_date(day, "Ереван", "ru", 1) == "22 февраля 2017 года, г. Ереван"
    assert place_and_date(day, "Алматы", "ru", 0) == "22 февраля 2017 года, Алматы"
    assert place_and_date(date(2022, 6, 10), "Yerevan", "en", 1) == "10 June 2022 / Yerevan city"
    assert place_and_date(date(2025, 12, 29), "Almaty", "en", 0) == "December 29, 2025, Almaty"


@pytest.mark.parametrize(("variant", "lang"), CASES)
def test_back_links_keep_their_targets_beside_other_javascript_links(
    variant: str, lang: str
) -> None:
    """The back link is history.back(); print and share links are javascript: too, on every page."""
    words = words_of(variant, lang)
    targets = {
        "back": "javascript:history.back()",
        "section": "",
        "all": "/news/",
    }
    for article, doc, _ in detail_docs(variant, lang):
        links = {text_of(a): a.get("href") for a in doc.iter("a")}
        for kind in article.back_links:
            target = targets[kind] or SECTION_PATHS[article.section]
            assert links.get(clean(words[kind])) == target, (variant, lang, kind)
        others = [h for h in javascript_links(doc) if h != "javascript:history.back()"]
        assert "javascript:window.print()" in others and len(others) >= 2


# --- the registry -----------------------------------------------------------------------------


def test_third_round_is_registered_apart_and_served() -> None:
    assert len(THIRD_ROUND_VARIANTS) == 3 and not set(THIRD_ROUND_VARIANTS) & set(ALL_VARIANTS)
    assert SERVED_VARIANTS == ALL_VARIANTS + THIRD_ROUND_VARIANTS
    assert tuple(THIRD_ROUND_RENDERERS) == THIRD_ROUND_VARIANTS
    for name in THIRD_ROUND_VARIANTS:
        renderer = Renderer("en", name, 0)
        assert type(renderer) is THIRD_ROUND_RENDERERS[name] and renderer.variant == name
        module = sys.modules[type(renderer).__module__]
        assert module.__name__.startswith("tests.replica.unseen.")
        assert "Tests:" in (module.__doc__ or ""), module.__name__
    root = Path(__file__).resolve().parent.parent
    run = subprocess.run(
        [sys.executable, "-m", "tests.replica", "--help"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    assert all(name in run.stdout for name in THIRD_ROUND_VARIANTS)


def test_the_markups_differ_from_each_other_and_from_the_others() -> None:
    path = site_of("bitrix", "en").articles[0].path
    pages = {variant: site_of(variant, "en").respond(path).body for variant in SERVED_VARIANTS}
    assert len(set(pages.values())) == len(pages)


# --- what the markups add around the article is not in the truth ------------------------------


@pytest.mark.parametrize(("variant", "lang"), CASES)
def test_added_blocks_are_not_in_the_expected_text(variant: str, lang: str) -> None:
    """The related/other teasers, share and print tools and captions are extra (the dek is the
    listing teaser: the first sentence, which may be the whole first paragraph)."""
    extras = {
        "hero": ("related-posts", "share-buttons", "entry-meta", "wp-caption-text"),
        "gazette": ("other-news", "share", "news-detail__tools", "caption"),
        "archive": (),
    }[variant]
    site, _, _ = crawl(variant, lang)
    seen = set()
    for article, doc, _ in detail_docs(variant, lang):
        paragraphs = record_of(site, article)["text"].split("\n\n")
        for css in extras:
            for element in doc.find_class(css):
                seen.add(css)
                assert text_of(element) not in paragraphs, (variant, css)
    assert seen == set(extras)


# --- each markup has the traits it claims -----------------------------------------------------


def trailing_teasers(block: lxml.html.HtmlElement, site: ReplicaSite) -> list[str]:
    """The articles a block of teasers links, each with a date, a linked title and prose."""
    titles = {a.title: a for a in site.articles}
    linked = []
    for link in block.iter("a"):
        other = titles.get(text_of(link))
        if other is not None:
            linked.append(other.url)
            assert clean(other.summary) in text_of(block)
    return linked


@pytest.mark.parametrize("lang", LANGS)
def test_hero_has_the_text_beside_its_header_and_hints_on_body(lang: str) -> None:
    site = site_of("hero", lang)
    unclosed = figures = 0
    for article, doc, html in detail_docs("hero", lang):
        body = doc.find("body")
        assert "no-sidebar" in body.get("class") and "header-aligned-left" in body.get("class")
        hero = doc.find_class("entry-hero")[0]
        assert hero.tag == "header" and [text_of(h) for h in hero.iter("h1")] == [article.title]
        assert text_of(hero.find_class("entry-dek")[0]) == article.summary
        section = hero.getnext()
        assert section.tag == "section" and section.get("name") == "articleBody"
        assert hero.getparent() is section.getparent()
        assert "widget" in section.getparent().get("class")
        assert [a.get("href") for a in hero.iter("a")][-1] == "javascript:window.print()"
        figures += bool(article.picture and hero.find(".//figcaption") is not None)
        related = doc.find_class("related-posts")[0]
        assert 2 <= len(trailing_teasers(related, site)) <= 3
        assert len(related.findall(".//time")) == len(trailing_teasers(related, site))
        if '<div class="wp-block-group">' in html:  # lxml nests what follows in the open <div>s
            unclosed += 1
            assert section in related.iterancestors()
        else:
            assert related.getprevious() is section
    assert unclosed and figures


@pytest.mark.parametrize("lang", LANGS)
def test_gazette_puts_other_news_between_the_text_and_the_back_links(lang: str) -> None:
    site = site_of("gazette", lang)
    unclosed = strong = 0
    for article, doc, html in detail_docs("gazette", lang):
        assert "no-sidebar" in doc.find("body").get("class")
        other = doc.find_class("other-news")[0]
        teasers = trailing_teasers(other, site)
        assert 2 <= len(teasers) <= 3 and article.url not in teasers
        if "back" in article.back_links:
            assert html.index('class="other-news') < html.index("javascript:history.back()")
        assert html.index('class="other-news') < html.index("javascript:void(window.open(")
        dates = [text_of(d) for d in other.find_class("other-news__date")]
        assert len(dates) == len(teasers) and all(DAY_RE.fullmatch(d) for d in dates)
        first = doc.find_class("news-detail__text")[0].find(".//p")
        strong += article.opening and first.find("strong") is not None
        unclosed += '<div class="news-detail__inner">' in html
    assert unclosed and strong


@pytest.mark.parametrize("lang", LANGS)
def test_archive_is_a_table_page_with_the_title_in_font(lang: str) -> None:
    site = site_of("archive", lang)
    salutation = {"en": "Dear colleagues!", "ru": "Уважаемые дамы и господа!"}[lang]
    opened = closed = 0
    for article, doc, html in detail_docs("archive", lang):
        assert not [el for el in doc.iter("h1", "h2", "h3", "h4", "h5", "h6")]
        assert article.title not in clean(doc.findtext(".//title"))
        assert article.title in [text_of(f) for f in doc.iter("font")]
        texts = [text_of(td) for td in doc.iter("td") if td.get("class") == "text"]
        assert len(texts) == 1 and "</p>" not in html.split('class="text"')[1]
        if article.section == "speech":
            opened += salutation in texts[0]
        if article.section == "statements":
            closed += bool(doc.xpath("//p[@align='right']/i"))
        assert html.index("javascript:window.print()") < html.index("</table>\n</td></tr>")
    assert opened and closed
    assert site.respond("/news/").status == 200
