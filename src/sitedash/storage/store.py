"""The store facade: all persistent state of one data dir, joined from its areas.

Screens and the CLI go through services that call this; nothing else touches files or
TinyDB. Settings, engagements and the reminders' memory live in `sitedash.json`.
"""

from __future__ import annotations

from typing import Any

from tinydb import Query
from tinydb.table import Document

from sitedash.i18n import t
from sitedash.models import Engagement, Settings
from sitedash.storage.engagement import EngagementStore
from sitedash.storage.handover import HandoverStore  # added for issue 21 part 4
from sitedash.storage.journal import JournalStore
from sitedash.storage.runbook import RunbookStore  # added for issue 21 part 2
from sitedash.storage.signoff import SignOffStore
from sitedash.storage.training import TrainingStore
from sitedash.storage.uat import UatStore


class Store(
    JournalStore,
    TrainingStore,
    SignOffStore,
    UatStore,
    EngagementStore,
    RunbookStore,
    HandoverStore,
):
    """All persistent state of one data dir (see `StoreCore` for opening it)."""

    # -- settings --------------------------------------------------------------------

    def settings(self) -> Settings:
        doc = self._meta().table("settings").get(doc_id=1)
        return self._record(Settings, doc) if doc else Settings()

    def save_settings(self, settings: Settings) -> None:
        with self.transaction():
            self._put(
                self._meta().table("settings"),
                settings,
                key="settings",
                label=t("Settings"),
                doc_id=1,
            )

    # -- engagements -------------------------------------------------------------

    def engagements(self) -> list[Engagement]:
        docs = self._meta().table("engagements").all()
        return sorted((self._record(Engagement, d) for d in docs), key=lambda e: e.id)

    def engagement(self, engagement_id: str) -> Engagement | None:
        doc = self._meta().table("engagements").get(Query().id == engagement_id)
        return self._record(Engagement, doc) if doc else None

    def save_engagement(self, engagement: Engagement) -> None:
        with self.transaction():
            self._put(
                self._meta().table("engagements"),
                engagement,
                key=f"engagement:{engagement.id}",
                label=engagement.id,
                condition=Query().id == engagement.id,
            )

    # -- the reminders' memory -------------------------------------------------------

    def reminder_state(self) -> dict[str, Any]:
        doc = self._meta().table("reminders").get(doc_id=1)
        return dict(doc) if doc else {}

    def save_reminder_state(self, state: dict[str, Any]) -> None:
        """Last write wins: this is the app's memory, not something the engineer typed."""
        with self.transaction():
            self._meta().table("reminders").upsert(Document(state, doc_id=1))
