"""A dropped SSH link (SIGHUP) or `kill` (SIGTERM) while a form is open loses nothing
(issue 15): a real `sitedash` in a pseudo-terminal keeps the form's text as a draft,
restores the terminal, exits 129 or 143, and the next start offers the text back.
Nothing else in the data changes. Every wait is for a condition, never for a time."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from sitedash.models import Engagement
from sitedash.services.engagements import save_new_engagement
from sitedash.storage import Store
from tests.reliability.test_pty_bursts import TIMEOUT, Terminal, wait_until

pytestmark = pytest.mark.slow

ALTERNATE_SCREEN_OFF = "\x1b[?1049l"


def sitedash(data_dir: Path) -> Terminal:
    return Terminal([sys.executable, "-m", "sitedash", "--data-dir", str(data_dir), "--lang", "en"])


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    save_new_engagement(Store(folder), Engagement(id="", name="MES roll-out", site_tz="UTC"))
    return folder


def data_files(folder: Path) -> dict[str, bytes]:
    """The data as stored (not the drafts, the lock or the day's backup)."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.parts[len(folder.parts)] not in ("drafts", "backups", ".lock")
    }


def ended(terminal: Terminal) -> int:
    try:
        return terminal.process.wait(TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(terminal.process.pid, signal.SIGKILL)
        raise AssertionError("the dashboard did not end after the signal") from None


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGHUP, 129), (signal.SIGTERM, 143)])
def test_a_half_filled_issue_survives_the_signal(data_dir: Path, signum: int, status: int) -> None:
    before = data_files(data_dir)
    terminal = sitedash(data_dir)
    terminal.wait_for_text("Today")
    terminal.write(b"2")
    terminal.wait_for_text("Waiting")
    terminal.write(b"n")
    terminal.wait_for_text("New issue")
    terminal.write("Scanner freezes after shift change · 扫码枪".encode())
    terminal.wait_for_text("扫码枪")
    os.kill(terminal.process.pid, signum)
    assert ended(terminal) == status
    terminal.reader.join(TIMEOUT)
    assert ALTERNATE_SCREEN_OFF in terminal.raw, "the terminal was restored"
    os.close(terminal.master)
    [draft] = Store(data_dir).drafts.all()
    assert draft.values["title"] == "Scanner freezes after shift change · 扫码枪"
    assert (draft.mode, draft.form) == ("issues", "IssueForm")
    assert data_files(data_dir) == before, "nothing else changed"
    # The next start offers it back, in the form it came from, with the exact text.
    again = sitedash(data_dir)
    again.wait_for_text("Restore what you typed")
    again.wait_for_text("Scanner freezes after shift change")
    again.write(b"\r")
    again.wait_for_text("what the customer sees")  # the issue form is open
    again.write(b"\x13")  # ctrl+s
    wait_until(lambda: Store(data_dir).issues())
    assert again.close() == 0
    [issue] = Store(data_dir).issues()
    assert issue.title == "Scanner freezes after shift change · 扫码枪"
    assert Store(data_dir).drafts.all() == []


def test_the_stand_up_typed_just_before_a_hang_up_is_kept(data_dir: Path) -> None:
    """The stand-up saves a moment after typing stops; a hang-up inside that moment
    saves it at once."""
    terminal = sitedash(data_dir)
    terminal.wait_for_text("Today")
    terminal.write(b"u")
    terminal.wait_for_text("Problems met")
    terminal.write(b"waiting for the VPN to HQ")
    terminal.wait_for_text("waiting for the VPN to HQ")
    os.kill(terminal.process.pid, signal.SIGHUP)
    assert ended(terminal) == 129
    terminal.reader.join(TIMEOUT)
    os.close(terminal.master)
    store = Store(data_dir)
    [engagement] = store.engagements()
    notes = store.day_notes_between(date(2000, 1, 1), date(2100, 1, 1), engagement.id)
    assert [n.blockers for n in notes] == ["waiting for the VPN to HQ"]


def test_a_hang_up_after_the_link_is_gone_still_keeps_the_form(data_dir: Path) -> None:
    """sshd closes the terminal, then sends SIGHUP: writing to it fails, the dashboard
    still keeps the draft and ends."""
    terminal = sitedash(data_dir)
    terminal.wait_for_text("Today")
    terminal.write(b"a")
    terminal.wait_for_text("New plan item")
    terminal.write(b"Install the line 3 client")
    terminal.wait_for_text("line 3 client")
    os.close(terminal.master)  # the link is gone
    terminal.reader.join(TIMEOUT)
    os.kill(terminal.process.pid, signal.SIGHUP)
    assert ended(terminal) in (129, 1), "it ends (1 when the dead terminal refused a write)"
    [draft] = Store(data_dir).drafts.all()
    assert draft.values["title"] == "Install the line 3 client"
