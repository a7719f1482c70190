"""A dialog base: translated bindings, escape to cancel, an error line that stays literal."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static

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
