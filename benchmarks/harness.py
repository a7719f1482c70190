"""Run an app in a real pseudo-terminal and time what the user sees.

The parent owns the pty: it writes key presses into it, drains (and discards) everything
the app draws, and reads the child's paint reports (see `child.py`) from a pipe. A
measurement ends at the last frame painted before the app went quiet, so "fully
rendered" includes follow-up frames (a table filled after layout, a notification).
Pilot is not used: it adds a floor of about 80 ms per key press (FACTS.md).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import queue
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from child import REPORT_FD_ENV

CHILD = Path(__file__).with_name("child.py")
COLUMNS, ROWS = 120, 36
"""A common laptop terminal; the spec's minimum is 80x24."""
QUIET = 0.3
"""Seconds without a new frame after which the screen counts as settled."""
TIMEOUT = 60.0


def now() -> float:
    """CLOCK_MONOTONIC: the same clock the child stamps its events with."""
    return time.clock_gettime(time.CLOCK_MONOTONIC)


PYCACHE = Path(tempfile.gettempdir()) / "sitedash-bench-pycache"
"""Where the children keep their bytecode (PYTHONPYCACHEPREFIX), outside the source tree."""
RUNTIME = Path(tempfile.gettempdir()) / f"sitedash-bench-run-{os.getuid()}"
"""The children's XDG_RUNTIME_DIR: the quick-command server they start (sitedash.launch)
is the benchmark's own, apart from the user's, and stopped at the end (`stop_servers`)."""


def python_env() -> dict[str, str]:
    """The environment of every measured process: no TEXTUAL_*/SITEDASH_* settings of the
    caller, English, and a bytecode cache like any installed program has.

    A dev shell may set PYTHONDONTWRITEBYTECODE (this one does): then an editable install
    recompiles every sitedash module from source in every process while textual loads
    from its installed .pyc files, which is not what a user runs. The cache goes to a
    prefix under /tmp so that nothing is written into the source tree.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "SITEDASH"))}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("LC_ALL", None)
    env.update(LANG="en_US.UTF-8", PYTHONPYCACHEPREFIX=str(PYCACHE))
    RUNTIME.mkdir(mode=0o700, exist_ok=True)
    env["XDG_RUNTIME_DIR"] = str(RUNTIME)
    return env


def end_sessions_on_signals() -> None:
    """A benchmark stopped with SIGTERM or SIGHUP ends as an exception, so every open
    `PtySession` kills its app on the way out. Each app runs in a session of its own:
    left behind, one (the bare app after its terminal closed) spun on a core for an
    hour and slowed every figure measured after it."""

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop)


def stop_servers() -> int:
    """Stop the quick-command servers the measured commands started; how many ran."""
    from sitedash import server

    stopped = 0
    for path in sorted((RUNTIME / "sitedash").glob("*.sock")):
        if server.stop(str(path)) is not None:
            stopped += 1
    return stopped


def child_env() -> dict[str, str]:
    """A fixed terminal environment: the same for the bare app and sitedash."""
    env = python_env()
    env.update(TERM="xterm-256color", COLORTERM="truecolor", COLUMNS=str(COLUMNS), LINES=str(ROWS))
    return env


class BenchError(RuntimeError):
    """A run that did not reach the expected screen (the pty output tail says why)."""


@dataclass
class Settled:
    """The frames painted after a stimulus (spawn or key) until the app went quiet."""

    start: float
    first_ready: float
    last_paint: float
    frames: int
    cpu: float
    """CPU seconds the app's main thread (the event loop) used for these frames."""
    events: list[dict[str, Any]] = field(default_factory=list)
    written: int = 0
    """Bytes the app wrote to the terminal from the stimulus until it went quiet: what
    an engineer over SSH waits for."""

    @property
    def footer_rebuilds(self) -> int:
        """How often Textual rebuilt the footer (all its keys) in this window."""
        return sum(1 for e in self.events if e["e"] == "footer")

    @property
    def to_first_ready(self) -> float:
        return self.first_ready - self.start

    @property
    def to_settled(self) -> float:
        return self.last_paint - self.start


@dataclass
class Exited:
    code: int
    max_rss_kb: int


SYNC_QUERY = b"\x1b[?2026$p"
"""DECRQM for synchronized output (mode 2026), which Textual asks at start-up."""
SYNC_REPLY = b"\x1b[?2026;2$y"
"""A modern terminal's answer (kitty, WezTerm, foot, iTerm2, Windows Terminal): the
mode is known and reset. Textual then wraps each frame in BSU/ESU (`CSI ? 2026 h/l`), as
it does in those terminals; without the answer it writes frames unwrapped."""


class PtySession:
    """One child process (`child.py ARGS`) on its own pseudo-terminal.

    The parent reads every byte the app writes (`written`: a running count) and answers
    the synchronized-output query as a modern terminal does (`SYNC_REPLY`); the query
    for in-band resize (mode 2048) is left unanswered, as many terminals do.
    """

    def __init__(
        self, args: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
    ) -> None:
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self._output = bytearray()
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        report_read, report_write = os.pipe()
        env = {**child_env(), **(env or {})}
        env[REPORT_FD_ENV] = str(report_write)
        self.spawned = now()
        self.process = subprocess.Popen(
            [sys.executable, str(CHILD), *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            pass_fds=(report_write,),
            env=env,
            cwd=cwd,
            start_new_session=True,
        )
        os.close(slave)
        os.close(report_write)
        self._master = master
        self._threads = [
            threading.Thread(target=self._drain, daemon=True),
            threading.Thread(target=self._read_reports, args=(report_read,), daemon=True),
        ]
        for thread in self._threads:
            thread.start()
        self.exited: Exited | None = None
        self._cpu = 0.0
        self.sync_answered = False

    written = 0
    """Bytes the app has written to the terminal so far."""
    _mark = 0

    def _drain(self) -> None:
        tail = b""
        while True:
            try:
                chunk = os.read(self._master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.written += len(chunk)
            if not self.sync_answered and SYNC_QUERY in tail + chunk:
                with contextlib.suppress(OSError):
                    os.write(self._master, SYNC_REPLY)
                self.sync_answered = True
            tail = chunk[-len(SYNC_QUERY) :]
            self._output += chunk
            del self._output[:-20000]

    def _read_reports(self, fd: int) -> None:
        with os.fdopen(fd, "rb") as pipe:
            for line in pipe:
                self.events.put(json.loads(line))

    def tail(self) -> str:
        """The end of what the app wrote to the terminal, for error messages."""
        text = bytes(self._output).decode("utf-8", "replace")
        return text[-2000:]

    def wait_event(self, name: str, timeout: float = TIMEOUT) -> dict[str, Any]:
        deadline = now() + timeout
        while True:
            event = self._next(deadline)
            if event["e"] == name:
                return event

    def _next(self, deadline: float) -> dict[str, Any]:
        remaining = deadline - now()
        if remaining <= 0:
            raise BenchError(f"timed out; terminal tail:\n{self.tail()}")
        try:
            return self.events.get(timeout=remaining)
        except queue.Empty:
            raise BenchError(f"timed out; terminal tail:\n{self.tail()}") from None

    def settle(self, start: float, screen: str, quiet: float = QUIET) -> Settled:
        """Collect frames until `screen` has painted its real content and nothing more
        was painted for `quiet` seconds."""
        deadline = start + TIMEOUT
        cpu_before = self._cpu
        mark = self._mark if start != self.spawned else 0
        first_ready: float | None = None
        last_paint = start
        frames = 0
        seen: list[dict[str, Any]] = []
        while True:
            wait = quiet if first_ready is not None else deadline - now()
            try:
                event = self.events.get(timeout=max(wait, 0.001))
            except queue.Empty:
                if first_ready is not None:
                    cpu = self._cpu - cpu_before
                    # What began after the last frame did not shape it (e.g. screens
                    # built in the background while idle): left out of the breakdown.
                    shaped = [e for e in seen if e.get("t0", e.get("t", start)) <= last_paint]
                    written = self.written - mark
                    return Settled(start, first_ready, last_paint, frames, cpu, shaped, written)
                raise BenchError(f"{screen} never painted; terminal tail:\n{self.tail()}") from None
            seen.append(event)
            if event["e"] == "exit":
                raise BenchError(f"the app exited early; terminal tail:\n{self.tail()}")
            if event["e"] != "paint":
                continue
            frames += 1
            last_paint = max(last_paint, event["t"])
            self._cpu = event["cpu"]
            if first_ready is None and event["screen"] == screen and event["ready"]:
                first_ready = event["t"]

    def send_signal(self, signum: int) -> None:
        os.kill(self.process.pid, signum)

    def quiesce(self, seconds: float) -> list[dict[str, Any]]:
        """Let the aftermath of start-up pass (the first store poll, timers) before the
        next measurement, so that it is not counted in a switch; returns its events."""
        seen: list[dict[str, Any]] = []
        end = now() + seconds
        while True:
            wait = end - now()
            try:
                event = self.events.get(timeout=max(wait, QUIET))
            except queue.Empty:
                if now() >= end:
                    return seen
                continue
            seen.append(event)
            if event["e"] == "paint":
                self._cpu = event["cpu"]

    def press(self, keys: bytes) -> float:
        """Type into the terminal; returns when the bytes were written. What the app
        writes from here on counts for the next `settle`."""
        self._mark = self.written
        stamp = now()
        os.write(self._master, keys)
        return stamp

    def idle_output(self, seconds: float) -> int:
        """Bytes written in `seconds` without input (the clock and reminder ticks)."""
        before = self.written
        self.quiesce(seconds)
        return self.written - before

    def quit(self, timeout: float = 15.0) -> Exited:
        """ctrl+q (both apps quit on it), then reap the child with its resource usage."""
        with contextlib.suppress(OSError):
            self.press(b"\x11")
        return self._reap(timeout)

    def _reap(self, timeout: float) -> Exited:
        if self.exited is not None:
            return self.exited
        deadline = now() + timeout
        pid = self.process.pid
        while True:
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if done:
                break
            if now() > deadline:
                os.kill(pid, signal.SIGKILL)
                done, status, usage = os.wait4(pid, 0)
                break
            time.sleep(0.01)
        self.process.returncode = os.waitstatus_to_exitcode(status)
        self._threads[0].join(timeout=2)  # the drain ends with EIO once the child is gone
        with contextlib.suppress(OSError):
            os.close(self._master)
        self.exited = Exited(self.process.returncode, usage.ru_maxrss)
        return self.exited

    def __enter__(self) -> PtySession:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.exited is None:
            self._reap(0)
