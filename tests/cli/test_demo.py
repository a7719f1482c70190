"""`sitedash --demo` in a real pseudo-terminal: it opens on the demo engagement and
leaves no demo data behind, however the terminal goes away."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest


def read_screen(fd: int, *until: bytes, timeout: float = 90.0) -> bytes:
    """What the app drew, until every one of `until` was drawn (the timeout only ends a
    hang)."""
    seen = b""
    deadline = time.monotonic() + timeout
    while not all(text in seen for text in until) and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
    return seen


def spawn_in_pty(python_args: list[str], tmp_path: Path) -> tuple[int, subprocess.Popen[bytes]]:
    """`python ARGS` in a new 100x30 pseudo-terminal; returns its reading end and process."""
    main, child = pty.openpty()
    os.set_blocking(main, False)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SITEDASH_", "TEXTUAL"))},
        "TMPDIR": str(tmp_path),
        "TERM": "xterm-256color",
        "LANG": "en_US.UTF-8",
        "COLUMNS": "100",
        "LINES": "30",
    }
    process = subprocess.Popen(
        [sys.executable, *python_args],
        stdin=child,
        stdout=child,
        stderr=child,
        env=env,
        start_new_session=True,
    )
    os.close(child)
    return main, process


CRASHING_DASHBOARD = """
import sys
from sitedash.screens.today import TodayScreen
def broken(self):
    raise RuntimeError("a bug in a screen")
TodayScreen.reload = broken
from sitedash.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_crash_in_the_dashboard_exits_non_zero(tmp_path: Path) -> None:
    """Textual shows the traceback and stops; the exit status says so to a script or a
    benchmark (it was 0)."""
    data = tmp_path / "data"
    args = ["-c", CRASHING_DASHBOARD, "--data-dir", str(data), "--lang", "en"]
    main, process = spawn_in_pty(args, tmp_path)
    try:
        drawn = read_screen(main, b"a bug in a screen")
        assert process.wait(timeout=90) == 1, drawn[-2000:]
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(main)


@pytest.mark.parametrize("ending", [signal.SIGHUP, signal.SIGTERM], ids=["hangup", "kill"])
def test_the_demo_opens_and_cleans_up(tmp_path: Path, ending: signal.Signals) -> None:
    orphan = tmp_path / "sitedash-demo-999999-left"  # from a process long gone
    (orphan / "data").mkdir(parents=True)
    main, process = spawn_in_pty(["-m", "sitedash", "--demo", "--lang", "en"], tmp_path)
    try:
        # Today's header, and its footer with demo leftovers to carry over.
        drawn = read_screen(main, b"MES roll-out", b"Carry over")
        assert b"MES roll-out" in drawn and b"Carry over" in drawn, drawn[-2000:]
        demo_dirs = [p for p in tmp_path.glob("sitedash-demo-*") if p != orphan]
        assert len(demo_dirs) == 1 and (demo_dirs[0] / "data" / "sitedash.json").exists()
        assert not orphan.exists(), "a dead process's demo dir is removed"
        process.send_signal(ending)
        assert process.wait(timeout=90) != 0
        assert not demo_dirs[0].exists(), "the throw-away data is gone"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(main)
