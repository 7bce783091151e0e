"""What an article's `problems` field can say, named once: the parsers, the spider and the cleaning
pipeline make problems here, the verdict (cstocrawl/runs/verdict.py) and the health check read their
kinds, and the dataset's JSON Schema allows exactly these (tests/test_problems.py fails on drift).

A problem is a string, `kind` or `kind: detail` (the detail for a person: what was found instead).
"""

from __future__ import annotations

from enum import StrEnum


class Problem(StrEnum):
    """A problem's kind; `Problem.X.text(detail)` is the string the dataset holds."""

    MISSING_TITLE = "missing_title"
    MISSING_DATE = "missing_date"
    MISSING_BODY = "missing_body"
    MARKUP_TOO_DEEP = "markup_too_deep"  # lxml's depth limit: the page was cut there
    TITLE_ONLY_FROM_LISTING = "title_only_from_listing"
    DATE_ONLY_FROM_LISTING = "date_only_from_listing"
    # With a detail:
    UNPARSED_DATE = "unparsed_date"
    DATE_DISAGREES_WITH_LISTING = "date_disagrees_with_listing"
    TITLE_DISAGREES_WITH_LISTING = "title_disagrees_with_listing"
    BODY_LOOKS_LIKE_ERROR_PAGE = "body_looks_like_error_page"
    BODY_SHRANK = "body_shrank"
    LANGUAGE_MISMATCH = "language_mismatch"
    BODY_DISAGREES_WITH_SECOND_OPINION = "body_disagrees_with_second_opinion"
    BODY_CUT_BY_MARKUP = "body_cut_by_markup"

    @property
    def detailed(self) -> bool:
        """Whether the problem says what was found (`kind: detail`) or only its kind."""
        return self not in _PLAIN

    def text(self, detail: str | None = None) -> str:
        """The problem as the dataset holds it: a plain str, never the enum member."""
        if (detail is not None) != self.detailed:
            raise ValueError(f"{self.value} takes {'a' if self.detailed else 'no'} detail")
        return f"{self.value}: {detail}" if detail is not None else self.value


_PLAIN = frozenset(
    {
        Problem.MISSING_TITLE,
        Problem.MISSING_DATE,
        Problem.MISSING_BODY,
        Problem.MARKUP_TOO_DEEP,
        Problem.TITLE_ONLY_FROM_LISTING,
        Problem.DATE_ONLY_FROM_LISTING,
    }
)


def problem_kind(problem: str) -> str:
    """A problem's kind: "body_shrank: 2000 to 9 characters" is a `body_shrank`."""
    return problem.partition(":")[0]


def schema_pattern() -> str:
    """The `problems` items' pattern in cstocrawl/schema/article.schema.json."""
    kinds = (f"{kind.value}: .+" if kind.detailed else kind.value for kind in Problem)
    return f"^({'|'.join(kinds)})$"
