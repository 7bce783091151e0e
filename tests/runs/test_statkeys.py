"""The stat keys are named once (cstocrawl/runs/statkeys.py): a bare key string elsewhere in the
package, two names for one key, or a name nothing uses fails here."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from cstocrawl.runs import statkeys

PACKAGE = Path(statkeys.__file__).resolve().parents[1]
KEYS = {name: value for name, value in vars(statkeys).items() if name.isupper()}
# What a project key or a family's prefix looks like as a string in code.
KEY_LIKE = re.compile(r"cstocrawl/[a-z_]+(/[a-z_]*)*")


def _strings(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text("utf-8"))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def test_no_bare_stat_key_outside_statkeys() -> None:
    values = {value for value in KEYS.values() if isinstance(value, str)}
    bare = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {text!r}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "statkeys.py"
        for line, text in _strings(path)
        if text in values or KEY_LIKE.fullmatch(text)
    ]
    assert bare == []


def test_one_name_per_key_and_every_name_used() -> None:
    strings = [value for value in KEYS.values() if isinstance(value, str)]
    assert len(strings) == len(set(strings))
    code = "\n".join(path.read_text("utf-8") for path in PACKAGE.rglob("*.py"))
    unused = [name for name in KEYS if len(re.findall(rf"\b{name}\b", code)) < 2]  # defined only
    assert unused == []


def test_families_share_their_prefix_with_the_named_keys() -> None:
    assert statkeys.attachment_key("failed") == statkeys.ATTACHMENTS_FAILED
    assert statkeys.failed_key("article") == statkeys.FAILED_ARTICLE
    assert statkeys.cancelled_key("listing") == statkeys.CANCELLED_LISTING
    assert statkeys.state_key("unchanged") == statkeys.STATE_UNCHANGED
    assert statkeys.not_archived_key("claim") == statkeys.REPLAY_NOT_ARCHIVED_CLAIM
    assert statkeys.problem_key("missing_body") == "cstocrawl/problems/missing_body"
