"""`scrapy fetch`, recording nothing (cstocrawl/commands/__init__.py says why)."""

from __future__ import annotations

from scrapy.commands.fetch import Command as ScrapyTool

from cstocrawl.commands import RecordsNothing


class Command(RecordsNothing, ScrapyTool):
    """Scrapy's own `fetch`: no pipelines, no run record, no health check."""
