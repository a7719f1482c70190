"""The go-live runbook, in each engagement's own file: its frame (window, rollback
criteria), the cutover and rollback steps, and the watch roster (a few dozen records)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from tinydb import Query

from sitedash.i18n import t
from sitedash.models import Runbook, RunbookStep, StepPhase, Watch
from sitedash.storage.core import StoreCore, quoted
from sitedash.storage.signoff import engagement_file_name

# --- added for issue 21 part 2 (the go-live runbook) ---

LATEST = datetime.max
PHASES = tuple(StepPhase)


class RunbookStore(StoreCore):
    """The runbook of each engagement."""

    def _runbook_table(self, engagement: str, table: str) -> Any:
        return self._db(engagement_file_name(engagement)).table(table)

    def runbook(self, engagement: str) -> Runbook:
        doc = self._runbook_table(engagement, "runbook").get(doc_id=1)
        return self._record(Runbook, doc) if doc else Runbook(engagement)

    def save_runbook(self, runbook: Runbook) -> None:
        with self.transaction():
            self._put(
                self._runbook_table(runbook.engagement, "runbook"),
                runbook,
                key=f"runbook:{runbook.engagement}",
                label=t("the runbook"),
                doc_id=1,
            )

    def runbook_steps(self, engagement: str) -> list[RunbookStep]:
        """Cutover steps, then rollback steps; each by planned start (unplanned last),
        then position."""
        docs = self._runbook_table(engagement, "steps").all()
        return sorted(
            (self._record(RunbookStep, d) for d in docs),
            key=lambda s: (PHASES.index(s.phase), s.start or LATEST, s.position),
        )

    def save_runbook_steps(self, steps: Iterable[RunbookStep]) -> None:
        with self.transaction():
            for step in steps:
                self._put(
                    self._runbook_table(step.engagement, "steps"),
                    step,
                    key=f"step:{step.id}",
                    label=quoted(step.title),
                    condition=Query().id == step.id,
                )

    def delete_runbook_step(self, step: RunbookStep) -> None:
        with self.transaction():
            self._remove(
                self._runbook_table(step.engagement, "steps"),
                step,
                label=quoted(step.title),
                condition=Query().id == step.id,
            )

    def watches(self, engagement: str) -> list[Watch]:
        """The watch roster by start (unplanned last), then who."""
        docs = self._runbook_table(engagement, "watches").all()
        return sorted(
            (self._record(Watch, d) for d in docs),
            key=lambda w: (w.start or LATEST, w.who.casefold()),
        )

    def save_watch(self, watch: Watch) -> None:
        with self.transaction():
            self._put(
                self._runbook_table(watch.engagement, "watches"),
                watch,
                key=f"watch:{watch.id}",
                label=quoted(watch.who),
                condition=Query().id == watch.id,
            )

    def delete_watch(self, watch: Watch) -> None:
        with self.transaction():
            self._remove(
                self._runbook_table(watch.engagement, "watches"),
                watch,
                label=quoted(watch.who),
                condition=Query().id == watch.id,
            )
