"""UAT test cases, in their engagement's file beside the acceptance checklist (a few
dozen to a few hundred cases per engagement), numbered UAT-n by the shared counters."""

from __future__ import annotations

from collections.abc import Iterable

from tinydb import Query

from sitedash.models import UatCase
from sitedash.storage.issues import IssueStore
from sitedash.storage.signoff import engagement_file_name


class UatStore(IssueStore):
    """The UAT cases of each engagement."""

    def uat_cases(self, engagement: str) -> list[UatCase]:
        """The cases of one engagement, in their list order (then by number)."""
        docs = self._db(engagement_file_name(engagement)).table("uat").all()
        return sorted(
            (self._record(UatCase, d) for d in docs), key=lambda c: (c.position, c.number)
        )

    def save_uat_cases(self, cases: Iterable[UatCase]) -> None:
        """Insert (numbering new ones UAT-n, never reused) or update, in one write."""
        now = self.clock()
        with self.transaction():
            for case in cases:
                if not case.number:
                    case.number = self._reserve_numbers("uat")[0]
                case.updated = now
                self._put(
                    self._db(engagement_file_name(case.engagement)).table("uat"),
                    case,
                    key=f"uat:{case.id}",
                    label=case.key,
                    condition=Query().id == case.id,
                )

    def delete_uat_case(self, case: UatCase) -> None:
        with self.transaction():
            self._remove(
                self._db(engagement_file_name(case.engagement)).table("uat"),
                case,
                label=case.key,
                condition=Query().id == case.id,
            )
