"""SiteTable: its scrollbar follows its rows.

That a long table is drawn once per screen switch, not twice, is a benchmark figure
(benchmarks/run.py, "frames per switch"): counting frames needs Textual's private API.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from sitedash.widgets.tables import SiteTable
from tests.conftest import wait_until


class OneTable(App[None]):
    def __init__(self, table: DataTable[Text]) -> None:
        super().__init__()
        self.table = table

    def compose(self) -> ComposeResult:
        yield self.table

    def on_mount(self) -> None:
        self.table.add_column("Issue", width=30)
        self.table.add_rows([Text(f"ISS-{n}")] for n in range(100))


async def test_the_scrollbar_follows_rows_added_later() -> None:
    app = OneTable(SiteTable(id="cards"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        scrollbar = app.table.vertical_scrollbar
        assert scrollbar.window_virtual_size == 1 + 100  # the header row, the rows
        app.table.add_rows([Text(f"ISS-{n}")] for n in range(100, 250))
        # Wait for the condition (a generous timeout only ends a hang), not a fixed time.
        await wait_until(pilot, lambda: scrollbar.window_virtual_size == 1 + 250)
        app.table.move_cursor(row=249)
        await wait_until(pilot, lambda: app.table.scroll_y == app.table.max_scroll_y > 0)


class Labelled(App[None]):
    """A table whose column labels look like markup and emoji codes."""

    def compose(self) -> ComposeResult:
        yield SiteTable(id="labelled")

    def on_mount(self) -> None:
        table = self.query_one(SiteTable)
        table.add_column("[b]core[/b]", width=14)
        table.add_columns(":warning: tier", "[red]x")
        table.add_row(Text("1"), Text("2"), Text("3"))


async def test_column_labels_are_shown_as_written() -> None:
    """Textual reads a `str` label as markup with emoji codes, which dropped `[b]` and
    turned `:warning:` into an emoji (and kept Rich's emoji table in memory)."""
    app = Labelled()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.query_one(SiteTable)
        labels = [column.label.plain for column in table.columns.values()]
        assert labels == ["[b]core[/b]", ":warning: tier", "[red]x"]
        header = "".join(segment.text for segment in table.render_line(0))
        assert "[b]core[/b]" in header
        assert ":warning:" in header
