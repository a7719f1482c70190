"""The keys of the current screen, in the current language (`?` or F1)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Static

from sitedash.i18n import t
from sitedash.modals.base import Dialog
from sitedash.widgets.safe import binding_text


class HelpScreen(Dialog[None]):
    """Every binding active on the screen below, hidden ones (1–5) included."""

    BINDINGS = [Binding("q,question_mark,f1", "cancel", "Close", id="help.close")]

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        # The screen's own keys first, then those that work everywhere, then those of the
        # focused widget (cursor keys and the like).
        groups: dict[int, list[tuple[str, str]]] = {0: [], 1: [], 2: []}
        seen: set[tuple[str, str]] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description:
                continue
            description = binding_text(binding)
            row = (screen.app.get_key_display(binding), description)
            if row in seen:
                continue
            seen.add(row)
            # Ours carry an id; unnamed ones are Textual's (focus, copy, cursor keys).
            # The screen's own include those of a part of it (a tab of screen 6).
            ours = binding.id is not None
            rank = 2 if not ours else 1 if active.node is screen.app else 0
            groups[rank].append(row)
        titles = {0: t("This screen"), 1: t("Everywhere"), 2: t("Lists, fields and focus")}
        self.rows: list[tuple[str, str]] = []
        for rank, rows in groups.items():
            if rows:
                self.rows.append(("", titles[rank]))
                self.rows.extend(rows)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="help-dialog"):
            yield Static(t("Keys on this screen"), classes="dialog-title", markup=False)
            table: DataTable[str] = DataTable(id="help-keys", cursor_type="row", zebra_stripes=True)
            yield table
            yield Static(
                t("ctrl+p opens every command · escape closes"), classes="dialog-hint", markup=False
            )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(t("Key"), key="key")
        table.add_column(t("Action"), key="action")
        for key, description in self.rows:
            # Our own labels, but a translation could hold brackets: keep them literal.
            style = "" if key else "bold"
            table.add_row(Text(key), Text(description, style=style))
        table.focus()
