"""The store's core: opening a data dir, the schema and migrations, transactions, the
daily backup, and saving records with a revision check. The record areas (journal,
issues, training, sign-off) build on it, one module each, and `Store` joins them.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import msgspec
from tinydb import TinyDB
from tinydb.table import Document, Table

from sitedash.errors import (
    CorruptFileError,
    EditConflict,
    NewerSchemaError,
    StoreError,
    StoreWriteError,
)
from sitedash.i18n import t
from sitedash.models.codec import (
    Record,
    base_of,
    decode,
    encode,
    from_stored,
    origin_of,
    remember_base,
)
from sitedash.storage import backups
from sitedash.storage.drafts import Drafts, conflict_draft
from sitedash.storage.files import (
    DIR_MODE,
    TEMP_SUFFIX,
    AtomicJSONStorage,
    Batch,
    DataLock,
)
from sitedash.storage.index import (  # added for issue 23
    CONFIRMED,
    FEEDBACK,
    ISSUES,
    JOURNAL,
    TRAINING,
    AreaIndex,
)
from sitedash.storage.layout import (
    BACKUP_DIR,
    DATA_SUBDIRS,
    DRAFTS_DIR,
    INDEX_DIR,
    LOCK_FILE,
    META_FILE,
    SCHEMA_VERSION,
    record_problem,
    schema_for,
)
from sitedash.storage.records import merge

Clock = Callable[[], datetime]
RecordType = TypeVar("RecordType", bound=Record)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MARKERS = (META_FILE, LOCK_FILE, BACKUP_DIR, DRAFTS_DIR, *DATA_SUBDIRS)
"""Entries that show a directory holds sitedash data."""


def utc_now() -> datetime:
    return datetime.now(UTC)


Migration = Callable[["StoreCore"], None]
MIGRATIONS: dict[int, Migration] = {}
"""Step `n` upgrades data of schema `n` to `n + 1`; run in order on open."""


def _migration_0_to_1(store: StoreCore) -> None:
    """Data written before the schema was versioned: same layout, stamp the version."""


def _migration_1_to_2(store: StoreCore) -> None:
    """Contacts and the pre-arrival checklist leave the engagement record for records
    of the engagement's own file (issue 20; see `storage.engagement`)."""
    # Imported here: storage.engagement builds on this module.
    from sitedash.storage.engagement import move_contacts_and_checklists

    move_contacts_and_checklists(store)


MIGRATIONS[0] = _migration_0_to_1
MIGRATIONS[1] = _migration_1_to_2


class StoreCore:
    """Opening, locking, transactions, backups and revision-checked saves.

    Args:
        data_dir: the directory to use; created 0700 when missing (an existing one keeps
            its mode).
        clock: returns the current time (aware); injected so tests can freeze it.
        read_only: never create or change a file (status, exports): a missing data dir
            reads as empty.
    """

    def __init__(self, data_dir: Path, *, clock: Clock = utc_now, read_only: bool = False) -> None:
        self.data_dir = Path(data_dir)
        self.clock = clock
        self.read_only = read_only
        self.drafts = Drafts(self.data_dir)
        self.notices: list[str] = []
        """One-line messages about a write that succeeded with a caveat (a skipped
        backup); callers show them and clear the list."""
        self._storages: dict[Path, AtomicJSONStorage] = {}
        self._lock = DataLock(self.data_dir / LOCK_FILE)
        self._batch: Batch | None = None
        self._conflicts: list[tuple[str, str, list[str], dict[str, Any]]] = []
        self._swept = False
        # --- added for issue 23: a bounded read cache, summaries that skip history ---
        self._cache_order: dict[AtomicJSONStorage, int] = {}
        """The storages that may hold parsed data, least recently used first, with the
        size of the file each was read from."""
        self._cache_total = 0
        self._cache_lock = threading.Lock()
        """Guards the order above and the creation of storages: the app reads in
        worker threads (exports) while its screens read on the event loop."""
        self._journal_index = AreaIndex(self, JOURNAL)
        self._issue_index = AreaIndex(self, ISSUES)
        self._training_index = AreaIndex(self, TRAINING)
        self._confirmed_index = AreaIndex(self, CONFIRMED)
        self._feedback_index = AreaIndex(self, FEEDBACK)
        self._indexes = (
            self._journal_index,
            self._issue_index,
            self._training_index,
            self._confirmed_index,
            self._feedback_index,
        )
        self._open()

    # -- opening, schema and migrations -------------------------------------------

    def _open(self) -> None:
        check_data_dir(self.data_dir, create=not self.read_only)
        version = self.schema_version()
        if version == SCHEMA_VERSION:
            return
        if version is not None and version > SCHEMA_VERSION:
            raise NewerSchemaError(
                t(
                    "{path} was written by a newer sitedash (schema {version}, this one "
                    "reads up to {known}); upgrade sitedash, the data was left untouched",
                    path=str(self.data_dir / META_FILE),
                    version=version,
                    known=SCHEMA_VERSION,
                )
            )
        if self.read_only:
            return  # an older or new data dir reads as it is; the next write migrates it
        with self._lock.held():
            version = self.schema_version()  # another process may have got here first
            if version is None and not self._has_data_files():
                self._set_schema_version(SCHEMA_VERSION)
                return
            version = version or 0
            if version < SCHEMA_VERSION:
                self._backup_or_notice(f"pre-migration-{version}")
                for step in range(version, SCHEMA_VERSION):
                    MIGRATIONS[step](self)
                    self._set_schema_version(step + 1)

    def schema_version(self) -> int | None:
        """The stored schema version, `None` for a new data dir, 0 for unversioned data."""
        if not (self.data_dir / META_FILE).exists():
            return None
        meta = self._meta().table("meta").get(doc_id=1)
        return int(meta.get("schema", 0)) if meta is not None else 0

    def _set_schema_version(self, version: int) -> None:
        table = self._meta().table("meta")
        if table.contains(doc_id=1):
            table.update({"schema": version}, doc_ids=[1])
        else:
            table.insert(Document({"schema": version}, doc_id=1))

    def _has_data_files(self) -> bool:
        return bool(backups.live_data_files(self.data_dir))

    def _remove_stray_temp_files(self) -> None:
        """Temp files and half-made backups of a writer that was killed; safe to remove
        while we hold the lock (writers make them only under it)."""
        folders = (
            self.data_dir,
            *(self.data_dir / d for d in (*DATA_SUBDIRS, INDEX_DIR)),
            self.backup_root,
        )
        for folder in folders:
            if folder.is_dir():
                for temp in folder.glob(f".*{TEMP_SUFFIX}"):
                    with contextlib.suppress(OSError):
                        temp.unlink()
        if self.backup_root.is_dir():
            for partial in self.backup_root.glob(".*.partial"):
                import shutil  # rarely needed: not imported by every write (issue 23)

                shutil.rmtree(partial, ignore_errors=True)
        self._swept = True

    # -- files -----------------------------------------------------------------------

    def _corrupt(self, path: Path, reason: str) -> CorruptFileError:
        """The error for a file that does not read, naming its newest good backup copy."""
        return CorruptFileError(path, reason, backups.newest_good_copy(self.data_dir, path))

    def _bad_record(
        self, path: Path, error: msgspec.ValidationError, raw: bytes
    ) -> CorruptFileError:
        relative = path.relative_to(self.data_dir)
        return self._corrupt(path, record_problem(schema_for(relative), error, raw))

    def _db(self, relative: str) -> TinyDB:
        """A fresh TinyDB over the cached storage of one file.

        Fresh on every call: TinyDB tables cache query results and the next document id,
        which would go stale when another process writes the file.
        """
        storage = self._storage(relative)
        return TinyDB(storage=lambda: storage)

    def _storage(self, relative: str) -> AtomicJSONStorage:
        """The cached storage of one file (added for issue 23: the index reads it)."""
        path = self.data_dir / relative
        storage = self._storages.get(path)
        if storage is None:
            with self._cache_lock:  # two threads must not make two storages of one file
                storage = self._storages.get(path)
                if storage is None:
                    storage = self._storages[path] = AtomicJSONStorage(
                        path,
                        schema_for(relative),
                        self._corrupt,
                        self._bad_record,
                        lambda: self._batch,
                        self._touched,
                    )
        return storage

    # --- added for issue 23: the read cache keeps the files in use, not every file ---
    CACHE_BYTES = 256 * 1024
    """Data files kept parsed, by their size on disk (parsed, about 4-5x that in memory).
    Enough for what the screens read on every reload (this month, sitedash.json, the
    engagement's file, a bucket or two of issues); a report over years of history or the
    board's cards from many issue files do not stay in memory after they are read.
    Half of the 512 KiB it was (issue 23): 0.8 MiB less after every screen on 730 days
    and 1.8 MiB less with 5,000 issues, for about 115 KB more parsed per reload (one or
    two milliseconds), measured in benchmarks/RESULTS.md (ninth round)."""

    def _touched(self, storage: AtomicJSONStorage, size: int) -> None:
        """A read was served from `storage` (or it was written): it is now the most
        recently used; the least recently used files beyond the budget forget their
        parsed data. Forgetting never loses anything: unwritten data of a transaction
        is kept apart from the cache (`AtomicJSONStorage.forget`), and a forgotten file
        is read again, and validated, when next asked for."""
        with self._cache_lock:
            used = self._cache_order
            self._cache_total += size - used.pop(storage, 0)
            used[storage] = size
            while self._cache_total > self.CACHE_BYTES and len(used) > 1:
                oldest = next(iter(used))
                self._cache_total -= used.pop(oldest)
                oldest.forget()

    def cached_bytes(self) -> int:
        """The on-disk size of the data files held parsed now (for tests and benchmarks)."""
        with self._cache_lock:
            return sum(size for storage, size in self._cache_order.items() if storage.cached)

    def _meta(self) -> TinyDB:
        return self._db(META_FILE)

    def _pending_paths(self) -> set[Path]:
        batch = self._batch
        if batch is None or batch.owner != threading.get_ident():
            return set()
        return {st.path for st in batch.storages}

    def _exists(self, path: Path) -> bool:
        return path.exists() or path in self._pending_paths()

    def _listing(self, sub: str, pattern: re.Pattern[str]) -> list[Path]:
        folder = self.data_dir / sub
        try:
            found = set(folder.iterdir()) if folder.is_dir() else set()
        except OSError as error:
            raise StoreError(
                t("cannot open {path}: {reason}", path=str(folder), reason=error.strerror)
            ) from None
        found |= {p for p in self._pending_paths() if p.parent == folder}
        return sorted(p for p in found if pattern.match(p.name))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the data dir's lock across several reads and writes, taking the day's
        backup before the first write of a day.

        The files written inside are written when the outermost transaction ends: all
        temp files first, then the renames. A full disk, a read-only file or an
        exception that leaves the outermost block changes no file. A crash between two
        renames can leave the first ones done (counters first, so an id is skipped,
        never reused); every file still reads. Inside, the owning thread reads what it
        wrote; other threads read the files as they are. Saves that clashed with another
        terminal's edit raise EditConflict once everything is written.
        """
        if self.read_only:
            raise StoreError(t("this command only reads the data"))
        with self._lock.held():
            if self._batch is not None:  # nested: the outer one writes
                yield
                return
            if not self._swept:
                self._remove_stray_temp_files()
            self._daily_backup()
            batch = self._batch = Batch()
            self._conflicts = []
            try:
                yield
                batch.commit()
            except BaseException:
                batch.discard()
                self._conflicts = []
                raise
            finally:
                self._batch = None
            written = [storage.path for storage in batch.storages]
            for index in self._indexes:
                index.written(written)  # never raises: the data is written
            conflicts, self._conflicts = self._conflicts, []
        if conflicts:
            self._keep_conflicts(conflicts)

    # --- added for issue 23 ---
    def refresh_index(self) -> None:
        """Bring the index of the data files (`storage.index`) up to date now, e.g. after
        copying a data dir (a copy has new inodes, so every entry is computed again)."""
        for index in self._indexes:
            index.entries(wait=True)

    def revision(self) -> tuple[tuple[int, int], ...]:
        """A cheap fingerprint that changes whenever any process writes the data.

        Every write replaces a file by rename, which updates its directory's mtime; the
        top file is stamped itself, not the data dir: drafts, backups, the index and
        exported reports come and go there without changing what any screen shows (the
        dashboard took each for another terminal's write and reloaded every screen).
        """
        stamps = []
        for path in (self.data_dir / META_FILE, *(self.data_dir / d for d in DATA_SUBDIRS)):
            try:
                stat = path.stat()
            except OSError:
                stamps.append((0, 0))
                continue
            stamps.append((stat.st_ino, stat.st_mtime_ns))
        return tuple(stamps)

    # -- records: decoding with a base, saving with a revision check -------------------

    def _record(self, record_type: type[RecordType], doc: Mapping[str, Any]) -> RecordType:
        """A record from a stored (already validated) document, remembering the document
        as the record's base for a later save."""
        return from_stored(record_type, doc, self.data_dir)

    def _put(
        self,
        table: Table,
        record: Record,
        *,
        key: str,
        label: str,
        condition: Any = None,
        doc_id: int | None = None,
        moved_from: Table | None = None,
    ) -> None:
        """Insert or update `record` (found by `condition` or `doc_id`), checking its
        revision: a record changed meanwhile by another terminal is merged field by
        field (see storage.records); clashing fields keep the stored value and this
        side's is kept as a draft.

        A record moving to `table` from `moved_from` (another month's or year's file) is
        checked against its document there, so a move does not revert another
        terminal's edit of it, and leaves `moved_from` in the same transaction."""
        mine = encode(record)
        stored = table.get(doc_id=doc_id) if doc_id is not None else table.get(condition)
        present = stored is not None
        if stored is None and moved_from is not None and condition is not None:
            stored = moved_from.get(condition)
        revision = getattr(record, "rev", 0)
        base = base_of(record)
        if (
            stored is None
            and base is not None
            and same_record(base, mine)
            and origin_of(record) in (None, self.data_dir)
        ):
            # Read here earlier and gone now: another terminal deleted it. Writing it
            # back would undo that delete without a word.
            raise StoreError(
                t(
                    "{label} was deleted in another terminal meanwhile; nothing was saved",
                    label=label,
                )
            )
        if stored is not None:
            current = int(stored.get("rev", 0))
            if changed_since_read(record, stored):
                mine, clashes = merge(type(record), base, stored, mine)
                if clashes:
                    self._conflicts.append((key, label, sorted(clashes), clashes))
            mine["rev"] = current + 1
        else:
            mine["rev"] = revision + 1
        # An update keeps keys this version does not know (written by a newer one).
        if doc_id is not None:
            if not present:
                table.insert(Document(mine, doc_id=doc_id))
            else:
                table.update(mine, doc_ids=[doc_id])
        elif not present:
            table.insert(mine)
        else:
            table.update(mine, condition)
        if moved_from is not None:
            moved_from.remove(condition)
        # The caller's record now is what was stored (merged fields included).
        saved = decode(type(record), mine)
        for name in record.__struct_fields__:
            setattr(record, name, getattr(saved, name))
        remember_base(record, mine, self.data_dir)

    def _remove(
        self,
        table: Table,
        record: Record,
        *,
        label: str,
        condition: Any = None,
        doc_id: int | None = None,
    ) -> None:
        """Remove `record` unless another terminal changed it since it was read: a
        delete must not throw away an edit it never saw. Already gone is done."""
        stored = table.get(doc_id=doc_id) if doc_id is not None else table.get(condition)
        if stored is None:
            return
        if changed_since_read(record, stored):
            raise StoreError(
                t(
                    "{label} was changed in another terminal since it was shown; "
                    "it was not deleted: look at it again",
                    label=label,
                )
            )
        if doc_id is not None:
            table.remove(doc_ids=[doc_id])
        else:
            table.remove(condition)

    def _keep_conflicts(self, conflicts: list[tuple[str, str, list[str], dict[str, Any]]]) -> None:
        messages = []
        now = self.clock()
        for key, label, fields, values in conflicts:
            try:
                self.drafts.put(conflict_draft(key, label, values, now))
                kept = t("yours is kept as a draft")
            except StoreWriteError as error:
                kept = t("yours could not be kept ({error})", error=str(error))
            messages.append(
                t(
                    "{label}: {fields} was changed in another terminal; {kept}",
                    label=label,
                    fields=", ".join(fields),
                    kept=kept,
                )
            )
        raise EditConflict(messages)

    # -- backups -----------------------------------------------------------------

    @property
    def backup_root(self) -> Path:
        return self.data_dir / BACKUP_DIR

    def backups(self) -> list[Path]:
        """Backup snapshots, oldest first."""
        return backups.snapshots(self.data_dir)

    def newest_backup(self) -> Path | None:
        taken = self.backups()
        return taken[-1] if taken else None

    def _daily_backup(self) -> None:
        today = self.clock().date().isoformat()
        if not (self.backup_root / today).exists() and self._has_data_files():
            self._backup_or_notice(None)

    def _backup_or_notice(self, label: str | None) -> None:
        """Take a backup; when the disk refuses, say so and go on: a write that fits must
        not be blocked by its backup (nothing half-made is left behind)."""
        try:
            self.backup(label)
        except OSError as error:
            self.notices.append(
                t(
                    "the daily backup was skipped: {reason} ({path})",
                    reason=error.strerror or str(error),
                    path=str(error.filename or self.backup_root),
                )
            )

    def backup(self, label: str | None = None) -> Path:
        """Snapshot every data file into `backups/<date>[-label]/` (see storage.backups)."""
        name = self.clock().date().isoformat() + (f"-{label}" if label else "")
        return backups.take_backup(self.data_dir, name)

    def take_notices(self) -> list[str]:
        notices, self.notices = self.notices, []
        return notices


def check_data_dir(data_dir: Path, *, create: bool) -> None:
    """Refuse a data dir that is not ours to use, in one line.

    sitedash makes a missing dir 0700 and leaves an existing one's mode alone (a shared
    team dir keeps its rights); a non-empty dir without sitedash data, `/` and the home
    directory are refused, so a mistyped `--data-dir` never scatters files.
    """
    try:
        resolved = data_dir.resolve()
        if resolved in (Path("/").resolve(), _home()):
            raise StoreError(
                t(
                    "{path} cannot be the data dir (it is / or your home directory); "
                    "choose a directory of its own, e.g. ~/.local/share/sitedash",
                    path=str(data_dir),
                )
            )
        if data_dir.exists() and not data_dir.is_dir():
            raise StoreError(t("data dir {path} is not a directory", path=str(data_dir)))
        if data_dir.is_dir():
            entries = {entry.name for entry in os.scandir(data_dir)}
            if entries and not entries & set(_MARKERS):
                raise StoreError(
                    t(
                        "{path} is not empty and holds no sitedash data; choose an empty "
                        "or new directory for --data-dir",
                        path=str(data_dir),
                    )
                )
        elif create:
            data_dir.mkdir(mode=DIR_MODE, parents=True)
            os.chmod(data_dir, DIR_MODE)  # the umask may not have narrowed it
    except (OSError, RuntimeError) as error:  # RuntimeError: a symlink loop
        reason = getattr(error, "strerror", None) or str(error)
        raise StoreError(
            t("cannot use data dir {path}: {reason}", path=str(data_dir), reason=reason)
        ) from None


def _home() -> Path | None:
    try:
        return Path.home().resolve()
    except (RuntimeError, KeyError, OSError):  # no $HOME and no passwd entry
        return None


def quoted(text: str) -> str:
    """A record's text as a message names it: `“Install client on line 3”`, 40 at most."""
    return f"“{text[:40]}”"


def changed_since_read(record: Record, stored: Mapping[str, Any]) -> bool:
    """Whether another terminal saved `record` after this one read it. A record built
    anew (never read: no base, revision 0) is a deliberate overwrite, as an import or a
    generator makes; one read earlier is checked."""
    revision = getattr(record, "rev", 0)
    return int(stored.get("rev", 0)) != revision and (base_of(record) is not None or revision > 0)


def same_record(base: Mapping[str, Any], doc: Mapping[str, Any]) -> bool:
    """Whether `doc` is the record `base` was read as, not a copy of it made under a new
    id or number (a template copied to another engagement, an item carried over)."""
    for field in ("id", "number"):
        if field in doc or field in base:
            return bool(base.get(field) == doc.get(field))
    return True
