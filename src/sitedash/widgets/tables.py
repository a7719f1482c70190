"""Small DataTable helpers: which record the cursor is on, and refilling a table
without losing the cursor (rows are keyed by record id)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from rich.text import Text
from textual.geometry import Size
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist


class SiteTable(DataTable[Text]):
    """A DataTable that re-sizes its scrollbars only when its size or its rows change.

    Textual's ScrollView compares the virtual size the layout passes with the table's
    own (a table sets its own from its rows, so for a table longer than its pane they
    never match): every layout re-sized the scrollbars, sent the table a Resize and
    queued a repaint that went out as a second frame ~35 ms after a screen switch.
    """

    _laid_out_as: tuple[Size, Size, Size] | None = None

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        laid_out_as = (size, self.virtual_size, container_size)
        if laid_out_as == self._laid_out_as:
            return False
        self._laid_out_as = laid_out_as
        return super()._size_updated(size, virtual_size, container_size, layout)


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
