"""`scrapy view`, recording nothing (cstocrawl/commands/__init__.py says why)."""

from __future__ import annotations

from scrapy.commands.view import Command as ScrapyTool

from cstocrawl.commands import RecordsNothing


class Command(RecordsNothing, ScrapyTool):
    """Scrapy's own `view`: no pipelines, no run record, no health check."""
