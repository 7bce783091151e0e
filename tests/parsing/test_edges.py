"""The article's edges on hand-written pages shaped like real ones, one defeated assumption each.

No listing evidence (as under `scrapy parse`): the page alone says where the article is.
"""

from cstocrawl.parsing.detail import parse_detail

URL = "https://blog.example.org/2024/05/garden-notes/"
PROSE = [
    "The spring was late this year, and the first sowing went into cold ground in early May.",
    "We covered the beds with fleece at night and lifted it every morning before nine.",
    "By the end of the month the beans had caught up with the ones sown a fortnight earlier.",
]
PARAGRAPHS = "".join(f"<p>{text}</p>" for text in PROSE)
MENU = """<ul class="menu"><li><a href="/">Home</a></li><li><a href="/about/">About</a></li>
<li><a href="/archive/">Archive</a></li></ul>"""


def test_a_class_hint_on_body_is_not_boilerplate() -> None:
    """`<body class="no-sidebar header-aligned-left">`: the hint names the page's layout (and no
    heading shows where the article is)."""
    html = f"""<html><body class="no-sidebar header-aligned-left">{MENU}
    <div>{PARAGRAPHS}</div></body></html>"""
    assert parse_detail(html, URL).paragraphs == PROSE


def test_a_class_hint_on_the_block_holding_the_prose_is_not_boilerplate() -> None:
    """A wrapper named like a header (`site-header-wrap`) that holds the whole article."""
    html = f"""<html><body><div class="site-header-wrap">{MENU}<div class="entry">
    <h2>Garden notes</h2>{PARAGRAPHS}</div></div>
    <div class="widget"><p>Subscribe to our newsletter for more garden notes.</p></div>
    </body></html>"""
    assert parse_detail(html, URL).paragraphs == PROSE


def test_the_title_in_a_hero_header_and_the_text_in_a_sibling() -> None:
    """`<header>` with the title, a dek, a byline and a caption; the prose in the next section."""
    html = f"""<html><head><title>Garden notes</title></head><body>{MENU}
    <article><div class="hero"><h1>Garden notes</h1>
    <p class="dek">A late spring, and what it taught us.</p><p>By Jane Doe, 3 May 2024</p>
    <figure><img src="/img/beds.jpg"><figcaption>The beds under fleece.</figcaption></figure>
    </div><section class="text">{PARAGRAPHS}</section></article>
    <footer><p>Example blog, 12 Garden Lane</p></footer></body></html>"""
    page = parse_detail(html, URL)
    assert (page.title, page.paragraphs) == ("Garden notes", PROSE)


def test_an_unparsable_link_never_stops_the_page() -> None:
    """`http://[ccpa-preferences]` is no URL (urlsplit raises): the link is no page, no file."""
    html = f"""<html><body>{MENU}<h1>Garden notes</h1>{PARAGRAPHS}
    <ul><li>12.05.2024 <a href="http://[ccpa-preferences]/a.pdf">Privacy choices</a></li>
    <li>13.05.2024 <a href="http://[x]">More</a></li></ul></body></html>"""
    page = parse_detail(html, URL)
    assert (page.paragraphs[:3], page.attachments) == (PROSE, [])


def test_teasers_of_other_articles_after_the_body_are_not_body() -> None:
    """Each item a date, a linked title and a paragraph of prose: mostly prose, yet no body."""
    items = "".join(
        f"""<div><span>0{day}.05.2024</span> <a href="/2024/05/{slug}/">{title}</a>
        <p>{teaser}</p></div>"""
        for day, slug, title, teaser in [
            (2, "seed-swap", "The seed swap", "Forty gardeners brought their saved seeds to the "
             "village hall on Saturday, and most went home with twice as many varieties."),
            (1, "slugs", "Slugs, again", "A wet April brought the slugs out early; here is what "
             "worked in our beds, and what did not work at all this time."),
        ]
    )  # fmt: skip
    html = f"""<html><body>{MENU}<div><h1>Garden notes</h1>{PARAGRAPHS}
    <div class="more">{items}</div></div></body></html>"""
    assert parse_detail(html, URL).paragraphs == PROSE


def test_a_body_that_is_all_items_is_kept() -> None:
    """A gallery or a listicle: every item a linked heading and its text, nothing else."""
    slides = "".join(
        f'<div><h3><a href="/2024/05/garden-notes/{n}/">{n}. {name}</a></h3><p>{text}</p></div>'
        for n, name, text in [
            (1, "Beans", "Sow them in late May, when the soil has warmed through."),
            (2, "Peas", "Sow them in March, under fleece if the nights are cold."),
        ]
    )
    html = f"<html><body>{MENU}<h1>Garden notes</h1><div>{slides}</div></body></html>"
    assert parse_detail(html, URL).paragraphs == [
        "1. Beans", "Sow them in late May, when the soil has warmed through.",
        "2. Peas", "Sow them in March, under fleece if the nights are cold.",
    ]  # fmt: skip


def test_unclosed_divs_after_the_first_paragraph_do_not_cut_the_body() -> None:
    """Three `<div>` never closed: the rest of the text and the page's link lists end up in one
    block, mostly links; the prose before its first link is still the body."""
    older = "".join(
        f'<li><a href="/2024/04/{n}/">Older note number {n} about the garden</a></li>'
        for n in range(1, 6)
    )
    html = f"""<html><body>{MENU}<div class="post"><h1>Garden notes</h1><p>{PROSE[0]}</p>
    <div class="wp-block"><div class="inner"><div class="columns">
    <p>{PROSE[1]}</p><p>{PROSE[2]}</p></div><ul>{older}</ul>
    <p><a href="/">Home</a> | <a href="/archive/">Archive</a></p></div></body></html>"""
    page = parse_detail(html, URL)
    assert (page.paragraphs, page.problems) == (PROSE, [])


def test_text_nested_after_a_link_list_by_unclosed_tags_is_flagged() -> None:
    """The `<div>` left open holds the body's end, then a list of links, then the rest of the
    text: past the list's first link it cannot be told from the list, so the item says so."""
    older = "".join(
        f'<li><a href="/2024/04/{n}/">Older note number {n} about the garden</a></li>'
        for n in range(1, 6)
    )
    html = f"""<html><body>{MENU}<div class="post"><h1>Garden notes</h1><p>{PROSE[0]}</p>
    <div class="wp-block"><div class="inner"><p>{PROSE[1]}</p><ul>{older}</ul>
    <p>{PROSE[2]}</p></div></body></html>"""
    page = parse_detail(html, URL)
    assert page.paragraphs == PROSE[:2]
    assert page.problems == [
        "body_cut_by_markup: 1 paragraphs of prose after its end, in link lists, "
        "from 'By the end of the month the beans had caught up with the one'"
    ]


def test_a_detail_addressed_by_element_id_goes_back_to_its_own_path() -> None:
    """/chairmanship/?ELEMENT_ID=23867 is listed at /chairmanship/: a link there without an id is
    its back link (before: read as body), a link to another element is not."""
    body = " ".join(["The Chairmanship of the Republic of Belarus set out its priorities."] * 4)
    page = (
        "<html><body><h1>Priorities of the Chairmanship</h1><p>05.12.2025</p>"
        f"<p>{body}</p><p><a href='/chairmanship/'>To the section</a></p>"
        "<p><a href='/chairmanship/?ELEMENT_ID=2'>Priorities of 2024</a></p></body></html>"
    )
    parsed = parse_detail(page, "https://en.odkb-csto.org/chairmanship/?ELEMENT_ID=23867")
    assert parsed.paragraphs == [body]
    assert parsed.back_links == ["https://en.odkb-csto.org/chairmanship/"]
