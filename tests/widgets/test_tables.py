"""SiteTable: a long table is drawn once per change, and its scrollbar follows its rows."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from sitedash.widgets.tables import SiteTable
from tests.conftest import Frames


class OneTable(App[None]):
    def __init__(self, table: DataTable[Text]) -> None:
        super().__init__()
        self.table = table

    def compose(self) -> ComposeResult:
        yield self.table

    def on_mount(self) -> None:
        self.table.add_column("Issue", width=30)
        self.table.add_rows([Text(f"ISS-{n}")] for n in range(100))


@pytest.mark.parametrize(("table", "frames"), [(SiteTable, 1), (DataTable, 2)])
async def test_a_layout_that_changes_nothing_is_drawn_once(table, frames: int) -> None:
    """DataTable is the control: Textual re-sizes its scrollbars on every layout and
    repaints them in a frame of their own."""
    app = OneTable(table(id="cards"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.2)
        drawn = Frames(app).written
        app.screen.refresh(layout=True)  # what a screen switch does
        await pilot.pause(0.2)
        assert len(drawn) == frames


async def test_the_scrollbar_follows_rows_added_later() -> None:
    app = OneTable(SiteTable(id="cards"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        scrollbar = app.table.vertical_scrollbar
        assert scrollbar.window_virtual_size == 1 + 100  # the header row, the rows
        app.table.add_rows([Text(f"ISS-{n}")] for n in range(100, 250))
        await pilot.pause(0.2)
        assert scrollbar.window_virtual_size == 1 + 250
        app.table.move_cursor(row=249)
        await pilot.pause(0.2)
        assert app.table.scroll_y == app.table.max_scroll_y > 0
