"""`scrapy bench`, recording nothing (cstocrawl/commands/__init__.py says why)."""

from __future__ import annotations

from scrapy.commands.bench import Command as ScrapyTool

from cstocrawl.commands import RecordsNothing


class Command(RecordsNothing, ScrapyTool):
    """Scrapy's own `bench`: no pipelines, no run record, no health check."""
