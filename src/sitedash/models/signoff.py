"""Acceptance (验收): deliverables, signatures, change requests, feedback, the retro."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, ClassVar

from msgspec import Meta, field

from sitedash.models.codec import Count, Position, Record, Revision, Stamp, new_id

Satisfaction = Annotated[int, Meta(ge=1, le=5)]


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


class AcceptanceItem(Record):
    """A deliverable on the acceptance checklist (验收清单)."""

    name: str
    engagement: str
    status: ItemStatus = ItemStatus.NOT_STARTED
    evidence: str = ""
    """A file path or a reference (document number, mail subject)."""
    note: str = ""
    position: Position = 0
    template: str = ""
    """Which standard deliverable this is (e.g. "uat_report"), so adding the standard
    list again recognises it in any language; empty for items added by hand."""
    # --- added for issue 21 (UAT) ---
    waived: bool = False
    """Accepted although UAT cases have not run (the UAT report only): an explicit
    waiver, which needs `waiver_note` to say why and who agreed."""
    waiver_note: str = ""
    # --- end of issue 21 additions ---
    id: str = field(default_factory=new_id)
    updated: Stamp | None = None
    rev: Revision = 0


class SignMethod(StrEnum):
    SIGNATURE = "signature"
    EMAIL = "email"
    ESIGN = "esign"


class SignOff(Record):
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
    recorded: Stamp | None = None
    whole: bool = False
    """The whole acceptance (项目验收单) was signed; `subject` is then empty, and the
    label is shown in the reader's language."""
    id: str = field(default_factory=new_id)


class Decision(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    DEFERRED = "deferred"
    """Deferred to a later phase."""


class ChangeRequest(Record):
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
    number: Count = 0
    id: str = field(default_factory=new_id)
    rev: Revision = 0

    @property
    def key(self) -> str:
        return f"CR-{self.number}"


class FeedbackCategory(StrEnum):
    """How the seeds sort customer feedback."""

    TECHNICAL = "technical"
    PROCESS = "process"
    SERVICE = "service"


class Feedback(Record):
    """Something the customer said about the system, the process or our service."""

    text: str
    engagement: str
    day: date
    category: FeedbackCategory = FeedbackCategory.TECHNICAL
    source: str = ""
    """Who said it."""
    satisfaction: Satisfaction | None = None
    """1 (unhappy) to 5 (very satisfied), when the customer gave a score."""
    id: str = field(default_factory=new_id)
    rev: Revision = 0


class Retro(Record):
    """The engineer's own words for the retrospective report (复盘报告)."""

    engagement: str
    goals: str = ""
    results: str = ""
    success_factors: str = ""
    lessons: str = ""
    practices: str = ""
    """Reusable practices for the next engagement."""
    rev: Revision = 0

    FIELDS: ClassVar[tuple[str, ...]] = (
        "goals",
        "results",
        "success_factors",
        "lessons",
        "practices",
    )
