"""The Engagement screen's records, in each engagement's own file: contacts, the two
checklists, milestones and risks (a few dozen records per engagement); and the
migration that moved contacts and the checklist there out of `sitedash.json`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping
from datetime import date
from typing import Any, TypeVar

from tinydb import Query, TinyDB

from sitedash.models import (
    Check,
    CheckList,
    CheckState,
    Contact,
    Milestone,
    Record,
    Risk,
    encode,
)
from sitedash.storage.core import StoreCore, quoted
from sitedash.storage.signoff import engagement_file_name
from sitedash.textsafe import clean_line

RecordType = TypeVar("RecordType", bound=Record)
LATEST = date.max
LEGACY_FIELDS = ("contacts", "checklist")
"""What schema 1 kept inside each engagement of sitedash.json."""
MIGRATED_IN = 2
"""The schema that moved them into the engagement's file."""


class EngagementStore(StoreCore):
    """Who to call, what is ready, where the project stands, what could go wrong."""

    def _engagement_table(self, engagement: str, table: str) -> Any:
        db: TinyDB = self._db(engagement_file_name(engagement))
        return db.table(table)

    def _records(self, engagement: str, table: str, kind: type[RecordType]) -> list[RecordType]:
        return [self._record(kind, d) for d in self._engagement_table(engagement, table).all()]

    def _save(self, table: str, record: Any, key: str, label: str) -> None:
        self._put(
            self._engagement_table(record.engagement, table),
            record,
            key=f"{key}:{record.id}",
            label=label,
            condition=Query().id == record.id,
        )

    def _delete(self, table: str, record: Any, label: str) -> None:
        with self.transaction():
            self._remove(
                self._engagement_table(record.engagement, table),
                record,
                label=label,
                condition=Query().id == record.id,
            )

    # -- contacts ------------------------------------------------------------------

    def _not_migrated(self) -> bool:
        """A read-only command on schema 1 data (it never migrates): the contacts and
        checklist are still inside sitedash.json, and are read from there."""
        return self.read_only and (self.schema_version() or 0) < MIGRATED_IN

    def _legacy(self, engagement: str) -> tuple[list[Contact], list[Check]]:
        doc = self._meta().table("engagements").get(Query().id == engagement)
        return _legacy_records(engagement, doc) if doc is not None else ([], [])

    def contacts(self, engagement: str) -> list[Contact]:
        """In escalation order (those without a place last), then by name."""
        records = self._records(engagement, "contacts", Contact)
        if self._not_migrated():
            records += self._legacy(engagement)[0]
        return sorted(
            records, key=lambda c: (c.order == 0, c.order, c.name.casefold(), c.role.casefold())
        )

    def save_contact(self, contact: Contact) -> None:
        with self.transaction():
            self._save("contacts", contact, "contact", quoted(contact.name or contact.role))

    def delete_contact(self, contact: Contact) -> None:
        self._delete("contacts", contact, quoted(contact.name or contact.role))

    # -- checklists ----------------------------------------------------------------

    def checks(self, engagement: str) -> list[Check]:
        """The environment check first, then the deployment checklist, each in order."""
        lists = list(CheckList)
        records = self._records(engagement, "checks", Check)
        if self._not_migrated():
            records += self._legacy(engagement)[1]
        return sorted(
            records, key=lambda c: (lists.index(c.checklist), c.position, c.text.casefold())
        )

    def save_checks(self, checks: Iterable[Check]) -> None:
        with self.transaction():
            for check in checks:
                self._save("checks", check, "check", quoted(check.text))

    def delete_check(self, check: Check) -> None:
        self._delete("checks", check, quoted(check.text))

    # -- milestones ----------------------------------------------------------------

    def milestones(self, engagement: str) -> list[Milestone]:
        """By due date (undated last), then title."""
        return sorted(
            self._records(engagement, "milestones", Milestone),
            key=lambda m: (m.due or LATEST, m.title.casefold()),
        )

    def save_milestone(self, milestone: Milestone) -> None:
        with self.transaction():
            self._save("milestones", milestone, "milestone", quoted(milestone.title))

    def delete_milestone(self, milestone: Milestone) -> None:
        self._delete("milestones", milestone, quoted(milestone.title))

    # -- risks -----------------------------------------------------------------------

    def risks(self, engagement: str) -> list[Risk]:
        """Highest score first; then the nearest trigger date."""
        return sorted(
            self._records(engagement, "risks", Risk),
            key=lambda r: (-r.score, r.trigger or LATEST, r.description.casefold()),
        )

    def save_risk(self, risk: Risk) -> None:
        with self.transaction():
            self._save("risks", risk, "risk", quoted(risk.description))

    def delete_risk(self, risk: Risk) -> None:
        self._delete("risks", risk, quoted(risk.description))


def move_contacts_and_checklists(store: StoreCore) -> None:
    """Schema 1 -> 2: each engagement's `contacts` ({role, name, phone, email}) and
    `checklist` ({text, done}) become Contact and Check records of its own file.

    One transaction writes the new records and takes the old lists out of
    sitedash.json, so a crash leaves either everything moved or nothing; run again
    it finds nothing left to move. Entries that are not what schema 1 wrote (a
    hand-edited file) are skipped rather than stop the data dir from opening.
    """
    with store.transaction():
        engagements = store._meta().table("engagements")
        for doc in engagements.all():
            if not any(name in doc for name in LEGACY_FIELDS):
                continue
            engagement = str(doc.get("id", ""))
            if engagement:
                contacts, checks = _legacy_records(engagement, doc)
                target = store._db(engagement_file_name(engagement))
                target.table("contacts").insert_multiple(encode(c) for c in contacts)
                target.table("checks").insert_multiple(encode(c) for c in checks)
            engagements.update(_without_legacy_fields, doc_ids=[doc.doc_id])


def _legacy_records(engagement: str, doc: Mapping[str, Any]) -> tuple[list[Contact], list[Check]]:
    """The records schema 1's lists become: rows with nothing in them are left out."""
    contacts = [
        _legacy_contact(engagement, entry, order)
        for order, entry in enumerate(_legacy_entries(doc.get("contacts")), 1)
        if any(_text(entry, key) for key in ("role", "name", "phone", "email"))
    ]
    checks = [
        _legacy_check(engagement, entry, position)
        for position, entry in enumerate(_legacy_entries(doc.get("checklist")))
        if _text(entry, "text")
    ]
    return contacts, checks


def _without_legacy_fields(doc: MutableMapping[str, Any]) -> None:
    for name in LEGACY_FIELDS:
        doc.pop(name, None)


def _legacy_entries(value: object) -> list[dict[str, Any]]:
    return [entry for entry in value if isinstance(entry, dict)] if isinstance(value, list) else []


def _text(entry: dict[str, Any], key: str) -> str:
    value = entry.get(key)
    return clean_line(value) if isinstance(value, str) else ""


def _legacy_contact(engagement: str, entry: dict[str, Any], order: int) -> Contact:
    return Contact(
        name=_text(entry, "name"),
        engagement=engagement,
        role=_text(entry, "role"),
        phone=_text(entry, "phone"),
        email=_text(entry, "email"),
        order=order,
    )


def _legacy_check(engagement: str, entry: dict[str, Any], position: int) -> Check:
    return Check(
        text=_text(entry, "text"),
        engagement=engagement,
        checklist=CheckList.ENVIRONMENT,
        state=CheckState.OK if entry.get("done") is True else CheckState.OPEN,
        position=position,
    )
