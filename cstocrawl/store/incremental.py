"""What an incremental run requests: the decisions the spider asks about listing entries and paging.

Listings show newest first. An incremental run requests the articles the state does not know and
the known ones published inside the re-check window (to catch edits); it pages a listing on while a
page shows an unknown article or only articles inside the window (the next page may hold more).
The window reads the stored date, which a failed fetch never removes (the state keeps the version
that had it), and for an article that never showed a date the day the crawler first saw it.
What earlier runs failed (the state's retry list) is fetched whatever the window says. A known
alias (another URL of a known article) is planned as its article: never fetched as a new one.
A full run requests everything. Pure: the known articles come in, decisions come out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import TYPE_CHECKING

from cstocrawl.store.state import Known, Retry

if TYPE_CHECKING:
    from cstocrawl.runs.extension import RunLifecycle




@dataclass(frozen=True)
class Plan:
    known: Mapping[str, Known]
    recheck_from: date  # known articles published on or after it are fetched again
    full: bool = False
    # The retry list: articles to fetch again (failed, or with a failed attachment download)
    retries: tuple[Retry, ...] = ()
    aliases: Mapping[str, str] = field(default_factory=dict)  # alias URL -> article URL

    @cached_property
    def retry_articles(self) -> frozenset[str]:
        articles = set()
        for retry in self.retries:
            if retry.kind == "article":
                articles.add(retry.url)
            elif retry.kind == "attachment" and retry.article:
                articles.add(retry.article)
        return frozenset(articles)

    def should_fetch(self, url: str) -> bool:
        url = self.aliases.get(url, url)
        return (
            self.full or url not in self.known or self._in_window(url) or url in self.retry_articles
        )

    def keep_paging(self, urls: Iterable[str]) -> bool:
        """After a listing page showing these articles, is the next page worth a request?"""
        urls = [self.aliases.get(url, url) for url in urls]
        if self.full:
            return True
        return any(url not in self.known for url in urls) or (
            bool(urls) and all(self._in_window(url) for url in urls)
        )

    def _in_window(self, url: str) -> bool:
        known = self.known[url]
        anchor = known.published or known.first_seen
        return anchor is not None and anchor >= self.recheck_from


def plan_of(life: RunLifecycle, recheck_days: int) -> Plan:
    """The plan of a run, from what the state knew as it began (CSTOCRAWL_RECHECK_DAYS)."""
    recheck_from = life.run.today - timedelta(days=recheck_days)
    return Plan(life.known, recheck_from, life.run.full, tuple(life.retries), life.aliases)
