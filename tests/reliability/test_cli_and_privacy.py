"""Every command refuses bad input with one line and status 2; data is private; nothing
talks to the network."""

from __future__ import annotations

import contextlib
import socket
import stat
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from sitedash.cli import main
from sitedash.storage import Store
from tests.conftest import FrozenClock

MISTAKES = [
    ("--bogus",),
    ("add",),
    ("add", "plan", "x", "--bogus"),
    ("add", "plan", "x", "--date", "2026-13-01"),
    ("add", "plan", "x", "--date", "0000-01-01"),
    ("add", "plan", "x", "--estimate", "9999h"),
    ("add", "plan", "x", "--engagement", "nope"),
    ("add", "issue", "x", "--severity", "urgent"),
    ("add", "issue", "x", "--engagement", "nope"),
    ("add", "note", "x", "--blocker", "--resource"),
    ("add", "note", "\x1b[2J"),
    ("clock",),
    ("clock", "lunch"),
    ("clock", "in", "--at", "25:00"),
    ("clock", "in", "--at", "2026-02-30 08:00"),
    ("clock", "out"),
    ("clock", "in", "--at", "10:05"),
    ("clock", "in", "--at", "2026-03-29 02:30"),
    ("clock", "in", "--at", "09:00+08:00"),
    ("clock", "log", "--date", "2026-13-01"),
    ("clock", "edit", "nope", "--end", "10:00"),
    ("clock", "edit", "abcdef", "--end", "10:00"),
    ("clock", "rm", "ffff"),
    ("export", "daily", "--format", "csv"),
    ("export", "timesheet", "--to", "2026-11-01"),
    ("status", "extra"),
    ("export",),
    ("export", "daily", "--date", "2026-11-31"),
    ("export", "daily", "--date", "9999-12-31"),
    ("export", "weekly", "--date", "0001-01-01"),
    ("export", "retro", "--date", "0001-01-01"),
    ("add", "plan", "x", "--date", "9999-12-31"),
    ("clock", "out", "--at", "0001-01-01 00:00"),
    ("export", "weekly", "--engagement", "nope"),
    ("export", "retro", "--out", "/nonexistent/dir/r.md"),
    ("collect",),
    ("restore", "1999-01-01"),
    ("restore", "a", "b"),
    ("demo-data",),
    ("demo-data", "x", "--days", "many"),
    ("--lang", "de", "status"),
]


@pytest.mark.parametrize("args", MISTAKES, ids=" ".join)
def test_every_mistake_is_one_line_and_status_2(
    store: Store, args: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    before = {p: p.read_bytes() for p in store.data_dir.rglob("*.json")}
    assert main(["--data-dir", str(store.data_dir), *args], clock=FrozenClock()) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1, captured.err
    assert "Traceback" not in captured.err and captured.err.startswith("sitedash")
    assert "\x1b" not in captured.err
    assert {p: p.read_bytes() for p in store.data_dir.rglob("*.json")} == before


@pytest.mark.parametrize(
    "command", [["status"], ["add", "plan", "x"], ["export", "daily"], ["clock", "in"], ["restore"]]
)
def test_a_data_dir_that_is_a_file(
    tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "not-a-dir"
    path.write_text("x")
    assert main(["--data-dir", str(path), *command]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_every_file_and_directory_is_private(
    store: Store, clock: FrozenClock, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--data-dir", str(store.data_dir)]
    main([*args, "add", "plan", "x"], clock=clock)
    main([*args, "add", "issue", "y"], clock=clock)
    clock.now += timedelta(days=1)
    main([*args, "clock", "in"], clock=clock)  # the next day: a backup is taken first
    main([*args, "export", "daily", "--out", str(store.data_dir)], clock=clock)
    everything = [store.data_dir, *store.data_dir.rglob("*")]
    assert any(p.name == ".lock" for p in everything)
    assert any("backups" in p.parts and p.is_file() for p in everything)
    for path in everything:
        mode = stat.S_IMODE(path.stat().st_mode)
        if path.suffix == ".md":
            continue  # exports follow the umask (a report is meant to be sent)
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every attempt to reach the network (asyncio's own socketpair is local)."""
    attempts: list[str] = []

    def hook(event: str, args: tuple[object, ...]) -> None:
        if event in (
            "socket.connect",
            "socket.getaddrinfo",
            "socket.sendto",
            "socket.gethostbyname",
            "urllib.Request",
        ):
            attempts.append(f"{event} {args!r}")

    active = {"on": True}
    sys.addaudithook(lambda e, a: hook(e, a) if active["on"] else None)
    yield attempts
    active["on"] = False


async def test_a_full_session_never_touches_the_network(
    app, store: Store, no_network: list[str]
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a", *"Install server", "enter", "space", "u", "escape")
        for key in ("2", "n", "escape", "3", "t", "4", "t", "5", "i", "1"):
            await pilot.press(key)
            await pilot.pause()
        app.action_export("daily")
        await app.workers.wait_for_complete()
        await pilot.pause()
    main(["--data-dir", str(store.data_dir), "status"])
    assert no_network == []
    assert socket.socket  # the module stays importable: only its use is watched


def test_the_network_watch_would_see_a_lookup(no_network: list[str]) -> None:
    """The guard above can fail: a name lookup is recorded."""
    with contextlib.suppress(OSError):
        socket.getaddrinfo("localhost", 80)
    assert any(a.startswith("socket.getaddrinfo") for a in no_network)
