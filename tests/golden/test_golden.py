"""Every golden page parses to its stored result (tests/golden/__init__.py says what a case holds
and how to update the results after a deliberate parser change)."""

from __future__ import annotations

import pytest

from tests.golden import load, names, results
from tests.replica import SERVED_VARIANTS


@pytest.mark.parametrize("name", names())
def test_a_golden_page_parses_as_stored(name: str) -> None:
    record, html = load(name)
    stored = {key: record[key] for key in record if key.startswith("expected")}
    assert results(record, html) == stored, f"python -m tests.golden --update if deliberate: {name}"


def test_every_markup_and_language_has_a_listing_and_an_article() -> None:
    assert set(names()) >= {
        f"replica-{variant}-{lang}-{kind}"
        for variant in SERVED_VARIANTS
        for lang in ("en", "ru")
        for kind in ("article", "listing")
    }
