"""Answer a reminder: snooze it, dismiss it, or say you already did it."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from sitedash.i18n import t
from sitedash.modals.base import Dialog
from sitedash.services.wellbeing import Reminder

ANSWERS = ("snooze", "dismiss", "done")


class ReminderDialog(Dialog[tuple[Reminder, str] | None]):
    """Opened only when the engineer presses `r`: reminders themselves never take focus."""

    BINDINGS = [
        Binding("z", "answer('snooze')", "Snooze", id="reminder.snooze"),
        Binding("d", "answer('dismiss')", "Dismiss", id="reminder.dismiss"),
        Binding("y", "answer('done')", "Already did", id="reminder.done"),
    ]

    def __init__(self, reminders: Sequence[Reminder], snooze_min: int) -> None:
        super().__init__()
        self.reminders = list(reminders)
        self.snooze_min = snooze_min

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="reminder-dialog"):
            yield Static(t("Reminders"), classes="dialog-title", markup=False)
            yield OptionList(
                *[Option(r.message, id=r.key) for r in self.reminders], id="reminder-list"
            )
            yield Static(
                t(
                    "z: snooze {n} min · d: dismiss · y: already did · escape: later",
                    n=self.snooze_min,
                ),
                classes="dialog-hint",
                markup=False,
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def action_answer(self, answer: str) -> None:
        options = self.query_one(OptionList)
        index = options.highlighted or 0
        self.dismiss((self.reminders[index], answer))
