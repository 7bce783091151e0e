"""Article pages read with their listing's evidence, in markups unlike the replica's.

Each page is written to defeat one template assumption: no headings, a logo as the only H1, the
title only in <title>, share buttons, breadcrumbs and dated related news inside the article, lazy
images, labels never seen before. Texts come from the real captures.
"""

from __future__ import annotations

from cstocrawl.parsing.detail import parse_detail
from cstocrawl.parsing.evidence import (
    ListingEvidence,
    names_title,
    normalise,
    title_candidates,
    titles_agree,
)
from cstocrawl.parsing.lines import parse_html, render_lines

URL = "https://en.odkb-csto.org/news/news_odkb/sostoyalas-sessiya-soveta-kollektivnoy-bezopasnosti-odkb/"
TITLE = "A meeting of the CSTO Collective Security Council was held"
BODY = [
    "A meeting of the CSTO Collective Security Council was held in Minsk on 23 November.",
    "The heads of state adopted a declaration and a package of documents on military cooperation.",
    "The next meeting of the CSTO Joint Staff will be held in Astana in the fourth quarter of 2024.",
]
SITE = "Collective Security Treaty Organization"
MENU = '<a href="/news/">News</a> <a href="/news/news_odkb/">CSTO News</a> <a href="/documents/">Documents</a>'
FOOTER = "Address: 101000, Moscow, Sverchkov lane, 3/2"
# What the listing page that linked the article printed outside its entries.
FRAME = frozenset(normalise(text) for text in (SITE, "News", "CSTO News", "Documents", FOOTER))
SIDEBAR = """<div class="col"><h2>Latest news</h2>
  <div><span>26.07.2024</span> <a href="/news/news_odkb/other-one/">On 25 July 2024, staff of the
  CSTO Secretariat met with graduates of Central Asian universities</a></div>
  <div><span>19.07.2024</span> <a href="/news/speech/other-two/">Allow me to thank the Russian
  presidency of the United Nations Security Council</a></div></div>"""


def evidence(**fields: object) -> ListingEvidence:
    values: dict[str, object] = {
        "link_text": TITLE,
        "date_text": "23.11.2023",
        "teaser": "The heads of state met in Minsk.",
        "page_title": f"CSTO News | {SITE}",
        "frame": FRAME,
    }
    return ListingEvidence(**{**values, **fields})  # type: ignore[arg-type]


def paragraphs_html(tag: str = "p") -> str:
    return "".join(f"<{tag}>{text}</{tag}>" for text in BODY)


def test_modern_template_with_logo_h1_breadcrumbs_share_buttons_and_related_news() -> None:
    html = f"""<html><head><title>{SITE}</title></head><body>
    <header><h1 class="logo"><a href="/">{SITE}</a></h1><nav>{MENU}</nav></header>
    {SIDEBAR}
    <div class="page-content"><div class="crumbs"><a href="/">Home</a> / <a href="/news/">News</a> /
      <a href="/news/news_odkb/">CSTO News</a> / <span>{TITLE}</span></div>
      <div class="news-item-full"><time datetime="2023-11-23">23.11.2023</time>
      <div class="news-title">{TITLE}</div>
      <div class="share">Share: <a href="https://vk.com/share.php?u=x">VK</a>
        <a href="https://t.me/share/url?url=x">Telegram</a></div>
      <img src="/local/templates/csto/img/placeholder.gif" data-src="/upload/iblock/1a2/photo.jpg">
      <div class="text">{paragraphs_html()}</div>
      <div class="related"><div>Other news</div>
        <div><span>20.11.2023</span> <a href="/news/news_odkb/third/">The CSTO Secretary General
        met the Minister of Foreign Affairs of Belarus</a></div>
        <div><span>18.11.2023</span> <a href="/news/news_odkb/fourth/">Consultations of the press
        services were held in the Secretariat</a></div></div>
      <a class="btn" href="javascript:history.back()">&larr; Return</a>
      <a class="btn" href="/news/">All news &rarr;</a></div></div>
    <div class="bottom">{FOOTER}</div></body></html>"""
    page = parse_detail(html, URL, evidence())
    assert (page.title, page.date_text, page.paragraphs) == (TITLE, "23.11.2023", BODY)
    assert page.images == ["https://en.odkb-csto.org/upload/iblock/1a2/photo.jpg"]
    assert page.back_links == ["https://en.odkb-csto.org/news/"]
    assert page.problems == []


def test_old_table_template_without_any_heading_tag() -> None:
    html = f"""<html><head><title>{SITE}</title></head><body><table width="100%">
    <tr><td colspan="2"><font size="5"><b>{SITE}</b></font><br>{MENU}</td></tr>
    <tr><td width="200" valign="top">{SIDEBAR}</td><td valign="top">
      <table><tr><td><font class="date">23.11.2023</font></td></tr>
      <tr><td><font size="4"><b>{TITLE}</b></font></td></tr>
      <tr><td>{"<br><br>".join(BODY)}</td></tr>
      <tr><td><a href="javascript:history.back()">&laquo; Назад</a> |
        <a href="/news/news_odkb/">К списку</a></td></tr></table></td></tr>
    <tr><td colspan="2"><font size="1">{FOOTER}</font></td></tr></table></body></html>"""
    page = parse_detail(html, URL, evidence())
    assert (page.title, page.date_text, page.paragraphs) == (TITLE, "23.11.2023", BODY)
    assert page.back_links == ["https://en.odkb-csto.org/news/news_odkb/"]


def test_title_printed_only_in_the_document_title_and_the_listing() -> None:
    html = f"""<html><head><title>{TITLE} | {SITE}</title>
    <meta property="og:title" content="{TITLE}"></head><body>
    <div class="top">{SITE} {MENU}</div>{SIDEBAR}
    <div class="main"><div class="when">23.11.2023</div>{paragraphs_html()}</div>
    <div class="bottom">{FOOTER}</div></body></html>"""
    no_link_title = evidence(link_text=None, date_text=None)
    page = parse_detail(html, URL, no_link_title)
    assert (page.title, page.date_text, page.paragraphs) == (TITLE, "23.11.2023", BODY)


def test_the_listing_date_wins_over_a_page_date_that_disagrees_and_says_so() -> None:
    html = f"""<html><body><h1>{TITLE}</h1><p>14.02.2026</p>{paragraphs_html()}</body></html>"""
    page = parse_detail(html, URL, evidence())
    assert page.date_text == "23.11.2023"
    assert page.problems == ["date_disagrees_with_listing: page 14.02.2026, listing 23.11.2023"]


def test_the_listing_date_fills_in_for_a_page_without_one() -> None:
    """... and says so: a date the page never showed holds the article (issue 18)."""
    html = f"""<html><body><h1>{TITLE}</h1>{paragraphs_html()}</body></html>"""
    page = parse_detail(html, URL, evidence())
    assert (page.date_text, page.problems) == ("23.11.2023", ["date_only_from_listing"])


def test_lines_the_listing_page_also_printed_are_not_the_body() -> None:
    html = f"""<html><body><h1>{TITLE}</h1><div>23.11.2023</div><div>{paragraphs_html("div")}
    <div>{FOOTER}</div></div></body></html>"""
    assert parse_detail(html, URL, evidence()).paragraphs == BODY
    assert parse_detail(html, URL).paragraphs == [*BODY, FOOTER]  # without the evidence


def test_a_document_linked_under_an_unknown_label_is_an_attachment() -> None:
    html = f"""<html><body><h1>{TITLE}</h1><p>23.11.2023</p>
    <p><a href="/upload/iblock/393/39357fa0b754c4c5529e0bcf4d007437.docx">Скачать файл</a></p>
    <p><a href="/upload/iblock/5f2/Annex%201.pdf" title="Annex 1.pdf">PDF, 120 KB</a></p>
    {paragraphs_html()}</body></html>"""
    page = parse_detail(html, URL, evidence())
    assert [(a.url.rsplit("/", 1)[1], a.name) for a in page.attachments] == [
        ("39357fa0b754c4c5529e0bcf4d007437.docx", "39357fa0b754c4c5529e0bcf4d007437.docx"),
        ("Annex%201.pdf", "Annex 1.pdf"),
    ]
    assert page.paragraphs == BODY


def test_markup_nested_past_the_parser_limit_is_flagged_not_silently_cut() -> None:
    deep = "<font>" * 300
    page = parse_detail(
        f"<html><body><h1>{TITLE}</h1><p>P1 {deep}more</p><p>P2</p></body></html>", URL
    )
    assert (page.paragraphs, page.problems) == (["P1 more", "P2"], [])
    deeper = "<font>" * 3000
    cut = parse_detail(
        f"<html><body><h1>{TITLE}</h1><p>P1 {deeper}more</p><p>P2</p></body></html>", URL
    )
    assert cut.problems == ["markup_too_deep"]


def test_render_is_not_limited_by_python_recursion() -> None:
    nested = "<div>" * 1900 + "deep text" + "</div>" * 1900
    lines = render_lines(parse_html(f"<html><body>{nested}</body></html>"))
    assert [line.text for line in lines] == ["deep text"]


def test_title_candidates_drop_what_the_listing_page_title_shares() -> None:
    root = parse_html(
        f'<html><head><title>{TITLE} | CSTO News | {SITE}</title><meta property="og:title" '
        f'content="{TITLE}"></head></html>'
    )
    assert title_candidates(root, evidence(link_text=None)) == [
        TITLE,
        f"{TITLE} | CSTO News | {SITE}",
    ]
    site_only = parse_html(f"<html><head><title>{SITE}</title></head></html>")
    assert title_candidates(site_only, evidence(link_text=None)) == []


def test_a_link_that_wraps_the_teaser_is_not_title_evidence() -> None:
    teaser = "The heads of state met in Minsk."
    assert evidence(link_text=teaser, teaser=teaser).title is None
    assert evidence().title == TITLE


def test_an_entry_s_title_leaves_nothing_in_normalise_s_cache() -> None:
    """The crawl process reads each entry's title once: kept as the cache's keys, its teasers and
    link texts grew the process with the run (issue 20)."""
    normalise.cache_clear()
    assert evidence(link_text=TITLE, teaser="The heads of state met in Minsk.").title == TITLE
    assert normalise.cache_info().currsize == 0


def test_titles_agree_with_a_listing_that_cuts_them_short_or_prints_them_otherwise() -> None:
    assert titles_agree(TITLE, "A meeting of the CSTO Collective Security...")
    assert titles_agree(TITLE, "A meeting of the CSTO Collective Security Council was")  # cut at N
    assert titles_agree(f"«{TITLE}».", f'"{TITLE}"')  # quotes and a final period differ in print
    assert not titles_agree(TITLE, "A meeting of the CSTO Joint Staff...")
    assert not titles_agree(TITLE, "A meeting")  # too short to be a cut title
    assert not titles_agree("Latest news", TITLE)


def test_a_line_is_the_title_only_when_whole_unless_the_candidate_says_it_was_cut() -> None:
    first_paragraph = f"{TITLE} in Minsk on 23 November."
    assert names_title(f"  {TITLE.upper()} ", TITLE)
    assert not names_title(f"{TITLE}.", TITLE)  # another article's teaser, one period apart
    assert not names_title(first_paragraph, TITLE)
    assert names_title(first_paragraph, "A meeting of the CSTO Collective Security…")


def test_a_sidebar_date_never_dates_an_article_whose_page_lost_its_own() -> None:
    html = f"""<html><head><title>{TITLE}</title></head><body><div class="wrapper">
    <aside><div>Latest news</div><div><div>30.04.2025</div><a href="/news/news_odkb/a/">First
    teaser of another article</a></div><div><div>28.09.2023</div><a href="/news/news_odkb/b/">
    Second teaser of another article</a></div></aside>
    <div class="content">{paragraphs_html()}</div></div></body></html>"""
    page = parse_detail(html, URL, evidence(date_text=None))
    assert (page.title, page.date_text, page.paragraphs) == (TITLE, None, BODY)


def test_a_byline_whose_links_outweigh_its_text_still_dates_the_article() -> None:
    html = f"""<html><body>{SIDEBAR}<article><h1>{TITLE}</h1>
    <div>Published: 23.11.2023 · <a href="/news/news_odkb/">CSTO News</a> ·
    <a href="?print=Y">Print version</a></div>{paragraphs_html()}</article></body></html>"""
    page = parse_detail(html, URL, evidence(date_text=None))
    assert (page.date_text, page.paragraphs) == ("23.11.2023", BODY)
