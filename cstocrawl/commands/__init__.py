"""Project commands (COMMANDS_MODULE): `crawl` with a truthful exit code, and Scrapy's tools made
harmless, so `scrapy shell`, `parse`, `check`, `fetch`, `view` and `bench` never record a run,
write the state or touch a dataset."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from scrapy.commands import ScrapyCommand
from scrapy.settings import BaseSettings

# Extensions that judge and record a run (the pipelines write it): off in the tools.
RECORDING_EXTENSIONS = (
    "cstocrawl.runs.lock.RunLock",
    "cstocrawl.runs.extension.RunLifecycle",
    "cstocrawl.extensions.health.HealthCheck",
)


STRICT_OFFSITE = "cstocrawl.middlewares.OffsiteMiddleware"
SCRAPY_OFFSITE = "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware"
WARC_CAPTURE = "cstocrawl.archive.warc.WarcCapture"


def record_nothing(settings: BaseSettings) -> None:
    """No item pipelines and no run record: a page fetched by hand is not a run."""
    settings.set("ITEM_PIPELINES", {}, priority="cmdline")
    extensions = dict(settings.getdict("EXTENSIONS"))
    extensions.update(dict.fromkeys(RECORDING_EXTENSIONS))
    settings.set("EXTENSIONS", extensions, priority="cmdline")
    # Nor is a page fetched by hand kept in the run's WARC files (cstocrawl/archive/warc.py): the
    # capture is not even loaded, so no tool prints that it was disabled.
    settings.set("CSTOCRAWL_WARC", False, priority="cmdline")
    # The URL typed on the command line is fetched wherever it is (a mirror, the replica), as
    # Scrapy's own offsite filter allows; the crawl's stricter one would drop it, and the shell
    # would wait for it forever.
    middlewares = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    if STRICT_OFFSITE in middlewares:
        middlewares[SCRAPY_OFFSITE] = middlewares.pop(STRICT_OFFSITE)
    middlewares[WARC_CAPTURE] = None
    settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="cmdline")


# Typed as a command for mypy; a plain mixin at run time, so Scrapy does not list it as one.
if TYPE_CHECKING:
    _Command = ScrapyCommand
else:
    _Command = object


class RecordsNothing(_Command):
    """Mixed into a Scrapy command before the command itself: it then records nothing."""

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        record_nothing(self.settings)
