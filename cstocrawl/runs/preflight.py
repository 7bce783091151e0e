"""Checks a run passes before anything is created: arguments, settings, the output dir, the state.

`check_run` needs nothing on disk and creates nothing; `check_state` reads an existing state file
(called once the lock is held). Both raise `Refused` with one line and the exit code it earns.
"""

from __future__ import annotations

import difflib
import json
import logging
import re
import sqlite3
import tempfile
from collections.abc import Callable, Mapping
from contextlib import closing
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from scrapy import Spider
from scrapy.settings import BaseSettings
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.misc import load_object

from cstocrawl import settings as project
from cstocrawl.runs.lock import acquire
from cstocrawl.runs.outcome import Exit, Refused
from cstocrawl.runs.run import LOGS_DIR, NEWS_DIR, RunFiles, output_dir
from cstocrawl.site import CSTO, Site
from cstocrawl.store.state import SCHEMA_VERSION, TABLES, state_path

PREFIX = "CSTOCRAWL_"


@dataclass(frozen=True)
class Rule:
    """What a setting's value must be: `kind` (int, float, bool, level, date) within a range."""

    kind: str
    minimum: float | None = None
    maximum: float | None = None

    def expected(self) -> str:
        if self.kind == "bool":
            return "expected True or False (or 1 or 0)"
        if self.kind == "level":
            return "expected one of " + ", ".join(LOG_LEVELS)
        if self.kind == "date":
            return "expected a date, YYYY-MM-DD"
        what = "a whole number" if self.kind == "int" else "a number"
        if self.maximum is not None:
            return f"expected {what} from {self.minimum:g} to {self.maximum:g}"
        return f"expected {what} of at least {self.minimum:g}"

    def accepts(self, settings: BaseSettings, name: str) -> bool:
        """Read as the code reads it (Scrapy's own getters), then the range."""
        try:
            value: float = READERS[self.kind](settings, name)
        except (TypeError, ValueError):
            return False
        if self.minimum is not None and value < self.minimum:
            return False
        return self.maximum is None or value <= self.maximum


LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")


def _level(settings: BaseSettings, name: str) -> int:
    value = settings.get(name)
    if not isinstance(value, int) and value not in logging.getLevelNamesMapping():
        raise ValueError(value)  # what logging's setLevel refuses, as Scrapy passes it on
    return 0


def _date(settings: BaseSettings, name: str) -> int:
    date.fromisoformat(settings.get(name))
    return 0


READERS: dict[str, Callable[[BaseSettings, str], float]] = {
    "int": BaseSettings.getint,
    "float": BaseSettings.getfloat,
    "bool": BaseSettings.getbool,
    "level": _level,
    "date": _date,
}

# Every setting whose value the crawl reads, project's and Scrapy's, with what it must be; an
# empty CSTOCRAWL_TODAY means today. CSTOCRAWL_OUTPUT_DIR and CSTOCRAWL_RUN_ID are checked below.
RULES = {
    "CSTOCRAWL_MAX_PAGES": Rule("int", 1),
    "CSTOCRAWL_RECHECK_DAYS": Rule("int", 0),
    "CSTOCRAWL_TODAY": Rule("date"),
    "CSTOCRAWL_RETRY_RUNS": Rule("int", 1),
    "CSTOCRAWL_MAX_PROBLEM_RATIO": Rule("float", 0, 1),
    "CSTOCRAWL_MAX_DOUBT_SHARE": Rule("float", 0, 1),
    "CSTOCRAWL_MIN_DOUBTFUL": Rule("int", 0),
    "CSTOCRAWL_MAX_ATTACHMENT_FAILURE_RATIO": Rule("float", 0, 1),
    "CSTOCRAWL_WORKERS": Rule("int", 0),
    "CSTOCRAWL_ATTACHMENT_WORKERS": Rule("int", 1),
    "CSTOCRAWL_GC_THRESHOLD": Rule("int", 0),
    "CSTOCRAWL_PAGE_TIMEOUT": Rule("float", 0),
    "CSTOCRAWL_ATTACHMENT_MAXSIZE": Rule("int", 1),
    "CSTOCRAWL_ATTACHMENT_MAX_UNCOMPRESSED": Rule("int", 1),
    "CSTOCRAWL_ATTACHMENT_TIMEOUT": Rule("float", 0),
    "CSTOCRAWL_ATTACHMENT_MAX_MEMORY": Rule("int", 0),
    "CSTOCRAWL_ATTACHMENT_MAX_CHARS": Rule("int", 0),
    "CSTOCRAWL_WARC": Rule("bool"),
    "CSTOCRAWL_WARC_MAX_SIZE": Rule("int", 0),
    "CSTOCRAWL_WARC_ATTACHMENTS": Rule("bool"),
    "CSTOCRAWL_MIX_SOURCES": Rule("bool"),
    "LOG_LEVEL": Rule("level"),
    "LOG_ENABLED": Rule("bool"),
    "ROBOTSTXT_OBEY": Rule("bool"),
    "CONCURRENT_REQUESTS": Rule("int", 1),
    "CONCURRENT_REQUESTS_PER_DOMAIN": Rule("int", 1),
    "CONCURRENT_ITEMS": Rule("int", 1),
    "DOWNLOAD_DELAY": Rule("float", 0),
    "DOWNLOAD_TIMEOUT": Rule("float", 0.001),
    "DOWNLOAD_MAXSIZE": Rule("int", 0),
    "DOWNLOAD_WARNSIZE": Rule("int", 0),
    "AUTOTHROTTLE_ENABLED": Rule("bool"),
    "AUTOTHROTTLE_START_DELAY": Rule("float", 0),
    "AUTOTHROTTLE_MAX_DELAY": Rule("float", 0),
    "AUTOTHROTTLE_TARGET_CONCURRENCY": Rule("float", 0.001),
    "RETRY_ENABLED": Rule("bool"),
    "RETRY_TIMES": Rule("int", 0),
    "FILES_EXPIRES": Rule("int", 0),
    "MEDIA_ALLOW_REDIRECTS": Rule("bool"),
}

# Settings that name classes by import path: a typo would fail the crawl's start with a traceback.
COMPONENT_SETTINGS = (
    "EXTENSIONS",
    "ITEM_PIPELINES",
    "DOWNLOADER_MIDDLEWARES",
    "SPIDER_MIDDLEWARES",
)


def check_components(settings: BaseSettings) -> None:
    """Every component a setting names (and does not turn off) can be imported."""
    for name in COMPONENT_SETTINGS:
        for path, order in settings.getdict(name).items():
            if order is None or not isinstance(path, str):
                continue
            try:
                load_object(path)
            except (ImportError, AttributeError, ValueError, NameError) as error:
                raise Refused(Exit.USAGE, f"-s {name}: cannot load {path} ({error})") from None


# Settings an earlier version had, and what took their place: a crontab may still pass them.
REMOVED = {
    "CSTOCRAWL_MAX_ERRORS": "runs are judged on the share of articles, pages and files that "
    "failed or were held: CSTOCRAWL_MAX_DOUBT_SHARE and CSTOCRAWL_MIN_DOUBTFUL "
    "(docs/operations.md)",
}


def check_names(settings: BaseSettings) -> None:
    """A CSTOCRAWL_ name the project does not define is a typo: refused, with the closest one."""
    known = [name for name in vars(project) if name.startswith(PREFIX)]
    for name in sorted(settings):
        if name in REMOVED:
            raise Refused(Exit.USAGE, f"setting {name} was removed: {REMOVED[name]}")
        if name.startswith(PREFIX) and name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"; did you mean {close[0]}?" if close else f"; known: {', '.join(known)}"
            raise Refused(Exit.USAGE, f"unknown setting {name}{hint}")


def check_settings(settings: BaseSettings) -> None:
    """Names, components, then every value in RULES as the crawl will read it."""
    check_names(settings)
    check_components(settings)
    for name, rule in RULES.items():
        value = settings.get(name)
        if value is None or (value == "" and rule.kind == "date"):
            continue  # not set: the code's default applies
        if not rule.accepts(settings, name):
            raise Refused(Exit.USAGE, f"-s {name}={value}: {rule.expected()}")


def check_run_id(settings: BaseSettings, directory: Path) -> None:
    """A run id given with -s names files: a plain name, never one a run already used."""
    run_id = settings.get("CSTOCRAWL_RUN_ID")
    if not run_id:
        return
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", run_id):
        raise Refused(
            Exit.USAGE, f"-s CSTOCRAWL_RUN_ID={run_id}: expected letters, digits, '_', '.', '-'"
        )
    files = RunFiles(directory, run_id)
    if files.taken():
        raise Refused(
            Exit.USAGE, f"-s CSTOCRAWL_RUN_ID={run_id}: a run of that id is in {files.news} already"
        )


def check_writable(directory: Path) -> None:
    """Refused(OUTPUT) unless `directory` is, or can be made, a directory we can write in."""
    if directory.exists() and not directory.is_dir():
        raise Refused(Exit.OUTPUT, f"output dir {directory} is not a directory")
    existing = directory
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise Refused(
            Exit.OUTPUT, f"output dir {directory} cannot be created: {existing} is a file"
        )
    probes = [existing] + [
        existing / name for name in (NEWS_DIR, LOGS_DIR) if directory == existing
    ]
    for probe in probes:
        if not probe.exists():
            continue
        try:  # a real attempt: permissions, read-only mounts and root all answer truthfully
            tempfile.TemporaryFile(dir=probe).close()
        except OSError as error:
            reason = error.strerror or type(error).__name__
            raise Refused(
                Exit.OUTPUT, f"output dir {directory} is not writable ({probe}: {reason})"
            ) from None


def check_run(
    spidercls: type[Spider], arguments: Mapping[str, str], settings: BaseSettings
) -> object:
    """Everything that can be checked without creating anything; the spider's parsed arguments."""
    check_arguments = getattr(spidercls, "check_arguments", None)
    parsed: object = None
    if check_arguments is not None:
        try:
            parsed = check_arguments(arguments)
        except ValueError as error:
            raise Refused(Exit.USAGE, str(error)) from None
    check_settings(settings)
    check_writable(output_dir(settings))
    check_run_id(settings, output_dir(settings))
    return parsed


def check_state(directory: Path, lang: str | None, host: str | None = None) -> None:
    """Refused unless the state file is readable and holds no other language's articles, nor
    (given `host`, the official host crawled) another site's."""
    path = state_path(directory)
    if not path.exists():
        return
    try:
        with closing(sqlite3.connect(path)) as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise Refused(
                    Exit.STATE,
                    f"{path} was written by a newer cstocrawl (state schema {version}; this one "
                    f"reads up to {SCHEMA_VERSION}): run the newer version, or restore a backup "
                    "made before the upgrade",
                )
            # Every page read once: a damaged file is told now, not by a crash mid-run.
            problems = db.execute("PRAGMA quick_check").fetchall()
            if problems != [("ok",)]:
                raise sqlite3.DatabaseError(f"damaged: {problems[0][0]}")
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
            if missing := _missing_tables(version, tables):
                raise sqlite3.DatabaseError(f"not a cstocrawl state of schema {version}: {missing}")
            langs, elsewhere = set(), None
            if "articles" in tables:
                rows = db.execute("SELECT DISTINCT json_extract(item, '$.lang') FROM articles")
                langs = {row[0] for row in rows}
                if host is not None:
                    elsewhere = db.execute(
                        "SELECT json_extract(item, '$.url') FROM articles"
                        " WHERE json_extract(item, '$.url') NOT LIKE ? LIMIT 1",
                        (f"https://{host}/%",),
                    ).fetchone()
    except sqlite3.Error as error:
        raise Refused(
            Exit.STATE,
            f"{path} is unreadable ({error}): restore it from a backup, or move it aside to "
            "start afresh (the next run then fetches the whole site again)",
        ) from None
    other = sorted(str(found) for found in langs - {lang, None})
    if lang is not None and other:
        raise Refused(
            Exit.USAGE,
            f"{directory} holds the crawl state of lang={','.join(other)}; give lang={lang} an "
            f"output dir of its own, e.g. -s CSTOCRAWL_OUTPUT_DIR={directory / lang}",
        )
    if elsewhere is not None and host is not None:
        raise Refused(
            Exit.USAGE,
            f"{directory} holds the crawl state of another site ({urlsplit(elsewhere[0]).netloc});"
            f" give {host} an output dir of its own, e.g."
            f" -s CSTOCRAWL_OUTPUT_DIR={directory / host.split('.')[0]}",
        )


def _missing_tables(version: int, tables: set[str]) -> str | None:
    """What a state of `version` lacks, in a few words; a file of version 0 must be empty."""
    if version == 0:
        return f"{len(tables)} tables of something else" if tables else None
    expected = [name for since, names in TABLES.items() if since <= version for name in names]
    missing = [name for name in expected if name not in tables]
    return f"no table {', '.join(missing)}" if missing else None


def recorded_source(directory: Path) -> dict[str, Any] | None:
    """The source of the output dir's last promoted run that recorded one (manifests newest
    first), or None: what the dir's datasets hold."""
    manifests = sorted((directory / NEWS_DIR).glob("*.manifest.json"), key=_mtime, reverse=True)
    for path in manifests:
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        promoted = manifest.get("state", {}).get("outcome") == "promoted"
        if promoted and isinstance(source := manifest.get("source"), dict):
            return source
    return None


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def check_source(directory: Path, parsed: object, settings: BaseSettings) -> None:
    """Refused unless the run crawls the kind of source (official site or mirror) the dir holds,
    or CSTOCRAWL_MIX_SOURCES says to mix them."""
    recorded = recorded_source(directory)
    if recorded is None or settings.getbool("CSTOCRAWL_MIX_SOURCES"):
        return
    site = _site(parsed)
    official = site.fetch_origin == site.official_origin
    if bool(recorded.get("official")) == official:
        return
    held = "the official site's" if recorded.get("official") else "a mirror's"
    crawled = "the official site" if official else f"the mirror {site.fetch_origin}"
    raise Refused(
        Exit.USAGE,
        f"{directory} holds {held} pages ({recorded.get('base_url')}) and this run crawls "
        f"{crawled}: give it an output dir of its own, or -s CSTOCRAWL_MIX_SOURCES=True",
    )


def _site(parsed: object) -> Site:
    """The site a run's parsed spider arguments crawl (the CSTO site for Scrapy's own spiders)."""
    return Site(
        getattr(parsed, "lang", "en"), getattr(parsed, "base_url", None),
        getattr(parsed, "portal", CSTO),
    )  # fmt: skip


def prepare_run(
    settings: BaseSettings, spider: str, arguments: Mapping[str, str], prog: str
) -> tuple[IO[str], object]:
    """All checks, then the output dir's lock (held while the file is open) and the spider's
    parsed arguments; Refused, with nothing created, when a check fails."""
    try:
        spidercls = get_spider_loader(settings).load(spider)
    except KeyError:
        known = ", ".join(get_spider_loader(settings).list())
        raise Refused(Exit.USAGE, f"no spider named {spider!r}; known: {known}") from None
    spidercls.update_settings(settings)  # a sister site's spider names its own output dir
    parsed = check_run(spidercls, arguments, settings)
    directory = output_dir(settings)
    lock = acquire(directory, prog)
    try:
        check_state(directory, getattr(parsed, "lang", None), _site(parsed).official_host)
        check_source(directory, parsed, settings)
    except Refused:
        lock.close()
        raise
    return lock, parsed
