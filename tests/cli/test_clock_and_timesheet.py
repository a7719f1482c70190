"""`sitedash clock in|out|break|log|edit|rm` and `sitedash export timesheet`: the one line
and the exit status of each case, and the data files byte for byte when nothing changes."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sitedash.models import Engagement, SessionKind, WorkSession, replace
from sitedash.reports.exports import render
from sitedash.reports.frontmatter import parse_front_matter
from sitedash.services.engagements import save_new_engagement
from sitedash.storage import Store
from tests.conftest import TODAY, FrozenClock

BUDAPEST = ZoneInfo("Europe/Budapest")
MONDAY = TODAY - timedelta(days=TODAY.weekday())


def local(hour: int, minute: int = 0, day: date = TODAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BUDAPEST)


def files(store: Store) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(store.data_dir.rglob("*.json"))}


def refused(result: tuple[int, str, str]) -> str:
    """The one line of a refusal (exit status 2, nothing on stdout)."""
    status, out, err = result
    assert (status, out) == (2, ""), result
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err.removeprefix("sitedash: ").rstrip("\n")


def at_site(clock: FrozenClock, hour: int, minute: int = 0, day: date = TODAY) -> None:
    clock.now = local(hour, minute, day).astimezone(UTC)


# -- issue 16, part 7: time input ----------------------------------------------------------


def test_at_10_00_a_clock_in_at_10_05_is_refused_not_recorded_yesterday(
    run, store: Store, clock: FrozenClock
) -> None:
    at_site(clock, 10)
    before = files(store)
    assert refused(run("clock", "in", "--at", "10:05")) == "10:05 is in the future"
    assert files(store) == before
    assert store.sessions_between(TODAY - timedelta(days=2), TODAY) == []


def test_a_clock_out_in_the_future_says_so(run, store: Store, clock: FrozenClock) -> None:
    at_site(clock, 8)
    assert run("clock", "in")[0] == 0
    at_site(clock, 10)
    before = files(store)
    assert refused(run("clock", "out", "--at", "18:30")) == "18:30 is in the future"
    assert files(store) == before


def test_a_forgotten_clock_in_is_back_filled(run, store: Store, clock: FrozenClock) -> None:
    at_site(clock, 10)
    run("clock", "in")
    at_site(clock, 12)
    run("clock", "break")
    at_site(clock, 12, 30)
    status, out, err = run("clock", "in", "--at", "08:30")
    assert (status, err) == (0, "")
    assert out == "Clocked in at 08:30 (mes); the work from 10:00 now begins then\n"
    [work, pause] = store.sessions_between(TODAY, TODAY)
    assert (work.start, work.end, pause.kind) == (local(8, 30), local(12), SessionKind.BREAK)
    before = files(store)
    assert refused(run("clock", "in", "--at", "11:00")) == "11:00 overlaps work 08:30–12:00"
    assert files(store) == before


def test_clock_out_works_after_the_system_clock_stepped_back(
    run, store: Store, clock: FrozenClock
) -> None:
    at_site(clock, 10)
    run("clock", "in")
    at_site(clock, 9, 40)
    status, out, err = run("clock", "out")
    assert (status, err) == (0, "")
    assert out.count("\n") == 1
    assert out.startswith("Clocked out (mes). This machine's clock (09:40) is behind the start")
    assert "assumed the work ended when it began" in out
    assert run("status")[1].endswith("· not clocked in\n")


def test_the_second_pass_of_a_repeated_hour_is_taken_with_its_offset(
    run, store: Store, clock: FrozenClock
) -> None:
    save_new_engagement(store, Engagement("ny", "Plant", site_tz="America/New_York"))
    clock.now = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)  # 03:00 in New York
    status, out, _ = run("clock", "in", "--engagement", "ny", "--at", "2026-11-01 01:20-05:00")
    assert status == 0
    assert out == "Clocked in at 01:20-05:00, the second 01:20 (ny)\n"
    [session] = store.sessions_between(date(2026, 10, 31), date(2026, 11, 1))
    assert session.start == datetime(2026, 11, 1, 6, 20, tzinfo=UTC)
    status, out, _ = run("clock", "out", "--engagement", "ny", "--at", "01:50-05:00")
    assert out == "Clocked out at 01:50-05:00, the second 01:50 (ny)\n"
    before = files(store)
    assert refused(run("clock", "in", "--engagement", "ny", "--at", "01:10+01:00")) == (
        "2026-11-01 01:10+01:00 is not a time at the site: "
        "the site was at UTC-04:00 / UTC-05:00 then"
    )
    assert files(store) == before


# -- clock log, edit, rm --------------------------------------------------------------------


def test_log_edit_and_rm(run, store: Store, clock: FrozenClock) -> None:
    at_site(clock, 18)
    for kind, start, end, note in [
        (SessionKind.WORK, local(8), local(12), "line 2 cut-over"),
        (SessionKind.BREAK, local(12), local(12, 45), ""),
        (SessionKind.WORK, local(12, 45), local(17, 30), ""),
    ]:
        store.save_session(
            WorkSession(kind, start, TODAY, "mes", end, "Europe/Budapest", note=note)
        )
    ids = [s.id for s in store.sessions_between(TODAY, TODAY)]
    status, out, _ = run("clock", "log")
    assert status == 0
    assert out.splitlines() == [
        "Wed 2026-11-25 · worked 8h45m · breaks 45m · walks 0m",
        f"{ids[0]}  08:00–12:00      work    4h      mes  line 2 cut-over",
        f"{ids[1]}  12:00–12:45      break   45m     mes",
        f"{ids[2]}  12:45–17:30      work    4h45m   mes",
    ]
    before = files(store)
    assert refused(run("clock", "edit", ids[1][:6], "--end", "13:00")) == (
        "12:00–13:00 overlaps work 12:45–17:30"
    )
    assert files(store) == before
    status, out, _ = run("clock", "edit", ids[2], "--start", "13:00", "--kind", "work")
    assert (status, out) == (0, f"Changed {ids[2]}  13:00–17:30      work    4h30m   mes\n")
    status, out, _ = run("clock", "rm", ids[1][:5])
    assert (status, out) == (0, f"Removed {ids[1]}  12:00–12:45      break   45m     mes\n")
    assert run("clock", "log")[1].splitlines()[0] == (
        "Wed 2026-11-25 · worked 8h30m · breaks 0m · walks 0m"
    )
    before = files(store)
    assert refused(run("clock", "rm", ids[1])).startswith(f"no session {ids[1]}")
    assert refused(run("clock", "edit", ids[0])) == (
        "nothing to change: give --start, --end, --kind or --note"
    )
    assert files(store) == before


def test_times_around_midnight_belong_to_the_day_they_started(
    run, store: Store, clock: FrozenClock
) -> None:
    at_site(clock, 21)
    run("clock", "in")
    at_site(clock, 1, 30, TODAY + timedelta(days=1))  # the go-live ran past midnight
    assert run("clock", "out")[0] == 0
    at_site(clock, 9, 0, TODAY + timedelta(days=1))
    [line] = run("clock", "log", "--date", TODAY.isoformat())[1].splitlines()[1:]
    session_id = line.split()[0]
    assert "21:00–01:30+1" in line and "4h30m" in line
    assert "No sessions on Thu 2026-11-26." in run("clock", "log")[1]
    status, out, _ = run("clock", "edit", session_id, "--end", "02:00")
    assert status == 0 and "21:00–02:00+1" in out
    [session] = store.sessions_between(TODAY, TODAY)
    assert session.end == local(2, 0, TODAY + timedelta(days=1))


# -- export timesheet -------------------------------------------------------------------------


@pytest.fixture
def week(store: Store, clock: FrozenClock) -> Store:
    """Monday to Wednesday of the frozen week, two engagements on Tuesday."""
    save_new_engagement(
        store, Engagement("crm", "CRM 上线", customer="=Danube", site_tz="Europe/Budapest")
    )
    at_site(clock, 20)
    rows = [
        ("mes", SessionKind.WORK, local(8, 0, MONDAY), local(12, 0, MONDAY)),
        ("mes", SessionKind.BREAK, local(12, 0, MONDAY), local(12, 30, MONDAY)),
        ("mes", SessionKind.WORK, local(12, 30, MONDAY), local(18, 10, MONDAY)),
        (
            "mes",
            SessionKind.WORK,
            local(7, 50, MONDAY + timedelta(1)),
            local(13, 5, MONDAY + timedelta(1)),
        ),
        (
            "crm",
            SessionKind.WORK,
            local(14, 0, MONDAY + timedelta(1)),
            local(19, 0, MONDAY + timedelta(1)),
        ),
        ("mes", SessionKind.WORK, local(22, 0, TODAY), None),  # the night deployment
    ]
    for engagement, kind, start, end in rows:
        day = start.astimezone(BUDAPEST).date()
        store.save_session(WorkSession(kind, start, day, engagement, end, "Europe/Budapest"))
    return store


def test_the_weekly_hours_and_the_timesheet_agree_to_the_minute(
    week: Store, clock: FrozenClock
) -> None:
    clock.now = local(23, 37, TODAY).astimezone(UTC) + timedelta(seconds=41)
    engagement = week.engagement("mes")
    weekly, _ = render("weekly", week, engagement, TODAY, engineer="Li", now=clock.now)
    sheet, _ = render("timesheet", week, engagement, TODAY, engineer="Li", now=clock.now)
    weekly_front, sheet_front = parse_front_matter(weekly), parse_front_matter(sheet)
    assert sheet_front["worked_by_day"] == weekly_front["worked_by_day"]
    assert sheet_front["counts"]["worked_min"] == weekly_front["counts"]["worked_min"] == 992
    assert "| Total | 16h32m |" in weekly
    assert "| Total |  |  |  | 16h32m |" in sheet


def test_timesheet_markdown_rows_overtime_and_front_matter(
    run, week: Store, clock: FrozenClock
) -> None:
    at_site(clock, 22, 28)
    status, out, err = run("export", "timesheet")
    assert (status, err) == (0, "")
    front = parse_front_matter(out)
    assert (front["kind"], front["period_start"], front["period_end"]) == (
        "timesheet",
        "2026-11-23",
        "2026-11-29",
    )
    assert front["engagement"] == ""  # every engagement
    assert front["counts"] == {"worked_min": 1223, "break_min": 30, "overtime_min": 235, "days": 3}
    assert front["worked_by_day"] == {
        "2026-11-23": 580,
        "2026-11-24": 615,
        "2026-11-25": 28,
        "2026-11-26": 0,
        "2026-11-27": 0,
        "2026-11-28": 0,
        "2026-11-29": 0,
    }
    assert "# Timesheet · all engagements · 2026-W48" in out
    # Tuesday: 5h15m of MES, then 5h of CRM; the day's 2h15m over 8 h are CRM's.
    assert "| Tue 2026-11-24 | MES roll-out | 07:50 | 13:05 | 5h15m | - | - |" in out
    assert "| Tue 2026-11-24 | CRM 上线 | 14:00 | 19:00 | 5h | - | 2h15m |" in out
    assert "| Mon 2026-11-23 | MES roll-out | 08:00 | 18:10 | 9h40m | 30m | 1h40m |" in out
    assert "| Wed 2026-11-25 | MES roll-out | 22:00 | running | 28m | - | - |" in out
    only_mes = parse_front_matter(run("export", "timesheet", "--engagement", "mes")[1])
    assert only_mes["engagement"] == "mes"
    assert only_mes["counts"]["overtime_min"] == 100  # CRM's overtime is not MES's


def test_timesheet_csv_reads_back_with_the_csv_module(
    run, week: Store, clock: FrozenClock, tmp_path: Path
) -> None:
    status, _, err = run(
        "export",
        "timesheet",
        "--format",
        "csv",
        "--from",
        "2026-11-23",
        "--to",
        "2026-11-24",
        "--out",
        str(tmp_path),
    )
    written = tmp_path / "timesheet-2026-11-23_2026-11-24.csv"
    assert status == 0 and str(written) in err
    raw = written.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "a BOM, so Excel shows Chinese"
    with written.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == [
        "Date",
        "Engagement",
        "Engagement name",
        "Start",
        "End",
        "Time zone",
        "Worked (min)",
        "Breaks (min)",
        "Overtime (min)",
        "Worked (h)",
    ]
    assert [
        (
            r["Date"],
            r["Engagement"],
            r["Engagement name"],
            r["Start"],
            r["End"],
            r["Worked (min)"],
            r["Breaks (min)"],
            r["Overtime (min)"],
            r["Worked (h)"],
        )
        for r in rows
    ] == [
        (
            "2026-11-23",
            "mes",
            "MES roll-out",
            "2026-11-23 08:00",
            "2026-11-23 18:10",
            "580",
            "30",
            "100",
            "9.67",
        ),
        (
            "2026-11-24",
            "mes",
            "MES roll-out",
            "2026-11-24 07:50",
            "2026-11-24 13:05",
            "315",
            "0",
            "0",
            "5.25",
        ),
        (
            "2026-11-24",
            "crm",
            "CRM 上线",
            "2026-11-24 14:00",
            "2026-11-24 19:00",
            "300",
            "0",
            "135",
            "5.00",
        ),
    ]
    assert {r["Time zone"] for r in rows} == {"Europe/Budapest"}


def test_csv_in_chinese_and_a_formula_in_user_text(run, week: Store, clock: FrozenClock) -> None:
    week.save_engagement(Engagement("crm", '=HYPERLINK("x")', site_tz="Europe/Budapest"))
    status, out, _ = run("--lang", "zh", "export", "timesheet", "--format", "csv")
    assert status == 0
    rows = list(csv.reader(io.StringIO(out.removeprefix("\ufeff"))))
    assert rows[0][:3] == ["日期", "项目", "项目名称"]
    assert ["2026-11-24", "crm", '\'=HYPERLINK("x")'] in [r[:3] for r in rows]


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (("daily", "--format", "csv"), "--format csv is only for the timesheet"),
        (("weekly", "--from", "2026-11-01", "--to", "2026-11-07"), "only for the timesheet"),
        (("timesheet", "--from", "2026-11-01"), "give both --from and --to"),
        (("timesheet", "--from", "2026-11-09", "--to", "2026-11-01"), "ends (2026-11-01) before"),
        (("timesheet", "--from", "2026-01-01", "--to", "2027-06-01"), "366 days at most"),
        (
            ("timesheet", "--date", "2026-11-25", "--from", "2026-11-01", "--to", "2026-11-02"),
            "not both",
        ),
        (("timesheet", "--format", "xlsx"), "invalid choice: 'xlsx'"),
    ],
)
def test_export_options_refused_in_one_line(run, store: Store, args, line: str) -> None:
    before = files(store)
    status, out, err = run("export", *args)
    assert (status, out) == (2, "")
    assert err.count("\n") == 1 and line in err, err
    assert files(store) == before


def test_date_alone_means_its_iso_week(run, week: Store) -> None:
    front = parse_front_matter(run("export", "timesheet", "--date", "2026-11-18")[1])
    assert (front["period_start"], front["period_end"]) == ("2026-11-16", "2026-11-22")
    assert front["counts"]["worked_min"] == 0
    assert "_None._" in run("export", "timesheet", "--date", "2026-11-18")[1]


def test_log_needs_no_active_engagement(run, store: Store, clock: FrozenClock) -> None:
    """`clock log/edit/rm` read every engagement's sessions: two engagements and none
    chosen is no reason to refuse them (`clock in` does need to know which)."""
    save_new_engagement(store, Engagement("crm", "CRM", site_tz="Europe/Budapest"))
    settings = store.settings()
    settings.active_engagement = ""
    store.save_settings(settings)
    at_site(clock, 18)
    store.save_session(
        WorkSession(SessionKind.WORK, local(9), TODAY, "crm", local(10), "Europe/Budapest")
    )
    status, out, _ = run("clock", "log")
    assert status == 0 and "09:00–10:00" in out and "crm" in out
    assert "none active" in refused(run("clock", "in"))


def test_hours_add_up_by_hand_with_seconds_two_engagements_and_a_stray_second(
    run, store: Store, clock: FrozenClock
) -> None:
    """Clocked times carry seconds: 08:00:30-09:00 is 59m on every list. The day's and the
    week's totals are the sum of the lengths shown, in `clock log`, the dashboard's week,
    the timesheet and the weekly review, and an old session under a minute counts nothing."""
    from sitedash.services import wellbeing

    save_new_engagement(store, Engagement("crm", "CRM", site_tz="Europe/Budapest"))
    days = [MONDAY, MONDAY + timedelta(1)]
    for day in days:
        for engagement, start, end in [
            ("mes", local(8, 0, day) + timedelta(seconds=30), local(9, 0, day)),
            ("crm", local(9, 0, day) + timedelta(seconds=30), local(10, 0, day)),
            # recorded by an older version: 40 seconds
            (
                "mes",
                local(11, 0, day) + timedelta(seconds=10),
                local(11, 0, day) + timedelta(seconds=50),
            ),
        ]:
            store.save_session(
                WorkSession(SessionKind.WORK, start, day, engagement, end, "Europe/Budapest")
            )
    at_site(clock, 18)
    log = run("clock", "log", "--date", MONDAY.isoformat())[1]
    assert log.splitlines()[0].startswith("Mon 2026-11-23 · worked 1h58m ·")
    assert [line.split()[3] for line in log.splitlines()[1:]] == ["59m", "59m"]
    week = wellbeing.week_minutes(store.sessions_between(MONDAY, TODAY), TODAY, clock.now)
    assert week[:2] == [118, 118] and sum(week) == 236
    sheet = parse_front_matter(run("export", "timesheet", "--out", "-")[1])
    assert sheet["counts"]["worked_min"] == 236
    weekly = parse_front_matter(run("export", "weekly", "--engagement", "mes", "--out", "-")[1])
    mes_sheet = run("export", "timesheet", "--engagement", "mes", "--out", "-")[1]
    assert weekly["worked_by_day"] == parse_front_matter(mes_sheet)["worked_by_day"]
    assert weekly["counts"]["worked_min"] == 118


def test_a_session_id_too_short_says_how_much_of_it_to_give(
    run, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    """`clock edit 08:00` or `clock rm 7fe`: the help and the refusal say an id's first
    four characters are enough, not "its start" (read as the session's start time)."""
    assert refused(run("clock", "rm", "7fe")) == (
        "bad session id '7fe': use an id that `sitedash clock log` lists, "
        "or its first four characters at least"
    )
    try:
        _, out, _ = run("clock", "edit", "--help")
    except SystemExit:
        out = capsys.readouterr().out
    assert "its first four characters are enough" in " ".join(out.split())


def test_a_refusal_names_the_hours_view_by_the_engineers_key(
    run, store: Store, clock: FrozenClock
) -> None:
    """`wellbeing.hours` remapped: the hint says the key that opens the Hours view."""
    at_site(clock, 9)
    assert run("clock", "in")[0] == 0
    earlier = f"{(TODAY - timedelta(days=2)).isoformat()} 08:00"
    assert "in the Hours view (h)," in refused(run("clock", "in", "--at", earlier))
    store.save_settings(replace(store.settings(), keymap={"wellbeing.hours": "f3, ctrl+h"}))
    assert "in the Hours view (f3)," in refused(run("clock", "in", "--at", earlier))
