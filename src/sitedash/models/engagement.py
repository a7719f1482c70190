"""The engagement (项目/驻点): who, where, which time zones, which dates."""

from __future__ import annotations

from datetime import date

from msgspec import field

from sitedash.models.codec import Record, Revision, is_time_zone


class Contact(Record):
    """A line of the emergency contact table (customer PM, IT, liaison, HQ support)."""

    role: str
    name: str
    phone: str = ""
    email: str = ""


class ChecklistEntry(Record):
    """One pre-arrival check (servers, network, database versions, accounts, toolkit)."""

    text: str
    done: bool = False


class Engagement(Record):
    """A customer engagement: customer, site, time zones, dates, contacts, checks."""

    id: str
    name: str
    customer: str = ""
    site: str = ""
    site_tz: str = "UTC"
    hq_tz: str = "Asia/Shanghai"
    start: date | None = None
    end: date | None = None
    contacts: list[Contact] = field(default_factory=list)
    checklist: list[ChecklistEntry] = field(default_factory=list)
    rev: Revision = 0

    def __post_init__(self) -> None:
        # Checked when a stored engagement is read: a bad zone names its file then,
        # instead of failing later in whichever command first needs the clock.
        for name in (self.site_tz, self.hq_tz):
            if not is_time_zone(name):
                raise ValueError(f"unknown time zone {name!r}")
