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
are gzipped one by one (a gzip member each, as WARC tools expect), digests are SHA-256; a process
of their own writes them (cstocrawl/archive/warcwriter.py says why).
"""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Headers, Response

import cstocrawl
from cstocrawl.archive.warcwriter import Exchange, WriterProcess, warc_date
from cstocrawl.extract import sniff_media_type
from cstocrawl.extract.sniff import HTML
from cstocrawl.runs.extension import RunLifecycle
from cstocrawl.runs.run import Run
from cstocrawl.runs.statkeys import (
    WARC_BYTES,
    WARC_FAILED,
    WARC_FILES,
    WARC_RECORDS,
    WARC_RESPONSES,
    WARC_REVISITS,
)
from cstocrawl.store.files import URL_META, sha256_path

logger = logging.getLogger(__name__)

WARC_DIR = "warc"


def warc_dir(output_dir: str | Path) -> Path:
    return Path(output_dir) / WARC_DIR


def _header_pairs(headers: Headers) -> list[tuple[str, str]]:
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in headers.items()
        for value in values
    ]


class WarcCapture:
    """Downloader middleware: every response and its request into the run's WARC files.

    `CSTOCRAWL_WARC` turns it off; re-extraction (cstocrawl/archive/reextract.py) turns it off too,
    since its responses come from WARC files already.
    """

    def __init__(self, crawler: Crawler, run: Run) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.run = run
        self.output_dir = run.files.output_dir
        self.max_size = settings.getint("CSTOCRAWL_WARC_MAX_SIZE")
        self.attachments_in_full = settings.getbool("CSTOCRAWL_WARC_ATTACHMENTS")
        self.writer: WriterProcess | None = None
        self.failed = False  # a write failed: capture stops, the open file keeps its temp name

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcCapture:
        if not crawler.settings.getbool("CSTOCRAWL_WARC"):
            raise NotConfigured("CSTOCRAWL_WARC is off")
        life = RunLifecycle.of(crawler)
        middleware = cls(crawler, life.run)
        life.close_before_judging(middleware.close)
        return middleware

    def _info(self) -> dict[str, str]:
        spider = self.crawler.spider
        site = getattr(spider, "site", None)
        settings = self.crawler.settings
        return {
            "software": (
                f"cstocrawl/{cstocrawl.__version__} (Scrapy {version('Scrapy')}, "
                f"warcio {version('warcio')})"
            ),
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            "isPartOf": f"cstocrawl run {self.run.id}",
            "cstocrawl-run-id": self.run.id,
            "cstocrawl-spider": self.crawler.spidercls.name,
            "cstocrawl-lang": getattr(site, "lang", "") or "",
            "cstocrawl-base-url": getattr(site, "base_url", "") or "",
            "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            "http-header-user-agent": settings.get("USER_AGENT", ""),
        }

    def _writer(self) -> WriterProcess:
        if self.writer is None:
            directory = warc_dir(self.output_dir)
            self.writer = WriterProcess(directory, self.run.id, self.max_size, self._info())
        return self.writer

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
        if self.failed:
            return response
        stored = self._stored_path(request, response)
        exchange = Exchange(
            url=request.url,
            date=warc_date(datetime.now(UTC)),
            method=request.method,
            request_headers=_header_pairs(request.headers),
            request_body=request.body,
            status=response.status,
            protocol=response.protocol or "HTTP/1.1",
            response_headers=_header_pairs(response.headers),
            body=response.body,
            ip_address=None if response.ip_address is None else str(response.ip_address),
            stored=stored,
        )
        try:
            self._writer().send(exchange)
        except OSError as error:
            self.failed = True
            open_path = self.writer.open_path if self.writer else warc_dir(self.output_dir)
            if self.writer is not None:
                self.writer.kill()
            self.crawler.stats.set_value(WARC_FAILED, str(error))
            logger.error("WARC capture stopped, %s left unfinished: %s", open_path, error)
            return response
        stats = self.crawler.stats
        stats.inc_value(WARC_RECORDS, 2)
        stats.inc_value(WARC_REVISITS if stored else WARC_RESPONSES)
        return response

    def close(self) -> None:
        """The crawl closed (whatever its outcome; the run's end calls this before it judges the
        run): its WARC files are whole, so they get their final names; a run that failed its
        health check is the one to re-extract after a fix."""
        if self.writer is None or self.failed:
            return
        try:
            paths = self.writer.close()
        except OSError as error:
            self.failed = True
            self.writer.kill()
            self.crawler.stats.set_value(WARC_FAILED, str(error))
            logger.error("WARC %s left unfinished: %s", self.writer.open_path, error)
            return
        relative = [str(path.relative_to(self.output_dir)) for path in paths]
        self.crawler.stats.set_value(WARC_FILES, relative)
        self.crawler.stats.set_value(WARC_BYTES, sum(p.stat().st_size for p in paths))
        logger.info("WARC written: %s", ", ".join(relative))


