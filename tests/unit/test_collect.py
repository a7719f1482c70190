"""The lead's roll-up: several engineers' exports in, one summary out; bad files skipped."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from sitedash import demo
from sitedash.cli import main
from sitedash.models import Engagement, Issue, Severity
from sitedash.reports.collect import rollup
from sitedash.reports.exports import export
from sitedash.reports.frontmatter import parse_front_matter
from sitedash.services import issues as issue_service
from sitedash.services import wellbeing
from sitedash.services.engagements import save_new_engagement
from sitedash.services.today import format_minutes
from sitedash.storage import Store
from tests.conftest import FROZEN_NOW, TODAY, FrozenClock
from tests.unit.test_daily_report import section


def engineer_dir(tmp_path: Path, name: str, *, p1: int, hours: list[int]) -> Store:
    """An engineer with `p1` open P1 issues who worked `hours` on the last days."""
    clock = FrozenClock()
    store = Store(tmp_path / name, clock=clock)
    settings = store.settings()
    settings.engineer = name
    store.save_settings(settings)
    save_new_engagement(
        store, Engagement(id="", name=f"{name}'s site", customer="ACME | Ltd", site_tz="UTC")
    )
    engagement = store.engagements()[0].id
    for n in range(p1):
        issue_service.create_issue(store, Issue(f"Line {n} down", engagement, severity=Severity.P1))
    context = wellbeing.ClockContext(store.engagements()[0], "04:00")
    for index, minutes in enumerate(hours):  # oldest day first: sessions never overlap
        clock.now = FROZEN_NOW.replace(hour=20) - timedelta(days=len(hours) - 1 - index)
        wellbeing.clock(store, context, "in", clock.now - timedelta(minutes=minutes))
        wellbeing.clock(store, context, "out", clock.now)
    clock.now = FROZEN_NOW
    return store


def export_days(store: Store, out: Path, days: int) -> None:
    engagement = store.engagements()[0]
    out.mkdir(parents=True, exist_ok=True)
    for back in range(days):
        export(
            "daily",
            store,
            engagement,
            TODAY - timedelta(days=back),
            engineer=store.settings().engineer,
            now=FROZEN_NOW,
            out=str(out),
        )
    export(
        "acceptance",
        store,
        engagement,
        TODAY,
        engineer=store.settings().engineer,
        now=FROZEN_NOW,
        out=str(out),
    )


def test_round_trip_totals_and_urgency(tmp_path: Path) -> None:
    calm = engineer_dir(tmp_path, "Calm Chen", p1=0, hours=[480, 500, 520])
    busy = engineer_dir(tmp_path, "Busy Bai", p1=2, hours=[600, 610])
    plan = busy.engagements()[0].id
    from sitedash.services.today import append_note

    append_note(busy, plan, TODAY, "Need a DBA | urgently", "blockers")
    export_days(calm, tmp_path / "reports" / "calm", 3)
    export_days(busy, tmp_path / "reports" / "busy", 2)
    text, read, skipped = rollup([tmp_path / "reports"], now=FROZEN_NOW)
    assert (read, skipped) == (7, 0)
    fields = parse_front_matter(text)
    assert fields["kind"] == "rollup"
    assert fields["counts"] == {
        "reports": 7,
        "skipped": 0,
        "engineers": 2,
        "engagements": 2,
        "not_reported": 0,
        "health_flags": 0,
    }
    attention = section(text, "Needs attention first").splitlines()[2:]
    assert attention[0].startswith("| Busy Bai | Busy Bai's site |"), "open P1s come first"
    assert "| 2 | 0 | 1 | 0 | 0/9 |" in attention[0]
    busy_part = section(text, "Busy Bai · Busy Bai's site")
    assert "Hours: 20h10m on 2 days" in busy_part
    assert "New 2" in busy_part and "P1 2" in busy_part
    assert "Customer: ACME \\| Ltd" in busy_part
    assert "- Need a DBA \\| urgently" in text
    calm_part = section(text, "Calm Chen · Calm Chen's site")
    assert "Hours: 25h on 3 days" in calm_part


def test_daily_and_weekly_together_count_hours_once(tmp_path: Path) -> None:
    store = Store(tmp_path / "demo", clock=FrozenClock())
    demo.generate(store, today=TODAY, days=14, now=FROZEN_NOW)
    engagement = store.engagement(demo.MES)
    out = tmp_path / "out"
    out.mkdir()
    for kind, day in (("weekly", TODAY), ("daily", TODAY), ("daily", TODAY - timedelta(1))):
        export(kind, store, engagement, day, engineer="Li", now=FROZEN_NOW, out=str(out))
    text, read, _ = rollup([out], now=FROZEN_NOW)
    weekly = parse_front_matter((out / "weekly-mes-gyor-2026-W48.md").read_text())
    assert read == 3
    week_minutes = sum(weekly["worked_by_day"].values())
    hours, minutes = divmod(week_minutes, 60)
    assert f"Hours: {hours}h{minutes:02d}m" in text or f"Hours: {hours}h on" in text


BAD_FILES = {
    "notes.md": "just some notes\n",
    "unclosed.md": '---\nsitedash_report: 1\nkind: "daily"\n',
    "badline.md": "---\nsitedash_report: 1\n  orphan: 1\n---\n",
    "future.md": '---\nsitedash_report: 2\nkind: "daily"\n---\n',
    "foreign.md": '---\ntitle: "Hugo post"\ndate: 2026-01-01\n---\n# Hi\n',
    "nokind.md": '---\nsitedash_report: 1\nengineer: "x"\n---\n',
    "strange.md": (
        '---\nsitedash_report: 1\nkind: "monthly"\nengineer: "x"\nengagement: "y"\n'
        "period_start: 2026-11-01\nperiod_end: 2026-11-30\ncounts: {}\n---\n"
    ),
    "baddate.md": (
        '---\nsitedash_report: 1\nkind: "daily"\nengineer: "x"\nengagement: "y"\n'
        "period_start: yesterday\nperiod_end: 2026-11-30\ncounts: {}\n---\n"
    ),
    "rollup.md": '---\nsitedash_report: 1\nkind: "rollup"\nengineer: "lead"\n---\n',
    "boolschema.md": '---\nsitedash_report: true\nkind: "daily"\n---\n',
}
VALID_HEAD = (
    '---\nsitedash_report: 1\nkind: "daily"\nengagement: "y"\n'
    "period_start: 2026-11-01\nperiod_end: 2026-11-01\n"
)
MISSHAPEN = {
    "counts-list.md": "counts: [1, 2]\n",
    "counts-text.md": 'counts:\n  planned: "many"\n',
    "days-list.md": "counts: {}\nworked_by_day: [1, 2]\n",
    "days-huge.md": "counts: {}\nworked_by_day:\n  2026-11-01: 9999999999\n",
    "days-notdate.md": 'counts: {}\nworked_by_day:\n  "Monday": 60\n',
    "engineer-number.md": "counts: {}\nengineer: 5\n",
    "severity-text.md": 'counts: {}\nopen_by_severity:\n  P1: "x"\n',
    "status-list.md": 'counts: {}\nissues_by_status: ["a"]\n',
    "blockers-text.md": 'counts: {}\nblockers: "oops"\n',
}


def test_foreign_and_malformed_files_are_skipped_with_reasons(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, content in BAD_FILES.items():
        (folder / name).write_text(content)
    for name, content in MISSHAPEN.items():
        engineer = "" if "engineer:" in content else 'engineer: "x"\n'
        (folder / name).write_text(VALID_HEAD + engineer + content + "---\n")
    (folder / "binary.md").write_bytes(b"\xff\xfe\x00garbage")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8")
    (folder / ".git").mkdir()
    (folder / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    text, read, skipped = rollup([folder], now=FROZEN_NOW)
    assert (read, skipped) == (0, len(BAD_FILES) + len(MISSHAPEN) + 2)
    reasons = dict(
        line.split(" | ")[:2]
        for line in (row.strip("| ") for row in section(text, "Skipped files").splitlines()[2:])
    )
    by_name = {Path(path).name: reason for path, reason in reasons.items()}
    assert by_name["notes.md"].startswith("not a sitedash report: no front matter")
    assert "not closed" in by_name["unclosed.md"]
    assert by_name["future.md"] == "unknown report schema 2; this sitedash reads 1"
    assert by_name["foreign.md"].endswith("no sitedash\\_report field")
    assert by_name["nokind.md"].startswith("missing fields: kind")
    assert by_name["strange.md"] == "unknown report kind 'monthly'"
    assert by_name["baddate.md"] == "bad period dates"
    assert by_name["rollup.md"] == "a roll-up, not an engineer's report"
    assert by_name["binary.md"] == "not UTF-8 text"
    assert by_name["photo.jpg"] == "not a Markdown file (.md)"
    assert by_name["boolschema.md"] == "unknown report schema True; this sitedash reads 1"
    for name in MISSHAPEN:
        field = name.split("-")[0]
        expected = {
            "days": "worked\\_by\\_day",
            "severity": "open\\_by\\_severity",
            "status": "issues\\_by\\_status",
        }.get(field, field)
        assert by_name[name] == f"{expected} is not what a sitedash report writes", name
    assert section(text, "Needs attention first") == "_None._"


def test_collect_from_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = engineer_dir(tmp_path, "Li", p1=1, hours=[300])
    export_days(store, tmp_path / "reports", 1)
    (tmp_path / "reports" / "junk.md").write_text("nope")
    out = tmp_path / "team.md"
    assert main(["collect", str(tmp_path / "reports"), "--out", str(out)], clock=FrozenClock()) == 0
    err = capsys.readouterr().err
    assert "Read 2 reports, skipped 1" in err and str(out) in err
    assert "## Li · Li's site" in out.read_text()
    assert (
        main(["collect", str(tmp_path / "reports"), "--out", str(out)], clock=FrozenClock()) == 2
    ), "no overwrite without --force"
    assert not (tmp_path / "default-data").exists(), "collect never creates a data dir"


def test_a_retrospective_gives_the_whole_engagement(tmp_path: Path) -> None:
    store = Store(tmp_path / "demo", clock=FrozenClock())
    demo.generate(store, today=TODAY, days=30, now=FROZEN_NOW)
    engagement = store.engagement(demo.MES)
    out = tmp_path / "out"
    out.mkdir()
    for kind in ("weekly", "retro"):
        export(kind, store, engagement, TODAY, engineer="Li", now=FROZEN_NOW, out=str(out))
    retro = parse_front_matter(next(out.glob("retro-*.md")).read_text())
    text, read, _ = rollup([out], now=FROZEN_NOW)
    assert read == 2
    hours = format_minutes(retro["counts"]["worked_min"])
    trainings = retro["counts"]["trainings"]
    assert (
        f"Whole engagement, from the retrospective of {retro['period_end']}: {hours} worked, "
        f"{trainings} training sessions"
    ) in text
    assert trainings > 0
