"""Typed domain records shared by the screens, the CLI and the reports.

Records are plain dataclasses; `to_doc`/`from_doc` convert them to the JSON documents
the store keeps. Unknown keys in a document are ignored, so an older sitedash can read
a file a newer one wrote within the same schema version.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Self


def new_id() -> str:
    """A short random id for records that need one across partition files."""
    return uuid.uuid4().hex[:12]


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


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


@dataclass(slots=True)
class Contact:
    """A line of the emergency contact table (customer PM, IT, liaison, HQ support)."""

    role: str
    name: str
    phone: str = ""
    email: str = ""

    def to_doc(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        return cls(
            role=doc.get("role", ""),
            name=doc.get("name", ""),
            phone=doc.get("phone", ""),
            email=doc.get("email", ""),
        )


@dataclass(slots=True)
class ChecklistEntry:
    """One pre-arrival check (servers, network, database versions, accounts, toolkit)."""

    text: str
    done: bool = False

    def to_doc(self) -> dict[str, Any]:
        return {"text": self.text, "done": self.done}

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        return cls(text=doc.get("text", ""), done=bool(doc.get("done", False)))


@dataclass(slots=True)
class Engagement:
    """A customer engagement (项目/驻点): who, where, which time zones, which dates."""

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

    def to_doc(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "customer": self.customer,
            "site": self.site,
            "site_tz": self.site_tz,
            "hq_tz": self.hq_tz,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "contacts": [c.to_doc() for c in self.contacts],
            "checklist": [c.to_doc() for c in self.checklist],
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        return cls(
            id=doc["id"],
            name=doc.get("name", doc["id"]),
            customer=doc.get("customer", ""),
            site=doc.get("site", ""),
            site_tz=doc.get("site_tz", "UTC"),
            hq_tz=doc.get("hq_tz", "Asia/Shanghai"),
            start=_date(doc.get("start")),
            end=_date(doc.get("end")),
            contacts=[Contact.from_doc(c) for c in doc.get("contacts", [])],
            checklist=[ChecklistEntry.from_doc(c) for c in doc.get("checklist", [])],
        )


@dataclass(slots=True)
class PlanItem:
    """One item of a day's plan (今日计划)."""

    title: str
    day: date
    engagement: str
    category: Category = Category.SUPPORT
    estimate_min: int = 0
    status: PlanStatus = PlanStatus.TODO
    position: int = 0
    carried_from: str | None = None
    """Id of the unfinished item of an earlier day this one continues."""
    note: str = ""
    id: str = field(default_factory=new_id)
    created: datetime | None = None
    updated: datetime | None = None

    def to_doc(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "day": self.day.isoformat(),
            "engagement": self.engagement,
            "category": self.category.value,
            "estimate_min": self.estimate_min,
            "status": self.status.value,
            "position": self.position,
            "carried_from": self.carried_from,
            "note": self.note,
            "created": self.created.isoformat() if self.created else None,
            "updated": self.updated.isoformat() if self.updated else None,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        return cls(
            id=doc["id"],
            title=doc.get("title", ""),
            day=date.fromisoformat(doc["day"]),
            engagement=doc.get("engagement", ""),
            category=Category(doc.get("category", "support")),
            estimate_min=int(doc.get("estimate_min", 0)),
            status=PlanStatus(doc.get("status", "todo")),
            position=int(doc.get("position", 0)),
            carried_from=doc.get("carried_from"),
            note=doc.get("note", ""),
            created=_datetime(doc.get("created")),
            updated=_datetime(doc.get("updated")),
        )


@dataclass(slots=True)
class DayNote:
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
    updated: datetime | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.blockers.strip() or self.resources.strip() or self.sync_note.strip())

    def to_doc(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "engagement": self.engagement,
            "blockers": self.blockers,
            "resources": self.resources,
            "sync_note": self.sync_note,
            "updated": self.updated.isoformat() if self.updated else None,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        return cls(
            day=date.fromisoformat(doc["day"]),
            engagement=doc.get("engagement", ""),
            blockers=doc.get("blockers", ""),
            resources=doc.get("resources", ""),
            sync_note=doc.get("sync_note", ""),
            updated=_datetime(doc.get("updated")),
        )


@dataclass(slots=True)
class Settings:
    """The engineer's settings, stored with the data."""

    engineer: str = ""
    lang: str = ""
    """"en" or "zh"; empty means "from the locale"."""
    active_engagement: str | None = None
    day_starts_at: str = "04:00"
    """Work before this time of day belongs to the previous day (site time)."""

    def to_doc(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in doc.items() if k in known})
