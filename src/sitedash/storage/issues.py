"""Issues, 250 per file (ISS-n is document n of file n // 250), and the id counters."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any

from tinydb import TinyDB
from tinydb.table import Document

from sitedash.models import Issue, IssueStatus, encode
from sitedash.models.codec import remember_base
from sitedash.storage.core import StoreCore
from sitedash.storage.index import settled_at
from sitedash.storage.layout import BUCKET_FILE, ISSUE_BUCKET, ISSUES_DIR


class IssueStore(StoreCore):
    """The customer's problems, and the counters that number issues and change requests."""

    def _issue_file(self, number: int) -> TinyDB:
        return self._db(f"{ISSUES_DIR}/{number // ISSUE_BUCKET:04d}.json")

    def _issue_buckets(self) -> list[str]:
        return [p.name for p in self._listing(ISSUES_DIR, BUCKET_FILE)]

    def _reserve_numbers(self, counter: str, count: int = 1) -> range:
        """The next `count` numbers of a counter (ISS-n, CR-n). A number is never handed
        out twice, also after its record is deleted: the counter only grows."""
        counters = self._meta().table("counters")
        doc = counters.get(doc_id=1)
        last = int(doc.get(counter, 0)) if doc else 0
        if doc is None:
            counters.insert(Document({counter: last + count}, doc_id=1))
        else:
            counters.update({counter: last + count}, doc_ids=[1])
        return range(last + 1, last + count + 1)

    def add_issues(self, issues: list[Issue]) -> None:
        """Store new issues, numbering them; one write per bucket file touched."""
        now = self.clock()
        with self.transaction():
            numbers = iter(self._reserve_numbers("issue", len(issues)))
            by_bucket: dict[int, list[tuple[Issue, Document]]] = {}
            for issue in issues:
                issue.number = next(numbers)
                issue.created = issue.created or now
                issue.updated = issue.updated or now
                issue.rev = 1
                document = Document(encode(issue), doc_id=issue.number)
                by_bucket.setdefault(issue.number // ISSUE_BUCKET, []).append((issue, document))
            for added in by_bucket.values():
                documents = [document for _, document in added]
                self._issue_file(documents[0].doc_id).table("issues").insert_multiple(documents)
                for issue, document in added:
                    remember_base(issue, document, self.data_dir)

    def save_issue(self, issue: Issue) -> None:
        issue.updated = self.clock()
        with self.transaction():
            self._put(
                self._issue_file(issue.number).table("issues"),
                issue,
                key=f"issue:{issue.number}",
                label=issue.key,
                doc_id=issue.number,
            )

    def issue(self, number: int) -> Issue | None:
        doc = self._issue_file(number).table("issues").get(doc_id=number)
        return self._record(Issue, doc) if doc else None

    def issue_record(self, doc: Mapping[str, Any]) -> Issue:
        """An issue from one of `issue_docs`' documents (the board builds what it shows)."""
        return self._record(Issue, doc)

    def delete_issue(self, number: int) -> None:
        with self.transaction():
            self._issue_file(number).table("issues").remove(doc_ids=[number])

    def issue_docs(
        self, engagement: str | None = None, statuses: Iterable[IssueStatus] | None = None
    ) -> list[Mapping[str, Any]]:
        """Stored issue documents (read-only, validated), for callers that filter or
        count before building records: the board shows 400 of maybe thousands.

        Without Confirmed among `statuses`, the documents come from the issue index
        (`storage.index`), which holds every issue not confirmed: no issue file is read.
        """
        wanted = {s.value for s in statuses} if statuses is not None else None
        if wanted is not None and IssueStatus.CONFIRMED.value not in wanted:
            return [
                doc
                for entry in self._issue_index.entries().values()
                for doc in entry.active.values()
                if (engagement is None or doc["engagement"] == engagement)
                and doc.get("status", "new") in wanted
            ]
        return [
            doc
            for bucket in self._issue_buckets()
            for doc in self._db(f"{ISSUES_DIR}/{bucket}").table("issues").all()
            if (engagement is None or doc["engagement"] == engagement)
            and (wanted is None or doc.get("status", "new") in wanted)
        ]

    # --- added for issue 23: the Confirmed column without reading every issue ---
    def confirmed_rows(self, engagement: str | None = None) -> list[tuple[int, str, str]]:
        """(number, severity, module) of every confirmed issue, by file and then file
        order, from the index: no issue file is read unless it changed."""
        return [
            row
            for entry in self._confirmed_index.entries().values()
            for name, rows in entry.rows.items()
            if engagement is None or name == engagement
            for row in rows
        ]

    def issue_doc(self, number: int) -> Mapping[str, Any] | None:
        """The stored document of issue `number` (read-only, validated)."""
        doc: Mapping[str, Any] | None = self._issue_file(number).table("issues").get(doc_id=number)
        return doc

    # --- added for issue 23: reports that do not grow with history ---
    def issues_since(self, engagement: str, since: datetime) -> tuple[list[Issue], int]:
        """The issues of `engagement` a report of a period from `since` on needs, by
        number, and how many others it has: issues confirmed before `since` and not
        changed since, which such a report only counts (as confirmed).

        The issue index tells which files hold no issue settled at or after `since`:
        for those, the index's own documents of the unsettled issues are enough.
        """
        cutoff = since.timestamp()
        docs: list[Mapping[str, Any]] = []
        settled = 0
        for name, entry in self._issue_index.entries().items():
            counted = entry.settled.get(engagement)
            if counted is None or counted.until < cutoff:
                docs += [d for d in entry.active.values() if d["engagement"] == engagement]
                settled += counted.count if counted is not None else 0
                continue
            for doc in self._db(f"{ISSUES_DIR}/{name}").table("issues").all():
                if doc["engagement"] != engagement:
                    continue
                moment = settled_at(doc)
                if moment is not None and moment < cutoff:
                    settled += 1
                else:
                    docs.append(doc)
        records = (self._record(Issue, doc) for doc in docs)
        return sorted(records, key=lambda i: i.number), settled

    def read_issue_files_ahead(self) -> Iterator[None]:
        """Read what the board's first load needs, one step at a time, for idle moments:
        the issue index (the open columns' documents) and the confirmed index (the
        Confirmed column's rows). The issue files themselves are read only when a card
        of theirs is drawn, so they are not kept in memory (issue 23)."""
        self._issue_index.entries()
        yield
        self._confirmed_index.entries()
        yield

    def issues(
        self, engagement: str | None = None, statuses: Iterable[IssueStatus] | None = None
    ) -> list[Issue]:
        """Issues by number, optionally of one engagement and some statuses only."""
        docs = self.issue_docs(engagement, statuses)
        return sorted((self._record(Issue, doc) for doc in docs), key=lambda i: i.number)
