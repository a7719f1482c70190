"""Training sessions, one file per year, and the roster of people to train."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from tinydb import Query, TinyDB

from sitedash.models import Trainee, TrainingSession, encode
from sitedash.models.tally import Tally
from sitedash.storage.core import EPOCH, StoreCore, quoted
from sitedash.storage.layout import ROSTER_FILE, TRAINING_DIR, YEAR_FILE


class TrainingStore(StoreCore):
    """Sessions with their attendees' assessments, and the roster."""

    def _training_years(self) -> list[str]:
        return [p.stem for p in self._listing(TRAINING_DIR, YEAR_FILE)]

    def _training(self, year: int | str) -> TinyDB:
        return self._db(f"{TRAINING_DIR}/{year}.json")

    def training_sessions(self, engagement: str | None = None) -> list[TrainingSession]:
        """Sessions, newest first (files by year: a write never rewrites all of them)."""
        sessions = [
            self._record(TrainingSession, doc)
            for year in self._training_years()
            for doc in self._training(year).table("sessions").all()
            if engagement is None or doc["engagement"] == engagement
        ]
        # Stable (also reversed): same-time sessions keep their order, so reports repeat.
        return sorted(
            sessions, key=lambda s: (s.day, s.start_time, s.created or EPOCH), reverse=True
        )

    # --- added for issue 23: a day's sessions read one year's file, not every year ---
    def training_sessions_between(
        self, start: date, end: date, engagement: str | None = None
    ) -> list[TrainingSession]:
        """Sessions dated start..end (inclusive), in `training_sessions`' order."""
        first, last = start.isoformat(), end.isoformat()
        sessions = [
            self._record(TrainingSession, doc)
            for year in self._training_years()
            if start.year <= int(year) <= end.year
            for doc in self._training(year).table("sessions").all()
            if (engagement is None or doc["engagement"] == engagement)
            and first <= doc["day"] <= last
        ]
        return sorted(
            sessions, key=lambda s: (s.day, s.start_time, s.created or EPOCH), reverse=True
        )

    def training_tally(self, engagement: str) -> Tally:
        """The tally of every session of `engagement` (coverage and roster), from the
        training index: no year's sessions are read unless its file changed."""
        tally = Tally()
        for entry in self._training_index.entries().values():
            counted = entry.tallies.get(engagement)
            if counted is not None:
                tally.add(counted)
        return tally

    def save_training_session(self, session: TrainingSession, old_day: date | None = None) -> None:
        """Insert or update; a session whose date moved to another year moves file."""
        now = self.clock()
        session.created = session.created or now
        session.updated = now
        with self.transaction():
            old_table = None
            if old_day is not None and old_day.year != session.day.year:
                old_table = self._training(old_day.year).table("sessions")
            self._put(
                self._training(session.day.year).table("sessions"),
                session,
                key=f"training:{session.id}",
                label=quoted(session.topic),
                condition=Query().id == session.id,
                moved_from=old_table,
            )

    def add_training_sessions(self, sessions: Iterable[TrainingSession]) -> None:
        now = self.clock()
        by_year: dict[int, list[dict[str, Any]]] = {}
        for session in sessions:
            session.created = session.created or now
            session.updated = session.updated or now
            by_year.setdefault(session.day.year, []).append(encode(session))
        with self.transaction():
            for year, docs in by_year.items():
                self._training(year).table("sessions").insert_multiple(docs)

    def delete_training_session(self, session: TrainingSession) -> None:
        with self.transaction():
            self._remove(
                self._training(session.day.year).table("sessions"),
                session,
                label=quoted(session.topic),
                condition=Query().id == session.id,
            )

    def roster(self, engagement: str) -> list[Trainee]:
        docs = self._db(ROSTER_FILE).table("roster").all()
        return sorted(
            (self._record(Trainee, d) for d in docs if d["engagement"] == engagement),
            key=lambda p: p.name.casefold(),
        )

    def save_trainee(self, trainee: Trainee) -> None:
        with self.transaction():
            self._put(
                self._db(ROSTER_FILE).table("roster"),
                trainee,
                key=f"trainee:{trainee.id}",
                label=trainee.name,
                condition=Query().id == trainee.id,
            )

    def delete_trainee(self, trainee: Trainee) -> None:
        with self.transaction():
            self._remove(
                self._db(ROSTER_FILE).table("roster"),
                trainee,
                label=trainee.name,
                condition=Query().id == trainee.id,
            )
