"""A real `sitedash` in a pseudo-terminal gets a form's keys in ONE write (issue 15):
the terminal driver reads them together, as over SSH, and every field still gets its
own text. Checked on what the process stored."""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import signal
import struct
import subprocess
import sys
import termios
import threading
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from sitedash.models import Engagement
from sitedash.services.engagements import save_new_engagement
from sitedash.storage import Store

pytestmark = pytest.mark.slow

TIMEOUT = 90.0
"""Only ends a hang: every wait below is for a condition, never a fixed time."""
_ESCAPES = re.compile(
    r"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-B]|[=>78])"
)


class Terminal:
    """A child process on a pty of 80x24; everything it draws is kept as plain text."""

    def __init__(self, args: list[str]) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}
        env.update(TERM="xterm-256color", LANG="en_US.UTF-8", COLUMNS="80", LINES="24")
        self.process = subprocess.Popen(
            args, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self.master = master
        self.text = ""
        self.raw = ""
        """Everything drawn, escape sequences included."""
        self.changed = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        raw = ""
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # the child closed the terminal
                chunk = b""
            if not chunk:
                with self.changed:
                    self.changed.notify_all()
                return
            raw += chunk.decode("utf-8", "replace")
            with self.changed:
                self.raw = raw
                self.text = _ESCAPES.sub("", raw)
                self.changed.notify_all()

    def wait_for_text(self, text: str) -> None:
        with self.changed:
            found = self.changed.wait_for(
                lambda: text in self.text or not self.reader.is_alive(), TIMEOUT
            )
        assert found and text in self.text, f"{text!r} never drawn; last: {self.text[-400:]!r}"

    def write(self, data: bytes) -> None:
        assert os.write(self.master, data) == len(data), "one write, all of it"

    def close(self) -> int:
        if self.process.poll() is None:
            self.write(b"\x11")  # ctrl+q
            try:
                self.process.wait(TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.reader.join(TIMEOUT)
        os.close(self.master)
        return self.process.returncode


@contextlib.contextmanager
def dashboard(data_dir: Path) -> Iterator[Terminal]:
    terminal = Terminal(
        [sys.executable, "-m", "sitedash", "--data-dir", str(data_dir), "--lang", "en"]
    )
    try:
        yield terminal
    finally:
        assert terminal.close() == 0


def wait_until(condition: Callable[[], object]) -> None:
    """Poll the data dir (another process writes it) until `condition()` holds."""
    event = threading.Event()
    for _ in range(int(TIMEOUT / 0.05)):
        if condition():
            return
        event.wait(0.05)
    assert condition(), f"not stored within {TIMEOUT} s"


def test_a_plan_item_typed_in_one_write(data_dir: Path) -> None:
    """Issue 15's case in a real terminal: `a`, `T1`, Tab Tab Tab, `30m`, enter."""
    save_new_engagement(
        Store(data_dir),
        Engagement(
            id="mes", name="MES roll-out", site_tz="Europe/Budapest", start=date(2026, 9, 1)
        ),
    )
    with dashboard(data_dir) as terminal:
        terminal.wait_for_text("Nothing planned")
        terminal.write(b"aT1\t\t\t30m\rasecond\r")
        wait_until(lambda: len(Store(data_dir).all_plan_items()) == 2)
    items = sorted(Store(data_dir).all_plan_items(), key=lambda i: i.position)
    assert [(i.title, i.estimate_min) for i in items] == [("T1", 30), ("second", 0)]


def test_the_first_run_form_typed_in_one_write(data_dir: Path) -> None:
    """First run: the engineer's name (prefilled and selected), then the engagement's
    name, customer and site in one write, saved with ctrl+s."""
    with dashboard(data_dir) as terminal:
        terminal.wait_for_text("New engagement")
        terminal.write(b"Li Wei\tHospital EMR\tCity Hospital\tWard 3\x13")
        wait_until(lambda: Store(data_dir).engagements())
    assert Store(data_dir).settings().engineer == "Li Wei"
    [created] = Store(data_dir).engagements()
    assert (created.name, created.customer, created.site) == (
        "Hospital EMR",
        "City Hospital",
        "Ward 3",
    )
