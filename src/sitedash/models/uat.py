"""User acceptance testing (UAT, 用户验收测试): the cases the customer runs and signs."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from msgspec import field

from sitedash.models.codec import Count, Position, Record, Revision, Stamp, new_id
from sitedash.models.issues import IssueNumber


class UatResult(StrEnum):
    """The outcome of a case's last run. Blocked means it could not run (an environment
    down, a prerequisite missing): like not run, it keeps the UAT report from being
    accepted without a waiver."""

    NOT_RUN = "not_run"
    PASS = "pass"
    FAIL = "fail"
    BLOCKED = "blocked"

    @property
    def has_run(self) -> bool:
        return self in (UatResult.PASS, UatResult.FAIL)


class UatCase(Record):
    """One UAT test case: what to do, what should happen, and what did."""

    title: str
    engagement: str
    module: str = ""
    steps: str = ""
    expected: str = ""
    """The expected result (预期结果)."""
    actual: str = ""
    """What happened on the last run; becomes the symptom of an issue opened from it."""
    result: UatResult = UatResult.NOT_RUN
    tester: str = ""
    """Who ran it (usually the customer's key user)."""
    day: date | None = None
    """When it last ran."""
    issues: list[IssueNumber] = field(default_factory=list)
    """Numbers of the issues it opened or was linked to (ISS-n)."""
    number: Count = 0
    """Assigned by the store: UAT-1, UAT-2, ... never reused."""
    position: Position = 0
    id: str = field(default_factory=new_id)
    updated: Stamp | None = None
    rev: Revision = 0

    @property
    def key(self) -> str:
        return f"UAT-{self.number}"
