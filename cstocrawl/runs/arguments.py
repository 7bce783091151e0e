"""What the project's command-line runners (the cron runner, re-extraction) parse alike: `-a` and
`-s` options spelled NAME=VALUE, as `scrapy crawl` takes them."""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterable

from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings


def name_value(text: str) -> tuple[str, str]:
    """An `-a`/`-s` option's NAME=VALUE, for argparse."""
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name, value


def project_settings(overrides: Iterable[tuple[str, str]]) -> Settings:
    """The project's settings with the `-s` options on top, as `scrapy crawl` would make them."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "cstocrawl.settings")
    settings = get_project_settings()
    for name, value in overrides:
        settings.set(name, value, priority="cmdline")
    return settings
