"""`--out` takes a regular file or a directory, with or without `--force`: a FIFO, a
socket or a device node is refused in one line and never replaced; a path ending in
`/` is a directory, made when missing (issue 16, point 6)."""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

import pytest

from sitedash.errors import InputError
from sitedash.reports.output import target_path
from sitedash.storage import Store
from tests.cli.test_cli import assert_usage_error

COMMANDS = {
    "export": ("export", "daily"),
    "collect": ("collect", "REPORTS"),
}


def command(name: str, reports: Path) -> list[str]:
    return [str(reports) if arg == "REPORTS" else arg for arg in COMMANDS[name]]


@pytest.fixture
def reports(run, store: Store, tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    assert run("export", "daily", "--out", str(folder))[0] == 0
    return folder


def special_files(tmp_path: Path) -> dict[str, Path]:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / "sock.md"))
    sock.close()
    return {"fifo": fifo, "socket": tmp_path / "sock.md"}


def fingerprint(path: Path) -> tuple[int, int, int]:
    info = path.lstat()
    return info.st_ino, stat.S_IFMT(info.st_mode), info.st_rdev


@pytest.mark.parametrize("name", COMMANDS)
@pytest.mark.parametrize("force", [False, True])
def test_a_fifo_or_socket_is_refused_and_kept(
    run,
    reports: Path,
    tmp_path: Path,
    name: str,
    force: bool,
) -> None:
    folder = tmp_path / f"{name}-{force}"
    folder.mkdir()
    for kind, path in special_files(folder).items():
        before = fingerprint(path)
        args = [*command(name, reports), "--out", str(path)] + (["--force"] if force else [])
        assert_usage_error(run(*args), "not a regular file", str(path))
        assert fingerprint(path) == before, f"the {kind} was replaced"
        assert not [p for p in folder.iterdir() if p.name.startswith(".")], "a temp file left"


def test_a_device_node_is_refused_and_kept(run, reports: Path) -> None:
    device = Path("/dev/null")
    # The pure check first: a failure here stops before any command could touch it.
    with pytest.raises(InputError, match="not a regular file"):
        target_path(str(device), "x.md")
    before = fingerprint(device)
    for name in COMMANDS:
        for extra in ([], ["--force"]):
            result = run(*command(name, reports), "--out", str(device), *extra)
            assert_usage_error(result, "not a regular file")
    assert fingerprint(device) == before
    assert stat.S_ISCHR(device.lstat().st_mode)


@pytest.mark.parametrize("name", COMMANDS)
def test_a_trailing_slash_is_a_directory_made_when_missing(
    run,
    reports: Path,
    tmp_path: Path,
    name: str,
) -> None:
    target = tmp_path / "new" / "deeper"
    status, _out, err = run(*command(name, reports), "--out", f"{target}/")
    assert status == 0, err
    written = list(target.iterdir())
    assert len(written) == 1 and written[0].suffix == ".md"
    assert written[0].read_text(encoding="utf-8").startswith("---\nsitedash_report: 1\n")
    assert str(written[0]) in err
    # Again: the directory exists now, the file in it is replaced only with --force.
    assert_usage_error(run(*command(name, reports), "--out", f"{target}/"), "--force")
    assert run(*command(name, reports), "--out", f"{target}/", "--force")[0] == 0
    assert len(list(target.iterdir())) == 1


def test_a_trailing_slash_on_a_file_is_refused(run, reports: Path, tmp_path: Path) -> None:
    existing = tmp_path / "notes.txt"
    existing.write_text("mine")
    assert_usage_error(run("export", "daily", "--out", f"{existing}/"), "is not a directory")
    assert existing.read_text() == "mine"


def test_without_a_slash_a_missing_name_is_a_file(run, reports: Path, tmp_path: Path) -> None:
    target = tmp_path / "today.md"
    assert run("export", "daily", "--out", str(target))[0] == 0
    assert target.is_file()
