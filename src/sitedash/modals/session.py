"""Work-clock dialogs: the time of a clock action, and a session typed or corrected by hand.

They only collect what was typed and check its form; the Wellbeing screen applies it
with the work-clock rules (overlaps, back-fill), and reopens the dialog with the reason
and everything typed when a change is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Select, Static

from sitedash.i18n import t
from sitedash.modals.base import FormDialog
from sitedash.models import SessionKind, WorkSession
from sitedash.services.timeutil import InputError
from sitedash.services.wellbeing import check_note, check_time, session_label
from sitedash.widgets.form import choice_select, chosen, field_row, pair_row


class ClockTimeForm(FormDialog[str]):
    """`i`, `o`, `b`, `w`: enter alone means now; a time (08:30) back-fills or corrects."""

    keeps_drafts = False  # one time of day: nothing worth keeping or asking about

    def __init__(
        self,
        question: str,
        action_label: str,
        value: str = "",
        *,
        check: Callable[[str], object],
        error: str = "",
    ) -> None:
        super().__init__()
        self.question, self.action_label, self.typed = question, action_label, value
        self.check = check
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form", id="clock-time-form"):
            yield Static(self.question, classes="dialog-title", markup=False)
            yield field_row(
                t("Time"),
                Input(self.typed, id="clock-at", compact=True, placeholder=t("now, or e.g. 08:30")),
            )
            yield from self.buttons(self.action_label)

    def build(self) -> str:
        text = self.value("clock-at").strip()
        if text:
            self.check(text)  # the time itself; the clock's rules (overlaps) come after
        return text


@dataclass(slots=True)
class SessionDraft:
    """What the session form returns: as typed, the times not yet read."""

    kind: SessionKind
    start: str
    end: str
    note: str

    @classmethod
    def of(cls, session: WorkSession, start: str, end: str) -> SessionDraft:
        return cls(session.kind, start, end, session.note)


class SessionForm(FormDialog[SessionDraft]):
    """Kind, start, end (empty: still running) and a note."""

    def __init__(self, draft: SessionDraft, *, heading: str, error: str = "") -> None:
        super().__init__()
        self.draft = draft
        self.heading = heading
        self.error = error

    def compose(self) -> ComposeResult:
        draft = self.draft
        with Vertical(classes="dialog form", id="session-form"):
            yield Static(self.heading, classes="dialog-title", markup=False)
            yield pair_row(
                (t("Start"), Input(draft.start, id="start", compact=True, placeholder="08:30")),
                (
                    t("End"),
                    Input(draft.end, id="end", compact=True, placeholder=t("empty: running")),
                ),
            )
            yield field_row(
                t("Kind"),
                choice_select([(session_label(k), k) for k in SessionKind], draft.kind, "kind"),
            )
            yield field_row(t("Note"), Input(draft.note, id="note", compact=True))
            yield Static(
                t("Times of this work day: 01:30 after midnight is still its night."),
                classes="form-hint",
                markup=False,
            )
            yield from self.buttons()

    def build(self) -> SessionDraft:
        start, end = self.value("start").strip(), self.value("end").strip()
        if not start:
            raise InputError(t("the start is empty: type a time such as 08:30"))
        check_time(start)
        if end:
            check_time(end)
        return SessionDraft(
            kind=chosen(self.query_one("#kind", Select)),
            start=start,
            end=end,
            note=check_note(self.value("note")),
        )
