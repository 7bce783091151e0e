"""Say loudly, at the end of a crawl, when the site stopped yielding what we extract."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

EXTRACTION_PROBLEMS = ("missing_title", "missing_date", "missing_body")


def assess(stats: Mapping[str, Any], max_problem_ratio: float) -> list[str]:
    """Reasons to distrust a finished crawl, from its stats; empty when it looks healthy."""
    pages = stats.get("cstocrawl/listing/pages", 0)
    # Article pages parsed, written or not: an incremental run drops the unchanged ones.
    articles = stats.get("cstocrawl/article/pages", 0)
    if pages == 0:
        return ["no listing page was parsed"]
    failures = []
    if stats.get("cstocrawl/listing/entries", 0) == 0:
        failures.append(f"{pages} listing pages yielded no articles")
    elif empty := stats.get("cstocrawl/listing/empty", 0):
        failures.append(f"{empty} of {pages} listing pages showed no articles")
    for problem in EXTRACTION_PROBLEMS:
        count = stats.get(f"cstocrawl/problems/{problem}", 0)
        if articles and count / articles > max_problem_ratio:
            failures.append(
                f"{count} of {articles} articles had {problem}: the site's markup may have changed"
            )
    return failures


class HealthCheck:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.max_problem_ratio = crawler.settings.getfloat("CSTOCRAWL_MAX_PROBLEM_RATIO", 0.2)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HealthCheck:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, reason: str) -> None:
        failures = assess(self.stats.get_stats(), self.max_problem_ratio)
        for failure in failures:
            logger.error("Health check failed: %s", failure)
        self.stats.set_value("cstocrawl/health", "failed" if failures else "ok")
        self.stats.set_value("cstocrawl/health/failures", failures)
