"""Tests of the held-out markups (tests/replica/unseen/): same truth, recoverable from each page.

For every unseen markup and language, every expected field must be on the detail page or in the
listing entry that links to it, and each markup must really have the traits it claims to test.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

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
from tests.replica.content import LISTINGS, NEWS_SECTIONS, SECTION_PATHS
from tests.replica.further import FURTHER_ARTICLES
from tests.replica.markup import LISTING_TITLES, Renderer
from tests.replica.reading import (
    LANGS,
    crawl,
    image_urls,
    site_of,
    text_of,
)
from tests.replica.unseen import RENDERERS

CASES = [(variant, lang) for variant in UNSEEN_VARIANTS for lang in LANGS]
# Both blind rounds, for what every re-skin must do alike.
BLIND_CASES = [(v, lang) for v in UNSEEN_VARIANTS + HELD_OUT_VARIANTS for lang in LANGS]
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def og_title(doc: lxml.html.HtmlElement) -> str:
    meta = doc.find(".//meta[@property='og:title']")
    return clean(meta.get("content")) if meta is not None else ""


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
        page = text_of(doc)
        where = f"{variant}/{lang} {article.path}"
        assert any(record["title"] in text for text in (page, section_entry, og_title(doc))), where
        for paragraph in record["text"].split("\n\n"):
            assert paragraph in page, where
        assert record["summary"] in section_entry, where  # the summary is the listing teaser
        day = article.published.strftime("%d.%m.%Y")
        assert day in page or day in section_entry, where
        hrefs = {a.get("href") for a in doc.iter("a")}
        for attachment in record["attachments"]:
            assert attachment["url"].split("odkb-csto.org", 1)[1] in hrefs, where
        images = image_urls(doc)
        for url in record["images"]:
            assert url.split("odkb-csto.org", 1)[1] in images, where


@pytest.mark.parametrize(("variant", "lang"), BLIND_CASES)
def test_pagers_reach_every_listing_page(variant: str, lang: str) -> None:
    """Following only pager links from page 1 reaches every page of every listing."""
    site = site_of(variant, lang)
    for listing in LISTINGS:
        last = len([p for p in site.listing_pages() if urlsplit(p).path == listing])
        seen, todo = set(), [1]
        while todo:
            page = todo.pop()
            if page in seen:
                continue
            seen.add(page)
            url = f"https://{site.renderer.lang}.test{listing}?PAGEN_1={page}"
            doc = lxml.html.fromstring(site.respond(f"{listing}?PAGEN_1={page}").body)
            for link in doc.iter("a"):
                target = urlsplit(urljoin(url, link.get("href") or ""))
                query = parse_qs(target.query)
                href = link.get("href") or ""
                if target.path == listing and "javascript" not in href and "tags" not in query:
                    todo.append(int(query.get("PAGEN_1", ["1"])[0]))
        assert seen == set(range(1, last + 1)), (variant, lang, listing)


@pytest.mark.parametrize("variant", UNSEEN_VARIANTS + HELD_OUT_VARIANTS)
def test_pages_are_deterministic_and_the_truth_is_the_same(variant: str) -> None:
    site, again = site_of(variant, "ru", seed=4), site_of(variant, "ru", seed=4)
    targets = [*site.listing_pages(), *(a.path for a in site.articles)]
    targets += ["/", "/structure/", "/institute", "/no/such/page/"]
    for target in targets:
        assert site.respond(target).body == again.respond(target).body, target
    other = site_of(variant, "ru", seed=5)
    assert site.respond("/news/").body != other.respond("/news/").body
    assert site.expected_articles() == site_of("bitrix", "ru", seed=4).expected_articles()


@pytest.mark.parametrize(("variant", "lang"), BLIND_CASES)
def test_other_pages_are_served(variant: str, lang: str) -> None:
    site = site_of(variant, lang)
    for path in ("/", "/structure/", "/institute", "/session/", "/documents/"):
        response = site.respond(path)
        assert response.status == 200, path
        assert "/news/news_odkb/" in response.body.decode(), path  # the menu
    assert site.respond("/no/such/page/").status == 404


# --- the registry -----------------------------------------------------------------------------


def test_unseen_variants_are_registered_apart_from_variants() -> None:
    assert len(UNSEEN_VARIANTS) >= 4 and not set(UNSEEN_VARIANTS) & set(VARIANTS)
    assert tuple(RENDERERS) == UNSEEN_VARIANTS
    for name in VARIANTS + UNSEEN_VARIANTS:
        renderer = Renderer("en", name, 0)
        assert renderer.variant == name
        assert (type(renderer) is Renderer) == (name in VARIANTS)
    with pytest.raises(ValueError):
        Renderer("en", "nope", 0)
    for renderer_class in RENDERERS.values():
        module = sys.modules[renderer_class.__module__]
        assert "Tests:" in (module.__doc__ or ""), module.__name__


def test_the_command_line_serves_the_unseen_markups() -> None:
    root = Path(__file__).resolve().parent.parent
    run = subprocess.run(
        [sys.executable, "-m", "tests.replica", "--help"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    for name in UNSEEN_VARIANTS:
        assert name in run.stdout


# --- each markup has the traits it claims -----------------------------------------------------


def detail_docs(variant: str, lang: str) -> list[tuple[Article, lxml.html.HtmlElement, str]]:
    site, details, _ = crawl(variant, lang)
    return [(a, lxml.html.fromstring(details[a.path]), details[a.path]) for a in site.articles]


def all_pages(site: ReplicaSite) -> list[str]:
    targets = [*site.listing_pages(), *(a.path for a in site.articles)]
    targets += ["/", "/structure/", "/session/", "/no/such/page/"]
    return [site.respond(target).body.decode() for target in targets]


def lead_and_body_images(article: Article) -> list[str]:
    images = [article.picture] if article.picture else []
    return [image.path for image in images] + [
        block.path for block in article.body if not isinstance(block, str)
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_table_has_no_headings_and_the_sidebar_after_the_article(lang: str) -> None:
    site = site_of("table", lang)
    for html in all_pages(site):
        doc = lxml.html.fromstring(html)
        assert not [el for el in doc.iter(*HEADINGS)]
        assert doc.find(".//td//table") is not None  # nested tables
    label = RENDERERS["table"].WORDS[lang]["latest"]
    for article, doc, html in detail_docs("table", lang):
        assert html.index(f"<b>{label}</b>") > html.index("<br clear=")
        assert article.title in text_of(doc)
    styles = {a.date_style for a in site.articles if not a.attachment}
    assert styles == {"inline", "own_line", "glued"}


@pytest.mark.parametrize("lang", LANGS)
def test_modern_h1_is_the_logo_and_the_article_has_crumbs_share_and_related(lang: str) -> None:
    site = site_of("modern", lang)
    name = site.renderer.labels["home"]
    for html in all_pages(site):
        assert [text_of(h) for h in lxml.html.fromstring(html).iter("h1")] == [name]
    words = RENDERERS["modern"].WORDS[lang]
    for article, doc, html in detail_docs("modern", lang):
        assert clean(doc.findtext(".//title")) == name and og_title(doc) == name
        assert text_of(doc.find(".//h2")) == words["latest"]
        assert html.index(words["latest"]) < html.index("<article")
        crumbs = doc.find_class("breadcrumbs__item")
        assert text_of(crumbs[-1]) == article.title
        container = doc.find(".//article")
        times = [t.get("datetime") for t in container.iter("time")]
        assert times[0] == article.published.isoformat() and len(times) >= 2  # related, dated
        assert container.index(container.find_class("article__meta")[0]) < container.index(
            container.find_class("article__title")[0]
        )  # the date above the title
        shares = [a.get("href") for a in container.find_class("share__link")]
        assert any("vk.com" in h for h in shares) and any("t.me" in h for h in shares)
        assert words["share"] in text_of(container)
        for img in doc.iter("img"):
            assert not img.get("src", "").startswith("/upload/")
        lazy = {img.get("data-src") for img in doc.iter("img") if img.get("data-src")}
        assert set(lead_and_body_images(article)) <= lazy


@pytest.mark.parametrize("lang", LANGS)
def test_portal_never_prints_the_title_in_the_body(lang: str) -> None:
    words = RENDERERS["portal"].WORDS[lang]
    placeholders = set()
    for article, doc, html in detail_docs("portal", lang):
        assert og_title(doc) == article.title
        assert clean(doc.findtext(".//title")) == f"{article.title} | {words['suffix']}"
        body = doc.find(".//body")
        assert all(text_of(el) != article.title for el in body.iter())
        assert all(el.get("alt") != article.title for el in body.iter("img"))
        assert html.index('class="layout__aside"') > html.index('class="news-detail-page__text"')
        other = doc.find_class("other")[0]
        assert other.getparent().get("class") == "news-detail-page"
        assert [a for a in other.iter("a")] and words["other"] in text_of(other)
        placeholders |= {img.get("src") for img in doc.find_class("lazy")}
        for img in doc.iter("img"):
            assert not img.get("src", "").startswith("/upload/")
    assert len(placeholders) == 1 and not placeholders.pop().startswith("/upload/")


@pytest.mark.parametrize("lang", LANGS)
def test_minimal_h1_is_the_section_and_pagers_are_numbers_only(lang: str) -> None:
    site = site_of("minimal", lang)
    for article, doc, html in detail_docs("minimal", lang):
        section = clean(LISTING_TITLES[SECTION_PATHS[article.section]][LANGS.index(lang)])
        assert [text_of(h) for h in doc.iter("h1")] == [section]
        assert clean(doc.findtext(".//title")) == section
        assert article.title in [text_of(s) for s in doc.iter("strong")]
        assert html.index('id="latest"') < html.index('id="content"')
        if article.attachment:
            link = next(a for a in doc.iter("a") if a.get("href") == article.attachment.path)
            assert text_of(link) == article.attachment.name
    for page in site.listing_pages():
        doc = lxml.html.fromstring(site.respond(page).body)
        for link in doc.iter("a"):
            if "PAGEN_1" in (link.get("href") or ""):
                assert text_of(link).isdigit()
        for dd in doc.iter("dd"):  # teaser-only links
            assert text_of(dd) in [a.summary for a in site.articles]


@pytest.mark.parametrize(("variant", "lang"), CASES)
def test_each_markup_uses_its_own_back_link_words(variant: str, lang: str) -> None:
    words = RENDERERS[variant].WORDS[lang]
    for article, doc, _ in detail_docs(variant, lang):
        links = {text_of(a): a.get("href") for a in doc.iter("a")}
        targets = {
            "back": "javascript:history.back()",
            "section": SECTION_PATHS[article.section],
            "all": "/news/",
        }
        for kind in article.back_links:
            assert links.get(clean(words[kind])) == targets[kind], (variant, lang, kind)
