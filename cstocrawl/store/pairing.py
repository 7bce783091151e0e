"""English articles paired with the Russian ones they translate, from evidence no template change
removes: the English slug is a Bitrix transliteration of the Russian title (cut at about 100
characters), the two are published on one date, and they may link the same file (SHA-256).

A pair needs the same section, the same date, and the slug or a shared file; either side with two
such candidates stays unpaired: null when unsure, never a guess.

    python -m cstocrawl.store.pairing EN_OUTPUT_DIR RU_OUTPUT_DIR

writes `news/pairs.jsonl` in both dirs: one line per article of that dir, `{"url", "translation"}`
(docs/dataset.md, "Translations"), and gives each record of both dirs' `latest.jsonl` its
`translation` from it (each dir under its lock: never while a run rebuilds it); the runs' own
rebuilds of `latest.jsonl` read the same file (`with_translations`).
"""

from __future__ import annotations

import json
import os
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from cstocrawl.runs.durable import write_atomically
from cstocrawl.runs.lock import acquire
from cstocrawl.runs.outcome import Refused

# Bitrix's transliteration of Russian (CUtil::translit): hard and soft signs vanish.
_TRANSLIT = {
    **dict(zip("абвгдезийклмнопрстуфыэ", "abvgdeziyklmnoprstufye", strict=True)),
    "ё": "e", "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ь": "", "ю": "yu", "я": "ya",
}  # fmt: skip
# Shorter slugs are too likely to be a hand-made word ("itogi") shared by unrelated titles.
MIN_SLUG_PREFIX = 20
# Confidence of a pair by its evidence (the date always agrees): each kind alone, or both.
CONFIDENCE = {
    frozenset({"slug"}): 0.9,
    frozenset({"files"}): 0.9,
    frozenset({"slug", "files"}): 1.0,
}
PROG = "cstocrawl.store.pairing"
PAIRS_FILE = "pairs.jsonl"
LATEST = "news/latest.jsonl"  # under an output dir


def transliterated(title: str) -> str:
    """A Russian title as Bitrix turns it into a slug, not cut: lower case, every run of other
    characters one hyphen."""
    letters = "".join(_TRANSLIT.get(char, char) for char in title.lower())
    words = "".join(c if c.isascii() and c.isalnum() else " " for c in letters).split()
    return "-".join(words)


def slug_of(url: str) -> str:
    """The last path segment (or the element id) of an article URL, in one spelling: decoded,
    lower case, underscores as hyphens (older items use underscores)."""
    parts = urlsplit(url)
    element = dict(parse_qsl(parts.query)).get("ELEMENT_ID")
    last = element or unquote(parts.path.rstrip("/").rsplit("/", 1)[-1])
    return last.lower().replace("_", "-")


@dataclass(frozen=True)
class Record:
    """What pairing reads of one article."""

    url: str
    section: str
    published: str | None
    title: str
    files: frozenset[str]  # SHA-256 of its attachments

    @classmethod
    def of(cls, record: Mapping[str, Any]) -> Record:
        files = {a.get("sha256") for a in record.get("attachments") or []}
        return cls(
            url=str(record["url"]),
            section=str(record.get("section") or ""),
            published=record.get("published"),
            title=str(record.get("title") or ""),
            files=frozenset(f for f in files if isinstance(f, str)),
        )


def evidence(en: Record, ru: Record) -> frozenset[str]:
    """What says `ru` is the original of `en`: "slug", "files"; empty when they cannot be one
    article (another section, another or no date)."""
    if en.section != ru.section or en.published is None or en.published != ru.published:
        return frozenset()
    found = set()
    en_slug, ru_slug = slug_of(en.url), slug_of(ru.url)
    spelled = transliterated(ru.title)
    if en_slug == ru_slug or (
        len(en_slug.rstrip("-")) >= MIN_SLUG_PREFIX and spelled.startswith(en_slug.rstrip("-"))
    ):
        found.add("slug")
    if en.files & ru.files:
        found.add("files")
    return frozenset(found)


@dataclass(frozen=True)
class Pair:
    en: str
    ru: str
    confidence: float
    evidence: tuple[str, ...]


def pair(english: Iterable[Mapping[str, Any]], russian: Iterable[Mapping[str, Any]]) -> list[Pair]:
    """Every English article whose original is the one Russian candidate the evidence names,
    and which is that Russian article's one English candidate."""
    ru_by_key: defaultdict[tuple[str, str | None], list[Record]] = defaultdict(list)
    for ru in map(Record.of, russian):
        ru_by_key[ru.section, ru.published].append(ru)
    candidates: dict[str, list[tuple[Record, frozenset[str]]]] = {}
    claimed: defaultdict[str, int] = defaultdict(int)
    for en in map(Record.of, english):
        found = [
            (ru, kinds) for ru in ru_by_key[en.section, en.published] if (kinds := evidence(en, ru))
        ]
        candidates[en.url] = found
        for ru, _ in found:
            claimed[ru.url] += 1
    pairs = []
    for en_url, found in sorted(candidates.items()):
        if len(found) == 1 and claimed[found[0][0].url] == 1:
            ru, kinds = found[0]
            pairs.append(Pair(en_url, ru.url, CONFIDENCE[kinds], tuple(sorted(kinds))))
    return pairs


def translations(pairs: Sequence[Pair], urls: Iterable[str], lang: str) -> list[dict[str, Any]]:
    """One line per article of the `lang` dataset: its translation in the other language, or
    null."""
    other = "ru" if lang == "en" else "en"
    by_url = {(p.en if lang == "en" else p.ru): p for p in pairs}
    lines = []
    for url in sorted(urls):
        found = by_url.get(url)
        translation = None
        if found is not None:
            translation = {
                "url": found.ru if lang == "en" else found.en,
                "lang": other,
                "confidence": found.confidence,
                "evidence": list(found.evidence),
            }
        lines.append({"url": url, "translation": translation})
    return lines


def with_translations(lines: Iterable[str], pairs_file: Path) -> Iterator[str]:
    """`latest.jsonl`'s lines, each record with its `translation` from the dir's pairs file (null
    for an article the file does not name: paired after it); as they are when no pairing step
    has written one."""
    try:
        with pairs_file.open(encoding="utf-8") as pairs:
            known = {line["url"]: line["translation"] for line in map(json.loads, pairs)}
    except FileNotFoundError:
        yield from lines
        return
    for line in lines:
        record = json.loads(line)
        record["translation"] = known.get(record["url"])
        yield json.dumps(record, ensure_ascii=False)


def read_latest(output_dir: Path) -> list[dict[str, Any]]:
    path = output_dir / LATEST
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def read_both(en_dir: Path, ru_dir: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The two dirs' latest.jsonl, checked to be English and Russian."""
    english, russian = read_latest(en_dir), read_latest(ru_dir)
    if any(r.get("lang") != "en" for r in english) or any(r.get("lang") != "ru" for r in russian):
        raise ValueError("the first dir must hold the English dataset, the second the Russian")
    return english, russian


def write(
    en_dir: Path, ru_dir: Path, english: list[dict[str, Any]], russian: list[dict[str, Any]]
) -> int:
    """Pair the two datasets, write pairs.jsonl in each dir and the records' `translation` in its
    latest.jsonl (the caller holds the dirs' locks); the number of pairs."""
    pairs = pair(english, russian)
    for directory, records, lang in ((en_dir, english, "en"), (ru_dir, russian, "ru")):
        lines = translations(pairs, (r["url"] for r in records), lang)
        pairs_file = directory / "news" / PAIRS_FILE
        write_atomically(pairs_file, (json.dumps(line, ensure_ascii=False) for line in lines))
        latest = [json.dumps(record, ensure_ascii=False) for record in records]
        write_atomically(directory / LATEST, with_translations(latest, pairs_file))
    return len(pairs)


def main(argv: Sequence[str]) -> int:
    """The step's exit codes: 0 written, 64 usage, 66 a dataset missing, 65 a dataset not
    readable as the two languages' latest.jsonl, 73 a file not writable, 75 a run holds a dir's
    lock."""
    if len(argv) != 2:
        usage = "usage: python -m cstocrawl.store.pairing EN_OUTPUT_DIR RU_OUTPUT_DIR"
        print(usage, file=sys.stderr)
        return os.EX_USAGE
    en_dir, ru_dir = Path(argv[0]), Path(argv[1])
    for directory in (en_dir, ru_dir):
        if not (directory / LATEST).is_file():
            print(f"pairing: cannot read {directory / LATEST}: no such file", file=sys.stderr)
            return os.EX_NOINPUT
    try:  # no run rebuilds a latest.jsonl while it is read and written
        with acquire(en_dir, PROG, for_life=False), acquire(ru_dir, PROG, for_life=False):
            return _pair_dirs(en_dir, ru_dir)
    except Refused as refused:  # a run of one of the dirs is going: pair after it
        print(f"pairing: {refused.outcome.reason}", file=sys.stderr)
        return int(refused.outcome.code)


def _pair_dirs(en_dir: Path, ru_dir: Path) -> int:
    try:
        english, russian = read_both(en_dir, ru_dir)
    except OSError as error:
        print(f"pairing: cannot read {error.filename}: {error.strerror}", file=sys.stderr)
        return os.EX_NOINPUT
    except (ValueError, KeyError) as error:
        print(f"pairing: {error}", file=sys.stderr)
        return os.EX_DATAERR
    try:
        paired = write(en_dir, ru_dir, english, russian)
    except OSError as error:
        print(f"pairing: cannot write {error.filename}: {error.strerror}", file=sys.stderr)
        return os.EX_CANTCREAT
    print(f"pairing: {paired} pairs of {len(english)} English and {len(russian)} Russian articles")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
