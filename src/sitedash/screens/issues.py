"""The issue board (问题跟踪表): New → In progress → Waiting on customer → Resolved → Confirmed."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual import on
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.events import DescendantFocus
from textual.widget import Widget
from textual.widgets import DataTable, Static

from sitedash.errors import InputError, StoreError
from sitedash.i18n import t
from sitedash.models import ISSUE_FLOW, Confirmation, Issue, IssueStatus
from sitedash.screens.base import SiteScreen
from sitedash.services import issues as issue_service
from sitedash.services.issues import Column, IssueFilter
from sitedash.textsafe import clean_line
from sitedash.widgets.issue_column import SEVERITY_STYLE, IssueCards, IssueColumn, split_line

if TYPE_CHECKING:
    from sitedash.storage.drafts import Draft

MOVE = Binding.Group("Move", compact=True)
"""`<>` move a card left or right under one footer label."""


class IssuesScreen(SiteScreen):
    """A kanban of the customer's problems for the active engagement (or all).

    Readable at 80x24 (issue 19): every column stays on screen at every width and a
    card is two lines, its title wrapped by cell width under its id and severity
    (about 30 cells of title in four columns at 80: most Chinese titles in full); the
    highlighted card's full title is on the line under the board. The other way
    tried, fewer columns at a time with the neighbours as counts, showed longer
    English titles but turned the cards waiting on the customer and awaiting their
    confirmation into numbers at the width the engineer works at, and needed a second
    layout that follows the cursor; this one is the 120x40 layout, narrower.
    A cursor move redraws the two cards and that line, not the board (issue 23).
    """

    MODE = "issues"
    KEY_PARTS = (IssueCards,)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    """Below 120 cells a hidden column gives its place to the others (issues.tcss)."""
    BINDINGS = [
        Binding("n,a", "new", "New", id="issues.new"),
        Binding("e", "edit", "Details", id="issues.edit"),
        Binding(
            "less_than_sign,shift+left",
            "move(-1)",
            "Move ←",
            id="issues.left",
            key_display="<",
            group=MOVE,
        ),
        Binding(
            "greater_than_sign,shift+right",
            "move(1)",
            "Move →",
            id="issues.right",
            key_display=">",
            group=MOVE,
        ),
        Binding("slash", "filter", "Filter", id="issues.filter", key_display="/"),
        Binding("escape", "clear_filter", "Clear filter", id="issues.clear", show=False),
        Binding("v", "toggle_confirmed", "Confirmed", id="issues.confirmed"),
        Binding(
            "exclamation_mark",
            "escalate",
            "Escalate",
            id="issues.escalate",
            key_display="!",
            show=False,
        ),
        Binding("A", "toggle_all", "All engagements", id="issues.all", show=False),
        Binding("delete", "delete", "Delete", id="issues.delete", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filter = IssueFilter()
        self.all_engagements = False
        self.columns: dict[IssueStatus, Column] = {}
        self.shown_lines: dict[str, Content] = {}
        """The bar and the card line as drawn: an unchanged line is not redrawn."""

    def compose_body(self) -> Iterable[Widget]:
        yield Static(id="board-bar")
        with Horizontal(id="board"):
            for status in ISSUE_FLOW:
                yield IssueColumn(status)
        yield Static(id="card-line", classes="detail-line")

    def after_first_load(self) -> None:
        for cards in self.query(IssueCards):
            # At once, not on the RowHighlighted message: the card line is then drawn
            # in the frame of the two cards, not in a frame of its own (issue 23).
            self.watch(cards, "cursor_coordinate", self._show_card_line, init=False)
        self.query_one(IssueCards).focus()

    # -- loading ------------------------------------------------------------------

    def reload(self) -> None:
        engagement = (
            None if self.all_engagements or not self.app.engagement else self.app.engagement.id
        )
        try:
            self.columns = issue_service.board(self.app.store, engagement, self.filter)
        except StoreError as error:
            self.app.report_error(error)
            return
        for column in self.query(IssueColumn):
            column.show(self.columns.get(column.status), shows=self.key("issues.confirmed"))
        focused, cards = self.focused_cards(), self._cards()
        if focused is not None and focused not in cards and cards:
            cards[-1].focus()  # its column was hidden (`v`): the nearest one left of it
        self._show_card_line()
        self._show_bar()
        self.refresh_bindings()

    def _show_bar(self) -> None:
        whose = (
            t("All engagements")
            if self.all_engagements or not self.app.engagement
            else self.app.engagement.name
        )
        parts: list[str | tuple[str, str] | Content] = [(whose, "bold")]
        total = sum(c.total for c in self.columns.values())
        parts.append("  ·  " + t("{n} shown", n=total))
        flt = self.filter
        if flt.active:
            described = []
            if flt.severities:
                described.append(",".join(sorted(s.value for s in flt.severities)))
            if flt.module:
                described.append(t("module {name}", name=clean_line(flt.module)))
            if flt.text:
                described.append(f"“{clean_line(flt.text)}”")
            parts.append(
                (
                    "  ·  " + t("filter: {what} (esc clears)", what=" ".join(described)),
                    "bold yellow",
                )
            )
        if not flt.show_confirmed:
            shows = self.key("issues.confirmed")
            parts.append(("  ·  " + t("confirmed hidden ({key})", key=shows), "dim"))
        self._update_line("#board-bar", Content.assemble(*parts))

    def _update_line(self, selector: str, content: Content) -> None:
        """Redraw a one-line Static only when its text changed; its size never does,
        so no layout (a layout pass would redraw the board)."""
        if self.shown_lines.get(selector) != content:
            self.shown_lines[selector] = content
            self.query_one(selector, Static).update(content, layout=False)

    def _show_card_line(self) -> None:
        """The selected card in full, on two lines: a narrow column cuts its title, and
        a title longer than the screen is wide goes on under the first line (broken by
        cell width, as the cards are: Chinese between characters, English between
        words), cut with an ellipsis only past the second."""
        issue = self.selected()
        if issue is None:
            self._update_line("#card-line", Content(""))
            return
        parts: list[str | tuple[str, str]] = [
            (issue.key, "bold"),
            " ",
            (issue.severity.value, SEVERITY_STYLE[issue.severity]),
            " ",
        ]
        if issue.escalated:
            parts.append(("⇧ " + t("escalated") + " ", "bold magenta"))
        if issue.recurs_from:
            parts.append((f"↺ ISS-{issue.recurs_from} ", "magenta"))
        title = clean_line(issue.title)
        details = [clean_line(d) for d in (issue.module, issue.reporter) if d]
        tail = " · " + " · ".join(details) if details else ""
        width = self.query_one("#card-line", Static).size.width
        room = width - Content.assemble(*parts).cell_length
        first, rest = split_line(title + tail, room) if width and room > 0 else (title + tail, "")
        if rest and not first:  # not even a word fits beside the key: all on line two
            first, rest = "", title + tail
        end = len(title)  # where the dim details start in `title + tail`

        def styled(text: str, start: int) -> list[str | tuple[str, str]]:
            cut = min(max(end - start, 0), len(text))
            return [text[:cut], (text[cut:], "dim")]

        parts += styled(first, 0)
        if rest:
            parts.append("\n")
            parts += styled(rest, len(title + tail) - len(rest))
        self._update_line("#card-line", Content.assemble(*parts))

    def on_resize(self) -> None:
        # The card line is broken by its width.
        self._show_card_line()

    @on(DescendantFocus)
    def _card_changed(self) -> None:
        self._show_card_line()

    # -- cursor ---------------------------------------------------------------------

    def _cards(self) -> list[IssueCards]:
        """The columns the cursor can go to: shown, and not hidden by the filter."""
        return [
            c
            for c in self.query(IssueCards)
            if c.status in self.columns and c.parent and c.parent.display
        ]

    def focused_cards(self) -> IssueCards | None:
        focused = self.focused
        return focused if isinstance(focused, IssueCards) else None

    def selected(self) -> Issue | None:
        cards = self.focused_cards()
        return None if cards is None else cards.selected_issue()

    def action_column(self, delta: int) -> None:
        cards = self._cards()
        # Arrows pressed together each count from the column the one before went to:
        # the app's key gate hands a key over once focus has moved (sitedash.ui.keys).
        current = self.focused_cards()
        index = cards.index(current) if current in cards else 0
        cards[max(0, min(len(cards) - 1, index + delta))].focus()

    def _select(self, issue: Issue) -> None:
        for cards in self._cards():
            if cards.status is issue.status:
                cards.focus()
                cards.select_number(issue.number)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"edit", "move", "escalate", "delete"} and self.selected() is None:
            return False
        if action == "clear_filter":
            return self.filter.active
        return True

    # -- actions --------------------------------------------------------------------

    def action_new(self) -> None:
        if self.app.engagement is None:
            self.app.action_new_engagement()
            return
        self._open_form(Issue(title="", engagement=self.app.engagement.id), is_new=True)

    def reopen_draft(self, draft: Draft) -> bool:
        if draft.form != "IssueForm" or self.app.engagement is None:
            return False
        if draft.subject == "new":
            self.action_new()
            return True
        issue = self.app.store.issue(int(draft.subject)) if draft.subject.isdigit() else None
        if issue is None:
            return False
        self._open_form(issue, is_new=False)
        return True

    def action_edit(self) -> None:
        issue = self.selected()
        if issue is not None:
            self._open_form(issue, is_new=False)

    @on(DataTable.RowSelected)
    def _card_chosen(self) -> None:
        self.action_edit()

    def _open_form(self, issue: Issue, *, is_new: bool, error: str = "") -> None:
        from sitedash.modals.issue import IssueForm

        def done(result: Issue | None) -> None:
            if result is None:
                return
            try:
                if is_new:
                    issue_service.create_issue(self.app.store, result)
                else:
                    issue_service.update_issue(self.app.store, result)
            except (InputError, StoreError) as problem:
                self._open_form(result, is_new=is_new, error=str(problem))
                return
            self.app.wrote()
            self._select(result)
            if is_new:
                self.say(t("Logged {key}", key=result.key))

        self.app.push_screen(IssueForm(issue, is_new=is_new, error=error), done)

    def action_move(self, delta: int) -> None:
        from sitedash.modals.issue import ConfirmationDialog

        issue = self.selected()
        if issue is None:
            return
        target = issue_service.neighbour(issue.status, delta)
        if target is None:
            return
        if target is IssueStatus.CONFIRMED and not self.filter.show_confirmed:
            self.filter.show_confirmed = True  # show where the card goes
        if target is IssueStatus.CONFIRMED:

            def confirmed(confirmation: Confirmation | None) -> None:
                if confirmation is not None:
                    self._move(issue, target, confirmation)

            self.app.push_screen(ConfirmationDialog(issue, self.app.clock()), confirmed)
            return
        self._move(issue, target, None)

    def _move(self, issue: Issue, target: IssueStatus, confirmation: Confirmation | None) -> None:
        moved: list[Issue] = []

        def go() -> None:
            moved.append(
                issue_service.move(self.app.store, issue, target, confirmation=confirmation)
            )

        if self.app.attempt(go):
            self._select(moved[0])

    def action_filter(self) -> None:
        from sitedash.modals.issue import FilterDialog

        def chosen(result: IssueFilter | None) -> None:
            if result is not None:
                self.filter = result
                self.reload()

        self.app.push_screen(FilterDialog(self.filter), chosen)

    def action_clear_filter(self) -> None:
        self.filter = IssueFilter(show_confirmed=self.filter.show_confirmed)
        self.reload()

    def action_toggle_confirmed(self) -> None:
        self.filter.show_confirmed = not self.filter.show_confirmed
        self.reload()

    def action_toggle_all(self) -> None:
        self.all_engagements = not self.all_engagements
        self.reload()

    def action_escalate(self) -> None:
        from sitedash.modals.confirm import ConfirmDialog
        from sitedash.modals.prompt import PromptDialog

        issue = self.selected()
        if issue is None:
            return
        if issue.escalated:

            def withdraw(yes: bool | None) -> None:
                if yes:
                    self.app.attempt(
                        partial(issue_service.set_escalation, self.app.store, issue, False)
                    )

            self.app.push_screen(
                ConfirmDialog(t("Withdraw the escalation of {key}?", key=issue.key)), withdraw
            )
            return

        def escalate(note: str | None) -> None:
            if note is not None:
                self.app.attempt(
                    partial(issue_service.set_escalation, self.app.store, issue, True, note)
                )

        prompt = PromptDialog(
            t("Escalate {key} to HQ: who is asked, for what?", key=issue.key), keep_draft=True
        )
        prompt.subject = f"escalate-{issue.number}"
        self.app.push_screen(prompt, escalate)

    def action_delete(self) -> None:
        from sitedash.modals.confirm import ConfirmDialog

        issue = self.selected()
        if issue is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.app.attempt(partial(self.app.store.delete_issue, issue.number))

        self.app.push_screen(
            ConfirmDialog(
                t(
                    "Delete {key} “{title}”? Its number is not reused.",
                    key=issue.key,
                    title=issue.title,
                )
            ),
            answered,
        )
