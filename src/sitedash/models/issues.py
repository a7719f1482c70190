"""The customer's problems (问题跟踪表), from report to customer confirmation."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from msgspec import Meta, field

from sitedash.models.codec import Record, Revision, Stamp

IssueNumber = Annotated[int, Meta(ge=0, le=1_000_000_000)]


class Severity(StrEnum):
    P1 = "P1"
    P2 = "P2"
    P3 = "P3"
    P4 = "P4"


class IssueStatus(StrEnum):
    """The board's columns, in order: an issue is closed only when the customer confirms."""

    NEW = "new"
    IN_PROGRESS = "in_progress"
    WAITING = "waiting"
    """Waiting on the customer (data, a decision, a test)."""
    RESOLVED = "resolved"
    CONFIRMED = "confirmed"

    @property
    def is_open(self) -> bool:
        return self not in (IssueStatus.RESOLVED, IssueStatus.CONFIRMED)


ISSUE_FLOW = tuple(IssueStatus)
"""The columns left to right."""


class ConfirmMethod(StrEnum):
    SIGNATURE = "signature"
    EMAIL = "email"
    VERBAL = "verbal"


class StatusChange(Record):
    """One move on the board, kept forever (the history is never rewritten)."""

    from_status: IssueStatus | None = field(name="from")
    to_status: IssueStatus = field(name="to")
    at: Stamp
    note: str = ""

    @property
    def is_move(self) -> bool:
        """False for an entry that only records an event in place (an escalation)."""
        return self.from_status is not self.to_status


class Confirmation(Record):
    """The customer's confirmation that a fix works (事事有回应、件件有着落)."""

    by: str
    method: ConfirmMethod
    at: Stamp
    reference: str = ""


class Issue(Record):
    """A customer's problem, with the three-step record symptom → cause → solution."""

    title: str
    engagement: str
    severity: Severity = Severity.P3
    status: IssueStatus = IssueStatus.NEW
    module: str = ""
    reporter: str = ""
    symptom: str = ""
    """现象: what the customer sees."""
    cause: str = ""
    """原因: why it happens."""
    solution: str = ""
    """方案: what fixed it."""
    escalated: bool = False
    escalation_note: str = ""
    escalated_at: Stamp | None = None
    recurs_from: IssueNumber | None = None
    """Number of an earlier issue this one is a recurrence of."""
    number: IssueNumber = 0
    """Assigned by the store: ISS-1, ISS-2, ... never reused."""
    created: Stamp | None = None
    updated: Stamp | None = None
    history: list[StatusChange] = field(default_factory=list)
    confirmation: Confirmation | None = None
    rev: Revision = 0

    @property
    def key(self) -> str:
        return f"ISS-{self.number}"
