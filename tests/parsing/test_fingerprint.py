"""The replica fingerprint as a test: the parsers' output on every replica page of every markup,
both languages, hashes to the lines stored in tests/parsing/fingerprint.txt (seed 0). A change is
deliberate: rerun `python -m tests.parsing.fingerprint > tests/parsing/fingerprint.txt` and say
why in the commit."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.parsing.fingerprint import case_line, case_text
from tests.replica import ALL_VARIANTS

STORED = (Path(__file__).parent / "fingerprint.txt").read_text(encoding="utf-8").splitlines()


# No process, but every replica page parsed again (about 14 s of CPU, what
# tests/parsing/test_replica_pages.py also spends): in `make test`, out of `make test-fast`.
@pytest.mark.e2e
@pytest.mark.parametrize("variant", ALL_VARIANTS)
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_parsers_output_on_a_replica_is_unchanged(variant: str, lang: str) -> None:
    digest = hashlib.sha256(case_text(variant, lang, 0)).hexdigest()
    assert case_line(variant, lang, 0, digest) in STORED


def test_the_stored_all_line_is_the_hash_of_the_stored_cases() -> None:
    *cases, last = STORED
    assert len(cases) == 2 * len(ALL_VARIANTS)
    everything = hashlib.sha256("".join(line.split()[-1] for line in cases).encode())
    assert last == f"all {everything.hexdigest()}"
