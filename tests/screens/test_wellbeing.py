"""The Wellbeing screen and in-app reminders, on a frozen clock moved by hand."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from textual.widgets import Input, Static

from sitedash.i18n import set_language, t
from sitedash.modals.confirm import ConfirmDialog
from sitedash.modals.reminder import ReminderDialog
from sitedash.modals.session import ClockTimeForm, SessionForm
from sitedash.models import DayHealth, SessionKind, WorkSession
from sitedash.reports.exports import render
from sitedash.storage import Store
from sitedash.widgets.session_table import SessionTable
from tests.conftest import TODAY, FrozenClock, wait_until
from tests.drawn import footer_line, notifications
from tests.screens.test_bilingual import assert_fits


def text(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def toasts(app) -> list[str]:
    return notifications(app)


async def open_wellbeing(pilot) -> None:
    await pilot.press("5")
    await pilot.pause()


async def wait_for(pilot, condition, timeout: float = 10.0) -> None:
    """Let the app run until `condition()` holds (no fixed delay decides anything)."""
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    assert condition(), f"not met after {timeout} s"


async def clock_key(pilot, key: str, at: str = "") -> None:
    """Press a clock key and answer its prompt: a time, or enter alone for now."""
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ClockTimeForm))
    if at:
        await pilot.press(*at)
    await pilot.press("enter")
    await wait_for(pilot, lambda: not isinstance(pilot.app.screen, ClockTimeForm))


async def test_clock_in_break_out_and_hours(app, store: Store, clock: FrozenClock) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_wellbeing(pilot)
        assert "Off the clock" in text(app, "#clock-line")
        await clock_key(pilot, "i")
        assert "working since 09:30" in text(app, "#clock-line")
        clock.now += timedelta(hours=2, minutes=30)
        await clock_key(pilot, "b")
        assert "on a break since 12:00" in text(app, "#clock-line")
        clock.now += timedelta(minutes=30)
        await clock_key(pilot, "i")
        clock.now += timedelta(hours=1)
        await clock_key(pilot, "o")
        sessions = store.sessions_between(TODAY, TODAY)
        assert [s.kind for s in sessions] == [SessionKind.WORK, SessionKind.BREAK, SessionKind.WORK]
        assert all(s.end is not None for s in sessions)
        week = text(app, "#week-chart")
        assert "Wed 25" in week and "3h30m" in week
        assert "breaks: 1 (30m)" in text(app, "#today-line")
        assert "off the clock" in text(app, "#nav-status")


async def test_the_shown_screen_follows_the_clock(app, store: Store, clock: FrozenClock) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_wellbeing(pilot)
        await clock_key(pilot, "i")
        clock.now += timedelta(hours=2, minutes=10)
        app.work_clock.check()  # the app's 30-second tick
        await pilot.pause()
        assert "focus 2h10m" in text(app, "#clock-line")
        assert "2h10m" in text(app, "#week-chart")


async def test_a_screen_shown_again_shows_the_work_clock_of_now(
    app, store: Store, clock: FrozenClock
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        app.work_clock.act("in")
        await pilot.pause()
        assert "▶ 0m" in text(app, "#nav-status")
        await pilot.press("2")
        await pilot.pause()
        clock.now += timedelta(hours=1, minutes=5)  # no reminder tick in between
        await pilot.press("1")
        await pilot.pause()
        assert "▶ 1h05m" in text(app, "#nav-status")


async def test_a_break_reminder_fires_once_without_taking_focus(
    app, store: Store, clock: FrozenClock
) -> None:
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("a")  # the engineer is typing a plan item...
        await pilot.pause()
        app.work_clock.act("in")
        clock.now += timedelta(hours=4, minutes=1)
        app.work_clock.check()
        await pilot.pause()
        # Issue 19: never over a form; it waits in the header's count.
        assert toasts(app) == []
        today_screen = app.screen_stack[0]
        assert "⏰1 r" in str(today_screen.query_one("#nav-status", Static).render())
        assert isinstance(app.focused, Input), "the reminder did not take the keyboard"
        await pilot.press(*"still typing")
        assert app.focused.value == "still typing"
        await pilot.press("ctrl+s")  # the form closes: now the reminder shows
        await pilot.pause()
        assert [m for m in toasts(app) if "Break due" in m] != []
        app.clear_notifications()  # as its timeout would
        app.work_clock.check()
        await pilot.pause()
        assert toasts(app) == [], "once per crossing, not every tick"
        assert "⏰1 r" in str(today_screen.query_one("#nav-status", Static).render())


async def test_presenting_holds_reminders_until_it_ends(
    app, store: Store, clock: FrozenClock
) -> None:
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_wellbeing(pilot)
        await clock_key(pilot, "i")
        await pilot.press("p")
        clock.now += timedelta(hours=5)
        app.work_clock.check()
        await pilot.pause()
        assert not any("Break due" in m for m in toasts(app))
        assert "presenting" in text(app, "#clock-line")
        await pilot.press("p")  # the presentation is over
        await pilot.pause()
        assert any("Break due" in m for m in toasts(app))


async def test_answering_already_did_credits_the_break(
    app, store: Store, clock: FrozenClock
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_wellbeing(pilot)
        await clock_key(pilot, "i")
        clock.now += timedelta(hours=4, minutes=10)
        app.work_clock.check()
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReminderDialog)
        await pilot.press("y")
        await pilot.pause()
        kinds = [s.kind for s in store.sessions_between(TODAY, TODAY)]
        assert kinds == [SessionKind.WORK, SessionKind.BREAK, SessionKind.WORK]
        assert app.work_clock.pending() == []
        assert "break in 4h" in text(app, "#clock-line")


async def test_snooze_then_it_comes_back(app, store: Store, clock: FrozenClock) -> None:
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_wellbeing(pilot)
        await clock_key(pilot, "i")
        clock.now += timedelta(hours=4)
        app.work_clock.check()
        await pilot.press("r", "z")
        await pilot.pause()
        app.clear_notifications()  # as the toast's timeout would
        clock.now += timedelta(minutes=5)
        app.work_clock.check()
        await pilot.pause()
        assert not [m for m in toasts(app) if "Break due" in m]
        clock.now += timedelta(minutes=6)
        app.work_clock.check()
        await pilot.pause()
        assert len([m for m in toasts(app) if "Break due" in m]) == 1
        # The state is kept with the data: a restart does not repeat an answered reminder.
        assert store.reminder_state()["fired"]


async def test_sleep_is_logged_and_flagged(app, store: Store) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_wellbeing(pilot)
        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one(Input).value = "5.5"
        await pilot.press("enter")
        await pilot.pause()
        assert store.health(TODAY).sleep_hours == 5.5
        assert "5.5 h  below 6 h" in text(app, "#sleep-chart")


async def test_days_on_site_and_rotation(app) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_wellbeing(pilot)
        line = text(app, "#site-line")
        assert "day 86 since 2026-09-01" in line
        assert "3 months: 2026-12-01" in line and "6 months: 2027-03-01" in line


# -- the Hours view: a day's sessions, corrected by hand (issue 18) ----------------------

BUDAPEST = ZoneInfo("Europe/Budapest")


def local(hour: int, minute: int = 0, day=TODAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BUDAPEST)


def rows(app) -> list[list[str]]:
    table = app.screen.query_one(SessionTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def data_files(store: Store) -> dict:
    return {
        p: p.read_bytes()
        for p in sorted(store.data_dir.rglob("*.json"))
        if "drafts" not in p.parts  # what a refused form held is kept there, on purpose
    }


def save(store: Store, kind, start, end, day=TODAY, note: str = "") -> WorkSession:
    session = WorkSession(kind, start, day, "mes", end, "Europe/Budapest", note=note)
    store.save_session(session)
    return session


async def open_hours(pilot) -> None:
    await open_wellbeing(pilot)
    await pilot.press("h")
    await wait_for(pilot, lambda: pilot.app.screen.query_one(SessionTable).has_focus)


def week_total(app) -> str:
    return text(app, "#week-chart").splitlines()[-1]


def daily(store: Store, clock: FrozenClock) -> str:
    return render("daily", store, store.engagement("mes"), TODAY, engineer="Li", now=clock.now)[0]


async def test_the_hours_view_lists_a_day_and_goes_to_others(
    app, store: Store, clock: FrozenClock
) -> None:
    yesterday = TODAY - timedelta(days=1)
    save(store, SessionKind.WORK, local(8, 15, yesterday), local(12, 0, yesterday), yesterday)
    save(store, SessionKind.WALK, local(12, 0, yesterday), local(12, 20, yesterday), yesterday)
    hostile = "[bold]VPN[/] check\x1b]52;c;aGk=\x07"  # markup and a clipboard write
    save(store, SessionKind.WORK, local(7, 45), local(8, 30), note=hostile)
    save(store, SessionKind.WORK, local(9, 0), local(9, 0) + timedelta(seconds=20))  # 0m
    save(store, SessionKind.WORK, local(9, 1), None)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_hours(pilot)
        assert rows(app) == [
            ["", "07:45", "08:30", "work", "45m", "mes", "[bold]VPN[/] check"],
            ["▶", "09:01", "…", "work", "29m", "mes", ""],
        ], "the 0m session is not shown; the note is shown as typed"
        assert "Wed 2026-11-25 today" in text(app, "#hours-day-bar")
        assert "worked 1h14m" in text(app, "#hours-day-bar")
        await pilot.press("left_square_bracket")
        await wait_for(pilot, lambda: "Tue 2026-11-24" in text(app, "#hours-day-bar"))
        assert [r[1:5] for r in rows(app)] == [
            ["08:15", "12:00", "work", "3h45m"],
            ["12:00", "12:20", "walk", "20m"],
        ]
        assert "walks 20m" in text(app, "#hours-day-bar")
        await pilot.press("left_square_bracket")
        await wait_for(pilot, lambda: "Mon 2026-11-23" in text(app, "#hours-day-bar"))
        assert rows(app) == []
        assert "No sessions on this day" in text(app, "#hours-empty")
        await pilot.press("t")
        await wait_for(pilot, lambda: "today" in text(app, "#hours-day-bar"))
        await pilot.press("c")
        await wait_for(pilot, lambda: app.screen.query_one("#week-chart").display)
        assert "Total" in week_total(app)


async def test_clock_in_with_a_time_back_fills_and_a_refusal_keeps_what_was_typed(
    app, store: Store, clock: FrozenClock
) -> None:
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_wellbeing(pilot)
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(app.screen, ClockTimeForm))
        await pilot.press(*"10:05", "enter")
        await wait_for(pilot, lambda: "10:05 is in the future" in text(app, "#dialog-error"))
        assert store.sessions_between(TODAY, TODAY) == []
        app.screen.query_one(Input).value = ""
        await pilot.press(*"08:30", "enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, ClockTimeForm))
        assert "working since 08:30" in text(app, "#clock-line")
        [session] = store.sessions_between(TODAY, TODAY)
        assert session.start == local(8, 30) and session.end is None
        assert "✓ Clocked in at 08:30 (mes)" in footer_line(app)
        # A break inside recorded work: refused by the clock's rules, asked again.
        clock.now += timedelta(hours=1)
        before = data_files(store)
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(app.screen, ClockTimeForm))
        await pilot.press(*"08:00", "enter")
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, ClockTimeForm)
                and "not clocked in at 08:00" in text(app, "#dialog-error")
            ),
        )
        assert app.screen.query_one(Input).value == "08:00", "what was typed is kept"
        assert data_files(store) == before


async def test_adding_and_editing_a_session_moves_the_week_and_the_daily_report(
    app, store: Store, clock: FrozenClock
) -> None:
    clock.now = local(18).astimezone(UTC)
    save(store, SessionKind.WORK, local(9), local(12))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_wellbeing(pilot)
        assert week_total(app) == "Total 3h"
        assert "Worked 3h;" in daily(store, clock)
        await pilot.press("h")
        await wait_for(pilot, lambda: app.screen.query_one(SessionTable).has_focus)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionForm))
        await pilot.press(*"13:00", "tab", *"17:30", "tab", "tab", *"UAT with Anna", "ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, SessionForm))
        assert [r[1:7] for r in rows(app)] == [
            ["09:00", "12:00", "work", "3h", "mes", ""],
            ["13:00", "17:30", "work", "4h30m", "mes", "UAT with Anna"],
        ]
        assert "Worked 7h30m;" in daily(store, clock)
        # Edit the morning: it began at 08:15.
        await pilot.press("up", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionForm))
        assert app.screen.query_one("#start", Input).value == "09:00"
        app.screen.query_one("#start", Input).value = "08:15"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, SessionForm))
        assert rows(app)[0][1:5] == ["08:15", "12:00", "work", "3h45m"]
        assert "Worked 8h15m;" in daily(store, clock)
        assert "| 08:15 | 12:00 | work | 3h45m |" in daily(store, clock)
        await pilot.press("c")
        await wait_for(pilot, lambda: week_total(app) == "Total 8h15m")


async def test_an_overlapping_edit_is_refused_in_one_line_with_everything_kept(
    app, store: Store, clock: FrozenClock
) -> None:
    clock.now = local(18).astimezone(UTC)
    save(store, SessionKind.WORK, local(9), local(12))
    save(store, SessionKind.BREAK, local(12), local(12, 45))
    before = data_files(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_hours(pilot)
        await pilot.press("enter")  # the first row
        await wait_for(pilot, lambda: isinstance(app.screen, SessionForm))
        app.screen.query_one("#end", Input).value = "12:30"
        app.screen.query_one("#note", Input).value = "cut-over"
        await pilot.press("ctrl+s")
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, SessionForm)
                and text(app, "#dialog-error") == "09:00–12:30 overlaps break 12:00–12:45"
            ),
        )
        assert app.screen.query_one("#end", Input).value == "12:30"
        assert app.screen.query_one("#note", Input).value == "cut-over"
        assert data_files(store) == before
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, SessionForm))
        assert data_files(store) == before


async def test_deleting_a_session_asks_first(app, store: Store, clock: FrozenClock) -> None:
    clock.now = local(18).astimezone(UTC)
    save(store, SessionKind.WORK, local(9), local(12))
    save(store, SessionKind.BREAK, local(12), local(12, 45))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_hours(pilot)
        await pilot.press("down", "x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "Delete break 12:00–12:45?" in text(app, ".dialog-title")
        await pilot.press("n")
        await wait_for(pilot, lambda: not isinstance(app.screen, ConfirmDialog))
        assert len(store.sessions_between(TODAY, TODAY)) == 2
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_for(pilot, lambda: len(rows(app)) == 1)
        assert [s.kind for s in store.sessions_between(TODAY, TODAY)] == [SessionKind.WORK]
        assert "breaks 0m" in text(app, "#hours-day-bar")


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_hours_view_fits_80x24_in_both_languages(
    store: Store, clock: FrozenClock, lang: str
) -> None:
    from sitedash.app import make_app

    clock.now = local(18).astimezone(UTC)
    save(store, SessionKind.WORK, local(8), local(12), note="部署 MES 服务器并配置数据库连接" * 3)
    save(store, SessionKind.BREAK, local(12), local(12, 30))
    save(store, SessionKind.WALK, local(12, 30), local(12, 50))
    save(store, SessionKind.WORK, local(12, 50), None)
    set_language(lang)
    app = make_app(store, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_hours(pilot)
        assert_fits(app)
        drawn = app.export_screenshot().replace("&#160;", " ")
        for label in ("Hours", "Add", "Start", "Length"):
            assert t(label) in drawn, label
        bar = text(app, "#hours-day-bar")
        assert (
            t(
                "worked {worked} · breaks {breaks} · walks {walks}",
                worked="9h10m",
                breaks="30m",
                walks="20m",
            )
            in bar
        )
        assert t("{over} over {regular}", over="1h10m", regular="8h") in bar
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionForm))
        for widget in app.screen.query("*"):  # the form, all of it on the 80x24 screen
            if widget.display and widget.region.width:
                assert widget.region.right <= 80 and widget.region.bottom <= 24, widget
        drawn = app.export_screenshot().replace("&#160;", " ")
        labels = [t(label) for label in ("Start", "End", "Kind", "Note", "Cancel")]
        for label in (*labels, t("Save ({key})", key="^s")):
            assert label in drawn, label


async def test_a_time_left_as_shown_keeps_its_seconds(
    app, store: Store, clock: FrozenClock
) -> None:
    """The form shows minutes; saving only a new note must not move a clocked time."""
    clock.now = local(18).astimezone(UTC)
    clocked = save(store, SessionKind.WORK, local(8) + timedelta(seconds=35), local(12, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_hours(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionForm))
        assert app.screen.query_one("#start", Input).value == "08:00"
        app.screen.query_one("#note", Input).value = "server room"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: rows(app)[0][6] == "server room")
        [stored] = store.sessions_between(TODAY, TODAY)
        assert (stored.id, stored.start, stored.note) == (
            clocked.id,
            local(8) + timedelta(seconds=35),
            "server room",
        )


def header_count(app) -> int:
    """The ⏰ count the header of the shown screen says is waiting (0 when none)."""
    found = re.search(r"⏰(\d+)", text(app, "#nav-status"))
    return int(found.group(1)) if found else 0


def reminders_listed(app) -> int:
    """How many reminders the Wellbeing screen lists."""
    return text(app, "#reminder-line").count("⏰")


def due_at_start(store: Store, clock: FrozenClock, *, short_night: bool = True) -> None:
    """Clocked in at 07:30 on the site (and five hours' sleep): at 13:35 a break, a
    walk (and the short night) are due the moment the dashboard opens."""
    start = datetime(2026, 11, 25, 6, 30, tzinfo=UTC)
    store.add_sessions(
        [WorkSession(SessionKind.WORK, start, TODAY, engagement="mes", zone="Europe/Budapest")]
    )
    if short_night:
        store.save_health(DayHealth(TODAY, sleep_hours=5))
    clock.now = start + timedelta(hours=6, minutes=5)


NO_POLL = 3600.0
"""Seconds between looks for other terminals' writes: none within a test, so that only
the work clock's tick can bring a hidden screen up to date."""


async def test_wellbeing_built_before_reminders_came_due_shows_them_when_shown(
    store: Store, clock: FrozenClock
) -> None:
    """Issue 19: a Wellbeing screen built before the reminders came due said "No
    reminders waiting" beside the header's ⏰ count until the next tick, 30 s on."""
    from sitedash.app import make_app

    app = make_app(store, clock=clock, poll_seconds=NO_POLL)
    due_at_start(store, clock, short_night=False)
    clock.now -= timedelta(hours=5)  # an hour into the day: nothing due, whenever checked
    async with app.run_test(size=(80, 24)) as pilot:
        await open_wellbeing(pilot)  # built now, with nothing due
        assert reminders_listed(app) == 0
        await pilot.press("1")
        await pilot.pause()
        clock.now += timedelta(hours=5)  # nothing written meanwhile: only the clock moved
        app.work_clock.check()  # the tick, while Today is shown
        await pilot.pause()
        assert header_count(app) == 2  # a break and a walk
        await open_wellbeing(pilot)
        assert reminders_listed(app) == header_count(app) == 2
        assert "Break due" in text(app, "#reminder-line")
        assert "6h05m" in text(app, "#week-chart"), "this week's hours of now"


async def test_wellbeing_shows_what_the_header_shows_right_after_start(
    store: Store, clock: FrozenClock
) -> None:
    """As started from the shell: other screens built in the background while the
    engineer is idle, the first reminder check a moment after the first frame."""
    from sitedash.app import make_app

    due_at_start(store, clock)
    app = make_app(store, clock=clock, poll_seconds=NO_POLL, prewarm=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.warmup.done and header_count(app) == 3)
        await open_wellbeing(pilot)
        assert reminders_listed(app) == header_count(app) == 3
        sleep = text(app, "#sleep-chart")
        assert "Wed 25  5 h  below 6 h" in sleep, "last night's sleep, this week's"


def widget_lines(app, selector: str) -> list[str]:
    """The lines `selector` draws, as on the screen."""
    from textual.geometry import Region

    widget = app.screen.query_one(selector)
    region = widget.region
    return [
        "".join(s.text for s in line if not s.control).rstrip()
        for line in widget.render_lines(Region(0, 0, region.width, region.height))
    ]


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_clock_view_fits_80x24_with_short_nights_and_reminders(
    store: Store, clock: FrozenClock, lang: str
) -> None:
    """Issue 19: in Chinese at 80x24 the sleep column wrapped ("低于 6 / 小时") and the
    lines under the charts ran off the screen, past the footer."""
    from sitedash.app import make_app
    from sitedash.widgets.footer import SiteFooter

    due_at_start(store, clock)
    for days_ago, hours in enumerate([5.5, 4.5, 7.5, 5, 6.5, 3.5, 8]):
        store.save_health(DayHealth(TODAY - timedelta(days=days_ago), sleep_hours=hours))
    set_language(lang)
    app = make_app(store, clock=clock, poll_seconds=NO_POLL)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await open_wellbeing(pilot)
            app.work_clock.check()
            await wait_until(pilot, lambda: reminders_listed(app) == 3)
            await pilot.pause()  # laid out again for the new lines
            assert header_count(app) == 3
            below = t("below {n} h", n="6")
            sleep = widget_lines(app, "#sleep-chart")
            for hours in ("5.5", "4.5", "5", "3.5"):
                assert any(f"{hours} h  {below}" in line for line in sleep), (hours, sleep)
            assert len(sleep) == 9, "a title, seven nights and the hint: nothing wrapped"
            footer_top = app.screen.query_one(SiteFooter).region.y
            for selector in ("#today-line", "#site-line", "#reminder-line", "#settings-line"):
                region = app.screen.query_one(selector).region
                assert region.height and region.bottom <= footer_top, (selector, region)
            settings_end = {"en": "(S to change)", "zh": "(S 修改)"}[lang]
            assert widget_lines(app, "#settings-line")[-1].endswith(settings_end)
            assert widget_lines(app, "#reminder-line")[-1].endswith(t("({key} to answer)", key="r"))
            assert_fits(app)
    finally:
        set_language("en")
