"""The customer's problems: numbering, moves across the board, confirmation, filters."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any, overload

from sitedash.errors import InputError
from sitedash.i18n import t
from sitedash.models import (
    ISSUE_FLOW,
    Confirmation,
    ConfirmMethod,
    Issue,
    IssueStatus,
    Severity,
    StatusChange,
    from_stored,
)
from sitedash.services.timeutil import work_day
from sitedash.services.today import check_note, check_title
from sitedash.storage import Store
from sitedash.textsafe import clean_line

MAX_FIELD = 200
_ISSUE_KEY = re.compile(r"^\s*(?:ISS-?)?(\d+)\s*$", re.IGNORECASE)


def status_label(status: IssueStatus) -> str:
    return {
        IssueStatus.NEW: t("New"),
        IssueStatus.IN_PROGRESS: t("In progress"),
        IssueStatus.WAITING: t("Waiting on customer"),
        IssueStatus.RESOLVED: t("Resolved"),
        IssueStatus.CONFIRMED: t("Confirmed"),
    }[status]


def method_label(method: ConfirmMethod) -> str:
    return {
        ConfirmMethod.SIGNATURE: t("signature"),
        ConfirmMethod.EMAIL: t("email"),
        ConfirmMethod.VERBAL: t("verbal"),
    }[method]


def parse_severity(text: str) -> Severity:
    value = text.strip().upper()
    if value in {"1", "2", "3", "4"}:
        value = f"P{value}"
    try:
        return Severity(value)
    except ValueError:
        raise InputError(t("bad severity {text!r}: use P1, P2, P3 or P4", text=text)) from None


def parse_issue_key(text: str) -> int:
    """`ISS-42`, `iss42` or `42` -> 42."""
    match = _ISSUE_KEY.match(text)
    if not match or int(match.group(1)) == 0:
        raise InputError(t("bad issue id {text!r}: use e.g. ISS-42", text=text))
    return int(match.group(1))


def _short(text: str, what: str) -> str:
    value = clean_line(text)
    if len(value) > MAX_FIELD:
        raise InputError(t("{what} is longer than {limit} characters", what=what, limit=MAX_FIELD))
    return value


def check_issue(issue: Issue, store: Store | None = None) -> Issue:
    """Clean and validate what a user typed; raises InputError with what to fix."""
    issue.title = check_title(issue.title)
    issue.module = _short(issue.module, t("the module"))
    issue.reporter = _short(issue.reporter, t("the reporter"))
    issue.symptom = check_note(issue.symptom)
    issue.cause = check_note(issue.cause)
    issue.solution = check_note(issue.solution)
    issue.escalation_note = check_note(issue.escalation_note)
    if issue.recurs_from is not None:
        if issue.recurs_from == issue.number:
            raise InputError(t("an issue cannot recur from itself"))
        if store is not None and store.issue(issue.recurs_from) is None:
            raise InputError(t("ISS-{n} does not exist", n=issue.recurs_from))
    return issue


def create_issue(store: Store, issue: Issue) -> Issue:
    """Number and store a new issue; its history starts with its creation."""
    check_issue(issue, store)
    now = store.clock()
    issue.status = IssueStatus.NEW
    issue.history = [StatusChange(None, IssueStatus.NEW, now)]
    if issue.escalated and issue.escalated_at is None:
        issue.escalated_at = now
    store.add_issues([issue])
    return issue


def update_issue(store: Store, issue: Issue) -> None:
    """Save edited fields (not the status: that moves through `move`)."""
    check_issue(issue, store)
    with store.transaction():
        stored = store.issue(issue.number)
        if stored is None:
            raise InputError(t("ISS-{n} was deleted meanwhile", n=issue.number))
        # Status, history and confirmation belong to the board moves: keep the stored ones
        # so an edit made in a form opened before a move never rewinds it.
        issue.status, issue.history, issue.confirmation = (
            stored.status,
            stored.history,
            stored.confirmation,
        )
        issue.escalated_at = stored.escalated_at
        if issue.escalated != stored.escalated:
            _record_escalation(issue, store.clock())
        store.save_issue(issue)


def move(
    store: Store,
    issue: Issue,
    to: IssueStatus,
    *,
    confirmation: Confirmation | None = None,
    note: str = "",
) -> Issue:
    """Move an issue to another column and record the move in its history.

    Confirming needs the customer's confirmation (who, how, reference). Moving back
    from Resolved or Confirmed reopens the issue; the old confirmation stays in the
    history note so nothing is forgotten.
    """
    with store.transaction():
        current = store.issue(issue.number)
        if current is None:
            raise InputError(t("ISS-{n} was deleted meanwhile", n=issue.number))
        if current.status is to:
            return current
        now = store.clock()
        if to is IssueStatus.CONFIRMED:
            if confirmation is None or not clean_line(confirmation.by):
                raise InputError(t("say who confirmed the fix"))
            confirmation.by = clean_line(confirmation.by)
            confirmation.reference = clean_line(confirmation.reference)
            current.confirmation = confirmation
        elif current.confirmation is not None:
            previous = current.confirmation
            reopened = t(
                "reopened; was confirmed by {by} ({method}) {ref}",
                by=previous.by,
                method=method_label(previous.method),
                ref=previous.reference,
            ).strip()
            note = f"{reopened}. {note}".strip() if note else reopened
            current.confirmation = None
        current.history.append(StatusChange(current.status, to, now, check_note(note)))
        current.status = to
        store.save_issue(current)
    return current


def neighbour(status: IssueStatus, delta: int) -> IssueStatus | None:
    """The column left (-1) or right (+1) of `status`, if any."""
    index = ISSUE_FLOW.index(status) + delta
    return ISSUE_FLOW[index] if 0 <= index < len(ISSUE_FLOW) else None


def set_escalation(store: Store, issue: Issue, escalated: bool, note: str = "") -> Issue:
    with store.transaction():
        current = store.issue(issue.number)
        if current is None:
            raise InputError(t("ISS-{n} was deleted meanwhile", n=issue.number))
        if current.escalated == escalated:
            return current
        current.escalated = escalated
        current.escalation_note = check_note(note) if escalated else current.escalation_note
        _record_escalation(current, store.clock())
        store.save_issue(current)
    return current


def _record_escalation(issue: Issue, now: datetime) -> None:
    """Escalating (or withdrawing it) is kept in the history like a move, with its time."""
    issue.escalated_at = now if issue.escalated else None
    note = (
        t("escalated to HQ / remote experts: {note}", note=issue.escalation_note).rstrip(": ")
        if issue.escalated
        else t("escalation withdrawn")
    )
    issue.history.append(StatusChange(issue.status, issue.status, now, check_note(note)))


@dataclass(slots=True)
class IssueFilter:
    """What the board shows: severities, a module, words in title and the three steps."""

    severities: set[Severity] = field(default_factory=set)
    module: str = ""
    text: str = ""
    show_confirmed: bool = False

    @property
    def active(self) -> bool:
        return bool(self.severities or self.module or self.text)

    def matches(self, doc: Mapping[str, Any]) -> bool:
        """Filter a stored issue document, before any Issue is built from it (the board
        may hold thousands of issues and show a few hundred)."""
        if self.severities and doc["severity"] not in {s.value for s in self.severities}:
            return False
        if self.module and self.module.casefold() not in str(doc.get("module", "")).casefold():
            return False
        if self.text:
            haystack = " ".join(
                [f"ISS-{doc['number']}"]
                + [str(doc.get(name, "")) for name in ("title", "symptom", "cause", "solution")]
            ).casefold()
            if not all(word in haystack for word in self.text.casefold().split()):
                return False
        return True


class Column(Sequence[Issue]):
    """The cards of one board column, in order. The board may hold thousands of issues
    and a screen shows about twenty, so an `Issue` is built only when it is asked for."""

    def __init__(
        self,
        docs: Sequence[Mapping[str, Any]],
        *,
        numbers: Sequence[int] | None = None,
        fetch: Callable[[int], Mapping[str, Any] | None] | None = None,
    ) -> None:
        """The column of `docs`; or (issue 23) of the issues `numbers`, whose documents
        `fetch` reads only when their card is built."""
        self._docs = docs
        self._numbers = [doc["number"] for doc in docs] if numbers is None else numbers
        self._fetch = fetch
        self._built: dict[int, Issue] = {}
        self._positions = {number: n for n, number in enumerate(self._numbers)}

    @property
    def total(self) -> int:
        return len(self._numbers)

    def __len__(self) -> int:
        return len(self._numbers)

    @overload
    def __getitem__(self, index: int) -> Issue: ...

    @overload
    def __getitem__(self, index: slice) -> list[Issue]: ...

    def __getitem__(self, index: int | slice) -> Issue | list[Issue]:
        if isinstance(index, slice):
            return [self[n] for n in range(*index.indices(len(self._numbers)))]
        if index < 0:
            index += len(self._numbers)
        if index not in self._built:
            self._built[index] = self._build(index)
        return self._built[index]

    def _build(self, index: int) -> Issue:
        if self._fetch is None:
            return from_stored(Issue, self._docs[index])
        number = self._numbers[index]  # IndexError past the end, as a list
        doc = self._fetch(number)
        if doc is None:  # deleted since the board was loaded; the next reload drops it
            return Issue(title="", engagement="", status=IssueStatus.CONFIRMED, number=number)
        return from_stored(Issue, doc)

    def position(self, number: int) -> int | None:
        """Where the issue `number` is in the column, without building any card."""
        return self._positions.get(number)

    def by_number(self, number: int) -> Issue | None:
        position = self.position(number)
        return None if position is None else self[position]


def board(store: Store, engagement: str | None, flt: IssueFilter) -> dict[IssueStatus, Column]:
    """The columns of the board: P1 first, then oldest first (what needs attention);
    confirmations newest first.

    The open columns come from the issue index; the Confirmed column (unless words are
    searched, which needs every issue's text) from the rows of the confirmed index, its
    cards read from their files when drawn: showing it costs what the cards on screen
    cost, not what years of confirmations do (issue 23).
    """
    lazy = flt.show_confirmed and not flt.text
    statuses = ISSUE_FLOW if flt.show_confirmed and not lazy else ISSUE_FLOW[:-1]
    matching: dict[IssueStatus, list[Mapping[str, Any]]] = {s: [] for s in statuses}
    for doc in store.issue_docs(engagement, statuses):
        if flt.matches(doc):
            matching[IssueStatus(doc["status"])].append(doc)
    columns = {}
    for status, docs in matching.items():
        if status is IssueStatus.CONFIRMED:
            docs.sort(key=lambda d: -d["number"])
        else:
            docs.sort(key=lambda d: (d["severity"], d["number"]))
        columns[status] = Column(docs)
    if lazy:
        wanted = {s.value for s in flt.severities}
        module = flt.module.casefold()
        numbers = sorted(
            (
                number
                for number, severity, row_module in store.confirmed_rows(engagement)
                if (not wanted or severity in wanted)
                and (not module or module in row_module.casefold())
            ),
            reverse=True,
        )
        columns[IssueStatus.CONFIRMED] = Column([], numbers=numbers, fetch=store.issue_doc)
    return columns


def changed_on(issue: Issue, to: IssueStatus, day: date, site: tzinfo, day_starts_at: str) -> bool:
    """Did the issue move into `to` on `day` (site calendar)?"""
    return any(
        change.is_move
        and change.to_status is to
        and work_day(change.at, site, day_starts_at) == day
        for change in issue.history
    )


def age_days(issue: Issue, now: datetime) -> int:
    return (now - issue.created).days if issue.created else 0


def recurring(issues: Sequence[Issue]) -> list[Issue]:
    """Issues that recur from an earlier one."""
    return [i for i in issues if i.recurs_from is not None]
