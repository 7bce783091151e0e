"""Rebuild the datasets from the WARC files, offline:
`python -m cstocrawl.archive.reextract [WARC...]`.

The WARC files (all of `<output dir>/warc/` unless named) are served to `scrapy crawl <spider>
-a full=1`, the spider their warcinfo records name (news, jscsto, ksopn; `--spider` when they name
none), by a download handler (`ReplayHandler`) that answers every http(s) request from their
index and fails a request they lack as `NotArchived`; no other handler exists in such a run, so
nothing reaches the network. Every spider callback, item pipeline and downloader middleware that
reads a response runs as in a live crawl (the archived bytes are decompressed and redirected like
the live ones; those that only dress a request for a server, or retry it, are off: NOT_REPLAYED),
so a parser fix shows in the rebuilt datasets with no second extraction path to keep in step.
The run is an ordinary run of the output dir (lock, state, manifest with `mode: reextract`, exit
codes): a new `news/<run id>.jsonl` and a rebuilt `news/latest.jsonl`.

Newest capture wins: each URL is answered with its newest archived response (a 5xx only when
nothing better was archived). Listings are read from their newest captures first; when the crawl
runs out of requests, older captures of listing pages are read too (an article a later run's
listing no longer showed on the same page is found there), then any archived article still not
requested is read without its listing entry.

The live crawl's limits hold: a record whose payload is over the request's `download_maxsize`
(DOWNLOAD_MAXSIZE; the attachment cap for attachments) fails as Scrapy's handler fails it
(`DownloadCancelledError`), and is never read whole: records are inflated in bounded chunks. A
WARC file is open only while one record is read, so thousands of files need few descriptors.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Protocol, runtime_checkable
from weakref import WeakKeyDictionary

from scrapy import Request, Spider, signals
from scrapy.cmdline import execute
from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, DownloadCancelledError, NotConfigured
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings
from scrapy.spiderloader import get_spider_loader
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord
from warcio.timeutils import iso_date_to_datetime

from cstocrawl.archive.warc import warc_dir
from cstocrawl.archive.warcwriter import NAME_RE, STORED_FILE_HEADER, digest_hex, read_info
from cstocrawl.exceptions import NotArchived
from cstocrawl.parsing.evidence import ListingEvidence
from cstocrawl.runs.arguments import name_value, project_settings
from cstocrawl.runs.run import files_store, new_run_id, output_dir
from cstocrawl.runs.statkeys import (
    REPLAY_NOT_ARCHIVED,
    REPLAY_OLDER_LISTINGS,
    REPLAY_SERVED,
    REPLAY_TOO_LARGE,
    REPLAY_TORN,
    REPLAY_UNLISTED_ARTICLES,
    REPLAY_URLS,
    REPLAY_WARCS,
)
from cstocrawl.site import Site, UrlKind

logger = logging.getLogger(__name__)

PROG = "cstocrawl.archive.reextract"
REPLAY_HANDLER = "cstocrawl.archive.reextract.ReplayHandler"
REPLAY_EXTENSION = "cstocrawl.archive.reextract.Replay"
CAPTURE_META = "cstocrawl_capture"  # a request for one given capture (an older listing page)
CHUNK = 2**16  # bytes inflated at a time
# Each crawl's replay, shared by its download handler and its extension; gone with the crawl.
_REPLAYS: WeakKeyDictionary[Crawler, Replay] = WeakKeyDictionary()


class ArticleLinks(Protocol):
    """Which sections a spider reads, and the canonical URL of a link to one of their articles."""

    def wants(self, section: str | None) -> bool: ...

    def __call__(self, url: str) -> str | None: ...


@runtime_checkable
class Replayable(Protocol):
    """What a re-extraction needs of the spider it runs (NewsSpider and the sister sites'):
    its site, the articles it wants, and its requests for listing and article pages."""

    @property
    def site(self) -> Site: ...

    @property
    def article_links(self) -> ArticleLinks: ...

    def listing_request(self, canonical_url: str) -> Request: ...

    def article_request(self, canonical_url: str, listing: ListingEvidence | None) -> Request: ...


class Refused(Exception):
    """A re-extraction that cannot start; its message is the one line the command prints."""


@dataclass(frozen=True)
class Capture:
    """Where one archived response is: its file, its gzip member, and what it was."""

    url: str
    date: datetime
    path: Path
    offset: int
    length: int
    status: int
    record_type: str  # response or revisit
    content_type: str
    size: int  # bytes of the payload as received (a revisit's: 0, its file is elsewhere)
    stored: str | None = None  # a revisit's: the stored file it names, and its payload digest
    payload_digest: str = ""

    @property
    def html_ok(self) -> bool:
        return self.status == 200 and "html" in self.content_type.lower()


@dataclass
class ArchiveIndex:
    """Every response and revisit record of some WARC files, by URL, oldest first."""

    captures: dict[str, list[Capture]] = field(default_factory=dict)
    torn: list[str] = field(default_factory=list)  # what was skipped, one line each

    @classmethod
    def build(cls, paths: Iterable[Path]) -> ArchiveIndex:
        index = cls()
        for path in paths:
            index._add_file(path)
        for captures in index.captures.values():  # stable: one date, the later file's last
            captures.sort(key=lambda capture: capture.date)
        return index

    def _add_file(self, path: Path) -> None:
        size = path.stat().st_size
        end = 0
        with path.open("rb") as stream:
            records = ArchiveIterator(stream, check_digests=True)
            try:
                for record in records:
                    payload = _drain(record.raw_stream)  # read whole: its digests are checked
                    offset, length = records.get_record_offset(), records.get_record_length()
                    if record.digest_checker.passed is False:
                        self._skip(path, offset, "its digest does not match (torn or damaged)")
                        return
                    end = offset + length
                    self._add_record(path, record, offset, length, payload)
            except Exception as error:  # zlib.error, ArchiveLoadFailed: a damaged gzip member
                self._skip(path, end, f"{type(error).__name__}: {error}")
                return
        if end < size:
            self._skip(path, end, f"{size - end} bytes after the last whole record")

    def _skip(self, path: Path, offset: int, why: str) -> None:
        line = f"{path} at offset {offset}: {why}; the rest of the file is skipped"
        self.torn.append(line)
        logger.warning("Torn WARC record in %s", line)

    def _add_record(
        self, path: Path, record: ArcWarcRecord, offset: int, length: int, size: int
    ) -> None:
        if record.rec_type not in ("response", "revisit") or record.http_headers is None:
            return
        headers = record.rec_headers
        url = headers.get_header("WARC-Target-URI")
        revisit = record.rec_type == "revisit"
        try:
            status = int(record.http_headers.get_statuscode())
        except (TypeError, ValueError):
            return
        capture = Capture(
            url=url,
            date=iso_date_to_datetime(headers.get_header("WARC-Date")),
            path=path,
            offset=offset,
            length=length,
            status=status,
            record_type=record.rec_type,
            content_type=record.http_headers.get_header("Content-Type") or "",
            size=size,
            stored=headers.get_header(STORED_FILE_HEADER) if revisit else None,
            payload_digest=(headers.get_header("WARC-Payload-Digest") or "") if revisit else "",
        )
        self.captures.setdefault(url, []).append(capture)

    def newest(self, url: str) -> Capture | None:
        """The capture that answers `url`: the newest, a 5xx only when nothing else is there."""
        captures = self.captures.get(url)
        if not captures:
            return None
        answered = [capture for capture in captures if capture.status < 500]
        return (answered or captures)[-1]


def read_infos(paths: Iterable[Path]) -> list[dict[str, str]]:
    """The warcinfo fields of each file (its first record), for the crawl's arguments."""
    infos = []
    for path in paths:
        with path.open("rb") as stream:
            try:
                record = next(iter(ArchiveIterator(stream)))
            except (StopIteration, ArchiveLoadFailed, EOFError, ValueError):
                continue
            if record.rec_type == "warcinfo":
                infos.append(read_info(record))
    return infos


@dataclass(frozen=True)
class Archived:
    """A capture's HTTP answer as received: protocol, headers (bytes, in order) and payload."""

    protocol: str
    headers: list[tuple[bytes, bytes]]
    body: bytes


def read_capture(capture: Capture) -> Archived:
    """The HTTP answer at a capture's place, its payload as received (the `size` bytes the index
    measured, which the caller held against its limit); its file is open only meanwhile. The
    index checked the record's digests, so its heads are split here, not parsed by warcio a
    second time (half the cost a record, docs/benchmarks.md)."""
    inflated = bytearray()
    heads = -1  # where the payload starts: after the WARC head and the HTTP head
    with capture.path.open("rb") as stream:
        stream.seek(capture.offset)
        for chunk in _member(stream, capture.length):
            inflated += chunk
            if heads < 0:
                heads = _heads_end(inflated)
            if heads >= 0 and len(inflated) - heads >= capture.size:
                break
    if heads < 0 or len(inflated) - heads < capture.size:
        raise NotArchived(
            f"not archived: {capture.url} (its record in {capture.path} is cut short)"
        )
    http = bytes(inflated[inflated.index(b"\r\n\r\n") + 4 : heads]).split(b"\r\n")
    return Archived(
        protocol=http[0].split(b" ", 1)[0].decode("latin-1"),
        headers=_header_lines(http[1:]),
        body=bytes(inflated[heads : heads + capture.size]),
    )


def _member(stream: IO[bytes], length: int) -> Iterator[bytes]:
    """The record of `length` bytes at the stream's place, inflated at most CHUNK bytes at a
    time when it is a gzip member (as cstocrawl's WARC files are), as stored when not."""
    data = stream.read(min(CHUNK, length))
    inflate = zlib.decompressobj(zlib.MAX_WBITS | 16) if data.startswith(b"\x1f\x8b") else None
    while data:
        length -= len(data)
        if inflate is None:
            yield data
        else:
            while data and not inflate.eof:
                yield inflate.decompress(data, CHUNK)
                data = inflate.unconsumed_tail
        data = stream.read(min(CHUNK, length)) if length > 0 else b""


def _heads_end(inflated: bytearray) -> int:
    """Where the payload begins in a record's first bytes (after two blank lines), or -1."""
    warc = inflated.find(b"\r\n\r\n")
    http = inflated.find(b"\r\n\r\n", warc + 4) if warc >= 0 else -1
    return http + 4 if http >= 0 else -1


def _header_lines(lines: list[bytes]) -> list[tuple[bytes, bytes]]:
    """`Name: value` lines as pairs; a line that starts with a space or tab continues the last."""
    headers: list[tuple[bytes, bytes]] = []
    for line in lines:
        if line[:1] in (b" ", b"\t") and headers:
            name, value = headers[-1]
            headers[-1] = (name, value + b" " + line.strip())
        elif b":" in line:
            name, _, value = line.partition(b":")
            headers.append((name.rstrip(b" \t"), value.strip()))
    return headers


class TooLarge(Exception):
    """A payload over the size limit, told before it is read whole."""


def _drain(stream: IO[bytes]) -> int:
    """How many bytes the stream holds, read in chunks and dropped."""
    size = 0
    while chunk := stream.read(CHUNK):
        size += len(chunk)
    return size


class Replay:
    """Extension of a re-extraction run: the index, its stats, and the captures still unread.

    Shared with `ReplayHandler` (`Replay.of(crawler)`); turned on by `CSTOCRAWL_REPLAY_WARCS`.
    """

    def __init__(self, crawler: Crawler, paths: list[Path]) -> None:
        self.crawler = crawler
        self.paths = paths
        self.index = ArchiveIndex.build(paths)
        self.requested: set[str] = set()  # URLs the crawl asked for
        self.files_store = files_store(crawler.settings)
        self.max_size = crawler.settings.getint("DOWNLOAD_MAXSIZE")
        self._phase = 0  # 1: older listing captures scheduled, 2: unrequested articles too
        stats = crawler.stats
        assert stats is not None
        stats.set_value(REPLAY_WARCS, [str(path) for path in paths])
        stats.set_value(REPLAY_URLS, len(self.index.captures))
        if self.index.torn:
            stats.set_value(REPLAY_TORN, self.index.torn)

    @classmethod
    def of(cls, crawler: Crawler) -> Replay:
        replay = _REPLAYS.get(crawler)
        if replay is None:
            paths = [Path(path) for path in crawler.settings.getlist("CSTOCRAWL_REPLAY_WARCS")]
            if not paths:
                raise NotConfigured("no CSTOCRAWL_REPLAY_WARCS: not a re-extraction")
            replay = cls(crawler, paths)
            _REPLAYS[crawler] = replay
        return replay

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Replay:
        replay = cls.of(crawler)
        crawler.signals.connect(replay.spider_idle, signal=signals.spider_idle)
        return replay

    # --- answering requests ---

    def response(self, request: Request) -> Response:
        """The archived answer to `request`, or NotArchived."""
        self.requested.add(request.url)
        stats = self.crawler.stats
        assert stats is not None
        wanted = request.meta.get(CAPTURE_META)
        capture = wanted if isinstance(wanted, Capture) else self.index.newest(request.url)
        if capture is None:
            stats.inc_value(REPLAY_NOT_ARCHIVED)
            raise NotArchived(f"not archived: {request.url}")
        limit = int(request.meta.get("download_maxsize", self.max_size))
        try:
            if limit and capture.size > limit:
                raise TooLarge(f"Expected to receive {capture.size} bytes")
            archived = read_capture(capture)
            body = archived.body
            if capture.record_type == "revisit":
                body = self._stored_bytes(capture, limit)
        except TooLarge as error:  # as Scrapy's own handler words it
            stats.inc_value(REPLAY_TOO_LARGE)
            raise DownloadCancelledError(
                f"{error} which is larger than download max size ({limit}) in request {request}."
            ) from None
        headers = Headers()
        for name, value in archived.headers:
            headers.appendlist(name, value)
        cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        stats.inc_value(REPLAY_SERVED)
        return cls(
            url=request.url,
            status=capture.status,
            headers=headers,
            body=body,
            request=request,
            protocol=archived.protocol or None,
            flags=["replayed"],
        )

    def _stored_bytes(self, capture: Capture, limit: int) -> bytes:
        """The bytes a revisit record names, from the attachment store (files/by-sha256/)."""
        stored = capture.stored
        candidates = [self.files_store / stored] if stored else []
        sha256 = digest_hex(capture.payload_digest)
        if sha256:
            candidates += sorted((self.files_store / "by-sha256" / sha256[:2]).glob(sha256 + ".*"))
        for candidate in candidates:
            if candidate.is_file() and not candidate.name.endswith(".json"):
                if limit and (size := candidate.stat().st_size) > limit:
                    raise TooLarge(f"Expected to receive {size} bytes")
                return candidate.read_bytes()
        self.crawler.stats.inc_value(REPLAY_NOT_ARCHIVED)
        raise NotArchived(f"not archived: {capture.url} (a revisit of a stored file that is gone)")

    # --- captures the crawl did not reach ---

    def spider_idle(self) -> None:
        """Older captures of listing pages, then articles archived but never requested."""
        spider = self.crawler.spider
        engine = self.crawler.engine
        assert isinstance(spider, Replayable) and engine is not None
        while self._phase < 2:
            self._phase += 1
            requests = list(
                self._older_listings(spider) if self._phase == 1 else self._unread_articles(spider)
            )
            if requests:
                for request in requests:
                    engine.crawl(request)
                raise DontCloseSpider

    def _older_listings(self, spider: Replayable) -> Iterator[Request]:
        site = spider.site
        count = 0
        for url, captures in self.index.captures.items():
            canonical = site.canonical(url)
            if canonical is None or site.classify(canonical) not in (
                UrlKind.SECTION,
                UrlKind.ALL_NEWS,
            ):
                continue
            if not spider.article_links.wants(site.section_of(canonical)) and (
                site.classify(canonical) is UrlKind.SECTION
            ):
                continue
            served = self.index.newest(url)
            for capture in reversed(captures):  # newest first
                if capture is served or not capture.html_ok:
                    continue
                count += 1
                request = spider.listing_request(canonical)
                yield request.replace(url=url, meta={CAPTURE_META: capture}, dont_filter=True)
        if count:
            self.crawler.stats.set_value(REPLAY_OLDER_LISTINGS, count)
            logger.info("Reading %d older captures of listing pages", count)

    def _unread_articles(self, spider: Replayable) -> Iterator[Request]:
        unread = []
        for url in self.index.captures:
            capture = self.index.newest(url)
            if url in self.requested or capture is None or not capture.html_ok:
                continue
            canonical = spider.article_links(url)
            if canonical is not None:
                unread.append(url)
                yield spider.article_request(canonical, None).replace(url=url)
        if unread:
            self.crawler.stats.set_value(REPLAY_UNLISTED_ARTICLES, len(unread))
            logger.warning(
                "%d archived articles are on no archived listing page: read without their "
                "listing entry (no summary), e.g. %s",
                len(unread),
                unread[0],
            )


class ReplayHandler(BaseDownloadHandler):
    """The download handler for http and https in a re-extraction: the WARC files, nothing else."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.replay = Replay.of(crawler)

    async def download_request(self, request: Request) -> Response:
        return self.replay.response(request)


# --- the command --------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=f"python -m {PROG}", description=__doc__.split("\n")[0])
    parser.add_argument(
        "warcs", nargs="*", type=Path, help="WARC files (default: <output dir>/warc/*.warc.gz)"
    )
    parser.add_argument(
        "--spider", metavar="NAME",
        help="the spider to replay (default: the one the WARC files name; news, jscsto, ksopn)",
    )  # fmt: skip
    parser.add_argument(
        "-a", dest="args", type=name_value, action="append", default=[], metavar="NAME=VALUE",
        help="spider argument, as for scrapy crawl (lang and base_url default to the WARC's)",
    )  # fmt: skip
    parser.add_argument(
        "-s", dest="settings", type=name_value, action="append", default=[], metavar="NAME=VALUE",
        help="setting, as for scrapy crawl (CSTOCRAWL_OUTPUT_DIR: where the run is written)",
    )  # fmt: skip
    return parser.parse_args(argv)


def warc_files(directory: Path) -> list[Path]:
    """The finished WARC files of an output dir, run by run, parts in order (`.open` ones are
    being written or were torn by a killed run: never read)."""

    def key(path: Path) -> tuple[str, int]:
        match = NAME_RE.match(path.name)
        return (match["run"], int(match["part"] or 0)) if match else (path.name, 0)

    return sorted(directory.glob("*.warc.gz"), key=key)


# Scrapy's downloader middlewares that mean nothing for bytes already fetched, off in a replay
# (each is a call a request and a response on the crawl's one core, docs/benchmarks.md). The
# handler reads a request's URL and meta only, so what they add to a request goes nowhere; kept:
# offsite and robots.txt (which requests are made), MetaRefresh, HttpCompression and Redirect
# (what the archived bytes say), DownloaderStats (the run's stats, its outcome reads them).
NOT_REPLAYED = (
    # credentials (HTTP_USER) and a proxy (HTTP_PROXY) for a server no request reaches
    "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware",
    "scrapy.downloadermiddlewares.httpproxy.HttpProxyMiddleware",
    # a time limit on a download that is a read of a local file (its size limit stays: meta)
    "scrapy.downloadermiddlewares.downloadtimeout.DownloadTimeoutMiddleware",
    # request headers (Accept, Accept-Language, User-Agent, Cookie) the archive does not read
    "scrapy.downloadermiddlewares.defaultheaders.DefaultHeadersMiddleware",
    "scrapy.downloadermiddlewares.useragent.UserAgentMiddleware",
    "scrapy.downloadermiddlewares.cookies.CookiesMiddleware",
    # a retry of a 5xx is answered by the same capture (a 5xx is served only when every capture
    # of its URL is one), so it can only fail again; a page that failed still fails, at once
    "scrapy.downloadermiddlewares.retry.RetryMiddleware",
)


def replay_settings(settings: BaseSettings, paths: list[Path]) -> None:
    """Settings that make a crawl a re-extraction of `paths`: no network, no new capture."""
    settings.set("CSTOCRAWL_REPLAY_WARCS", [str(path) for path in paths], priority="cmdline")
    handlers = {"http": REPLAY_HANDLER, "https": REPLAY_HANDLER, "ftp": None, "s3": None}
    settings.set("DOWNLOAD_HANDLERS", handlers, priority="cmdline")
    settings.set("CSTOCRAWL_WARC", False, priority="cmdline")
    extensions = dict(settings.getdict("EXTENSIONS"))
    extensions[REPLAY_EXTENSION] = 0
    settings.set("EXTENSIONS", extensions, priority="cmdline")
    middlewares = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    middlewares.update(dict.fromkeys(NOT_REPLAYED, None))
    settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="cmdline")
    # Nothing to be polite to: the archive answers at once.
    for name, value in {
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "CONCURRENT_REQUESTS": 16,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    }.items():
        priority = settings.getpriority(name)
        if priority is None or priority < SETTINGS_PRIORITIES["cmdline"]:  # unless given with -s
            settings.set(name, value, priority="cmdline")


def spider_of(infos: list[dict[str, str]], given: str | None) -> str:
    """The spider the WARC files name (their warcinfo's `cstocrawl-spider`), or `given`;
    Refused when they name several, another than `given`, or none and none is given."""
    named = sorted({name for info in infos if (name := info.get("cstocrawl-spider"))})
    if given is not None and named not in ([], [given]):
        raise Refused(f"--spider {given}, but the WARC files are of {', '.join(named)}")
    if len(named) > 1:
        raise Refused(
            f"the WARC files are of several spiders ({', '.join(named)}): name one site's files"
        )
    if given is None and not named:
        raise Refused("the WARC files name no spider: give --spider NAME")
    return given or named[0]


def replayable(settings: BaseSettings, name: str) -> type[Spider]:
    """The class of spider `name`; Refused unless it is a project spider with Replayable's
    requests."""
    loader = get_spider_loader(settings)
    known = [
        spider
        for spider in sorted(loader.list())
        if all(callable(getattr(loader.load(spider), method, None)) for method in _REQUESTS)
    ]
    if name not in known:
        raise Refused(f"spider {name!r} cannot be re-extracted; known: {', '.join(known)}")
    return loader.load(name)


_REQUESTS = ("listing_request", "article_request")  # Replayable's methods


def crawl_arguments(infos: list[dict[str, str]], given: dict[str, str]) -> list[str]:
    """`-a` options: full=1, and the language and mirror of the newest capture unless given."""
    arguments = {"full": "1"}
    for info in infos:
        if lang := info.get("cstocrawl-lang"):
            arguments["lang"] = lang
        base_url = info.get("cstocrawl-base-url")
        if base_url:
            arguments["base_url"] = base_url
        else:
            arguments.pop("base_url", None)
    arguments.update(given)
    options = []
    for name, value in arguments.items():
        options += ["-a", f"{name}={value}"]
    return options


def chosen(
    settings: BaseSettings, given: str | None, warcs: list[Path]
) -> tuple[str, list[Path], list[dict[str, str]]]:
    """The spider to replay, its WARC files (`warcs`, else its output dir's) and their warcinfo,
    with the output dir set in `settings`: the one the files were found in, else the spider's."""
    if given is not None:  # its output dir (output/jscsto) unless -s names one
        replayable(settings, given).update_settings(settings)
    directory = output_dir(settings)
    paths = warcs or warc_files(warc_dir(directory))
    missing = [str(path) for path in paths if not path.is_file()]
    if not paths or missing:
        what = ", ".join(missing) if missing else f"no WARC files in {warc_dir(directory)}"
        raise Refused(f"nothing to re-extract: {what}")
    infos = read_infos(paths)
    spider = spider_of(infos, given)
    spidercls = replayable(settings, spider)
    if warcs:  # named files: the run goes where the spider's runs go
        spidercls.update_settings(settings)
        directory = output_dir(settings)
    settings.set("CSTOCRAWL_OUTPUT_DIR", str(directory), priority="cmdline")
    return spider, paths, infos


def main(argv: list[str] | None = None) -> int:
    options = parse_args(argv)
    settings = project_settings(options.settings)
    try:
        spider, paths, infos = chosen(settings, options.spider, options.warcs)
    except Refused as refused:
        print(f"{PROG}: {refused} (exit {os.EX_USAGE})", file=sys.stderr)
        return os.EX_USAGE
    directory = output_dir(settings)
    replay_settings(settings, [path.resolve() for path in paths])
    if not settings.get("CSTOCRAWL_RUN_ID"):  # a new run id, never one a run already has
        settings.set("CSTOCRAWL_RUN_ID", new_run_id(directory), priority="cmdline")
    command = ["scrapy", "crawl", spider, *crawl_arguments(infos, dict(options.args))]
    try:
        execute(command, settings)
    except SystemExit as exit:
        return int(exit.code or 0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
