"""The day's plan (今日计划) and what the engineer writes about a day."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from msgspec import field

from sitedash.models.codec import Minutes, Position, Record, Revision, Stamp, new_id


class Category(StrEnum):
    """What kind of work a plan item is (the seeds' implementation phases)."""

    DEPLOY = "deploy"
    CONFIGURE = "configure"
    MIGRATION = "migration"
    TESTING = "testing"
    TRAINING = "training"
    MEETING = "meeting"
    DOCUMENTATION = "documentation"
    SUPPORT = "support"


class PlanStatus(StrEnum):
    TODO = "todo"
    DOING = "doing"
    DONE = "done"
    DROPPED = "dropped"

    @property
    def unfinished(self) -> bool:
        return self in (PlanStatus.TODO, PlanStatus.DOING)


class PlanItem(Record):
    """One item of a day's plan."""

    title: str
    day: date
    engagement: str
    category: Category = Category.SUPPORT
    estimate_min: Minutes = 0
    status: PlanStatus = PlanStatus.TODO
    position: Position = 0
    carried_from: str | None = None
    """Id of the unfinished item of an earlier day this one continues."""
    note: str = ""
    id: str = field(default_factory=new_id)
    created: Stamp | None = None
    updated: Stamp | None = None
    rev: Revision = 0


class DayNote(Record):
    """What the engineer writes about a day: the stand-up answers and the daily-sync note.

    Yesterday's progress and today's plan are derived from plan items, not stored.
    """

    day: date
    engagement: str
    blockers: str = ""
    """Problems met / help needed (遇到的问题 / 需要的帮助)."""
    resources: str = ""
    """Resources to coordinate (需要协调的资源)."""
    sync_note: str = ""
    """The customer's daily sync (每日站会) and other notes on the day."""
    updated: Stamp | None = None
    rev: Revision = 0

    @property
    def is_empty(self) -> bool:
        return not (self.blockers.strip() or self.resources.strip() or self.sync_note.strip())
