"""The go-live runbook (上线与切换): the cutover in a low-traffic window (低峰期), timed
steps with owners, the rollback plan (回滚预案: when to roll back and how), and who
watches the system on go-live day (专人值守). Records of the engagement's own file.

Planned times are wall-clock times at the site, without a zone (`SiteTime`): a plan
says "22:00 Saturday" at the site, and keeps saying it if the engagement's zone is
corrected later; HQ time is worked out from the site's zone when shown.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from msgspec import Meta, field

from sitedash.models.codec import Minutes, Position, Record, Revision, Stamp, new_id

# --- added for issue 21 part 2 (the go-live runbook) ---

SiteTime = Annotated[datetime, Meta(tz=False)]
"""A wall-clock time at the site (no zone: the engagement's site zone applies)."""


class StepPhase(StrEnum):
    CUTOVER = "cutover"
    """The go-live itself, step by step."""
    ROLLBACK = "rollback"
    """What to do when a rollback criterion is met: back to the old system."""


class StepState(StrEnum):
    PLANNED = "planned"
    DONE = "done"
    FAILED = "failed"


class RunbookStep(Record):
    """One timed step of the cutover or of the rollback, with its owner."""

    title: str
    engagement: str
    phase: StepPhase = StepPhase.CUTOVER
    owner: str = ""
    start: SiteTime | None = None
    """The planned start, site time."""
    duration_min: Minutes = 0
    """How long it is planned to take (0: not estimated)."""
    state: StepState = StepState.PLANNED
    at: Stamp | None = None
    """When it was marked done or failed (None while planned)."""
    note: str = ""
    """What to check, or what went wrong."""
    position: Position = 0
    """Order among steps without a planned start, and between steps at the same time."""
    id: str = field(default_factory=new_id)
    rev: Revision = 0


class Watch(Record):
    """A shift of the go-live day's watch roster: who watches the system (CPU, memory,
    log levels) from when to when, and how to reach them."""

    who: str
    engagement: str
    start: SiteTime | None = None
    end: SiteTime | None = None
    contact: str = ""
    duty: str = ""
    """What they watch or answer for ("CPU, memory, logs", "users' calls")."""
    id: str = field(default_factory=new_id)
    rev: Revision = 0


class Runbook(Record):
    """The frame of one engagement's runbook: the low-traffic window, who decides on a
    rollback, and the criteria that trigger one (one per line)."""

    engagement: str
    window_start: SiteTime | None = None
    window_end: SiteTime | None = None
    decider: str = ""
    """Who decides go / no-go and a rollback (usually the customer's PM with ours)."""
    rollback_criteria: str = ""
    """When to roll back, one criterion per line."""
    rev: Revision = 0


# --- end of issue 21 part 2 additions ---
