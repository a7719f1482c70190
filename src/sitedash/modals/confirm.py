"""Yes/no before something cannot be undone."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from sitedash.i18n import t
from sitedash.modals.base import Dialog
from sitedash.widgets.safe import literal


class ConfirmDialog(Dialog[bool]):
    """Ask a question; `y`/enter confirms, `n`/escape declines."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(self.question), classes="dialog-title")
            with Horizontal(classes="dialog-buttons"):
                yield Button(
                    t("Yes ({key})", key=self.key("confirm.yes")), id="yes", variant="error"
                )
                yield Button(t("No ({key})", key=self.key("confirm.no")), id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    def action_cancel(self) -> None:
        self.dismiss(False)


class LeaveDialog(Dialog[str | None]):
    """Escape on a changed form: discard what was typed, keep editing, or save it."""

    BINDINGS = [
        Binding("d", "choose('discard')", "Discard", id="leave.discard"),
        Binding("k", "choose('keep')", "Keep editing", id="leave.keep"),
        Binding("s", "choose('save')", "Save", id="leave.save"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="leave-dialog"):
            yield Static(
                t("This form has changes that are not saved."),
                classes="dialog-title",
                markup=False,
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button(
                    t("Discard ({key})", key=self.key("leave.discard")),
                    id="discard",
                    variant="error",
                    compact=True,
                )
                yield Button(
                    t("Keep editing ({key})", key=self.key("leave.keep")), id="keep", compact=True
                )
                yield Button(
                    t("Save ({key})", key=self.key("leave.save")),
                    id="save",
                    variant="primary",
                    compact=True,
                )

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)

    def action_cancel(self) -> None:
        self.dismiss("keep")  # escape again: back to the form, nothing lost
