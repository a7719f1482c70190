"""Other people's directories stay as they are: sitedash sets 0700 only on directories
it creates, refuses a directory that is not its own in one line, and a command that only
reads never creates a file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sitedash.cli import main
from tests.conftest import FrozenClock


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args), clock=FrozenClock())
    return code, capsys.readouterr().err


def tree(folder: Path) -> dict[str, tuple[int, bytes | None]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_mode, p.read_bytes() if p.is_file() else None)
        for p in sorted(folder.rglob("*"))
    }


@pytest.mark.parametrize("mode", [0o1777, 0o2770, 0o755])
def test_a_shared_empty_dir_keeps_its_mode(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], mode: int
) -> None:
    shared = tmp_path / "team"
    shared.mkdir()
    shared.chmod(mode)
    code, err = run(capsys, "--data-dir", str(shared), "add", "note", "first")
    assert code == 2 and "no engagement" in err  # it opened the dir, and said what is missing
    assert shared.stat().st_mode & 0o7777 == mode


def test_a_new_dir_is_private(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.umask(0o022)
    fresh = tmp_path / "new" / "data"
    code, _ = run(capsys, "--data-dir", str(fresh), "clock", "in")
    assert code == 0
    assert fresh.stat().st_mode & 0o777 == 0o700
    assert all(p.stat().st_mode & 0o077 == 0 for p in fresh.rglob("*"))


def test_a_dir_with_other_files_is_refused_and_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home_like = tmp_path / "documents"
    home_like.mkdir()
    (home_like / "thesis.tex").write_text("chapter 1")
    (home_like / "photos").mkdir()
    before = tree(home_like)
    for args in (["status"], ["clock", "in"], ["add", "plan", "x"], ["export", "daily"]):
        code, err = run(capsys, "--data-dir", str(home_like), *args)
        assert code == 2, args
        assert err.count("\n") == 1 and "not empty" in err and "Traceback" not in err, err
    assert tree(home_like) == before


def test_root_and_home_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    before = tree(home)
    code, err = run(capsys, "--data-dir", str(home), "clock", "in")
    assert code == 2 and "home directory" in err, err
    assert tree(home) == before
    code, err = run(capsys, "--data-dir", "/", "status")
    assert code == 2 and "home directory" in err and err.count("\n") == 1, err


def test_read_only_commands_create_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere" / "data"
    reading = (
        ["status"],
        ["export", "daily"],
        ["standup"],
        ["contacts"],
        ["engagement", "list"],
        ["clock", "log"],
        ["clock", "log", "--date", "2026-11-24"],
    )
    for args in reading:
        code, err = run(capsys, "--data-dir", str(missing), *args)
        assert code in (0, 2), err
        assert "Traceback" not in err
        assert not missing.exists() and not missing.parent.exists(), args


def test_read_only_commands_change_nothing_in_an_existing_dir(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    assert run(capsys, "demo-data", str(data), "--days", "3")[0] == 0
    # Yesterday's data, so that today's first write would take a backup.
    for backup in (data / "backups").glob("*"):
        for p in sorted(backup.rglob("*"), reverse=True):
            p.unlink() if p.is_file() else p.rmdir()
        backup.rmdir()
    before = tree(data)
    assert run(capsys, "--data-dir", str(data), "status")[0] == 0
    assert (
        run(capsys, "--data-dir", str(data), "export", "daily", "--engagement", "mes-gyor")[0] == 0
    )
    for args in (["standup"], ["contacts"], ["engagement", "list"], ["clock", "log"]):
        assert run(capsys, "--data-dir", str(data), *args)[0] == 0, args
    assert tree(data) == before


def test_unreachable_data_dirs_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "gone" / "data")
    for target in (loop, dangling):
        code, err = run(capsys, "--data-dir", str(target), "add", "plan", "x")
        assert code == 2 and err.count("\n") == 1 and "Traceback" not in err, err
    # An unreadable directory (as root, permissions do not stop us: simulate the refusal).
    locked = tmp_path / "locked"
    locked.mkdir()

    def refuse(path: object) -> object:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(os, "scandir", refuse)
    code, err = run(capsys, "--data-dir", str(locked), "status")
    assert code == 2 and "Permission denied" in err and err.count("\n") == 1, err
