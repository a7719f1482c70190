"""The Engagement screen (6) by keys, as stories: a contact and their local time, a check
ticked and the daily report's count falling, a late milestone and a risk whose trigger
date came reaching the stand-up and the weekly report; both languages at 80x24."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from textual.widgets import DataTable, Input, Select, SelectionList, Static

from sitedash import demo
from sitedash.app import make_app
from sitedash.i18n import set_language
from sitedash.modals.overview import CheckForm, ContactForm, MilestoneForm, RiskForm
from sitedash.models import (
    CheckState,
    Contact,
    ItemStatus,
    Milestone,
    MilestoneStatus,
    Risk,
    RiskStatus,
    RunbookStep,
    WorkWeek,
)
from sitedash.reports.exports import render
from sitedash.reports.frontmatter import parse_front_matter
from sitedash.storage import Store
from tests.conftest import FROZEN_NOW, TODAY, FrozenClock, palette
from tests.screens.test_bilingual import assert_fits
from tests.screens.test_today import wait_for

CLICK = "[@click=app.quit]click me[/]"


def rows(app, table_id: str) -> list[list[str]]:
    table = app.screen.query_one(f"#{table_id}", DataTable)
    return [[c.plain for c in table.get_row_at(r)] for r in range(table.row_count)]


def styles(app, table_id: str, column: int) -> list[str]:
    table = app.screen.query_one(f"#{table_id}", DataTable)
    return [str(table.get_row_at(r)[column].style) for r in range(table.row_count)]


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def screen_text(app) -> str:
    return app.export_screenshot().replace("&#160;", " ")


async def go(pilot, *keys: str) -> None:
    await pilot.press("6", *keys)
    await pilot.pause()


def report(store: Store, kind: str, clock: FrozenClock) -> str:
    engagement = store.engagement("mes")
    assert engagement is not None
    text, _ = render(kind, store, engagement, TODAY, engineer="Li Wei", now=clock())
    return text


# -- the stories ---------------------------------------------------------------------


async def test_add_a_contact_and_see_their_local_time(app, store: Store, clock) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await go(pilot)
        assert app.current_mode == "engagement"
        assert "a: add who to call" in text_of(app, "#engagement-line")
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ContactForm)
        for field, value in {
            "name": "总部实施支持",
            "role": "HQ support",
            "phone": "+86 512 5555 0100",
            "email": "WeChat: mes_hq",
            "tz": "Asia/Shanghai",
            "hours": "09:00-18:00",
        }.items():
            form.query_one(f"#{field}", Input).value = value
        await pilot.press("ctrl+s")
        await pilot.pause()
        [contact] = store.contacts("mes")
        assert (contact.name, contact.tz, contact.hours_from, contact.order) == (
            "总部实施支持",
            "Asia/Shanghai",
            "09:00",
            1,
        )
        # 08:30 UTC is 16:30 in Shanghai, a Wednesday afternoon.
        assert rows(app, "contacts") == [
            ["1", "HQ support", "总部实施支持", "16:30 at work", "+86 512 5555 0100"]
        ]
        assert text_of(app, "#engagement-line").startswith("HQ support · 16:30 · at work")
        # The clock moves on (the app's reminder tick reloads a live screen).
        clock.now = FROZEN_NOW.replace(hour=19, minute=10)
        app.work_clock.check()
        await pilot.pause()
        assert rows(app, "contacts")[0][3] == "03:10 off hours"
        assert text_of(app, "#engagement-line").startswith("HQ support · 03:10 · off hours")
        assert "dim" in styles(app, "contacts", 3)[0]
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard == "+86 512 5555 0100"
        await pilot.press("C")
        await pilot.pause()
        assert app.clipboard == "WeChat: mes_hq"


async def test_a_contact_at_a_sunday_to_thursday_site(make_app, store: Store, clock) -> None:
    """Riyadh's offices work Sunday to Thursday: a new contact at a site where the
    engineer works Saturday to Thursday starts with that week, and is at work on a
    Sunday morning there and off on Friday."""
    engagement = store.engagement("mes")
    engagement.work_week = WorkWeek.SAT_THU
    store.save_engagement(engagement)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await go(pilot, "a")
        form = app.screen
        assert isinstance(form, ContactForm)
        form.query_one("#name", Input).value = "Faisal Al-Harbi"
        form.query_one("#tz", Input).value = "Asia/Riyadh"
        form.query_one("#hours", Input).value = "08:00-16:00"
        assert form.query_one("#days", Select).value == "sun-thu", "the site's office week"
        await pilot.press("ctrl+s")
        await pilot.pause()
        [contact] = store.contacts("mes")
        assert (contact.week, contact.every_day) == (WorkWeek.SUN_THU, False)
        clock.now = datetime(2026, 11, 29, 7, 0, tzinfo=UTC)  # Sunday, 10:00 in Riyadh
        app.work_clock.check()
        await pilot.pause()
        assert rows(app, "contacts")[0][3] == "10:00 at work"
        assert "08:00–16:00 Sun–Thu Asia/Riyadh" in text_of(app, "#engagement-line")
        clock.now = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)  # Friday, 10:00 in Riyadh
        app.work_clock.check()
        await pilot.pause()
        assert rows(app, "contacts")[0][3] == "10:00 off hours"
        # Opened again, the form shows the week it was given.
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.query_one("#days", Select).value == "sun-thu"


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_engagement_form_sets_the_working_week(app, store: Store, lang: str) -> None:
    set_language(lang)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            app.action_edit_engagement()
            await wait_for(pilot, lambda: getattr(app.focused, "id", "") == "name")
            week = app.screen.query_one("#work_week", Select)
            assert week.value == WorkWeek.MON_SAT
            week.value = WorkWeek.SUN_THU
            await pilot.pause()
            for widget in app.screen.query("*"):
                assert widget.region.right <= 80 and widget.region.bottom <= 24, widget
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: store.engagement("mes").work_week is WorkWeek.SUN_THU)
    finally:
        set_language("en")


async def test_tick_a_check_and_the_daily_reports_count_falls(app, store: Store, clock) -> None:
    total = len(store.checks("mes"))
    before = report(store, "daily", clock)
    assert parse_front_matter(before)["open_checks"] == total
    assert f"Open checks: {total} of {total} (problems: 0)." in before
    async with app.run_test(size=(80, 24)) as pilot:
        await go(pilot, "t")
        assert f"Open checks: {total} of {total}" in text_of(app, "#engagement-summary")
        await pilot.press("space")
        await pilot.pause()
        first = store.checks("mes")[0]
        assert (first.state, first.day) == (CheckState.OK, TODAY)
        assert rows(app, "checks")[0][0] == "✓ ok" and rows(app, "checks")[0][3] == "2026-11-25"
        assert f"Open checks: {total - 1} of {total}" in text_of(app, "#engagement-summary")
        await pilot.press("down", "x")
        await pilot.pause()
        assert store.checks("mes")[1].state is CheckState.PROBLEM
        assert "(problems: 1)" in text_of(app, "#engagement-summary")
        # The daily report, exported from the dashboard as the engineer does at night.
        app.action_export("daily")
        path = store.data_dir / "reports" / "daily-mes-2026-11-25.md"
        await wait_for(pilot, path.exists)
        daily = path.read_text(encoding="utf-8")
        assert parse_front_matter(daily)["open_checks"] == total - 1
        assert f"Open checks: {total - 1} of {total} (problems: 1)." in daily
        await pilot.press("space")  # the problem is fixed: ok
        await pilot.pause()
        assert store.checks("mes")[1].state is CheckState.OK
        assert f"Open checks: {total - 2} of {total} (problems: 0)" in report(store, "daily", clock)


async def test_a_milestone_past_due_reaches_the_standup_and_the_weekly(
    app, store: Store, clock
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await go(pilot, "t", "t", "a")
        form = app.screen
        assert isinstance(form, MilestoneForm)
        form.query_one("#title", Input).value = "Line 2 pilot run"
        form.query_one("#phase", Input).value = "Month 2 · 试运行"
        form.query_one("#owner", Input).value = "Kovács Anna"
        form.query_one("#due", Input).value = (TODAY - timedelta(days=1)).isoformat()
        await pilot.press("ctrl+s")
        await pilot.pause()
        [milestone] = store.milestones("mes")
        assert (milestone.due, milestone.buffer_days, milestone.status) == (
            TODAY - timedelta(days=1),
            3,
            MilestoneStatus.PLANNED,
        )
        assert rows(app, "milestones")[0][4] == "late"
        assert "red" in styles(app, "milestones", 4)[0]
        assert "Late milestones: 1 · at risk: 0" in text_of(app, "#engagement-summary")
        await pilot.press("1", "u")  # the stand-up
        await pilot.pause()
        raised = text_of(app, "#standup-problems")
        assert "Milestone late: Line 2 pilot run (due 2026-11-24) · Kovács Anna" in raised
        assert app.screen.query_one("#standup-problems").display
    weekly = report(store, "weekly", clock)
    assert "| 2026-11-24 | Line 2 pilot run | Month 2 · 试运行 | Kovács Anna | - | 🔴 late |" in (
        weekly
    )
    assert "- late milestones: 1" in weekly
    assert parse_front_matter(weekly)["late_milestones"] == ["Line 2 pilot run · due 2026-11-24"]


async def test_a_risk_whose_trigger_date_passes_is_raised_in_the_standup(
    app, store: Store, clock
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await go(pilot, "t", "t", "t", "a")
        form = app.screen
        assert isinstance(form, RiskForm)
        form.query_one("#description", Input).value = "Scanner driver breaks after an update"
        form.query_one("#owner", Input).value = "李伟"
        form.query_one("#mitigation", Input).value = "Pin the driver to 2.3"
        form.query_one("#trigger", Input).value = (TODAY + timedelta(days=1)).isoformat()
        form.query_one("#likelihood", Select).value = 3
        await pilot.press("ctrl+s")
        await pilot.pause()
        [risk] = store.risks("mes")
        assert (risk.likelihood, risk.impact, risk.score) == (3, 2, 6)
        assert rows(app, "risks")[0][:4] == [
            "6 3×2",
            "Scanner driver breaks after an update",
            "李伟",
            "2026-11-26",
        ]
        await pilot.press("1", "u")
        await pilot.pause()
        assert not app.screen.query_one("#standup-problems").display, "nothing due yet"
        # The next morning, two days on: back to today, the stand-up raises the risk.
        await pilot.press("escape")
        clock.now += timedelta(days=2)
        await pilot.press("t", "u")
        await pilot.pause()
        raised = text_of(app, "#standup-problems")
        assert "Risk to look at (trigger 2026-11-26, score 6): Scanner driver breaks" in raised
        await pilot.press("escape", "6")
        await pilot.pause()
        assert rows(app, "risks")[0][3] == "2026-11-26 !"
        assert "to look at: 1" in text_of(app, "#engagement-summary")
        await pilot.press("x")  # closed: no longer raised
        await pilot.pause()
        assert store.risks("mes")[0].status is RiskStatus.CLOSED
        await pilot.press("1", "u")
        await pilot.pause()
        assert not app.screen.query_one("#standup-problems").display


# -- the parts' other keys -------------------------------------------------------------


async def test_a_milestone_hands_over_deliverables_from_the_sign_off_checklist(
    app, store: Store
) -> None:
    # The deployment report (the UAT report would need its cases run first: Sign-off's rule).
    uat = next(i for i in store.acceptance_items("mes") if i.template == "deployment_report")
    store.save_milestone(
        Milestone("UAT passed", "mes", due=TODAY + timedelta(days=2), buffer_days=5)
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await go(pilot, "t", "t")
        assert rows(app, "milestones")[0][4] == "at risk"
        assert "yellow" in styles(app, "milestones", 4)[0]
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, MilestoneForm)
        deliverables = form.query_one("#deliverables", SelectionList)
        deliverables.select(uat.id)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert store.milestones("mes")[0].deliverables == [uat.id]
        assert "0/1 deliverable accepted: Deployment report" in text_of(app, "#engagement-line")
        # Accepted on the Sign-off screen: no longer at risk here.
        await pilot.press("4")
        await pilot.pause()
        table = app.screen.query_one("#checklist", DataTable)
        table.move_cursor(row=table.get_row_index(uat.id))
        for _ in range(3):
            await pilot.press("greater_than_sign")
            await pilot.pause()
        assert next(i for i in store.acceptance_items("mes") if i.id == uat.id).status is (
            ItemStatus.ACCEPTED
        )
        await pilot.press("6")
        await pilot.pause()
        assert rows(app, "milestones")[0][4] == "on track"
        await pilot.press("greater_than_sign", "greater_than_sign")
        await pilot.pause()
        assert store.milestones("mes")[0].status is MilestoneStatus.DONE
        assert rows(app, "milestones")[0][4] == "done"


async def test_edit_a_check_and_add_the_standard_items_again(app, store: Store) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await go(pilot, "t", "enter")
        form = app.screen
        assert isinstance(form, CheckForm)
        form.query_one("#state", Select).value = CheckState.PROBLEM
        form.query_one("#note", Input).value = "2 GB RAM short on node 2"
        await pilot.press("ctrl+s")
        await pilot.pause()
        first = store.checks("mes")[0]
        assert (first.state, first.note, first.day) == (
            CheckState.PROBLEM,
            "2 GB RAM short on node 2",
            TODAY,
        )
        assert "2 GB RAM short on node 2" in text_of(app, "#engagement-line")
        await pilot.press("delete", "y")
        await pilot.pause()
        assert len(store.checks("mes")) == 16
        await pilot.press("T")
        await pilot.pause()
        assert len(store.checks("mes")) == 17, "the deleted standard item comes back"
        assert store.checks("mes")[0].state is CheckState.OPEN


async def test_keys_help_and_palette_of_the_screen(app, store: Store) -> None:
    store.save_contact(Contact("Anna", "mes", role="PM", phone="+36 1", order=1))
    async with app.run_test(size=(80, 24)) as pilot:
        titles = set(palette(app))
        assert {"Go to Engagement", "Export pre-arrival checklist"} <= titles
        await go(pilot, "question_mark")
        help_rows = rows(app, "help-keys")
        assert ["c", "Copy phone", "contacts.copy"] in help_rows
        assert ["t", "Next tab", "engagement.tab"] in help_rows
        assert help_rows.index(["c", "Copy phone", "contacts.copy"]) < help_rows.index(
            ["", "Everywhere", ""]
        ), "a tab's keys are listed with the screen's, before those of every screen"
        await pilot.press("escape")
        await pilot.pause()
        commands = palette(app)
        assert "Copy e-mail / IM" in commands, "every key of the part is in the palette"
        commands["Export pre-arrival checklist"]()
        path = store.data_dir / "reports" / "checklist-mes-2026-11-25.md"
        await wait_for(pilot, path.exists)
        assert "## Deployment checklist" in path.read_text(encoding="utf-8")


async def test_without_an_engagement(empty_store: Store, clock: FrozenClock) -> None:
    app = make_app(empty_store, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "EngagementForm")
        await pilot.press("escape")  # the first-run engagement form
        await pilot.pause()
        await go(pilot)
        assert "No engagement yet" in text_of(app, "#engagement-summary")
        await pilot.press("a")
        await pilot.pause()
        assert type(app.screen).__name__ == "EngagementForm"


async def test_user_text_is_shown_literally_on_every_tab(app, store: Store) -> None:
    store.save_contact(Contact(CLICK, "mes", role=CLICK, phone=CLICK, order=1))
    check = store.checks("mes")[0]
    check.text, check.note = CLICK, CLICK
    store.save_checks([check])
    store.save_milestone(Milestone(CLICK, "mes", owner=CLICK, due=TODAY))
    store.save_risk(Risk(CLICK, "mes", mitigation=CLICK))
    store.save_runbook_steps([RunbookStep(CLICK, "mes", owner=CLICK, note=CLICK)])
    async with app.run_test(size=(80, 24)) as pilot:
        await go(pilot)
        for _ in range(5):
            shown = screen_text(app)
            assert "[@click=app.quit]" in shown, "markup in user text is shown as typed"
            assert "[@click=app.quit]" in text_of(app, "#engagement-line")
            assert app.is_running
            await pilot.press("t")
            await pilot.pause()


OWNER = "客户IT 王经理"
"""Seven characters, thirteen terminal cells: wider than the Owner column was (12)."""


@pytest.mark.parametrize("width", [80, 120])
async def test_a_cjk_owner_is_shown_whole(make_app, store: Store, width: int) -> None:
    store.save_milestone(Milestone("Go-live", "mes", owner=OWNER, due=TODAY))
    store.save_milestone(Milestone("Cutover rehearsal", "mes", owner="Tom", due=TODAY))
    store.save_risk(Risk("Key user leaves", "mes", owner=OWNER))
    store.save_risk(Risk("Vendor late", "mes", owner="Müller-Lüdenscheidt Hans-Joachim"))
    store.save_runbook_steps([RunbookStep("Switch DNS", "mes", owner=OWNER)])
    app = make_app()
    async with app.run_test(size=(width, 24)) as pilot:
        await go(pilot, "t", "t")
        for table_id in ("milestones", "risks", "runbook"):
            assert app.screen.query_one(f"#{table_id}", DataTable).has_focus
            drawn = screen_text(app)
            assert OWNER in drawn, f"{table_id}: the owner is cut\n{drawn}"
            if width == 80:
                assert_fits(app)
            if table_id == "milestones":  # the owner's room is taken from the title's
                table = app.screen.query_one("#milestones", DataTable)
                widths = [c.width for c in table.columns.values()]
                assert widths[1] == max(width - 46 - 13, 14) and widths[3] == 13
            if table_id == "risks":  # a very long owner is cut at 14, not the title
                table = app.screen.query_one("#risks", DataTable)
                assert [c.width for c in table.columns.values()][2] == 14
            await pilot.press("t")
            await pilot.pause()


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_every_tab_fits_80x24_in_each_language(tmp_path, lang: str) -> None:
    set_language(lang)
    store = Store(tmp_path / "demo", clock=FrozenClock())
    demo.generate(store, today=TODAY, days=30, now=FROZEN_NOW)
    app = make_app(store, clock=FrozenClock())
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await go(pilot)
            drawn = screen_text(app)
            assert (" 6 Engagement " in drawn) == (lang == "en")
            assert (" 6 项目 " in drawn) == (lang == "zh")
            summary = text_of(app, "#engagement-summary")
            expected = "未通过检查:6/17" if lang == "zh" else "Open checks: 6 of 17"
            assert expected in summary
            for table_id in ("contacts", "checks", "milestones", "risks", "runbook"):
                assert_fits(app)
                assert rows(app, table_id), f"{table_id}: the demo has rows"
                assert app.screen.query_one(f"#{table_id}", DataTable).has_focus
                await pilot.press("e")  # its form, filled, fits too
                await pilot.pause()
                for widget in app.screen.query("*"):
                    assert widget.region.right <= 80 and widget.region.bottom <= 24, widget
                await pilot.press("escape", "t")
                await pilot.pause()
    finally:
        set_language("en")


async def test_the_clock_tick_draws_only_when_a_contacts_minute_changes(
    store: Store, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Screen 6 is live (its contacts' clocks move), yet an idle terminal over SSH gets
    nothing new from the reminder tick unless something shown changed: the table is
    refilled, and a line updated, only when a contact's minute moves."""
    from textual.widgets import Static as StaticWidget

    from sitedash.screens.engagement import base as part_base

    store.save_contact(Contact("Anna", "mes", role="PM", order=1))
    app = make_app(store, clock=clock)
    changes: list[str] = []
    refill = part_base.refill

    def refilled(table: DataTable, *args: object) -> None:
        changes.append(str(table.id))
        refill(table, *args)

    monkeypatch.setattr(part_base, "refill", refilled)
    update = StaticWidget.update

    def recorded(self: StaticWidget, *args: object, **kwargs: object) -> None:
        if self.id and self.id.startswith("engagement"):
            changes.append(self.id)
        update(self, *args, **kwargs)

    monkeypatch.setattr(StaticWidget, "update", recorded)
    async with app.run_test(size=(80, 24)) as pilot:
        await go(pilot)
        await pilot.pause()
        changes.clear()
        app.work_clock.check()  # the 30 s tick, the same minute
        await pilot.pause()
        assert changes == [], "an unchanged screen was drawn again"
        clock.now += timedelta(minutes=1)
        app.work_clock.check()
        await wait_for(pilot, lambda: bool(changes))
        assert rows(app, "contacts")[0][3] == "09:31 at work"
