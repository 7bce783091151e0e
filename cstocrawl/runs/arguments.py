"""What the project's command-line runners (the cron runner, re-extraction) parse alike: `-a` and
`-s` options spelled NAME=VALUE, as `scrapy crawl` takes them."""

from __future__ import annotations

import argparse


def name_value(text: str) -> tuple[str, str]:
    """An `-a`/`-s` option's NAME=VALUE, for argparse."""
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name, value
