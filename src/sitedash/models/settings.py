"""The engineer's settings, stored with the data; the seeds' numbers, all editable."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta, field

from sitedash.models.codec import Minutes, Record, Revision, is_hhmm

Hours = Annotated[float, Meta(ge=0, le=24)]
Months = Annotated[int, Meta(ge=1, le=120)]


class WellbeingSettings(Record):
    """The seeds' numbers for rest and hours."""

    break_after_min: Minutes = 240
    """A break is due after this much continuous work (4 h)."""
    break_min: Minutes = 15
    """How long a break must be to count as one (15 min)."""
    long_day_min: Minutes = 600
    """Warn past this much work in a day (10 h)."""
    min_sleep_hours: Hours = 6.0
    walk_min: Minutes = 15
    """A walk of at least this long each day (15–30 min)."""
    walk_reminder_after_min: Minutes = 360
    """Remind about the walk once this much work is done without one."""
    rotation_months: tuple[Months, ...] = (3, 6)
    quiet_hours: str = "22:00-07:00"
    """No reminders in this span of site time ("" for none)."""
    bell: bool = False
    snooze_min: Minutes = 10


class Settings(Record):
    """The engineer's settings."""

    engineer: str = ""
    lang: str = ""
    """"en" or "zh"; empty means "from the locale"."""
    active_engagement: str | None = None
    day_starts_at: str = "04:00"
    """Work before this time of day belongs to the previous day (site time)."""
    wellbeing: WellbeingSettings = field(default_factory=WellbeingSettings)
    theme: str = ""
    """A Textual theme name (light or dark); empty for the default."""
    rev: Revision = 0

    def __post_init__(self) -> None:
        if not is_hhmm(self.day_starts_at):
            raise ValueError(f"day_starts_at {self.day_starts_at!r} is not a time like 04:00")
