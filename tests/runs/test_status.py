"""`python -m cstocrawl.runs.status` on what real runs of the replica left: two good runs, a failed
one, a killed one, and the same output dir seen days later (STALE)."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cstocrawl.runs.status import RunRecord, main
from tests.crawling import REPO, after_run, crawl_in_process, read_manifest
from tests.replica import Fault, ReplicaSite, serve
from tests.replica.content import LISTINGS

GOOD = (
    "ok; 67 new, 0 changed, 0 unchanged, 0 held, 0 failed; 13 attachments: 12 downloaded, "
    "0 failed; 0 errors"
)
AGAIN = (
    "ok; 0 new, 0 changed, 0 unchanged, 0 held, 0 failed; 0 attachments: 0 downloaded, "
    "0 failed; 0 errors"
)
DOWN = (
    "FAILED, site unreachable: none of the 12 listing pages could be fetched (HTTP 503); "
    "nothing recorded; 25 errors"
)


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Runs good1 and good2 (promoted), then down (the site answering 503 everywhere)."""
    output = tmp_path_factory.mktemp("status")
    site = ReplicaSite(lang="en", variant="custom")
    with serve(site) as base_url:
        for run_id in ("good1", "good2"):
            assert crawl_in_process(base_url, output, run_id=run_id).returncode == 0
            after_run(output, run_id)  # the runs' order is their start times' (whole seconds)
        for path in ["/robots.txt", *LISTINGS]:
            site.set_fault(path, Fault(503))
        assert crawl_in_process(base_url, output, run_id="down").returncode == 69
    return output


def status(capsys: pytest.CaptureFixture[str], *argv: str, now: datetime) -> tuple[int, str, str]:
    code = main(list(argv), now=now)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def ended(output: Path, run_id: str) -> datetime:
    return datetime.fromisoformat(read_manifest(output, run_id)["ended_at"])


def run_lines(out: str) -> list[tuple[str, str, str]]:
    """(run id, exit code, what it said) of each run listed."""
    found = re.findall(r"^  (\S+)  \S+Z  \S+ +exit (\d+) +(.+)$", out, flags=re.MULTILINE)
    return [(run_id, code, said) for run_id, code, said in found]


def test_after_two_good_runs_and_a_failed_one_it_is_fresh(
    output: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    now = ended(output, "down") + timedelta(hours=1)
    code, out, err = status(capsys, str(output), now=now)
    assert (code, err) == (0, "")
    assert run_lines(out) == [("good1", "0", GOOD), ("good2", "0", AGAIN), ("down", "69", DOWN)]
    assert out.splitlines()[0].startswith(f"{output}/news/latest.jsonl: 67 articles, written ")
    last = ended(output, "good2").isoformat().replace("+00:00", "Z")
    assert out.splitlines()[-1] == (
        f"cstocrawl.runs.status: ok: the last promoted run ended {last}, "
        f"{(now - ended(output, 'good2')).total_seconds() / 60:.0f} minutes ago (limit 2 days) "
        "(exit 0)"
    )


def test_no_run_promoted_for_longer_than_the_limit_is_stale(
    output: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    later = ended(output, "good2") + timedelta(days=3)
    code, out, err = status(capsys, str(output), "--runs", "1", now=later)
    assert code == 1
    assert run_lines(out) == [("down", "69", DOWN)]
    last = ended(output, "good2").isoformat().replace("+00:00", "Z")
    assert err == (
        f"cstocrawl.runs.status: STALE: the last promoted run ended {last}, 3.0 days ago "
        "(limit 2 days) (exit 1)\n"
    )
    assert status(capsys, str(output), "--days", "4", now=later)[0] == 0


def test_a_killed_run_and_an_output_dir_never_promoted(
    output: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    news = tmp_path / "news"
    news.mkdir()
    (news / "killed.jsonl.tmp").write_text('{"url": "x"}\n')
    before = sorted(tmp_path.rglob("*"))
    code, out, err = status(capsys, str(tmp_path), now=datetime.now(UTC))
    assert code == 1
    assert "  killed  no manifest: killed, or running now (see logs/killed.log)\n" in out
    assert err == f"cstocrawl.runs.status: STALE: no run in {tmp_path} was ever promoted (exit 1)\n"
    assert sorted(tmp_path.rglob("*")) == before  # read only


def test_exit_codes_from_the_shell(output: Path, tmp_path: Path) -> None:
    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "cstocrawl.runs.status", *argv]
        return subprocess.run(
            command, cwd=REPO, capture_output=True, text=True, timeout=60, check=False
        )

    before = sorted(output.rglob("*"))
    assert run(str(output)).returncode == 0
    stale = run(str(output), "--days", "0.00001")
    assert stale.returncode == 1 and stale.stderr.startswith("cstocrawl.runs.status: STALE: ")
    assert sorted(output.rglob("*")) == before
    missing = run(str(tmp_path / "none"))
    assert (missing.returncode, missing.stderr) == (
        66,
        f"cstocrawl.runs.status: {tmp_path / 'none'} holds no runs (news/ is missing) (exit 66)\n",
    )
    assert run(str(output), "--days", "x").returncode == 64


def test_held_articles_are_counted_from_the_verdicts(output: Path) -> None:
    """The per-article verdicts (counts.held) show in the run's line."""
    manifest = read_manifest(output, "good1")
    manifest["counts"]["held"] = 2
    assert "0 unchanged, 2 held, 0 failed;" in RunRecord("good1", manifest).line()
