"""Work sessions, sleep and the reminders' memory."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum

from msgspec import field

from sitedash.models.codec import Record, Revision, Stamp, new_id
from sitedash.models.settings import Hours


class SessionKind(StrEnum):
    WORK = "work"
    BREAK = "break"
    WALK = "walk"


class WorkSession(Record):
    """A stretch of work, a break or a walk. Times are UTC; `zone` is where it was
    recorded and `day` the site work day it belongs to (after-midnight work included)."""

    kind: SessionKind
    start: Stamp
    day: date
    engagement: str = ""
    end: Stamp | None = None
    zone: str = "UTC"
    id: str = field(default_factory=new_id)
    rev: Revision = 0

    def __post_init__(self) -> None:
        # Stored and compared in UTC: Python subtracts two times of the same ZoneInfo as
        # wall-clock times, which is an hour off across a DST change.
        self.start = self.start.astimezone(UTC)
        if self.end is not None:
            self.end = self.end.astimezone(UTC)

    @property
    def is_open(self) -> bool:
        return self.end is None

    def minutes(self, now: datetime) -> float:
        """Length in minutes; an open session counts up to `now`."""
        end = self.end or now
        return max((end - self.start).total_seconds() / 60, 0.0)


class DayHealth(Record):
    """Sleep (logged by hand) and an energy or mood note for one day."""

    day: date
    sleep_hours: Hours | None = None
    energy: str = ""
    rev: Revision = 0


class ReminderLog(Record):
    """The stored form of what happened to each reminder (services.wellbeing.ReminderState)."""

    fired: dict[str, Stamp] = field(default_factory=dict)
    snoozed: dict[str, Stamp] = field(default_factory=dict)
    dismissed: list[str] = field(default_factory=list)
