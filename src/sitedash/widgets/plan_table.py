"""The day's plan as a table: status, title (truncated by cell width), category, estimate."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from sitedash.i18n import t
from sitedash.models import PlanItem, PlanStatus
from sitedash.services.today import category_label, format_minutes
from sitedash.widgets.safe import cell
from sitedash.widgets.tables import SiteTable, move_to, row_key

STATUS_GLYPH = {
    PlanStatus.TODO: ("○", ""),
    PlanStatus.DOING: ("▶", "bold yellow"),
    PlanStatus.DONE: ("✓", "green"),
    PlanStatus.DROPPED: ("✗", "dim"),
}
_FIXED = {"status": 2, "category": 14, "estimate": 6}
_PADDING = 2  # DataTable pads each cell by one column on both sides


class PlanTable(SiteTable):
    """Rows are keyed by item id; the title column takes whatever width is left."""

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.zebra_stripes = True
        self._items: list[PlanItem] = []
        self._carried_away: set[str] = set()
        self._shown_width = 0

    def on_resize(self) -> None:
        if self.title_width() != self._shown_width:
            self.show(self._items, self._carried_away)

    def title_width(self) -> int:
        used = sum(_FIXED.values()) + _PADDING * (len(_FIXED) + 1) + 2  # + scrollbar
        # Before the first layout the table has no width yet: use the screen's.
        available = self.size.width or self.app.size.width
        return max(available - used, 12)

    def show(self, items: Sequence[PlanItem], carried_away: set[str]) -> None:
        """Replace the rows, keeping the cursor on the same item where it still exists."""
        self._items, self._carried_away = list(items), set(carried_away)
        selected = self.selected_id()
        self.clear(columns=True)
        width = self._shown_width = self.title_width()
        self.add_column(" ", key="status", width=_FIXED["status"])
        self.add_column(t("Item"), key="title", width=width)
        self.add_column(t("Category"), key="category", width=_FIXED["category"])
        self.add_column(t("Est."), key="estimate", width=_FIXED["estimate"])
        for item in items:
            glyph, style = STATUS_GLYPH[item.status]
            if item.id in carried_away:
                glyph, style = "→", "dim"
            title_style = (
                "dim strike"
                if item.status is PlanStatus.DROPPED
                else ("dim" if item.status is PlanStatus.DONE or item.id in carried_away else "")
            )
            title = cell(("↻ " if item.carried_from else "") + item.title, title_style, width=width)
            self.add_row(
                Text(glyph, style=style),
                title,
                cell(category_label(item.category), "dim", width=_FIXED["category"]),
                Text(format_minutes(item.estimate_min), justify="right"),
                key=item.id,
            )
        if selected is not None:
            self.select_id(selected)

    def selected_id(self) -> str | None:
        return row_key(self)

    def select_id(self, item_id: str) -> None:
        move_to(self, item_id)
