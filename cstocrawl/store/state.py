"""The crawl state in SQLite (`<output dir>/state.sqlite`): articles, attachments and runs.

What a run writes becomes "seen" in two steps, so a run that dies never marks an unwritten article:
1. While crawling, every article that reached the dataset file is recorded as a *pending* row of
   the run (`record`).
2. On a clean close the JSONL writer fsyncs `<run id>.jsonl.tmp` and renames it to `<run id>.jsonl`;
   only THEN are the run's pending rows promoted into `articles` and `attachments`, in one
   transaction (`promote`).
A kill before the rename leaves no final file and unpromoted rows: the next run discards them
(`begin_run`) and emits those articles again. A kill between rename and promote leaves a complete
file whose articles are still unknown: the next run emits them again. Either way an article may be
emitted twice across run files, never lost; `latest.jsonl` (one line per URL) is rebuilt from
`articles` and never holds a duplicate.

The retry list (`retries`) follows the same two steps: what a run failed (an article or listing
page lost after Scrapy's retries, an article that lost its content or broke a pipeline, an
attachment whose download failed) and what it fetched are pending outcomes of the run
(`record_outcome`), settled by the promotion: a failure adds a run to the URL's `attempts`, a
success removes it. The next runs fetch what the list holds, until `attempts` reaches the limit;
then it is given up (kept, `given_up = 1`, reported once).

`latest.jsonl` is rebuilt after the promotion, so a run killed (or a disk that filled up) between
the two leaves it stale: a promoted run records when `latest.jsonl` was rebuilt with its articles
(`runs.latest_at`, schema 4), and a promoted run without it (`latest_stale`) has the next run
rebuild `latest.jsonl` before anything else (cstocrawl/runs/extension.py).

Aliases (other URLs of a known article: one whose page declares the article's `<link
rel="canonical">`, or another spelling with the same content) follow the same two steps: pending
rows of the run (`record`, `record_alias`), made known by the promotion.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

SCHEMA_VERSION = 4
STATE_FILE = "state.sqlite"

Kind = Literal["new", "changed", "unchanged"]
RetryKind = Literal["article", "listing", "attachment"]

_SCHEMA = """
CREATE TABLE articles (
    url TEXT PRIMARY KEY,            -- canonical URL
    content_sha256 TEXT NOT NULL,
    published TEXT,                  -- ISO date, or NULL when the page showed none
    first_seen TEXT NOT NULL,        -- crawled_at of the first written version
    last_seen TEXT NOT NULL,         -- crawled_at of the last fetch, changed or not
    last_changed TEXT NOT NULL,      -- crawled_at of the last version with another hash
    item TEXT NOT NULL               -- the latest version, JSON, as in the dataset
);
CREATE TABLE attachments (
    url TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    path TEXT NOT NULL,              -- relative to the output directory
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL
);
CREATE TABLE runs (
    run_id TEXT PRIMARY KEY,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    mode TEXT NOT NULL,              -- 'incremental' | 'full'
    finish_reason TEXT,
    outcome TEXT NOT NULL,           -- 'running' | 'promoted' | 'discarded' | 'abandoned'
    counts TEXT                      -- JSON
);
CREATE TABLE pending (
    run_id TEXT NOT NULL REFERENCES runs (run_id),
    url TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('new', 'changed', 'unchanged')),
    content_sha256 TEXT NOT NULL,
    published TEXT,
    seen_at TEXT NOT NULL,
    item TEXT,                       -- NULL: fetched, unchanged and not written (incremental)
    PRIMARY KEY (run_id, url)
);
"""
# Version 2: the retry list.
_SCHEMA_2 = """
CREATE TABLE retries (
    url TEXT PRIMARY KEY,            -- canonical URL of what failed
    kind TEXT NOT NULL CHECK (kind IN ('article', 'listing', 'attachment')),
    article TEXT,                    -- an attachment's article
    summary TEXT,                    -- the article's listing teaser, for the request that retries
    attempts INTEGER NOT NULL,       -- runs that failed it since it last worked
    first_failed TEXT NOT NULL,
    last_failed TEXT NOT NULL,
    error TEXT,
    given_up INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE pending_outcomes (
    run_id TEXT NOT NULL REFERENCES runs (run_id),
    url TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('article', 'listing', 'attachment')),
    ok INTEGER NOT NULL,             -- 1: fetched, 0: failed
    article TEXT,
    summary TEXT,
    error TEXT,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (run_id, url)
);
"""
# Version 3: other URLs of one article.
_SCHEMA_3 = """
CREATE TABLE aliases (
    alias TEXT PRIMARY KEY,          -- canonical URL of another spelling of the article
    article TEXT NOT NULL,           -- the article's URL in `articles`
    first_seen TEXT NOT NULL
);
CREATE INDEX aliases_article ON aliases (article);
CREATE TABLE pending_aliases (
    run_id TEXT NOT NULL REFERENCES runs (run_id),
    alias TEXT NOT NULL,
    article TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (run_id, alias)
);
"""
# Version 4: when latest.jsonl was rebuilt with a promoted run's articles (NULL: not yet). Older
# code rebuilt it right after closing the run: a promoted run never closed (killed after its
# promotion) is the one it may lack.
_SCHEMA_4 = """
ALTER TABLE runs ADD COLUMN latest_at TEXT;
UPDATE runs SET latest_at = ended_at WHERE outcome = 'promoted'
"""
# The tables a state of each version has; a state missing one cannot be used (preflight refuses).
TABLES = {
    1: ("articles", "attachments", "runs", "pending"),
    2: ("retries", "pending_outcomes"),
    3: ("aliases", "pending_aliases"),
}


class StateError(Exception):
    """The state file cannot be used as it is (newer schema, reused run id)."""


@dataclass(frozen=True)
class Known:
    """What the state remembers of an article, enough to decide whether to fetch or emit it, and
    whether a fetched version lost what the stored one had (a transient error page)."""

    content_sha256: str
    published: date | None
    first_seen: date | None = None  # the crawler's own date: a page cannot lose it
    has_title: bool = True
    has_body: bool = True  # a text or an attachment
    text_chars: int = 0  # the stored text's length: a new one cut to a line is held (verdict.py)
    title: str | None = None  # an alias page with another title is another article (split)
    # crawled_at of the first version and of the last one with other content (the records say)
    first_seen_at: str | None = None
    last_changed_at: str | None = None


@dataclass(frozen=True)
class Retry:
    """An entry of the retry list: something a run failed that the next runs fetch again."""

    url: str
    kind: RetryKind
    article: str | None  # for an attachment, the article that links it
    summary: str | None
    attempts: int
    error: str | None
    given_up: bool = False


def state_path(output_dir: str | Path) -> Path:
    return Path(output_dir) / STATE_FILE


def kind_of(known: Known | None, content_sha256: str) -> Kind:
    if known is None:
        return "new"
    return "unchanged" if known.content_sha256 == content_sha256 else "changed"


class State:
    """One connection to the state file; every method that writes commits before returning,
    except `record`, whose rows wait for `flush` or the run's promotion."""

    def __init__(self, path: str | Path) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.given_up_now: list[Retry] = []  # what the last settlement gave up on
        self._db = sqlite3.connect(path, isolation_level=None)  # transactions are explicit
        self._db.execute("PRAGMA journal_mode = WAL")
        # FULL: a commit is on disk when it returns, also across a power cut.
        self._db.execute("PRAGMA synchronous = FULL")
        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.execute("PRAGMA busy_timeout = 10000")
        try:
            self._migrate()
        except BaseException:
            self._db.close()
            raise

    def __enter__(self) -> State:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def _migrate(self) -> None:
        with self._transaction():
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StateError(
                    f"state schema {version} is newer than this code's {SCHEMA_VERSION}"
                )
            if version < 1:
                self._script(_SCHEMA)
            if version < 2:
                self._script(_SCHEMA_2)
            if version < 3:
                self._script(_SCHEMA_3)
            if version < 4:
                self._script(_SCHEMA_4)
            if version < SCHEMA_VERSION:
                self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _script(self, script: str) -> None:
        for statement in script.split(";"):
            if statement.strip():
                self._db.execute(statement)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """Run the block in one transaction, taking the write lock at once (IMMEDIATE).

        Pending rows recorded before are committed with it: they need no disk sync of their own,
        since a run that dies before promoting has them discarded anyway.
        """
        if not self._db.in_transaction:
            self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _count(self, query: str) -> int:
        """The one number a query answers (a count, a pragma)."""
        return int(self._db.execute(query).fetchone()[0])

    @property
    def schema_version(self) -> int:
        return self._count("PRAGMA user_version")

    # --- reading ---

    def known_articles(self) -> dict[str, Known]:
        rows = self._db.execute(
            "SELECT url, content_sha256, published, first_seen,"
            " json_extract(item, '$.title') IS NOT NULL,"
            " coalesce(json_extract(item, '$.text'), '') != ''"
            "  OR coalesce(json_array_length(item, '$.attachments'), 0) > 0,"
            " length(coalesce(json_extract(item, '$.text'), '')), json_extract(item, '$.title'),"
            " last_changed"
            " FROM articles"
        )
        return {
            url: _known(sha, published, first_seen, bool(title), bool(body), chars, text, changed)
            for url, sha, published, first_seen, title, body, chars, text, changed in rows
        }

    def aliases(self) -> dict[str, str]:
        """Every known alias URL -> the URL of its article."""
        return dict(self._db.execute("SELECT alias, article FROM aliases"))

    def content_index(self) -> dict[tuple[str, str], str]:
        """(section, content_sha256) -> URL of the known articles a later spelling may repeat:
        those with a title and a body (error pages without them all hash alike)."""
        rows = self._db.execute(
            "SELECT json_extract(item, '$.section'), content_sha256, url FROM articles"
            " WHERE json_extract(item, '$.title') IS NOT NULL"
            " AND (coalesce(json_extract(item, '$.text'), '') != ''"
            "  OR coalesce(json_array_length(item, '$.attachments'), 0) > 0)"
            " ORDER BY first_seen DESC, url DESC"  # the oldest wins a tie
        )
        return {(section, sha): url for section, sha, url in rows}

    def article_count(self) -> int:
        return self._count("SELECT count(*) FROM articles")

    def latest_items(self) -> Iterator[str]:
        """The latest version of every article (JSON), newest publication first, with all the
        aliases ever recorded for it (sorted), whichever version first showed them, but those
        that split off as articles of their own."""
        # The URLs sorted, then each row read by its key: sorting the rows with their items made
        # SQLite's sorter hold megabytes at the run's end (docs/benchmarks.md, "Peak memory").
        order = [
            url
            for (url,) in self._db.execute(
                "SELECT url FROM articles ORDER BY published DESC NULLS LAST, url"
            )
        ]
        articles = set(order)
        for url in order:
            item, aliases, first_seen, last_changed = self._db.execute(
                "SELECT item, (SELECT json_group_array(alias) FROM"
                "  (SELECT alias FROM aliases WHERE article = ?1 ORDER BY alias)),"
                " first_seen, last_changed FROM articles WHERE url = ?1",
                (url,),
            ).fetchone()
            record = json.loads(item)
            known = set(record.get("aliases") or []) | set(json.loads(aliases))
            record["aliases"] = sorted(known - articles)
            # Every line as the state knows it now, whichever run wrote its version: when it was
            # first seen and last changed; no `change` (that is a run's), a stored file `stored`.
            record["first_seen"], record["last_changed"] = first_seen, last_changed
            record.pop("change", None)
            for attachment in record.get("attachments") or []:
                if attachment.get("status") == "downloaded":
                    attachment["status"] = "stored"
            yield json.dumps(record, ensure_ascii=False)

    def attachment(self, url: str) -> tuple[str, str] | None:
        """(sha256, path) of a stored attachment."""
        row = self._db.execute(
            "SELECT sha256, path FROM attachments WHERE url = ?", (url,)
        ).fetchone()
        return (row[0], row[1]) if row else None

    def run(self, run_id: str) -> dict[str, Any] | None:
        cursor = self._db.execute("SELECT * FROM runs WHERE run_id = ?", (run_id,))
        row = cursor.fetchone()
        if row is None:
            return None
        run = dict(zip([column[0] for column in cursor.description], row, strict=True))
        run["counts"] = json.loads(run["counts"]) if run["counts"] else None
        return run

    def latest_stale(self) -> list[str]:
        """The promoted runs whose articles `latest.jsonl` may lack: it was never rebuilt after
        them (the run was killed, or the write failed, after its promotion)."""
        rows = self._db.execute(
            "SELECT run_id FROM runs WHERE outcome = 'promoted' AND latest_at IS NULL"
            " ORDER BY run_id"
        )
        return [row[0] for row in rows]

    def run_failures(self, run_id: str) -> list[tuple[str, str, str | None]]:
        """What the run failed so far and did not fetch after all: (kind, url, error). Read before
        the run is promoted or discarded, which settle them into the retry list."""
        rows = self._db.execute(
            "SELECT kind, url, error FROM pending_outcomes WHERE run_id = ?1 AND ok = 0"
            " AND url NOT IN (SELECT url FROM pending WHERE run_id = ?1) ORDER BY kind, url",
            (run_id,),
        )
        return [(kind, url, error) for kind, url, error in rows]

    def run_changes(self, run_id: str) -> dict[str, str]:
        """The run's written articles so far, new or changed, by URL (read before it is settled)."""
        rows = self._db.execute(
            "SELECT url, kind FROM pending WHERE run_id = ? AND item IS NOT NULL", (run_id,)
        )
        return dict(rows.fetchall())

    def pending_count(self) -> int:
        return self._count("SELECT count(*) FROM pending")

    def retries(self, *, given_up: bool = False) -> list[Retry]:
        """The retry list: what the next run fetches again (or, given_up, what it gave up on).
        An attachment is listed once for every article whose stored version has it failed."""
        rows = self._db.execute(
            "SELECT url, kind, article, summary, attempts, error, given_up FROM retries"
            " WHERE given_up = ? ORDER BY kind, url",
            (int(given_up),),
        )
        listed = [_retry(row) for row in rows]
        return listed if given_up else listed + self._sharing_articles()

    def _sharing_articles(self) -> list[Retry]:
        """Other articles that link a failed attachment and kept it failed: the file is on the
        retry list for one article only (its key is the URL), or another article fetched it
        since. Each must be fetched again to get the file back."""
        rows = self._db.execute(
            "SELECT DISTINCT json_extract(file.value, '$.url') AS file_url, articles.url,"
            "  json_extract(articles.item, '$.summary'), coalesce(retries.attempts, 0),"
            "  coalesce(retries.error, 'stored since, through another article')"
            " FROM articles, json_each(articles.item, '$.attachments') AS file"
            " LEFT JOIN retries ON retries.url = json_extract(file.value, '$.url')"
            " WHERE json_extract(file.value, '$.status') = 'failed'"
            "  AND json_extract(file.value, '$.path') IS NULL"
            "  AND (retries.given_up = 0 AND retries.article IS NOT articles.url"
            "   OR retries.url IS NULL AND json_extract(file.value, '$.url') IN"
            "    (SELECT url FROM attachments))"
            " ORDER BY file_url, articles.url"
        )
        return [
            Retry(url, "attachment", article, summary, attempts, error)
            for url, article, summary, attempts, error in rows
        ]

    # --- one run ---

    def begin_run(self, run_id: str, started_at: str, mode: str) -> list[str]:
        """Register a run; discard what runs that never closed left pending. Their ids."""
        with self._transaction():
            if self._db.execute("SELECT 1 FROM runs WHERE run_id = ?", (run_id,)).fetchone():
                raise StateError(f"run id {run_id!r} was already used")
            abandoned = [
                row[0]
                for row in self._db.execute("SELECT run_id FROM runs WHERE outcome = 'running'")
            ]
            self._db.execute("DELETE FROM pending")
            self._db.execute("DELETE FROM pending_outcomes")
            self._db.execute("DELETE FROM pending_aliases")
            self._db.execute("UPDATE runs SET outcome = 'abandoned' WHERE outcome = 'running'")
            self._db.execute(
                "INSERT INTO runs (run_id, started_at, mode, outcome) VALUES (?, ?, ?, 'running')",
                (run_id, started_at, mode),
            )
        return abandoned

    def record(
        self, run_id: str, item: dict[str, Any], kind: Kind, *, written: bool = True
    ) -> None:
        """An article this run fetched: written to the dataset file, or (not written) unchanged;
        its `aliases` with it. Left uncommitted until `flush` or the promotion: one disk sync per
        run, not per article.
        """
        for alias in item.get("aliases") or ():
            self.record_alias(run_id, alias, item["url"], item["crawled_at"])
        if not self._db.in_transaction:
            self._db.execute("BEGIN IMMEDIATE")
        self._db.execute(
            "INSERT OR REPLACE INTO pending"
            " (run_id, url, kind, content_sha256, published, seen_at, item)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                run_id,
                item["url"],
                kind,
                item["content_sha256"],
                item["published"],
                item["crawled_at"],
                json.dumps(item, ensure_ascii=False) if written else None,
            ),
        )

    def record_alias(self, run_id: str, alias: str, article: str, seen_at: str) -> None:
        """Another URL of `article` this run met; known once the run is promoted. Uncommitted,
        like `record`."""
        if alias == article:
            return
        if not self._db.in_transaction:
            self._db.execute("BEGIN IMMEDIATE")
        self._db.execute(
            "INSERT OR REPLACE INTO pending_aliases (run_id, alias, article, seen_at)"
            " VALUES (?, ?, ?, ?)",
            (run_id, alias, article, seen_at),
        )

    def record_outcome(
        self,
        run_id: str,
        url: str,
        kind: RetryKind,
        *,
        ok: bool,
        seen_at: str,
        article: str | None = None,
        summary: str | None = None,
        error: str | None = None,
    ) -> None:
        """This run fetched (ok) or failed `url`; settled into the retry list by the promotion.
        A success in the run outweighs a failure of the same URL. Uncommitted, like `record`."""
        if not self._db.in_transaction:
            self._db.execute("BEGIN IMMEDIATE")
        self._db.execute(
            "INSERT INTO pending_outcomes"
            " (run_id, url, kind, ok, article, summary, error, seen_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (run_id, url) DO UPDATE SET ok = max(ok, excluded.ok),"
            "  error = CASE WHEN max(ok, excluded.ok) THEN NULL ELSE excluded.error END",
            (run_id, url, kind, int(ok), article, summary, error, seen_at),
        )

    def flush(self) -> None:
        """Commit what `record` left pending, releasing the write lock for other connections."""
        if self._db.in_transaction:
            self._db.execute("COMMIT")

    def promote(self, run_id: str, max_attempts: int = 3) -> int:
        """Make the run's pending rows the known state, in one transaction; how many articles.
        The retry list is settled with them; what it gave up on now is left in `given_up_now`."""
        self.given_up_now = []
        with self._transaction():
            rows = self._db.execute(
                "SELECT url, content_sha256, published, seen_at, item FROM pending"
                " WHERE run_id = ?",
                (run_id,),
            )
            promoted = 0
            for url, sha, published, seen_at, item in rows:  # streamed: no run held in memory
                promoted += 1
                self._db.execute("DELETE FROM retries WHERE url = ?", (url,))  # fetched
                # An alias written as an article of its own split off (pipelines/state.py).
                self._db.execute("DELETE FROM aliases WHERE alias = ?", (url,))
                if item is None:
                    self._db.execute(
                        "UPDATE articles SET last_seen = ? WHERE url = ?", (seen_at, url)
                    )
                    continue
                self._db.execute(
                    "INSERT INTO articles"
                    " (url, content_sha256, published, first_seen, last_seen, last_changed, item)"
                    " VALUES (?1, ?2, ?3, ?4, ?4, ?4, ?5)"
                    " ON CONFLICT (url) DO UPDATE SET"
                    "  last_changed = CASE WHEN content_sha256 = excluded.content_sha256"
                    "   THEN last_changed ELSE excluded.last_seen END,"
                    "  content_sha256 = excluded.content_sha256,"
                    "  published = excluded.published,"
                    "  last_seen = excluded.last_seen,"
                    "  item = excluded.item",
                    (url, sha, published, seen_at, item),
                )
                record = json.loads(item)
                for attachment in record["attachments"]:
                    if attachment.get("sha256") and attachment.get("path"):
                        self._record_attachment(attachment, seen_at)
                    self._attachment_outcome(run_id, record, attachment, seen_at)
            self._promote_aliases(run_id)
            self._settle_retries(run_id, max_attempts)
            self._db.execute("DELETE FROM pending WHERE run_id = ?", (run_id,))
            self._db.execute("UPDATE runs SET outcome = 'promoted' WHERE run_id = ?", (run_id,))
        return promoted

    def _promote_aliases(self, run_id: str) -> None:
        """The run's aliases become known; a URL that is an article of its own stays one. An
        alias was fetched: off the retry list, like its article."""
        self._db.execute(
            "DELETE FROM retries WHERE url IN (SELECT alias FROM pending_aliases WHERE run_id = ?)",
            (run_id,),
        )
        self._db.execute(
            "INSERT INTO aliases (alias, article, first_seen)"
            " SELECT alias, article, seen_at FROM pending_aliases"
            " WHERE run_id = ? AND alias NOT IN (SELECT url FROM articles)"
            " ON CONFLICT (alias) DO UPDATE SET article = excluded.article",
            (run_id,),
        )
        self._db.execute("DELETE FROM pending_aliases WHERE run_id = ?", (run_id,))

    def _attachment_outcome(
        self, run_id: str, record: dict[str, Any], attachment: dict[str, Any], seen_at: str
    ) -> None:
        """A download that failed is retried; a stored file is not (its bytes will not change)."""
        failed = attachment.get("status") == "failed" and not attachment.get("path")
        self.record_outcome(
            run_id,
            attachment["url"],
            "attachment",
            ok=not failed,
            seen_at=seen_at,
            article=record["url"],
            summary=record.get("summary"),
            error=attachment.get("error"),
        )

    def settle_failures(self, run_id: str, max_attempts: int = 3) -> list[Retry]:
        """For a run that is not promoted: its failures still join the retry list (what it lost
        is worth fetching again), its successes count for nothing. What it gave up on now."""
        with self._transaction():
            self._failed_attachments(run_id)
            self._add_failures(run_id, max_attempts)
        return self.given_up_now

    def _failed_attachments(self, run_id: str) -> None:
        """The failed downloads of a discarded run's articles, as its outcomes: the next run,
        which fetches those articles again, knows the files failed before (listed, judged once)."""
        rows = self._db.execute(
            "SELECT seen_at, item FROM pending WHERE run_id = ? AND item IS NOT NULL", (run_id,)
        )
        for seen_at, item in rows.fetchall():
            record = json.loads(item)
            for attachment in record.get("attachments") or ():
                if attachment.get("status") == "failed" and not attachment.get("path"):
                    self._attachment_outcome(run_id, record, attachment, seen_at)

    def _settle_retries(self, run_id: str, max_attempts: int) -> None:
        """The run's outcomes into the retry list: a success removes, a failure counts a run."""
        self._db.execute(
            "DELETE FROM retries WHERE url IN"
            " (SELECT url FROM pending_outcomes WHERE run_id = ? AND ok = 1)",
            (run_id,),
        )
        self._add_failures(run_id, max_attempts)

    def _add_failures(self, run_id: str, max_attempts: int) -> None:
        self._db.execute(
            "INSERT INTO retries"
            " (url, kind, article, summary, attempts, first_failed, last_failed, error, given_up)"
            " SELECT url, kind, article, summary, 1, seen_at, seen_at, error, 1 >= ?2"
            " FROM pending_outcomes WHERE run_id = ?1 AND ok = 0"
            "  AND url NOT IN (SELECT url FROM pending WHERE run_id = ?1)"
            " ON CONFLICT (url) DO UPDATE SET"
            "  kind = excluded.kind,"
            "  article = coalesce(excluded.article, article),"
            "  summary = coalesce(excluded.summary, summary),"
            "  attempts = attempts + 1,"
            "  last_failed = excluded.last_failed,"
            "  error = excluded.error,"
            "  given_up = attempts + 1 >= ?2",
            (run_id, max_attempts),
        )
        rows = self._db.execute(
            "SELECT url, kind, article, summary, attempts, error, given_up FROM retries"
            " WHERE given_up = 1 AND attempts = ?2 AND url IN"
            " (SELECT url FROM pending_outcomes WHERE run_id = ?1 AND ok = 0)",
            (run_id, max_attempts),
        )
        self.given_up_now = [_retry(row) for row in rows]
        self._db.execute("DELETE FROM pending_outcomes WHERE run_id = ?", (run_id,))

    def _record_attachment(self, attachment: dict[str, Any], seen_at: str) -> None:
        self._db.execute(
            "INSERT INTO attachments (url, sha256, path, first_seen, last_seen)"
            " VALUES (?1, ?2, ?3, ?4, ?4)"
            " ON CONFLICT (url) DO UPDATE SET"
            "  sha256 = excluded.sha256, path = excluded.path, last_seen = excluded.last_seen",
            (attachment["url"], attachment["sha256"], attachment["path"], seen_at),
        )

    def finish_run(
        self, run_id: str, ended_at: str, finish_reason: str | None, counts: dict[str, int]
    ) -> str:
        """Close the run's record; a run that was not promoted is discarded. Its outcome."""
        with self._transaction():
            self._db.execute("DELETE FROM pending WHERE run_id = ?", (run_id,))
            self._db.execute("DELETE FROM pending_outcomes WHERE run_id = ?", (run_id,))
            self._db.execute("DELETE FROM pending_aliases WHERE run_id = ?", (run_id,))
            self._db.execute(
                "UPDATE runs SET ended_at = ?, finish_reason = ?, counts = ?,"
                " outcome = CASE outcome WHEN 'promoted' THEN 'promoted' ELSE 'discarded' END"
                " WHERE run_id = ?",
                (ended_at, finish_reason, json.dumps(counts, sort_keys=True), run_id),
            )
            row = self._db.execute(
                "SELECT outcome FROM runs WHERE run_id = ?", (run_id,)
            ).fetchone()
        return row[0] if row else "unknown"

    def latest_rebuilt(self, at: str) -> None:
        """`latest.jsonl` was renamed into place with every promoted run's articles."""
        with self._transaction():
            self._db.execute(
                "UPDATE runs SET latest_at = ? WHERE outcome = 'promoted' AND latest_at IS NULL",
                (at,),
            )


def _retry(row: tuple[Any, ...]) -> Retry:
    """A retry list row: url, kind, article, summary, attempts, error, given_up."""
    url, kind, article, summary, attempts, error, given_up = row
    return Retry(url, kind, article, summary, attempts, error, given_up=bool(given_up))


def _known(
    content_sha256: str,
    published: str | None,
    first_seen: str,
    has_title: bool,
    has_body: bool,
    text_chars: int,
    title: str | None,
    last_changed: str,
) -> Known:
    return Known(
        content_sha256,
        date.fromisoformat(published) if published else None,
        _date_of(first_seen),
        has_title,
        has_body,
        text_chars,
        title,
        first_seen,
        last_changed,
    )


def _date_of(timestamp: str) -> date | None:
    """The date of an ISO timestamp (`crawled_at`), or None when it is not one."""
    try:
        return date.fromisoformat(timestamp[:10])
    except ValueError:
        return None


def lost_fields(known: Known | None, item: Mapping[str, Any]) -> list[str]:
    """What a fetched version lacks that the stored one had: title, date, body. A page that lost
    them is an error page served with HTTP 200 (maintenance, a broken template), not an edit."""
    if known is None:
        return []
    lost = []
    if known.has_title and not item.get("title"):
        lost.append("title")
    if known.published is not None and not item.get("published"):
        lost.append("date")
    if known.has_body and not (item.get("text") or item.get("attachments")):
        lost.append("body")
    return lost
