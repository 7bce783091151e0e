"""The listing parser on hand-written pages in markups unlike the replica's."""

from cstocrawl.parsing.listing import parse_listing
from cstocrawl.site import Site, UrlKind

SITE = Site("en", "http://127.0.0.1:8800")
PAGE_URL = "http://127.0.0.1:8800/news/news_odkb/"


def article_key(url: str) -> str | None:
    canonical = SITE.canonical(url)
    return canonical if canonical and SITE.classify(canonical) is UrlKind.ARTICLE else None


def entries(html: str) -> list[tuple[str, str, str | None]]:
    return [(e.key, e.title, e.teaser) for e in parse_listing(html, PAGE_URL, article_key).entries]


def test_stock_bitrix_list_with_dates_junk_links_and_sidebar() -> None:
    html = """<html><body><div class="left"><a href="/news/speech/sidebar-item/">Sidebar</a></div>
    <h1>CSTO News</h1><div class="news-list">
    <p class="news-item"><span class="news-date-time">23.11.2023</span>
      <a href="/news/news_odkb/a/?bxajaxid=f6299bc1e89f3cb26502911d17cb058b"><b>Title A</b></a><br>
      Teaser of A.</p>
    <p class="news-item"><a href="http://en.odkb-csto.org/news/news_odkb/a-/"><b>Title A-</b></a><br>
      Teaser of A dash. <a href="/news/news_odkb/a-/">Read more</a></p>
    </div><div class="bx-pagination"><a href="/news/news_odkb/?PAGEN_1=2">2</a></div></body></html>"""
    assert entries(html) == [
        ("https://en.odkb-csto.org/news/news_odkb/a/", "Title A", "Teaser of A."),
        ("https://en.odkb-csto.org/news/news_odkb/a-/", "Title A-", "Teaser of A dash."),
    ]
    links = parse_listing(html, PAGE_URL, article_key).links
    assert "http://127.0.0.1:8800/news/news_odkb/?PAGEN_1=2" in links


def test_teaser_only_items_and_a_table_layout() -> None:
    html = """<html><body><table><tr><td><h1>Speeches</h1></td></tr>
    <tr><td><a href="/news/speech/one/">Allow me to thank the presidency</a></td></tr>
    <tr><td><a href="/news/speech/two/">Dear colleagues, welcome</a></td></tr></table></body></html>"""
    assert entries(html) == [
        (
            "https://en.odkb-csto.org/news/speech/one/",
            "Allow me to thank the presidency",
            "Allow me to thank the presidency",
        ),
        (
            "https://en.odkb-csto.org/news/speech/two/",
            "Dear colleagues, welcome",
            "Dear colleagues, welcome",
        ),
    ]


def test_a_listing_with_a_single_article_does_not_swallow_the_page() -> None:
    html = """<html><body><h1>Media</h1><ul><li><h2><a href="/news/smi/x/">Coalition shield</a></h2>
    <div>What is it?</div></li></ul><footer>© CSTO</footer></body></html>"""
    assert entries(html) == [
        ("https://en.odkb-csto.org/news/smi/x/", "Coalition shield", "What is it?")
    ]


def test_a_page_without_articles_has_no_entries() -> None:
    html = "<html><body><h1>Authorized organs</h1><p>Text.</p><a href='/structure/'>x</a></body></html>"
    assert entries(html) == []


def test_without_an_h1_the_list_wins_over_a_sidebar_linking_the_same_articles() -> None:
    html = """<html><body><div class="col">
    <div><span>26.07.2024</span><a href="/news/news_odkb/a/">Sidebar teaser of A</a></div>
    <div><span>19.07.2024</span><a href="/news/news_odkb/z/">Only in the sidebar</a></div></div>
    <div class="col-main">
    <div><a href="/news/news_odkb/a/">Title A</a><div>List teaser of A.</div></div>
    <div><a href="/news/news_odkb/b/">Title B</a><div>List teaser of B.</div></div>
    <div><a href="/news/news_odkb/c/">Title C</a><div>List teaser of C.</div></div></div></body></html>"""
    assert entries(html) == [
        ("https://en.odkb-csto.org/news/news_odkb/z/", "Only in the sidebar", "Only in the sidebar"),
        ("https://en.odkb-csto.org/news/news_odkb/a/", "Title A", "List teaser of A."),
        ("https://en.odkb-csto.org/news/news_odkb/b/", "Title B", "List teaser of B."),
        ("https://en.odkb-csto.org/news/news_odkb/c/", "Title C", "List teaser of C."),
    ]


def test_the_only_item_of_a_last_page_does_not_take_the_pager_as_teaser() -> None:
    html = """<html><body><h1>News</h1><div class="news-list">
    <p class="news-item"><span class="news-date-time">15.05.2024</span>
      <a href="/news/news_odkb/z/"><b>Title Z</b></a><br>15 May marks the anniversary.</p>
    <br /><font class="text">News <b>36</b> - <b>36</b> of <b>36</b></font>
    <font class="text"><a href="/news/?PAGEN_1=1">First</a> | <a href="/news/?PAGEN_1=7">Prev</a>
    | 6 7 8 | Next | Last</font></div></body></html>"""
    assert entries(html) == [
        ("https://en.odkb-csto.org/news/news_odkb/z/", "Title Z", "15 May marks the anniversary.")
    ]


def test_a_lone_entry_in_a_widget_keeps_its_teaser() -> None:
    """A listing's last page with one entry in a `widget` wrapper: the entry never grows into the
    wrapper, whose name would make its teaser boilerplate (before: the teaser was the title)."""
    page = (
        "<html><body><h1>CSTO Secretariat</h1><div class='widget widget-news-list'>"
        "<div class='news-list'><div class='news-item'><span>17.02.2021</span>"
        "<a href='/news/news_odkb/itogi/'><b>The Secretariat summed up its work</b></a><br>"
        "<div>The member states express their deep concern.</div></div></div></div>"
        "</body></html>"
    )
    [entry] = parse_listing(page, "https://en.odkb-csto.org/news/news_odkb/", str).entries
    assert (entry.title, entry.teaser) == (
        "The Secretariat summed up its work",
        "The member states express their deep concern.",
    )
