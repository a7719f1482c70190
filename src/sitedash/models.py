"""Typed domain records shared by the screens, the CLI and the reports.

Records are plain dataclasses; `to_doc`/`from_doc` convert them to the JSON documents
the store keeps. Unknown keys in a document are ignored, so an older sitedash can read
a file a newer one wrote within the same schema version.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
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
    wellbeing: WellbeingSettings = field(default_factory=lambda: WellbeingSettings())
    theme: str = ""
    """A Textual theme name (light or dark); empty for the default."""

    def to_doc(self) -> dict[str, Any]:
        return {
            "theme": self.theme,
            "engineer": self.engineer,
            "lang": self.lang,
            "active_engagement": self.active_engagement,
            "day_starts_at": self.day_starts_at,
            "wellbeing": self.wellbeing.to_doc(),
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        return cls(
            engineer=doc.get("engineer", ""),
            lang=doc.get("lang", ""),
            active_engagement=doc.get("active_engagement"),
            day_starts_at=doc.get("day_starts_at", "04:00"),
            wellbeing=WellbeingSettings.from_doc(doc.get("wellbeing") or {}),
            theme=doc.get("theme", ""),
        )


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


@dataclass(slots=True)
class StatusChange:
    """One move on the board, kept forever (the history is never rewritten)."""

    from_status: IssueStatus | None
    to_status: IssueStatus
    at: datetime
    note: str = ""

    @property
    def is_move(self) -> bool:
        """False for an entry that only records an event in place (an escalation)."""
        return self.from_status is not self.to_status

    def to_doc(self) -> dict[str, Any]:
        return {
            "from": self.from_status.value if self.from_status else None,
            "to": self.to_status.value,
            "at": self.at.isoformat(),
            "note": self.note,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        return cls(
            from_status=IssueStatus(doc["from"]) if doc.get("from") else None,
            to_status=IssueStatus(doc["to"]),
            at=datetime.fromisoformat(doc["at"]),
            note=doc.get("note", ""),
        )


@dataclass(slots=True)
class Confirmation:
    """The customer's confirmation that a fix works (事事有回应、件件有着落)."""

    by: str
    method: ConfirmMethod
    at: datetime
    reference: str = ""

    def to_doc(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "method": self.method.value,
            "at": self.at.isoformat(),
            "reference": self.reference,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        return cls(
            by=doc.get("by", ""),
            method=ConfirmMethod(doc.get("method", "verbal")),
            at=datetime.fromisoformat(doc["at"]),
            reference=doc.get("reference", ""),
        )


@dataclass(slots=True)
class Issue:
    """A customer's problem (问题跟踪表), from report to customer confirmation."""

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
    escalated_at: datetime | None = None
    recurs_from: int | None = None
    """Number of an earlier issue this one is a recurrence of."""
    number: int = 0
    """Assigned by the store: ISS-1, ISS-2, ... never reused."""
    created: datetime | None = None
    updated: datetime | None = None
    history: list[StatusChange] = field(default_factory=list)
    confirmation: Confirmation | None = None

    @property
    def key(self) -> str:
        return f"ISS-{self.number}"

    def to_doc(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "title": self.title,
            "engagement": self.engagement,
            "severity": self.severity.value,
            "status": self.status.value,
            "module": self.module,
            "reporter": self.reporter,
            "symptom": self.symptom,
            "cause": self.cause,
            "solution": self.solution,
            "escalated": self.escalated,
            "escalation_note": self.escalation_note,
            "escalated_at": self.escalated_at.isoformat() if self.escalated_at else None,
            "recurs_from": self.recurs_from,
            "created": self.created.isoformat() if self.created else None,
            "updated": self.updated.isoformat() if self.updated else None,
            "history": [h.to_doc() for h in self.history],
            "confirmation": self.confirmation.to_doc() if self.confirmation else None,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        confirmation = doc.get("confirmation")
        return cls(
            number=int(doc["number"]),
            title=doc.get("title", ""),
            engagement=doc.get("engagement", ""),
            severity=Severity(doc.get("severity", "P3")),
            status=IssueStatus(doc.get("status", "new")),
            module=doc.get("module", ""),
            reporter=doc.get("reporter", ""),
            symptom=doc.get("symptom", ""),
            cause=doc.get("cause", ""),
            solution=doc.get("solution", ""),
            escalated=bool(doc.get("escalated", False)),
            escalation_note=doc.get("escalation_note", ""),
            escalated_at=_datetime(doc.get("escalated_at")),
            recurs_from=doc.get("recurs_from"),
            created=_datetime(doc.get("created")),
            updated=_datetime(doc.get("updated")),
            history=[StatusChange.from_doc(h) for h in doc.get("history", [])],
            confirmation=Confirmation.from_doc(confirmation) if confirmation else None,
        )


class SessionKind(StrEnum):
    WORK = "work"
    BREAK = "break"
    WALK = "walk"


@dataclass(slots=True)
class WorkSession:
    """A stretch of work, a break or a walk. Times are UTC; `zone` is where it was
    recorded and `day` the site work day it belongs to (after-midnight work included)."""

    kind: SessionKind
    start: datetime
    day: date
    engagement: str = ""
    end: datetime | None = None
    zone: str = "UTC"
    id: str = field(default_factory=new_id)
    # --- added for h3-hours (issue 18): a note on a session ---
    note: str = ""
    """What the session was (a call, the night deployment); one line."""
    # --- end of h3-hours addition ---

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

    def to_doc(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind.value,
            "start": self.start.isoformat(),
            "end": self.end.isoformat() if self.end else None,
            "day": self.day.isoformat(),
            "engagement": self.engagement,
            "zone": self.zone,
            "note": self.note,  # added for h3-hours (issue 18)
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        return cls(
            id=doc["id"],
            kind=SessionKind(doc.get("kind", "work")),
            start=datetime.fromisoformat(doc["start"]),
            end=_datetime(doc.get("end")),
            day=date.fromisoformat(doc["day"]),
            engagement=doc.get("engagement", ""),
            zone=doc.get("zone", "UTC"),
            note=doc.get("note", ""),  # added for h3-hours (issue 18)
        )


@dataclass(slots=True)
class DayHealth:
    """Sleep (logged by hand) and an energy or mood note for one day."""

    day: date
    sleep_hours: float | None = None
    energy: str = ""

    def to_doc(self) -> dict[str, Any]:
        return {"day": self.day.isoformat(), "sleep_hours": self.sleep_hours, "energy": self.energy}

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        sleep = doc.get("sleep_hours")
        return cls(
            day=date.fromisoformat(doc["day"]),
            sleep_hours=float(sleep) if sleep is not None else None,
            energy=doc.get("energy", ""),
        )


@dataclass(slots=True)
class WellbeingSettings:
    """The seeds' numbers, all editable."""

    break_after_min: int = 240
    """A break is due after this much continuous work (4 h)."""
    break_min: int = 15
    """How long a break must be to count as one (15 min)."""
    long_day_min: int = 600
    """Warn past this much work in a day (10 h)."""
    min_sleep_hours: float = 6.0
    walk_min: int = 15
    """A walk of at least this long each day (15–30 min)."""
    walk_reminder_after_min: int = 360
    """Remind about the walk once this much work is done without one."""
    rotation_months: tuple[int, ...] = (3, 6)
    quiet_hours: str = "22:00-07:00"
    """No reminders in this span of site time ("" for none)."""
    bell: bool = False
    snooze_min: int = 10
    # --- added for h3-hours (issue 18): the timesheet's overtime threshold ---
    regular_day_min: int = 480
    """A regular working day (8 h): the timesheet counts work beyond it as overtime."""
    # --- end of h3-hours addition ---

    def to_doc(self) -> dict[str, Any]:
        doc = dataclasses.asdict(self)
        doc["rotation_months"] = list(self.rotation_months)
        return doc

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        known = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in doc.items() if k in known}
        if "rotation_months" in values:
            values["rotation_months"] = tuple(values["rotation_months"])
        return cls(**values)


class Tier(StrEnum):
    """Training audiences (分层培训)."""

    OPERATOR = "operator"
    """操作员: daily business flows, hands-on."""
    ADMIN = "admin"
    """管理员/组长: settings, permissions, exports; handles common problems alone."""
    DECISION = "decision"
    """决策者/IT负责人: architecture, monitoring, what comes next."""


class Assessment(StrEnum):
    """Hands-on assessment of one attendee in one session."""

    PASSED = "passed"
    """Can operate independently (能独立操作)."""
    AGAIN = "again"
    """Needs another session."""
    ABSENT = "absent"


class MaterialKind(StrEnum):
    MANUAL = "manual"
    SLIDES = "slides"
    VIDEO = "video"
    FAQ = "faq"


@dataclass(slots=True)
class Attendance:
    name: str
    role: str = ""
    department: str = ""
    result: Assessment | None = None
    """None until assessed."""
    score: float | None = None
    remark: str = ""

    def to_doc(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role,
            "department": self.department,
            "result": self.result.value if self.result else None,
            "score": self.score,
            "remark": self.remark,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        result = doc.get("result")
        return cls(
            name=doc.get("name", ""),
            role=doc.get("role", ""),
            department=doc.get("department", ""),
            result=Assessment(result) if result else None,
            score=doc.get("score"),
            remark=doc.get("remark", ""),
        )


@dataclass(slots=True)
class Material:
    kind: MaterialKind
    name: str
    location: str = ""
    """A path or a link."""

    def to_doc(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "name": self.name, "location": self.location}

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        return cls(
            kind=MaterialKind(doc.get("kind", "manual")),
            name=doc.get("name", ""),
            location=doc.get("location", ""),
        )


@dataclass(slots=True)
class TrainingSession:
    """A training session for one audience tier, with its attendees' assessments."""

    topic: str
    engagement: str
    day: date
    tier: Tier = Tier.OPERATOR
    modules: list[str] = field(default_factory=list)
    start_time: str = ""
    """HH:MM at the site, if known (reminders are held while it runs)."""
    duration_min: int = 90
    trainer: str = ""
    hands_on: bool = True
    """Did it include hands-on practice (the seeds ask for it)?"""
    attendees: list[Attendance] = field(default_factory=list)
    materials: list[Material] = field(default_factory=list)
    notes: str = ""
    feedback: str = ""
    id: str = field(default_factory=new_id)
    created: datetime | None = None
    updated: datetime | None = None

    def to_doc(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "topic": self.topic,
            "engagement": self.engagement,
            "day": self.day.isoformat(),
            "tier": self.tier.value,
            "modules": list(self.modules),
            "start_time": self.start_time,
            "duration_min": self.duration_min,
            "trainer": self.trainer,
            "hands_on": self.hands_on,
            "attendees": [a.to_doc() for a in self.attendees],
            "materials": [m.to_doc() for m in self.materials],
            "notes": self.notes,
            "feedback": self.feedback,
            "created": self.created.isoformat() if self.created else None,
            "updated": self.updated.isoformat() if self.updated else None,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        return cls(
            id=doc["id"],
            topic=doc.get("topic", ""),
            engagement=doc.get("engagement", ""),
            day=date.fromisoformat(doc["day"]),
            tier=Tier(doc.get("tier", "operator")),
            modules=list(doc.get("modules", [])),
            start_time=doc.get("start_time", ""),
            duration_min=int(doc.get("duration_min", 90)),
            trainer=doc.get("trainer", ""),
            hands_on=bool(doc.get("hands_on", True)),
            attendees=[Attendance.from_doc(a) for a in doc.get("attendees", [])],
            materials=[Material.from_doc(m) for m in doc.get("materials", [])],
            notes=doc.get("notes", ""),
            feedback=doc.get("feedback", ""),
            created=_datetime(doc.get("created")),
            updated=_datetime(doc.get("updated")),
        )


@dataclass(slots=True)
class Trainee:
    """Someone at the customer to be trained (the roster)."""

    name: str
    engagement: str
    tier: Tier = Tier.OPERATOR
    role: str = ""
    department: str = ""
    modules: list[str] = field(default_factory=list)
    """Modules this person needs; empty means every module of the engagement."""
    id: str = field(default_factory=new_id)
    removed: bool = False
    """Taken off the roster by hand, although they attended (their attendance stays)."""

    def to_doc(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "engagement": self.engagement,
            "tier": self.tier.value,
            "role": self.role,
            "department": self.department,
            "modules": list(self.modules),
            "removed": self.removed,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        return cls(
            id=doc["id"],
            name=doc.get("name", ""),
            engagement=doc.get("engagement", ""),
            tier=Tier(doc.get("tier", "operator")),
            role=doc.get("role", ""),
            department=doc.get("department", ""),
            modules=list(doc.get("modules", [])),
            removed=bool(doc.get("removed", False)),
        )


class ItemStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DELIVERED = "delivered"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


ITEM_FLOW = (
    ItemStatus.NOT_STARTED,
    ItemStatus.IN_PROGRESS,
    ItemStatus.DELIVERED,
    ItemStatus.ACCEPTED,
)
"""The usual path of a deliverable; `rejected` is off to the side."""


@dataclass(slots=True)
class AcceptanceItem:
    """A deliverable on the acceptance checklist (验收清单)."""

    name: str
    engagement: str
    status: ItemStatus = ItemStatus.NOT_STARTED
    evidence: str = ""
    """A file path or a reference (document number, mail subject)."""
    note: str = ""
    position: int = 0
    template: str = ""
    """Which standard deliverable this is (e.g. "uat_report"), so adding the standard
    list again recognises it in any language; empty for items added by hand."""
    id: str = field(default_factory=new_id)
    updated: datetime | None = None

    def to_doc(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "engagement": self.engagement,
            "status": self.status.value,
            "evidence": self.evidence,
            "note": self.note,
            "position": self.position,
            "template": self.template,
            "updated": self.updated.isoformat() if self.updated else None,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        return cls(
            id=doc["id"],
            name=doc.get("name", ""),
            engagement=doc.get("engagement", ""),
            status=ItemStatus(doc.get("status", "not_started")),
            evidence=doc.get("evidence", ""),
            note=doc.get("note", ""),
            position=int(doc.get("position", 0)),
            template=doc.get("template", ""),
            updated=_datetime(doc.get("updated")),
        )


class SignMethod(StrEnum):
    SIGNATURE = "signature"
    EMAIL = "email"
    ESIGN = "esign"


@dataclass(slots=True)
class SignOff:
    """A signature the customer gave. Append-only: a correction is a new record that
    supersedes the old one, and both stay visible."""

    subject: str
    """What was signed: a deliverable's name, a milestone, or the whole acceptance."""
    engagement: str
    signer: str
    role: str = ""
    day: date | None = None
    method: SignMethod = SignMethod.SIGNATURE
    reference: str = ""
    item_id: str | None = None
    """The acceptance item signed, if it was one."""
    supersedes: str | None = None
    recorded: datetime | None = None
    whole: bool = False
    """The whole acceptance (项目验收单) was signed; `subject` is then empty, and the
    label is shown in the reader's language."""
    id: str = field(default_factory=new_id)

    def to_doc(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "whole": self.whole,
            "subject": self.subject,
            "engagement": self.engagement,
            "signer": self.signer,
            "role": self.role,
            "day": self.day.isoformat() if self.day else None,
            "method": self.method.value,
            "reference": self.reference,
            "item_id": self.item_id,
            "supersedes": self.supersedes,
            "recorded": self.recorded.isoformat() if self.recorded else None,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        return cls(
            id=doc["id"],
            subject=doc.get("subject", ""),
            engagement=doc.get("engagement", ""),
            signer=doc.get("signer", ""),
            role=doc.get("role", ""),
            day=_date(doc.get("day")),
            method=SignMethod(doc.get("method", "signature")),
            reference=doc.get("reference", ""),
            item_id=doc.get("item_id"),
            supersedes=doc.get("supersedes"),
            recorded=_datetime(doc.get("recorded")),
            whole=bool(doc.get("whole", False)),
        )


class Decision(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    DEFERRED = "deferred"
    """Deferred to a later phase."""


@dataclass(slots=True)
class ChangeRequest:
    """A change request (变更控制): what, who asked, its impact, and the decision."""

    request: str
    engagement: str
    requester: str = ""
    day: date | None = None
    scope: str = ""
    schedule: str = ""
    cost: str = ""
    decision: Decision = Decision.PENDING
    decided_by: str = ""
    decided_on: date | None = None
    phase: str = ""
    """The later phase it was deferred to, or the phase it belongs to."""
    note: str = ""
    number: int = 0
    id: str = field(default_factory=new_id)

    @property
    def key(self) -> str:
        return f"CR-{self.number}"

    def to_doc(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "number": self.number,
            "request": self.request,
            "engagement": self.engagement,
            "requester": self.requester,
            "day": self.day.isoformat() if self.day else None,
            "scope": self.scope,
            "schedule": self.schedule,
            "cost": self.cost,
            "decision": self.decision.value,
            "decided_by": self.decided_by,
            "decided_on": self.decided_on.isoformat() if self.decided_on else None,
            "phase": self.phase,
            "note": self.note,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        return cls(
            id=doc["id"],
            number=int(doc.get("number", 0)),
            request=doc.get("request", ""),
            engagement=doc.get("engagement", ""),
            requester=doc.get("requester", ""),
            day=_date(doc.get("day")),
            scope=doc.get("scope", ""),
            schedule=doc.get("schedule", ""),
            cost=doc.get("cost", ""),
            decision=Decision(doc.get("decision", "pending")),
            decided_by=doc.get("decided_by", ""),
            decided_on=_date(doc.get("decided_on")),
            phase=doc.get("phase", ""),
            note=doc.get("note", ""),
        )


class FeedbackCategory(StrEnum):
    """How the seeds sort customer feedback."""

    TECHNICAL = "technical"
    PROCESS = "process"
    SERVICE = "service"


@dataclass(slots=True)
class Feedback:
    """Something the customer said about the system, the process or our service."""

    text: str
    engagement: str
    day: date
    category: FeedbackCategory = FeedbackCategory.TECHNICAL
    source: str = ""
    """Who said it."""
    satisfaction: int | None = None
    """1 (unhappy) to 5 (very satisfied), when the customer gave a score."""
    id: str = field(default_factory=new_id)

    def to_doc(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "engagement": self.engagement,
            "day": self.day.isoformat(),
            "category": self.category.value,
            "source": self.source,
            "satisfaction": self.satisfaction,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        return cls(
            id=doc["id"],
            text=doc.get("text", ""),
            engagement=doc.get("engagement", ""),
            day=date.fromisoformat(doc["day"]),
            category=FeedbackCategory(doc.get("category", "technical")),
            source=doc.get("source", ""),
            satisfaction=doc.get("satisfaction"),
        )


@dataclass(slots=True)
class Retro:
    """The engineer's own words for the retrospective report (复盘报告)."""

    engagement: str
    goals: str = ""
    results: str = ""
    success_factors: str = ""
    lessons: str = ""
    practices: str = ""
    """Reusable practices for the next engagement."""

    FIELDS = ("goals", "results", "success_factors", "lessons", "practices")

    def to_doc(self) -> dict[str, Any]:
        return {"engagement": self.engagement, **{f: getattr(self, f) for f in self.FIELDS}}

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        return cls(engagement=doc.get("engagement", ""), **{f: doc.get(f, "") for f in cls.FIELDS})
