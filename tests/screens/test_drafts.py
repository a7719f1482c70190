"""Nothing typed is lost (issue 15): forms keep drafts, escape asks, the next start offers
back what a hang-up, a quit or another terminal's edit left unsaved."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from textual.widgets import Input, Static, TextArea

from sitedash.app import make_app
from sitedash.errors import StoreError
from sitedash.modals.confirm import LeaveDialog
from sitedash.modals.drafts import DraftOffer
from sitedash.modals.issue import IssueForm
from sitedash.models import Issue
from sitedash.storage import EditConflict, Store
from tests.conftest import FrozenClock, burst, settle, wait_until
from tests.drawn import drawn_text


def disk_full(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every write finds the disk full (ENOSPC), the draft's and the data's alike, until
    `monkeypatch.undo()`."""
    from sitedash.storage import files

    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files, "prepare_file", full)


async def open_new_issue(pilot) -> IssueForm:
    app = pilot.app
    await pilot.press("2")
    await wait_until(pilot, lambda: type(app.screen).__name__ == "IssuesScreen")
    await pilot.press("n")
    await wait_until(pilot, lambda: isinstance(app.screen, IssueForm))
    return app.screen


async def type_issue(pilot, title: str, symptom: str) -> None:
    burst(pilot.app, [*title])
    await settle(pilot)
    symptom_field = pilot.app.screen.query_one("#symptom", TextArea)
    symptom_field.focus()
    await pilot.pause()
    burst(pilot.app, [*symptom])
    await settle(pilot)


async def test_a_form_keeps_its_draft_as_typed_and_escape_asks(app, store: Store) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_new_issue(pilot)
        await type_issue(pilot, "Scanner freezes", "after shift change")

        # Written about a second after typing stops: wait for the file with all that was
        # typed, not for a time (on a loaded machine a pause between the two fields may
        # write a draft of the title alone first).
        def kept() -> dict[str, object]:
            draft = store.drafts.get(form.draft_key())
            return draft.values if draft is not None else {}

        await wait_until(pilot, lambda: kept().get("symptom") == "after shift change")
        [draft] = store.drafts.all()
        assert draft.values["title"] == "Scanner freezes"
        assert (draft.mode, draft.form, draft.subject) == ("issues", "IssueForm", "new")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, LeaveDialog))
        await pilot.press("k")  # keep editing
        await wait_until(pilot, lambda: app.screen is form)
        assert form.query_one("#title", Input).value == "Scanner freezes"
        await pilot.press("escape", "d")  # discard
        await wait_until(pilot, lambda: type(app.screen).__name__ == "IssuesScreen")
        assert store.drafts.all() == [] and store.issues() == []


async def test_escape_on_an_unchanged_form_closes_at_once(app, store: Store) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_new_issue(pilot)
        await pilot.press("escape")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "IssuesScreen")
        assert store.drafts.all() == []


async def test_save_from_the_question_saves(app, store: Store) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_new_issue(pilot)
        await type_issue(pilot, "Label printer offline", "")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, LeaveDialog))
        await pilot.press("s")
        await wait_until(pilot, lambda: bool(store.issues()))
        assert [i.title for i in store.issues()] == ["Label printer offline"]
        assert store.drafts.all() == []


async def test_what_was_open_at_quit_is_offered_at_the_next_start(
    app, store: Store, clock: FrozenClock
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_new_issue(pilot)
        await type_issue(pilot, "Scanner freezes", "after shift change, line 3")
        app.keep_unsaved_now()  # what ctrl+q, SIGHUP and SIGTERM do first
    assert [d.values["symptom"] for d in store.drafts.all()] == ["after shift change, line 3"]
    again = make_app(Store(store.data_dir, clock=clock), clock=clock)
    async with again.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(again.screen, DraftOffer))
        await wait_until(pilot, lambda: "Restore what you typed" in drawn_text(again))
        await wait_until(pilot, lambda: "Scanner freezes" in drawn_text(again))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(again.screen, IssueForm))
        form = again.screen
        await wait_until(
            pilot, lambda: form.query_one("#symptom", TextArea).text == "after shift change, line 3"
        )
        assert form.query_one("#title", Input).value == "Scanner freezes"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: bool(store.issues()))
    [issue] = Store(store.data_dir, clock=clock).issues()
    assert (issue.title, issue.symptom) == ("Scanner freezes", "after shift change, line 3")
    assert store.drafts.all() == []


async def test_a_draft_can_be_discarded_at_start(app, store: Store, clock: FrozenClock) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_new_issue(pilot)
        await type_issue(pilot, "Old thought", "")
        app.keep_unsaved_now()
    again = make_app(Store(store.data_dir, clock=clock), clock=clock)
    async with again.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(again.screen, DraftOffer))
        await pilot.press("d")
        await wait_until(pilot, lambda: not isinstance(again.screen, DraftOffer))
        assert store.drafts.all() == [] and store.issues() == []


async def test_an_edit_lost_to_another_terminal_comes_back_in_its_form(
    app, store: Store, data_dir: Path, clock: FrozenClock
) -> None:
    """Both terminals changed ISS-1's cause: the other's stays stored, ours is offered
    back in the issue's own form at the next start."""
    store.add_issues([Issue("Scanner freezes", "mes")])
    mine = store.issue(1)
    theirs = Store(data_dir, clock=clock).issue(1)
    assert mine is not None and theirs is not None
    theirs.cause = "USB hub power"
    Store(data_dir, clock=clock).save_issue(theirs)
    mine.cause = "driver too old"
    try:
        store.save_issue(mine)
    except EditConflict as conflict:
        assert "ISS-1: cause was changed in another terminal" in str(conflict)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, DraftOffer))
        await wait_until(pilot, lambda: "driver too old" in drawn_text(app))
        await wait_until(pilot, lambda: "another terminal" in drawn_text(app))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, IssueForm))
        form = app.screen
        await wait_until(pilot, lambda: form.query_one("#cause", TextArea).text == "driver too old")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: store.issue(1).cause == "driver too old")  # type: ignore[union-attr]
    assert store.drafts.all() == []


async def test_a_save_the_disk_refuses_keeps_what_was_typed(app, store: Store, monkeypatch) -> None:
    """A full disk when the form is saved (the draft cannot be written either): one
    line says what failed, and the form is open again with everything typed."""

    async with app.run_test(size=(80, 24)) as pilot:
        first = await open_new_issue(pilot)
        await type_issue(pilot, "Scanner freezes", "line 3, after shift change")
        disk_full(monkeypatch)
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: isinstance(app.screen, IssueForm) and app.screen is not first
        )
        form = app.screen
        # The form's error line says what failed (read whole: where a long temp path
        # wraps it is not the test's business).
        error_line = form.query_one("#dialog-error", Static)
        await wait_until(pilot, lambda: "No space left on device" in str(error_line.render()))
        assert error_line.display
        await wait_until(
            pilot,
            lambda: form.query_one("#symptom", TextArea).text == "line 3, after shift change",
        )
        assert form.query_one("#title", Input).value == "Scanner freezes"
        assert store.issues() == []
        monkeypatch.undo()  # room on the disk again
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: bool(store.issues()))
    [issue] = store.issues()
    assert (issue.title, issue.symptom) == ("Scanner freezes", "line 3, after shift change")
    assert store.drafts.all() == []


async def test_a_form_whose_screen_only_reports_the_failure_opens_again(
    app, store: Store, monkeypatch
) -> None:
    """Settings are saved by the app, which only reports a failed write: the form
    comes back with what was typed, and one line says what failed."""
    from sitedash.modals.settings import SettingsForm

    said: list[str] = []
    notify = app.notify
    app.notify = lambda message, *a, **k: (said.append(str(message)), notify(message, *a, **k))

    async with app.run_test(size=(80, 24)) as pilot:
        app.action_settings()
        await wait_until(
            pilot, lambda: isinstance(app.screen, SettingsForm) and app.screen.query("#engineer")
        )
        first = app.screen
        first.query_one("#engineer", Input).value = "李伟 (Li Wei)"
        disk_full(monkeypatch)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: any("No space left" in line for line in said))
        assert any("the form is open again" in line for line in said), said
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, SettingsForm)
                and app.screen is not first
                and app.screen.query("#engineer")
            ),
        )
        form = app.screen
        await wait_until(pilot, lambda: form.query_one("#engineer", Input).value == "李伟 (Li Wei)")
        monkeypatch.undo()
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: store.settings().engineer == "李伟 (Li Wei)")
    assert store.drafts.all() == []


async def test_an_error_toast_is_drawn_whole(app, store: Store) -> None:
    """A failed write names a file under the data dir and what failed: a toast cut at
    three lines would hide the reason, so an error's toast is drawn to its last word."""
    long_path = "/srv/sitedash/" + "very-long-folder-name/" * 6 + "journal/2026-12.json"
    message = f"cannot write {long_path}: No space left on device"
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_until(pilot, lambda: "Today" in drawn_text(app))
        app.report_error(StoreError(message))
        await wait_until(pilot, lambda: "cannot write" in drawn_text(app))
        await settle(pilot)
        assert "device" in drawn_text(app), "the reason, at the end, is drawn"


async def test_a_form_opened_again_after_a_failed_save_is_not_covered_by_an_older_draft(
    app, store: Store, clock: FrozenClock, monkeypatch
) -> None:
    """Typing paused between two fields, so a draft of the title alone was kept; then the
    save found the disk full. The form comes back with everything typed, is not covered
    by an offer of that older draft, and escape on it asks (nothing of it is stored)."""
    from sitedash.storage.drafts import Draft

    async with app.run_test(size=(80, 24)) as pilot:
        first = await open_new_issue(pilot)
        await type_issue(pilot, "Scanner freezes", "line 3, after shift change")
        typed = first.as_draft()
        store.drafts.put(
            Draft(
                key=typed.key,
                label=typed.label,
                saved_at=clock(),
                values={**typed.values, "symptom": ""},
                mode=typed.mode,
                form=typed.form,
                subject=typed.subject,
            )
        )
        disk_full(monkeypatch)
        await pilot.press("ctrl+s")
        await wait_until(
            pilot,
            lambda: any(isinstance(s, IssueForm) and s is not first for s in app.screen_stack),
        )
        await settle(pilot)
        form = app.screen
        assert isinstance(form, IssueForm) and form is not first, "no offer over the form"
        assert form.query_one("#symptom", TextArea).text == "line 3, after shift change"
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, LeaveDialog))
        await pilot.press("k")
        await wait_until(pilot, lambda: app.screen is form)
        monkeypatch.undo()
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: bool(store.issues()))
    [issue] = store.issues()
    assert issue.symptom == "line 3, after shift change"
    assert store.drafts.all() == []


def drafts_read_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The drafts folder's file system went read-only (EROFS, as a failing disk is
    remounted): removing a draft is refused, until `monkeypatch.undo()`."""
    unlink = os.unlink

    def refused(path: object, *args: object, **kwargs: object) -> None:
        if Path(str(path)).parent.name == "drafts":
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        unlink(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "unlink", refused)


@pytest.mark.parametrize("close", ["discard", "save"])
async def test_a_draft_the_disk_will_not_remove_never_crashes_the_form(
    app, store: Store, monkeypatch: pytest.MonkeyPatch, close: str
) -> None:
    """A draft was kept, then the disk refuses to remove it: discarding the form, or
    saving it (the issue is written elsewhere), still closes it; the app keeps running."""
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_new_issue(pilot)
        await type_issue(pilot, "Scanner freezes", "after shift change")
        await wait_until(pilot, lambda: store.drafts.get(form.draft_key()) is not None)
        drafts_read_only(monkeypatch)
        if close == "discard":
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, LeaveDialog))
            await pilot.press("d")
        else:
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: bool(store.issues()))
        await wait_until(pilot, lambda: type(app.screen).__name__ == "IssuesScreen")
        await settle(pilot)
        assert app.is_running and app.return_code is None
    assert [i.title for i in store.issues()] == (["Scanner freezes"] if close == "save" else [])
