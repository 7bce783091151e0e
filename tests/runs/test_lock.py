"""The output dir's lock: never through a symbolic link, and what cannot be locked is refused in
one line (issue 18), through the cron runner as a user meets it."""

from __future__ import annotations

import errno
import fcntl
from pathlib import Path
from typing import Any

import pytest

from cstocrawl.runs import lock
from cstocrawl.runs.cron import main
from cstocrawl.runs.lock import acquire, lock_path
from cstocrawl.runs.outcome import Exit, Refused


def cron(output: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """The cron runner's exit code and stderr, refused before any crawl starts."""
    code = main(["news", "-s", f"CSTOCRAWL_OUTPUT_DIR={output}"])
    return code, capsys.readouterr().err


@pytest.fixture(autouse=True)
def _project(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "cstocrawl.settings")
    monkeypatch.delenv(lock.INHERITED_FD, raising=False)


def test_a_lock_that_is_a_symbolic_link_is_refused_and_its_target_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output, target = tmp_path / "out", tmp_path / "precious.txt"
    output.mkdir()
    target.write_text("keep me\n")
    lock_path(output).symlink_to(target)
    code, err = cron(output, capsys)
    assert code == Exit.OUTPUT.value == 73
    assert err == (
        f"cstocrawl.runs.cron: lock file {lock_path(output)} is a symbolic link (not followed); "
        "not started (exit 73)\n"
    )
    assert target.read_text() == "keep me\n"
    assert sorted(path.name for path in output.iterdir()) == ["cron.lock"]  # nothing created
    dangling = tmp_path / "dangling"
    lock_path(dangling).parent.mkdir()
    lock_path(dangling).symlink_to(tmp_path / "nowhere")
    with pytest.raises(Refused) as refused:
        acquire(dangling, "test", for_life=False)
    assert refused.value.outcome.code is Exit.OUTPUT
    assert not (tmp_path / "nowhere").exists()  # not created through the link


def test_a_directory_in_the_locks_place_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lock_path(tmp_path).mkdir()
    code, err = cron(tmp_path, capsys)
    assert code == Exit.OUTPUT
    assert err == (
        f"cstocrawl.runs.cron: lock file {lock_path(tmp_path)} is a directory; not started (exit 73)\n"
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cron.lock"]


def test_a_file_system_without_locks_is_refused_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """No such file system can be mounted without root: `flock` answers as one does (ENOLCK)."""

    def no_locks(*_: Any) -> None:
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", no_locks)
    code, err = cron(tmp_path, capsys)
    assert code == Exit.OUTPUT
    assert err == (
        f"cstocrawl.runs.cron: cannot lock {lock_path(tmp_path)} (No locks available); "
        "not started (exit 73)\n"
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cron.lock"]


def test_a_held_lock_still_names_its_holder(tmp_path: Path) -> None:
    with lock_path(tmp_path).open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.write("4242\ncron\n")
        held.flush()
        with pytest.raises(Refused) as refused:
            acquire(tmp_path, "test", for_life=False)
    assert refused.value.outcome.code is Exit.LOCKED
    assert "another run (pid 4242) holds" in refused.value.outcome.reason
    taken = acquire(tmp_path, "test", for_life=False)
    taken.close()
    assert lock_path(tmp_path).read_text().splitlines()[1] == "test"
