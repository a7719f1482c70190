"""The Runbook tab of the Engagement screen (issue 21.2), by keys: the low-traffic window
and the rollback criteria, the standard steps timed from the window in site time with
HQ time beside them, a step done and one failed with their moments, a step and a watch
shift added by hand; and the dashboard's first run asking for the engineer's name."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from textual.widgets import Input, TextArea

from sitedash.app import make_app
from sitedash.models import StepPhase, StepState
from sitedash.services import engagements as engagement_service
from sitedash.storage import Store
from tests.conftest import FROZEN_NOW, FrozenClock, palette
from tests.screens.test_engagement import rows, styles, text_of
from tests.screens.test_today import wait_for

WINDOW = datetime(2026, 11, 28, 22, 0)


async def open_runbook(pilot) -> None:
    await pilot.press("6", "t", "t", "t", "t")
    await pilot.pause()


def fill(app, **values: str) -> None:
    for field, value in values.items():
        widget = app.screen.query_one(f"#{field}")
        if isinstance(widget, TextArea):
            widget.text = value
        else:
            widget.value = value


async def test_plan_the_cutover_and_run_it(app, store: Store, clock) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_runbook(pilot)
        assert app.screen.query_one("#runbook").has_focus
        assert "g: window and rollback criteria" in text_of(app, "#engagement-line")
        assert "No window yet (g)" in text_of(app, "#runbook-frame")
        # The window (低峰期) and the rollback plan (回滚预案).
        await pilot.press("g")
        await pilot.pause()
        assert type(app.screen).__name__ == "RunbookForm"
        fill(
            app,
            start="2026-11-28 22:00",
            end="06:00",
            decider="Kovács Anna",
            criteria="P1 without a workaround after 60 min\nData does not reconcile",
        )
        await pilot.pause()
        assert "Sun 2026-11-29 05:00 – 13:00" in text_of(app, "#hq-hint"), "HQ time as typed"
        await pilot.press("ctrl+s")
        await pilot.pause()
        runbook = store.runbook("mes")
        assert (runbook.window_start, runbook.window_end) == (WINDOW, WINDOW + timedelta(hours=8))
        assert runbook.decider == "Kovács Anna"
        frame = text_of(app, "#runbook-frame")
        assert frame.startswith("Window Sat 22:00 – 06:00+1 · HQ 05:00+1 – 13:00+1")
        assert "Roll back if: P1 without a workaround after 60 min; Data does not" in frame
        # The seeds' standard steps, timed from the window.
        await pilot.press("T")
        await pilot.pause()
        steps = store.runbook_steps("mes")
        assert len(steps) == 13 and steps[0].start == WINDOW
        shown = rows(app, "runbook")
        assert shown[0][:3] == ["1", "Sat 22:00", "05:00+1"]
        assert shown[0][3].startswith("Go / no-go call")
        assert shown[0][5] == "○ planned"
        assert shown[7][:3] == ["8", "Sun 02:15", "09:15"], "HQ beside the site's day"
        assert [r[0] for r in shown[8:]] == ["R1", "R2", "R3", "R4", "R5"]
        assert "Go-live Sat 22:00: 0/8 done" in text_of(app, "#engagement-summary")
        # Done: now (Wednesday 09:30 at the site, three days before); again: planned.
        await pilot.press("space")
        await pilot.pause()
        first = store.runbook_steps("mes")[0]
        assert (first.state, first.at) == (StepState.DONE, FROZEN_NOW)
        assert rows(app, "runbook")[0][5] == "✓ 09:30-3"
        assert "green" in styles(app, "runbook", 5)[0]
        clock.now = FROZEN_NOW + timedelta(minutes=7)
        await pilot.press("down", "x")
        await pilot.pause()
        second = store.runbook_steps("mes")[1]
        assert (second.state, second.at) == (StepState.FAILED, FROZEN_NOW + timedelta(minutes=7))
        assert rows(app, "runbook")[1][5] == "✗ 09:37-3"
        assert "Go-live Sat 22:00: 1/8 done, 1 failed" in text_of(app, "#engagement-summary")
        assert "failed 09:37-3" in text_of(app, "#engagement-line")
        await pilot.press("x")  # again: back to planned
        await pilot.pause()
        assert store.runbook_steps("mes")[1].state is StepState.PLANNED
        # A step by hand: "03:00" is the window's night, the morning after its start.
        await pilot.press("a")
        await pilot.pause()
        assert type(app.screen).__name__ == "StepForm"
        assert app.screen.query_one("#start", Input).value == "2026-11-29 02:45", (
            "it starts after the last timed step"
        )
        fill(
            app, title="Check the label printers", owner="Nagy Péter", start="03:00", duration="20m"
        )
        await pilot.pause()
        assert "Sun 2026-11-29 10:00" in text_of(app, "#hq-hint")
        await pilot.press("ctrl+s")
        await pilot.pause()
        added = next(s for s in store.runbook_steps("mes") if s.title == "Check the label printers")
        assert (added.start, added.duration_min, added.phase) == (
            datetime(2026, 11, 29, 3, 0),
            20,
            StepPhase.CUTOVER,
        )
        assert [
            "9",
            "Sun 03:00",
            "10:00",
            "Check the label printers",
            "Nagy Péter",
            "○ planned",
        ] in rows(app, "runbook")
        # A watch shift for go-live day (专人值守).
        await pilot.press("w")
        await pilot.pause()
        assert app.screen.query_one("#start", Input).value == "2026-11-28 22:00"
        fill(
            app,
            who="王磊",
            contact="WeChat: wanglei",
            start="2026-11-29 06:00",
            end="14:00",
            duty="CPU, logs",
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        [watch] = store.watches("mes")
        assert (watch.who, watch.start, watch.end) == (
            "王磊",
            datetime(2026, 11, 29, 6, 0),
            datetime(2026, 11, 29, 14, 0),
        )
        assert ["W", "Sun 06:00", "13:00", "watch: CPU, logs", "王磊", "–14:00"] in rows(
            app, "runbook"
        )
        assert text_of(app, "#engagement-line").startswith("王磊 · Sun 2026-11-29 06:00 – 14:00")


async def test_a_mistyped_time_keeps_the_form_open(app, store: Store) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_runbook(pilot)
        await pilot.press("a")
        await pilot.pause()
        fill(app, title="Backup", start="25:00")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "StepForm", "nothing typed is lost"
        assert "bad time '25:00'" in text_of(app, "#dialog-error")
        assert store.runbook_steps("mes") == []
        fill(app, start="2027-03-28 02:30")  # the clocks skip it at the site
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "does not exist at the site" in text_of(app, "#dialog-error")
        fill(app, start="")
        await pilot.press("ctrl+s")
        await pilot.pause()
        [step] = store.runbook_steps("mes")
        assert (step.title, step.start) == ("Backup", None)
        assert rows(app, "runbook") == [["1", "-", "-", "Backup", "", "○ planned"]]


async def test_the_war_room_printout_from_the_palette(app, store: Store) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_runbook(pilot)
        commands = palette(app)
        assert "Add standard steps" in commands, "every key of the tab is in the palette"
        await commands["Add standard steps"]()  # the tab's key, run as an action
        await pilot.pause()
        commands["Export go-live runbook"]()
        path = store.data_dir / "reports" / "runbook-mes-2026-11-25.md"
        await wait_for(pilot, path.exists)
        text = path.read_text(encoding="utf-8")
        assert "## Rollback criteria\n\n- A P1 problem still without a workaround" in text
        commands["Export handover pack"]()
        handover = store.data_dir / "reports" / "handover-mes-2026-11-25.md"
        await wait_for(pilot, handover.exists)
        assert "### Rollback steps" in handover.read_text(encoding="utf-8")


@pytest.mark.parametrize("named", [False, True])
async def test_the_first_run_asks_for_the_engineers_name(
    empty_store: Store, monkeypatch: pytest.MonkeyPatch, named: bool
) -> None:
    monkeypatch.setattr(engagement_service, "default_engineer_name", lambda: "Kiss Ágnes")
    if named:
        engagement_service.set_engineer(empty_store, "Li Wei")
    app = make_app(empty_store, clock=FrozenClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "EngagementForm")
        await pilot.pause()
        asked = app.screen.query("#engineer")
        assert bool(asked) is not named, "asked only while no name is set"
        if not named:
            assert asked.first(Input).value == "Kiss Ágnes", "prefilled from the OS account"
            assert asked.first(Input).has_focus, "the first field"
            fill(app, engineer="  ")
            fill(app, name="MES roll-out, Győr", site_tz="Europe/Budapest")
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert "your name is empty" in text_of(app, "#dialog-error")
            fill(app, engineer="Tóth Eszter")
        else:
            fill(app, name="MES roll-out, Győr", site_tz="Europe/Budapest")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ != "EngagementForm"
        [engagement] = empty_store.engagements()
        assert engagement.id == "mes-roll-out-gyor"
        assert empty_store.settings().engineer == ("Li Wei" if named else "Tóth Eszter")
        assert app.engineer == empty_store.settings().engineer


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_runbooks_forms_fit_80x24(app, store: Store, lang: str) -> None:
    from sitedash.i18n import set_language

    set_language(lang)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await open_runbook(pilot)
            for key, form in (("g", "RunbookForm"), ("a", "StepForm"), ("w", "WatchForm")):
                await pilot.press(key)
                await pilot.pause()
                assert type(app.screen).__name__ == form
                for widget in app.screen.query("*"):
                    assert widget.region.right <= 80 and widget.region.bottom <= 24, widget
                assert app.screen.query_one("#save").region.height, "Save is on screen"
                await pilot.press("escape")
                await pilot.pause()
    finally:
        set_language("en")
