"""`scrapy parse`, recording nothing (cstocrawl/commands/__init__.py says why), and saying why
nothing was parsed when the URL is not on the site the spider crawls."""

from __future__ import annotations

import argparse
import sys
from urllib.parse import urlsplit

from scrapy.commands.parse import Command as ScrapyTool

from cstocrawl.commands import RecordsNothing


class Command(RecordsNothing, ScrapyTool):
    """Scrapy's own `parse`: no pipelines, no run record, no health check."""

    def start_parsing(self, url: str, opts: argparse.Namespace) -> None:
        super().start_parsing(url, opts)
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
