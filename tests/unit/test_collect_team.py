"""The lead's view of a team: who has not reported (a Sunday is not a miss), where the
team's health needs a call, hours per engineer per week (a timesheet wins over the
daily reports of its days), `--since`, and the day a report's figures describe."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from sitedash.cli import main
from sitedash.errors import InputError
from sitedash.models import ChangeRequest, Engagement, Issue, Severity, WorkWeek
from sitedash.reports.collect import parse_since, rollup
from sitedash.reports.exports import export, render
from sitedash.reports.frontmatter import parse_front_matter
from sitedash.reports.markdown import front_matter
from sitedash.services import issues as issue_service
from sitedash.services import signoff as signoff_service
from sitedash.services.engagements import save_new_engagement
from sitedash.storage import Store
from tests.conftest import FROZEN_NOW, TODAY, FrozenClock
from tests.unit.test_daily_report import section

# FROZEN_NOW is Wednesday 2026-11-25; the default window is Wed 18th to Tue 24th.


def report(
    folder: Path,
    engineer: str,
    start: date,
    end: date | None = None,
    *,
    kind: str = "daily",
    engagement: str | None = "mes",
    generated: datetime | None = None,
    **extra: Any,
) -> Path:
    """One report file, written by sitedash's own front matter writer."""
    end = end or start
    fields: dict[str, Any] = {
        "sitedash_report": 1,
        "kind": kind,
        "engineer": engineer,
        "period_start": start,
        "period_end": end,
        "generated_at": generated
        or datetime.combine(end, datetime.min.time(), UTC).replace(hour=19),
        "counts": extra.pop("counts", {}),
    }
    if engagement is not None:
        fields["engagement"] = engagement
        fields["engagement_name"] = engagement.upper()
    fields.update(extra)
    name = f"{kind}-{engagement}-{start.isoformat()}-{end.isoformat()}.md"
    path = folder / engineer.replace(" ", "_") / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(front_matter(fields) + "\n# Report\n", encoding="utf-8")
    return path


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def rows(text: str, title: str) -> list[list[str]]:
    body = section(text, title)
    if body == "_None._":
        return []
    return [
        [cell.strip() for cell in line.strip("|").split(" | ")] for line in body.splitlines()[2:]
    ]


def test_not_reported_counts_working_days_and_never_a_sunday(tmp_path: Path) -> None:
    week = days(date(2026, 11, 18), date(2026, 11, 24))
    for day in week:
        report(tmp_path, "Anna", day)
    for day in days(date(2026, 11, 9), date(2026, 11, 14)):
        report(tmp_path, "Bela", day)
    for day in week:
        if day.weekday() != 6:  # no report on Sunday the 22nd
            report(tmp_path, "Chen", day)
    report(
        tmp_path,
        "Dora",
        date(2026, 11, 16),
        date(2026, 11, 22),
        kind="weekly",
        generated=datetime(2026, 11, 22, 18, tzinfo=UTC),
    )
    report(tmp_path, "Dora", date(2026, 11, 23))
    report(tmp_path, "Emil", date(2026, 11, 24))  # joined this week
    text, _read, skipped = rollup([tmp_path], now=FROZEN_NOW)
    assert skipped == 0
    assert rows(text, "Not reported") == [
        [
            "Bela",
            "2026-11-14 (Daily report)",
            "6",
            "2026-11-18, 2026-11-19, 2026-11-20, 2026-11-21, 2026-11-23, 2026-11-24",
        ],
        ["Dora", "2026-11-23 (Daily report)", "1", "2026-11-24"],
    ], "nobody sent nothing first; Chen's Sunday and Emil's days before joining are no miss"
    assert parse_front_matter(text)["counts"]["not_reported"] == 2


def test_not_reported_follows_each_engineers_working_week(tmp_path: Path) -> None:
    """Farid works Sunday to Thursday in Riyadh: his Friday and Saturday are no miss, his
    Sunday is. Gabi works Monday to Friday; Anna's reports say nothing (written before
    `work_week`): Monday to Saturday, as always. The newest report's week counts."""
    week = days(date(2026, 11, 18), date(2026, 11, 24))  # Wed 18 .. Tue 24
    for day in week:
        if day.weekday() in (0, 1, 2, 3) and day != date(2026, 11, 19):
            report(tmp_path, "Farid", day, engagement="erp", work_week="sun-thu")
    for day in week:
        if day.weekday() < 5:
            report(tmp_path, "Gabi", day, work_week="mon-fri")
    for day in week:
        if day.weekday() < 5:
            report(tmp_path, "Anna", day)
    # An old report of Gabi's said Monday to Saturday; the newer ones win.
    report(tmp_path, "Gabi", date(2026, 11, 17), work_week="mon-sat")
    text, _, _ = rollup([tmp_path], now=FROZEN_NOW)
    assert rows(text, "Not reported") == [
        ["Anna", "2026-11-24 (Daily report)", "1", "2026-11-21"],
        ["Farid", "2026-11-24 (Daily report)", "2", "2026-11-19, 2026-11-22"],
    ], "Farid: Thursday and Sunday missed, not Friday or Saturday; Gabi: nothing"


def test_a_report_says_the_engagements_working_week(store: Store, clock: FrozenClock) -> None:
    engagement = store.engagement("mes")
    assert engagement is not None and engagement.work_week is WorkWeek.MON_SAT
    daily, _ = render("daily", store, engagement, TODAY, engineer="Li Wei", now=clock())
    assert parse_front_matter(daily)["work_week"] == "mon-sat"
    engagement.work_week = WorkWeek.SUN_THU
    store.save_engagement(engagement)
    engagement = store.engagement("mes")
    daily, _ = render("daily", store, engagement, TODAY, engineer="Li Wei", now=clock())
    assert parse_front_matter(daily)["work_week"] == "sun-thu"


def test_a_week_sitedash_does_not_know_reads_as_monday_to_saturday(tmp_path: Path) -> None:
    """A hand-edited front matter: the report is read, and Saturday is still expected."""
    report(tmp_path, "Hana", date(2026, 11, 20), work_week="tue-sat")  # Friday
    text, _, skipped = rollup([tmp_path], now=FROZEN_NOW, since=date(2026, 11, 20))
    assert skipped == 0
    assert rows(text, "Not reported")[0][:4] == [
        "Hana",
        "2026-11-20 (Daily report)",
        "3",
        "2026-11-21, 2026-11-23, 2026-11-24",
    ]


def test_a_window_of_only_a_sunday_misses_nobody(tmp_path: Path) -> None:
    for day in days(date(2026, 11, 9), date(2026, 11, 14)):
        report(tmp_path, "Bela", day)
    monday = datetime(2026, 11, 23, 8, tzinfo=UTC)
    text, _, _ = rollup([tmp_path], now=monday, since=date(2026, 11, 22))
    assert rows(text, "Not reported") == []
    text, _, _ = rollup([tmp_path], now=monday + timedelta(days=1), since=date(2026, 11, 22))
    assert rows(text, "Not reported")[0][:3] == ["Bela", "2026-11-14 (Daily report)", "1"]


def test_since_leaves_older_reports_out_of_the_summary_but_not_out_of_not_reported(
    tmp_path: Path,
) -> None:
    report(tmp_path, "Bela", date(2026, 11, 10), counts={"trainings": 3})
    for day in days(date(2026, 11, 23), date(2026, 11, 24)):
        report(tmp_path, "Anna", day, counts={"trainings": 1})
    text, read, _ = rollup([tmp_path], now=FROZEN_NOW, since=date(2026, 11, 18))
    assert read == 3
    assert "## Bela" not in text, "Bela's report is older than the period"
    assert [row[0] for row in rows(text, "Not reported")] == ["Bela"]
    assert "Trainings: 2 sessions" in section(text, "Anna · MES")
    assert "Reports of periods ending on or after 2026-11-18." in text
    everything, _, _ = rollup([tmp_path], now=FROZEN_NOW)
    assert "## Bela · MES" in everything


def test_parse_since() -> None:
    assert parse_since("7d", TODAY) == date(2026, 11, 18)
    assert parse_since("0d", TODAY) == TODAY
    assert parse_since("2026-11-01", TODAY) == date(2026, 11, 1)
    for bad in ("7", "week", "-3d", "2026-13-01", "99999d"):
        with pytest.raises(InputError, match="bad --since"):
            parse_since(bad, TODAY)


def test_since_after_today_is_refused_and_since_today_is_an_empty_window(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A date not yet begun is a mistake (one line, status 2); `--since today` is a
    period that has not ended yet: nobody has missed it, and the roll-up never shows a
    period that ends before it starts."""
    with pytest.raises(InputError, match="after today"):
        parse_since("2026-11-26", TODAY)
    report(tmp_path / "in", "Bela", date(2026, 11, 10))
    report(tmp_path / "in", "Anna", date(2026, 11, 25))
    assert (
        main(["collect", str(tmp_path / "in"), "--since", "2027-01-01"], clock=FrozenClock()) == 2
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert (
        err[-1]
        == "sitedash: --since 2027-01-01 is after today (2026-11-25): give a past date, or 7d"
    )
    for lang, since, line in (
        (
            "en",
            "0d",
            "Not reported: nobody yet, the period starts today (2026-11-25) and today is not over.",
        ),
        ("zh", "2026-11-25", "未提交报告:暂无,时段从今天(2026-11-25)开始,今天尚未结束。"),
    ):
        out = tmp_path / f"rollup-{lang}.md"
        code = main(
            [
                "--lang",
                lang,
                "collect",
                str(tmp_path / "in"),
                "--since",
                since,
                "--out",
                str(out),
            ],
            clock=FrozenClock(),
        )
        assert code == 0
        text = out.read_text(encoding="utf-8")
        assert line in text
        assert "to 2026-11-24" not in text and "至 2026-11-24" not in text
        fields = parse_front_matter(text)
        assert (fields["period_start"], fields["period_end"]) == ("2026-11-25", "2026-11-25")
        assert fields["counts"]["not_reported"] == 0


def test_team_health_from_crafted_front_matter(tmp_path: Path) -> None:
    minutes = {
        date(2026, 11, 18): 660,
        date(2026, 11, 19): 700,  # 18-19: a run of two long days
        date(2026, 11, 20): 400,
        date(2026, 11, 21): 620,
        date(2026, 11, 23): 610,  # 21 and 23 are not in a row: Sunday was off
    }
    for day, worked in minutes.items():
        report(
            tmp_path,
            "Anna",
            day,
            counts={"worked_min": worked},
            worked_by_day={day.isoformat(): worked},
        )
    report(
        tmp_path,
        "Anna",
        date(2026, 11, 24),
        worked_by_day={"2026-11-24": 300},
        open_p1_opened={"ISS-7": "2026-11-19", "ISS-9": "2026-11-23"},
        pending_changes_since=["2026-11-10", "2026-11-20"],
        rotation_due="2026-12-05",
        late_milestones=2,
        at_risk_milestones=["UAT passed · due 2026-11-27"],
        open_risks=["Server delivery slips", "Key user leaves"],
    )
    report(tmp_path, "Bela", date(2026, 11, 24), rotation_due="2027-03-01", open_risks=0)
    text, _, _ = rollup([tmp_path], now=FROZEN_NOW)
    assert rows(text, "Team health") == [
        ["Anna", "MES", "Open P1 older than 3 days", "ISS-7 5 days (as of 2026-11-24)"],
        [
            "Anna",
            "MES",
            "Change requests pending over a week",
            "1 pending since 2026-11-10 (as of 2026-11-24)",
        ],
        ["Anna", "MES", "Late milestones", "2 (as of 2026-11-24)"],
        [
            "Anna",
            "MES",
            "Milestones at risk",
            "1 (as of 2026-11-24): UAT passed · due 2026-11-27",
        ],
        [
            "Anna",
            "MES",
            "Open risks",
            "2 (as of 2026-11-24): Server delivery slips; Key user leaves",
        ],
        ["Anna", "MES", "Rotation due within 14 days", "2026-12-05"],
        ["Anna", "", "2 days in a row over 10 h", "2026-11-18 11h, 2026-11-19 11h40m"],
    ]
    assert parse_front_matter(text)["counts"]["health_flags"] == 7


def test_team_health_from_real_exports(tmp_path: Path) -> None:
    """The daily report writes what Team health reads: a P1 reported 5 days ago is
    flagged, yesterday's is not; a change request waiting 10 days is; rotation is due."""
    clock = FrozenClock(FROZEN_NOW - timedelta(days=5))
    store = Store(tmp_path / "data", clock=clock)
    save_new_engagement(
        store,
        Engagement(
            id="mes", name="MES", site_tz="Europe/Budapest", start=date(2026, 8, 30)
        ),  # + 3 months: rotation due on 2026-11-30
    )
    old = issue_service.create_issue(store, Issue("Line down", "mes", severity=Severity.P1))
    clock.now = FROZEN_NOW - timedelta(days=1)
    issue_service.create_issue(store, Issue("Scanner", "mes", severity=Severity.P1))
    issue_service.create_issue(store, Issue("Label", "mes", severity=Severity.P2))
    signoff_service.save_change(
        store, ChangeRequest("Extra report", "mes", "Customer PM", TODAY - timedelta(days=10))
    )
    clock.now = FROZEN_NOW
    out = tmp_path / "out"
    out.mkdir()
    export(
        "daily", store, store.engagement("mes"), TODAY, engineer="Li", now=FROZEN_NOW, out=str(out)
    )  # type: ignore[arg-type]
    text, read, _ = rollup([out], now=FROZEN_NOW)
    assert read == 1
    health = rows(text, "Team health")
    assert health == [
        ["Li", "MES", "Open P1 older than 3 days", f"{old.key} 5 days (as of 2026-11-25)"],
        [
            "Li",
            "MES",
            "Change requests pending over a week",
            "1 pending since 2026-11-15 (as of 2026-11-25)",
        ],
        ["Li", "MES", "Rotation due within 14 days", "2026-11-30"],
    ]


def test_hours_per_engineer_per_week_a_timesheet_wins(tmp_path: Path) -> None:
    for day in days(date(2026, 11, 16), date(2026, 11, 20)):
        report(tmp_path, "Anna", day, worked_by_day={day.isoformat(): 480})
    for day in (date(2026, 11, 23), date(2026, 11, 24)):
        report(tmp_path, "Anna", day, worked_by_day={day.isoformat(): 500})
    report(
        tmp_path, "Anna", date(2026, 11, 17), engagement="erp", worked_by_day={"2026-11-17": 120}
    )
    # A timesheet of the MES engagement for week 47 (newer than the dailies): the 18th
    # to the 20th are covered and not listed, so not worked.
    report(
        tmp_path,
        "Anna",
        date(2026, 11, 16),
        date(2026, 11, 22),
        kind="timesheet",
        worked_by_day={"2026-11-16": 450, "2026-11-17": 450},
        counts={"worked_min": 900, "break_min": 60, "overtime_min": 0, "days": 2},
    )
    # A timesheet of every engagement for week 48, as a newer sitedash may write it.
    report(
        tmp_path,
        "Anna",
        date(2026, 11, 23),
        date(2026, 11, 29),
        kind="timesheet",
        engagement=None,
        worked_by_day={"2026-11-23": 300},
        counts={"worked_min": 300, "break_min": 0, "overtime_min": 0, "days": 1},
    )
    # Bela sends weekly reviews only: their days count too.
    report(
        tmp_path,
        "Bela",
        date(2026, 11, 16),
        date(2026, 11, 22),
        kind="weekly",
        worked_by_day={"2026-11-16": 660, "2026-11-17": 620, "2026-11-18": 0},
    )
    text, _, skipped = rollup([tmp_path], now=FROZEN_NOW)
    assert skipped == 0
    assert rows(text, "Hours per engineer per week") == [
        ["Anna", "2026-W47", "17h", "2", "0"],
        ["Anna", "2026-W48", "5h", "1", "0"],
        ["Bela", "2026-W47", "21h20m", "2", "2"],
    ]
    # The MES timesheet wins on the 16th to the 22nd (450 + 450); the every-engagement
    # timesheet cannot be split by engagement, so MES's line keeps its dailies there.
    assert "Hours: 31h40m on 4 days" in section(text, "Anna · MES")
    assert "Hours: 2h on 1 day" in section(text, "Anna · ERP")
    later, _, _ = rollup([tmp_path], now=FROZEN_NOW, since=date(2026, 11, 23))
    assert rows(later, "Hours per engineer per week") == [["Anna", "2026-W48", "5h", "1", "0"]]


def test_a_weekly_sent_mid_week_is_dated_the_day_it_was_made(tmp_path: Path) -> None:
    """Issue 19: "Issues as of 2026-12-13" on Monday the 7th was the week's Sunday."""
    monday = datetime(2026, 12, 7, 17, tzinfo=UTC)
    store = Store(tmp_path / "data", clock=FrozenClock(monday))
    save_new_engagement(store, Engagement(id="mes", name="MES", site_tz="UTC"))
    issue_service.create_issue(store, Issue("Line down", "mes", severity=Severity.P1))
    out = tmp_path / "out"
    out.mkdir()
    engagement = store.engagement("mes")
    assert engagement is not None
    export("weekly", store, engagement, monday.date(), engineer="Li", now=monday, out=str(out))
    text, _, _ = rollup([out], now=monday + timedelta(hours=1))
    part = section(text, "Li · MES")
    assert "Issues as of 2026-12-07:" in part and "Issues as of 2026-12-13" not in part
    assert "Period covered: 2026-12-07 to 2026-12-13" in part
    late = datetime(2026, 12, 20, 9, tzinfo=UTC)  # made after the week: its Sunday
    export(
        "weekly",
        store,
        engagement,
        monday.date(),
        engineer="Li",
        now=late,
        out=str(out),
        force=True,
    )
    text, _, _ = rollup([out], now=late)
    assert "Issues as of 2026-12-13:" in section(text, "Li · MES")


def test_collect_since_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report(tmp_path / "in", "Bela", date(2026, 11, 10))
    report(tmp_path / "in", "Anna", date(2026, 11, 24))
    out = tmp_path / "rollup.md"
    code = main(
        ["collect", str(tmp_path / "in"), "--since", "7d", "--out", str(out)], clock=FrozenClock()
    )
    assert code == 0
    text = out.read_text(encoding="utf-8")
    assert "## Anna · MES" in text and "## Bela" not in text
    assert [row[0] for row in rows(text, "Not reported")] == ["Bela"]
    assert main(["collect", str(tmp_path / "in"), "--since", "lastweek"], clock=FrozenClock()) == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1].startswith("sitedash: bad --since 'lastweek'")
