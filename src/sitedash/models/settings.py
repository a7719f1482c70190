"""The engineer's settings, stored with the data; the seeds' numbers, all editable."""

from __future__ import annotations

import re
from typing import Annotated

from msgspec import Meta, field

from sitedash.i18n import t
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
    regular_day_min: Minutes = 480
    """A regular working day (8 h): the timesheet counts work beyond it as overtime."""


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
    # --- added for issue 19 (a keymap) ---
    keymap: dict[str, str] = field(default_factory=dict)
    """Binding id -> the keys that run it instead of its own (`"today.add": "n"`, several
    comma-separated), as Posting's keymap; `?` lists the ids and the keys in effect."""
    rev: Revision = 0

    def __post_init__(self) -> None:
        if not is_hhmm(self.day_starts_at):
            raise ValueError(f"day_starts_at {self.day_starts_at!r} is not a time like 04:00")
        check_keymap(self.keymap)

    def first_key(self, binding_id: str) -> str | None:
        """The first key the keymap gives `binding_id`, as written (None: its own)."""
        keys = [key.strip() for key in self.keymap.get(binding_id, "").split(",")]
        return next((key for key in keys if key), None)


# --- added for issue 19 (a keymap) ---
MAX_KEYMAP = 300
"""More entries than sitedash has bindings is a mistake (or a crafted file)."""
_BINDING_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+){0,3}$")
_KEY = re.compile(r"^(?:[a-z]+\+)*(?:[A-Za-z0-9_]{1,20}|[!-~])$")
"""A Textual key: `n`, `N`, `f2`, `ctrl+k`, `shift+up`, `question_mark` or `?`."""


def check_keymap(keymap: dict[str, str]) -> None:
    """Every entry a binding id and one or more keys, comma-separated (ValueError)."""
    if len(keymap) > MAX_KEYMAP:
        raise ValueError(
            t("keymap has {n} entries, more than {most}", n=len(keymap), most=MAX_KEYMAP)
        )
    for binding_id, keys in keymap.items():
        if not _BINDING_ID.match(binding_id):
            raise ValueError(t("keymap: {id!r} is not a binding id like today.add", id=binding_id))
        parts = keys.split(",")
        if len(parts) > 5 or not all(_KEY.match(key.strip()) for key in parts):
            raise ValueError(
                t(
                    "keymap: {keys!r} for {id} is not a key like n, f2 or ctrl+k",
                    keys=keys,
                    id=binding_id,
                )
            )
