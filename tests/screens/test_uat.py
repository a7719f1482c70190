"""The UAT tab of Sign-off by keys at 80x24: add a case, fail it, open an issue from it
and see it in the summary; link an existing issue; the UAT report's acceptance rule with
its waiver; the FAQ export that the FAQ deliverable points at."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Checkbox, DataTable, Input, Select, Static, TextArea

from sitedash.i18n import set_language, t
from sitedash.modals.issue import IssueForm
from sitedash.modals.signoff import ItemForm
from sitedash.modals.uat import UatCaseForm
from sitedash.models import (
    Confirmation,
    ConfirmMethod,
    Issue,
    IssueStatus,
    ItemStatus,
    UatCase,
    UatResult,
    replace,
)
from sitedash.services import issues as issue_service
from sitedash.services import uat
from sitedash.storage import Store
from tests.conftest import FROZEN_NOW, TODAY, wait_until
from tests.drawn import footer_line

UAT_TAB_PRESSES = 6
"""`t` from the checklist to the UAT tab (the last of seven)."""


def rows(app, table_id: str) -> list[list[str]]:
    table = app.screen.query_one(f"#{table_id}", DataTable)
    return [[c.plain for c in table.get_row_at(r)] for r in range(table.row_count)]


def shown(app, widget_id: str) -> str:
    return str(app.screen.query_one(f"#{widget_id}", Static).render())


def record_notifications(app) -> list[str]:
    """What the app says in notifications (errors included), as plain text."""
    said: list[str] = []
    notify = app.notify

    def recording(message, *args, **kwargs):
        said.append(str(message))
        return notify(message, *args, **kwargs)

    app.notify = recording
    return said


async def open_uat(pilot) -> None:
    await pilot.press("4")
    await pilot.pause()
    await pilot.press(*["t"] * UAT_TAB_PRESSES)
    await pilot.pause()
    assert pilot.app.screen.query_one("#signoff-tabs").active == "uat-tab"


async def test_add_a_case_fail_it_open_an_issue_and_see_the_summary(app, store: Store) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        record_notifications(app)
        await open_uat(pilot)
        assert "0 cases" in shown(app, "uat-totals")
        assert rows(app, "uat") == []

        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, UatCaseForm)
        await pilot.press(*"Scan after shift change")
        form.query_one("#module", Input).value = "Production"
        form.query_one("#steps", TextArea).text = "1. change shift\n2. scan an order"
        form.query_one("#expected", TextArea).text = "The scan is booked"
        form.query_one("#tester", Input).value = "Szabó Gábor"
        await pilot.press("ctrl+s")
        await pilot.pause()
        [case] = store.uat_cases("mes")
        assert (case.key, case.title, case.module, case.result) == (
            "UAT-1",
            "Scan after shift change",
            "Production",
            UatResult.NOT_RUN,
        )
        assert rows(app, "uat") == [
            ["UAT-1", "Production", "Scan after shift change", "not run", "-", ""]
        ]

        await pilot.press("f")  # it failed today
        await pilot.pause()
        [case] = store.uat_cases("mes")
        assert (case.result, case.day) == (UatResult.FAIL, TODAY)
        assert rows(app, "uat")[0][3:5] == ["fail", "11-25"]
        assert "UAT-1 failed: i opens an issue from it" in footer_line(app)
        assert rows(app, "uat-summary") == [["Production", "1", "0", "1", "0", "0"]]
        assert "1 case: 0 pass, 1 fail, 0 blocked, 0 not run" in shown(app, "uat-totals")

        await pilot.press("e")  # what happened, for the issue's symptom
        await pilot.pause()
        app.screen.query_one("#actual", TextArea).text = "The scanner hangs"
        await pilot.press("ctrl+s")
        await pilot.pause()

        await pilot.press("i")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, IssueForm)
        assert form.query_one("#title", Input).value == "UAT-1: Scan after shift change"
        assert form.query_one("#module", Input).value == "Production"
        assert form.query_one("#reporter", Input).value == "Szabó Gábor"
        symptom = form.query_one("#symptom", TextArea).text
        assert symptom.startswith("The scanner hangs\nFound by UAT case UAT-1 on 2026-11-25")
        assert "1. change shift" in symptom and "Expected: The scan is booked" in symptom
        await pilot.press("ctrl+s")
        await pilot.pause()
        [issue] = store.issues("mes")
        assert (issue.key, issue.module, issue.status) == ("ISS-1", "Production", IssueStatus.NEW)
        assert store.uat_cases("mes")[0].issues == [1], "the case links its issue"
        assert rows(app, "uat")[0][-1] == "ISS-1"
        assert "ISS-1 (New)" in shown(app, "record-line")
        assert "✓ ISS-1 opened from UAT-1" in footer_line(app)

        await pilot.press("p")  # fixed and run again: the summary follows
        await pilot.pause()
        assert rows(app, "uat-summary") == [["Production", "1", "1", "0", "0", "0"]]
        await pilot.press("i")  # a passed case opens no issue
        await pilot.pause()
        assert not isinstance(app.screen, IssueForm)
        assert len(store.issues("mes")) == 1


async def test_link_an_existing_issue(app, store: Store) -> None:
    issue_service.create_issue(store, Issue("Label printer prints blank labels", "mes"))
    uat.save_case(store, UatCase("Reprint a label", "mes", module="Warehouse"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_uat(pilot)
        await pilot.press("b")  # blocked by the printer
        await pilot.pause()
        await pilot.press("l", *"ISS-9", "enter")
        await pilot.pause()
        assert "ISS-9 does not exist" in shown(app, "dialog-error"), "the prompt stays open"
        app.screen.query_one(Input).value = "iss1"
        await pilot.press("enter")
        await pilot.pause()
        [case] = store.uat_cases("mes")
        assert (case.result, case.issues) == (UatResult.BLOCKED, [1])
        assert rows(app, "uat")[0][-1] == "ISS-1"
        assert rows(app, "uat-summary") == [["Warehouse", "1", "0", "0", "1", "0"]]


async def test_the_uat_report_needs_every_case_run_or_a_waiver(app, store: Store) -> None:
    uat.save_case(store, UatCase("Report work", "mes", module="Production"))
    uat.save_case(store, UatCase("Print labels", "mes", module="Warehouse"))
    report = next(i for i in store.acceptance_items("mes") if i.template == "uat_report")
    report.status = ItemStatus.DELIVERED
    store.save_acceptance_items([report])
    async with app.run_test(size=(80, 24)) as pilot:
        said = record_notifications(app)
        await pilot.press("4")
        await pilot.pause()
        table = app.screen.query_one("#checklist", DataTable)
        table.move_cursor(row=table.get_row_index(report.id))
        await pilot.pause()

        await pilot.press("greater_than_sign")  # refused: two cases not run
        await pilot.pause()
        assert store.acceptance_items("mes")[report.position].status is ItemStatus.DELIVERED
        refusal = [m for m in said if "cannot be accepted" in m]
        assert refusal == [
            "the UAT report cannot be accepted: UAT cases not run yet: 2 "
            "(2 not run, 0 blocked); run every case on the UAT tab, or accept it with a "
            "waiver and a note (e)"
        ]

        await pilot.press("e")  # accept with a waiver: it needs a note
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ItemForm)
        assert "2 cases: 0 pass, 0 fail, 0 blocked, 2 not run" in str(
            form.query_one(".form-hint", Static).render()
        )
        form.query_one("#status", Select).value = ItemStatus.ACCEPTED
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "cannot be accepted" in shown(app, "dialog-error"), "the form is kept"
        app.screen.query_one("#waived", Checkbox).value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "a waiver needs a note" in shown(app, "dialog-error")
        app.screen.query_one("#waiver_note", Input).value = "Line 2 not ready; Kovács Anna agreed"
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = store.acceptance_items("mes")[report.position]
        assert (saved.status, saved.waived, saved.waiver_note) == (
            ItemStatus.ACCEPTED,
            True,
            "Line 2 not ready; Kovács Anna agreed",
        )
        await pilot.press(*["t"] * UAT_TAB_PRESSES)
        await pilot.pause()
        assert "UAT report: accepted (waived)" in shown(app, "uat-totals")


async def test_every_case_run_lets_the_report_be_accepted(app, store: Store) -> None:
    uat.save_case(store, UatCase("Report work", "mes"))
    report = next(i for i in store.acceptance_items("mes") if i.template == "uat_report")
    report.status = ItemStatus.DELIVERED
    store.save_acceptance_items([report])
    async with app.run_test(size=(80, 24)) as pilot:
        await open_uat(pilot)
        await pilot.press("f")  # a failure is a run: the report lists it
        await pilot.pause()
        await pilot.press("t")  # back to the checklist
        await pilot.pause()
        table = app.screen.query_one("#checklist", DataTable)
        table.move_cursor(row=table.get_row_index(report.id))
        await pilot.pause()
        await pilot.press("greater_than_sign")
        await pilot.pause()
        saved = store.acceptance_items("mes")[report.position]
        assert (saved.status, saved.waived) == (ItemStatus.ACCEPTED, False)
        assert rows(app, "checklist")[report.position][1] == "accepted"


async def test_export_faq_points_the_faq_deliverable_at_the_file(app, store: Store) -> None:
    fixed = issue_service.create_issue(
        store, Issue("Scanner freezes", "mes", module="Production", symptom="It hangs")
    )
    issue_service.move(store, fixed, IssueStatus.RESOLVED)
    issue_service.move(
        store,
        fixed,
        IssueStatus.CONFIRMED,
        confirmation=Confirmation("Anna", ConfirmMethod.EMAIL, FROZEN_NOW),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        await pilot.press("F")
        await app.workers.wait_for_complete()

        def faq_item():
            return next(i for i in store.acceptance_items("mes") if i.template == "faq")

        for _ in range(400):  # until the worker's result is handled (generous, not timed)
            if faq_item().evidence:
                break
            await pilot.pause(0.05)
        path = Path(faq_item().evidence)
        assert path == store.data_dir / "reports" / "faq-mes-2026-11-25.md"
        text = path.read_text(encoding="utf-8")
        assert 'kind: "faq"' in text and "**Question:** It hangs" in text
        assert rows(app, "checklist")[faq_item().position][2] == str(path)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_uat_tab_fits_80x24_in_each_language(store: Store, clock, lang: str) -> None:
    """The widest footer (a failed case: every UAT key applies) is drawn in full, and no
    widget of the tab or of the case form reaches past the 80 columns."""
    from sitedash.app import make_app
    from sitedash.i18n import set_language
    from tests.screens.test_bilingual import assert_fits

    set_language(lang)
    uat.save_case(
        store,
        UatCase(
            "换班后继续扫码报工 (一号线) and a long English title",
            "mes",
            module="生产报工 / Production",
            result=UatResult.FAIL,
            day=TODAY,
        ),
    )
    app = make_app(store, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_uat(pilot)
        assert_fits(app)
        drawn = app.export_screenshot().replace("&#160;", " ")
        assert ("Result" in drawn) == (lang == "en") and "UAT-1" in drawn
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, UatCaseForm)
        for widget in app.screen.query("*"):
            if widget.display and widget.region.width:
                assert widget.region.right <= 80, f"{widget!r} ends at {widget.region.right}"


async def test_a_case_edited_in_another_terminal_meanwhile_is_merged(
    app, store: Store, clock
) -> None:
    """Both sides change the title: the other terminal's stays, this side's is kept as a
    draft and said so; the form is not offered again (a second save would clash again)."""
    uat.save_case(store, UatCase("Report work", "mes", module="Production"))
    async with app.run_test(size=(80, 24)) as pilot:
        said = record_notifications(app)
        await open_uat(pilot)
        await pilot.press("e")
        await pilot.pause()
        other = Store(store.data_dir, clock=clock)  # another terminal
        [theirs] = other.uat_cases("mes")
        uat.save_case(other, replace(theirs, title="Report work on line 2", tester="Anna"))
        app.screen.query_one("#title", Input).value = "Report work (shift B)"
        app.screen.query_one("#expected", TextArea).text = "Booked in the ERP"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, UatCaseForm)
        [case] = store.uat_cases("mes")
        assert (case.title, case.tester, case.expected) == (
            "Report work on line 2",
            "Anna",
            "Booked in the ERP",
        ), "their title and tester, my expected result"
        assert any("changed in another terminal" in message for message in said)
        assert any("Report work (shift B)" in str(d.values) for d in store.drafts.all())
        assert rows(app, "uat")[0][2] == "Report work on line 2"


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_hints_after_a_failure_and_a_faq_say_the_engineers_keys(
    make_app, store: Store, lang: str
) -> None:
    """With `i`, `l` and `T` remapped, the hints name the keys that work, not the defaults."""
    set_language(lang)
    keymap = {"signoff.uat.issue": "I", "signoff.uat.link": "L", "signoff.template": "f6"}
    store.save_settings(replace(store.settings(), keymap=keymap))
    uat.save_case(store, UatCase("Scan after shift change", "mes"))
    for item in store.acceptance_items("mes"):
        if item.template == "faq":
            store.delete_acceptance_item(item)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_uat(pilot)
        await pilot.press("f")
        await wait_until(pilot, lambda: store.uat_cases("mes")[0].result is UatResult.FAIL)
        said = t(
            "{key} failed: {issue} opens an issue from it, {link} links an existing one",
            key="UAT-1",
            issue="I",
            link="L",
        )
        await wait_until(pilot, lambda: said in footer_line(app))
        notes = record_notifications(app)
        await pilot.press("F")
        await wait_until(pilot, lambda: any("FAQ" in n for n in notes))
        [note] = [n for n in notes if "FAQ" in n]
        assert note.endswith(
            t(
                "FAQ written to {path}; no FAQ deliverable on the checklist ({key} adds it)",
                path="X",
                key="f6",
            ).split("X", 1)[1]
        ), note
    set_language("en")


async def test_the_refusal_names_the_engineers_key_for_a_waiver(make_app, store: Store) -> None:
    """With `e` (edit, where the waiver is) remapped, the refusal says the key that works."""
    store.save_settings(replace(store.settings(), keymap={"signoff.edit": "w"}))
    uat.save_case(store, UatCase("Report work", "mes"))
    report = next(i for i in store.acceptance_items("mes") if i.template == "uat_report")
    report.status = ItemStatus.DELIVERED
    store.save_acceptance_items([report])
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        said = record_notifications(app)
        await pilot.press("4")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "SignOffScreen")
        table = app.screen.query_one("#checklist", DataTable)
        table.move_cursor(row=table.get_row_index(report.id))
        await pilot.press("greater_than_sign")
        await wait_until(pilot, lambda: any("cannot be accepted" in m for m in said))
        [refusal] = [m for m in said if "cannot be accepted" in m]
        assert refusal.endswith("accept it with a waiver and a note (w)")
