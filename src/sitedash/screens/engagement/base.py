"""What every part (tab) of the Engagement screen shares.

A part is one widget per tab that reads its own records, draws them, says what the
screen's summary line and detail line show for it, and owns its keys: they are active
while its table has focus, so each part's footer, help and palette list only its keys.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.containers import Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import DataTable

from sitedash.textsafe import clean_line
from sitedash.widgets.tables import SiteTable, move_to, refill, row_key

if TYPE_CHECKING:
    from sitedash.app import SiteDash
    from sitedash.models import Engagement
    from sitedash.storage import Store

RecordType = TypeVar("RecordType")
ContentPart = Content | str | tuple[str, str]


class EngagementPart(Vertical, Generic[RecordType]):
    """One tab of the Engagement screen: a table of one kind of record.

    Subclasses set `TAB` (the TabPane id), `title()`, `load()` and `rows()`, and add
    their keys as BINDINGS; the screen lists them in `PARTS`.
    """

    TAB: ClassVar[str] = ""
    app: SiteDash

    def __init__(self) -> None:
        super().__init__(id=f"{self.TAB.removesuffix('-tab')}-part", classes="engagement-part")
        self.records: list[RecordType] = []
        self.engagement: Engagement | None = None
        self.today = date.min
        self.now = datetime.min
        self._shown: object = None

    @classmethod
    def title(cls) -> str:
        raise NotImplementedError

    def compose(self) -> Iterable[Widget]:
        yield SiteTable(id=self.TAB.removesuffix("-tab"), cursor_type="row", zebra_stripes=True)

    @property
    def table(self) -> SiteTable:
        return self.query_one(SiteTable)

    def say(self, message: str) -> None:
        """Confirm a save in the screen's footer line."""
        from sitedash.screens.base import confirm

        confirm(self.app, message)

    # -- what a part provides --------------------------------------------------------

    def load(self, store: Store, engagement: Engagement) -> list[RecordType]:
        """Read the part's records (may raise StoreError)."""
        raise NotImplementedError

    def columns(self, width: int) -> list[tuple[str, int]]:
        raise NotImplementedError

    def rows(self) -> Iterable[tuple[str, list[Text]]]:
        """(record id, cells) for each record."""
        raise NotImplementedError

    @staticmethod
    def fitted(header: str, names: Iterable[str], least: int, most: int) -> int:
        """A column as wide as its widest name (in terminal cells: a CJK character takes
        two), within least..most: "王经理 (客户IT)" is not cut where "Tom" leaves room."""
        widest = max((cell_len(clean_line(name)) for name in names), default=0)
        return min(max(widest, cell_len(header), least), most)

    def summary(self) -> list[ContentPart]:
        """Its piece of the screen's summary line (nothing by default)."""
        return []

    def detail(self, record: RecordType) -> list[ContentPart]:
        """The highlighted record in full, for the line under the tabs."""
        return []

    def empty_hint(self) -> str:
        return ""

    # -- shared behaviour ------------------------------------------------------------

    def refresh_records(
        self, store: Store, engagement: Engagement | None, today: date, now: datetime
    ) -> None:
        """Read and draw again (the screen calls this on every data change)."""
        self.engagement, self.today, self.now = engagement, today, now
        self.records = self.load(store, engagement) if engagement is not None else []
        columns, rows = self.columns(self.app.size.width), list(self.rows())
        # Unchanged (the clock tick of a live screen, a revisit): draw nothing, so an
        # idle terminal over SSH gets no frame.
        shown = (columns, [(key, [_fingerprint(c) for c in cells]) for key, cells in rows])
        if shown != self._shown:
            refill(self.table, columns, rows)
            self._shown = shown

    def selected(self) -> RecordType | None:
        key = row_key(self.table)
        return next((r for r in self.records if getattr(r, "id", None) == key), None)

    def detail_line(self) -> Content:
        record = self.selected()
        if record is None:
            hint = self.empty_hint() if not self.records else ""
            return Content.styled(hint, "dim") if hint else Content("")
        return Content.assemble(*self.detail(record))

    def save(self, action: Callable[[], object], select: str | None = None) -> bool:
        """Write through the app (errors become one line) and keep the cursor on
        `select` (a new record's id)."""
        saved = self.app.attempt(action)
        if saved and select is not None:
            move_to(self.table, select)
        return saved

    def confirm_delete(self, question: str, delete: Callable[[], object]) -> None:
        from sitedash.modals.confirm import ConfirmDialog

        def answered(yes: bool | None) -> None:
            if yes:
                self.app.attempt(delete)

        self.app.push_screen(ConfirmDialog(question), answered)

    def needs_record(self) -> bool:
        return self.selected() is not None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit", "delete"):
            return self.needs_record()
        return True

    def action_edit(self) -> None:
        """Open the highlighted record's form; override."""

    @on(DataTable.RowSelected)
    def _row_chosen(self) -> None:
        self.action_edit()

    def no_engagement(self) -> bool:
        """Without an engagement there is nothing to add to: create one first."""
        if self.engagement is None:
            self.app.action_new_engagement()
            return True
        return False


def _fingerprint(text: Text) -> tuple[str, str, tuple[object, ...]]:
    return text.plain, str(text.style), tuple(text.spans)


def day_text(day: date | None) -> str:
    return day.isoformat() if day else "-"
