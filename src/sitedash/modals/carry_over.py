"""Pick which unfinished items of earlier days to carry over to the day shown."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import SelectionList, Static

from sitedash.i18n import t
from sitedash.modals.base import Dialog
from sitedash.models import PlanItem
from sitedash.textsafe import clean_line


class CarryOverDialog(Dialog[list[str] | None]):
    """All items start selected; space toggles one, `a` toggles all, enter carries."""

    BINDINGS = [
        Binding("enter", "carry", "Carry over", id="carry.confirm", priority=True),
        Binding("a", "toggle_all", "All / none", id="carry.all"),
    ]

    def __init__(self, items: Sequence[PlanItem]) -> None:
        super().__init__()
        self.items = list(items)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="carry-dialog"):
            yield Static(
                t("Carry over unfinished items ({n})", n=len(self.items)),
                classes="dialog-title",
                markup=False,
            )
            yield SelectionList[str](
                *[
                    (Text(f"{item.day.isoformat()}  {clean_line(item.title)}"), item.id, True)
                    for item in self.items
                ],
                id="carry-list",
            )
            yield Static(
                t("space: toggle · a: all/none · enter: carry · escape: cancel"),
                classes="dialog-hint",
                markup=False,
            )

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def action_carry(self) -> None:
        self.dismiss(list(self.query_one(SelectionList).selected))

    def action_toggle_all(self) -> None:
        selection: SelectionList[str] = self.query_one(SelectionList)
        if selection.selected:
            selection.deselect_all()
        else:
            selection.select_all()
