"""Problem kinds are named once (cstocrawl/problems.py): the schema allows exactly them, and no
producer spells one as a bare string."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import cstocrawl
from cstocrawl.problems import Problem, problem_kind, schema_pattern
from cstocrawl.schema import article_schema

PACKAGE = Path(cstocrawl.__file__).resolve().parent


def test_the_schema_allows_exactly_the_problem_kinds() -> None:
    # On failure: paste schema_pattern() into article.schema.json's problems.items.pattern.
    assert article_schema()["properties"]["problems"]["items"]["pattern"] == schema_pattern()


def test_a_problem_is_its_kind_with_a_detail_when_the_kind_takes_one() -> None:
    assert Problem.BODY_SHRANK.text("2000 to 9 characters") == "body_shrank: 2000 to 9 characters"
    assert Problem.MISSING_BODY.text() == "missing_body"
    assert type(Problem.MISSING_BODY.text()) is str  # what the dataset holds is a plain string
    assert problem_kind(Problem.UNPARSED_DATE.text("soon")) == Problem.UNPARSED_DATE
    with pytest.raises(ValueError, match="takes a detail"):
        Problem.BODY_SHRANK.text()
    with pytest.raises(ValueError, match="takes no detail"):
        Problem.MISSING_BODY.text("why")
    for kind in Problem:
        text = kind.text("x") if kind.detailed else kind.text()
        assert re.fullmatch(schema_pattern(), text)


def test_no_problem_kind_spelt_as_a_bare_string() -> None:
    kinds = {kind.value for kind in Problem}
    bare = [
        f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {node.value!r}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "problems.py"
        for node in ast.walk(ast.parse(path.read_text("utf-8")))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.partition(":")[0] in kinds
    ]
    assert bare == []
