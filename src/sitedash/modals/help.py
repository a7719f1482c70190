"""The keys of the current screen, in the current language (`?` or F1)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from sitedash.i18n import t
from sitedash.modals.base import Dialog
from sitedash.widgets.safe import binding_text
from sitedash.widgets.tables import SiteTable


class HelpScreen(Dialog[None]):
    """Every binding active on the screen below, hidden ones (1–6) included: the screen's
    own keys first, those that work everywhere (^q Quit among them) next, Textual's
    generic ones (cursor, focus, copy) last. Keys are the ones in effect (the keymap's),
    with the binding id the keymap takes."""

    BINDINGS = [Binding("q,question_mark,f1", "cancel", "Close", id="help.close")]

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        # (rank, id or description) -> keys shown, description, id
        found: dict[tuple[int, str], tuple[list[str], str, str]] = {}
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description:
                continue
            description = binding_text(binding)
            # Ours carry an id; unnamed ones are Textual's (focus, copy, cursor keys).
            # The screen's own include those of a part of it (a tab of screen 6).
            ours = binding.id is not None
            rank = 2 if not ours else 1 if active.node is screen.app else 0
            keys, _, _ = found.setdefault(
                (rank, binding.id or description), ([], description, binding.id or "")
            )
            shown = screen.app.get_key_display(binding)
            if shown not in keys:
                keys.append(shown)
        titles = {0: t("This screen"), 1: t("Everywhere"), 2: t("Lists, fields and focus")}
        self.rows: list[tuple[str, str, str]] = []
        for rank in (0, 1, 2):
            rows = [(" ".join(k), d, i) for (r, _), (k, d, i) in found.items() if r == rank]
            if rows:
                self.rows.append(("", titles[rank], ""))
                self.rows.extend(rows)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="help-dialog"):
            yield Static(t("Keys on this screen"), classes="dialog-title", markup=False)
            yield SiteTable(id="help-keys", cursor_type="row", zebra_stripes=True)
            yield Static(
                t("ctrl+p opens every command · escape closes · Settings change keys by id"),
                classes="dialog-hint",
                markup=False,
            )

    def on_mount(self) -> None:
        table = self.query_one(SiteTable)
        table.add_column(t("Key"), key="key")
        table.add_column(t("Action"), key="action")
        table.add_column(t("Id"), key="id")
        for key, description, binding_id in self.rows:
            # Our own labels, but a translation could hold brackets: keep them literal.
            style = "" if key else "bold"
            table.add_row(Text(key), Text(description, style=style), Text(binding_id, style="dim"))
        table.focus()
