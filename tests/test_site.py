import random
from urllib.parse import urlsplit, urlunsplit

import pytest
from scrapy import Request
from scrapy.utils.request import fingerprint
from w3lib.url import canonicalize_url as w3lib_canonicalize_url

from cstocrawl import site as site_module
from cstocrawl.fingerprint import CanonicalUrlFingerprinter
from cstocrawl.site import ArticleLinkFilter, Site, UrlKind, canonicalize_url

EN = Site("en")
MIRROR = Site("en", "http://127.0.0.1:8800")
RU = Site("ru")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # http and the bxajaxid AJAX copy are the same article
        (
            "http://en.odkb-csto.org/news/news_odkb/22-ya-godovshchina/?bxajaxid=a4a891769c768a9a9246ed8384f62bf0",
            "https://en.odkb-csto.org/news/news_odkb/22-ya-godovshchina/",
        ),
        # %20 kept, case kept, junk removed whatever its case, fragment dropped
        (
            "https://en.odkb-csto.org/documents/statements/zayavlenie-ministrov-inostrannykh-del%20ODKB/"
            "?sessid=1&UTM_source=x&clear_cache=Y#top",
            "https://en.odkb-csto.org/documents/statements/zayavlenie-ministrov-inostrannykh-del%20ODKB/",
        ),
        # a raw space is encoded the way the site writes it
        (
            "https://en.odkb-csto.org/upload/iblock/abc/Annex 1.pdf",
            "https://en.odkb-csto.org/upload/iblock/abc/Annex%201.pdf",
        ),
        # pagination is kept
        (
            "https://en.odkb-csto.org/news/?bxajaxid=f6299bc1e89f3cb26502911d17cb058b&PAGEN_1=3",
            "https://en.odkb-csto.org/news/?PAGEN_1=3",
        ),
        ("https://en.odkb-csto.org/training/CSTO_collective_forces/x/", None),
        # letter case is kept: near-identical slugs are different items
        (
            "http://en.odkb-csto.org/training/CSTO_collective_forces/x",
            "https://en.odkb-csto.org/training/CSTO_collective_forces/x/",
        ),
        # an element id is the item: the pager and junk go, the id stays
        (
            "https://en.odkb-csto.org/chairmanship/index.php?PAGEN_1=2&ELEMENT_ID=23867&bxajaxid=1",
            "https://en.odkb-csto.org/chairmanship/?ELEMENT_ID=23867",
        ),
    ],
)
def test_canonical_on_official_host(url: str, expected: str | None) -> None:
    result = EN.canonical(url)
    if expected is None:
        assert result == url
    else:
        assert result == expected


def test_mirror_urls_map_to_the_official_host_and_back() -> None:
    canonical = MIRROR.canonical("http://127.0.0.1:8800/news/speech/a-1/?bxajaxid=abc")
    assert canonical == "https://en.odkb-csto.org/news/speech/a-1/"
    assert MIRROR.fetch_url(canonical) == "http://127.0.0.1:8800/news/speech/a-1/"
    # links written with the official host are fetched from the mirror too
    official = MIRROR.canonical("http://en.odkb-csto.org/news/smi/b/")
    assert official is not None
    assert MIRROR.fetch_url(official) == "http://127.0.0.1:8800/news/smi/b/"


def test_russian_site_merges_www_and_bare_host_and_rejects_english() -> None:
    assert RU.canonical("http://www.odkb-csto.org/news/news_odkb/x/") == (
        "https://odkb-csto.org/news/news_odkb/x/"
    )
    assert RU.canonical("https://en.odkb-csto.org/news/news_odkb/x/") is None
    assert EN.canonical("https://jscsto.odkb-csto.org/en/news/x/") is None
    assert EN.canonical("javascript:history.back()") is None


def test_near_identical_slugs_stay_different() -> None:
    a = EN.canonical("https://en.odkb-csto.org/news/news_odkb/trenirovka/")
    b = EN.canonical("https://en.odkb-csto.org/news/news_odkb/trenirovka-/")
    assert a != b


@pytest.mark.parametrize(
    ("path", "kind", "section"),
    [
        ("/news/", UrlKind.ALL_NEWS, None),
        ("/news/news_odkb/", UrlKind.SECTION, "news_odkb"),
        ("/news/news_odkb/?PAGEN_1=2", UrlKind.SECTION, "news_odkb"),
        ("/documents/statements/", UrlKind.SECTION, "statements"),
        ("/news/speech/vystuplenie/", UrlKind.ARTICLE, "speech"),
        ("/documents/statements/zayavlenie%2019.05.2021%20-%201/", UrlKind.ARTICLE, "statements"),
        ("/upload/iblock/393/39357fa0b754c4c5529e0bcf4d007437.docx", UrlKind.ATTACHMENT, None),
        ("/upload/iblock/abc/DSC_4960.JPG", UrlKind.IMAGE, None),
        # The further sections (issue 22): their listings and their articles' shapes.
        ("/authorized_organs/secretariat/", UrlKind.SECTION, "secretariat"),
        ("/authorized_organs/secretariat/?PAGEN_1=2", UrlKind.SECTION, "secretariat"),
        (
            "/authorized_organs/permanent_council/postoyannyy_sovet/",
            UrlKind.ARTICLE,
            "permanent_council",
        ),
        # Discovery (issue 22): a parent's own page and the home tabs are read for their links;
        # a body under /authorized_organs/ is a listing if its page lists its own articles.
        ("/authorized_organs/", UrlKind.DISCOVERY, None),
        ("/documents/", UrlKind.DISCOVERY, None),
        ("/?c-tab=statements", UrlKind.DISCOVERY, None),
        ("/?gen-tab=press", UrlKind.DISCOVERY, None),
        ("/", UrlKind.OTHER, None),
        ("/authorized_organs/military_committee/", UrlKind.SECTION, "military_committee"),
        ("/authorized_organs/military_committee/zasedanie/", UrlKind.ARTICLE, "military_committee"),
        ("/international_org/un/", UrlKind.OTHER, None),
        ("/chairmanship/", UrlKind.SECTION, "chairmanship"),
        ("/chairmanship/?ELEMENT_ID=23867", UrlKind.ARTICLE, "chairmanship"),
        ("/chairmanship/?ELEMENT_ID=x", UrlKind.OTHER, None),
        ("/session/", UrlKind.SECTION, "session"),
        ("/session/?PAGEN_1=2", UrlKind.SECTION, "session"),
        ("/session/2015/session201509/", UrlKind.ARTICLE, "session"),
        ("/session/2015/", UrlKind.OTHER, None),
        ("/training/", UrlKind.SECTION, "training"),
        ("/training/CSTO_collective_forces/zavershaetsya-4883/", UrlKind.ARTICLE, "training"),
        ("/international_org/", UrlKind.SECTION, "international_org"),
        (
            "/international_org/un/o_sotrudnichestve_odkb_s_oon_/",
            UrlKind.ARTICLE,
            "international_org",
        ),
        ("/structure/", UrlKind.OTHER, None),
        ("/institute", UrlKind.OTHER, None),
    ],
)
def test_classify(path: str, kind: UrlKind, section: str | None) -> None:
    url = EN.url_for_path(path)
    assert EN.classify(url) is kind
    assert EN.section_of(url) == section


def test_listing_pages() -> None:
    first, page = EN.listing_page("https://en.odkb-csto.org/news/smi/?PAGEN_1=4")
    assert (first, page) == ("https://en.odkb-csto.org/news/smi/", 4)
    links = [
        "https://en.odkb-csto.org/news/smi/?PAGEN_1=3",
        "http://127.0.0.1:8800/news/smi/?PAGEN_1=5&bxajaxid=f6",
        "https://en.odkb-csto.org/news/speech/?PAGEN_1=5",
    ]
    # The mirror's own links count; junk parameters are dropped.
    assert MIRROR.next_page(first, 4, links) == "https://en.odkb-csto.org/news/smi/?PAGEN_1=5"
    assert MIRROR.next_page(first, 2, links) == "https://en.odkb-csto.org/news/smi/?PAGEN_1=3"
    assert MIRROR.next_page(first, 5, links) is None
    # Another pager parameter travels along but does not make another listing.
    sized = EN.next_page(
        first, 1, ["/x", "https://en.odkb-csto.org/news/smi/?PAGEN_1=2&SIZEN_1=20"]
    )
    assert sized == "https://en.odkb-csto.org/news/smi/?PAGEN_1=2&SIZEN_1=20"
    assert EN.listing_page(sized) == (first, 2)


def test_fingerprint_canonicalisation_merges_junk_and_hosts() -> None:
    assert canonicalize_url("http://www.odkb-csto.org/news/?sessid=1") == (
        "https://odkb-csto.org/news/"
    )
    assert canonicalize_url("http://127.0.0.1:8800/news/x/?bxajaxid=1") == (
        "http://127.0.0.1:8800/news/x/"
    )


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language"):
        Site("de")


ARTICLE = "https://en.odkb-csto.org/news/news_odkb/CSTO_collective_forces-1/"


@pytest.mark.parametrize(
    "url",
    [
        "https://en.odkb-csto.org/news/news_odkb/CSTO_collective_forces-1",  # no trailing slash
        f"{ARTICLE}?sphrase_id=12345",  # Bitrix's search module
        f"{ARTICLE}?PAGEN_2=3",  # a second paginated component on the page
        f"{ARTICLE}?PAGEN_1=2&SIZEN_1=20&SHOWALL_3=1",
        f"{ARTICLE}index.php?back_url=%2Fnews%2F&ysclid=lx1",
        "http://127.0.0.1:8800/news/news_odkb/CSTO_collective_forces-1?sphrase_id=9",  # mirror
    ],
)
def test_one_article_has_one_canonical_url(url: str) -> None:
    assert MIRROR.canonical(url) == ARTICLE
    assert EN.classify(ARTICLE) is UrlKind.ARTICLE


def test_what_identifies_a_page_is_kept() -> None:
    # Letter case: the site has mixed-case paths.
    assert EN.canonical(ARTICLE.lower()) != ARTICLE
    # A listing keeps its pager; other paths keep their missing slash and their parameters.
    assert EN.canonical("https://en.odkb-csto.org/news/smi?PAGEN_1=2&sphrase_id=1") == (
        "https://en.odkb-csto.org/news/smi/?PAGEN_1=2"
    )
    assert (
        EN.canonical("https://en.odkb-csto.org/institute") == "https://en.odkb-csto.org/institute"
    )
    assert EN.canonical("https://en.odkb-csto.org/news/x/detail.php?ID=5&PAGEN_1=2") == (
        "https://en.odkb-csto.org/news/x/detail.php?ID=5"
    )
    assert EN.canonical("https://en.odkb-csto.org/upload/iblock/1/Annex.PDF") == (
        "https://en.odkb-csto.org/upload/iblock/1/Annex.PDF"
    )


def test_fingerprints_use_the_same_canonical_form_on_a_mirror() -> None:
    assert canonicalize_url("http://127.0.0.1:8800/news/x/y?sphrase_id=1&PAGEN_2=3") == (
        "http://127.0.0.1:8800/news/x/y/"
    )
    assert (
        canonicalize_url("https://en.odkb-csto.org/news/x/y")
        == "https://en.odkb-csto.org/news/x/y/"
    )


def generated_urls(count: int, seed: int = 0) -> list[str]:
    """Links as listing pages write them: both schemes, www and bare hosts, the mirror and other
    sites, every kind of path, near-identical and percent-encoded slugs, junk and pager queries."""
    rng = random.Random(seed)
    hosts = ["en.odkb-csto.org", "www.en.odkb-csto.org", "odkb-csto.org", "www.odkb-csto.org",
             "127.0.0.1:8800", "EN.odkb-csto.org", "jscsto.odkb-csto.org", "example.org"]
    slugs = ["trenirovka", "trenirovka-", "Trenirovka", "zayavlenie%2019.05.2021%20-%201",
             "a b", "CSTO_collective_forces", "x.y", "%d0%bf%d1%80", "привет", "..", "a/../b"]
    paths = ["/news/", "/news/{s}/", "/news/news_odkb/{s}/", "/news/speech/{s}", "/documents/",
             "/documents/statements/{s}/index.php", "/authorized_organs/secretariat/",
             "/authorized_organs/{s}/{s}/", "/session/2015/session201509", "/training/{s}/{s}/",
             "/chairmanship/", "/chairmanship/index.php", "/upload/iblock/1/{s}.pdf",
             "/upload/iblock/2/{s}.JPG", "/en/news/{s}/", "/", "/institute", "/news/x/detail.php"]
    queries = ["", "", "?", "?PAGEN_1=2", "?PAGEN_1=x", "?bxajaxid=1&PAGEN_1=3", "?ELEMENT_ID=23867",
               "?ELEMENT_ID=1&ELEMENT_ID=2", "?sphrase_id=5", "?utm_source=a&b=2&a=1",
               "?c-tab=statements", "?q=a+b%20c", "?PAGEN_2=3&SIZEN_1=20", "?x"]
    return [
        f"{rng.choice(['http', 'https', 'HTTP'])}://{rng.choice(hosts)}"
        + rng.choice(paths).format(s=rng.choice(slugs))
        + rng.choice(queries)
        + rng.choice(["", "", "#top"])
        for _ in range(count)
    ]


@pytest.mark.parametrize("site", [EN, MIRROR, RU, Site("en", portal="jscsto")])
def test_the_url_caches_answer_as_the_functions_they_keep_and_stay_bounded(site: Site) -> None:
    links = ArticleLinkFilter(site, None)
    urls = generated_urls(3000)
    # The last 500 from the caches; the next site's first 500 would find this site's answers there
    # if a cache were keyed by the URL alone.
    for url in [*urls, *urls[:500], *urls[:500]]:
        canonical = site.canonical(url)
        assert canonical == site._canonical(url)
        assert links(url) == links._article(url)
        if canonical is not None:
            assert site.classify(canonical) is site._classify(canonical)
    for cache in (site_module._canonical, site_module._classified, site_module._article_of):
        assert 0 < cache.cache_info().currsize <= 2048


@pytest.mark.parametrize("site", [EN, MIRROR, RU, Site("ru", "https://cache.example:8443/")])
def test_a_fetch_url_is_the_canonical_urls_path_and_query_on_the_mirror(site: Site) -> None:
    origin = urlsplit(site.fetch_origin)
    urls = generated_urls(3000, seed=1)
    odd = ["/a?", "/a?b?", "/a#", "/a?b#c", "/a\tb", "/a\nb?c", "//x/y", "", "?q", "/ a ", "/a?&"]
    canonicals = [site.canonical(url) for url in urls]
    for url in [*urls, *filter(None, canonicals), *(site.official_origin + rest for rest in odd)]:
        parts = urlsplit(url)
        expected = urlunsplit((origin.scheme, origin.netloc, parts.path, parts.query, ""))
        assert site.fetch_url(url) == expected, url


# --- the sister sites: both languages on one host, English under /en/ (issue 22) ---------------
JSCSTO = "https://jscsto.odkb-csto.org"


@pytest.mark.parametrize(
    ("lang", "url", "canonical", "kind"),
    [
        ("en", f"{JSCSTO}/en/news/", f"{JSCSTO}/en/news/", UrlKind.SECTION),
        ("en", f"{JSCSTO}/en/news/?PAGEN_1=2", f"{JSCSTO}/en/news/?PAGEN_1=2", UrlKind.SECTION),
        ("en", "http://jscsto.odkb-csto.org/en/news/a-b/?bxajaxid=1", f"{JSCSTO}/en/news/a-b/",
         UrlKind.ARTICLE),
        ("en", f"{JSCSTO}/en/news/a-b", f"{JSCSTO}/en/news/a-b/", UrlKind.ARTICLE),
        ("en", f"{JSCSTO}/news/a-b/", f"{JSCSTO}/news/a-b/", UrlKind.OTHER),  # the Russian one
        ("en", f"{JSCSTO}/en/", f"{JSCSTO}/en/", UrlKind.OTHER),
        ("ru", f"{JSCSTO}/news/a_b/", f"{JSCSTO}/news/a_b/", UrlKind.ARTICLE),
        ("ru", f"{JSCSTO}/en/news/a-b/", f"{JSCSTO}/en/news/a-b/", UrlKind.OTHER),
        ("en", "https://en.odkb-csto.org/news/news_odkb/a/", None, None),  # another site
        ("en", "https://ksopn.odkb-csto.org/en/news/a/", None, None),
    ],
)  # fmt: skip
def test_a_sister_site_knows_its_own_language_on_a_shared_host(
    lang: str, url: str, canonical: str | None, kind: UrlKind | None
) -> None:
    site = Site(lang, portal="jscsto")
    assert site.canonical(url) == canonical
    if canonical is not None:
        assert site.classify(canonical) is kind
        assert Site.section_of(canonical) == ("news" if "/news/" in canonical else None)


def test_a_sister_site_starts_from_its_listing_on_a_mirror() -> None:
    site = Site("en", "http://127.0.0.1:8800", "ksopn")
    assert site.url_for_path(site.sections["news"]) == "https://ksopn.odkb-csto.org/en/news/"
    assert (
        site.fetch_url("https://ksopn.odkb-csto.org/en/news/") == "http://127.0.0.1:8800/en/news/"
    )
    assert site.canonical("http://127.0.0.1:8800/en/news/x_y/") == (
        "https://ksopn.odkb-csto.org/en/news/x_y/"
    )
    assert site.section_title("news") == "Anti-drug Coordination Council news"
    with pytest.raises(ValueError, match="unknown site"):
        Site("en", portal="nope")


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_fingerprint_is_scrapys_on_the_canonical_url(method: str) -> None:
    fingerprinter = CanonicalUrlFingerprinter()
    odd = ["http://127.0.0.1:8800/a b/é?q=\"x\"&z=<>#f", "https://x.org/%7e?%41=1", "HTTP://X/\\"]
    for url in [*generated_urls(3000, seed=2), *odd]:
        request = Request(url, method=method, body=b"a=1\x00" if method == "POST" else b"")
        expected = fingerprint(request.replace(url=canonicalize_url(request.url)))
        assert fingerprinter.fingerprint(request) == expected, url


def test_the_urls_normalise_url_keeps_as_they_are_are_w3libs_canonical_form() -> None:
    """The shortcut: a URL its pattern takes is what w3lib's canonicalize_url would give; for any
    other link normalise_url's answer is still w3lib's form (it gives it back unchanged)."""
    rng = random.Random(4)
    hosts = ["en.odkb-csto.org", "127.0.0.1:8800", "x:80", "x:0080", "x:65536", "xn--p1ai.ru",
             "a-b.c", "A.b", "x:", "a..b", "[::1]:80", "x.y."]
    segment = "abcXYZ019_.~-" * 6 + "%é +;,:@!$&'()*"  # the pattern's characters, mostly
    matched = 0
    for _ in range(50000):
        segments = ["".join(rng.choices(segment, k=rng.randint(0, 5))) for _ in range(3)]
        path = "/" + "/".join(segments[: rng.randint(0, 3)]) + rng.choice(["", "/"])
        query = rng.choice(["", "?PAGEN_1=2", "?a=b&c=d", "?b=", "?x.y=1-2", "?%41=1", "?a=~"])
        url = f"{rng.choice(['http', 'https', 'HTTP'])}://{rng.choice(hosts)}{path}{query}"
        if site_module._CANONICAL_AS_IS_RE.fullmatch(url):
            matched += 1
            assert w3lib_canonicalize_url(url, keep_blank_values=True) == url
    assert matched > 1000  # not a vacuous pass
    for url in generated_urls(3000, seed=5):
        normalised = site_module.normalise_url(url)
        assert w3lib_canonicalize_url(normalised, keep_blank_values=True) == normalised, url
