"""The Wellbeing screen and in-app reminders, on a frozen clock moved by hand."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Input, Static

from sitedash.modals.reminder import ReminderDialog
from sitedash.models import SessionKind
from sitedash.storage import Store
from tests.conftest import TODAY, FrozenClock
from tests.drawn import notifications


def text(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def toasts(app) -> list[str]:
    return notifications(app)


async def open_wellbeing(pilot) -> None:
    await pilot.press("5")
    await pilot.pause()


async def test_clock_in_break_out_and_hours(app, store: Store, clock: FrozenClock) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_wellbeing(pilot)
        assert "Off the clock" in text(app, "#clock-line")
        await pilot.press("i")
        await pilot.pause()
        assert "working since 09:30" in text(app, "#clock-line")
        clock.now += timedelta(hours=2, minutes=30)
        await pilot.press("b")
        await pilot.pause()
        assert "on a break since 12:00" in text(app, "#clock-line")
        clock.now += timedelta(minutes=30)
        await pilot.press("i")
        clock.now += timedelta(hours=1)
        await pilot.press("o")
        await pilot.pause()
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
        await pilot.press("i")
        await pilot.pause()
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
        assert any("Break due" in message for message in toasts(app))
        assert isinstance(app.focused, Input), "the reminder did not take the keyboard"
        await pilot.press(*"still typing")
        assert app.focused.value == "still typing"
        count = len(toasts(app))
        app.work_clock.check()
        await pilot.pause()
        assert len(toasts(app)) == count, "once per crossing, not every tick"
        today_screen = app.screen_stack[0]
        assert "⏰1 r" in str(today_screen.query_one("#nav-status", Static).render())


async def test_presenting_holds_reminders_until_it_ends(
    app, store: Store, clock: FrozenClock
) -> None:
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_wellbeing(pilot)
        await pilot.press("i", "p")
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
        await pilot.press("i")
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
        await pilot.press("i")
        clock.now += timedelta(hours=4)
        app.work_clock.check()
        await pilot.press("r", "z")
        await pilot.pause()
        shown = len([m for m in toasts(app) if "Break due" in m])
        clock.now += timedelta(minutes=5)
        app.work_clock.check()
        await pilot.pause()
        assert len([m for m in toasts(app) if "Break due" in m]) == shown
        clock.now += timedelta(minutes=6)
        app.work_clock.check()
        await pilot.pause()
        assert len([m for m in toasts(app) if "Break due" in m]) == shown + 1
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
