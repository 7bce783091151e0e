"""`scrapy parse`, recording nothing (cstocrawl/commands/__init__.py says why), and saying why
nothing was parsed when the URL is not on the site the spider crawls. `--trace` prints which
signal decided the article's title, date, block and edges (cstocrawl/parsing/trace.py)."""

from __future__ import annotations

import argparse
import sys
from urllib.parse import urlsplit

from scrapy.commands.parse import Command as ScrapyTool
from scrapy.http import TextResponse

from cstocrawl.commands import RecordsNothing
from cstocrawl.parsing.detail import parse_detail
from cstocrawl.parsing.trace import Trace


class Command(RecordsNothing, ScrapyTool):
    """Scrapy's own `parse`: no pipelines, no run record, no health check."""

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "--trace",
            action="store_true",
            help="print which signal decided the article's title, date, block and edges",
        )

    def start_parsing(self, url: str, opts: argparse.Namespace) -> None:
        super().start_parsing(url, opts)
        if opts.trace and isinstance(self.first_response, TextResponse):
            print_trace(self.first_response)
        if self.first_response or self.pcrawler is None or self.pcrawler.stats is None:
            return
        if self.pcrawler.stats.get_value("offsite/filtered"):
            # Scrapy says only "No response downloaded"; the offsite filter's drop is a stat.
            parts = urlsplit(url)
            print(
                f"cstocrawl: {url} is not on the site the spider crawls, so it was not requested: "
                f"for a mirror, add -a base_url={parts.scheme}://{parts.netloc}",
                file=sys.stderr,
            )
            self.exitcode = 1


def print_trace(response: TextResponse) -> None:
    """The page read as an article, as `scrapy parse` reads it: without a listing's evidence."""
    trace: Trace = []
    parse_detail(response.text, response.url, trace=trace)
    print(f">>> TRACE (the page as an article, no listing's evidence) {response.url}")
    for decision in trace:
        print(decision)
