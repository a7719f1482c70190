"""Issue 19, point 2: reminders that never cover work. One toast at a time, at most three
lines, none over a form or dialog (they wait in the header's ⏰ count and show when it
closes), several at once collapse into the count; saves confirm in the footer line."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from textual.widgets import Input, Static

from sitedash.errors import StoreError
from sitedash.i18n import set_language, t
from sitedash.models import DayHealth
from sitedash.storage import Store
from tests.conftest import TODAY, FrozenClock, settle
from tests.drawn import drawn_text, footer_line, notifications


@pytest.fixture(params=["en", "zh"])
def lang(request: pytest.FixtureRequest) -> Iterator[str]:
    set_language(request.param)
    yield request.param
    set_language("en")


def nav_status(app) -> str:
    return str(app.screen_stack[0].query_one("#nav-status", Static).render())


def toast_heights(app) -> list[int]:
    return [toast.region.height for toast in app.screen.query("Toast")]


async def test_three_reminders_due_at_once_are_one_short_toast(
    app, store: Store, clock: FrozenClock, lang: str
) -> None:
    store.save_health(DayHealth(TODAY, sleep_hours=5))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.work_clock.act("in")
        clock.now += timedelta(hours=6, minutes=5)  # a break, a walk, and short sleep
        app.work_clock.check()
        await settle(pilot)
        assert len(app.work_clock.pending()) == 3
        assert "⏰3 r" in nav_status(app)
        [toast] = notifications(app)
        assert "⏰" in toast and "2" in toast, toast  # the first, and how many more wait
        assert toast_heights(app) == [h for h in toast_heights(app) if 1 <= h <= 3] != []
        # Not over the work: it sits over the header's two lines.
        [shown] = app.screen.query("Toast")
        assert shown.region.y <= 1 and shown.region.bottom <= 3
        assert t("Today") in drawn_text(app)


async def test_no_reminder_over_a_form_it_waits_in_the_count(
    app, store: Store, clock: FrozenClock, lang: str
) -> None:
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.work_clock.act("in")
        await pilot.press("2", "n")  # a New issue form
        await settle(pilot)
        form = app.screen
        form.query_one("#title", Input).value = "Scanner freezes"
        clock.now += timedelta(hours=4, minutes=1)
        app.work_clock.check()
        await settle(pilot)
        assert notifications(app) == [], "nothing over the Cause and Solution fields"
        assert "⏰1 r" in nav_status(app)
        assert app.screen is form and isinstance(app.focused, Input)
        await pilot.press("ctrl+s")  # saved: the form closes and the reminder shows
        await settle(pilot)
        assert app.screen is not form
        [toast] = notifications(app)
        assert toast.startswith("⏰ ") and "4h01m" in toast
        # The save itself is confirmed in the footer line, not in a toast.
        assert "✓ " + t("Logged {key}", key="ISS-1") in footer_line(app)
        assert [i.title for i in store.issues("mes")] == ["Scanner freezes"]


async def test_not_over_a_dialog_either_and_shown_once(
    app, store: Store, clock: FrozenClock, lang: str
) -> None:
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.work_clock.act("in")
        await pilot.press("question_mark")  # the help
        await settle(pilot)
        clock.now += timedelta(hours=4, minutes=1)
        app.work_clock.check()
        await settle(pilot)
        assert notifications(app) == []
        await pilot.press("escape")
        await settle(pilot)
        assert len(notifications(app)) == 1
        app.clear_notifications()  # as its timeout would
        await pilot.press("question_mark")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert notifications(app) == [], "shown once per crossing, not on every close"
        assert "⏰1 r" in nav_status(app)


async def test_one_toast_at_a_time(app, store: Store, lang: str) -> None:
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.notify("first", markup=False)
        app.notify("second", markup=False)
        app.report_error(ValueError("third"))
        await settle(pilot)
        assert notifications(app) == ["third"]


async def test_a_confirmation_stays_until_the_next_key(app, store: Store, lang: str) -> None:
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("a", *"Install server", "enter")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        app.screen.query_one("#title", Input).value = "Label printer"
        app.screen.query_one("#day", Input).value = "tomorrow"
        await pilot.press("enter")
        await settle(pilot)
        said = t("Saved on {day}", day=(TODAY + timedelta(days=1)).isoformat())
        assert "✓ " + said in footer_line(app)
        assert notifications(app) == []
        await pilot.press("down")
        await settle(pilot)
        line = footer_line(app)
        assert said not in line and t("Add") in line and "^q" in line


async def break_reminder_shown(pilot, clock: FrozenClock) -> None:
    """Clocked in four hours ago: the break reminder's toast is up."""
    app = pilot.app
    app.work_clock.act("in")
    clock.now += timedelta(hours=4, minutes=1)
    app.work_clock.check()
    await settle(pilot)
    assert len(notifications(app)) == 1


async def test_a_reminder_shown_goes_when_a_form_opens(
    app, store: Store, clock: FrozenClock, lang: str
) -> None:
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await break_reminder_shown(pilot, clock)
        await pilot.press("a")  # the engineer starts typing a plan item
        await settle(pilot)
        assert notifications(app) == [], "the form's fields are not covered"
        assert "⏰1 r" in nav_status(app)


async def test_an_error_after_a_reminder_stays_when_a_form_opens(
    app, store: Store, clock: FrozenClock, lang: str
) -> None:
    """Only the reminder's own toast goes when a form opens: an error that replaced it
    (a save that failed, a file that cannot be read) stays to be read."""
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await break_reminder_shown(pilot, clock)
        app.report_error(StoreError("journal/2026-11.json: No space left on device"))
        await settle(pilot)
        assert ["No space left" in shown for shown in notifications(app)] == [True]
        await pilot.press("a")
        await settle(pilot)
        assert ["No space left" in shown for shown in notifications(app)] == [True]
