"""Each fetched article judged on its own: accepted, held (doubtful) or failed, with a reason.

One doubtful page must neither publish doubtful data nor stop the run's other articles from being
recorded (issue 18). A held article is not written: its stored version stays, and the next run
fetches it again (cstocrawl/pipelines/verdict.py does that). A failed one is a fetch that lost
what its stored version had (cstocrawl/pipelines/state.py). The run fails only when many of the
articles it fetched are held or failed (`too_many`). Pure functions: no Scrapy, no state.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from cstocrawl.problems import Problem, problem_kind

Verdict = Literal["accepted", "held", "failed"]

# Problem kinds that hold an article: what it says may be wrong, so it must not replace anything.
HOLD = frozenset(
    {
        Problem.MISSING_TITLE,
        Problem.MISSING_DATE,
        Problem.MISSING_BODY,
        Problem.TITLE_DISAGREES_WITH_LISTING,
        Problem.DATE_DISAGREES_WITH_LISTING,
        Problem.TITLE_ONLY_FROM_LISTING,
        Problem.DATE_ONLY_FROM_LISTING,
        Problem.BODY_LOOKS_LIKE_ERROR_PAGE,
        Problem.BODY_SHRANK,
        Problem.BODY_DISAGREES_WITH_SECOND_OPINION,
        Problem.BODY_CUT_BY_MARKUP,
        Problem.LANGUAGE_MISMATCH,
    }
)

# Error and maintenance notices a CMS serves with HTTP 200 in place of a page, English and Russian.
_ERROR_PAGE_RE = re.compile(
    r"mysql (?:query )?error|db query error|too many connections"
    r"|error establishing a database connection|database (?:connection )?error"
    r"|service (?:is )?temporarily unavailable|(?:site|website|page) is temporarily unavailable"
    r"|under maintenance|maintenance (?:mode|work)|scheduled maintenance"
    r"|internal server error|bad gateway|gateway time-?out|please try (?:again )?later"
    r"|ошибка (?:при )?(?:подключени|соединени)\w* (?:к|с) баз"
    r"|ошибка (?:запроса|mysql|базы данных)|(?:сервис|сайт|сервер|страница) временно недоступ"
    r"|технически\w* работ|профилактическ\w* работ"
    r"|(?:ведутся|проводятся) работы|попробуйте (?:зайти |повторить )?позже",
    re.IGNORECASE,
)
# A word of every notice above, in its case-folded form: a body without any of them is not
# searched (the pattern's 21 branches cost 150 to 330 µs a short body, the words 3 to 5).
_ERROR_PAGE_WORDS = (
    "mysql", "db query", "too many connections", "database", "unavailable", "maintenance",
    "server error", "gateway", "please try", "ошибка", "недоступ", "технически",
    "профилактическ", "ведутся", "проводятся", "попробуйте",
)  # fmt: skip
# Only a short body can be an error page: an article may quote such words deep in its text.
ERROR_PAGE_MAX_CHARS = 1000
# A stored body is said to have shrunk to a line when the new one is one paragraph this short
# (characters) and under this share of the stored one: an edit rarely cuts an article to a line.
SHRUNK_LINE = 300
SHRUNK_SHARE = 0.25


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    reason: str = ""  # the problem that decided it ("kind: detail"); empty when accepted

    @property
    def accepted(self) -> bool:
        return self.verdict == "accepted"


ACCEPT = Judgement("accepted")


def looks_like_error_page(text: str) -> str | None:
    """The notice a short body is instead of an article ("MySQL Query Error", "технические
    работы"), or None."""
    if not text or len(text) > ERROR_PAGE_MAX_CHARS:
        return None
    folded = text.casefold()
    if not any(word in folded for word in _ERROR_PAGE_WORDS):
        return None
    found = _ERROR_PAGE_RE.search(text)
    return found[0] if found else None


def shrank(text: str, stored_chars: int | None) -> str | None:
    """How a body shrank to a line against the stored one ("2000 to 9 characters"), or None."""
    if not stored_chars or "\n\n" in text:
        return None
    if len(text) < min(SHRUNK_LINE, SHRUNK_SHARE * stored_chars):
        return f"{stored_chars} to {len(text)} characters"
    return None


def doubts(item: Mapping[str, Any], stored_chars: int | None) -> list[str]:
    """The problems the body itself shows: an error page, or a line where an article was."""
    text: str = item.get("text") or ""
    found = []
    if (notice := looks_like_error_page(text)) is not None:
        found.append(Problem.BODY_LOOKS_LIKE_ERROR_PAGE.text(notice))
    if (how := shrank(text, stored_chars)) is not None:
        found.append(Problem.BODY_SHRANK.text(how))
    return found


def judge(problems: Iterable[str]) -> Judgement:
    """Held on the first problem of a kind in HOLD; accepted otherwise."""
    for problem in problems:
        if problem_kind(problem) in HOLD:
            return Judgement("held", problem)
    return ACCEPT


def too_many(doubtful: int, fetched: int, max_share: float, minimum: int) -> bool:
    """Whether `doubtful` of `fetched` is a broken site or markup rather than a few bad pages:
    more than `max_share` of them, and at least `minimum`."""
    return doubtful >= max(minimum, 1) and doubtful > max_share * fetched
