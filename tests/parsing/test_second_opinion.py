"""The second opinion (trafilatura) on hand-written pages: asked only where ours is unsure."""

from cstocrawl.parsing.detail import parse_detail
from cstocrawl.parsing.evidence import ListingEvidence
from cstocrawl.parsing.layout import Layout
from cstocrawl.parsing.lines import parse_html
from cstocrawl.parsing.second_opinion import block_holding, disagreement, is_unsure, weigh
from cstocrawl.parsing.text import clean_paragraphs
from tests.parsing.test_edges import MENU, PARAGRAPHS, PROSE, URL
from tests.parsing.test_replica_pages import MIRROR, html_of
from tests.replica import ReplicaSite

POEM = [
    "The beans came late",
    "the fleece lay white",
    "on every bed at night,",
    "and still by June",
    "they stood in rows",
    "as green as any spring.",
]


def test_a_sure_body_never_asks() -> None:
    """With a listing's evidence (here a linked teaser: no title confirms the body), a body that
    holds most of the page's prose never asks: the crawl pays nothing for it."""
    html = f"<html><body>{MENU}<h1>Garden notes</h1>{PARAGRAPHS}</body></html>"
    page = parse_detail(html, URL, ListingEvidence(link_text=PROSE[0], teaser=PROSE[0]))
    assert (page.paragraphs, page.second_opinion) == (PROSE, False)


def test_without_a_listing_every_body_is_weighed() -> None:
    """Nothing but the page backs a body read without a listing: the second opinion is always
    asked, and a body it agrees with stays whole."""
    html = f"<html><body>{MENU}<h1>Garden notes</h1>{PARAGRAPHS}</body></html>"
    page = parse_detail(html, URL)
    assert (page.paragraphs, page.second_opinion) == (PROSE, True)


def test_where_ours_finds_no_prose_the_second_opinion_finds_the_text() -> None:
    """Every line of a poem is too short to be prose for ours; trafilatura's text is the body."""
    verses = "".join(f"<p>{verse}</p>" for verse in POEM)
    html = f"""<html><body>{MENU}<div class="poem">{verses}</div>
    <div><p>Posted in <a href="/category/poems/">Poems</a></p></div></body></html>"""
    page = parse_detail(html, URL)
    assert (page.paragraphs, page.second_opinion, page.problems) == (POEM, True, [])


def test_the_block_holding_most_of_the_text() -> None:
    html = f"""<html><body>{MENU}<div id="main"><div id="article">{PARAGRAPHS}</div>
    <div id="aside"><p>Another story about the garden in winter, with pictures.</p></div>
    </div></body></html>"""
    root = parse_html(html)
    block = block_holding(Layout(root, URL, ListingEvidence()), "\n".join(PROSE[:2]))
    assert block is not None and block.get("id") == "article"


def test_a_body_disagrees_when_most_of_its_words_are_not_in_the_second_opinion() -> None:
    assert disagreement(PROSE[0], " ".join(PROSE)) is None  # shorter, the same text: agrees
    assert disagreement("", "word " * 5) is None  # neither says much
    assert disagreement("", " ".join(PROSE)) == "none of its 42 words"
    assert disagreement("Subscribe to our newsletter today", PROSE[0]) == (
        "100% of our 5 words are not in its 16"
    )


def test_without_a_listing_a_body_of_two_fifths_of_the_prose_is_unsure() -> None:
    """Nothing but the page backs a body read without a listing: a wider doubt asks sooner."""
    root = parse_html(f"<html><body>{MENU}<h1>Garden notes</h1>{PARAGRAPHS}</body></html>")
    unlisted = Layout(root, URL, ListingEvidence())
    listed = Layout(root, URL, ListingEvidence(link_text="Garden notes"))
    two_fifths = int(0.4 * unlisted.page_prose)
    assert (is_unsure(unlisted, two_fifths), is_unsure(listed, two_fifths)) == (True, False)


def test_weighing_keeps_what_its_text_holds_and_adds_its_prose_ours_lacks() -> None:
    """Our short line its text lacks goes (a byline), our long ones and a heading over kept text
    stay; a paragraph of its text that ours lacks joins in page order, unless `may_add` refuses,
    and a short line only between the lines kept ("Beans, 2 rows" yes, "Tags: beans" no)."""
    extra = "Next year we will sow the beans under glass first, and plant them out in the middle of May."
    aside = "A reader asks what to do with the slugs, and the answer is longer than this line."
    long_ours = "Our own long line. " * 17
    html = f"""<html><body><h1>Garden notes</h1><p>By Jane, in Vegetables</p><h2>Sowing</h2>
    <p>{PROSE[0]}</p><p>Beans, 2 rows</p><p>{long_ours}</p><p>{extra}</p><p>{aside}</p>
    <p>Tags: beans</p></body></html>"""
    lines = Layout(parse_html(html), URL, ListingEvidence()).lines
    ours = [line for line in lines if line.text in ("By Jane, in Vegetables", "Sowing", PROSE[0])]
    ours.append(next(line for line in lines if line.text.startswith("Our own")))
    text = "\n".join([PROSE[0], "Beans, 2 rows", extra, aside, "Tags: beans"])
    weighed = weigh(lines, ours, text, lambda line: False, lambda line: line.text != aside)
    texts = ["Sowing", PROSE[0], "Beans, 2 rows", long_ours.strip(), extra]
    assert [line.text for line in weighed] == texts


def test_weighing_never_adds_our_title_nor_its_repeat_with_the_date() -> None:
    """The replica's bitrix page read without a listing: trafilatura's text holds the `<h1>` title
    and its `<h3>` repeat with the date, ours reads them as the title and the header; the sidebar's
    teasers are link text. The body is the one read with the listing's evidence."""
    site = ReplicaSite(lang="en", variant="bitrix", seed=0)
    path = "/news/news_odkb/v-odkb-provoditsya-strategicheskaya-komandno-shtabnaya-trenirovka/"
    page = parse_detail(html_of(site, path), MIRROR + path)
    expected = next(a for a in site.articles if a.url.endswith(path))
    wanted = clean_paragraphs(list(expected.paragraphs))
    assert (page.second_opinion, clean_paragraphs(page.paragraphs)) == (True, wanted)
