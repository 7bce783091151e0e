"""The one module of helpers shared by test modules: run the real `scrapy crawl news` or the cron
runner in a subprocess against a local replica, and read what the run left (dataset, manifest);
or run the same crawl with the real engine in this process (`crawl_in_process`), where no process
is under test; or build, in process, a crawler with the project's settings for a component under
test, and drive its spider's callbacks over the replica without an engine (`spider_in_process`).

Test modules import helpers from here, never from each other (issue 11).
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:  # workers import test modules that import this one: kept light
    from scrapy.crawler import Crawler
    from scrapy.http import HtmlResponse
    from scrapy.settings import Settings
    from twisted.internet.asyncioreactor import AsyncioSelectorReactor

    from cstocrawl.items import Article
    from tests.replica import ReplicaSite, Response

REPO = Path(__file__).resolve().parent.parent
# Politeness off for a server on loopback; everything else as in production.
FAST = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
}


# The day the daily runs of the replica take as today (a run rechecks articles it saw within the
# last RECHECK_DAYS days): fixed, so the runs' plans do not depend on the calendar.
TODAY = date(2025, 12, 1)
RECHECK_DAYS = 60
DAY = {"CSTOCRAWL_TODAY": TODAY.isoformat(), "CSTOCRAWL_RECHECK_DAYS": str(RECHECK_DAYS)}


def crawl_settings(output_dir: Path, settings: dict[str, str]) -> dict[str, str]:
    """The -s settings of a crawl into `output_dir`: fast settings first, `settings` last."""
    return {**FAST, "CSTOCRAWL_OUTPUT_DIR": str(output_dir), **settings}


def options(
    base_url: str, output_dir: Path, args: tuple[str, ...], settings: dict[str, str]
) -> list[str]:
    """`-a`/`-s` options of a crawl of `base_url` into `output_dir`, fast settings first."""
    command = ["-a", f"base_url={base_url}"]
    for arg in args:
        command += ["-a", arg]
    for name, value in crawl_settings(output_dir, settings).items():
        command += ["-s", f"{name}={value}"]
    return command


def crawl(
    base_url: str,
    output_dir: Path,
    *args: str,
    run_id: str = "run1",
    settings: dict[str, str] | None = None,
    timeout: float = 300,
    spider: str = "news",
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "scrapy", "crawl", spider]
    command += options(base_url, output_dir, args, {"CSTOCRAWL_RUN_ID": run_id, **(settings or {})})
    return subprocess.run(
        command, cwd=REPO, capture_output=True, text=True, timeout=timeout, check=False
    )


def cron_command(
    base_url: str,
    output_dir: Path,
    *args: str,
    settings: dict[str, str] | None = None,
    spider: str = "news",
) -> list[str]:
    """The cron runner (python -m cstocrawl.runs.cron news) on the replica; it makes the run id."""
    command = [sys.executable, "-m", "cstocrawl.runs.cron", spider]
    return command + options(base_url, output_dir, args, settings or {})


def run_cron(
    base_url: str,
    output_dir: Path,
    *args: str,
    settings: dict[str, str] | None = None,
    timeout: float = 300,
    spider: str = "news",
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cron_command(base_url, output_dir, *args, settings=settings, spider=spider),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def read_manifest(output_dir: Path, run_id: str) -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads(
        (output_dir / "news" / f"{run_id}.manifest.json").read_text("utf-8")
    )
    return manifest


def read_latest(output_dir: Path) -> list[dict[str, Any]]:
    """news/latest.jsonl: the current version of every article ever seen."""
    return read_dataset(output_dir, "latest")


def read_dataset(output_dir: Path, run_id: str = "run1") -> list[dict[str, Any]]:
    path = output_dir / "news" / f"{run_id}.jsonl"
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def by_url(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Index by URL, failing on any duplicate: every article must appear exactly once."""
    indexed: dict[str, dict[str, Any]] = {}
    for record in records:
        assert record["url"] not in indexed, f"duplicate article {record['url']}"
        indexed[record["url"]] = record
    return indexed


def run_stats(output_dir: Path, run_id: str = "run1") -> dict[str, Any]:
    """The run's final Scrapy stats, as its manifest recorded them (datetimes as ISO strings);
    a run that never began, or was killed outright, has no manifest and fails the read."""
    stats: dict[str, Any] = read_manifest(output_dir, run_id)["stats"]
    return stats


def after_run(output_dir: Path, run_id: str) -> None:
    """Wait until the clock is past the second `run_id` ended in: run times are whole seconds, so a
    run started now is later than it, as a run a day later would be (no race: the wait ends on
    the clock's reading, not on a duration)."""
    ended = datetime.fromisoformat(read_manifest(output_dir, run_id)["ended_at"])
    while datetime.now(UTC) < ended + timedelta(seconds=1):
        time.sleep(0.05)


# When the crawl met the article, and how it stood to the state then: the run's, not the site's.
VOLATILE = ("crawled_at", "first_seen", "last_changed", "change")
ATTACHMENT_FIELDS = ("url", "name")


def comparable(record: dict[str, Any]) -> dict[str, Any]:
    """The record without what changes from run to run, attachments reduced to what the page
    shows: what the replica's expected_articles() holds."""
    kept = {k: v for k, v in record.items() if k not in VOLATILE}
    kept["attachments"] = [{k: a[k] for k in ATTACHMENT_FIELDS} for a in record["attachments"]]
    return kept


def upload_hits(site: ReplicaSite) -> int:
    """Requests the replica answered for attachments (under /upload/)."""
    return sum(count for target, count in site.hits.items() if target.startswith("/upload/"))


def hold(site: ReplicaSite, *, after_articles: int = 0) -> threading.Event:
    """Hold the replica's answers until the returned event is set, so a run caught half-way cannot
    finish first however slow the machine (a delay only made that unlikely; issue 21).

    robots.txt and attachments always answer, and everything does until `after_articles` of the
    site's articles were answered; `hits` counts a request when it arrives. Set the event in a
    `finally`, before the server stops.
    """
    released = threading.Event()
    answer = site.respond
    articles = {unquote(article.path) for article in site.articles}
    served: set[str] = set()
    lock = threading.Lock()

    def respond(target: str) -> Response:
        response = answer(target)
        split = urlsplit(target)
        path = unquote(split.path)
        if path == "/robots.txt" or path.startswith("/upload/"):
            return response
        # An article addressed by element id (/chairmanship/?ELEMENT_ID=23867) is its query too.
        article = next((key for key in (path, f"{path}?{split.query}") if key in articles), None)
        with lock:
            holding = len(served) >= after_articles
            if not holding and article is not None:
                served.add(article)
        if holding:
            released.wait()
        return response

    site.respond = respond  # type: ignore[method-assign]  # the server calls it on the instance
    return released


# --- The processes a test started, read from /proc: none may outlive a run or a test (issue 13) ---
def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process, or None when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rpartition(")")[2].split()  # the command name may hold spaces and brackets
    return fields[0], int(fields[1])


def alive(pid: int) -> bool:
    """Running or sleeping; a zombie (dead, not yet reaped by its parent) is not alive."""
    stat = _stat(pid)
    return stat is not None and stat[0] not in ("Z", "X")


def descendants(pid: int) -> set[int]:
    """Every live process under `pid`: children, their children, and so on."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and alive(pid_ := int(entry.name)):
            stat = _stat(pid_)
            if stat is not None:
                parents.setdefault(stat[1], []).append(pid_)
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def wait_gone(pids: set[int], timeout: float = 15) -> set[int]:
    """The processes among `pids` still alive after waiting up to `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while (left := {pid for pid in pids if alive(pid)}) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


# --- in process --------------------------------------------------------------------------------


def project_settings(output_dir: Path, **overrides: Any) -> dict[str, Any]:
    """cstocrawl/settings.py, run `run1` into `output_dir`, with `overrides`."""
    import cstocrawl.settings as project

    settings = {name: getattr(project, name) for name in dir(project) if name.isupper()}
    run = {"CSTOCRAWL_OUTPUT_DIR": str(output_dir), "CSTOCRAWL_RUN_ID": "run1"}
    return {**settings, **run, **overrides}


def project_crawler(
    output_dir: Path, spider: dict[str, str] | None = None, **overrides: Any
) -> Crawler:
    """A crawler of the news spider with the project's settings and extensions, its stats open.
    The run begins here (RunLifecycle.from_crawler): the state holds it as running. With `spider`
    (its -a arguments) the spider is made first, as `Crawler.crawl` does, so the run sees them;
    this is `scrapy.utils.test.get_crawler` with that one step added."""
    from scrapy.crawler import AsyncCrawlerRunner, CrawlerRunner
    from scrapy.utils.reactor import is_reactor_installed
    from scrapy.utils.test import get_reactor_settings

    from cstocrawl.spiders.news import NewsSpider

    settings = {**get_reactor_settings(), **project_settings(output_dir, **overrides)}
    runner = CrawlerRunner(settings) if is_reactor_installed() else AsyncCrawlerRunner(settings)
    crawler = runner.create_crawler(NewsSpider)
    if spider is not None:
        crawler.spider = crawler._create_spider(**spider)
    crawler._apply_settings()
    crawler.stats.open_spider()
    return crawler


def spider_in_process(
    crawler: Crawler,
    site: ReplicaSite,
    mirror: str,
    on_article: Callable[[Article, HtmlResponse], None],
) -> None:
    """The spider's callbacks without an engine or a process: every page it asks for, answered
    by `site` (faults included) as an HtmlResponse, each request once by canonical URL as the
    dupefilter would; every article it yields goes to `on_article`."""
    import asyncio

    from scrapy.http import HtmlResponse

    from cstocrawl.items import Article
    from cstocrawl.site import canonicalize_url

    spider = crawler.spider
    assert spider is not None

    async def crawl() -> None:
        queue = [request async for request in spider.start()]
        seen: set[str] = set()
        while queue:
            request = queue.pop(0)
            if canonicalize_url(request.url) in seen:
                continue
            seen.add(canonicalize_url(request.url))
            answer = site.respond(request.url.removeprefix(mirror))
            assert answer.status == 200, request.url
            response = HtmlResponse(request.url, body=answer.body, request=request)
            assert request.callback is not None
            async for result in request.callback(response, **request.cb_kwargs):
                if isinstance(result, Article):
                    on_article(result, response)
                else:
                    queue.append(result)

    asyncio.run(crawl())


# --- a whole run in process: the real engine, pipelines and extensions, no `scrapy crawl` ---


@dataclass(frozen=True)
class Finished:
    """A run made in process: the exit code and last line `scrapy crawl` would have given, and
    its log as `scrapy crawl` writes it to stderr (LOG_LEVEL and LOG_FORMAT)."""

    returncode: int
    line: str
    log: str


_reactor_lock = threading.Lock()
_reactor: AsyncioSelectorReactor | None = None


def engine_reactor() -> AsyncioSelectorReactor:
    """Twisted's asyncio reactor, as `scrapy crawl` runs it, in a thread of its own for the rest of
    this process: a reactor never starts twice, so every in-process run of a worker shares it, and
    the test's own thread stays free for `asyncio.run`."""
    from twisted.internet.asyncioreactor import AsyncioSelectorReactor
    from twisted.internet.main import installReactor

    global _reactor
    with _reactor_lock:
        if _reactor is None:
            reactor = AsyncioSelectorReactor(asyncio.new_event_loop())
            installReactor(reactor)  # type: ignore[no-untyped-call]  # untyped in Twisted
            running = threading.Event()
            reactor.callWhenRunning(running.set)
            thread = threading.Thread(
                target=reactor.run, kwargs={"installSignalHandlers": False}, daemon=True
            )
            thread.start()
            running.wait()
            _reactor = reactor
        return _reactor


def crawl_in_process(
    base_url: str,
    output_dir: Path,
    *args: str,
    run_id: str = "run1",
    settings: dict[str, str] | None = None,
    spider: str = "news",
) -> Finished:
    """`crawl` without the process: the same settings (-s at cmdline priority, over a spider's
    own), arguments and run; the exit code and line from its manifest, as the command makes them.
    The checks before a run and the command line itself are the end-to-end tests' to check."""
    from cstocrawl.runs.arguments import project_settings as with_overrides

    run = crawl_settings(output_dir, {"CSTOCRAWL_RUN_ID": run_id, **(settings or {})})
    arguments = _arguments((f"base_url={base_url}", *args))
    return run_in_process(with_overrides(run.items()), spider, arguments)


def reextract_in_process(
    output_dir: Path,
    *args: str,
    run_id: str = "re1",
    settings: dict[str, str] | None = None,
) -> Finished:
    """`python -m cstocrawl.archive.reextract -a ARG...` of the output dir's WARC files, without
    the process: its settings, spider and arguments (cstocrawl/archive/reextract.py's main)."""
    from cstocrawl.archive import reextract
    from cstocrawl.runs.arguments import project_settings as with_overrides

    run = {"CSTOCRAWL_OUTPUT_DIR": str(output_dir), "CSTOCRAWL_RUN_ID": run_id}
    replay = with_overrides({**run, **(settings or {})}.items())
    spider, paths, infos = reextract.chosen(replay, None, [])
    reextract.replay_settings(replay, [path.resolve() for path in paths])
    options = reextract.crawl_arguments(infos, _arguments(args))[1::2]  # ["-a", "k=v", ...]
    return run_in_process(replay, spider, _arguments(options))


def run_in_process(
    settings: Settings, spider: str, arguments: dict[str, str], timeout: float = 300
) -> Finished:
    """One run of `spider` with `settings` on the shared reactor, as `scrapy crawl` runs it."""
    import io
    import logging

    from scrapy.crawler import CrawlerRunner
    from twisted.python.failure import Failure

    from cstocrawl.commands.crawl import PROG
    from cstocrawl.runs.extension import RunLifecycle
    from cstocrawl.runs.outcome import summary, verdict

    reactor = engine_reactor()
    runner = CrawlerRunner(settings)
    crawler = runner.create_crawler(spider)
    log = logging.StreamHandler(io.StringIO())
    log.setFormatter(logging.Formatter(settings["LOG_FORMAT"], settings["LOG_DATEFORMAT"]))
    root = logging.getLogger()
    level = root.level
    root.setLevel(settings["LOG_LEVEL"])
    root.addHandler(log)
    ended = threading.Event()
    results: list[object] = []

    def record(result: object) -> None:
        results.append(result)
        ended.set()

    def start() -> None:
        runner.crawl(crawler, **arguments).addBoth(record)

    try:
        reactor.callFromThread(start)  # type: ignore[no-untyped-call]  # untyped in Twisted
        # Only stops a test that hangs, as `crawl`'s subprocess timeout does.
        assert ended.wait(timeout), f"the crawl did not end in {timeout} s"
    finally:
        root.removeHandler(log)
        root.setLevel(level)
    if isinstance(results[0], Failure):
        results[0].raiseException()
    lifecycle = crawler.get_extension(RunLifecycle)
    assert lifecycle is not None
    manifest = lifecycle.manifest
    outcome = verdict(manifest)
    run_id = manifest["run_id"] if manifest else settings["CSTOCRAWL_RUN_ID"]
    line = summary(PROG, run_id, manifest, outcome)
    return Finished(int(outcome.code), line, log.stream.getvalue())


def _arguments(args: Iterable[str]) -> dict[str, str]:
    """`-a NAME=VALUE` arguments as the spider's keyword arguments."""
    from cstocrawl.runs.arguments import name_value

    return dict(name_value(arg) for arg in args)
