"""Where each kind of record lives in the data dir, and the schema each file must match.

History is split into small files so that the cost of a write does not grow with years
of data: the day journal by month, issues 250 per file, training by year, one small file
per engagement. Every file is validated whole against its schema when read.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Annotated

import msgspec
from msgspec import Meta, Struct, field

from sitedash.i18n import t
from sitedash.models import (
    AcceptanceItem,
    ChangeRequest,
    Check,
    Contact,
    DayHealth,
    DayNote,
    Engagement,
    Feedback,
    Issue,
    Milestone,
    PlanItem,
    ReminderLog,
    Retro,
    Risk,
    Runbook,
    RunbookStep,
    Settings,
    SignOff,
    Trainee,
    TrainingSession,
    UatCase,
    Watch,
    WorkSession,
)
from sitedash.models.codec import Count, JSONLimitError, describe_problem, error_path, load_json

SCHEMA_VERSION = 2
"""Version of the data layout this sitedash writes; older data is migrated on open.

2: contacts and the pre-arrival checklist moved out of the engagement (sitedash.json)
into records of the engagement's own file (see `storage.engagement`)."""

META_FILE = "sitedash.json"
LOCK_FILE = ".lock"
BACKUP_DIR = "backups"
DRAFTS_DIR = "drafts"
JOURNAL_DIR = "journal"
ISSUES_DIR = "issues"
TRAINING_DIR = "training"
ENGAGEMENT_DIR = "engagements"
"""One small file per engagement: acceptance checklist, sign-offs, change requests, retro,
contacts, checklists, milestones and risks."""
DATA_SUBDIRS = (JOURNAL_DIR, ISSUES_DIR, TRAINING_DIR, ENGAGEMENT_DIR)
INDEX_DIR = "index"  # added for issue 23
"""Summaries of the data files (`storage.index`): derived, never backed up or restored."""
ROSTER_FILE = f"{TRAINING_DIR}/roster.json"
ISSUE_BUCKET = 250
"""Issues per file (ISS-0..249 in 0000.json, ...): a write never rewrites thousands."""
MONTH_FILE = re.compile(r"^\d{4}-\d{2}\.json$")
BUCKET_FILE = re.compile(r"^\d{4}\.json$")
YEAR_FILE = BUCKET_FILE

SchemaVersion = Annotated[int, Meta(ge=0, le=1_000_000)]


class MetaDoc(Struct):
    schema: SchemaVersion = 0


class Counters(Struct):
    """The last number handed out per counter (ISS-n, CR-n, UAT-n); numbers are never reused."""

    issue: Count = 0
    change: Count = 0
    uat: Count = 0  # added for issue 21: UAT-n


class MetaFile(Struct):
    """sitedash.json: the schema version, settings, engagements, reminders, counters."""

    meta: dict[str, MetaDoc] = field(default_factory=dict)
    settings: dict[str, Settings] = field(default_factory=dict)
    engagements: dict[str, Engagement] = field(default_factory=dict)
    reminders: dict[str, ReminderLog] = field(default_factory=dict)
    counters: dict[str, Counters] = field(default_factory=dict)


class JournalFile(Struct):
    """journal/YYYY-MM.json: the days of one month."""

    plan: dict[str, PlanItem] = field(default_factory=dict)
    days: dict[str, DayNote] = field(default_factory=dict)
    sessions: dict[str, WorkSession] = field(default_factory=dict)
    health: dict[str, DayHealth] = field(default_factory=dict)
    feedback: dict[str, Feedback] = field(default_factory=dict)


class IssueFile(Struct):
    """issues/NNNN.json: 250 issues."""

    issues: dict[str, Issue] = field(default_factory=dict)


class TrainingFile(Struct):
    """training/YYYY.json: the sessions of one year."""

    sessions: dict[str, TrainingSession] = field(default_factory=dict)


class RosterFile(Struct):
    """training/roster.json: the people to train, of every engagement."""

    roster: dict[str, Trainee] = field(default_factory=dict)


class EngagementFile(Struct):
    """engagements/<id>.json: one engagement's acceptance records, UAT cases and retro,
    and what the Engagement screen shows."""

    acceptance: dict[str, AcceptanceItem] = field(default_factory=dict)
    uat: dict[str, UatCase] = field(default_factory=dict)  # added for issue 21
    signoffs: dict[str, SignOff] = field(default_factory=dict)
    changes: dict[str, ChangeRequest] = field(default_factory=dict)
    retro: dict[str, Retro] = field(default_factory=dict)
    # --- added for issue 20 (the Engagement screen) ---
    contacts: dict[str, Contact] = field(default_factory=dict)
    checks: dict[str, Check] = field(default_factory=dict)
    milestones: dict[str, Milestone] = field(default_factory=dict)
    risks: dict[str, Risk] = field(default_factory=dict)
    # --- added for issue 21 part 2 (the go-live runbook) ---
    runbook: dict[str, Runbook] = field(default_factory=dict)
    steps: dict[str, RunbookStep] = field(default_factory=dict)
    watches: dict[str, Watch] = field(default_factory=dict)


def schema_for(relative: str | PurePath) -> type | None:
    """The schema of a data file by its path inside the data dir (None: not a data file)."""
    parts = PurePath(relative).parts
    name = parts[-1]
    if len(parts) == 1:
        return MetaFile if name == META_FILE else None
    if len(parts) != 2:
        return None
    folder = parts[0]
    if folder == JOURNAL_DIR and MONTH_FILE.match(name):
        return JournalFile
    if folder == ISSUES_DIR and BUCKET_FILE.match(name):
        return IssueFile
    if folder == TRAINING_DIR:
        if name == "roster.json":
            return RosterFile
        return TrainingFile if YEAR_FILE.match(name) else None
    if folder == ENGAGEMENT_DIR and name.endswith(".json"):
        return EngagementFile
    return None


def _record_labels() -> dict[str, str]:
    return {
        "meta": t("schema entry"),
        "settings": t("settings"),
        "engagements": t("engagement"),
        "reminders": t("reminder state"),
        "counters": t("counters"),
        "plan": t("plan item"),
        "days": t("day note"),
        "sessions": t("session"),
        "health": t("health entry"),
        "feedback": t("feedback"),
        "issues": t("issue"),
        "roster": t("trainee"),
        "acceptance": t("deliverable"),
        "uat": t("UAT case"),
        "signoffs": t("sign-off"),
        "changes": t("change request"),
        "retro": t("retrospective"),
        # --- added for issue 20 ---
        "contacts": t("contact"),
        "checks": t("check"),
        "milestones": t("milestone"),
        "risks": t("risk"),
        # --- added for issue 21 part 2 ---
        "runbook": t("runbook"),
        "steps": t("runbook step"),
        "watches": t("watch shift"),
    }


def record_problem(schema: type | None, error: msgspec.ValidationError, raw: bytes) -> str:
    """A validation error as "plan item 17: status 'blocked' is not one of todo, ...".

    msgspec's path does not name dictionary keys, so the failing document is found by
    checking the file's documents one by one (only when the file failed as a whole).
    """
    if schema is None:
        return describe_problem(error_path(error)[1])
    try:
        data = load_json(raw)  # within the limits: the file already passed them
    except (msgspec.DecodeError, JSONLimitError):
        data = None
    if isinstance(data, dict):
        for table_field in msgspec.structs.fields(schema):
            table = data.get(table_field.encode_name)
            record_type = table_field.type.__args__[1]  # dict[str, Record]
            if not isinstance(table, dict):
                continue
            for doc_id, doc in table.items():
                try:
                    msgspec.convert(doc, record_type)
                except msgspec.ValidationError as problem:
                    return _in_record(table_field.encode_name, str(doc_id), record_type, problem)
    return describe_problem(error_path(error)[1])


def _in_record(table: str, doc_id: str, record_type: type, error: msgspec.ValidationError) -> str:
    label = _record_labels().get(table, table)
    if record_type is TrainingSession:
        label = t("training session")
    where = f"{label} {doc_id}"
    field_path, message = error_path(error)
    allowed = _enum_values(record_type, field_path)
    problem = describe_problem(message, allowed)
    if not field_path:
        return f"{where}: {problem}"
    name = ".".join(field_path)
    if message.startswith("Invalid enum value") or message == t("is missing"):
        return f"{where}: {name} {problem}"  # "status 'blocked' is not one of ..."
    return f"{where}: {name}: {problem}"


def _enum_values(record_type: type, field_path: list[str]) -> list[str] | None:
    """The values allowed for a top-level enum field of a record, for the message."""
    if len(field_path) != 1:
        return None
    try:
        record_field = next(
            f for f in msgspec.structs.fields(record_type) if f.encode_name == field_path[0]
        )
    except (StopIteration, TypeError):
        return None
    kind = record_field.type
    for candidate in (kind, *getattr(kind, "__args__", ())):
        members = getattr(candidate, "__members__", None)
        if members:
            return [member.value for member in members.values()]
    return None
