"""The WARC files of a run, written by a process of their own (cstocrawl/archive/warc.py captures).

The crawl's thread only pickles the responses and their requests onto a socket (`WriterProcess`),
in batches, so that the writer wakes once a batch, not once a response; this process builds the
WARC 1.1 records with warcio (SHA-256 digests), gzips each one as a member of its own, and writes
them. Measured on the 5,000-article replica, building and gzipping in the crawl's process (in its
thread or in a thread beside it) made the crawl about a quarter slower: the crawl's process is its
bottleneck (docs/benchmarks.md). It imports only the standard library, warcio, and cstocrawl's
stdlib-only children.py and durable.py. It dies with the crawl (PR_SET_PDEATHSIG), so a killed
crawl never renames its file.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import signal
import subprocess
import zlib
from collections.abc import Iterable
from datetime import UTC, datetime
from http import HTTPStatus
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple
from urllib.parse import urlsplit

from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

from cstocrawl.processes.children import die_with, spawn_child
from cstocrawl.runs.durable import fsync_directory

if TYPE_CHECKING:
    import asyncio  # the crawl's side only: the writer process starts without it

SUFFIX = ".warc.gz"
OPEN_SUFFIX = ".open"  # a file being written; never read by re-extraction
# zlib level for each record's gzip member: 1, not warcio's 9 nor zlib's default 6: on every
# record of the replica's responses, 82 against 108 µs an exchange for 4.6% more bytes; the
# writer process is about 9% of a full crawl's CPU (docs/benchmarks.md).
GZIP_LEVEL = 1
# A file name this module writes: the run id, then `-N` after a rotation.
NAME_RE = re.compile(r"^(?P<run>.+?)(?:-(?P<part>\d+))?\.warc\.gz$")
# The header of a revisit record naming the attachment's file under FILES_STORE.
STORED_FILE_HEADER = "CSTOCRAWL-Stored-File"
_START_TIMEOUT = 60.0  # seconds for the writer to start (Python, warcio, the first file)
_CLOSE_TIMEOUT = 600.0  # seconds for the writer to write what is queued and rename its file
# Exchanges handed over at once. One a message woke the writer 6,722 times a crawl: 170 µs of
# system and 440 µs of user CPU an exchange in it, against 260 µs of user CPU for the same work
# in one process (docs/benchmarks.md). A batch goes when it holds BATCH_SIZE exchanges or
# BATCH_BYTES of bodies, or BATCH_DELAY seconds after its first one: a crawl that waits (on a
# slow page, or at its end) still has its captures on disk within that time.
BATCH_SIZE = 32
BATCH_BYTES = 2**20
BATCH_DELAY = 0.5


class Exchange(NamedTuple):
    """One response and its request, as plain data that pickles fast."""

    url: str
    date: str  # WARC-Date, when the response was received
    method: str
    request_headers: list[tuple[str, str]]
    request_body: bytes
    status: int
    protocol: str
    response_headers: list[tuple[str, str]]
    body: bytes
    ip_address: str | None
    stored: str | None  # an attachment kept under FILES_STORE: a revisit record naming it


def warc_date(moment: datetime) -> str:
    """WARC 1.1 dates carry microseconds, so records of one second keep their order."""
    return str(datetime_to_iso_date(moment.astimezone(UTC).replace(tzinfo=None), use_micros=True))


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


class _Sha256Writer(WARCWriter):  # type: ignore[misc]
    """warcio's writer, with SHA-256 block and payload digests (its default is SHA-1)."""

    @staticmethod
    def _create_digester() -> Digester:
        return Digester("sha256")


def serialise(writer: WARCWriter, record: ArcWarcRecord) -> bytes:
    """A record as warcio writes it, uncompressed (the writer's own `out` is borrowed)."""
    plain = io.BytesIO()
    writer.out = plain
    writer.write_record(record)
    return plain.getvalue()


def records(writer: WARCWriter, exchange: Exchange) -> list[ArcWarcRecord]:
    """The response (or revisit) record and its request record, concurrent to it."""
    try:
        reason = HTTPStatus(exchange.status).phrase
    except ValueError:
        reason = ""
    # Twisted has undone any chunking: a reader must not try to de-chunk the body again.
    headers = [(n, v) for n, v in exchange.response_headers if n.lower() != "transfer-encoding"]
    status_line = f"{exchange.status} {reason}".strip()
    http_headers = StatusAndHeaders(status_line, headers, exchange.protocol or "HTTP/1.1")
    warc_headers = {"WARC-Date": exchange.date}
    if exchange.ip_address:
        warc_headers["WARC-IP-Address"] = exchange.ip_address
    if exchange.stored is None:
        captured = writer.create_warc_record(
            exchange.url,
            "response",
            payload=io.BytesIO(exchange.body),
            length=len(exchange.body),
            http_headers=http_headers,
            warc_headers_dict=warc_headers,
        )
    else:
        captured = writer.create_revisit_record(
            exchange.url,
            digest=sha256_digest(exchange.body),
            refers_to_uri=exchange.url,
            refers_to_date=exchange.date,
            http_headers=http_headers,
            warc_headers_dict={**warc_headers, STORED_FILE_HEADER: exchange.stored},
        )
    url = urlsplit(exchange.url)
    target = (url.path or "/") + (f"?{url.query}" if url.query else "")
    asked_headers = list(exchange.request_headers)
    if not any(name.lower() == "host" for name, _ in asked_headers):
        asked_headers.insert(0, ("Host", url.netloc))  # the HTTP client adds it itself
    asked = writer.create_warc_record(
        exchange.url,
        "request",
        payload=io.BytesIO(exchange.request_body),
        length=len(exchange.request_body),
        http_headers=StatusAndHeaders(
            f"{exchange.method} {target} HTTP/1.1", asked_headers, is_http_request=True
        ),
        warc_headers_dict={"WARC-Date": exchange.date},
    )
    asked.rec_headers.add_header(
        "WARC-Concurrent-To", captured.rec_headers.get_header("WARC-Record-ID")
    )
    return [captured, asked]


class WarcFiles:
    """The WARC files of one run: one open file at a time, rotated at `max_size` bytes; each is
    `<name>.open` until it is whole, then renamed (at rotation, or at close)."""

    def __init__(self, directory: Path, run_id: str, max_size: int, info: dict[str, str]) -> None:
        self.directory = directory
        self.run_id = run_id
        self.max_size = max_size
        self.info = info
        self.closed: list[Path] = []  # files renamed to their final name, in order
        self.writer = _Sha256Writer(None, gzip=False, warc_version="1.1")
        self._part = 0
        self._file: IO[bytes] | None = None
        self._path: Path | None = None
        self._size = 0

    @property
    def open_path(self) -> Path | None:
        return self._path.with_name(self._path.name + OPEN_SUFFIX) if self._path else None

    def open(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        part = f"-{self._part}" if self._part else ""
        self._path = self.directory / f"{self.run_id}{part}{SUFFIX}"
        assert self.open_path is not None
        self._file = self.open_path.open("wb")
        self._size = 0
        info = {**self.info, "filename": self._path.name}
        warcinfo = self.writer.create_warcinfo_record(self._path.name, info)
        self._write_member(serialise(self.writer, warcinfo))

    def _write_member(self, plain: bytes) -> None:
        """One record, gzipped as a member of its own, appended to the open file."""
        assert self._file is not None
        compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, zlib.MAX_WBITS | 16)
        member = compressor.compress(plain) + compressor.flush()
        self._file.write(member)
        self._size += len(member)

    def write(self, written: Iterable[ArcWarcRecord]) -> None:
        """Records that belong together (a response and its request), into one file."""
        if self._file is None:
            self.open()
        for record in written:
            self._write_member(serialise(self.writer, record))
        if self._size >= self.max_size > 0:
            self._finish()
            self._part += 1

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

    def close(self) -> list[Path]:
        """Rename the last file; the final names of every file of the run."""
        self._finish()
        return self.closed


def read_info(record: ArcWarcRecord) -> dict[str, str]:
    """The fields of a warcinfo record."""
    fields: dict[str, str] = {}
    for line in record.content_stream().read().decode("utf-8", "replace").splitlines():
        name, sep, value = line.partition(":")
        if sep:
            fields[name.strip()] = value.strip()
    return fields


# --- The writer process -------------------------------------------------------------------------


class WriterProcess:
    """The crawl's end of the writer: started with the first response, closed with the crawl."""

    def __init__(self, directory: Path, run_id: str, max_size: int, info: dict[str, str]) -> None:
        settings = json.dumps([str(directory), run_id, max_size, info])
        self._process, self._conn = spawn_child(__name__, [settings])
        self.open_path = directory / f"{run_id}{SUFFIX}{OPEN_SUFFIX}"
        self._batch: list[Exchange] = []
        self._batch_bytes = 0
        self._timer: asyncio.TimerHandle | None = None
        self._failure: OSError | None = None  # of a batch the timer sent: raised by the next call
        self._expect("ready", _START_TIMEOUT)

    def _expect(self, what: str, timeout: float) -> Any:
        """The writer's next message, which must be `what`; OSError with its reason if not."""
        if not self._conn.poll(timeout):
            self.kill()
            raise OSError(f"the WARC writer did not answer in {timeout:g} s")
        try:
            kind, value = self._conn.recv()
        except (EOFError, OSError) as error:
            raise OSError(f"the WARC writer died ({self._exit()})") from error
        if kind != what:
            raise OSError(str(value))
        return value

    def _exit(self) -> str:
        try:
            code = self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            return "still running"
        return f"exit {code}" if code >= 0 else f"killed by signal {-code}"

    def send(self, exchange: Exchange) -> None:
        """Hand one exchange to the writer (in a batch); OSError when the writer failed (a full
        disk), seen at the latest with the next batch."""
        if self._failure is not None:
            raise self._failure
        self._batch.append(exchange)
        self._batch_bytes += len(exchange.body)
        if len(self._batch) >= BATCH_SIZE or self._batch_bytes >= BATCH_BYTES:
            self.flush()
        elif self._timer is None:
            self._flush_later()

    def _flush_later(self) -> None:
        """Send the batch BATCH_DELAY seconds from now, or now when no event loop runs here (a
        caller outside a crawl)."""
        import asyncio  # the crawl imported it already; the writer process never does

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.flush()
            return
        self._timer = loop.call_later(BATCH_DELAY, self._flush_on_timer)

    def _flush_on_timer(self) -> None:
        self._timer = None
        try:
            self.flush()
        except OSError as error:
            self._failure = error

    def flush(self) -> None:
        """Send the exchanges batched so far; OSError when the writer failed."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if not self._batch:
            return
        batch, self._batch, self._batch_bytes = self._batch, [], 0
        if self._conn.poll():  # the writer only speaks to say it failed
            self._expect("ok", 0)
        try:
            self._conn.send(batch)
        except OSError as error:
            raise OSError(f"the WARC writer died ({self._exit()})") from error

    def close(self) -> list[Path]:
        """Write what is queued, rename the last file; the final names of the run's files."""
        if self._failure is not None:
            raise self._failure
        self.flush()
        try:
            self._conn.send(None)
        except OSError as error:
            raise OSError(f"the WARC writer died ({self._exit()})") from error
        paths: list[str] = self._expect("closed", _CLOSE_TIMEOUT)
        self._conn.close()
        self._process.wait(timeout=30)
        return [Path(path) for path in paths]

    def kill(self) -> None:
        """Stop the writer where it is (the batch is dropped): its open file keeps its temporary
        name."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._batch = []
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._conn.close()


def _main(argv: list[str]) -> None:
    """The writer's life: open the first file, write each exchange, rename at the end."""
    fd, parent = int(argv[0]), int(argv[1])
    directory, run_id, max_size, info = json.loads(argv[2])
    die_with(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the crawl decides when the writer stops
    conn = Connection(fd)
    files = WarcFiles(Path(directory), run_id, int(max_size), info)
    try:
        files.open()
        conn.send(("ready", None))
        while (batch := conn.recv()) is not None:
            for exchange in batch:
                files.write(records(files.writer, exchange))
        conn.send(("closed", [str(path) for path in files.close()]))
    except EOFError:
        return  # the crawl went away without closing: the open file keeps its temporary name
    except OSError as error:
        conn.send(("failed", f"{type(error).__name__}: {error}"))
        os._exit(1)
