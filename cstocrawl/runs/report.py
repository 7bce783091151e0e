"""A run's report for a person (`news/<run id>.report.md`): how it went, what it added, changed,
held and failed, and where the data is, readable in any Markdown viewer or as plain text.

Pure functions of the manifest, the run's articles and its failed pages; the run's extension
(cstocrawl/runs/extension.py) writes the report right after the manifest.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cstocrawl.runs.outcome import summary, verdict

# Rows of the chart; a full run spans the site's whole archive, the oldest months are summed up.
CHART_MONTHS = 24
BAR_WIDTH = 40


@dataclass(frozen=True)
class Failure:
    """A page or file the run could not fetch or read."""

    kind: str  # article, listing, attachment
    url: str
    reason: str | None
    article: str | None = None  # an attachment's article


@dataclass
class RunArticles:
    """What the report needs of the run's dataset, read once and line by line."""

    new: list[Mapping[str, Any]] = field(default_factory=list)
    changed: list[Mapping[str, Any]] = field(default_factory=list)
    failed_attachments: list[Failure] = field(default_factory=list)
    per_month: Counter[tuple[str, str]] = field(default_factory=Counter)  # (month, section)

    def add(self, record: Mapping[str, Any], change: str) -> None:
        kept = {key: record.get(key) for key in ("url", "title", "published", "section")}
        (self.changed if change == "changed" else self.new).append(kept)
        month = (record.get("published") or "undated")[:7]
        self.per_month[(month, str(record.get("section")))] += 1
        for attachment in record.get("attachments") or []:
            if attachment.get("status") == "failed":
                reason = attachment.get("error") or "failed"
                self.failed_attachments.append(
                    Failure("attachment", attachment["url"], reason, record.get("url"))
                )


def read_articles(path: Path, change_of: Mapping[str, str] | None = None) -> RunArticles:
    """The run's dataset (final or `.tmp`); `change_of` says, by URL, new or changed when the
    records do not (`change`). A torn last line (a full disk) is skipped."""
    articles = RunArticles()
    if not path.exists():
        return articles
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            change = record.get("change") or (change_of or {}).get(record.get("url"), "new")
            articles.add(record, change)
    return articles


def render(
    manifest: Mapping[str, Any], articles: RunArticles, failures: Iterable[Failure], where: Path
) -> str:
    """The report, in Markdown; `where` is the output dir."""
    return "\n".join(report_lines(manifest, articles, failures, where)) + "\n"


def report_lines(
    manifest: Mapping[str, Any], articles: RunArticles, failures: Iterable[Failure], where: Path
) -> Iterator[str]:
    """The report's lines, without trailing blank ones, to be written one at a time: as one string
    a 5,000-article run's report took 9 MiB at the crawl's peak (docs/benchmarks.md)."""
    blanks = 0
    for line in _render(manifest, articles, list(failures), where):
        if not line:
            blanks += 1
            continue
        yield from [""] * blanks
        blanks = 0
        yield line


def _render(
    manifest: Mapping[str, Any], articles: RunArticles, failures: list[Failure], where: Path
) -> Iterator[str]:
    run_id = manifest["run_id"]
    outcome = verdict(manifest)
    yield f"# Run {run_id}: {'ok' if outcome.ok else 'FAILED'}"
    yield ""
    yield f"`{summary('cstocrawl', run_id, manifest, outcome)}`"
    yield ""
    yield from _facts(manifest, where)
    yield from _counts(manifest, articles, failures)
    yield from _titled("New articles", articles.new)
    yield from _titled("Changed articles", articles.changed)
    held = manifest.get("held", [])
    yield from _listed("Held articles (not recorded until fixed)", held)
    failed = [{"url": f.url, "title": f.kind, "reason": f.reason} for f in failures]
    seen = {f.url for f in failures}  # the verdicts' failed articles may name the same pages
    failed += [entry for entry in manifest.get("failed_articles", []) if entry["url"] not in seen]
    yield from _listed("Failed pages", failed)
    yield from _listed(
        "Failed attachments",
        [
            {"url": f.url, "title": f"of {f.article}", "reason": f.reason}
            for f in articles.failed_attachments
        ],
    )
    yield from _chart(articles.per_month)


def _facts(manifest: Mapping[str, Any], where: Path) -> Iterator[str]:
    dataset = manifest.get("dataset")
    news = where / "news"
    started, ended = manifest["started_at"], manifest["ended_at"]
    yield f"- mode: {manifest['mode']}, started {started}, ended {ended}"
    if source := manifest.get("source"):
        kind = "the official site" if source.get("official") else "a mirror"
        yield f"- fetched from: {source.get('base_url')} ({kind}, lang={source.get('lang')})"
    yield f"- the run's articles: {where / dataset if dataset else 'none written (not promoted)'}"
    yield f"- every article, current version: {news / 'latest.jsonl'}"
    yield f"- manifest: {news / (manifest['run_id'] + '.manifest.json')}"
    yield f"- attachments: {where / 'files'}"
    yield ""


def _counts(
    manifest: Mapping[str, Any], articles: RunArticles, failures: list[Failure]
) -> Iterator[str]:
    counts = manifest["counts"]
    shown = {
        "new": len(articles.new),
        "changed": len(articles.changed),
        "unchanged": counts.get("unchanged", 0),
        "held": counts.get("held", len(manifest.get("held", []))),
        "failed articles": counts.get("failed", 0),
        "failed pages": len(failures),
        "attachments downloaded": counts.get("attachments_downloaded", 0),
        "attachments failed": len(articles.failed_attachments),
        "errors logged": manifest.get("errors", 0),
    }
    if not verdict(manifest).ok:
        yield "Not promoted: nothing below was recorded; the next run fetches it again."
        yield ""
    yield "| " + " | ".join(shown) + " |"
    yield "|" + "---|" * len(shown)
    yield "| " + " | ".join(str(value) for value in shown.values()) + " |"
    yield ""


def _titled(heading: str, records: list[Mapping[str, Any]]) -> Iterator[str]:
    if not records:
        return
    yield f"## {heading} ({len(records)})"
    yield ""
    for record in sorted(records, key=lambda record: record.get("published") or "", reverse=True):
        title = _cell(record.get("title") or "(no title)")
        published = record.get("published") or "undated"
        yield f"- {published} [{title}]({record['url']}) ({record['section']})"
    yield ""


def _listed(heading: str, entries: Sequence[Mapping[str, Any]]) -> Iterator[str]:
    if not entries:
        return
    yield f"## {heading} ({len(entries)})"
    yield ""
    for entry in entries:
        reason = _cell(entry["reason"] or "?")
        yield f"- {_cell(entry.get('title') or '')} <{entry['url']}>: {reason}"
    yield ""


def _chart(per_month: Counter[tuple[str, str]]) -> Iterator[str]:
    """Articles per month (newest first) and section, as a text bar chart."""
    if not per_month:
        return
    sections = sorted({section for _, section in per_month})
    months = sorted({month for month, _ in per_month}, reverse=True)
    shown, older = months[:CHART_MONTHS], months[CHART_MONTHS:]
    totals = {m: sum(per_month[(m, s)] for s in sections) for m in shown}
    scale = BAR_WIDTH / max(totals.values())
    yield "## Articles of this run per month and section"
    yield ""
    yield "```"
    yield f"{'month':<8} {'':<{BAR_WIDTH}} {'all':>4}  " + "  ".join(sections)
    for month in shown:
        bar = "#" * max(1, round(totals[month] * scale))
        by_section = "  ".join(f"{per_month[(month, s)]:>{len(s)}}" for s in sections)
        yield f"{month:<8} {bar:<{BAR_WIDTH}} {totals[month]:>4}  {by_section}"
    if older:
        rest = sum(per_month[(m, s)] for m in older for s in sections)
        yield f"{len(older)} earlier months: {rest} articles"
    yield "```"
    yield ""


def _cell(text: str) -> str:
    """One line of text, whatever the page had."""
    return " ".join(str(text).split())
