"""One small file per engagement: the acceptance checklist, sign-offs, change requests
and the retrospective (a few dozen records over an engagement's life)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from tinydb import Query, TinyDB

from sitedash.i18n import t
from sitedash.models import AcceptanceItem, ChangeRequest, Retro, SignOff, encode
from sitedash.storage.core import EPOCH, quoted
from sitedash.storage.issues import IssueStore
from sitedash.storage.layout import ENGAGEMENT_DIR


def engagement_file_name(engagement: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", engagement) or "_"
    return f"{ENGAGEMENT_DIR}/{safe}.json"


class SignOffStore(IssueStore):
    """Acceptance records of each engagement (change requests share the id counters)."""

    def _engagement_file(self, engagement: str) -> TinyDB:
        return self._db(engagement_file_name(engagement))

    def acceptance_items(self, engagement: str) -> list[AcceptanceItem]:
        docs = self._engagement_file(engagement).table("acceptance").all()
        return sorted(
            (self._record(AcceptanceItem, d) for d in docs), key=lambda i: (i.position, i.name)
        )

    def save_acceptance_items(self, items: Iterable[AcceptanceItem]) -> None:
        now = self.clock()
        with self.transaction():
            for item in items:
                item.updated = now
                self._put(
                    self._engagement_file(item.engagement).table("acceptance"),
                    item,
                    key=f"deliverable:{item.id}",
                    label=quoted(item.name),
                    condition=Query().id == item.id,
                )

    def delete_acceptance_item(self, item: AcceptanceItem) -> None:
        with self.transaction():
            self._remove(
                self._engagement_file(item.engagement).table("acceptance"),
                item,
                label=quoted(item.name),
                condition=Query().id == item.id,
            )

    def signoffs(self, engagement: str) -> list[SignOff]:
        docs = self._engagement_file(engagement).table("signoffs").all()
        # Stable sort: records made in the same instant keep the order they were made in.
        return sorted((self._record(SignOff, d) for d in docs), key=lambda r: r.recorded or EPOCH)

    def add_signoff(self, record: SignOff) -> None:
        """Append a record; there is no update or delete (corrections supersede)."""
        record.recorded = self.clock()
        with self.transaction():
            self._engagement_file(record.engagement).table("signoffs").insert(encode(record))

    def change_requests(self, engagement: str) -> list[ChangeRequest]:
        docs = self._engagement_file(engagement).table("changes").all()
        return sorted((self._record(ChangeRequest, d) for d in docs), key=lambda c: c.number)

    def save_change_request(self, change: ChangeRequest) -> None:
        """Insert (numbering it CR-n, never reused) or update."""
        with self.transaction():
            if not change.number:
                change.number = self._reserve_numbers("change")[0]
            self._put(
                self._engagement_file(change.engagement).table("changes"),
                change,
                key=f"change:{change.id}",
                label=change.key,
                condition=Query().id == change.id,
            )

    def retro(self, engagement: str) -> Retro:
        doc = self._engagement_file(engagement).table("retro").get(doc_id=1)
        return self._record(Retro, doc) if doc else Retro(engagement)

    def save_retro(self, retro: Retro) -> None:
        with self.transaction():
            self._put(
                self._engagement_file(retro.engagement).table("retro"),
                retro,
                key=f"retro:{retro.engagement}",
                label=t("the retrospective"),
                doc_id=1,
            )
