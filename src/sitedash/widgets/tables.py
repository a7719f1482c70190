"""Small DataTable helpers: which record the cursor is on, and refilling a table
without losing the cursor (rows are keyed by record id)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, ColumnKey, RowDoesNotExist

from sitedash.ui.warmup import SteadyScrollbars


class SiteTable(SteadyScrollbars):
    """The dashboard's tables: a long one is drawn once per screen switch, not twice
    (see `SteadyScrollbars` in ui/warmup.py)."""

    def add_column(
        self,
        label: str | Text,
        *,
        width: int | None = None,
        key: str | None = None,
        default: Text | None = None,
    ) -> ColumnKey:
        """A column whose label is shown as written. Textual reads a `str` label as
        Rich markup with emoji codes: a translated label with brackets would lose them,
        and parsing the labels loaded Rich's table of 3,600 emoji names, 0.8 MiB for
        the whole session (issue 23), to find none."""
        if isinstance(label, str):
            label = Text(label)
        return super().add_column(label, width=width, key=key, default=default)

    def action_scroll_home(self) -> None:
        """Home goes to the first row: Textual's Home scrolls a row table sideways,
        which in a table as wide as the screen does nothing (issue 19)."""
        if self.cursor_type == "row":
            self.action_scroll_top()
        else:
            super().action_scroll_home()

    def action_scroll_end(self) -> None:
        """End goes to the last row, as Home to the first."""
        if self.cursor_type == "row":
            self.action_scroll_bottom()
        else:
            super().action_scroll_end()


def row_key(table: DataTable[Text]) -> str | None:
    """The key of the row under the cursor, if any."""
    if table.row_count == 0:
        return None
    try:
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    except CellDoesNotExist:
        return None


def move_to(table: DataTable[Text], key: str | None) -> None:
    """Put the cursor on the row `key`; nothing happens if it is gone (deleted elsewhere)."""
    if key is not None:
        with contextlib.suppress(RowDoesNotExist):
            table.move_cursor(row=table.get_row_index(key))


def refill(
    table: DataTable[Text], columns: list[tuple[str, int]], rows: Iterable[tuple[str, list[Text]]]
) -> None:
    """Replace a table's columns and rows, keeping the cursor on the same record."""
    selected = row_key(table)
    table.clear(columns=True)
    for label, width in columns:
        table.add_column(label, width=width)
    for key, row in rows:
        table.add_row(*row, key=key)
    move_to(table, selected)
