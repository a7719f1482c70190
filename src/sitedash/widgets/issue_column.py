"""One column of the issue board: a title with its count, and the cards as table rows.

A DataTable renders only the rows on screen, so a column of thousands of issues opens
as fast as a column of ten (a widget per card does not scale: FACTS.md).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static

from sitedash.models import Issue, IssueStatus, Severity
from sitedash.services.issues import Column, status_label
from sitedash.widgets.safe import cell
from sitedash.widgets.tables import SiteTable, move_to, row_key

PAGE = 40
"""Rows filled at once: a page more is added when the cursor nears the end. Filling a
DataTable costs per row (FACTS.md), and a screen shows about twenty."""

SEVERITY_STYLE = {
    Severity.P1: "bold white on red",
    Severity.P2: "bold yellow",
    Severity.P3: "",
    Severity.P4: "dim",
}


class IssueCards(SiteTable):
    """The cards of a column. Left/right move between columns instead of cells."""

    BINDINGS = [
        Binding("left", "screen.column(-1)", "Column left", id="issues.left", show=False),
        Binding("right", "screen.column(1)", "Column right", id="issues.right", show=False),
        Binding("end", "last_card", "Last card", id="issues.last", show=False),
        Binding("home", "first_card", "First card", id="issues.first", show=False),
    ]

    def __init__(self, status: IssueStatus) -> None:
        super().__init__(
            id=f"cards-{status.value}", show_header=False, cursor_type="row", zebra_stripes=True
        )
        self.status = status
        self.issues = Column([])
        self._shown_width = 0

    def on_resize(self) -> None:
        if self.card_width() != self._shown_width:  # refill only when the cards change
            self.show(self.issues)

    def card_width(self) -> int:
        width = self.size.width
        if not width:  # before the first layout: the column's share of the screen
            parent = self.parent
            siblings = (
                len([c for c in parent.parent.children if c.display])
                if parent and parent.parent
                else 5
            )
            width = self.app.size.width // max(siblings, 1) - 1
        return max(width - 3, 6)

    def show(self, issues: Column) -> None:
        selected = self.selected_number()
        self.issues = issues
        self.clear(columns=True)
        width = self._shown_width = self.card_width()
        self.add_column("card", key="card", width=width)
        self._fill(PAGE)
        if selected is not None:  # keep the selected card, wherever it went
            self.select_number(selected)

    def _fill(self, count: int) -> None:
        for issue in self.issues[self.row_count : count]:
            self.add_row(card_text(issue, self._shown_width), key=str(issue.number))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= self.row_count - 5 and self.row_count < len(self.issues):
            self._fill(self.row_count + PAGE)

    def action_first_card(self) -> None:
        if self.row_count:
            self.move_cursor(row=0)

    def action_last_card(self) -> None:
        """The last card of the column, loading the pages before it."""
        self._fill(len(self.issues))
        if self.row_count:
            self.move_cursor(row=self.row_count - 1)

    def selected_number(self) -> int | None:
        key = row_key(self)
        return int(key) if key else None

    def select_number(self, number: int) -> None:
        position = self.issues.position(number)
        if position is not None and position >= self.row_count:  # load the pages up to it
            self._fill(position + PAGE)
        move_to(self, str(number))

    def selected_issue(self) -> Issue | None:
        number = self.selected_number()
        return None if number is None else self.issues.by_number(number)


def card_text(issue: Issue, width: int) -> Text:
    """`P1 ISS-42 ⇧ title…`: severity stands out, escalation and recurrence marked."""
    marks = ("⇧" if issue.escalated else "") + ("↺" if issue.recurs_from else "")
    text = Text.assemble(
        (issue.severity.value, SEVERITY_STYLE[issue.severity]),
        " ",
        (str(issue.number), "dim"),
        " ",
        (f"{marks} " if marks else "", "bold magenta"),
        cell(issue.title),
        no_wrap=True,
        overflow="ellipsis",
    )
    text.truncate(width, overflow="ellipsis")
    return text


class IssueColumn(Vertical):
    """A board column: `12 New` above its cards."""

    def __init__(self, status: IssueStatus) -> None:
        super().__init__(id=f"column-{status.value}", classes="issue-column")
        self.status = status

    def compose(self) -> ComposeResult:
        yield Static(classes="column-title")
        yield IssueCards(self.status)

    def show(self, column: Column) -> None:
        # The count first: a narrow column cuts the end of its title, not the count.
        title = Content.assemble((str(column.total), "bold"), " ", status_label(self.status))
        self.query_one(".column-title", Static).update(title)
        self.query_one(IssueCards).show(column)
