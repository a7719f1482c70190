"""A dialog base: translated bindings, escape to cancel, an error line that stays literal."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static, TextArea

from sitedash.errors import InputError
from sitedash.i18n import t
from sitedash.widgets.safe import literal, translate_bindings

if TYPE_CHECKING:
    from sitedash.app import SiteDash

ResultType = TypeVar("ResultType")


class Dialog(ModalScreen[ResultType]):
    """Base of every dialog: escape cancels (returns None)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]
    app: SiteDash

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def show_error(self, message: str) -> None:
        error = self.query_one("#dialog-error", Static)
        error.update(literal(message))
        error.display = bool(message)


FormResult = TypeVar("FormResult")
EARLY_KEYS_SECONDS = 0.5
"""How long after opening a form keys typed before its first field had focus are kept."""


class FormDialog(Dialog[FormResult | None]):
    """Enter in a field or ctrl+s saves, escape cancels; `build` returns the result or
    raises InputError, which is shown inline with everything typed kept."""

    BINDINGS = [Binding("ctrl+s", "save", "Save", id="form.save")]
    error = ""
    _early: list[str] | None = None
    """Characters typed before the first field had focus, for that field."""
    _field_focused = False

    def keep_early_key(self, event: events.Key) -> bool:
        """Keep a character typed before the first field has focus, for that field.

        Keys sent together (a fast typist, a burst over SSH: `n` and a title) reach
        the screen below, or this dialog while it mounts, before any field can take
        them; the app hands them here (`SiteDash.on_event`) instead of dropping them.
        """
        if self._field_focused or not event.is_printable or not event.character:
            return False
        self._early = [*(self._early or []), event.character]
        return True

    def on_key(self, event: events.Key) -> None:
        if self.keep_early_key(event):
            event.stop()
            event.prevent_default()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if not isinstance(event.widget, Input | TextArea) or self._field_focused:
            return
        self._field_focused = True
        text, self._early = "".join(self._early or []), None
        if isinstance(event.widget, Input):
            event.widget.insert_text_at_cursor(text)
        elif text:
            event.widget.insert(text)

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
        # Early keys are kept only while the dialog opens: a form without text fields,
        # or one whose field never took focus, gets its keys as usual.
        self.set_timer(EARLY_KEYS_SECONDS, self._stop_keeping_keys)

    def _stop_keeping_keys(self) -> None:
        self._field_focused = True

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
