"""Issue 19: `--estimate 1h30` and `--date tomorrow|yesterday|mon..sun`, from the shell
and in the forms, in English and in Chinese."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from textual.widgets import Input

from sitedash.errors import InputError
from sitedash.services.timeutil import parse_day
from sitedash.services.today import parse_estimate
from sitedash.storage import Store
from tests.conftest import TODAY, settle
from tests.drawn import drawn_text

WEDNESDAY = TODAY  # 2026-11-25


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("1h30", 90),
        ("1h30m", 90),
        ("1h 30", 90),
        ("1h59", 119),
        ("2h", 120),
        ("45min", 45),
        ("90", 90),
        ("90m", 90),
    ],
)
def test_estimates_as_engineers_type_them(text: str, minutes: int) -> None:
    assert parse_estimate(text) == minutes


@pytest.mark.parametrize("text", ["1h30x", "h", "1.5", "soon", "1h60", "1h75m", "2h 90"])
def test_an_estimate_that_is_not_one_is_refused(text: str) -> None:
    with pytest.raises(InputError, match="bad estimate"):
        parse_estimate(text)


@pytest.mark.parametrize(
    ("text", "forward", "day"),
    [
        ("today", True, WEDNESDAY),
        ("tomorrow", False, WEDNESDAY + timedelta(days=1)),
        ("Yesterday", True, WEDNESDAY - timedelta(days=1)),
        ("mon", True, date(2026, 11, 30)),
        ("mon", False, date(2026, 11, 23)),
        ("wed", True, WEDNESDAY),
        ("wed", False, WEDNESDAY),
        ("friday", False, date(2026, 11, 20)),
        ("周一", True, date(2026, 11, 30)),
        ("明天", True, WEDNESDAY + timedelta(days=1)),
        ("2026-12-01", False, date(2026, 12, 1)),
    ],
)
def test_days_by_word(text: str, forward: bool, day: date) -> None:
    assert parse_day(text, WEDNESDAY, forward=forward) == day


def test_without_a_today_only_a_date_is_a_date() -> None:
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        parse_day("tomorrow")


def test_add_plan_tomorrow_with_an_estimate_of_1h30(run, store: Store) -> None:
    status, out, _ = run(
        "add", "plan", "Install", "client", "--estimate", "1h30", "--date", "tomorrow"
    )
    assert status == 0 and "2026-11-26" in out
    [item] = store.plan_items(TODAY + timedelta(days=1), "mes")
    assert (item.title, item.estimate_min) == ("Install client", 90)
    assert run("add", "plan", "Weekly sync", "--date", "mon")[0] == 0
    assert [i.title for i in store.plan_items(date(2026, 11, 30), "mes")] == ["Weekly sync"]


def test_a_note_and_the_log_of_yesterday_and_last_monday(run, store: Store) -> None:
    assert run("add", "note", "Pilot", "confirmed", "--date", "yesterday")[0] == 0
    assert store.day_note(TODAY - timedelta(days=1), "mes").sync_note == "Pilot confirmed"
    status, out, _ = run("clock", "log", "--date", "mon")
    assert status == 0 and "2026-11-23" in out
    status, out, _ = run("export", "daily", "--date", "yesterday")
    assert status == 0 and 'period_start: "2026-11-24"' in out


def test_a_word_that_is_no_day_is_one_line_and_status_2(run, store: Store) -> None:
    status, _, err = run("add", "plan", "x", "--date", "someday")
    assert status == 2 and err.count("\n") == 1 and "tomorrow" in err
    status, _, err = run("--lang", "zh", "add", "plan", "x", "--date", "someday")
    assert status == 2 and "日期 'someday' 无效" in err


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_plan_form_takes_tomorrow_and_1h30(app, store: Store, lang: str) -> None:
    from sitedash.i18n import set_language

    set_language(lang)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("a")
            await settle(pilot)
            form = app.screen
            form.query_one("#title", Input).value = "Label printer"
            form.query_one("#estimate", Input).value = "1h30"
            form.query_one("#day", Input).value = "明天" if lang == "zh" else "tomorrow"
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.screen is not form, drawn_text(app)
            [item] = store.plan_items(TODAY + timedelta(days=1), "mes")
            assert (item.title, item.estimate_min) == ("Label printer", 90)
            assert "2026-11-26" in drawn_text(app)  # said where it went
    finally:
        set_language("en")
