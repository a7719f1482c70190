"""Typed domain records shared by the screens, the CLI and the reports, by area.

Records are msgspec Structs; `codec` turns them into the JSON documents the store keeps
and validates documents on the way back. Unknown keys in a document are ignored, so an
older sitedash can read a file a newer one wrote within the same schema version.
"""

from sitedash.models.codec import Record, decode, encode, from_stored, new_id, replace
from sitedash.models.engagement import (
    Check,
    CheckList,
    CheckState,
    Contact,
    Engagement,
    Milestone,
    MilestoneStatus,
    Risk,
    RiskStatus,
    WorkWeek,
)
from sitedash.models.issues import (
    ISSUE_FLOW,
    Confirmation,
    ConfirmMethod,
    Issue,
    IssueStatus,
    Severity,
    StatusChange,
)
from sitedash.models.plan import Category, DayNote, PlanItem, PlanStatus
from sitedash.models.runbook import Runbook, RunbookStep, StepPhase, StepState, Watch
from sitedash.models.settings import Settings, WellbeingSettings
from sitedash.models.signoff import (
    ITEM_FLOW,
    AcceptanceItem,
    ChangeRequest,
    Decision,
    Feedback,
    FeedbackCategory,
    ItemStatus,
    Retro,
    SignMethod,
    SignOff,
)
from sitedash.models.training import (
    Assessment,
    Attendance,
    Material,
    MaterialKind,
    Tier,
    Trainee,
    TrainingSession,
)
from sitedash.models.uat import UatCase, UatResult
from sitedash.models.wellbeing import DayHealth, ReminderLog, SessionKind, WorkSession

__all__ = [
    "ISSUE_FLOW",
    "ITEM_FLOW",
    "AcceptanceItem",
    "Assessment",
    "Attendance",
    "Category",
    "ChangeRequest",
    "Check",
    "CheckList",
    "CheckState",
    "ConfirmMethod",
    "Confirmation",
    "Contact",
    "DayHealth",
    "DayNote",
    "Decision",
    "Engagement",
    "Feedback",
    "FeedbackCategory",
    "Issue",
    "IssueStatus",
    "ItemStatus",
    "Material",
    "MaterialKind",
    "Milestone",
    "MilestoneStatus",
    "PlanItem",
    "PlanStatus",
    "Record",
    "ReminderLog",
    "Retro",
    "Risk",
    "RiskStatus",
    "Runbook",
    "RunbookStep",
    "SessionKind",
    "Settings",
    "Severity",
    "SignMethod",
    "SignOff",
    "StatusChange",
    "StepPhase",
    "StepState",
    "Tier",
    "Trainee",
    "TrainingSession",
    "UatCase",
    "UatResult",
    "Watch",
    "WellbeingSettings",
    "WorkSession",
    "WorkWeek",
    "decode",
    "encode",
    "from_stored",
    "new_id",
    "replace",
]
