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


def read_screen(fd: int, until: bytes, timeout: float = 20.0) -> bytes:
    """What the app drew, up to `until` (or the timeout)."""
    seen = b""
    deadline = time.monotonic() + timeout
    while until not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
    return seen


@pytest.mark.parametrize("ending", [signal.SIGHUP, signal.SIGTERM], ids=["hangup", "kill"])
def test_the_demo_opens_and_cleans_up(tmp_path: Path, ending: signal.Signals) -> None:
    orphan = tmp_path / "sitedash-demo-999999-left"  # from a process long gone
    (orphan / "data").mkdir(parents=True)
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
        [sys.executable, "-m", "sitedash", "--demo", "--lang", "en"],
        stdin=child,
        stdout=child,
        stderr=child,
        env=env,
        start_new_session=True,
    )
    os.close(child)
    try:
        drawn = read_screen(main, b"Carry over")  # Today's footer, with demo leftovers
        assert b"MES roll-out" in drawn, drawn[-2000:]
        demo_dirs = [p for p in tmp_path.glob("sitedash-demo-*") if p != orphan]
        assert len(demo_dirs) == 1 and (demo_dirs[0] / "data" / "sitedash.json").exists()
        assert not orphan.exists(), "a dead process's demo dir is removed"
        process.send_signal(ending)
        assert process.wait(timeout=15) != 0
        assert not demo_dirs[0].exists(), "the throw-away data is gone"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(main)
