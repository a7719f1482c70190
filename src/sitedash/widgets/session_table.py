"""A work day's sessions as a table: start, end, kind, length, engagement, note."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, tzinfo

from rich.text import Text

from sitedash.i18n import t
from sitedash.models import SessionKind, WorkSession
from sitedash.services.today import format_minutes
from sitedash.services.wellbeing import session_label, session_times
from sitedash.widgets.safe import cell
from sitedash.widgets.tables import SiteTable, move_to, row_key

KIND_STYLE = {SessionKind.WORK: "", SessionKind.BREAK: "cyan", SessionKind.WALK: "green"}
_FIXED = {"state": 2, "start": 7, "end": 7, "kind": 6, "length": 6, "engagement": 10}
_PADDING = 2  # DataTable pads each cell by one column on both sides
Shown = tuple[Sequence[WorkSession], datetime, Callable[[WorkSession], tzinfo]]
"""What the table shows: the sessions, the time running ones count up to, their zones."""


class SessionTable(SiteTable):
    """Rows are keyed by session id; the note takes whatever width is left."""

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.zebra_stripes = True
        self._shown: Shown | None = None
        self._drawn: tuple[int, list[tuple[str, list[str]]]] | None = None
        """What the rows show now, in plain text: the same again is not redrawn."""
        self._note_width = 0

    def on_resize(self) -> None:
        if self._shown is not None and self.note_width() != self._note_width:
            self.show(*self._shown)

    def note_width(self) -> int:
        used = sum(_FIXED.values()) + _PADDING * (len(_FIXED) + 1) + 2  # + scrollbar
        available = self.size.width or self.app.size.width
        return max(available - used, 8)

    def show(
        self,
        sessions: Sequence[WorkSession],
        now: datetime,
        site_of: Callable[[WorkSession], tzinfo],
    ) -> None:
        """Replace the rows, keeping the cursor on the same session where it still exists.
        The same rows again (the reminder tick, nothing changed) draw nothing."""
        self._shown = (sessions, now, site_of)
        width = self.note_width()
        cells = [self._cells(session, now, site_of(session), width) for session in sessions]
        drawn = (
            width,
            [(s.id, [c.plain for c in row]) for s, row in zip(sessions, cells, strict=True)],
        )
        if drawn == self._drawn:
            return
        self._drawn = drawn
        selected = self.selected_id()
        self.clear(columns=True)
        self._note_width = width
        self.add_column(" ", key="state", width=_FIXED["state"])
        self.add_column(t("Start"), key="start", width=_FIXED["start"])
        self.add_column(t("End"), key="end", width=_FIXED["end"])
        self.add_column(t("Kind"), key="kind", width=_FIXED["kind"])
        self.add_column(t("Length"), key="length", width=_FIXED["length"])
        self.add_column(t("Engagement"), key="engagement", width=_FIXED["engagement"])
        self.add_column(t("Note"), key="note", width=width)
        for session, row in zip(sessions, cells, strict=True):
            self.add_row(*row, key=session.id)
        if selected is not None:
            move_to(self, selected)

    @staticmethod
    def _cells(session: WorkSession, now: datetime, site: tzinfo, width: int) -> list[Text]:
        start, end = session_times(session, site)
        return [
            Text("▶", style="bold yellow") if session.is_open else Text(""),
            Text(start),
            Text(end),
            cell(session_label(session.kind), KIND_STYLE[session.kind], width=_FIXED["kind"]),
            Text(format_minutes(int(session.minutes(now))) or "0m", justify="right"),
            cell(session.engagement or "-", "dim", width=_FIXED["engagement"]),
            cell(session.note, width=width),
        ]

    def selected_id(self) -> str | None:
        return row_key(self)

    def select_id(self, session_id: str) -> None:
        move_to(self, session_id)
