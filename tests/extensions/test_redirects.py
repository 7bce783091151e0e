"""RedirectRevisits in process: a redirect chain that comes back to a URL it passed is followed,
not dropped as a duplicate; every other dropped request stays dropped."""

from __future__ import annotations

import pytest
from scrapy import Request, signals
from scrapy.utils.test import get_crawler

from cstocrawl.extensions.redirects import RedirectRevisits


class SchedulingEngine:
    def __init__(self) -> None:
        self.scheduled: list[Request] = []

    def crawl(self, request: Request) -> None:
        self.scheduled.append(request)


def dropped(request: Request) -> tuple[list[Request], int]:
    """What RedirectRevisits does with a request the scheduler dropped as a duplicate: the
    requests it schedules again, and the count it keeps."""
    crawler = get_crawler(settings_dict={})
    crawler.stats.open_spider()
    engine = SchedulingEngine()
    crawler.engine = engine  # type: ignore[assignment]
    extension = RedirectRevisits.from_crawler(crawler)  # held: signals keep weak references
    crawler.signals.send_catch_log(signals.request_dropped, request=request, spider=None)
    del extension
    return engine.scheduled, crawler.stats.get_value("cstocrawl/redirect/revisited", 0)


START = "https://en.odkb-csto.org/news/news_odkb/a/"


@pytest.mark.parametrize(
    "back_at",
    [
        START,
        "https://en.odkb-csto.org/news/news_odkb/a/?utm_source=x",  # the same page, canonically
        "https://www.en.odkb-csto.org/news/news_odkb/a/",
    ],
)
def test_a_chain_back_to_a_url_it_passed_is_followed_there(back_at: str) -> None:
    request = Request(back_at, meta={"redirect_urls": [START, START + "?set_cookie=1"]})
    scheduled, revisited = dropped(request)
    assert [(r.url, r.dont_filter) for r in scheduled] == [(back_at, True)]
    assert scheduled[0].meta["redirect_urls"] == [START, START + "?set_cookie=1"]
    assert revisited == 1


@pytest.mark.parametrize(
    "request_",
    [
        Request(START),  # no redirect: a plain duplicate
        Request(START + "b/", meta={"redirect_urls": [START]}),  # a new URL dropped otherwise
        # A loop: let through once already; REDIRECT_MAX_TIMES ends it.
        Request(START, meta={"redirect_urls": [START]}, dont_filter=True),
    ],
)
def test_other_dropped_requests_stay_dropped(request_: Request) -> None:
    assert dropped(request_) == ([], 0)
