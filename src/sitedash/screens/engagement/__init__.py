"""Engagement (项目概况): who to call, what is ready, where the project stands and what
could go wrong; one tab per part, a summary line above and the highlighted record below.

Adding a part (the go-live runbook, say): write `RunbookPart(EngagementPart)` in a
module of this package (TAB, title, load, columns, rows, its keys as BINDINGS, and
summary/detail if it has something to say there) and add it to `PARTS`. The screen
composes, reloads, summarises and tabs through `PARTS`; nothing else changes.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.widget import Widget
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from sitedash.errors import StoreError
from sitedash.i18n import t
from sitedash.screens.base import SiteScreen
from sitedash.screens.engagement.base import EngagementPart
from sitedash.screens.engagement.checks import ChecksPart
from sitedash.screens.engagement.contacts import ContactsPart
from sitedash.screens.engagement.milestones import MilestonesPart
from sitedash.screens.engagement.risks import RisksPart
from sitedash.screens.engagement.runbook import RunbookPart
from sitedash.widgets.header import show

PARTS: tuple[type[EngagementPart], ...] = (
    ContactsPart,
    ChecksPart,
    MilestonesPart,
    RisksPart,
    RunbookPart,
)
"""The tabs, in order (`t` cycles through them)."""


SEPARATOR = "  ·  "


def packed(pieces: list[Content], width: int) -> Content:
    """Pieces on as few lines as fit `width`, each piece whole: a line breaks between
    two pieces, never inside one ("Open risks" stays together)."""
    lines: list[list[Content]] = []
    for piece in pieces:
        line = lines[-1] if lines else None
        if line is not None:
            length = sum(p.cell_length for p in line) + len(SEPARATOR) * len(line)
            if length + piece.cell_length <= width:
                line.append(piece)
                continue
        lines.append([piece])
    return Content("\n").join(Content(SEPARATOR).join(line) for line in lines)


class EngagementScreen(SiteScreen):
    """The engagement at a glance. The contacts' clocks move: it reloads with the app's
    reminder tick while shown."""

    MODE = "engagement"
    LIVE = True
    KEY_PARTS = PARTS
    BINDINGS = [Binding("t", "next_tab", "Next tab", id="engagement.tab")]

    def compose_body(self) -> Iterable[Widget]:
        yield Static(id="engagement-summary")
        with TabbedContent(id="engagement-tabs", initial=PARTS[0].TAB):
            for part in PARTS:
                with TabPane(part.title(), id=part.TAB):
                    yield part()
        yield Static(id="engagement-line", classes="detail-line")

    @property
    def parts(self) -> list[EngagementPart]:
        return list(self.query(EngagementPart))

    @property
    def active_part(self) -> EngagementPart | None:
        # The footer asks about keys while the screen is still composing.
        tabs = self.query(TabbedContent)
        if not tabs:
            return None
        active = tabs.first().active
        return next((p for p in self.parts if active == p.TAB), None)

    def _resumed(self) -> None:
        # Shown again: the contacts' clocks and the day (late, due a look) may have
        # moved since, without any data changing.
        stale = self._stale
        super()._resumed()
        if not stale:
            self.reload()

    def after_first_load(self) -> None:
        part = self.active_part
        if part is not None:
            part.table.focus()

    def reload(self) -> None:
        engagement = self.app.engagement
        now, today = self.app.clock(), self.app.today()
        try:
            for part in self.parts:
                part.refresh_records(self.app.store, engagement, today, now)
        except StoreError as error:
            self.app.report_error(error)
            return
        self._show_summary()
        self._show_line()
        self.refresh_bindings()

    def _show_summary(self) -> None:
        summary = self.query_one("#engagement-summary", Static)
        if self.app.engagement is None:
            key = self.app.key("engagements")
            show(summary, Content(t("No engagement yet: press {key} to create one.", key=key)))
            return
        pieces = [Content.assemble(*shown) for part in self.parts if (shown := part.summary())]
        show(summary, packed(pieces, self.app.size.width - 2))

    def on_resize(self) -> None:
        self._show_summary()

    @on(DataTable.RowHighlighted)
    @on(TabbedContent.TabActivated)
    def _show_line(self) -> None:
        part = self.active_part
        line = self.query_one("#engagement-line", Static)
        show(line, part.detail_line() if part is not None else Content(""))
        self.refresh_bindings()

    def action_next_tab(self) -> None:
        tabs = self.query_one(TabbedContent)
        order = [part.TAB for part in PARTS]
        tabs.active = order[(order.index(tabs.active) + 1) % len(order)]
        part = self.active_part
        if part is not None:
            part.table.focus()
        self.refresh_bindings()
