"""A dialog base: escape to cancel, an error line that stays literal."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from sitedash.errors import InputError
from sitedash.i18n import t
from sitedash.widgets.safe import literal

if TYPE_CHECKING:
    from sitedash.app import SiteDash

ResultType = TypeVar("ResultType")


class Dialog(ModalScreen[ResultType]):
    """Base of every dialog: escape cancels (returns None)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]
    app: SiteDash

    def action_cancel(self) -> None:
        self.dismiss(None)

    def show_error(self, message: str) -> None:
        error = self.query_one("#dialog-error", Static)
        error.update(literal(message))
        error.display = bool(message)


FormResult = TypeVar("FormResult")


class FormDialog(Dialog[FormResult | None]):
    """Enter in a field or ctrl+s saves, escape cancels; `build` returns the result or
    raises InputError, which is shown inline with everything typed kept."""

    BINDINGS = [Binding("ctrl+s", "save", "Save", id="form.save")]
    error = ""

    def buttons(self, label: str = "", variant: str = "primary") -> ComposeResult:
        """The error line and the Save (or `label`) and Cancel buttons."""
        yield Static(id="dialog-error", classes="dialog-error")
        with Horizontal(classes="dialog-buttons"):
            yield Button(
                label or t("Save (ctrl+s)"),
                id="save",
                variant=variant,  # type: ignore[arg-type]
                compact=True,
            )
            yield Button(t("Cancel"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.show_error(self.error)
        # Textual calls on_mount of every class in the MRO: subclasses do not override it.
        fields = self.query("Input, TextArea")
        if fields:
            fields.first().focus()

    def on_input_submitted(self) -> None:
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.dismiss(None)

    def value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value

    def build(self) -> FormResult:
        raise NotImplementedError

    def action_save(self) -> None:
        try:
            result = self.build()
        except InputError as problem:
            self.show_error(str(problem))
            return
        self.dismiss(result)
