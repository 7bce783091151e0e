"""WARC capture and the archive index, in process (issue 12): what a record holds, rotation and
temporary names, revisit records for stored attachments, and torn files read with a warning."""

from __future__ import annotations

import asyncio
import gzip
import io
import logging
import os
import time
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.exceptions import DownloadCancelledError
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.utils.test import get_crawler
from warcio.archiveiterator import ArchiveIterator
from warcio.cli import main as warcio_main

from cstocrawl.archive.reextract import ArchiveIndex, Replay, warc_files
from cstocrawl.archive.warc import WarcCapture
from cstocrawl.archive.warcwriter import (
    BATCH_SIZE,
    Exchange,
    WriterProcess,
    digest_hex,
    sha256_digest,
)
from cstocrawl.exceptions import NotArchived
from cstocrawl.store.files import URL_META
from tests.crawling import project_crawler

PAGE = "<html><head><title>An article</title></head><body><h1>An article</h1></body></html>"
PDF = b"%PDF-1.4\n" + b"x" * 2000 + b"\n%%EOF\n"


def capture(tmp_path: Path, **settings: Any) -> WarcCapture:
    crawler = project_crawler(tmp_path, spider={"base_url": "http://127.0.0.1:9"}, **settings)
    return WarcCapture.from_crawler(crawler)


def html(url: str, body: str = PAGE, status: int = 200, **headers: str) -> HtmlResponse:
    request = Request(url, headers={"User-Agent": "cstocrawl-test"})
    return HtmlResponse(
        url,
        status=status,
        body=body.encode(),
        headers={"Content-Type": "text/html; charset=UTF-8", **headers},
        request=request,
    )


def records(path: Path) -> list[Any]:
    with path.open("rb") as stream:
        found = []
        for record in ArchiveIterator(stream):
            found.append((record, record.raw_stream.read()))
        return found


def check(path: Path) -> int:
    """`warcio check` on a file: 0 when every record and digest is sound."""
    with pytest.raises(SystemExit) as exit:
        warcio_main(["check", str(path)])
    return int(exit.value.code or 0)


def test_a_response_and_its_request_are_kept_as_received_under_a_temporary_name(
    tmp_path: Path,
) -> None:
    middleware = capture(tmp_path)
    gzipped = gzip.compress(PAGE.encode())
    response = Response(
        "http://127.0.0.1:9/news/a/",
        body=gzipped,
        headers={"Content-Encoding": "gzip", "Transfer-Encoding": "chunked"},
        request=Request("http://127.0.0.1:9/news/a/", headers={"User-Agent": "cstocrawl-test"}),
    )
    assert middleware.process_response(*_pair(response)) is response
    middleware.process_response(*_pair(html("http://127.0.0.1:9/missing/", "gone", 404)))

    warc = tmp_path / "warc"
    assert [p.name for p in warc.iterdir()] == ["run1.warc.gz.open"]  # not a final name yet
    middleware.close()
    assert [p.name for p in warc.iterdir()] == ["run1.warc.gz"]
    path = warc / "run1.warc.gz"
    assert check(path) == 0

    found = records(path)
    assert [r.rec_type for r, _ in found] == [
        "warcinfo",
        "response",
        "request",
        "response",
        "request",
    ]
    info = found[0][1].decode()
    assert "cstocrawl-run-id: run1" in info and "WARC File Format 1.1" in info
    assert "cstocrawl-base-url: http://127.0.0.1:9" in info
    response_record, body = found[1]
    assert response_record.rec_headers.protocol == "WARC/1.1"
    assert response_record.rec_headers.get_header("WARC-Target-URI") == "http://127.0.0.1:9/news/a/"
    assert response_record.rec_headers.get_header("WARC-Payload-Digest") == sha256_digest(gzipped)
    assert body == gzipped  # the bytes as received, not decompressed
    assert response_record.http_headers.get_header("Content-Encoding") == "gzip"
    assert response_record.http_headers.get_header("Transfer-Encoding") is None  # de-chunked
    request_record, _ = found[2]
    assert request_record.http_headers.protocol == "GET"
    assert request_record.http_headers.get_header("Host") == "127.0.0.1:9"
    assert request_record.http_headers.get_header("User-Agent") == "cstocrawl-test"
    concurrent = request_record.rec_headers.get_header("WARC-Concurrent-To")
    assert concurrent == response_record.rec_headers.get_header("WARC-Record-ID")
    assert found[3][0].http_headers.get_statuscode() == "404"  # errors are kept too
    stats = middleware.crawler.stats.get_stats()
    assert stats["cstocrawl/warc/files"] == ["warc/run1.warc.gz"]
    assert stats["cstocrawl/warc/records"] == 4


def _pair(response: Response) -> tuple[Request, Response]:
    assert response.request is not None
    return response.request, response


def test_files_rotate_at_the_size_limit_each_with_its_warcinfo(tmp_path: Path) -> None:
    middleware = capture(tmp_path, CSTOCRAWL_WARC_MAX_SIZE=3000)
    for n in range(12):
        body = f"<html><body>{f'page {n} ' * 200}</body></html>"
        middleware.process_response(*_pair(html(f"http://127.0.0.1:9/news/{n}/", body)))
    middleware.close()
    paths = warc_files(tmp_path / "warc")
    assert len(paths) > 2
    assert paths[0].name == "run1.warc.gz" and paths[1].name == "run1-1.warc.gz"
    assert not list((tmp_path / "warc").glob("*.open"))
    urls = []
    for path in paths:
        assert check(path) == 0
        found = records(path)
        assert found[0][0].rec_type == "warcinfo"
        assert f"filename: {path.name}" in found[0][1].decode()
        urls += [r.rec_headers.get_header("WARC-Target-URI") for r, _ in found[1:]]
        urls = list(dict.fromkeys(urls))
    assert urls == [f"http://127.0.0.1:9/news/{n}/" for n in range(12)]


def exchange(n: int, body: bytes = b"<html>a page</html>") -> Exchange:
    return Exchange(
        url=f"http://127.0.0.1:9/news/{n}/",
        date="2026-12-07T06:00:00.000000Z",
        method="GET",
        request_headers=[("User-Agent", "cstocrawl-test")],
        request_body=b"",
        status=200,
        protocol="HTTP/1.1",
        response_headers=[("Content-Type", "text/html")],
        body=body,
        ip_address=None,
        stored=None,
    )


def test_exchanges_sent_in_batches_in_a_crawl_are_all_written_in_order(tmp_path: Path) -> None:
    """In the crawl's event loop the writer gets full batches, then the rest at close."""
    count = BATCH_SIZE * 2 + 5

    async def crawl() -> list[Path]:
        writer = WriterProcess(tmp_path, "run1", 0, {})
        for n in range(count):
            writer.send(exchange(n))
        return writer.close()

    [path] = asyncio.run(crawl())
    assert check(path) == 0
    found = records(path)
    assert [r.rec_type for r, _ in found] == ["warcinfo"] + ["response", "request"] * count
    uris = [r.rec_headers.get_header("WARC-Target-URI") for r, _ in found[1::2]]
    assert uris == [f"http://127.0.0.1:9/news/{n}/" for n in range(count)]


def test_a_batch_not_filled_is_written_all_the_same_while_the_crawl_waits(tmp_path: Path) -> None:
    """A crawl waiting on slow pages still has what it received on disk (its timer sends it)."""
    body = os.urandom(200_000)  # incompressible: on disk as soon as the writer has it

    async def crawl() -> None:
        writer = WriterProcess(tmp_path, "run1", 0, {})
        writer.send(exchange(1, body))
        deadline = time.monotonic() + 120
        while writer.open_path.stat().st_size < len(body):
            assert time.monotonic() < deadline, "the exchange never reached the file"
            await asyncio.sleep(0.05)
        writer.kill()

    asyncio.run(crawl())


def test_a_stored_attachment_is_a_revisit_record_unless_asked_for_in_full(tmp_path: Path) -> None:
    url = "http://127.0.0.1:9/upload/iblock/1/a.pdf"
    request = Request(url, meta={URL_META: "https://en.odkb-csto.org/upload/iblock/1/a.pdf"})
    response = Response(url, body=PDF, headers={"Content-Type": "application/pdf"}, request=request)
    error_page = html(url, "<html><body>Not found</body></html>", 200)
    error_page.request.meta[URL_META] = "x"  # type: ignore[union-attr]

    middleware = capture(tmp_path)
    middleware.process_response(request, response)
    middleware.process_response(*_pair(error_page))  # refused by the pipeline: kept in full
    middleware.close()
    path = tmp_path / "warc" / "run1.warc.gz"
    assert check(path) == 0
    revisit, payload = records(path)[1]
    assert revisit.rec_type == "revisit" and payload == b""
    digest = revisit.rec_headers.get_header("WARC-Payload-Digest")
    assert digest == sha256_digest(PDF)
    assert digest_hex(digest) is not None
    stored = revisit.rec_headers.get_header("CSTOCRAWL-Stored-File")
    assert stored == f"by-sha256/{digest_hex(digest)[:2]}/{digest_hex(digest)}.pdf"  # type: ignore[index]
    assert records(path)[3][0].rec_type == "response"

    full = tmp_path / "full"
    middleware = capture(full, CSTOCRAWL_WARC_ATTACHMENTS=True)
    middleware.process_response(request, response)
    middleware.close()
    record, payload = records(full / "warc" / "run1.warc.gz")[1]
    assert record.rec_type == "response" and payload == PDF


def test_capture_is_off_by_setting(tmp_path: Path) -> None:
    from scrapy.exceptions import NotConfigured

    with pytest.raises(NotConfigured):
        capture(tmp_path, CSTOCRAWL_WARC=False)


def written(tmp_path: Path, pages: dict[str, str], run_id: str = "run1") -> Path:
    middleware = capture(tmp_path, CSTOCRAWL_RUN_ID=run_id)
    for url, body in pages.items():
        middleware.process_response(*_pair(html(url, body)))
    middleware.close()
    return tmp_path / "warc" / f"{run_id}.warc.gz"


def replay(tmp_path: Path, paths: list[Path], **settings: Any) -> Replay:
    crawler = get_crawler(
        settings_dict={
            "CSTOCRAWL_OUTPUT_DIR": str(tmp_path),
            "CSTOCRAWL_REPLAY_WARCS": [str(p) for p in paths],
            **settings,
        }
    )
    crawler.stats.open_spider()
    return Replay.of(crawler)


def test_the_newest_capture_answers_and_a_missing_url_is_not_archived(tmp_path: Path) -> None:
    first = written(tmp_path, {"http://127.0.0.1:9/news/a/": "<p>old</p>"}, "run1")
    second = written(tmp_path, {"http://127.0.0.1:9/news/a/": "<p>new</p>"}, "run2")
    served = replay(tmp_path, [second, first])  # the order given does not matter: dates do
    response = served.response(Request("http://127.0.0.1:9/news/a/"))
    assert isinstance(response, TextResponse)
    assert response.status == 200 and response.text == "<p>new</p>"
    assert "replayed" in response.flags
    with pytest.raises(NotArchived, match="not archived"):
        served.response(Request("http://127.0.0.1:9/news/b/"))


def test_a_replayed_answer_has_the_archived_head_and_a_record_cut_since_is_not_archived(
    tmp_path: Path,
) -> None:
    """The replay splits a record's heads itself: what warcio reads from it, header for header."""
    url = "http://127.0.0.1:9/news/a/"
    body = "<p>caf\u00e9: a: b</p>\r\n\r\n<p>after a blank line</p>"
    headers = {"Content-Type": "text/html; charset=UTF-8", "Set-Cookie": ["a=1", "b=2: c"]}
    request = Request(url, headers={"User-Agent": "cstocrawl-test"})
    response = HtmlResponse(url, body=body.encode(), headers=headers, request=request)
    middleware = capture(tmp_path)
    middleware.process_response(request, response)
    middleware.close()
    path = tmp_path / "warc" / "run1.warc.gz"
    archived = next(record for record, _ in records(path) if record.rec_type == "response")
    served = replay(tmp_path, [path]).response(Request(url))
    assert served.body == body.encode()
    assert served.headers.getlist("Set-Cookie") == [b"a=1", b"b=2: c"]
    assert [
        (name, value.decode()) for name, values in served.headers.items() for value in values
    ] == [(name.encode().title(), value) for name, value in archived.http_headers.headers]
    assert served.protocol == archived.http_headers.protocol == "HTTP/1.1"

    index = ArchiveIndex.build([path])
    record = index.captures[url][-1]
    torn = replay(tmp_path, [path])
    path.write_bytes(path.read_bytes()[: record.offset + record.length // 2])
    with pytest.raises(NotArchived, match="cut short"):
        torn.response(Request(url))


def test_a_record_over_the_download_max_size_fails_as_a_live_download_does(
    tmp_path: Path,
) -> None:
    url = "http://127.0.0.1:9/news/big/"
    path = written(tmp_path, {url: "<p>x</p>" * 1000, "http://127.0.0.1:9/news/small/": "<p>s</p>"})
    served = replay(tmp_path, [path], DOWNLOAD_MAXSIZE=5000)
    with pytest.raises(DownloadCancelledError) as cancelled:
        served.response(Request(url))
    assert str(cancelled.value) == (
        "Expected to receive 8000 bytes which is larger than download max size (5000) in "
        f"request <GET {url}>."
    )
    assert served.crawler.stats.get_value("cstocrawl/replay/too_large") == 1
    assert served.response(Request("http://127.0.0.1:9/news/small/")).status == 200
    # A request's own cap wins, as in a live crawl (the attachment pipeline sets one).
    assert served.response(Request(url, meta={"download_maxsize": 8000})).status == 200


def test_a_torn_final_record_is_skipped_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    pages = {f"http://127.0.0.1:9/news/{n}/": f"<p>page {n}</p>" * 50 for n in range(5)}
    path = written(tmp_path, pages)
    data = path.read_bytes()
    torn = tmp_path / "torn.warc.gz"
    last = _offsets(data)[-2]  # the last response record; its request after it
    for cut in (last + 40, len(data) - 100):  # inside the last response, inside the last request
        torn.write_bytes(data[:cut])
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="cstocrawl.archive.reextract"):
            index = ArchiveIndex.build([torn])
        assert any("Torn WARC record" in r.message for r in caplog.records), cut
        assert index.torn
        kept = set(index.captures)
        assert {f"http://127.0.0.1:9/news/{n}/" for n in range(4)} <= kept
        if cut == last + 40:
            assert "http://127.0.0.1:9/news/4/" not in kept


def _offsets(data: bytes) -> list[int]:
    stream = ArchiveIterator(io.BytesIO(data))
    offsets = []
    for _record in stream:
        offsets.append(stream.get_record_offset())
    return offsets


def test_a_page_not_archived_is_skipped_by_the_spider_not_failed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from twisted.python.failure import Failure

    from cstocrawl.signals import page_failed
    from cstocrawl.spiders.news import NewsSpider

    crawler = get_crawler(NewsSpider)
    spider = NewsSpider.from_crawler(crawler, base_url="http://127.0.0.1:9")
    crawler.spider = spider
    crawler.stats.open_spider()
    failed: list[Request] = []
    crawler.signals.connect(lambda request, **_: failed.append(request), page_failed, weak=False)
    request = Request("http://127.0.0.1:9/news/news_odkb/a/", callback=spider.parse_article)
    failure = Failure(NotArchived(f"not archived: {request.url}"))
    failure.request = request  # type: ignore[attr-defined]
    with caplog.at_level(logging.WARNING):
        spider.request_failed(failure)
    assert crawler.stats.get_value("cstocrawl/replay/not_archived/article") == 1
    assert crawler.stats.get_value("cstocrawl/failed/article") is None
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("not archived" in r.getMessage() for r in caplog.records)
    assert failed == []  # not put on the retry list


def test_a_failed_write_stops_capture_with_an_error_and_renames_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The writer cannot open the next file after a rotation (as on a full or broken disk)."""
    (tmp_path / "warc" / "run1-1.warc.gz.open").mkdir(parents=True)  # open() fails on it
    middleware = capture(tmp_path, CSTOCRAWL_WARC_MAX_SIZE=1000)
    body = "<html><body>" + "words " * 400 + "</body></html>"
    with caplog.at_level(logging.ERROR, logger="cstocrawl.archive.warc"):
        for n in range(20):
            middleware.process_response(*_pair(html(f"http://127.0.0.1:9/news/{n}/", body)))
            if middleware.failed:
                break
        else:
            middleware.close()  # the failure may first show at close
    assert middleware.failed or middleware.crawler.stats.get_value("cstocrawl/warc/failed")
    assert [r for r in caplog.records if "left unfinished" in r.getMessage()]
    assert middleware.crawler.stats.get_value("cstocrawl/warc/failed")
    middleware.close()
    # The first file was whole and renamed at rotation; nothing after it got a final name.
    assert [p.name for p in warc_files(tmp_path / "warc")] == ["run1.warc.gz"]
    assert middleware.crawler.stats.get_value("cstocrawl/warc/files") is None
