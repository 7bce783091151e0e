"""Markers applied by what a test does: `live` tests run only when asked (CSTOCRAWL_LIVE=1
pytest -m live); `e2e` marks every test that starts a process, and `engine` every other test that
runs whole crawls in process (tests/crawling.py's `run_in_process`, under `crawl_in_process`), so
`make test-fast` can leave both out.

A test is `e2e` when it, one of its fixtures, or a function of tests/ or bench/ they call (followed
through every call, as far as the code names it) starts a process with `subprocess`: a crawl through
tests/crawling.py's `crawl`, `run_cron` or `cron_command`, or any command of its own. New tests are
marked by the helpers they use; a test that starts processes some other way says `@pytest.mark.e2e`.
"""

from __future__ import annotations

import inspect
import os
import subprocess
from collections.abc import Callable, Iterator
from types import CodeType
from typing import Any, TypeGuard

import pytest

from tests.crawling import run_in_process

# What starts a process, as `subprocess.NAME` or imported from subprocess.
_STARTERS = frozenset({"run", "Popen", "call", "check_call", "check_output"})
_STARTING = frozenset(getattr(subprocess, name) for name in _STARTERS)
# Functions followed: the suite's own and the benchmarks' (never the project's: its worker
# processes are what in-process tests exercise).
_FOLLOWED = ("tests", "bench")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    live = os.environ.get("CSTOCRAWL_LIVE") == "1"
    skip_live = pytest.mark.skip(reason="needs the live site; set CSTOCRAWL_LIVE=1 to run")
    for item in items:
        if "live" in item.keywords and not live:
            item.add_marker(skip_live)
        if "e2e" not in item.keywords and starts_a_process(item):
            item.add_marker(pytest.mark.e2e)
        elif "engine" not in item.keywords and crawls_in_process(item):
            item.add_marker(pytest.mark.engine)


def starts_a_process(item: pytest.Item) -> bool:
    # Not followed: its `runner.crawl` reads, by name, as the `crawl` that starts a process.
    seen: set[CodeType] = {run_in_process.__code__}
    return any(_starts(function, seen) for function in _functions_of(item))


def crawls_in_process(item: pytest.Item) -> bool:
    seen: set[CodeType] = set()
    return any(_calls(function, run_in_process, seen) for function in _functions_of(item))


def _functions_of(item: pytest.Item) -> Iterator[Callable[..., Any]]:
    """The test function and every fixture it uses, directly or through other fixtures."""
    if isinstance(item, pytest.Function):
        yield item.function
    info = getattr(item, "_fixtureinfo", None)  # pytest's record of the item's fixture closure
    for definitions in getattr(info, "name2fixturedefs", {}).values():
        for definition in definitions:
            yield definition.func


def _starts(function: Callable[..., Any], seen: set[CodeType]) -> bool:
    code = getattr(function, "__code__", None)
    if code is None or code in seen:
        return False
    seen.add(code)
    names = set(_names(code))
    scope = getattr(function, "__globals__", {})
    if "subprocess" in names and scope.get("subprocess") is subprocess and names & _STARTERS:
        return True
    for name in names:
        value = scope.get(name)
        if any(value is starter for starter in _STARTING):
            return True
        if _followed(value) and _starts(value, seen):
            return True
    return False


def _calls(function: Callable[..., Any], target: object, seen: set[CodeType]) -> bool:
    """Whether `function`, or a function of tests/ or bench/ it names, names `target`."""
    code = getattr(function, "__code__", None)
    if code is None or code in seen:
        return False
    seen.add(code)
    scope = getattr(function, "__globals__", {})
    for name in set(_names(code)):
        value = scope.get(name)
        if value is target or (_followed(value) and _calls(value, target, seen)):
            return True
    return False


def _names(code: CodeType) -> Iterator[str]:
    """Global and attribute names in a function's code, nested functions and lambdas included."""
    yield from code.co_names
    for constant in code.co_consts:
        if isinstance(constant, CodeType):
            yield from _names(constant)


def _followed(value: object) -> TypeGuard[Callable[..., Any]]:
    module = getattr(value, "__module__", None) or ""
    return inspect.isfunction(value) and module.split(".")[0] in _FOLLOWED
