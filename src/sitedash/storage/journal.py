"""The day journal, one file per month: plan items, day notes, work sessions, sleep and
customer feedback."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from tinydb import Query, TinyDB

from sitedash.models import DayHealth, DayNote, Feedback, PlanItem, WorkSession, encode
from sitedash.models.codec import remember_base
from sitedash.storage.core import EPOCH, StoreCore, quoted
from sitedash.storage.layout import JOURNAL_DIR, MONTH_FILE


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def months_between(start: date, end: date) -> list[str]:
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


class JournalStore(StoreCore):
    """Plan items, day notes, sessions, health and feedback, by month."""

    def _journal(self, month: str) -> TinyDB:
        return self._db(f"{JOURNAL_DIR}/{month}.json")

    def _journal_months(self) -> list[str]:
        return [p.stem for p in self._listing(JOURNAL_DIR, MONTH_FILE)]

    def _existing_months(self, start: date, end: date) -> list[str]:
        return [
            month
            for month in months_between(start, end)
            if self._exists(self.data_dir / JOURNAL_DIR / f"{month}.json")
        ]

    # -- plan items ---------------------------------------------------------------

    def plan_items(self, day: date, engagement: str | None = None) -> list[PlanItem]:
        """The items of one day, in their order."""
        return self.plan_items_between(day, day, engagement)

    def plan_items_between(
        self, start: date, end: date, engagement: str | None = None
    ) -> list[PlanItem]:
        """Items dated start..end (inclusive), by day and position."""
        return self._plan_items(self._existing_months(start, end), start, end, engagement)

    def all_plan_items(self, engagement: str | None = None) -> list[PlanItem]:
        """Every item of every day (for carry-over and long-range reports)."""
        return self._plan_items(self._journal_months(), date.min, date.max, engagement)

    def unfinished_plan_items(
        self, engagement: str, before: date
    ) -> tuple[list[PlanItem], set[str]]:
        """Unfinished items dated before `before` that no later item continues yet, and
        the ids that later items continue.

        The journal index (`storage.index`) says which months still hold an open item
        nobody continued: only those are read, so five years of history cost what a few
        months do. Raw (validated) documents are filtered before records are built.
        """
        limit = before.isoformat()
        entries = self._journal_index.entries()
        continued: set[str] = set()
        for entry in entries.values():
            summary = entry.plan.get(engagement)
            if summary is not None:
                continued.update(summary.carried)
        unfinished: list[PlanItem] = []
        for name, entry in entries.items():
            summary = entry.plan.get(engagement)
            if summary is None or name[:7] > limit[:7]:
                continue  # nothing open, or every day of the month is after `before`
            if all(item in continued for item in summary.open):
                continue
            for doc in self._journal(name[:7]).table("plan").all():
                if (
                    doc["engagement"] == engagement
                    and doc["day"] < limit
                    and doc.get("status", "todo") in ("todo", "doing")
                    and doc.get("id") not in continued
                ):
                    unfinished.append(self._record(PlanItem, doc))
        unfinished.sort(key=lambda i: (i.day, i.position))
        return unfinished, continued

    def _plan_items(
        self, months: Iterable[str], start: date, end: date, engagement: str | None
    ) -> list[PlanItem]:
        first, last = start.isoformat(), end.isoformat()
        items = [
            self._record(PlanItem, doc)
            for month in months
            for doc in self._journal(month).table("plan").all()
            if first <= doc["day"] <= last
            and (engagement is None or doc["engagement"] == engagement)
        ]
        return sorted(items, key=lambda i: (i.day, i.position, i.created or EPOCH))

    def add_plan_items(self, items: Iterable[PlanItem]) -> None:
        """Insert items, one write per month file touched, all under one lock."""
        now = self.clock()
        by_month: dict[str, list[PlanItem]] = {}
        for item in items:
            item.created = item.created or now
            item.updated = now
            item.rev = 1
            by_month.setdefault(month_key(item.day), []).append(item)
        if not by_month:
            return
        with self.transaction():
            for month, added in by_month.items():
                docs = [encode(item) for item in added]
                self._journal(month).table("plan").insert_multiple(docs)
                for item, doc in zip(added, docs, strict=True):
                    remember_base(item, doc, self.data_dir)

    def update_plan_items(self, items: Iterable[PlanItem]) -> None:
        """Save changed items (found by id in their day's month file)."""
        now = self.clock()
        with self.transaction():
            for item in items:
                item.updated = now
                self._put(
                    self._journal(month_key(item.day)).table("plan"),
                    item,
                    key=f"plan:{item.id}",
                    label=quoted(item.title),
                    condition=Query().id == item.id,
                )

    def move_plan_item(self, item: PlanItem, old_day: date) -> None:
        """Save an item whose date changed: it moves between month files atomically
        enough that it is never missing (insert first, then remove)."""
        if month_key(old_day) == month_key(item.day):
            self.update_plan_items([item])
            return
        with self.transaction():
            item.updated = self.clock()
            self._put(
                self._journal(month_key(item.day)).table("plan"),
                item,
                key=f"plan:{item.id}",
                label=quoted(item.title),
                condition=Query().id == item.id,
                moved_from=self._journal(month_key(old_day)).table("plan"),
            )

    def delete_plan_item(self, item: PlanItem) -> None:
        with self.transaction():
            self._remove(
                self._journal(month_key(item.day)).table("plan"),
                item,
                label=quoted(item.title),
                condition=Query().id == item.id,
            )

    # -- day notes ------------------------------------------------------------------

    def day_note(self, day: date, engagement: str) -> DayNote:
        query = (Query().day == day.isoformat()) & (Query().engagement == engagement)
        doc = self._journal(month_key(day)).table("days").get(query)
        return self._record(DayNote, doc) if doc else DayNote(day=day, engagement=engagement)

    def day_notes_between(self, start: date, end: date, engagement: str) -> list[DayNote]:
        first, last = start.isoformat(), end.isoformat()
        notes = [
            self._record(DayNote, doc)
            for month in self._existing_months(start, end)
            for doc in self._journal(month).table("days").all()
            if first <= doc["day"] <= last and doc["engagement"] == engagement
        ]
        return sorted(notes, key=lambda n: n.day)

    def save_day_note(self, note: DayNote) -> None:
        note.updated = self.clock()
        query = (Query().day == note.day.isoformat()) & (Query().engagement == note.engagement)
        with self.transaction():
            self._put(
                self._journal(month_key(note.day)).table("days"),
                note,
                key=f"day:{note.engagement}:{note.day.isoformat()}",
                label=note.day.isoformat(),
                condition=query,
            )

    def add_day_notes(self, notes: Iterable[DayNote]) -> None:
        """Bulk insert for generated data (demo, benchmarks); no de-duplication."""
        by_month: dict[str, list[dict[str, Any]]] = {}
        for note in notes:
            by_month.setdefault(month_key(note.day), []).append(encode(note))
        with self.transaction():
            for month, docs in by_month.items():
                self._journal(month).table("days").insert_multiple(docs)

    # -- the work clock and health ------------------------------------------------

    def sessions_between(
        self, start: date, end: date, engagement: str | None = None
    ) -> list[WorkSession]:
        """Work, break and walk sessions of work days start..end, by start time; only
        those clocked for `engagement` when it is given (a report's hours)."""
        first, last = start.isoformat(), end.isoformat()
        sessions = [
            self._record(WorkSession, doc)
            for month in self._existing_months(start, end)
            for doc in self._journal(month).table("sessions").all()
            if first <= doc["day"] <= last
            and (engagement is None or doc.get("engagement", "") == engagement)
        ]
        return sorted(sessions, key=lambda s: s.start)

    def save_session(self, session: WorkSession, old_day: date | None = None) -> None:
        """Save a session; one whose work day was `old_day` in another month moves to
        its new month's file, checked against its document in the old one."""
        with self.transaction():
            old_table = None
            if old_day is not None and month_key(old_day) != month_key(session.day):
                old_table = self._journal(month_key(old_day)).table("sessions")
            self._put(
                self._journal(month_key(session.day)).table("sessions"),
                session,
                key=f"session:{session.id}",
                label=_session_label(session),
                condition=Query().id == session.id,
                moved_from=old_table,
            )

    def delete_session(self, session: WorkSession) -> None:
        """Remove a work, break or walk session from the month file of its day."""
        with self.transaction():
            self._remove(
                self._journal(month_key(session.day)).table("sessions"),
                session,
                label=_session_label(session),
                condition=Query().id == session.id,
            )

    def find_session(self, session_id: str) -> WorkSession | None:
        """The session with this exact id, searching the newest months first (an id
        from `clock log` is usually recent)."""
        for month in sorted(self._journal_months(), reverse=True):
            doc = self._journal(month).table("sessions").get(Query().id == session_id)
            if doc is not None:
                return self._record(WorkSession, doc)
        return None

    def add_sessions(self, sessions: Iterable[WorkSession]) -> None:
        """Bulk insert for generated data (demo, benchmarks)."""
        by_month: dict[str, list[dict[str, Any]]] = {}
        for session in sessions:
            by_month.setdefault(month_key(session.day), []).append(encode(session))
        with self.transaction():
            for month, docs in by_month.items():
                self._journal(month).table("sessions").insert_multiple(docs)

    def health(self, day: date) -> DayHealth:
        doc = self._journal(month_key(day)).table("health").get(Query().day == day.isoformat())
        return self._record(DayHealth, doc) if doc else DayHealth(day)

    def health_between(self, start: date, end: date) -> list[DayHealth]:
        first, last = start.isoformat(), end.isoformat()
        found = [
            self._record(DayHealth, doc)
            for month in self._existing_months(start, end)
            for doc in self._journal(month).table("health").all()
            if first <= doc["day"] <= last
        ]
        return sorted(found, key=lambda h: h.day)

    def save_health(self, health: DayHealth) -> None:
        with self.transaction():
            self._put(
                self._journal(month_key(health.day)).table("health"),
                health,
                key=f"health:{health.day.isoformat()}",
                label=health.day.isoformat(),
                condition=Query().day == health.day.isoformat(),
            )

    # -- customer feedback --------------------------------------------------------------

    def feedback_between(self, start: date, end: date, engagement: str) -> list[Feedback]:
        first, last = start.isoformat(), end.isoformat()
        found = [
            self._record(Feedback, doc)
            for month in self._existing_months(start, end)
            for doc in self._journal(month).table("feedback").all()
            if first <= doc["day"] <= last and doc["engagement"] == engagement
        ]
        return sorted(found, key=lambda f: f.day)

    def all_feedback(self, engagement: str) -> list[Feedback]:
        """Every feedback of the engagement, from the feedback index: the month files,
        years of plans, are not read for a few hundred lines (issue 23)."""
        found = [
            self._record(Feedback, doc)
            for entry in self._feedback_index.entries().values()
            for doc in entry.docs.get(engagement, ())
        ]
        return sorted(found, key=lambda f: f.day)

    def save_feedback(self, feedback: Feedback) -> None:
        with self.transaction():
            self._put(
                self._journal(month_key(feedback.day)).table("feedback"),
                feedback,
                key=f"feedback:{feedback.id}",
                label=quoted(feedback.text),
                condition=Query().id == feedback.id,
            )

    def delete_feedback(self, feedback: Feedback) -> None:
        with self.transaction():
            self._remove(
                self._journal(month_key(feedback.day)).table("feedback"),
                feedback,
                label=quoted(feedback.text),
                condition=Query().id == feedback.id,
            )


def _session_label(session: WorkSession) -> str:
    """How a message names a session: its start, as stored (UTC)."""
    return session.start.strftime("%Y-%m-%d %H:%M UTC")
