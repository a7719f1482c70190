"""One column of the issue board: a title with its count, and the cards as table rows.

A DataTable renders only the rows on screen, so a column of thousands of issues opens
as fast as a column of ten (a widget per card does not scale: FACTS.md). A card is two
lines (issue 19): the id, severity and the start of the title, then the rest of the
title, wrapped by cell width so that Chinese titles keep their columns aligned.
"""

from __future__ import annotations

from rich.cells import cell_len, chop_cells
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Static

from sitedash.i18n import t
from sitedash.models import Issue, IssueStatus, Severity
from sitedash.services.issues import Column, status_label
from sitedash.textsafe import clean_line
from sitedash.widgets.safe import cell
from sitedash.widgets.tables import SiteTable, move_to, row_key

PAGE = 40
"""Rows filled at once: a page more is added when the cursor nears the end. Filling a
DataTable costs per row (FACTS.md), and a screen shows about twenty."""

CARD_LINES = 2
"""A card's height: its title gets a second line at every width (issue 19)."""

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
        self.shown_width = 0
        """The card width the rows were built for."""
        self.shown_cards: list[tuple[str, Text]] = []
        """The rows as built (key, card): a reload redraws only what differs."""

    def watch_cursor_coordinate(self, old: Coordinate, new: Coordinate) -> None:
        # Every cursor key also redraws the row of the mouse's hover cursor (the first
        # card when the mouse never came): kept on the cursor, it is a card redrawn
        # anyway, so a move redraws two cards, not three (issue 23).
        self.hover_coordinate = new
        super().watch_cursor_coordinate(old, new)

    def on_resize(self) -> None:
        if self.card_width() != self.shown_width:  # refill only when the cards change
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
        """Show `issues`, redrawing only what changed.

        The board reloads after every write and on `v`; refilling every column each
        time wrote the whole board to the terminal (130 KB for `v` on 5,000 issues,
        issue 23). The same cards at the same width draw nothing; a changed card redraws
        its column; other keys or another width refill the column.
        """
        self.issues = issues
        width = self.card_width()
        count = min(len(issues), max(self.row_count, PAGE))
        cards = [(str(issue.number), card_text(issue, width)) for issue in issues[:count]]
        if width == self.shown_width and [k for k, _ in cards] == [k for k, _ in self.shown_cards]:
            for (key, card), (_, shown) in zip(cards, self.shown_cards, strict=True):
                if card != shown:
                    self.update_cell(key, "card", card)
            self.shown_cards = cards
            return
        selected = self.selected_number()
        self.clear(columns=True)
        self.shown_width = width
        self.shown_cards = []
        self.add_column("card", key="card", width=width)
        self._add(cards)
        if selected is not None:  # keep the selected card, wherever it went
            self.select_number(selected)

    def _add(self, cards: list[tuple[str, Text]]) -> None:
        for key, card in cards:
            self.add_row(card, key=key, height=CARD_LINES)
        self.shown_cards.extend(cards)

    def _fill(self, count: int) -> None:
        width = self.shown_width
        self._add(
            [(str(i.number), card_text(i, width)) for i in self.issues[self.row_count : count]]
        )

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


def split_line(text: str, width: int) -> tuple[str, str]:
    """`text` cut to a line of `width` cells, and the rest.

    By cell width, so a Chinese character (two cells) is never split and a line never
    runs one cell over. Chinese has no spaces between words: it breaks after the last
    character that fits. A word of Latin letters or digits is not split: the line breaks
    at the space before it, and a first word that does not fit leaves the line empty.
    """
    if cell_len(text) <= width:
        return text, ""
    if width < 2:
        return "", text
    fit = len(chop_cells(text, width)[0])
    if _in_word(text[fit - 1]) and _in_word(text[fit]):
        fit = max(text.rfind(" ", 0, fit), 0)
    return text[:fit].rstrip(), text[fit:].lstrip()


def _in_word(char: str) -> bool:
    return char.isascii() and char.isalnum()


def card_text(issue: Issue, width: int) -> Text:
    """A card of two lines of `width` cells.

    `P1 42 ⇧ title` then the rest of the title, cut with an ellipsis; a title that
    fits on the first line leaves the second to the module and the reporter. Severity
    stands out, escalation and recurrence are marked; the title is data, never markup.
    """
    marks = ("⇧" if issue.escalated else "") + ("↺" if issue.recurs_from else "")
    head = Text.assemble(
        (issue.severity.value, SEVERITY_STYLE[issue.severity]),
        # One style for the number and the title: a style change costs ~40 bytes per
        # card drawn over SSH (issue 23), and the number reads as the title's start.
        f" {issue.number} ",
        (f"{marks} " if marks else "", "bold magenta"),
    )
    first, rest = split_line(clean_line(issue.title), width - head.cell_len)
    head.append(first)
    head.rstrip()
    head.truncate(width, overflow="ellipsis")
    if rest:
        second = cell(rest, width=width)
    else:
        details = " · ".join(clean_line(d) for d in (issue.module, issue.reporter) if d)
        second = cell(details, "dim", width=width)
    card = Text("\n", no_wrap=True, overflow="ellipsis").join([head, second])
    return card


class IssueColumn(Vertical):
    """A board column: `12 New` above its cards.

    A column the filter hides (Confirmed until `v`) keeps its place on a wide screen
    (`-hidden`, styles/issues.tcss): showing it then draws one column, not the board
    with every column a new width (issue 23: `v` at most 10 KB).
    """

    def __init__(self, status: IssueStatus) -> None:
        super().__init__(id=f"column-{status.value}", classes="issue-column")
        self.status = status
        self.shown_title: Content | None = None
        """The title as shown: an unchanged title is not redrawn."""

    def compose(self) -> ComposeResult:
        yield Static(classes="column-title")
        yield IssueCards(self.status)

    def show(self, column: Column | None, *, shows: str = "v") -> None:
        """Show `column`'s cards, or (None) that the column is hidden and that the key
        `shows` shows it."""
        self.set_class(column is None, "-hidden")
        if column is None:
            hint = " " + t("({key} shows)", key=shows)
            title = Content.assemble(status_label(self.status), (hint, "dim"))
        else:
            # The count first: a narrow column cuts the end of its title, not the count.
            title = Content.assemble((str(column.total), "bold"), " ", status_label(self.status))
        if title != self.shown_title:
            self.shown_title = title
            self.query_one(".column-title", Static).update(title, layout=False)
        cards = self.query_one(IssueCards)
        cards.can_focus = column is not None  # tab never stops in a hidden column
        cards.show(column if column is not None else Column([]))
