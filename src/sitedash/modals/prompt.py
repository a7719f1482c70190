"""Ask for one line of text (a date to jump to, a name)."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from sitedash.errors import InputError
from sitedash.modals.base import Drafting


class PromptDialog(Drafting[str | None]):
    """One input; enter checks it with `check` (raising InputError keeps the dialog open)."""

    def __init__(
        self,
        question: str,
        value: str = "",
        *,
        placeholder: str = "",
        check: Callable[[str], object] | None = None,
        keep_draft: bool = False,
    ) -> None:
        super().__init__()
        self.keeps_drafts = keep_draft
        self.question, self.value, self.placeholder, self.check = (
            question,
            value,
            placeholder,
            check,
        )

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="prompt-dialog"):
            yield Static(self.question, classes="dialog-title", markup=False)
            yield Input(self.value, placeholder=self.placeholder, id="prompt-input")
            yield Static(id="dialog-error", classes="dialog-error")

    def on_mount(self) -> None:
        self.show_error("")
        self.query_one(Input).focus()
        self.start_drafting()

    def on_input_submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        value = self.query_one("#prompt-input", Input).value
        if self.check is not None:
            try:
                self.check(value)
            except InputError as error:
                self.show_error(str(error))
                return
        self.dismiss(value)
