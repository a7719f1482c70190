"""The engagement (项目/驻点): who, where, which time zones, which dates; and, in the
engagement's own file, who to call, what is ready, the milestones and the risks."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from msgspec import Meta, field

from sitedash.models.codec import Count, Position, Record, Revision, is_hhmm, is_time_zone, new_id


class WorkWeek(StrEnum):
    """Working days: Monday to Friday in most offices in China and Europe, Sunday to
    Thursday in much of the Middle East; six days for many engineers on site."""

    MON_FRI = "mon-fri"
    MON_SAT = "mon-sat"
    SUN_THU = "sun-thu"
    SAT_THU = "sat-thu"

    @property
    def weekdays(self) -> frozenset[int]:
        """The days as `date.weekday()` numbers (Monday 0)."""
        return _WEEKDAYS[self]


_WEEKDAYS = {
    WorkWeek.MON_FRI: frozenset(range(5)),
    WorkWeek.MON_SAT: frozenset(range(6)),
    WorkWeek.SUN_THU: frozenset({6, 0, 1, 2, 3}),
    WorkWeek.SAT_THU: frozenset({5, 6, 0, 1, 2, 3}),
}


class Engagement(Record):
    """A customer engagement: customer, site, time zones, dates.

    Contacts and checklists were lists inside this record until schema 2; they are
    records of the engagement's file now (`Contact`, `Check`; storage migrates them).
    """

    id: str
    name: str
    customer: str = ""
    site: str = ""
    site_tz: str = "UTC"
    hq_tz: str = "Asia/Shanghai"
    start: date | None = None
    end: date | None = None
    rev: Revision = 0
    work_week: WorkWeek = WorkWeek.MON_SAT
    """The days the engineer works at the site: a day of it without a daily, weekly or
    timesheet is a day not reported in the lead's roll-up (`collect`). Added after schema
    2: an engagement stored without it works Monday to Saturday, as every one did."""

    def __post_init__(self) -> None:
        # Checked when a stored engagement is read: a bad zone names its file then,
        # instead of failing later in whichever command first needs the clock.
        for name in (self.site_tz, self.hq_tz):
            if not is_time_zone(name):
                raise ValueError(f"unknown time zone {name!r}")


# --- added for issue 20 (the Engagement screen): contacts, checks, milestones, risks ---


class Contact(Record):
    """A line of the emergency contact table (应急联络表): customer PM, IT contact, local
    liaison, HQ remote support; with the hours they can be reached in their own zone."""

    name: str
    engagement: str
    role: str = ""
    organisation: str = ""
    phone: str = ""
    email: str = ""
    """An e-mail address or an IM handle ("WeChat: wanglei_mes")."""
    tz: str = ""
    """Their IANA time zone; empty: the site's."""
    hours_from: str = "09:00"
    hours_to: str = "18:00"
    """Working hours in their zone; equal times mean around the clock, and a start
    after the end an overnight shift (22:00-06:00)."""
    every_day: bool = False
    """Reachable every day of the week (else on the days of `week`)."""
    week: WorkWeek = WorkWeek.MON_FRI
    """The days they work when not `every_day` (added after schema 2: a file without it
    reads as Monday to Friday, as before)."""
    order: Count = 0
    """Place in the escalation order (1 is called first); 0: not in it."""
    id: str = field(default_factory=new_id)
    rev: Revision = 0

    def __post_init__(self) -> None:
        if not is_time_zone(self.tz):
            raise ValueError(f"unknown time zone {self.tz!r}")
        for value in (self.hours_from, self.hours_to):
            if not is_hhmm(value):
                raise ValueError(f"{value!r} is not a time of day (HH:MM)")


class CheckList(StrEnum):
    """The two lists the seeds keep before and during deployment."""

    ENVIRONMENT = "environment"
    """驻点环境检查表: servers, network, database, accounts, before arrival."""
    DEPLOYMENT = "deployment"
    """部署检查清单: what the deployment itself needs, for the customer to self-check."""


class CheckState(StrEnum):
    OPEN = "open"
    OK = "ok"
    PROBLEM = "problem"


class Check(Record):
    """One item of a checklist, with its state, a note and the day it was checked."""

    text: str
    engagement: str
    checklist: CheckList = CheckList.ENVIRONMENT
    state: CheckState = CheckState.OPEN
    note: str = ""
    day: date | None = None
    """When the state was last set (or the item checked)."""
    position: Position = 0
    template: str = ""
    """Which standard item this is (e.g. "env_database"), so adding the standard items
    again recognises it in any language; empty for items added by hand."""
    id: str = field(default_factory=new_id)
    rev: Revision = 0


class MilestoneStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"


BufferDays = Annotated[int, Meta(ge=0, le=365)]


class Milestone(Record):
    """A milestone of the implementation plan (实施计划: 里程碑、责任人、交付物)."""

    title: str
    engagement: str
    phase: str = ""
    """The phase or month of the roadmap ("Month 1: configuration", 试运行)."""
    owner: str = ""
    due: date | None = None
    deliverables: list[str] = field(default_factory=list)
    """Ids of the Sign-off checklist's deliverables this milestone hands over."""
    buffer_days: BufferDays = 0
    """The slack kept before the due date (预留缓冲时间): inside it, a milestone whose
    deliverables are not accepted yet is at risk."""
    status: MilestoneStatus = MilestoneStatus.PLANNED
    id: str = field(default_factory=new_id)
    rev: Revision = 0


Level = Annotated[int, Meta(ge=1, le=3)]
"""1 low, 2 medium, 3 high."""


class RiskStatus(StrEnum):
    OPEN = "open"
    MITIGATED = "mitigated"
    """Mitigation in place; still watched."""
    CLOSED = "closed"


class Risk(Record):
    """A line of the risk list (风险管理…尽早预警): scored likelihood × impact."""

    description: str
    engagement: str
    likelihood: Level = 2
    impact: Level = 2
    owner: str = ""
    mitigation: str = ""
    trigger: date | None = None
    """The day by which it must be looked at again; once it has come, the stand-up
    raises the risk until it is closed or given a later trigger."""
    status: RiskStatus = RiskStatus.OPEN
    id: str = field(default_factory=new_id)
    rev: Revision = 0

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def is_open(self) -> bool:
        return self.status is not RiskStatus.CLOSED
