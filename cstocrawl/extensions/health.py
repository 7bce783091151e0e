"""Say loudly, at the end of a crawl, when the site stopped yielding what we extract.

The run's end (cstocrawl/runs/extension.py) calls `check` before it judges the run.

A few articles without a title, date or body are held one by one (cstocrawl/runs/verdict.py), and
the run judged on how many were (cstocrawl/runs/outcome.py): they fail no run here. What fails it
here is confident nonsense: every article with the same title (a sidebar heading), dates taken from
a sidebar, bodies that shrank to a line, for most articles. Those show across articles, so the check
also looks at what every parsed article said.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler

from cstocrawl.exceptions import FailedFetch
from cstocrawl.items import Article
from cstocrawl.parsing.evidence import normalise
from cstocrawl.problems import Problem, problem_kind
from cstocrawl.runs.statkeys import (
    ARTICLE_PAGES,
    EVIDENCE_TITLED,
    HEALTH,
    HEALTH_FAILURES,
    LISTING_EMPTY,
    LISTING_ENTRIES,
    LISTING_PAGES,
    problem_key,
)
from cstocrawl.runs.verdict import too_many

# The parsers' normalisation without their cache: each article's title and summary is seen here
# once, and kept as the cache's key it made the crawl process grow with the run (issue 20).
_normalise = normalise.__wrapped__

logger = logging.getLogger(__name__)
_DIGITS_RE = re.compile(r"\d+")

# One title, date or body shared by more than this share of the articles (and by at least
# SHARED_MIN of them) is not the site's: real articles differ.
SHARED_SHARE = {"title": 0.2, "date": 0.5, "body": 0.2, "summary ending": 0.5}
SHARED_MIN = {"title": 3, "date": 5, "body": 3, "summary ending": 8}
# Teasers end in their own words, though many Russian ones end alike ("государств – членов
# ОДКБ."); the same last words around a number in most of them are the listing template's
# ("Views: 871"), read as part of every teaser.
SUMMARY_ENDING_WORDS = 2
# A body shorter than this (characters) is a fragment, not an article.
SHORT_BODY = 50


@dataclass
class Observed:
    """What the parsed articles said: enough to see that many of them said the same."""

    articles: int = 0
    short_bodies: int = 0
    # Pages dropped as failed fetches (an error page served with 200 in place of a known article):
    # what they lack says nothing of the markup.
    failed_fetches: int = 0
    failed_fetch_problems: Counter[str] = field(default_factory=Counter)
    shared: dict[str, Counter[str]] = field(
        default_factory=lambda: {name: Counter() for name in SHARED_SHARE}
    )

    def add(self, item: Article) -> None:
        text = item.text or ""
        self.articles += 1
        if len(text) < SHORT_BODY and not item.attachments:
            self.short_bodies += 1
        values = {
            "summary ending": _ending(item.summary or ""),
            "title": _normalise(item.title or ""),
            "date": item.published or "",
            "body": hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
            if text
            else "",
        }
        for name, value in values.items():
            if value:
                self.shared[name][value] += 1

    def failed_fetch(self, item: Article) -> None:
        self.failed_fetches += 1
        for problem in item.problems:
            self.failed_fetch_problems[problem_kind(problem)] += 1

    def failures(self, max_problem_ratio: float, minimum: int) -> list[str]:
        found = []
        for name, counts in self.shared.items():
            if not counts:
                continue
            value, count = counts.most_common(1)[0]
            if count >= SHARED_MIN[name] and count > SHARED_SHARE[name] * self.articles:
                shown = value if name != "body" else value[:12]
                found.append(
                    f"{count} of {self.articles} articles share one {name} ({shown!r}): "
                    "the extraction is reading a part of the page every article shows"
                )
        if too_many(self.short_bodies, self.articles, max_problem_ratio, minimum):
            found.append(
                f"{self.short_bodies} of {self.articles} articles have a body under "
                f"{SHORT_BODY} characters: the site's markup may have changed"
            )
        return found


def _ending(summary: str) -> str:
    """A summary's last words, numbers masked: "… the CSTO. Views: 871" gives "views: #"."""
    words = _DIGITS_RE.sub("#", _normalise(summary)).split()
    ending = " ".join(words[-SUMMARY_ENDING_WORDS:]) if len(words) > SUMMARY_ENDING_WORDS else ""
    return ending if "#" in ending else ""


def assess(
    stats: Mapping[str, Any],
    max_problem_ratio: float,
    observed: Observed | None = None,
    minimum: int = 5,
) -> list[str]:
    """Reasons to distrust a finished crawl, from its stats; empty when it looks healthy.
    `minimum` (CSTOCRAWL_MIN_DOUBTFUL): fewer articles than this never fail it."""
    pages = stats.get(LISTING_PAGES, 0)
    # Article pages parsed, written or not: an incremental run drops the unchanged ones; pages
    # that were failed fetches are not the parser's to answer for.
    discounted: Counter[str] = observed.failed_fetch_problems if observed else Counter()
    articles = stats.get(ARTICLE_PAGES, 0) - (
        observed.failed_fetches if observed else 0
    )
    if pages == 0:
        return ["no listing page was parsed"]
    failures = []
    if stats.get(LISTING_ENTRIES, 0) == 0:
        failures.append(f"{pages} listing pages yielded no articles")
    elif empty := stats.get(LISTING_EMPTY, 0):
        failures.append(f"{empty} of {pages} listing pages showed no articles")
    titled = stats.get(EVIDENCE_TITLED, 0)
    problem = Problem.TITLE_DISAGREES_WITH_LISTING
    wrong_titles = stats.get(problem_key(problem), 0) - discounted[problem]
    if too_many(wrong_titles, titled, max_problem_ratio, minimum):
        failures.append(
            f"{wrong_titles} of {titled} article titles disagree with their listing's link text"
        )
    wrong_lang = stats.get(problem_key(Problem.LANGUAGE_MISMATCH), 0)
    if too_many(wrong_lang, articles, max_problem_ratio, minimum):
        failures.append(
            f"{wrong_lang} of {articles} article pages are in another language than the run's: "
            "a mirror of the other language, or the wrong -a lang"
        )
    problem = Problem.DATE_DISAGREES_WITH_LISTING
    wrong_dates = stats.get(problem_key(problem), 0) - discounted[problem]
    if too_many(wrong_dates, articles, max_problem_ratio, minimum):
        failures.append(
            f"{wrong_dates} of {articles} article dates disagree with their listing's date"
        )
    if observed is not None:
        failures += observed.failures(max_problem_ratio, minimum)
    return failures


class HealthCheck:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.max_problem_ratio = crawler.settings.getfloat("CSTOCRAWL_MAX_PROBLEM_RATIO")
        self.minimum = crawler.settings.getint("CSTOCRAWL_MIN_DOUBTFUL", 5)
        self.observed = Observed()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HealthCheck:
        extension = cls(crawler)
        # Every parsed article, kept, dropped as unchanged or failed: all are the parser's output.
        for signal in (signals.item_scraped, signals.item_error):
            crawler.signals.connect(extension.item_seen, signal=signal)
        crawler.signals.connect(extension.item_dropped, signal=signals.item_dropped)
        return extension

    def item_seen(self, item: Article) -> None:
        self.observed.add(item)

    def item_dropped(self, item: Article, exception: BaseException) -> None:
        if isinstance(exception, FailedFetch):
            self.observed.failed_fetch(item)
        else:
            self.observed.add(item)

    def check(self) -> list[str]:
        """The run's health, in its stats (`cstocrawl/health`, `.../failures`); the failures."""
        assert self.stats is not None
        stats = self.stats.get_stats()
        failures = assess(stats, self.max_problem_ratio, self.observed, self.minimum)
        for failure in failures:
            logger.error("Health check failed: %s", failure)
        self.stats.set_value(HEALTH, "failed" if failures else "ok")
        self.stats.set_value(HEALTH_FAILURES, failures)
        return failures
