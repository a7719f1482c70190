"""Layered training (分层培训) with hands-on assessment, and the roster."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from msgspec import Meta, field

from sitedash.models.codec import Minutes, Record, Revision, Stamp, new_id

Score = Annotated[float, Meta(ge=0, le=1000)]


class Tier(StrEnum):
    """Training audiences."""

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


class Attendance(Record):
    name: str
    role: str = ""
    department: str = ""
    result: Assessment | None = None
    """None until assessed."""
    score: Score | None = None
    remark: str = ""


class Material(Record):
    kind: MaterialKind
    name: str
    location: str = ""
    """A path or a link."""


class TrainingSession(Record):
    """A training session for one audience tier, with its attendees' assessments."""

    topic: str
    engagement: str
    day: date
    tier: Tier = Tier.OPERATOR
    modules: list[str] = field(default_factory=list)
    start_time: str = ""
    """HH:MM at the site, if known (reminders are held while it runs)."""
    duration_min: Minutes = 90
    trainer: str = ""
    hands_on: bool = True
    """Did it include hands-on practice (the seeds ask for it)?"""
    attendees: list[Attendance] = field(default_factory=list)
    materials: list[Material] = field(default_factory=list)
    notes: str = ""
    feedback: str = ""
    id: str = field(default_factory=new_id)
    created: Stamp | None = None
    updated: Stamp | None = None
    rev: Revision = 0


class Trainee(Record):
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
    rev: Revision = 0
