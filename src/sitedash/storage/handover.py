"""Taking in an engagement handed over from another data dir (`import handover`): every
record written where its kind lives, as it was (its id, number, created and updated
times kept; its revision starts again here), and the id counters moved past the
numbers it brings, all in one transaction."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from tinydb import Query
from tinydb.table import Document, Table

from sitedash.errors import StoreError
from sitedash.i18n import t
from sitedash.models import (
    AcceptanceItem,
    ChangeRequest,
    Check,
    Contact,
    DayNote,
    Engagement,
    Issue,
    Milestone,
    PlanItem,
    Record,
    Risk,
    Runbook,
    RunbookStep,
    SignOff,
    Trainee,
    TrainingSession,
    UatCase,
    Watch,
    encode,
)
from sitedash.storage.core import StoreCore
from sitedash.storage.journal import month_key
from sitedash.storage.layout import (
    ENGAGEMENT_DIR,
    ISSUE_BUCKET,
    ISSUES_DIR,
    JOURNAL_DIR,
    ROSTER_FILE,
    TRAINING_DIR,
)
from sitedash.storage.signoff import engagement_file_name

# --- added for issue 21 part 4 (the handover pack) ---

COUNTERS = ("issue", "change", "uat")
_ENGAGEMENT_TABLES: dict[type, str] = {
    AcceptanceItem: "acceptance",
    SignOff: "signoffs",
    ChangeRequest: "changes",
    UatCase: "uat",
    Contact: "contacts",
    Check: "checks",
    Milestone: "milestones",
    Risk: "risks",
    RunbookStep: "steps",
    Watch: "watches",
}
_JSON = re.compile(r"^.+\.json$")


class HandoverStore(StoreCore):
    """Counters, numbers in use, and the import of a whole engagement."""

    def counters(self) -> dict[str, int]:
        """The last number each counter handed out (ISS-n, CR-n, UAT-n)."""
        doc: Mapping[str, Any] = self._meta().table("counters").get(doc_id=1) or {}
        return {name: int(doc.get(name, 0)) for name in COUNTERS}

    def taken_numbers(self, counter: str) -> set[int]:
        """The numbers records of every engagement hold now for one counter."""
        if counter == "issue":
            return {
                doc.doc_id
                for bucket in self._listing(ISSUES_DIR, _JSON)
                for doc in self._db(f"{ISSUES_DIR}/{bucket.name}").table("issues").all()
            }
        table = {"uat": "uat", "change": "changes"}[counter]
        return {
            int(doc.get("number", 0))
            for path in self._listing(ENGAGEMENT_DIR, _JSON)
            for doc in self._db(f"{ENGAGEMENT_DIR}/{path.name}").table(table).all()
        }

    def import_engagement(
        self, engagement: Engagement, records: Sequence[Record], *, counters: Mapping[str, int]
    ) -> None:
        """Write a handed-over engagement and its records as they are, and move the
        counters past `counters`. A record whose id (or number) is here already stops
        it, naming the record: nothing is written."""
        with self.transaction():
            # Counters first: their file is renamed first, so a crash between the
            # renames skips numbers, never hands one out twice.
            self._advance_counters(counters)
            self._insert(
                self._meta().table("engagements"), engagement, Query().id == engagement.id, None
            )
            for record in records:
                table, found, doc_id = self._home(record)
                self._insert(table, record, found, doc_id)

    def _advance_counters(self, counters: Mapping[str, int]) -> None:
        table = self._meta().table("counters")
        current = self.counters()
        wanted = {name: max(current[name], int(counters.get(name, 0))) for name in COUNTERS}
        if table.contains(doc_id=1):
            table.update(wanted, doc_ids=[1])
        else:
            table.insert(Document(wanted, doc_id=1))

    def _home(self, record: Record) -> tuple[Table, Any, int | None]:
        """Where a record lives: its table, the query that finds it, its doc id."""
        by_id = Query().id == getattr(record, "id", None)
        if isinstance(record, Issue):
            bucket = f"{ISSUES_DIR}/{record.number // ISSUE_BUCKET:04d}.json"
            return self._db(bucket).table("issues"), None, record.number
        if isinstance(record, Runbook):
            return self._db(engagement_file_name(record.engagement)).table("runbook"), None, 1
        table = _ENGAGEMENT_TABLES.get(type(record))
        if table is not None:
            engagement = getattr(record, "engagement", "")
            return self._db(engagement_file_name(engagement)).table(table), by_id, None
        if isinstance(record, Trainee):
            return self._db(ROSTER_FILE).table("roster"), by_id, None
        if isinstance(record, TrainingSession):
            return self._db(f"{TRAINING_DIR}/{record.day.year}.json").table("sessions"), by_id, None
        if isinstance(record, PlanItem):
            journal = self._db(f"{JOURNAL_DIR}/{month_key(record.day)}.json")
            return journal.table("plan"), by_id, None
        if isinstance(record, DayNote):
            journal = self._db(f"{JOURNAL_DIR}/{month_key(record.day)}.json")
            same_day = (Query().day == record.day.isoformat()) & (
                Query().engagement == record.engagement
            )
            return journal.table("days"), same_day, None
        raise TypeError(f"no place for a {type(record).__name__} record")

    def _insert(self, table: Table, record: Record, found: Any, doc_id: int | None) -> None:
        exists = table.contains(doc_id=doc_id) if doc_id is not None else table.contains(found)
        if exists:
            raise StoreError(
                t(
                    "a {kind} with the id {id} is in this data dir already; nothing was changed",
                    kind=type(record).__name__,
                    id=str(doc_id if doc_id is not None else getattr(record, "id", "")),
                )
            )
        doc = encode(record)
        doc["rev"] = 1
        if doc_id is not None:
            table.insert(Document(doc, doc_id=doc_id))
        else:
            table.insert(doc)


# --- end of issue 21 part 4 additions ---
