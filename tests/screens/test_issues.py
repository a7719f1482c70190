"""The issue board, driven by keys: create, move through every column, confirm, reopen,
filter, and what is shown literally."""

from __future__ import annotations

from textual.widgets import Input, Select, Static, TextArea

from sitedash.modals.issue import ConfirmationDialog, IssueForm
from sitedash.models import Issue, IssueStatus, Severity
from sitedash.services import issues as svc
from sitedash.storage import Store
from sitedash.widgets.issue_column import IssueCards, IssueColumn
from tests.conftest import burst, settle


def column(app, status: IssueStatus) -> list[str]:
    """The cards of a column, each card's two lines joined by a space."""
    cards = app.screen.query_one(f"#cards-{status.value}", IssueCards)
    return [
        " ".join(line for line in cards.get_row_at(r)[0].plain.split("\n") if line)
        for r in range(cards.row_count)
    ]


def column_title(app, status: IssueStatus) -> str:
    col = app.screen.query_one(f"#column-{status.value}", IssueColumn)
    return str(col.query_one(".column-title", Static).render())


async def open_board(pilot) -> None:
    await pilot.press("2")
    await pilot.pause()


async def test_an_issue_from_report_to_confirmation_and_back(app, store: Store) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, IssueForm)
        form.query_one("#title", Input).value = "Scanner freezes after shift change"
        form.query_one("#module", Input).value = "Production"
        form.query_one("#reporter", Input).value = "Kovács Anna"
        form.query_one("#severity", Select).value = Severity.P1
        form.query_one("#symptom", TextArea).text = "Line 2 scanners stop at 14:00"
        await pilot.press("ctrl+s")
        await pilot.pause()
        [issue] = store.issues()
        assert (issue.key, issue.severity, issue.reporter) == ("ISS-1", Severity.P1, "Kovács Anna")
        assert issue.symptom == "Line 2 scanners stop at 14:00"
        assert column(app, IssueStatus.NEW)[0].startswith("P1 1 ")
        assert column_title(app, IssueStatus.NEW) == "1 New"

        for status in (IssueStatus.IN_PROGRESS, IssueStatus.WAITING, IssueStatus.RESOLVED):
            await pilot.press("greater_than_sign")
            await pilot.pause()
            assert store.issue(1).status is status
            assert len(column(app, status)) == 1
        await pilot.press("greater_than_sign")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmationDialog)
        assert dialog.query_one("#by", Input).value == "Kovács Anna", "the reporter by default"
        dialog.query_one("#reference", Input).value = "Mail: RE scanner fix"
        dialog.query_one("#day", Input).value = "2026-11-26"
        await pilot.press("enter")
        await pilot.pause()
        assert "in the future" in str(dialog.query_one("#dialog-error", Static).render())
        dialog.query_one("#day", Input).value = "2026-11-24"  # the customer's mail of yesterday
        await pilot.press("enter")
        await pilot.pause()
        confirmed = store.issue(1)
        assert confirmed.status is IssueStatus.CONFIRMED
        assert confirmed.confirmation.reference == "Mail: RE scanner fix"
        assert confirmed.confirmation.at.isoformat() == "2026-11-24T11:00:00+00:00", "noon, site"
        assert len(column(app, IssueStatus.CONFIRMED)) == 1, "the confirmed column opened"

        await pilot.press("less_than_sign")  # the customer saw it again: reopen
        await pilot.pause()
        reopened = store.issue(1)
        assert reopened.status is IssueStatus.RESOLVED and reopened.confirmation is None
        assert [h.to_status for h in reopened.history] == [
            IssueStatus.NEW,
            IssueStatus.IN_PROGRESS,
            IssueStatus.WAITING,
            IssueStatus.RESOLVED,
            IssueStatus.CONFIRMED,
            IssueStatus.RESOLVED,
        ]
        assert "reopened" in reopened.history[-1].note
        assert len(column(app, IssueStatus.RESOLVED)) == 1, "the card is back in Resolved"
        assert column(app, IssueStatus.CONFIRMED) == []
        line = str(app.screen.query_one("#card-line", Static).render())
        assert "ISS-1 P1 Scanner freezes after shift change · Production · Kovács Anna" in line


async def test_cursor_moves_between_columns(app, store: Store) -> None:
    first = svc.create_issue(store, Issue(title="in new", engagement="mes"))
    second = svc.create_issue(store, Issue(title="in progress", engagement="mes"))
    svc.move(store, second, IssueStatus.IN_PROGRESS)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(pilot)
        assert app.screen.selected().number == first.number
        await pilot.press("right")
        assert app.screen.selected().number == second.number
        await pilot.press("right", "left", "left")
        assert app.screen.selected().number == first.number


async def test_severity_filter_by_keys(app, store: Store) -> None:
    svc.create_issue(store, Issue(title="Login fails", engagement="mes", severity=Severity.P3))
    svc.create_issue(store, Issue(title="Line stops", engagement="mes", severity=Severity.P1))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(pilot)
        await pilot.press("slash", "tab", "tab", "space", "enter")  # tick P1, apply
        await pilot.pause()
        assert app.screen.filter.severities == {Severity.P1}
        assert [c.split(" ", 2)[2] for c in column(app, IssueStatus.NEW)] == ["Line stops"]
        assert "P1" in str(app.screen.query_one("#board-bar", Static).render())
        assert column_title(app, IssueStatus.NEW) == "1 New"


async def test_every_card_of_a_long_column_is_reachable(app, store: Store) -> None:
    store.add_issues([Issue(f"Old {n}", "mes", severity=Severity.P3) for n in range(450)])
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(pilot)
        assert column_title(app, IssueStatus.NEW) == "450 New"
        await pilot.press("end")  # loads the pages up to the last card
        await pilot.pause()
        assert app.screen.selected().title == "Old 449"
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#title", Input).value = "The newest, lowest in the column"
        app.screen.query_one("#severity", Select).value = Severity.P4
        await pilot.press("ctrl+s")
        await pilot.pause()
        selected = app.screen.selected()
        assert selected is not None and selected.number == 451, "the cursor is on the new card"
        await pilot.press("end")
        await pilot.pause()
        assert app.screen.selected().number == 451, "the last card is the newest P4"
        await pilot.press("home")
        await pilot.pause()
        assert app.screen.selected().title == "Old 0", "home: the first card"
        await pilot.press("end")
        await pilot.pause()
        assert app.screen.selected().number == 451


async def test_filter_and_confirmed_toggle(app, store: Store) -> None:
    svc.create_issue(store, Issue(title="Login fails", engagement="mes", module="Auth"))
    svc.create_issue(
        store,
        Issue(title="Line stops", engagement="mes", severity=Severity.P1, cause="PLC firmware"),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(pilot)
        assert len(column(app, IssueStatus.NEW)) == 2
        await pilot.press("slash")
        await pilot.pause()
        app.screen.query_one("#text", Input).value = "firmware"
        await pilot.press("enter")
        await pilot.pause()
        assert [c.split(" ", 2)[2] for c in column(app, IssueStatus.NEW)] == ["Line stops"]
        assert "firmware" in str(app.screen.query_one("#board-bar", Static).render())
        await pilot.press("escape")
        await pilot.pause()
        assert len(column(app, IssueStatus.NEW)) == 2
        assert not app.screen.query_one("#column-confirmed").display
        await pilot.press("v")
        await pilot.pause()
        assert app.screen.query_one("#column-confirmed").display


async def test_titles_are_shown_literally_and_in_full_in_the_form(app, store: Store) -> None:
    title = "[bold]Login[/bold] fails | [link=x] [@click=app.quit]q[/]"
    svc.create_issue(store, Issue(title=title, engagement="mes"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(pilot)
        card = column(app, IssueStatus.NEW)[0]
        assert card.startswith("P3 1 [bold]Lo") and card.endswith("…")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one("#title", Input).value == title
        assert app.is_running


async def test_escalate_and_delete(app, store: Store) -> None:
    svc.create_issue(store, Issue(title="Needs HQ", engagement="mes"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(pilot)
        await pilot.press("exclamation_mark")
        await pilot.pause()
        app.screen.query_one(Input).value = "Interface team, by Friday"
        await pilot.press("enter")
        await pilot.pause()
        assert store.issue(1).escalated
        assert "⇧" in column(app, IssueStatus.NEW)[0]
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, IssueForm)
        hints = " ".join(str(w.render()) for w in form.query(".form-hint"))
        assert "escalated 2026-11-25 09:30 (site time)" in hints, "when, in Budapest time"
        history = str(form.query_one("#issue-history", Static).render())
        assert "2026-11-25 09:30  escalated to HQ / remote experts: Interface team" in history
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("delete", "y")
        await pilot.pause()
        assert store.issues() == [] and column(app, IssueStatus.NEW) == []


async def test_keys_typed_while_the_form_opens_are_kept(app, store: Store) -> None:
    """Over SSH the keys of `n` and a title often arrive together."""
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(pilot)
        burst(app, ["n", *"Scanner dies"])
        await settle(pilot)
        form = app.screen
        assert isinstance(form, IssueForm)
        assert form.query_one("#title", Input).value == "Scanner dies"


async def test_arrows_pressed_together_each_move_a_column(app, store: Store) -> None:
    svc.create_issue(store, Issue(title="in new", engagement="mes"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(pilot)
        burst(app, ["right"] * 3)
        await settle(pilot)
        assert app.focused.id == "cards-resolved", "three columns to the right"
