"""The detail parser on hand-written pages in markups unlike the replica's, built from real captures."""

from datetime import date

import pytest

from cstocrawl.parsing.dates import parse_date
from cstocrawl.parsing.detail import parse_detail
from cstocrawl.parsing.evidence import ListingEvidence

URL = "https://en.odkb-csto.org/news/news_odkb/sostoyalas-sessiya-soveta-kollektivnoy-bezopasnosti-odkb/"
TITLE = "A meeting of the CSTO Collective Security Council was held"

SIDEBAR = """
<div class="col-left">
  <div class="item"><div>26.07.2024</div>
    <a href="/news/news_odkb/other-one/?bxajaxid=a4a891769c768a9a9246ed8384f62bf0">On 25 July 2024,
    staff of the CSTO Secretariat met with graduates of Central Asian universities</a></div>
  <div class="item"><div>19.07.2024</div><a href="/news/speech/other-two/">Allow me to thank</a></div>
</div>"""

NAV = """<div class="links"><a href="javascript:history.back()">Go back</a>
<a href="/news/news_odkb/">Back to the section</a> <a href="/news/">Back to the all news</a></div>"""


def test_semantic_markup_with_sidebar_first() -> None:
    html = f"""<html><body><header><a href="/"><img src="/local/logo.png"></a>
    <nav><a href="/news/">News</a></nav></header>{SIDEBAR}
    <main><article><header><h1>{TITLE}</h1>
    <p>{TITLE} <time datetime="2023-11-23">23.11.2023</time></p></header>
    <p>A meeting of the CSTO Collective Security Council was held in Minsk on 23 November.</p>
    <p>The next meeting will be held in Astana.<img src="/upload/iblock/1a2/DSC_4960.JPG"></p>
    <p>DSC_4960.JPG</p>
    <p>The CSTO Press Secretary Vladimir Zaynetdinov<br>+7495-795-27-10, odkb-pressa@gov.ru</p>
    </article>{NAV}</main><footer>© 2024 CSTO. Moscow, Sverchkov per. 3/2</footer></body></html>"""
    page = parse_detail(html, URL)
    assert page.title == TITLE
    assert page.date_text == "23.11.2023"
    assert page.paragraphs == [
        "A meeting of the CSTO Collective Security Council was held in Minsk on 23 November.",
        "The next meeting will be held in Astana.",
        "DSC_4960.JPG",  # captions are removed by the cleaning pipeline, not here
        "The CSTO Press Secretary Vladimir Zaynetdinov",
        "+7495-795-27-10, odkb-pressa@gov.ru",
    ]
    assert page.images == ["https://en.odkb-csto.org/upload/iblock/1a2/DSC_4960.JPG"]
    assert page.attachments == []
    assert page.back_links == [
        "https://en.odkb-csto.org/news/news_odkb/",
        "https://en.odkb-csto.org/news/",
    ]


def test_table_layout_without_classes_and_a_glued_date() -> None:
    html = f"""<html><body><table><tr><td>{SIDEBAR}</td><td>
    <h1>Commentary of the CSTO Secretary General</h1>
    29.07.2021On the night of July 28, 2021, an incident occurred.<br><br>
    The Secretariat calls for restraint.
    <p><a href="/news/news_odkb/">Back to the section</a></p>
    <p><a href="/news/">Back to the all news</a></p></td></tr></table>
    <div>Collective Security Treaty Organization, all rights reserved</div></body></html>"""
    page = parse_detail(html, URL)
    assert page.title == "Commentary of the CSTO Secretary General"
    assert page.date_text == "29.07.2021"
    assert page.paragraphs == [
        "On the night of July 28, 2021, an incident occurred.",
        "The Secretariat calls for restraint.",
    ]


def test_statement_with_download_block_and_no_space_before_the_name() -> None:
    title = "Statement by the Ministers for Foreign Affairs regarding the seventy-fifth anniversary"
    html = f"""<html><body>{SIDEBAR}<div class="wrap"><h1>{title}</h1>
    <div class="doc">19.05.2021 Download document<a href="/upload/iblock/5f2/Annex%201.pdf">Annex 1.pdf</a></div>
    <p>In the year of the seventy-fifth anniversary of the Nuremberg judgment...</p>
    {NAV}</div></body></html>"""
    page = parse_detail(html, URL)
    assert page.date_text == "19.05.2021"
    assert [(a.url, a.name) for a in page.attachments] == [
        ("https://en.odkb-csto.org/upload/iblock/5f2/Annex%201.pdf", "Annex 1.pdf")
    ]
    assert page.paragraphs == [
        "In the year of the seventy-fifth anniversary of the Nuremberg judgment..."
    ]


def test_download_link_labelled_generically_takes_the_name_shown_beside_it() -> None:
    html = f"""<html><body><h1>STATEMENT of the Ministers</h1>
    <p>10.06.2022 <a href="/upload/iblock/393/39357fa0b754c4c5529e0bcf4d007437.docx">Download document</a>
    39357fa0b754c4c5529e0bcf4d007437.docx</p><p>We, the member states of the CSTO...</p>{NAV}
    </body></html>"""
    page = parse_detail(html, URL)
    assert page.date_text == "10.06.2022"
    assert [a.name for a in page.attachments] == ["39357fa0b754c4c5529e0bcf4d007437.docx"]
    assert page.paragraphs == ["We, the member states of the CSTO..."]


def test_stock_bitrix_detail_with_date_above_an_h3_title_and_no_h1() -> None:
    html = f"""<html><body>{SIDEBAR}<div class="news-detail">
    <img class="detail_picture" src="/upload/iblock/9c1/photo.jpg">
    <span class="news-date-time">24.04.2024</span>
    <h3>Consultations on information security</h3>
    On 24 April 2024, in Moscow, consultations were held.<br />They discussed cooperation.<br />
    </div><p><a href="/news/news_odkb/">Back to the section</a></p></body></html>"""
    page = parse_detail(html, URL)
    assert page.title == "Consultations on information security"
    assert page.date_text == "24.04.2024"
    assert page.paragraphs == [
        "On 24 April 2024, in Moscow, consultations were held.",
        "They discussed cooperation.",
    ]


def test_russian_page_with_russian_labels() -> None:
    html = """<html><body><div>13.02.2026</div><p><a href="/news/news_odkb/x/">13 февраля в Москве</a></p>
    <h1>В Секретариате ОДКБ состоялись консультации</h1>
    <div class="date">10.12.2024</div>
    <p>10 декабря 2024 года в Секретариате ОДКБ прошли консультации.</p>
    <p><a href="javascript:history.back()">Вернуться назад</a></p>
    <p><a href="/news/news_odkb/">Вернуться в раздел</a></p>
    <p><a href="/news/">Вернуться ко всем новостям</a></p><div>© ОДКБ</div></body></html>"""
    page = parse_detail(html, "https://odkb-csto.org/news/news_odkb/v-sekretariate/")
    assert page.title == "В Секретариате ОДКБ состоялись консультации"
    assert page.date_text == "10.12.2024"
    assert page.paragraphs == ["10 декабря 2024 года в Секретариате ОДКБ прошли консультации."]
    assert page.back_links == [
        "https://odkb-csto.org/news/news_odkb/",
        "https://odkb-csto.org/news/",
    ]


def test_a_page_without_a_date_or_title_says_so() -> None:
    no_date = parse_detail(f"<html><body><h1>{TITLE}</h1><p>Body only.</p>{NAV}</body></html>", URL)
    assert (no_date.title, no_date.date_text, no_date.paragraphs) == (TITLE, None, ["Body only."])
    nothing = parse_detail("<html><body><p>Service unavailable</p></body></html>", URL)
    assert (nothing.title, nothing.date_text, nothing.paragraphs) == (None, None, [])


def test_truncated_and_empty_html_do_not_raise() -> None:
    cut = f"<html><body><h1>{TITLE}</h1><p>{TITLE} 23.11.2023</p><p>First par"
    page = parse_detail(cut, URL)
    assert (page.title, page.date_text, page.paragraphs) == (TITLE, "23.11.2023", ["First par"])
    assert parse_detail(b"", URL).title is None


def test_back_link_above_the_body_and_a_footer_without_back_links() -> None:
    html = f"""<html><body><div><h1>CSTO</h1></div>{SIDEBAR}
    <div><a href="/news/news_odkb/">« Back to the list</a></div>
    <div><h1>{TITLE}</h1><div>23.11.2023</div>
    <div><div>The Council met in Minsk.</div><div>It adopted a declaration.</div></div></div>
    <div>© 2003–2024 Collective Security Treaty Organization</div><div>Moscow, Sverchkov per. 3/2</div>
    </body></html>"""
    page = parse_detail(html, URL)
    assert (page.title, page.date_text) == (TITLE, "23.11.2023")
    assert page.paragraphs == ["The Council met in Minsk.", "It adopted a declaration."]


def test_date_in_its_own_block_above_the_title() -> None:
    html = f"""<html><body>{SIDEBAR}<div class="item-page"><div class="meta"><span>23.11.2023</span></div>
    <h1>{TITLE}</h1><p>The Council met in Minsk.</p>{NAV}</div></body></html>"""
    page = parse_detail(html, URL)
    assert (page.title, page.date_text, page.paragraphs) == (
        TITLE,
        "23.11.2023",
        ["The Council met in Minsk."],
    )


def test_blog_like_markup_with_h2_title_and_sidebar_after_the_article() -> None:
    html = f"""<html><body><div id="masthead"><h1 class="site-title"><a href="/">ОДКБ / CSTO</a></h1></div>
    <div id="primary"><article><h2 class="entry-title">{TITLE}</h2>
    <div class="entry-meta"><span class="posted-on"><time datetime="2023-11-23">23.11.2023</time></span></div>
    <div class="entry-content"><p>The Council met in Minsk on 23 November.</p>
    <p>Information from the briefing:</p><ul><li>first point;</li><li>second point.</li></ul></div>
    </article><ul class="back"><li><a href="/news/news_odkb/">Back to the section</a></li>
    <li><a href="/news/">Back to the all news</a></li></ul></div>
    <div id="secondary"><h2>Latest news</h2><div>26.07.2024</div><p>On 25 July 2024, staff met.</p></div>
    <div id="colophon">Collective Security Treaty Organization © 2024</div></body></html>"""
    page = parse_detail(html, URL)
    assert (page.title, page.date_text) == (TITLE, "23.11.2023")
    assert page.paragraphs == [
        "The Council met in Minsk on 23 November.",
        "Information from the briefing:",
        "first point;",
        "second point.",
    ]
    assert page.back_links == [
        "https://en.odkb-csto.org/news/news_odkb/",
        "https://en.odkb-csto.org/news/",
    ]


@pytest.mark.parametrize(
    "printed", ["10.06.2022", "06/10/2022 14:56:41", "10 June 2022", "10 июня 2022 года"]
)
def test_date_before_download_document_in_any_format(printed: str) -> None:
    html = f"""<html><body>{SIDEBAR}<div class="content"><h1>{TITLE}</h1>
    <p>{printed} Download document <a href="/upload/iblock/a1b/x.docx">x.docx</a></p>
    <p>We, the member states of the CSTO, express our concern.</p>{NAV}</div></body></html>"""
    page = parse_detail(html, URL)
    assert parse_date(page.date_text or "") == date(2022, 6, 10)
    assert page.paragraphs == ["We, the member states of the CSTO, express our concern."]
    assert [(f.url, f.name) for f in page.attachments] == [
        ("https://en.odkb-csto.org/upload/iblock/a1b/x.docx", "x.docx")
    ]


def test_without_h1_the_sidebar_heading_is_never_the_title() -> None:
    """No title anywhere: the body is still the article's, the sidebar gives neither title nor date."""
    html = f"""<html><body><aside class="latest-news"><h2>Latest news</h2>{SIDEBAR}</aside>
    <div class="content"><p>The Council met in Minsk.</p></div></body></html>"""
    page = parse_detail(html, URL)
    assert (page.title, page.date_text) == (None, None)
    assert page.paragraphs == ["The Council met in Minsk."]


def test_without_h1_the_title_line_with_its_date_gives_both() -> None:
    html = f"""<html><body><div class="sidebar"><h2>Latest news</h2>{SIDEBAR}</div>
    <div class="news-detail"><h3>{TITLE} <span class="news-date-time">23.11.2023</span></h3>
    <p>The Council met in Minsk.</p></div>{NAV}</body></html>"""
    page = parse_detail(html, URL)
    assert (page.title, page.date_text, page.paragraphs) == (
        TITLE,
        "23.11.2023",
        ["The Council met in Minsk."],
    )


# --- the body's edges on real-page shapes (issue 17): one defeated assumption each -------------

LEAD = "A meeting of the CSTO Collective Security Council was held in Minsk on 23 November."
NEXT = "The next meeting of the Council will be held in Astana in the fourth quarter."


def test_print_and_share_links_inside_the_article_end_no_body() -> None:
    """A `javascript:` link that does not go back (print, a share popup) is no back link."""
    html = f"""<html><body><main><article><h1>{TITLE}</h1><p>23.11.2023</p><p>{LEAD}</p>
    <div class="tools"><a href="javascript:window.print()">Print</a> |
    <a href="javascript:void(window.open('https://vk.com/share.php?url=x'))">VK</a></div>
    <p>{NEXT}</p>
    <p><a href="javascript:window.print()">Print version</a> &nbsp;
    <a href="javascript:history.back()">&lt;&lt; Back</a> <a href="/news/">All news</a></p>
    <p>Subscribe to our newsletter and follow the CSTO on social networks today.</p>
    </article></main></body></html>"""
    page = parse_detail(html, URL)
    assert page.paragraphs == [LEAD, NEXT]
    assert page.back_links == ["https://en.odkb-csto.org/news/"]


def test_a_speech_s_heading_dateline_and_salutation_are_its_first_lines() -> None:
    """Short lines in <strong> between the date and the teaser's paragraph are the body's."""
    evidence = ListingEvidence(link_text=TITLE, date_text="24.11.2023", teaser=LEAD)
    html = f"""<html><body><div class="news-detail"><span>24.11.2023</span><h1>{TITLE}</h1>
    <div class="text"><p><strong>WELCOME SPEECH</strong></p>
    <p><strong>November 23, 2023, Minsk</strong></p><p><strong>Dear colleagues!</strong></p>
    <p>Ladies and gentlemen!</p><p>{LEAD}</p><p>{NEXT}</p></div></div></body></html>"""
    page = parse_detail(html, URL, evidence)
    assert page.title == TITLE and page.date_text == "24.11.2023" and page.problems == []
    assert page.paragraphs == [
        "WELCOME SPEECH",
        "November 23, 2023, Minsk",
        "Dear colleagues!",
        "Ladies and gentlemen!",
        LEAD,
        NEXT,
    ]


@pytest.mark.parametrize("first", ["ВЫСТУПЛЕНИЕ", "Opening remarks"])
def test_a_short_plain_first_line_beside_the_text_is_body(first: str) -> None:
    """A hero header (the title, a byline) and the text in a sibling block opening with a short
    line, neither bold nor a salutation: it stands with the text, not with the title, so it is
    body; the byline in the title's block stays header."""
    evidence = ListingEvidence(link_text=TITLE, date_text="24.11.2023", teaser=LEAD)
    html = f"""<html><body><main><article><header><h1>{TITLE}</h1>
    <p>24.11.2023</p><p>Press Service of the CSTO Secretariat</p></header>
    <section name="articleBody"><p>{first}</p><p>{LEAD}</p><p>{NEXT}</p></section>
    </article></main></body></html>"""
    page = parse_detail(html, URL, evidence)
    assert page.title == TITLE and page.date_text == "24.11.2023" and page.problems == []
    assert page.paragraphs == [first, LEAD, NEXT]


@pytest.mark.parametrize(
    ("closing", "url"),
    [
        ("10 June 2022 / Yerevan city", URL),
        ("22 февраля 2017 года, г. Ереван", "https://odkb-csto.org/news/news_odkb/zayavlenie/"),
    ],
)
def test_a_statement_s_closing_place_and_date_is_its_last_line(closing: str, url: str) -> None:
    """The place and date a document was adopted at is its text, not the page's date line."""
    html = f"""<html><body><h1>{TITLE}</h1><p>24.02.2017</p><p>{LEAD}</p><p>{NEXT}</p>
    <p align="right"><i>{closing}</i></p>{NAV}</body></html>"""
    page = parse_detail(html, url)
    assert page.date_text == "24.02.2017"
    assert page.paragraphs == [LEAD, NEXT, closing]


def test_an_opening_dateline_is_never_the_page_s_date() -> None:
    html = f"""<html><body><h1>{TITLE}</h1><p>10 June 2022 / Yerevan city</p><p>{LEAD}</p>
    {NAV}</body></html>"""
    page = parse_detail(html, URL)
    assert page.date_text is None
    assert page.paragraphs == ["10 June 2022 / Yerevan city", LEAD]


def test_a_page_printing_the_listing_s_link_text_has_that_line_as_its_title() -> None:
    """Old table layout: the title in <font>, a date, then "Dear colleagues!" in the same <font>
    as the text: the dated line under the link text is the body's salutation, not the title."""
    title = "Speech by the CSTO Secretary General at the meeting of the Council"
    evidence = ListingEvidence(link_text=title, date_text="29.12.2025", teaser=LEAD)
    html = f"""<html><head><title>CSTO :: Speeches</title></head><body><table><tr>
    <td class="text"><font size="3"><b>{title}</b></font><br>
    <font size="1">[29.12.2025]</font><br><br><font face="Arial" size="2">
    Dear colleagues!<br><br>Ladies and gentlemen!<br><br><p>{LEAD}<p>{NEXT}
    <br><a href="javascript:history.back()">&lt;&lt; Back</a></font></td></tr></table>
    </body></html>"""
    page = parse_detail(html, URL, evidence)
    assert page.title == title and page.problems == []
    assert page.date_text == "[29.12.2025]"
    assert page.paragraphs == ["Dear colleagues!", "Ladies and gentlemen!", LEAD, NEXT]


def test_a_long_dek_repeating_the_teaser_above_the_text_is_header() -> None:
    """A hero header: the h1, a dek (the listing's teaser, a long sentence) and a caption, with the
    text in a sibling <section> whose first paragraph the teaser opens."""
    teaser = (
        "On 24 April 2024, in Moscow, at the CSTO Secretariat, consultations of the CSTO member "
        "states on information security were held, with representatives of the foreign ministries "
        "and the security councils of all six member states and of the CSTO Secretariat."
    )
    evidence = ListingEvidence(link_text=TITLE, date_text="24.04.2024", teaser=teaser)
    html = f"""<html><body><main><article><header><p>24.04.2024</p><h1>{TITLE}</h1>
    <p>{teaser}</p><figure><img src="/upload/iblock/1a2/DSC_4960.JPG" width="900">
    <figcaption>DSC_4960.JPG</figcaption></figure></header>
    <section name="articleBody"><p>{teaser} They agreed on a plan for 2025.</p><p>{NEXT}</p>
    </section></article></main></body></html>"""
    page = parse_detail(html, URL, evidence)
    assert page.title == TITLE and page.date_text == "24.04.2024"
    assert page.paragraphs == [f"{teaser} They agreed on a plan for 2025.", NEXT]
