"""The dataset's JSON Schema (draft 2020-12), shipped with the package: one article line."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

ARTICLE_SCHEMA = "article.schema.json"


@cache
def article_schema() -> dict[str, Any]:
    """The schema every line of `<run id>.jsonl` satisfies (docs/dataset.md)."""
    schema: dict[str, Any] = json.loads(
        files(__package__).joinpath(ARTICLE_SCHEMA).read_text(encoding="utf-8")
    )
    return schema
