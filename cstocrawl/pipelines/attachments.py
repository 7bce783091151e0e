"""Download every attachment once, store it by content, and put its text into the article.

Scrapy's FilesPipeline does the downloading and the "already stored, do not fetch again" check,
keyed by URL (`files/by-url/`). Each stored file is also hard-linked under the SHA-256 of its bytes
(`files/by-sha256/`), so the same bytes reached from two URLs are kept once and reported alike.

Text is extracted in an attachment worker (cstocrawl/processes/workers.py) under a wall-time and a
memory limit, and cut at a number of characters. A file that overran a limit or killed its worker is
`failed`, and that failure is remembered beside the stored file (`<sha256>.failed.json`), so later
runs do not spend the same time again until the extractor or the limits change. A text extracted
is kept beside the stored file too (`<sha256>.text.json`), keyed by the extraction code (its
version and the digest of its source) and the limits that shape the text: a later run, and above
all a re-extraction from the WARC files, reads it back instead of extracting the same bytes again.

A stored file is checked before it is reused: when its bytes no longer hash to the SHA-256 the
state recorded, or one of its names is gone, both names are removed and it is fetched again
(WARNING, `cstocrawl/attachments/damaged`); Scrapy's own check only looks at the file's age.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import json
import logging
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn, Protocol, runtime_checkable

from itemadapter import ItemAdapter
from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.http.request import NO_CALLBACK
from scrapy.pipelines.files import FilesPipeline
from scrapy.pipelines.media import FileException, FileInfo, FileInfoOrError, MediaPipeline
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from cstocrawl import extract as extract_package
from cstocrawl.extract import EXTRACTOR_VERSION, Extraction, extract_text, sniff_media_type
from cstocrawl.extract.sniff import HTML
from cstocrawl.items import Article, Attachment, AttachmentStatus
from cstocrawl.processes.extension import Workers
from cstocrawl.processes.workers import (
    WorkerDied,
    WorkerError,
    WorkerOutOfMemory,
    WorkersStopped,
    WorkerTimeout,
)
from cstocrawl.runs.extension import RunLifecycle
from cstocrawl.runs.run import files_store, output_dir
from cstocrawl.runs.statkeys import (
    ATTACHMENTS_DAMAGED,
    ATTACHMENTS_TRUNCATED,
    KEPT_TEXTS,
    REMEMBERED_FAILURES,
    attachment_key,
)
from cstocrawl.site import Site
from cstocrawl.store.files import URL_META, by_url_path, failure_path, sha256_path, text_path

logger = logging.getLogger(__name__)

@runtime_checkable
class SiteSpider(Protocol):
    """What the pipeline needs of the spider (the news spider; importing it would be a cycle)."""

    site: Site


@dataclass(frozen=True)
class FailureKey:
    """What a remembered failure is valid for: the same code under the same limits."""

    extractor: str
    timeout: float | None  # seconds
    max_memory: int | None  # bytes


@dataclass(frozen=True)
class TextKey:
    """What a kept text is valid for: the same extraction code under the limits that shape it."""

    extractor: str
    code: str  # SHA-256 of the extraction package's source: a fix without a version bump counts
    max_uncompressed: int
    max_chars: int | None


@functools.cache
def extractor_code() -> str:
    """SHA-256 of the source files of cstocrawl/extract, read once a process."""
    digest = hashlib.sha256()
    package = Path(extract_package.__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class AttachmentsPipeline(FilesPipeline):
    def __init__(self, store_uri: str, *, crawler: Crawler) -> None:
        super().__init__(store_uri, crawler=crawler)
        settings = crawler.settings
        self.output_dir = output_dir(settings)
        self.store_dir = Path(store_uri)
        self.state = RunLifecycle.of(crawler).state  # what was stored: url -> (sha256, path)
        self.max_size = settings.getint("CSTOCRAWL_ATTACHMENT_MAXSIZE")
        self.max_uncompressed = settings.getint("CSTOCRAWL_ATTACHMENT_MAX_UNCOMPRESSED")
        self.max_chars = settings.getint("CSTOCRAWL_ATTACHMENT_MAX_CHARS") or None
        self.failure_key = FailureKey(
            extractor=EXTRACTOR_VERSION,
            timeout=settings.getfloat("CSTOCRAWL_ATTACHMENT_TIMEOUT") or None,
            max_memory=settings.getint("CSTOCRAWL_ATTACHMENT_MAX_MEMORY") or None,
        )
        self.text_key = TextKey(
            EXTRACTOR_VERSION, extractor_code(), self.max_uncompressed, self.max_chars
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AttachmentsPipeline:
        return cls(str(files_store(crawler.settings)), crawler=crawler)

    def get_media_requests(self, item: Any, info: MediaPipeline.SpiderInfo) -> list[Request]:
        spider = self.crawler.spider
        assert isinstance(spider, SiteSpider), "attachments are fetched from the spider's site"
        return [
            Request(
                spider.site.fetch_url(attachment.url),
                callback=NO_CALLBACK,
                meta={URL_META: attachment.url, "download_maxsize": self.max_size},
            )
            for attachment in _attachments(item)
        ]

    def file_path(
        self,
        request: Request,
        response: Response | None = None,
        info: MediaPipeline.SpiderInfo | None = None,
        *,
        item: Any = None,
    ) -> str:
        """Keyed by the canonical URL, so the mirror crawled and junk parameters do not matter."""
        return by_url_path(request.meta.get(URL_META, request.url))

    def media_to_download(
        self, request: Request, info: MediaPipeline.SpiderInfo, *, item: Any = None
    ) -> Deferred[FileInfo | None]:
        """Scrapy's "stored already, do not fetch", once the stored file is found whole."""
        return deferred_from_coro(self._verified_media_to_download(request, info, item))

    async def _verified_media_to_download(
        self, request: Request, info: MediaPipeline.SpiderInfo, item: Any
    ) -> FileInfo | None:
        url = request.meta.get(URL_META, request.url)
        if (recorded := self.state.attachment(url)) is not None:
            sha256, path = recorded
            stored = [self.store_dir / by_url_path(url), self.output_dir / path]
            if damage := await asyncio.to_thread(_damage, stored, sha256):
                self.crawler.stats.inc_value(ATTACHMENTS_DAMAGED)
                logger.warning("Stored attachment %s %s: fetched again", url, damage)
        found = super().media_to_download(request, info, item=item)
        return await maybe_deferred_to_future(found) if found is not None else None

    async def media_downloaded(
        self,
        response: Response,
        request: Request,
        info: MediaPipeline.SpiderInfo,
        *,
        item: Any = None,
    ) -> FileInfo:
        # Refuse what is not a document before it is stored, so a later run tries again.
        if response.status != 200:
            raise FileException(f"HTTP {response.status}")
        if sniff_media_type(response.body) == HTML:
            raise FileException("HTML page instead of a document")
        return await super().media_downloaded(response, request, info, item=item)

    def media_failed(
        self, failure: Failure, request: Request, info: MediaPipeline.SpiderInfo
    ) -> NoReturn:
        """Keep the reason of a failed download (Scrapy's own pipeline drops it)."""
        if isinstance(failure.value, IgnoreRequest):
            super().media_failed(failure, request, info)
        raise FileException(_reason(failure))

    def item_completed(
        self, results: list[FileInfoOrError], item: Any, info: MediaPipeline.SpiderInfo
    ) -> Any:
        """Which downloads worked; `process_item` then reads each stored file."""
        for attachment, (_, result) in zip(_attachments(item), results, strict=True):
            if isinstance(result, Failure):
                attachment.status, attachment.error = "failed", _reason(result)
            else:
                attachment.status = "stored"  # by this run or an earlier one: the same file
        return item

    async def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if not _attachments(item):  # Scrapy's media machinery would only hand it back
            return item
        item = await super().process_item(item)
        article_url: str = ItemAdapter(item)["url"]
        for attachment in _attachments(item):
            if attachment.status == "stored":
                extraction = await self._describe(attachment)
                if extraction.truncated:
                    self.crawler.stats.inc_value(ATTACHMENTS_TRUNCATED)
                    logger.warning(
                        "Attachment %s of %s: %s", attachment.url, article_url, attachment.error
                    )
            self.crawler.stats.inc_value(attachment_key(str(attachment.status)))
            if attachment.status in ("failed", "unsupported"):
                logger.warning(
                    "Attachment %s of %s %s: %s",
                    attachment.url,
                    article_url,
                    attachment.status,
                    attachment.error,
                )
        return item

    async def _describe(self, attachment: Attachment) -> Extraction:
        """Fill in the hash, type, text and final status of a stored file, which is then kept by
        content too; the extraction also says whether the text was cut.

        The hash is taken here (in a thread), so a remembered failure costs no worker time.
        """
        assert attachment.status == "stored"
        by_url = self.store_dir / by_url_path(attachment.url)
        sha256, size, media_type = await asyncio.to_thread(identify, by_url)
        by_content = self.store_dir / sha256_path(sha256, media_type)
        _link_by_content(by_url, by_content)
        extraction = await self._extract(by_content, sha256, media_type)
        attachment.path = os.path.relpath(by_content, self.output_dir)
        attachment.sha256 = sha256
        attachment.size = size
        attachment.media_type = extraction.media_type
        attachment.status = _status(extraction, fetched=attachment.status)
        attachment.text = extraction.text
        attachment.error = extraction.error
        return extraction

    async def _extract(self, path: Path, sha256: str, media_type: str) -> Extraction:
        """The file's text from an attachment worker, or why there is none."""
        memo = self.store_dir / failure_path(sha256)
        remembered = _remembered_failure(memo, self.failure_key)
        if remembered is not None:
            self.crawler.stats.inc_value(REMEMBERED_FAILURES)
            return _unreadable(media_type, f"{remembered} (remembered, not tried again)")
        kept = self.store_dir / text_path(sha256)
        if (extraction := await asyncio.to_thread(_kept_text, kept, self.text_key)) is not None:
            self.crawler.stats.inc_value(KEPT_TEXTS)
            return extraction
        workers = Workers.of(self.crawler)
        try:
            extraction = await workers.extract(
                read_text, path, self.max_uncompressed, self.max_chars
            )
        except WorkersStopped:
            return _unreadable(media_type, "not extracted: the crawl was stopping")
        except WorkerError as error:
            reason = self._limit_reason(error)
            _remember_failure(memo, self.failure_key, sha256, reason)
            return _unreadable(media_type, reason)
        memo.unlink(missing_ok=True)  # a failure under other limits or an older extractor
        await asyncio.to_thread(_keep_text, kept, self.text_key, extraction)
        return extraction

    def _limit_reason(self, error: WorkerError) -> str:
        key = self.failure_key
        if isinstance(error, WorkerTimeout):
            limit = f"{key.timeout or 0:g} s"
            return f"extraction took longer than {limit} (CSTOCRAWL_ATTACHMENT_TIMEOUT)"
        if isinstance(error, WorkerOutOfMemory):
            limit = f"{(key.max_memory or 0) / 2**20:g} MiB"
            return f"extraction needed more than {limit} (CSTOCRAWL_ATTACHMENT_MAX_MEMORY)"
        if isinstance(error, WorkerDied):
            return f"extraction crashed: {error}"
        return f"extraction failed: {error}"


def identify(path: Path) -> tuple[str, int, str]:
    """SHA-256, size and media type of a stored file; hashlib releases the GIL while hashing."""
    data = path.read_bytes()
    return hashlib.sha256(data).hexdigest(), len(data), sniff_media_type(data)


def _damage(names: list[Path], sha256: str) -> str | None:
    """What is wrong with a stored file's names (missing, or bytes of another hash), after
    removing them all so that it is fetched again; None when they are whole."""
    problems: list[str] = []
    hashes: dict[tuple[int, int], str] = {}  # by inode: the names are hard links, hashed once
    for name in names:
        if not name.is_file():
            problems.append(f"{name.name} is missing")
            continue
        inode = (name.stat().st_dev, name.stat().st_ino)
        found = hashes[inode] = hashes.get(inode) or identify(name)[0]
        if found != sha256:
            problems.append(f"{name.name} is corrupted (its bytes hash to {found})")
    if not problems:
        return None
    for name in names:
        name.unlink(missing_ok=True)
    return "damaged: " + "; ".join(problems)


def read_text(path: Path, max_uncompressed: int, max_chars: int | None) -> Extraction:
    """The text of a stored file; runs in an attachment worker, under its limits."""
    return extract_text(path.read_bytes(), max_uncompressed=max_uncompressed, max_chars=max_chars)


def _attachments(item: Any) -> list[Attachment]:
    """The item's attachments; Scrapy hands pipelines untyped items, the spider yields Articles
    (read directly: ItemAdapter looks a dataclass's fields up on every access)."""
    if isinstance(item, Article):
        return item.attachments
    attachments: list[Attachment] = ItemAdapter(item)["attachments"]
    return attachments


def _status(extraction: Extraction, *, fetched: AttachmentStatus) -> AttachmentStatus:
    if not extraction.supported:
        return "unsupported"
    if extraction.error and not extraction.readable:
        return "failed"  # not a readable document after all (a bomb, a truncated file)
    return fetched


def _unreadable(media_type: str, reason: str) -> Extraction:
    return Extraction(media_type, "", reason, supported=True, readable=False)


def _remembered_failure(memo: Path, key: FailureKey) -> str | None:
    """The reason recorded for this file under the same extractor and limits, if any."""
    try:
        record = json.loads(memo.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("key") != asdict(key):
        return None
    reason = record.get("error")
    return reason if isinstance(reason, str) and reason else None


def _remember_failure(memo: Path, key: FailureKey, sha256: str, reason: str) -> None:
    record = {
        "sha256": sha256,
        "key": asdict(key),
        "error": reason,
        "failed_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    temporary = memo.with_name(memo.name + ".tmp")
    temporary.write_text(json.dumps(record, indent=1), "utf-8")
    temporary.replace(memo)


def _kept_text(kept: Path, key: TextKey) -> Extraction | None:
    """The extraction kept for this file under the same code and limits, if any."""
    try:
        record = json.loads(kept.read_text("utf-8"))
        if record["key"] != asdict(key):
            return None
        return Extraction(**record["extraction"])
    except (OSError, ValueError, KeyError, TypeError):  # none yet, or torn: extracted again
        return None


def _keep_text(kept: Path, key: TextKey, extraction: Extraction) -> None:
    """Keep the text for later runs; a text that cannot be kept (a full disk) is only extracted
    again next time, never the article's failure."""
    record = {"key": asdict(key), "extraction": asdict(extraction)}
    temporary = kept.with_name(kept.name + ".tmp")
    try:  # ASCII JSON: a text with a lone surrogate (a hostile PDF) is kept as it was extracted
        temporary.write_text(json.dumps(record), "utf-8")
        temporary.replace(kept)
    except OSError as error:
        logger.debug("Extracted text of %s not kept: %s", kept.name, error)
        temporary.unlink(missing_ok=True)


def _link_by_content(by_url: Path, by_content: Path) -> None:
    """Make both names one file on disk; the first copy of some bytes becomes the stored one."""
    by_content.parent.mkdir(parents=True, exist_ok=True)
    if not by_content.exists():
        os.link(by_url, by_content)
    elif not by_content.samefile(by_url):
        temporary = by_url.with_name(by_url.name + ".link")
        os.link(by_content, temporary)
        temporary.replace(by_url)


def _reason(failure: Failure) -> str:
    return failure.getErrorMessage() or type(failure.value).__name__

