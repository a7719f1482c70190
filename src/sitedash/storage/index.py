"""Summaries of the data files, so that the Today screen, the board and the reports skip
the history they do not need (issue 23: five years of data).

* journal (one entry per month file): per engagement, the ids of the plan items still
  open (todo, doing) and the ids later items carried over (`carried_from`). The
  carry-over scan then reads only the months that still hold an item to offer.
* issues (one entry per file of 250): per engagement, how many issues are settled
  (confirmed, nothing changed since) and the last moment one of them changed; and the
  documents of every other issue. A report of a period reads a bucket only when one of
  its settled issues changed within the period; the board's open columns read no bucket.
* training (one entry per year file): per engagement, the tally of its sessions
  (`models.tally`), which is what the coverage matrix and the roster need.
* feedback (the month files again, in a file of its own): the customer's feedback
  documents, a few hundred lines in years, which Sign-off lists in full.
* confirmed (the issue files again, in a file of its own): number, severity and module
  of every confirmed issue, so that showing the board's Confirmed column reads only the
  files of the cards drawn.

The index is derived data, never a second source of truth: each entry carries the
signature (inode, mtime, size) of the data file it summarises, the same signature the
read cache trusts, and an entry whose file changed, appeared or went away is computed
again from the file itself (read, validated, as every read is). A missing, damaged or
older index is rebuilt the same way. Writers refresh the entries of the files they
wrote, under the data dir's lock, after their data is in place; a dashboard refreshes
what it had to compute when the lock is free; read-only commands (status, exports)
compute what does not match in memory and write nothing. The files live in `index/`,
which backups, restore and the store's change detection leave alone.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Generic, TypeVar

import msgspec
from msgspec import Meta, Struct, field

from sitedash.errors import StoreError
from sitedash.i18n import t
from sitedash.models import Feedback, Issue
from sitedash.models.codec import JSONLimitError, dump_json, load_json
from sitedash.models.tally import Tally, tally_sessions
from sitedash.storage.files import DIR_MODE, FILE_MODE, TEMP_SUFFIX, Signature
from sitedash.storage.layout import (
    BUCKET_FILE,
    INDEX_DIR,
    ISSUES_DIR,
    JOURNAL_DIR,
    MONTH_FILE,
    TRAINING_DIR,
    YEAR_FILE,
)

if TYPE_CHECKING:
    import re

    from sitedash.storage.core import StoreCore

INDEX_VERSION = 1
"""Bumped when what an entry holds changes: an index of another version is rebuilt."""

Whole = Annotated[int, Meta(ge=0, le=10**15)]
FileSignature = Annotated[str, Meta(max_length=80)]
"""The inode, mtime (ns) and size of the data file an entry summarises, as text
(`ino:mtime:size`: an mtime in nanoseconds has more digits than a data file's number
may have)."""


def signature_of(stat: os.stat_result) -> FileSignature:
    return signed((stat.st_ino, stat.st_mtime_ns, stat.st_size))


def signed(triple: tuple[int, int, int]) -> FileSignature:
    return "{}:{}:{}".format(*triple)


# -- what an entry holds ------------------------------------------------------------


class OpenPlan(Struct, omit_defaults=True):
    """One engagement's plan items in one month file."""

    open: list[str] = field(default_factory=list)
    """Ids of the items still to do or being done."""
    carried: list[str] = field(default_factory=list)
    """Ids of earlier items that items of this month continue (`carried_from`)."""


class MonthEntry(Struct):
    sig: FileSignature
    plan: dict[str, OpenPlan] = field(default_factory=dict)


class Settled(Struct):
    """One engagement's settled issues in one issue file."""

    count: Whole = 0
    until: float = 0.0
    """The last moment (POSIX seconds) one of them was created or changed."""


class BucketEntry(Struct):
    sig: FileSignature
    settled: dict[str, Settled] = field(default_factory=dict)
    active: dict[str, Any] = field(default_factory=dict)
    """Every issue that is not settled, as its stored document (by number)."""


class _BucketFile(BucketEntry):
    """A bucket entry as the index file holds it: its documents validated as issues."""

    active: dict[str, Issue] = field(default_factory=dict)


class YearEntry(Struct):
    sig: FileSignature
    tallies: dict[str, Tally] = field(default_factory=dict)
    """Engagement -> the tally of its sessions in this year's file."""


ConfirmedRow = tuple[Whole, str, str]
"""(number, severity, module) of a confirmed issue: what the board's Confirmed column
filters and sorts by before it builds a card."""


class ConfirmedEntry(Struct):
    sig: FileSignature
    rows: dict[str, list[ConfirmedRow]] = field(default_factory=dict)
    """Engagement -> its confirmed issues in this file."""


class FeedbackEntry(Struct):
    sig: FileSignature
    docs: dict[str, list[Any]] = field(default_factory=dict)
    """Engagement -> its customer feedback documents in this month file."""


class _FeedbackFile(FeedbackEntry):
    """A feedback entry as the index file holds it: its documents validated."""

    docs: dict[str, list[Feedback]] = field(default_factory=dict)


Entry = TypeVar("Entry", MonthEntry, BucketEntry, YearEntry, ConfirmedEntry, FeedbackEntry)


class JournalIndex(Struct):
    version: Whole = 0
    files: dict[str, MonthEntry] = field(default_factory=dict)


class IssueIndex(Struct):
    version: Whole = 0
    files: dict[str, _BucketFile] = field(default_factory=dict)


class TrainingIndex(Struct):
    version: Whole = 0
    files: dict[str, YearEntry] = field(default_factory=dict)


class ConfirmedIndex(Struct):
    version: Whole = 0
    files: dict[str, ConfirmedEntry] = field(default_factory=dict)


class FeedbackIndex(Struct):
    version: Whole = 0
    files: dict[str, _FeedbackFile] = field(default_factory=dict)


# -- summarising one data file ------------------------------------------------------


def month_entry(data: Mapping[str, Any], sig: FileSignature) -> MonthEntry:
    """The summary of a journal month file (its validated data)."""
    plan: dict[str, OpenPlan] = {}
    for doc in data.get("plan", {}).values():
        status = doc.get("status", "todo")
        carried = doc.get("carried_from")
        if status not in ("todo", "doing") and not carried:
            continue
        summary = plan.setdefault(doc["engagement"], OpenPlan())
        if status in ("todo", "doing"):
            summary.open.append(doc.get("id", ""))
        if carried:
            summary.carried.append(carried)
    return MonthEntry(sig, plan)


def settled_at(doc: Mapping[str, Any]) -> float | None:
    """When a confirmed issue last changed (POSIX seconds, 0 at the earliest), or
    None when it is not settled: not confirmed, a history that does not end there, or a
    time that does not read. From that moment on, every report sees it as confirmed."""
    if doc.get("status", "new") != "confirmed":
        return None
    history = doc.get("history") or []
    if history and history[-1].get("to") != "confirmed":
        return None
    stamps = [doc.get("created"), doc.get("updated"), doc.get("escalated_at")]
    stamps += [change.get("at") for change in history]
    confirmation = doc.get("confirmation")
    if confirmation:
        stamps.append(confirmation.get("at"))
    latest = 0.0
    for stamp in stamps:
        if stamp is None:
            continue
        try:
            latest = max(latest, datetime.fromisoformat(stamp).timestamp())
        except (TypeError, ValueError, OverflowError):
            return None  # a form this check does not read: treat it as active
    return latest


def bucket_entry(data: Mapping[str, Any], sig: FileSignature) -> BucketEntry:
    """The summary of an issue file (its validated data)."""
    entry = BucketEntry(sig)
    for doc in data.get("issues", {}).values():
        moment = settled_at(doc)
        if moment is None:
            # A copy: TinyDB updates the documents of its cache in place.
            entry.active[str(doc.get("number", 0))] = dict(doc)
            continue
        settled = entry.settled.setdefault(doc["engagement"], Settled())
        settled.count += 1
        settled.until = max(settled.until, moment)
    return entry


def confirmed_entry(data: Mapping[str, Any], sig: FileSignature) -> ConfirmedEntry:
    """The confirmed issues of an issue file (its validated data), in file order."""
    entry = ConfirmedEntry(sig)
    for doc in data.get("issues", {}).values():
        if doc.get("status", "new") == "confirmed":
            row = (doc.get("number", 0), doc.get("severity", "P3"), doc.get("module", ""))
            entry.rows.setdefault(doc["engagement"], []).append(row)
    return entry


def feedback_entry(data: Mapping[str, Any], sig: FileSignature) -> FeedbackEntry:
    """The customer feedback of a journal month file (its validated data)."""
    entry = FeedbackEntry(sig)
    for doc in data.get("feedback", {}).values():
        entry.docs.setdefault(doc["engagement"], []).append(dict(doc))
    return entry


def year_entry(data: Mapping[str, Any], sig: FileSignature) -> YearEntry:
    """The summary of a training year file (its validated data)."""
    by_engagement: dict[str, list[Mapping[str, Any]]] = {}
    for doc in data.get("sessions", {}).values():
        by_engagement.setdefault(doc["engagement"], []).append(doc)
    return YearEntry(sig, {e: tally_sessions(docs) for e, docs in by_engagement.items()})


# -- one area's index file ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Area(Generic[Entry]):
    name: str
    folder: str
    pattern: re.Pattern[str]
    schema: type
    """The index file's type (validated on read)."""
    entry: type[Entry]
    summarize: Callable[[Mapping[str, Any], FileSignature], Entry]


JOURNAL: Area[MonthEntry] = Area(
    "journal", JOURNAL_DIR, MONTH_FILE, JournalIndex, MonthEntry, month_entry
)
ISSUES: Area[BucketEntry] = Area(
    "issues", ISSUES_DIR, BUCKET_FILE, IssueIndex, BucketEntry, bucket_entry
)
TRAINING: Area[YearEntry] = Area(
    "training", TRAINING_DIR, YEAR_FILE, TrainingIndex, YearEntry, year_entry
)
FEEDBACK: Area[FeedbackEntry] = Area(
    "feedback", JOURNAL_DIR, MONTH_FILE, FeedbackIndex, FeedbackEntry, feedback_entry
)
CONFIRMED: Area[ConfirmedEntry] = Area(
    "confirmed", ISSUES_DIR, BUCKET_FILE, ConfirmedIndex, ConfirmedEntry, confirmed_entry
)


class AreaIndex(Generic[Entry]):
    """The entries of one area, checked against its files on every use."""

    def __init__(self, store: StoreCore, area: Area[Entry]) -> None:
        self.store: StoreCore = store
        self.area: Area[Entry] = area
        self.path = store.data_dir / INDEX_DIR / f"{area.name}.json"
        self._loaded: dict[str, Entry] = {}
        self._loaded_sig: Signature | None = None
        self._lock = threading.Lock()
        self.computed = 0
        """Entries computed from their data files (tests and benchmarks read this)."""

    # -- reading ----------------------------------------------------------------

    def _stored(self) -> dict[str, Entry]:
        """The entries of the index file, re-read when it changed; {} when it is
        missing, damaged, of another version or not an index at all."""
        try:
            with open(self.path, "rb") as handle:
                sig = Signature.of(os.fstat(handle.fileno()))
                if sig == self._loaded_sig:
                    return self._loaded
                raw = handle.read()
        except OSError:
            self._loaded, self._loaded_sig = {}, None
            return {}
        entries: dict[str, Entry] = {}
        try:
            doc = load_json(raw, self.area.schema)
        except (msgspec.DecodeError, JSONLimitError, UnicodeDecodeError, RecursionError):
            doc = None
        if isinstance(doc, dict) and doc.get("version") == INDEX_VERSION:
            files = doc.get("files", {})
            entries = {name: self._entry(value) for name, value in files.items()}
        self._loaded, self._loaded_sig = entries, sig
        return entries

    def _names(self, folder: Path) -> set[str]:
        """The area's data files now (names; what `StoreCore._listing` finds)."""
        try:
            with os.scandir(folder) as found:
                return {e.name for e in found if self.area.pattern.match(e.name)}
        except FileNotFoundError:
            return set()
        except OSError as error:
            raise StoreError(
                t("cannot open {path}: {reason}", path=str(folder), reason=error.strerror)
            ) from None

    def _entry(self, value: Mapping[str, Any]) -> Entry:
        """An entry from its document (validated with the file); issue documents stay
        plain mappings, as the store reads them everywhere else."""
        converted: Entry = msgspec.convert(value, self.area.entry)
        return converted

    def entries(self, *, wait: bool = False) -> dict[str, Entry]:
        """The entry of every data file of the area (by file name, in name order), each
        matching the file as it is now (or as this thread's open transaction left it).
        Entries it had to compute are written back when the lock is free (`wait`: wait
        for it), unless the store is read-only."""
        store = self.store
        folder = store.data_dir / self.area.folder
        pending = {p.name for p in store._pending_paths() if p.parent == folder}
        names = self._names(folder) | {n for n in pending if self.area.pattern.match(n)}
        with self._lock:
            stored = self._stored()
        result: dict[str, Entry] = {}
        computed: dict[str, Entry] = {}
        prefix = f"{folder}{os.sep}"
        for name in sorted(names):
            entry = stored.get(name)
            if name not in pending and entry is not None:
                try:
                    if signature_of(os.stat(prefix + name)) == entry.sig:
                        result[name] = entry
                        continue
                except FileNotFoundError:
                    continue  # removed since the listing
            data, sig = store._storage(f"{self.area.folder}/{name}").read_signed()
            if data is None:
                continue
            entry = self.area.summarize(data, signed(sig))
            self.computed += 1
            result[name] = entry
            if name not in pending:
                computed[name] = entry
        gone = stored.keys() - names
        if (computed or gone) and not store.read_only:
            self.refresh(computed, wait=wait)
        return result

    # -- writing ----------------------------------------------------------------

    def refresh(self, fresh: Mapping[str, Entry], *, wait: bool) -> None:
        """Write `fresh` entries into the index file, under the data dir's lock (`wait`:
        it is held already, or worth waiting for), dropping entries of files gone or
        changed since. Failures are ignored: the next reader computes what is missing."""
        with (
            contextlib.suppress(OSError, StoreError, msgspec.MsgspecError, ValueError),
            self.store._lock.held(wait=wait) as held,
        ):
            if not held:
                return
            with self._lock:
                current = dict(self._stored())
            current.update(fresh)
            kept: dict[str, Entry] = {}
            folder = self.store.data_dir / self.area.folder
            for name, entry in sorted(current.items()):
                try:
                    sig = signature_of(os.stat(folder / name))
                except FileNotFoundError:
                    continue
                if sig == entry.sig:
                    kept[name] = entry
            self._write(kept)

    def _write(self, entries: Mapping[str, Entry]) -> None:
        payload = dump_json({"version": INDEX_VERSION, "files": entries})
        write_cache_file(self.path, payload)
        with self._lock:
            self._loaded_sig = None  # re-read (and validated) on next use

    def written(self, paths: Iterable[Path]) -> None:
        """After a transaction wrote `paths` (the lock held): their entries, from what
        was written."""
        fresh: dict[str, Entry] = {}
        folder = self.store.data_dir / self.area.folder
        with contextlib.suppress(OSError, StoreError, msgspec.MsgspecError, ValueError):
            for path in paths:
                if path.parent != folder or not self.area.pattern.match(path.name):
                    continue
                data, sig = self.store._storage(f"{self.area.folder}/{path.name}").read_signed()
                if data is not None:
                    fresh[path.name] = self.area.summarize(data, signed(sig))
            if fresh:
                self.refresh(fresh, wait=True)


def write_cache_file(path: Path, payload: bytes) -> None:
    """Write a file of derived data: whole or not at all (a rename), but not synced to
    disk, since a lost or torn one is rebuilt from the data files."""
    path.parent.mkdir(mode=DIR_MODE, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}{TEMP_SUFFIX}")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
