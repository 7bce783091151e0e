"""Keep every response the crawl receives, with its request, in WARC 1.1 files (issue 12).

`WarcCapture` is a downloader middleware placed next to the downloader (950: after Scrapy's
HttpCacheMiddleware at 900, before the download handler). There it sees each request with every
header the other middlewares added, and each response exactly as the HTTP client returned it:
before HttpCompressionMiddleware (590) decodes the body, before RedirectMiddleware (600) and
RetryMiddleware (550) turn 3xx and 5xx answers into new requests, and for the requests Scrapy makes
itself (robots.txt, FilesPipeline's attachments). Scrapy's `headers_received`/`bytes_received`
signals see the same bytes, but in pieces, with no request headers and no place to learn the
response's end; a middleware gets both whole. What it cannot see: a request that got no answer
(a timeout, a refused connection), and the chunking of a chunked answer, which Twisted undoes
(the record then drops `Transfer-Encoding`, so readers do not try to de-chunk it again).

Files: `<output dir>/warc/<run id>.warc.gz`, then `<run id>-1.warc.gz`, ... after each rotation at
`CSTOCRAWL_WARC_MAX_SIZE`; each one is written as `<name>.open` and renamed once whole (at rotation,
or when the crawl closes), so a killed run never leaves a torn file under a final name. Records
are gzipped one by one (a gzip member each, as WARC tools expect), digests are SHA-256.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import logging
import os
import queue
import re
import threading
import zlib
from collections.abc import Iterable
from datetime import UTC, datetime
from http import HTTPStatus
from importlib.metadata import version
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Headers, Response
from warcio.recordloader import ArcWarcRecord  # type: ignore[import-untyped]
from warcio.statusandheaders import StatusAndHeaders  # type: ignore[import-untyped]
from warcio.timeutils import datetime_to_iso_date  # type: ignore[import-untyped]
from warcio.utils import Digester  # type: ignore[import-untyped]
from warcio.warcwriter import WARCWriter  # type: ignore[import-untyped]

import cstocrawl
from cstocrawl.extract import sniff_media_type
from cstocrawl.extract.sniff import HTML
from cstocrawl.pipelines.attachments import URL_META, sha256_path
from cstocrawl.pipelines.jsonl import fsync_directory

logger = logging.getLogger(__name__)

WARC_DIR = "warc"
SUFFIX = ".warc.gz"
OPEN_SUFFIX = ".open"  # a file being written; never read by re-extraction
# zlib level for each record's gzip member: 6 (zlib's default) instead of warcio's 9: on 70 KB of
# the replica's HTML, 0.82 ms against 1.05 ms for 0.8% more bytes (docs/benchmarks.md).
GZIP_LEVEL = 6
# A file name this module writes: the run id, then `-N` after a rotation.
NAME_RE = re.compile(r"^(?P<run>.+?)(?:-(?P<part>\d+))?\.warc\.gz$")
# The headers of a WARC record that point a revisit to the stored attachment.
STORED_FILE_HEADER = "CSTOCRAWL-Stored-File"


class NotArchived(IgnoreRequest):
    """A re-extraction asked for a URL the WARC files do not hold (cstocrawl/reextract.py)."""


def warc_dir(output_dir: str | Path) -> Path:
    return Path(output_dir) / WARC_DIR


def sha256_digest(data: bytes) -> str:
    """A WARC payload digest (`sha256:` and base32), the form warcio writes and checks."""
    return "sha256:" + base64.b32encode(hashlib.sha256(data).digest()).decode("ascii")


def digest_hex(digest: str) -> str | None:
    """The hex SHA-256 of a `sha256:<base32>` digest (the name files/by-sha256/ uses), or None."""
    algorithm, _, value = digest.partition(":")
    if algorithm.lower() != "sha256":
        return None
    try:
        return base64.b32decode(value.upper()).hex()
    except ValueError:
        return None


class _Sha256Writer(WARCWriter):
    """warcio's writer, with SHA-256 block and payload digests (its default is SHA-1)."""

    @staticmethod
    def _create_digester() -> Digester:
        return Digester("sha256")


def _warc_date(moment: datetime) -> str:
    """WARC 1.1 dates carry microseconds, so records of one second keep their order."""
    return str(datetime_to_iso_date(moment.astimezone(UTC).replace(tzinfo=None), use_micros=True))


def _header_pairs(headers: Headers) -> list[tuple[str, str]]:
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in headers.items()
        for value in values
    ]


class WarcFiles:
    """The WARC files of one run: one open file at a time, rotated at `max_size` bytes.

    Records are built and serialised by warcio in the caller's thread; gzipping and writing happen
    in a thread of their own (zlib and file writes release the GIL), off the crawl's event loop.
    """

    def __init__(
        self, directory: Path, run_id: str, max_size: int, info: dict[str, str]
    ) -> None:
        self.directory = directory
        self.run_id = run_id
        self.max_size = max_size
        self.info = info
        self.closed: list[Path] = []  # files renamed to their final name, in order
        self.error: OSError | None = None  # the first failed write; nothing is written after it
        self.writer = _Sha256Writer(None, gzip=False, warc_version="1.1")  # the caller's
        self._info_writer = _Sha256Writer(None, gzip=False, warc_version="1.1")  # the thread's
        self._part = 0
        self._file: IO[bytes] | None = None
        self._path: Path | None = None
        self._size = 0
        self._queue: queue.SimpleQueue[list[bytes] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    @property
    def open_path(self) -> Path | None:
        return self._path.with_name(self._path.name + OPEN_SUFFIX) if self._path else None

    def _name(self) -> str:
        return f"{self.run_id}{f'-{self._part}' if self._part else ''}{SUFFIX}"

    def _open(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self._path = self.directory / self._name()
        assert self.open_path is not None
        self._file = self.open_path.open("wb")
        self._size = 0
        info = {**self.info, "filename": self._path.name}
        record = self._info_writer.create_warcinfo_record(self._path.name, info)
        self._write_member(serialise(self._info_writer, record))

    def _write_member(self, plain: bytes) -> None:
        """One record, gzipped as a member of its own, appended to the open file."""
        assert self._file is not None
        compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, zlib.MAX_WBITS | 16)
        member = compressor.compress(plain) + compressor.flush()
        self._file.write(member)
        self._size += len(member)

    def write(self, records: Iterable[ArcWarcRecord]) -> None:
        """Queue records to be written together (a response and its request) into one file."""
        if self.error is not None:
            return
        if self._thread is None:
            self._open()  # here, so a file exists from the first response on
            self._thread = threading.Thread(target=self._run, name="warc-writer", daemon=True)
            self._thread.start()
        self._queue.put([serialise(self.writer, record) for record in records])

    def _run(self) -> None:
        while (blobs := self._queue.get()) is not None:
            if self.error is not None:
                continue
            try:
                if self._file is None:
                    self._open()
                for plain in blobs:
                    self._write_member(plain)
                assert self._file is not None
                self._file.flush()
                if self._size >= self.max_size > 0:
                    self._finish()
                    self._part += 1
            except OSError as error:
                self.error = error

    def _finish(self) -> None:
        """Make the open file durable and give it its final name."""
        if self._file is None or self._path is None:
            return
        open_path = self.open_path
        assert open_path is not None
        try:
            self._file.flush()
            os.fsync(self._file.fileno())
        finally:
            self._file.close()
            self._file = None
        open_path.replace(self._path)
        fsync_directory(self.directory)
        self.closed.append(self._path)

    def _stop(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None

    def close(self) -> list[Path]:
        """Write what is queued and rename the last file; the final names of the run's files.
        OSError when a write failed: the open file then keeps its temporary name."""
        self._stop()
        if self.error is not None:
            self.abandon()
            raise self.error
        self._finish()
        return self.closed

    def abandon(self) -> None:
        """Close the open file under its temporary name (a write failed: it may be torn)."""
        self._stop()
        if self._file is not None:
            with contextlib.suppress(OSError):
                self._file.close()
            self._file = None


def serialise(writer: WARCWriter, record: ArcWarcRecord) -> bytes:
    """A record as warcio writes it, uncompressed (the writer's own `out` is borrowed)."""
    plain = io.BytesIO()
    writer.out = plain
    writer.write_record(record)
    return plain.getvalue()


def response_record(
    writer: WARCWriter, request: Request, response: Response, date: str
) -> ArcWarcRecord:
    """The response as received: status, headers (without Transfer-Encoding), body."""
    headers = [
        (name, value)
        for name, value in _header_pairs(response.headers)
        if name.lower() != "transfer-encoding"
    ]
    try:
        reason = HTTPStatus(response.status).phrase
    except ValueError:
        reason = ""
    protocol = response.protocol or "HTTP/1.1"
    http_headers = StatusAndHeaders(f"{response.status} {reason}".strip(), headers, protocol)
    warc_headers = {"WARC-Date": date}
    if response.ip_address is not None:
        warc_headers["WARC-IP-Address"] = str(response.ip_address)
    return writer.create_warc_record(
        request.url,
        "response",
        payload=io.BytesIO(response.body),
        length=len(response.body),
        http_headers=http_headers,
        warc_headers_dict=warc_headers,
    )


def revisit_record(
    writer: WARCWriter, request: Request, response: Response, date: str, stored: str
) -> ArcWarcRecord:
    """An attachment kept in files/: its status and headers, and its bytes named by digest."""
    record = response_record(writer, request, response, date)
    return writer.create_revisit_record(
        request.url,
        digest=sha256_digest(response.body),
        refers_to_uri=request.url,
        refers_to_date=date,
        http_headers=record.http_headers,
        warc_headers_dict={"WARC-Date": date, STORED_FILE_HEADER: stored},
    )


def request_record(writer: WARCWriter, request: Request, date: str) -> ArcWarcRecord:
    """The request as the downloader sends it (Host is added by the HTTP client itself)."""
    url = urlsplit(request.url)
    target = (url.path or "/") + (f"?{url.query}" if url.query else "")
    headers = _header_pairs(request.headers)
    if not any(name.lower() == "host" for name, _ in headers):
        headers.insert(0, ("Host", url.netloc))
    http_headers = StatusAndHeaders(
        f"{request.method} {target} HTTP/1.1", headers, is_http_request=True
    )
    return writer.create_warc_record(
        request.url,
        "request",
        payload=io.BytesIO(request.body),
        length=len(request.body),
        http_headers=http_headers,
        warc_headers_dict={"WARC-Date": date},
    )


class WarcCapture:
    """Downloader middleware: every response and its request into the run's WARC files.

    `CSTOCRAWL_WARC` turns it off; re-extraction (cstocrawl/reextract.py) turns it off too, since
    its responses come from WARC files already.
    """

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.output_dir = Path(settings.get("CSTOCRAWL_OUTPUT_DIR", "output"))
        self.max_size = settings.getint("CSTOCRAWL_WARC_MAX_SIZE")
        self.attachments_in_full = settings.getbool("CSTOCRAWL_WARC_ATTACHMENTS")
        self.files: WarcFiles | None = None
        self.failed = False  # a write failed: capture stops, the open file keeps its temp name

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcCapture:
        if not crawler.settings.getbool("CSTOCRAWL_WARC", True):
            raise NotConfigured("CSTOCRAWL_WARC is off")
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def _info(self) -> dict[str, str]:
        spider: Any = self.crawler.spider
        site = getattr(spider, "site", None)
        settings = self.crawler.settings
        return {
            "software": (
                f"cstocrawl/{cstocrawl.__version__} (Scrapy {version('Scrapy')}, "
                f"warcio {version('warcio')})"
            ),
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            "isPartOf": f"cstocrawl run {spider.run_id}",
            "cstocrawl-run-id": spider.run_id,
            "cstocrawl-spider": spider.name,
            "cstocrawl-lang": getattr(site, "lang", "") or "",
            "cstocrawl-base-url": getattr(site, "base_url", "") or "",
            "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            "http-header-user-agent": settings.get("USER_AGENT", ""),
        }

    def writer_files(self) -> WarcFiles:
        if self.files is None:
            run_id = getattr(self.crawler.spider, "run_id", "")
            directory = warc_dir(self.output_dir)
            self.files = WarcFiles(directory, run_id, self.max_size, self._info())
        return self.files

    def _stored_path(self, request: Request, response: Response) -> str | None:
        """Where FilesPipeline keeps this attachment's bytes (files/by-sha256/), or None when
        they are not kept there (an error page, a compressed transfer) or the setting asks for
        attachments in full."""
        if self.attachments_in_full or URL_META not in request.meta or response.status != 200:
            return None
        if b"Content-Encoding" in response.headers:
            return None  # the stored file is the decoded body, not these bytes
        media_type = sniff_media_type(response.body)
        if media_type == HTML:  # refused by the attachments pipeline, so not stored
            return None
        sha256 = hashlib.sha256(response.body).hexdigest()
        return sha256_path(sha256, media_type)

    def process_response(
        self, request: Request, response: Response, spider: object = None
    ) -> Response:
        if self.failed or getattr(self.crawler.spider, "run_id", None) is None:
            return response  # a tool's spider (scrapy shell): not a run
        date = _warc_date(datetime.now(UTC))
        files = self.writer_files()
        writer = files.writer
        stored = self._stored_path(request, response)
        if stored is None:
            captured = response_record(writer, request, response, date)
        else:
            captured = revisit_record(writer, request, response, date, stored)
        captured_id = captured.rec_headers.get_header("WARC-Record-ID")
        asked = request_record(writer, request, date)
        asked.rec_headers.add_header("WARC-Concurrent-To", captured_id)
        try:
            files.write([captured, asked])
            if files.error is not None:  # raised by the writing thread since the last response
                raise files.error
        except OSError as error:
            self.failed = True
            files.abandon()
            self.crawler.stats.set_value("cstocrawl/warc/failed", str(error))
            logger.error(
                "WARC capture stopped, %s left unfinished: %s", files.open_path, error
            )
            return response
        stats = self.crawler.stats
        stats.inc_value("cstocrawl/warc/records", 2)
        stats.inc_value("cstocrawl/warc/revisits" if stored else "cstocrawl/warc/responses")
        return response

    def spider_closed(self, reason: str) -> None:
        """The crawl closed (whatever its outcome): its WARC files are whole, so they get their
        final names; a run that failed its health check is the one to re-extract after a fix."""
        if self.files is None or self.failed:
            return
        try:
            paths = self.files.close()
        except OSError as error:
            self.crawler.stats.set_value("cstocrawl/warc/failed", str(error))
            logger.error("WARC %s left unfinished: %s", self.files.open_path, error)
            return
        relative = [str(path.relative_to(self.output_dir)) for path in paths]
        self.crawler.stats.set_value("cstocrawl/warc/files", relative)
        self.crawler.stats.set_value("cstocrawl/warc/bytes", sum(p.stat().st_size for p in paths))
        logger.info("WARC written: %s", ", ".join(relative))


def read_info(record: ArcWarcRecord) -> dict[str, str]:
    """The fields of a warcinfo record."""
    fields: dict[str, str] = {}
    for line in record.content_stream().read().decode("utf-8", "replace").splitlines():
        name, sep, value = line.partition(":")
        if sep:
            fields[name.strip()] = value.strip()
    return fields

