"""The floor for the crawl benchmark: exactly the requests a crawl made, replayed, nothing done.

Every request of a crawl is in its WARC files (each response with its request, attachments as
revisit records with theirs); `request_urls` lists them in order, and `ReplaySpider` requests each
once with Scrapy's own settings (this module is also the settings module of its run,
SCRAPY_SETTINGS_MODULE=bench.replay: no project middleware, pipeline or extension), reading
nothing. Its CPU time per response is what the crawl's cannot go below.

SCRAPY_SETTINGS_MODULE=bench.replay scrapy runspider bench/replay.py -a urls=FILE
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy.http import Response
from warcio.archiveiterator import ArchiveIterator

TELNETCONSOLE_ENABLED = False  # as in the crawl: no console port


def request_urls(warc_files: list[Path]) -> list[str]:
    """The target of every request record of `warc_files`, in the order they were written."""
    urls: list[str] = []
    for path in warc_files:
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type == "request":
                    urls.append(record.rec_headers.get_header("WARC-Target-URI"))
    return urls


class ReplaySpider(scrapy.Spider):
    name = "replay"

    def __init__(self, urls: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls = Path(urls).read_text(encoding="utf-8").split()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.urls:
            yield scrapy.Request(url, dont_filter=True)

    def parse(self, response: Response, **kwargs: Any) -> None:
        """Nothing: the responses are counted by Scrapy's own stats (downloader/response_count)."""
