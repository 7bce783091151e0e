"""Issue 10, row by row: the exact command a user types, its exit code, its one line of output,
and what is (and is not) on disk afterwards. The replica serves the site on 127.0.0.1."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from threading import Event

import pytest

from cstocrawl.commands.crawl import FEEDS_NOTE
from tests.crawling import (
    REPO,
    crawl_in_process,
    cron_command,
    hold,
    options,
    read_dataset,
    run_cron,
)
from tests.replica import Fault, ReplicaSite, serve
from tests.replica.content import LISTINGS

# The replica's 12 listings failing (the body's found on /authorized_organs/, which answers);
# with no answer at all, what the run starts from: /news/, the table's 10 and the 2 home tabs.
ALL_RUNS_FAILED = "FAILED, site unreachable: none of the 12 listing pages could be fetched"
NOTHING_ANSWERS = ALL_RUNS_FAILED.replace("12", "13")


def scrapy(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """`scrapy ARGS...` run from the project directory, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def crawl(
    base_url: str, output: Path, *args: str, extra: tuple[str, ...] = (), **settings: str
) -> subprocess.CompletedProcess[str]:
    """`scrapy crawl news -a base_url=... -a ARG... -s CSTOCRAWL_OUTPUT_DIR=... EXTRA...`, fast."""
    return scrapy("crawl", "news", *options(base_url, output, args, settings), *extra)


def last_line(text: str) -> str:
    return text.rstrip("\n").rsplit("\n", 1)[-1]


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def on_disk(output: Path) -> dict[str, bytes]:
    """Every dataset file and the articles the state knows, to compare before and after."""
    files = {
        str(path.relative_to(output)): path.read_bytes()
        for path in sorted((output / "news").glob("*"))
        if path.is_file()
    }
    if (output / "state.sqlite").exists():
        with sqlite3.connect(output / "state.sqlite") as db:
            rows = db.execute("SELECT * FROM articles ORDER BY url").fetchall()
            rows += db.execute("SELECT * FROM attachments ORDER BY url").fetchall()
            rows += db.execute("SELECT count(*) FROM pending").fetchall()
        db.close()
        files["state: articles, attachments, pending"] = json.dumps(rows).encode()
    return files


def assert_unchanged(before: dict[str, bytes], output: Path, run_id: str) -> None:
    """Nothing a failed run may touch was touched: it left only its .tmp and its manifest."""
    after = on_disk(output)
    assert {name: after.get(name) for name in before} == before
    assert set(after) - set(before) <= {
        f"news/{run_id}.jsonl.tmp",
        f"news/{run_id}.manifest.json",
        f"news/{run_id}.report.md",
    }


@pytest.fixture(scope="module")
def good_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output dir after one good English run (run id "good") of the replica, made in process:
    the commands run on it are what is under test."""
    output = tmp_path_factory.mktemp("good")
    with serve(ReplicaSite(lang="en", variant="custom")) as base_url:
        result = crawl_in_process(base_url, output, run_id="good")
    assert result.returncode == 0, result.log[-3000:]
    assert result.line == (
        "cstocrawl good: ok; 67 new, 0 changed, 0 unchanged, 0 held, 0 failed; "
        "13 attachments: 12 downloaded, 0 failed; 0 errors (exit 0)"
    )
    return output


@pytest.fixture
def output(good_output: Path, tmp_path: Path) -> Path:
    """A copy of the good output dir, for one test to change."""
    return Path(shutil.copytree(good_output, tmp_path / "output"))


def down(site: ReplicaSite) -> ReplicaSite:
    for path in ["/robots.txt", *LISTINGS]:
        site.set_fault(path, Fault(503))
    return site


# --- row 1: `make crawl` with the site unreachable ------------------------------------------------


@pytest.mark.parametrize(
    ("target", "command"),
    [
        ("crawl", ".venv/bin/scrapy crawl news -s CSTOCRAWL_OUTPUT_DIR=/data/csto"),
        ("daily", ".venv/bin/python -m cstocrawl.runs.cron news -s CSTOCRAWL_OUTPUT_DIR=/data/csto"),
    ],
)
def test_make_runs_the_commands_tested_here(target: str, command: str) -> None:
    """make adds nothing but its own exit code (2 on any failure, which is none of ours)."""
    dry = subprocess.run(
        # Under `make test` this make is a sub-make: --no-print-directory keeps its output bare.
        ["make", "-n", "--no-print-directory", "-o", ".venv/.installed", target, "OUTPUT=/data/csto"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert dry.stdout.splitlines()[-1] == command


def test_the_site_answering_503_everywhere_fails_and_keeps_the_last_good_dataset(
    output: Path,
) -> None:
    before = on_disk(output)
    with serve(down(ReplicaSite(lang="en", variant="custom"))) as base_url:
        result = crawl(base_url, output, CSTOCRAWL_RUN_ID="down", RETRY_TIMES="1")
    assert result.returncode == 69
    assert result.stdout == ""
    assert re.fullmatch(
        rf"cstocrawl down: {ALL_RUNS_FAILED} \(HTTP 503\); nothing recorded; "
        r"\d+ errors \(exit 69\)",
        last_line(result.stderr),
    )
    assert "Dataset written" not in result.stderr
    assert_unchanged(before, output, "down")
    assert not (output / "news" / "down.jsonl").exists()


def test_listings_that_time_out_are_the_site_unreachable_too(tmp_path: Path) -> None:
    site = ReplicaSite(lang="en", variant="custom")
    for path in LISTINGS:
        site.set_fault(path, Fault(None, delay=3))
    with serve(site) as base_url:
        result = crawl(
            base_url, tmp_path, CSTOCRAWL_RUN_ID="r1", RETRY_TIMES="0", DOWNLOAD_TIMEOUT="1"
        )
    assert result.returncode == 69
    # The listing requests made before the run ended were 12 in one run and 13 in another (the
    # pages that answer here can link one more listing in time, or not); the 503 test above, where
    # nothing waits on a clock, asserts the count.
    unreachable = ALL_RUNS_FAILED.replace("12", r"1[23]")
    assert re.fullmatch(
        rf"cstocrawl r1: {unreachable} \(\w*Timeout\w*\); nothing recorded; "
        r"\d+ errors \(exit 69\)",
        last_line(result.stderr),
    )
    assert not (tmp_path / "news" / "latest.jsonl").exists()


# --- row 2: `scrapy crawl news -a base_url=http://127.0.0.1:1` ----------------------------------


def test_a_refused_connection_fails_and_promotes_nothing(tmp_path: Path) -> None:
    base_url = f"http://127.0.0.1:{free_port()}"
    result = crawl(base_url, tmp_path, CSTOCRAWL_RUN_ID="r1", RETRY_TIMES="1")
    assert result.returncode == 69
    assert re.fullmatch(
        rf"cstocrawl r1: {NOTHING_ANSWERS} \(\w*ConnectionRefusedError\); nothing recorded; "
        r"\d+ errors \(exit 69\)",
        last_line(result.stderr),
    )
    news = tmp_path / "news"
    # No empty .tmp.
    assert sorted(path.name for path in news.iterdir()) == ["r1.manifest.json", "r1.report.md"]
    manifest = json.loads((news / "r1.manifest.json").read_text(encoding="utf-8"))
    assert manifest["state"] == {"outcome": "discarded", "articles": 0}
    assert manifest["outcome"]["code"] == 69 and manifest["dataset"] is None


# --- row 3: `make daily` with the site unreachable ------------------------------------------------


def test_the_cron_runner_says_unreachable_not_markup(output: Path) -> None:
    before = on_disk(output)
    with serve(down(ReplicaSite(lang="en", variant="custom"))) as base_url:
        result = run_cron(
            base_url, output, settings={"CSTOCRAWL_RUN_ID": "down", "RETRY_TIMES": "1"}
        )
    assert result.returncode == 69
    assert result.stdout == ""
    assert re.fullmatch(
        rf"cstocrawl.runs.cron down: {ALL_RUNS_FAILED} \(HTTP 503\); nothing recorded; "
        r"\d+ errors \(exit 69\)\n",
        result.stderr,
    )
    assert_unchanged(before, output, "down")


# --- rows 4-6: bad arguments, before anything is created -----------------------------------------


BAD_ARGUMENTS = [
    ("lang=fr", "-a lang=fr: expected one of en, ru"),
    (
        "sections=nosuch",
        "-a sections=nosuch: unknown section nosuch; known: news_odkb, speech, smi, statements, "
        "permanent_council, secretariat, session, training, international_org, chairmanship",
    ),
    (
        "section=statements",
        "unknown argument -a section=statements; known: base_url, full, lang, max_pages, sections",
    ),
    ("max_pages=0", "-a max_pages=0: expected a positive whole number"),
    ("max_pages=-3", "-a max_pages=-3: expected a positive whole number"),
]


@pytest.mark.parametrize(("argument", "message"), BAD_ARGUMENTS)
def test_a_bad_argument_to_the_cron_runner_creates_nothing(
    tmp_path: Path, argument: str, message: str
) -> None:
    output = tmp_path / "output"
    command = [sys.executable, "-m", "cstocrawl.runs.cron", "news", "-a", argument]
    result = subprocess.run(
        [*command, "-s", f"CSTOCRAWL_OUTPUT_DIR={output}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (result.returncode, result.stdout) == (64, "")
    assert result.stderr == f"cstocrawl.runs.cron: {message} (exit 64)\n"
    assert not output.exists()  # no lock, no logs, no state, no run recorded


@pytest.mark.parametrize(("argument", "message"), BAD_ARGUMENTS)
def test_a_bad_argument_to_scrapy_crawl_creates_nothing(
    output: Path, argument: str, message: str
) -> None:
    before = sorted(output.rglob("*"))
    result = scrapy("crawl", "news", "-a", argument, "-s", f"CSTOCRAWL_OUTPUT_DIR={output}")
    assert (result.returncode, result.stdout) == (64, "")
    assert result.stderr == f"cstocrawl: {message} (exit 64)\n"
    assert sorted(output.rglob("*")) == before


def test_bad_usage_is_one_line_too(tmp_path: Path) -> None:
    result = scrapy("crawl", "-s", f"CSTOCRAWL_OUTPUT_DIR={tmp_path / 'o'}")
    assert (result.returncode, result.stderr) == (
        64,
        "cstocrawl: usage: scrapy crawl news [-a NAME=VALUE]... [-s NAME=VALUE]... [-O FILE] "
        "(exit 64)\n",
    )
    result = scrapy("crawl", "nosuch", "-s", f"CSTOCRAWL_OUTPUT_DIR={tmp_path / 'o'}")
    assert (result.returncode, result.stderr) == (
        64,
        "cstocrawl: no spider named 'nosuch'; known: news, jscsto, ksopn (exit 64)\n",
    )
    assert list(tmp_path.iterdir()) == []


BAD_SETTINGS = [
    (
        "CSTOCRAWL_OUTPT_DIR=/data/csto",
        "unknown setting CSTOCRAWL_OUTPT_DIR; did you mean CSTOCRAWL_OUTPUT_DIR?",
    ),
    ("DOWNLOAD_DELAY=abc", "-s DOWNLOAD_DELAY=abc: expected a number of at least 0"),
    ("CSTOCRAWL_WARC=maybe", "-s CSTOCRAWL_WARC=maybe: expected True or False (or 1 or 0)"),
    ("LOG_LEVEL=LOUD", "-s LOG_LEVEL=LOUD: expected one of CRITICAL, ERROR, WARNING, INFO, DEBUG"),
    (
        "CSTOCRAWL_ATTACHMENT_TIMEOUT=-5",
        "-s CSTOCRAWL_ATTACHMENT_TIMEOUT=-5: expected a number of at least 0",
    ),
]


@pytest.mark.parametrize("runner", ["scrapy crawl", "cron"])
@pytest.mark.parametrize(("setting", "message"), BAD_SETTINGS)
def test_a_bad_setting_is_one_line_and_nothing_on_disk(
    tmp_path: Path, runner: str, setting: str, message: str
) -> None:
    """Run where a user stands (the default output dir is ./output): nothing appears there."""
    command = [
        sys.executable,
        "-m",
        *(["scrapy", "crawl"] if runner == "scrapy crawl" else ["cstocrawl.runs.cron"]),
    ]
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "cstocrawl.settings", "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [*command, "news", "-s", setting],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    prog = "cstocrawl" if runner == "scrapy crawl" else "cstocrawl.runs.cron"
    assert (result.returncode, result.stdout) == (64, "")
    assert result.stderr == f"{prog}: {message} (exit 64)\n"
    assert list(tmp_path.iterdir()) == []  # no output/, state.sqlite, cron.lock or log


# --- row 7: an output dir that cannot be written --------------------------------------------------


def test_an_output_dir_that_cannot_be_written_is_one_line(tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("not a directory\n")
    result = scrapy("crawl", "news", "-s", f"CSTOCRAWL_OUTPUT_DIR={afile}")
    assert (result.returncode, result.stdout) == (73, "")
    assert result.stderr == f"cstocrawl: output dir {afile} is not a directory (exit 73)\n"
    assert afile.read_text() == "not a directory\n"
    # A place nobody can write in (/proc takes no files, even from root).
    result = subprocess.run(
        [sys.executable, "-m", "cstocrawl.runs.cron", "news", "-s", "CSTOCRAWL_OUTPUT_DIR=/proc/csto"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 73
    assert re.fullmatch(
        r"cstocrawl\.runs\.cron: output dir /proc/csto is not writable \(/proc: .+\) \(exit 73\)\n",
        result.stderr,
    )


@pytest.mark.skipif(
    os.geteuid() == 0,
    reason="root writes in read-only directories; as root, "
    "test_an_output_dir_that_cannot_be_written_is_one_line checks the same refusal on /proc",
)
def test_a_read_only_output_dir_is_one_line(output: Path) -> None:
    output.chmod(0o555)
    try:
        result = scrapy("crawl", "news", "-s", f"CSTOCRAWL_OUTPUT_DIR={output}")
    finally:
        output.chmod(0o755)
    assert result.returncode == 73
    assert result.stderr == (
        f"cstocrawl: output dir {output} is not writable ({output}: Permission denied) (exit 73)\n"
    )


# --- row 8: `scrapy crawl news` while the cron runner works on the same output dir ------------


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 120) -> None:
    """Until `condition` holds; the timeout only stops a test that hangs."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.02)


@pytest.fixture
def held_runner(output: Path) -> Iterator[tuple[subprocess.Popen[str], ReplicaSite, Event]]:
    """The cron runner at work on `output` (three new articles to fetch), held by the replica until
    the event is set: it holds its lock, and cannot finish, for as long as a test needs."""
    site = ReplicaSite(lang="en", variant="custom")
    site.add_articles("news_odkb", 3)
    released = hold(site)
    # A held request must not time out, whatever the test does meanwhile.
    settings = {"CSTOCRAWL_RUN_ID": "slow", "DOWNLOAD_TIMEOUT": "600"}
    with serve(site) as base_url:
        runner = subprocess.Popen(
            cron_command(base_url, output, settings=settings),
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            wait_for(lambda: (output / "logs" / "slow.log").exists(), "the runner's log")
            yield runner, site, released
        finally:
            released.set()
            if runner.poll() is None:
                runner.kill()
            runner.communicate(timeout=60)


def test_scrapy_crawl_while_the_cron_runner_works_exits_75_at_once(
    output: Path, held_runner: tuple[subprocess.Popen[str], ReplicaSite, Event]
) -> None:
    runner, _, released = held_runner
    before = sorted(output.rglob("*"))
    result = scrapy(
        "crawl", "news", "-a", "base_url=http://127.0.0.1:9", "-s", f"CSTOCRAWL_OUTPUT_DIR={output}"
    )
    assert (result.returncode, result.stdout) == (75, "")
    assert result.stderr == (
        f"cstocrawl: another run (pid {runner.pid}) holds {output / 'cron.lock'}; not started "
        "(exit 75)\n"
    )
    assert runner.poll() is None  # the runner's run went on
    assert set(output.rglob("*")) >= set(before)
    released.set()
    runner.wait(timeout=120)
    assert runner.returncode == 0, runner.stderr


# --- row 14: SIGTERM to the cron runner -----------------------------------------------------------


def test_sigterm_to_the_cron_runner_discards_the_run_and_says_so(
    output: Path, held_runner: tuple[subprocess.Popen[str], ReplicaSite, Event]
) -> None:
    runner, site, released = held_runner
    before = on_disk(output)
    wait_for(lambda: site.hits["/news/"] > 0, "the crawl at work")
    runner.send_signal(signal.SIGTERM)
    # Released once the engine closes: the listings it waits for come back, no article is fetched.
    log = output / "logs" / "slow.log"
    wait_for(lambda: "Closing spider (shutdown)" in log.read_text(), "the crawl closing")
    released.set()
    stdout, stderr = runner.communicate(timeout=120)
    assert runner.returncode == 1
    assert stdout == ""
    assert re.fullmatch(
        r"cstocrawl\.runs\.cron slow: FAILED, the crawl closed with 'shutdown'; nothing recorded"
        r"(, \d+ held)?(, \d+ failed)?(, \d+ cancelled)?; 0 errors \(exit 1\)\n",
        stderr,
    )
    assert " new" not in stderr
    manifest = json.loads((output / "news" / "slow.manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["new"] == manifest["counts"]["changed"] == 0
    assert manifest["state"]["outcome"] == "discarded"
    assert_unchanged(before, output, "slow")
    # What the stop cut short is cancelled, not failed: no ERROR, nothing on the retry list.
    assert "ERROR: Failed" not in log.read_text(encoding="utf-8")
    assert manifest["counts"]["failed"] == 0


# --- row 9: `-a lang=ru` into the output dir of an English run -----------------------------------


def test_russian_into_an_english_output_dir_is_refused(output: Path) -> None:
    before = on_disk(output)
    result = scrapy("crawl", "news", "-a", "lang=ru", "-s", f"CSTOCRAWL_OUTPUT_DIR={output}")
    assert (result.returncode, result.stdout) == (64, "")
    assert result.stderr == (
        f"cstocrawl: {output} holds the crawl state of lang=en; give lang=ru an output dir of "
        f"its own, e.g. -s CSTOCRAWL_OUTPUT_DIR={output / 'ru'} (exit 64)\n"
    )
    assert on_disk(output) == before


@pytest.mark.parametrize("runner", ["scrapy crawl", "cron"])
def test_the_official_site_into_a_mirrors_output_dir_is_refused(output: Path, runner: str) -> None:
    """The good output dir holds the replica's pages: the official site's must not join them."""
    before = sorted(output.rglob("*"))
    command = ["crawl"] if runner == "scrapy crawl" else []
    result = (
        scrapy(*command, "news", "-s", f"CSTOCRAWL_OUTPUT_DIR={output}")
        if command
        else subprocess.run(
            [
                sys.executable,
                "-m",
                "cstocrawl.runs.cron",
                "news",
                "-s",
                f"CSTOCRAWL_OUTPUT_DIR={output}",
            ],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    )
    manifest = json.loads((output / "news" / "good.manifest.json").read_text(encoding="utf-8"))
    prog = "cstocrawl" if command else "cstocrawl.runs.cron"
    assert (result.returncode, result.stdout) == (64, "")
    assert result.stderr == (
        f"{prog}: {output} holds a mirror's pages ({manifest['source']['base_url']}) and this run "
        "crawls the official site: give it an output dir of its own, or "
        "-s CSTOCRAWL_MIX_SOURCES=True (exit 64)\n"
    )
    assert sorted(output.rglob("*")) == before  # nothing written, not even a log


def test_russian_into_its_own_output_dir_under_the_english_one_works(output: Path) -> None:
    with serve(ReplicaSite(lang="ru", variant="bitrix")) as base_url:
        result = crawl(base_url, output / "ru", "lang=ru", CSTOCRAWL_RUN_ID="ru1")
    assert result.returncode == 0, result.stderr[-3000:]
    assert {record["lang"] for record in read_dataset(output / "ru", "ru1")} == {"ru"}
    assert {record["lang"] for record in read_dataset(output, "latest")} == {"en"}


# --- corrupted state --------------------------------------------------------------------------


def test_a_corrupt_state_file_is_one_line_naming_it(output: Path) -> None:
    state = output / "state.sqlite"
    for leftover in output.glob("state.sqlite-*"):
        leftover.unlink()
    state.write_bytes(b"\0garbage" * 512)
    result = scrapy("crawl", "news", "-s", f"CSTOCRAWL_OUTPUT_DIR={output}")
    assert (result.returncode, result.stdout) == (65, "")
    assert result.stderr == (
        f"cstocrawl: {state} is unreadable (file is not a database): restore it from a backup, "
        "or move it aside to start afresh (the next run then fetches the whole site again) "
        "(exit 65)\n"
    )
    assert state.read_bytes() == b"\0garbage" * 512


# --- rows 10 and 11: scrapy shell, parse, check: they work, and record nothing -------------------


@pytest.fixture
def site_and_output(output: Path) -> Iterator[tuple[str, ReplicaSite, Path]]:
    site = ReplicaSite(lang="en", variant="custom")
    with serve(site) as base_url:
        yield base_url, site, output


def tree(output: Path) -> list[Path]:
    return sorted(output.rglob("*"))


def assert_nothing_recorded(output: Path, before: dict[str, bytes], paths: list[Path]) -> None:
    """No file added or changed, no run recorded in the state."""
    assert tree(output) == paths
    assert on_disk(output) == before
    with sqlite3.connect(output / "state.sqlite") as db:
        assert db.execute("SELECT run_id FROM runs").fetchall() == [("good",)]
    db.close()


@pytest.mark.parametrize("spider", [[], ["--spider", "news"]], ids=["default", "news"])
def test_scrapy_shell_works_and_records_nothing(
    site_and_output: tuple[str, ReplicaSite, Path], spider: list[str]
) -> None:
    base_url, site, output = site_and_output
    before, paths = on_disk(output), tree(output)
    article = site.articles[0]
    code = "(response.status, response.url)"
    result = scrapy(
        "shell",
        *spider,
        f"{base_url}{article.path}",
        "-c",
        code,
        "-s",
        f"CSTOCRAWL_OUTPUT_DIR={output}",
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout == f"{(200, base_url + article.path)}\n"
    assert "Traceback" not in result.stderr
    assert_nothing_recorded(output, before, paths)


def test_scrapy_parse_works_on_an_article_and_a_listing_and_records_nothing(
    site_and_output: tuple[str, ReplicaSite, Path],
) -> None:
    base_url, site, output = site_and_output
    before, paths = on_disk(output), tree(output)
    article = site.articles[0]
    common = [
        "--spider",
        "news",
        "-a",
        f"base_url={base_url}",
        "-s",
        f"CSTOCRAWL_OUTPUT_DIR={output}",
    ]
    explicit = scrapy("parse", *common, "-c", "parse_article", f"{base_url}{article.path}")
    assert explicit.returncode == 0, explicit.stderr[-3000:]
    assert f"'url': '{article.url}'" in explicit.stdout
    assert "ERROR" not in explicit.stderr
    guessed = scrapy("parse", *common, "--trace", f"{base_url}{article.path}")
    assert f"'url': '{article.url}'" in guessed.stdout
    # --trace: which signal decided each part, one line each (cstocrawl/parsing/trace.py)
    trace = guessed.stdout.split(">>> TRACE (the page as an article, no listing's evidence)")[1]
    # (without a listing, the body is weighed against trafilatura's text: an edges line of its own)
    assert [line.split()[0] for line in trace.splitlines()[1:6]] == [
        "title", "block", "edges", "date", "edges"
    ]
    assert "no listing: our lines weighed against trafilatura's text" in trace
    listing = scrapy("parse", *common, f"{base_url}/news/news_odkb/")
    assert listing.returncode == 0, listing.stderr[-3000:]
    assert f"<GET {base_url}{site.listing('/news/news_odkb/')[0].path}>" in listing.stdout
    assert "ERROR" not in guessed.stderr + listing.stderr
    assert_nothing_recorded(output, before, paths)


def test_scrapy_parse_of_a_mirror_without_base_url_says_why_nothing_was_parsed(
    site_and_output: tuple[str, ReplicaSite, Path],
) -> None:
    base_url, _, output = site_and_output
    result = scrapy(
        "parse", "--spider", "news", "-s", f"CSTOCRAWL_OUTPUT_DIR={output}", f"{base_url}/news/"
    )
    assert result.returncode == 1
    assert last_line(result.stderr) == (
        f"cstocrawl: {base_url}/news/ is not on the site the spider crawls, so it was not "
        f"requested: for a mirror, add -a base_url={base_url}"
    )
    assert "WarcCapture" not in result.stderr  # the tools do not load it, so say nothing of it


def test_scrapy_fetch_works_and_records_nothing(
    site_and_output: tuple[str, ReplicaSite, Path],
) -> None:
    base_url, site, output = site_and_output
    before, paths = on_disk(output), tree(output)
    url = f"{base_url}/news/news_odkb/"
    result = scrapy("fetch", "--spider", "news", "-s", f"CSTOCRAWL_OUTPUT_DIR={output}", url)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout == site.page("/news/news_odkb/").body.decode() + "\n"  # print()
    assert_nothing_recorded(output, before, paths)


def test_scrapy_check_works_and_records_nothing(output: Path) -> None:
    before, paths = on_disk(output), tree(output)
    result = scrapy("check", "-s", f"CSTOCRAWL_OUTPUT_DIR={output}", timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Ran 0 contracts" in result.stderr
    assert_nothing_recorded(output, before, paths)


# --- row 12: feed exports get what the run emits ------------------------------------------------


def test_feed_exports_get_what_each_run_emits_and_the_log_says_so(
    site_and_output: tuple[str, ReplicaSite, Path], tmp_path: Path
) -> None:
    base_url, _, output = site_and_output
    items = tmp_path / "items.jsonl"
    incremental = crawl(base_url, output, extra=("-O", str(items)), CSTOCRAWL_RUN_ID="again")
    assert incremental.returncode == 0, incremental.stderr[-3000:]
    assert f"WARNING: {FEEDS_NOTE}" in incremental.stderr
    assert items.read_text(encoding="utf-8") == ""  # nothing new: the run emitted nothing
    full = crawl(base_url, output, "full=1", extra=("-O", str(items)), CSTOCRAWL_RUN_ID="full")
    assert full.returncode == 0, full.stderr[-3000:]
    assert FEEDS_NOTE not in full.stderr
    assert len(items.read_text(encoding="utf-8").splitlines()) == 67  # every section


# --- row 13: no remote control, no listening port ----------------------------------------------


def listening_inodes() -> set[str]:
    """Inodes of the TCP sockets in LISTEN state on this machine."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        lines = Path(table).read_text().splitlines()[1:] if Path(table).exists() else []
        for line in lines:
            fields = line.split()
            if fields[3] == "0A":  # TCP_LISTEN
                inodes.add(fields[9])
    return inodes


def listening_sockets_of(pid: int) -> set[str]:
    listening, owned = listening_inodes(), set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = str(fd.readlink())
        except OSError:
            continue
        if target.startswith("socket:[") and target[8:-1] in listening:
            owned.add(target)
    return owned


def test_a_run_opens_no_listening_port(tmp_path: Path) -> None:
    site = ReplicaSite(lang="en", variant="custom")
    released = hold(site)  # the crawl waits on it until checked
    with serve(site) as base_url:
        assert listening_sockets_of(os.getpid())  # the check sees our own replica server
        command = [sys.executable, "-m", "scrapy", "crawl", "news"]
        command += options(base_url, tmp_path, (), {"CSTOCRAWL_RUN_ID": "r1"})
        run = subprocess.Popen(
            command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        try:
            wait_for(lambda: site.hits["/news/"] > 0, "the crawl at work")
            assert run.poll() is None
            assert listening_sockets_of(run.pid) == set()
        finally:
            released.set()
            stdout, stderr = run.communicate(timeout=120)
    assert run.returncode == 0, stderr[-3000:]
    assert "Remote control" not in stderr
    assert "Telnet console listening" not in stderr
    assert stdout.startswith("cstocrawl r1: ok; 67 new")
