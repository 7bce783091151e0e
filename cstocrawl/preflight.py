"""Checks a run passes before anything is created: arguments, settings, the output dir, the state.

`check_run` needs nothing on disk and creates nothing; `check_state` reads an existing state file
(called once the lock is held). Both raise `Refused` with one line and the exit code it earns.
"""

from __future__ import annotations

import re
import sqlite3
import tempfile
from collections.abc import Mapping
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import IO

from scrapy import Spider
from scrapy.settings import BaseSettings
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.misc import load_object

from cstocrawl.lock import acquire
from cstocrawl.outcome import Exit, Refused
from cstocrawl.run import LOGS_DIR, NEWS_DIR, RunFiles, output_dir
from cstocrawl.state import SCHEMA_VERSION, TABLES, state_path

# Settings whose value must be a whole number at least this large.
MINIMUM_INTS = {
    "CSTOCRAWL_MAX_PAGES": 1,
    "CSTOCRAWL_MIN_DOUBTFUL": 0,
    "CSTOCRAWL_RECHECK_DAYS": 0,
}

# Settings that are a share, from 0 to 1.
SHARES = ("CSTOCRAWL_MAX_PROBLEM_RATIO", "CSTOCRAWL_MAX_DOUBT_SHARE")

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


def check_settings(settings: BaseSettings) -> None:
    check_components(settings)
    for name, minimum in MINIMUM_INTS.items():
        value = settings.get(name)
        if value is None:  # not set at all: the code's default applies
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if number is None or number < minimum:
            raise Refused(
                Exit.USAGE, f"-s {name}={value}: expected a whole number of at least {minimum}"
            )
    for name in SHARES:
        ratio = settings.get(name)
        try:
            valid_ratio = ratio is None or 0 <= float(ratio) <= 1
        except (TypeError, ValueError):
            valid_ratio = False
        if not valid_ratio:
            raise Refused(Exit.USAGE, f"-s {name}={ratio}: expected a number from 0 to 1")
    if today := settings.get("CSTOCRAWL_TODAY"):
        try:
            date.fromisoformat(today)
        except ValueError:
            raise Refused(
                Exit.USAGE, f"-s CSTOCRAWL_TODAY={today}: expected a date, YYYY-MM-DD"
            ) from None


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


def check_state(directory: Path, lang: str | None) -> None:
    """Refused unless the state file is readable and holds no other language's articles."""
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
            langs = set()
            if "articles" in tables:
                rows = db.execute("SELECT DISTINCT json_extract(item, '$.lang') FROM articles")
                langs = {row[0] for row in rows}
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


def _missing_tables(version: int, tables: set[str]) -> str | None:
    """What a state of `version` lacks, in a few words; a file of version 0 must be empty."""
    if version == 0:
        return f"{len(tables)} tables of something else" if tables else None
    expected = [name for since, names in TABLES.items() if since <= version for name in names]
    missing = [name for name in expected if name not in tables]
    return f"no table {', '.join(missing)}" if missing else None


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
    parsed = check_run(spidercls, arguments, settings)
    directory = output_dir(settings)
    lock = acquire(directory, prog)
    try:
        check_state(directory, getattr(parsed, "lang", None))
    except Refused:
        lock.close()
        raise
    return lock, parsed
