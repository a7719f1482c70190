"""`sitedash standup [--date D]`: the stand-up as plain text for chat (issue 19)."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from sitedash.models import PlanStatus
from sitedash.services import today as plan
from sitedash.storage import Store
from tests.cli.test_cli import assert_usage_error
from tests.conftest import TODAY

YESTERDAY = TODAY - timedelta(days=1)


def files_of(folder: Path) -> dict[str, int]:
    return {str(p): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def test_standup_prints_plain_text_for_chat(run, store: Store) -> None:
    done = plan.add_item(store, "mes", YESTERDAY, "Deployed app server")
    plan.set_status(store, done, PlanStatus.DONE)
    plan.add_item(store, "mes", TODAY, "Train operators | line 2 *urgent*", estimate_min=90)
    plan.append_note(store, "mes", TODAY, "Need VPN\x1b[2J for 2 days", "blockers")
    plan.append_note(store, "mes", TODAY, "Customer moved the pilot to Monday")
    before = files_of(store.data_dir)
    status, out, err = run("standup")
    assert (status, err) == (0, "")
    assert out.splitlines() == [
        "Stand-up Wed 2026-11-25 · MES roll-out",
        "",
        "Progress on Tue 2026-11-24:",
        "- Deployed app server",
        "",
        "Today's plan:",
        "1. Train operators | line 2 *urgent* (1h30m)",
        "",
        "Problems met / help needed:",
        "- Need VPN for 2 days",
        "",
        "Resources to coordinate:",
        "- none",
        "",
        "Customer daily sync:",
        "- Customer moved the pilot to Monday",
    ]
    assert "\x1b" not in out
    assert files_of(store.data_dir) == before, "a read-only command changes no file"


def test_standup_of_another_day(run, store: Store) -> None:
    plan.add_item(store, "mes", YESTERDAY, "Deployed app server")
    status, out, _ = run("standup", "--date", "yesterday")
    assert status == 0
    assert out.startswith("Stand-up Tue 2026-11-24 · MES roll-out\n")
    assert "1. Deployed app server" in out
    status, out, _ = run("standup", "--date", "2026-11-24")
    assert status == 0 and "1. Deployed app server" in out
    status, out, _ = run("--lang", "zh", "standup", "--date", "tue")  # the last Tuesday
    assert status == 0 and out.startswith("站会 周二 2026-11-24 · MES roll-out\n")
    assert "今日计划:\n1. Deployed app server\n" in out


def test_standup_mistakes_are_one_line(run, data_dir: Path, store: Store) -> None:
    assert_usage_error(run("standup", "--date", "someday"), "someday")
    assert_usage_error(run("standup", "--engagement", "nope"), "no engagement 'nope'")


def test_standup_without_an_engagement_is_one_line(run, data_dir: Path) -> None:
    assert_usage_error(run("standup"), "no engagement yet")
    assert not data_dir.exists(), "a read-only command creates no data dir"


def test_standup_in_a_real_process(store: Store, data_dir: Path) -> None:
    plan.add_item(store, "mes", TODAY, "Train operators")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sitedash",
            "--data-dir",
            str(data_dir),
            "standup",
            "--date",
            TODAY.isoformat(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert "Today's plan:\n1. Train operators\n" in result.stdout
