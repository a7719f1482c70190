"""Dialogs of the issue board: the issue form, the customer's confirmation, the filter."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, tzinfo

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Checkbox, Input, Label, Select, SelectionList, Static, TextArea

from sitedash.errors import InputError
from sitedash.i18n import t
from sitedash.modals.base import Dialog, FormDialog
from sitedash.models import Confirmation, ConfirmMethod, Issue, Severity, replace
from sitedash.services.issues import IssueFilter, method_label, parse_issue_key, status_label
from sitedash.services.timeutil import parse_day
from sitedash.services.today import check_title
from sitedash.widgets.form import choice_select, chosen, field_row, pair_row
from sitedash.widgets.safe import literal, t_literal
from sitedash.widgets.text_area import NoteArea


class IssueForm(FormDialog[Issue]):
    """Every field of an issue, its history and confirmation; ctrl+s saves.

    Returns the edited copy; the board saves it (and reopens the form on an error).
    """

    def __init__(self, issue: Issue, *, is_new: bool, error: str = "") -> None:
        super().__init__()
        self.issue = issue
        self.is_new = is_new
        self.error = error

    def compose(self) -> ComposeResult:
        issue = self.issue
        heading = t("New issue") if self.is_new else f"{issue.key} · {status_label(issue.status)}"
        with Vertical(classes="dialog form", id="issue-form"):
            yield Static(heading, classes="dialog-title", markup=False)
            with VerticalScroll():
                yield field_row(t("Title"), Input(issue.title, id="title", compact=True))
                yield pair_row(
                    (
                        t("Severity"),
                        choice_select([(s.value, s) for s in Severity], issue.severity, "severity"),
                    ),
                    (
                        t("Module"),
                        Input(
                            issue.module,
                            id="module",
                            compact=True,
                            placeholder=t("e.g. Production"),
                        ),
                    ),
                )
                yield pair_row(
                    (t("Reporter"), Input(issue.reporter, id="reporter", compact=True)),
                    (
                        t("Recurs from"),
                        Input(
                            f"ISS-{issue.recurs_from}" if issue.recurs_from else "",
                            id="recurs_from",
                            compact=True,
                            placeholder="ISS-12",
                        ),
                    ),
                )
                yield Label(t("Symptom (现象): what the customer sees"), markup=False)
                yield NoteArea(issue.symptom, id="symptom", classes="form-text", compact=True)
                yield Label(t("Cause (原因)"), markup=False)
                yield NoteArea(issue.cause, id="cause", classes="form-text", compact=True)
                yield Label(t("Solution (方案)"), markup=False)
                yield NoteArea(issue.solution, id="solution", classes="form-text", compact=True)
                yield field_row(
                    t("Escalate"),
                    Checkbox(
                        t("to HQ / remote experts"), issue.escalated, id="escalated", compact=True
                    ),
                )
                yield field_row(
                    t("Note"),
                    Input(
                        issue.escalation_note,
                        id="escalation_note",
                        compact=True,
                        placeholder=t("who at HQ, what is asked"),
                    ),
                )
                if issue.escalated and issue.escalated_at:
                    site = self.app.clock_context.site
                    yield Static(
                        t(
                            "escalated {when} (site time)",
                            when=f"{issue.escalated_at.astimezone(site):%Y-%m-%d %H:%M}",
                        ),
                        classes="form-hint",
                        markup=False,
                    )
                if not self.is_new:
                    yield Static(
                        history_text(issue, self.app.clock_context.site), id="issue-history"
                    )
            yield from self.buttons()

    def build(self) -> Issue:
        value = lambda name: self.query_one(f"#{name}", Input).value  # noqa: E731
        recurs = value("recurs_from").strip()
        edited = replace(
            self.issue,
            title=check_title(value("title")),
            severity=chosen(self.query_one("#severity", Select)),
            module=value("module"),
            reporter=value("reporter"),
            recurs_from=parse_issue_key(recurs) if recurs else None,
            symptom=self.query_one("#symptom", TextArea).text,
            cause=self.query_one("#cause", TextArea).text,
            solution=self.query_one("#solution", TextArea).text,
            escalated=self.query_one("#escalated", Checkbox).value,
            escalation_note=value("escalation_note"),
        )
        return edited


def history_text(issue: Issue, site: tzinfo) -> Content:
    """The moves of an issue (and its escalations), oldest first, in site time, and who
    confirmed it."""
    parts: list[Content | str | tuple[str, str]] = [(t("History"), "bold"), "\n"]
    for change in issue.history:
        when = f"{change.at.astimezone(site):%Y-%m-%d %H:%M}"
        if not change.is_move:  # an event in place: its note says what happened
            parts.append(f"  {when}")
        elif change.from_status:
            parts.append(
                f"  {when}  {status_label(change.from_status)} → {status_label(change.to_status)}"
            )
        else:
            parts.append(f"  {when}  {status_label(change.to_status)}")
        if change.note:
            parts.extend(["  ", literal(change.note, "italic")])
        parts.append("\n")
    if issue.confirmation:
        c = issue.confirmation
        parts.extend(
            [
                t_literal(
                    "Confirmed by {by} · {method} · {reference} · {day}",
                    by=c.by,
                    method=method_label(c.method),
                    reference=c.reference or "-",
                    day=f"{c.at.astimezone(site):%Y-%m-%d}",
                ),
            ]
        )
    return Content.assemble(*parts)


class ConfirmationDialog(FormDialog[Confirmation]):
    """Who at the customer confirmed the fix, how, and a reference (mail subject, form no.)."""

    def __init__(self, issue: Issue, now: datetime) -> None:
        super().__init__()
        self.issue, self.now = issue, now

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form", id="confirm-form"):
            yield Static(
                t("Customer confirmation of {key}", key=self.issue.key),
                classes="dialog-title",
                markup=False,
            )
            yield field_row(t("Confirmed by"), Input(self.issue.reporter, id="by", compact=True))
            yield field_row(
                t("Method"),
                choice_select(
                    [(method_label(m), m) for m in ConfirmMethod], ConfirmMethod.EMAIL, "method"
                ),
            )
            yield field_row(
                t("Reference"),
                Input(id="reference", compact=True, placeholder=t("mail subject, form number")),
            )
            yield field_row(t("Date"), Input(self._today().isoformat(), id="day", compact=True))
            yield from self.buttons(t("Confirm"), variant="success")

    def _today(self) -> date:
        return self.app.clock_context.day_of(self.now)

    def build(self) -> Confirmation:
        by = self.value("by").strip()
        if not by:
            raise InputError(t("say who confirmed the fix"))
        day = parse_day(self.value("day"), self._today(), forward=False)
        if day > self._today():
            raise InputError(t("the confirmation date is in the future"))
        # An email from yesterday is recorded on its day (noon at the site: the hour is
        # unknown); today's is recorded now.
        at = (
            self.now
            if day == self._today()
            else datetime.combine(day, time(12), tzinfo=self.app.clock_context.site)
        )
        return Confirmation(
            by=by,
            method=chosen(self.query_one("#method", Select)),
            at=at.astimezone(UTC),
            reference=self.value("reference"),
        )


class FilterDialog(Dialog[IssueFilter | None]):
    """Words (title and the three steps), severities and a module."""

    BINDINGS = [Binding("enter", "apply", "Apply", id="filter.apply", priority=True)]

    def __init__(self, current: IssueFilter) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form", id="filter-form"):
            yield Static(t("Filter the board"), classes="dialog-title", markup=False)
            yield field_row(
                t("Words"),
                Input(
                    self.current.text,
                    id="text",
                    compact=True,
                    placeholder=t("in title, symptom, cause, solution"),
                ),
            )
            yield field_row(t("Module"), Input(self.current.module, id="module", compact=True))
            yield Label(t("Severities (none ticked: all)"), markup=False)
            yield SelectionList[Severity](
                *[(s.value, s, s in self.current.severities) for s in Severity], id="severities"
            )
            yield Static(t("enter: apply · escape: cancel"), classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#text", Input).focus()

    def action_apply(self) -> None:
        self.dismiss(
            IssueFilter(
                severities=set(self.query_one(SelectionList).selected),
                module=self.query_one("#module", Input).value.strip(),
                text=self.query_one("#text", Input).value.strip(),
                show_confirmed=self.current.show_confirmed,
            )
        )
