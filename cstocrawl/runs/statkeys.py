"""Every stat key a component sets and another reads, named once (and Scrapy's own keys the project
reads): the run is judged (outcome.py), checked (health) and recorded (manifest.py) from these, so a
misspelt key is a NameError, never a silent zero. tests/runs/test_statkeys.py fails on a bare key
string elsewhere in cstocrawl/.

Families (one key per kind or status) are built by the functions at the end.
"""

from __future__ import annotations

from typing import Final

# --- Scrapy's own keys -------------------------------------------------------------------------
FINISH_REASON: Final = "finish_reason"
ITEM_DROPPED_COUNT: Final = "item_dropped_count"
LOG_ERRORS: Final = "log_count/ERROR"
FILES_DOWNLOADED: Final = "file_status_count/downloaded"  # FilesPipeline's fetches this run
DOWNLOADER_EXCEPTIONS: Final = "downloader/exception_type_count/"  # + the exception's path
SERVER_ERRORS: Final = "downloader/response_status_count/5"  # + the rest of a 5xx status

# --- the run (cstocrawl/runs/extension.py, outcome.py) ------------------------------------------
OUTCOME: Final = "cstocrawl/outcome"  # the run's outcome line
DATASET: Final = "cstocrawl/dataset"  # the promoted dataset's path
LATEST_REPAIRED: Final = "cstocrawl/latest/repaired"  # why latest.jsonl was rebuilt at the start
STATE_PROMOTED: Final = "cstocrawl/state/promoted"
RETRY_LISTED: Final = "cstocrawl/retry/listed"  # pages and files earlier runs failed
RETRY_REQUESTED: Final = "cstocrawl/retry/requested"
RETRY_GIVEN_UP: Final = "cstocrawl/retry/given_up"  # ["<kind> <url>: <error>"]
RETRY_ATTACHMENT_ARTICLES: Final = "cstocrawl/retry/attachment_articles"

# --- the health check (cstocrawl/extensions/health.py) -------------------------------------------
HEALTH: Final = "cstocrawl/health"  # "ok" or "failed"
HEALTH_FAILURES: Final = "cstocrawl/health/failures"  # [why]

# --- listings and articles (cstocrawl/spiders/news.py) -------------------------------------------
LISTING_PAGES: Final = "cstocrawl/listing/pages"
LISTING_ENTRIES: Final = "cstocrawl/listing/entries"
LISTING_EMPTY: Final = "cstocrawl/listing/empty"
LISTING_NOT_HTML: Final = "cstocrawl/listing/not_html"
LISTING_DISCOVERED: Final = "cstocrawl/listing/discovered"
# Pages read for their links only: a parent section's page, a home tab, a static page found where
# a listing could be (cstocrawl/spiders/news.py).
DISCOVERY_PAGES: Final = "cstocrawl/discovery/pages"
LISTING_MAX_PAGES_REACHED: Final = "cstocrawl/listing/max_pages_reached"
ARTICLE_PAGES: Final = "cstocrawl/article/pages"
ARTICLE_NOT_HTML: Final = "cstocrawl/article/not_html"
ARTICLE_SECOND_OPINION: Final = "cstocrawl/article/second_opinion"
ARTICLE_CANONICAL_CONFIRMED: Final = "cstocrawl/article/canonical_confirmed"
ARTICLE_CANONICAL_IGNORED: Final = "cstocrawl/article/canonical_ignored"
EVIDENCE_TITLED: Final = "cstocrawl/evidence/titled"  # articles whose listing entry had a title
INCREMENTAL_SKIPPED: Final = "cstocrawl/incremental/skipped"
FAILED_LISTING: Final = "cstocrawl/failed/listing"
FAILED_ARTICLE: Final = "cstocrawl/failed/article"
FAILED_REDIRECT_OFFSITE: Final = "cstocrawl/failed/redirect_offsite"  # cstocrawl/middlewares.py
CANCELLED_LISTING: Final = "cstocrawl/cancelled/listing"
CANCELLED_ARTICLE: Final = "cstocrawl/cancelled/article"
REDIRECT_REVISITED: Final = "cstocrawl/redirect/revisited"  # cstocrawl/extensions/redirects.py

# --- the pipelines (cstocrawl/pipelines/) --------------------------------------------------------
SANITISED_ITEMS: Final = "cstocrawl/sanitised/items"
SANITISED_CHARACTERS: Final = "cstocrawl/sanitised/characters"
STATE_NEW: Final = "cstocrawl/state/new"
STATE_CHANGED: Final = "cstocrawl/state/changed"
STATE_UNCHANGED: Final = "cstocrawl/state/unchanged"
STATE_DROPPED: Final = "cstocrawl/state/dropped"
STATE_MERGED: Final = "cstocrawl/state/merged"
STATE_SPLIT: Final = "cstocrawl/state/split"
STATE_ALIAS_FETCHED: Final = "cstocrawl/state/alias_fetched"
FAILED_DOWNGRADED: Final = "cstocrawl/failed/downgraded"  # failed articles an older version covers
FAILED_ITEM: Final = "cstocrawl/failed/item"
FAILED_DATASET: Final = "cstocrawl/failed/dataset"  # the dataset write's error (a full disk)
INVALID: Final = "cstocrawl/invalid"  # articles the JSON Schema rejected
ITEMS_WRITTEN: Final = "cstocrawl/items_written"
ATTACHMENTS: Final = "cstocrawl/attachments"  # + "/<status>" (attachment_key)
ATTACHMENT_STATUSES: Final = ("stored", "failed", "unsupported")
ATTACHMENTS_FAILED: Final = "cstocrawl/attachments/failed"  # downloads and extractions that failed
ATTACHMENTS_DAMAGED: Final = "cstocrawl/attachments/damaged"
ATTACHMENTS_TRUNCATED: Final = "cstocrawl/attachments/truncated"
# Extractions that overran a limit an earlier run met too (cstocrawl/pipelines/attachments.py).
REMEMBERED_FAILURES: Final = "cstocrawl/attachments/failure_remembered"
# Texts read back from `<sha256>.text.json` rather than extracted again (the same pipeline).
KEPT_TEXTS: Final = "cstocrawl/attachments/text_kept"

# --- each article's verdict (cstocrawl/pipelines/verdict.py, cstocrawl/runs/verdict.py) -------
VERDICT_HELD_LIST: Final = "cstocrawl/verdict/held_articles"  # [{"url", "title", "reason"}]
VERDICT_FAILED_LIST: Final = "cstocrawl/verdict/failed_articles"
VERDICT_ACCEPTED: Final = "cstocrawl/verdict/accepted"
VERDICT_HELD: Final = "cstocrawl/verdict/held"
VERDICT_FAILED: Final = "cstocrawl/verdict/failed"
# Held or failed articles an earlier run failed too.
VERDICT_AGAIN: Final = "cstocrawl/verdict/again"
THINGS_FAILED: Final = "cstocrawl/verdict/things_failed"  # pages, files, items failed this run
THINGS_FAILED_AGAIN: Final = "cstocrawl/verdict/things_failed_again"  # ...earlier runs failed too
VERDICT_ATTACHMENTS: Final = "cstocrawl/verdict/attachments"  # attachments of the written articles
ATTACHMENTS_FAILED_AGAIN: Final = "cstocrawl/verdict/attachments_failed_again"

# --- WARC capture and re-extraction (cstocrawl/archive/) -----------------------------------------
WARC_FILES: Final = "cstocrawl/warc/files"
WARC_RECORDS: Final = "cstocrawl/warc/records"
WARC_RESPONSES: Final = "cstocrawl/warc/responses"
WARC_REVISITS: Final = "cstocrawl/warc/revisits"
WARC_BYTES: Final = "cstocrawl/warc/bytes"
WARC_FAILED: Final = "cstocrawl/warc/failed"
REPLAY_WARCS: Final = "cstocrawl/replay/warcs"
REPLAY_URLS: Final = "cstocrawl/replay/urls"
REPLAY_SERVED: Final = "cstocrawl/replay/served"
REPLAY_TORN: Final = "cstocrawl/replay/torn"
REPLAY_TOO_LARGE: Final = "cstocrawl/replay/too_large"
REPLAY_NOT_ARCHIVED: Final = "cstocrawl/replay/not_archived"
REPLAY_NOT_ARCHIVED_CLAIM: Final = "cstocrawl/replay/not_archived/claim"
REPLAY_OLDER_LISTINGS: Final = "cstocrawl/replay/older_listings"
REPLAY_UNLISTED_ARTICLES: Final = "cstocrawl/replay/unlisted_articles"


# --- families ----------------------------------------------------------------------------------
def problem_key(kind: str) -> str:
    """Articles with a problem of this kind (cstocrawl/problems.py)."""
    return f"cstocrawl/problems/{kind}"


def attachment_key(status: str) -> str:
    """Attachments by status (stored, failed, unsupported, and the reasons beside them)."""
    return f"{ATTACHMENTS}/{status}"


def failed_key(kind: str) -> str:
    """Pages of this kind (listing, article) lost: fetched or not, but not read."""
    return f"cstocrawl/failed/{kind}"


def cancelled_key(kind: str) -> str:
    """Pages of this kind not read because the crawl was stopping (SIGTERM, Ctrl-C)."""
    return f"cstocrawl/cancelled/{kind}"


def skipped_key(kind: str) -> str:
    """Pages of this kind robots.txt forbids (skipped, never a failure)."""
    return f"cstocrawl/skipped/{kind}"


def state_key(kind: str) -> str:
    """Articles by what the state said of them (new, changed, unchanged, ...)."""
    return f"cstocrawl/state/{kind}"


def not_archived_key(kind: str) -> str:
    """Requests of this kind a re-extraction's WARC files do not hold."""
    return f"{REPLAY_NOT_ARCHIVED}/{kind}"
