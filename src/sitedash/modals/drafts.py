"""At start: what was typed and not saved last time, offered back one at a time."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from sitedash.i18n import t
from sitedash.modals.base import Dialog
from sitedash.storage.drafts import Draft
from sitedash.textsafe import clean_line
from sitedash.widgets.header import screen_label
from sitedash.widgets.safe import literal

PREVIEW = 60
"""Characters of the typed text shown for each draft."""


def preview(draft: Draft) -> str:
    """The first text typed in the draft, on one line (so it can be recognised)."""
    for value in draft.values.values():
        if isinstance(value, str) and value.strip():
            text = clean_line(value)
            return text if len(text) <= PREVIEW else text[: PREVIEW - 1] + "…"
    return ""


def describe(draft: Draft) -> str:
    when = draft.saved_at.astimezone().strftime("%Y-%m-%d %H:%M")
    where = screen_label(draft.mode) if draft.mode else ""
    head = " · ".join(part for part in (clean_line(draft.label), where, when) if part)
    if draft.reason == "conflict":
        head = t("{draft} (kept when another terminal changed it)", draft=head)
    text = preview(draft)
    return f"{head}\n  {text}" if text else head


class DraftOffer(Dialog[tuple[str, Draft] | None]):
    """Restore (enter), discard (d) or leave for later (escape) each kept draft."""

    BINDINGS = [
        Binding("d", "discard", "Discard", id="drafts.discard"),
        Binding("enter", "restore", "Restore", id="drafts.restore", show=False),
    ]

    def __init__(self, drafts: list[Draft]) -> None:
        super().__init__()
        self.drafts = drafts

    def compose(self) -> ComposeResult:
        title = (
            t("Restore what you typed and did not save?")
            if len(self.drafts) == 1
            else t("Restore what you typed and did not save? ({n} forms)", n=len(self.drafts))
        )
        with Vertical(classes="dialog", id="draft-offer"):
            yield Static(title, classes="dialog-title", markup=False)
            yield OptionList(
                *(Option(literal(describe(d)), id=str(n)) for n, d in enumerate(self.drafts)),
                id="draft-list",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("Restore (enter)"), id="restore", variant="primary", compact=True)
                yield Button(
                    t("Discard ({key})", key=self.key("drafts.discard")),
                    id="discard",
                    variant="error",
                    compact=True,
                )
                yield Button(t("Later (escape)"), id="later", compact=True)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    def _chosen(self) -> Draft | None:
        index = self.query_one(OptionList).highlighted
        return self.drafts[index] if index is not None else None

    def on_option_list_option_selected(self) -> None:
        self.action_restore()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "restore":
            self.action_restore()
        elif event.button.id == "discard":
            self.action_discard()
        else:
            self.dismiss(None)

    def action_restore(self) -> None:
        draft = self._chosen()
        self.dismiss(("restore", draft) if draft else None)

    def action_discard(self) -> None:
        draft = self._chosen()
        self.dismiss(("discard", draft) if draft else None)
