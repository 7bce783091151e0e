"""Tests that need the real website run only when asked: CSTOCRAWL_LIVE=1 pytest -m live."""

from __future__ import annotations

import os

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("CSTOCRAWL_LIVE") == "1":
        return
    skip_live = pytest.mark.skip(reason="needs the live site; set CSTOCRAWL_LIVE=1 to run")
    for item in items:
        if "live" in item.keywords:
            item.add_marker(skip_live)
