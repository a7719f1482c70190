"""Sign-off by keys: the checklist lifecycle, a signature and its correction, a change
request through its decision, and issue confirmations read from the board."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Select, Static

from sitedash.modals.signoff import WHOLE, ChangeForm, SignOffForm
from sitedash.models import (
    Confirmation,
    ConfirmMethod,
    Decision,
    Issue,
    IssueStatus,
    ItemStatus,
    SignMethod,
)
from sitedash.services import issues as issue_service
from sitedash.storage import Store
from tests.conftest import FROZEN_NOW


def rows(app, table_id: str) -> list[list[str]]:
    table = app.screen.query_one(f"#{table_id}", DataTable)
    return [[c.plain for c in table.get_row_at(r)] for r in range(table.row_count)]


def progress(app) -> str:
    return str(app.screen.query_one("#progress", Static).render())


async def open_signoff(pilot) -> None:
    await pilot.press("4")
    await pilot.pause()


async def test_new_engagements_start_with_the_standard_checklist(app, store: Store) -> None:
    names = [i.name for i in store.acceptance_items("mes")]
    assert names[0] == "Deployment report" and "UAT test report" in names
    assert "Go-live and rollback plan" in names and len(names) == 9
    async with app.run_test(size=(80, 24)) as pilot:
        await open_signoff(pilot)
        assert [r[0] for r in rows(app, "checklist")] == names
        assert "0/9 deliverables accepted" in progress(app)


async def test_checklist_lifecycle(app, store: Store) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_signoff(pilot)
        for expected in ("in progress", "delivered", "accepted", "accepted"):
            await pilot.press("greater_than_sign")
            await pilot.pause()
            assert rows(app, "checklist")[0][1] == expected
        await pilot.press("less_than_sign")
        await pilot.pause()
        assert store.acceptance_items("mes")[0].status is ItemStatus.DELIVERED
        await pilot.press("down", "x")
        await pilot.pause()
        assert store.acceptance_items("mes")[1].status is ItemStatus.REJECTED
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#evidence", Input).value = "/share/manual-ops-v2.pdf"
        app.screen.query_one("#status", Select).value = ItemStatus.ACCEPTED
        await pilot.press("ctrl+s")
        await pilot.pause()
        item = store.acceptance_items("mes")[1]
        assert (item.status, item.evidence) == (ItemStatus.ACCEPTED, "/share/manual-ops-v2.pdf")
        assert "1/9 deliverables accepted" in progress(app)
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#name", Input).value = "Interface spec ERP ↔ MES"
        await pilot.press("enter")
        await pilot.pause()
        assert store.acceptance_items("mes")[-1].name == "Interface spec ERP ↔ MES"
        await pilot.press("delete", "y")
        await pilot.pause()
        assert len(store.acceptance_items("mes")) == 9


async def test_sign_off_and_correct_it(app, store: Store) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_signoff(pilot)
        await pilot.press("t", "n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, SignOffForm)
        form.query_one("#subject", Select).value = WHOLE
        form.query_one("#signer", Input).value = "Kovács Anna"
        form.query_one("#role", Input).value = "Customer PM"
        form.query_one("#reference", Input).value = "ACC-2026-07"
        await pilot.press("ctrl+s")
        await pilot.pause()
        [first] = store.signoffs("mes")
        assert (first.whole, first.subject, first.signer, first.method) == (
            True,
            "",
            "Kovács Anna",
            SignMethod.SIGNATURE,
        )
        assert rows(app, "signoffs")[0][0] == "The whole acceptance (项目验收单)"
        assert rows(app, "signoffs")[0][-1] == "valid"
        await pilot.press("e")  # correct the reference: a new record supersedes
        await pilot.pause()
        app.screen.query_one("#reference", Input).value = "ACC-2026-07 rev. B"
        await pilot.press("ctrl+s")
        await pilot.pause()
        old, new = store.signoffs("mes")
        assert old.id == first.id and old.reference == "ACC-2026-07", "never rewritten"
        assert new.supersedes == first.id and new.reference == "ACC-2026-07 rev. B"
        assert [r[-1] for r in rows(app, "signoffs")] == ["superseded", "correction"]
        line = str(app.screen.query_one("#record-line").render())
        assert "Kovács Anna (Customer PM) · ACC-2026-07 rev. B" in line
        assert "corrects the record of 2026-11-25" in line
        await pilot.press("up")
        await pilot.pause()
        assert "corrected by the record of" in str(app.screen.query_one("#record-line").render())
        from sitedash.widgets.footer import SiteFooter

        await pilot.pause()
        keys = [key for item in app.screen.query_one(SiteFooter).items for key, _ in item.keys]
        assert "e" not in keys and "n" in keys, "the footer follows"
        await pilot.press("e")  # the superseded one cannot be corrected again
        await pilot.pause()
        assert app.screen is app.screen_stack[0], "no form opened"
        assert len(store.signoffs("mes")) == 2


async def test_change_request_through_its_decision(app, store: Store) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_signoff(pilot)
        await pilot.press("t", "t", "n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ChangeForm)
        form.query_one("#request", Input).value = "Weighing scale interface on line 2"
        form.query_one("#requester", Input).value = "Nagy Péter"
        form.query_one("#schedule", Input).value = "+2 weeks"
        await pilot.press("ctrl+s")
        await pilot.pause()
        [change] = store.change_requests("mes")
        assert (change.key, change.decision) == ("CR-1", Decision.PENDING)
        assert "change requests pending: 1" in progress(app)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#decision", Select).value = Decision.APPROVED
        await pilot.pause()
        assert app.screen.query_one("#decided_on", Input).value == "2026-11-25", "dated today"
        app.screen.query_one("#decision", Select).value = Decision.PENDING
        await pilot.pause()
        assert app.screen.query_one("#decided_on", Input).value == "", "pending: no date"
        app.screen.query_one("#decision", Select).value = Decision.DEFERRED
        await pilot.pause()
        app.screen.query_one("#decided_by", Input).value = "Kovács Anna"
        app.screen.query_one("#decided_on", Input).value = "2026-11-26"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "later phase" in str(app.screen.query_one("#dialog-error").render())
        app.screen.query_one("#phase", Input).value = "phase 2"
        await pilot.press("ctrl+s")
        await pilot.pause()
        [change] = store.change_requests("mes")
        assert (change.decision, change.phase, change.decided_by) == (
            Decision.DEFERRED,
            "phase 2",
            "Kovács Anna",
        )
        assert rows(app, "changes")[0][-1] == "deferred to a later phase"
        assert "change requests pending: 0" in progress(app)


async def test_issue_confirmations_come_from_the_board(app, store: Store) -> None:
    done = issue_service.create_issue(store, Issue(title="Scanner freezes", engagement="mes"))
    issue_service.move(store, done, IssueStatus.RESOLVED)
    waiting = issue_service.create_issue(store, Issue(title="Slow report", engagement="mes"))
    issue_service.move(store, waiting, IssueStatus.RESOLVED)
    issue_service.move(
        store,
        done,
        IssueStatus.CONFIRMED,
        confirmation=Confirmation("Kovács Anna", ConfirmMethod.EMAIL, FROZEN_NOW, "RE: scanner"),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await open_signoff(pilot)
        assert "not yet confirmed by the customer: 1" in progress(app)
        await pilot.press("t", "t", "t")
        await pilot.pause()
        assert rows(app, "confirmations") == [
            ["ISS-2", "Slow report", "waiting", "", ""],
            ["ISS-1", "Scanner freezes", "Kovács Anna", "email", "RE: scanner"],
        ]


async def test_feedback_and_retro_are_written_in_the_app(app, store: Store) -> None:
    from textual.widgets import TextArea

    from sitedash.modals.signoff import FeedbackForm, RetroForm
    from sitedash.models import FeedbackCategory

    async with app.run_test(size=(80, 24)) as pilot:
        await open_signoff(pilot)
        await pilot.press("t", "t", "t", "t", "n")  # Feedback tab
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FeedbackForm)
        form.query_one("#text", Input).value = "Scanning is faster [than] paper"
        form.query_one("#category", Select).value = FeedbackCategory.PROCESS
        form.query_one("#satisfaction", Input).value = "7"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "1 to 5" in str(app.screen.query_one("#dialog-error").render())
        app.screen.query_one("#satisfaction", Input).value = "4"
        await pilot.press("ctrl+s")
        await pilot.pause()
        [said] = store.all_feedback("mes")
        assert (said.text, said.category, said.satisfaction) == (
            "Scanning is faster [than] paper",
            FeedbackCategory.PROCESS,
            4,
        )
        assert rows(app, "feedback")[0][3] == "Scanning is faster [than] paper"
        await pilot.press("t", "e")  # Retro tab
        await pilot.pause()
        assert isinstance(app.screen, RetroForm)
        app.screen.query_one("#lessons", TextArea).text = "Check drivers before arrival"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert store.retro("mes").lessons == "Check drivers before arrival"
        assert "Check drivers before arrival" in str(
            app.screen.query_one("#retro-text", Static).render()
        )
