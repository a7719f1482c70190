"""`sitedash contacts` (the emergency card) and `sitedash export checklist` (for the
customer): read-only commands that print what the Engagement screen holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitedash.models import CheckState, Contact, Risk
from sitedash.reports.frontmatter import parse_front_matter
from sitedash.services import overview
from sitedash.storage import Store
from tests.cli.test_cli import assert_usage_error
from tests.conftest import TODAY


def files_of(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*")}


def test_contacts_prints_the_card_and_writes_nothing(run, store: Store) -> None:
    store.save_contact(
        Contact(
            "总部实施支持",
            "mes",
            role="HQ remote support",
            phone="+86 512 5555 0100",
            tz="Asia/Shanghai",
            order=1,
        )
    )
    before = files_of(store.data_dir)
    status, out, err = run("contacts")
    assert (status, err) == (0, "")
    # 08:30 UTC: 09:30 on site, 16:30 in Shanghai.
    assert out.splitlines()[:2] == ["Emergency contacts · MES roll-out", "Danube Precision · Győr"]
    assert "1. HQ remote support — 总部实施支持" in out
    assert "16:30 Wed · at work (09:00–18:00 Mon–Fri, Asia/Shanghai)" in out
    assert files_of(store.data_dir) == before, "a read-only command changes no file"
    status, out, _ = run("--lang", "zh", "contacts")
    assert status == 0 and out.startswith("应急联络表 · MES roll-out") and "工作中" in out


def test_contacts_without_an_engagement_is_one_line(run, data_dir: Path) -> None:
    assert_usage_error(run("contacts"), "no engagement yet")
    assert not data_dir.exists(), "a read-only command creates no data dir"
    assert_usage_error(run("contacts", "--engagement", "nope"), "no engagement 'nope'")


def test_export_checklist_for_the_customer(run, store: Store) -> None:
    first = store.checks("mes")[0]
    first.note = "SQL Server 2012 | needs CU18 <script>"
    overview.set_state(store, first, CheckState.PROBLEM, TODAY)
    store.save_risk(Risk("Internal: customer PM leaves in March", "mes"))
    status, out, _ = run("export", "checklist")
    assert status == 0
    front = parse_front_matter(out)
    assert front["kind"] == "checklist" and front["open_checks"] == len(store.checks("mes"))
    assert front["counts"] == {"checks": 17, "ok": 0, "open": 16, "problems": 1}
    assert "## Environment check" in out and "## Deployment checklist" in out
    assert "| 1 | Servers: OS, CPU, memory, disk as required | ☒ problem |" in out
    assert "SQL Server 2012 \\| needs CU18 \\<script\\>" in out, "user text escaped"
    assert "customer PM leaves" not in out and "open_risks" not in out, "nothing internal"
    # The customer is asked before the engineer arrives when the start is ahead.
    engagement = store.engagement("mes")
    assert engagement is not None and engagement.start is not None
    status, out, _ = run("export", "checklist", "--date", "2026-08-20")
    assert "Please check each item before 2026-09-01" in out


@pytest.mark.parametrize("kind", ["daily", "weekly", "retro", "acceptance"])
def test_reports_carry_the_engagement_keys_for_the_roll_up(run, store: Store, kind: str) -> None:
    status, out, _ = run("export", kind)
    front = parse_front_matter(out)
    assert status == 0 and front["open_checks"] == 17
    assert front["late_milestones"] == [] and front["open_risks"] == []


def test_contacts_on_data_not_migrated_yet(run, data_dir: Path) -> None:
    """Upgraded sitedash, first command `sitedash contacts`: the card shows schema 1's
    contacts, and the data dir stays as it was (the next write migrates it)."""
    from tests.unit.test_engagement_records import schema_1_data_dir

    schema_1_data_dir(data_dir)
    before = files_of(data_dir)
    status, out, _ = run("contacts")
    assert status == 0
    assert "1. Customer PM — Kovács Anna" in out and "2. HQ remote support" in out
    assert files_of(data_dir) == before
    status, out, _ = run("export", "checklist")
    assert status == 0 and "| 1 | Servers: OS, CPU, memory, disk as required | ☑ ok |" in out
