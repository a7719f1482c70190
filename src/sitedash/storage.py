"""The only module that imports TinyDB: atomic, locked, partitioned, backed-up storage.

Design (see FACTS.md for the measurements behind it):

* Every file is written whole to a temp file in the same directory, fsynced and moved
  into place with `os.replace`, then the directory is fsynced: a crash leaves the old or
  the new file, never a torn one.
* Every read-modify-write holds an exclusive `fcntl.flock` on `.lock` in the data dir,
  and re-reads any file another process replaced (files are cached by inode, mtime and
  size), so the dashboard and `sitedash add` never lose each other's writes.
* History is split into small files (the day journal by month) so that the cost of a
  write does not grow with years of data.
* Before the first write of each day the data files are copied into
  `backups/YYYY-MM-DD/`; files unchanged since the previous snapshot are hard-linked to
  it, so a daily backup costs only what changed.
* A file that does not parse is reported with the newest backup and never overwritten.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB
from tinydb.storages import Storage
from tinydb.table import Document

from sitedash.i18n import t
from sitedash.models import (
    AcceptanceItem,
    ChangeRequest,
    DayHealth,
    DayNote,
    Engagement,
    Feedback,
    Issue,
    IssueStatus,
    PlanItem,
    Retro,
    Settings,
    SignOff,
    Trainee,
    TrainingSession,
    WorkSession,
)

SCHEMA_VERSION = 1
"""Version of the data layout this sitedash writes; older data is migrated on open."""

META_FILE = "sitedash.json"
LOCK_FILE = ".lock"
BACKUP_DIR = "backups"
JOURNAL_DIR = "journal"
ISSUES_DIR = "issues"
TRAINING_DIR = "training"
ENGAGEMENT_DIR = "engagements"
"""One small file per engagement: acceptance checklist, sign-offs, change requests, retro."""
DATA_SUBDIRS = (JOURNAL_DIR, ISSUES_DIR, TRAINING_DIR, ENGAGEMENT_DIR)
ISSUE_BUCKET = 250
"""Issues per file (ISS-0..249 in 0000.json, ...): a write never rewrites thousands."""
KEEP_DAILY_BACKUPS = 7
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
DIR_MODE = 0o700
FILE_MODE = 0o600
_TEMP_SUFFIX = ".tmp"
_MONTH_FILE = re.compile(r"^\d{4}-\d{2}\.json$")
_BUCKET_FILE = re.compile(r"^\d{4}\.json$")
_YEAR_FILE = _BUCKET_FILE


class StoreError(Exception):
    """A data problem the user can act on; its message is one line, shown as is."""


class CorruptFileError(StoreError):
    """A data file exists but cannot be read as sitedash data."""

    def __init__(self, path: Path, reason: str, backup: Path | None) -> None:
        self.path, self.reason, self.backup = path, reason, backup
        hint = (
            t("`sitedash restore` puts back its newest good copy, {backup}", backup=str(backup))
            if backup
            else t(
                "no backup holds a good copy of it; `sitedash restore` moves it aside "
                "(kept) so that the rest of the data opens"
            )
        )
        super().__init__(
            t(
                "cannot read {path}: {reason}; it was left untouched; {hint}",
                path=str(path),
                reason=reason,
                hint=hint,
            )
        )


class NewerSchemaError(StoreError):
    """The data was written by a newer sitedash; this one must not touch it."""


class StoreWriteError(StoreError):
    """A write failed (read-only dir, disk full); the message says whether anything changed."""

    @classmethod
    def of(cls, path: Path, error: OSError, *, nothing_changed: bool = True) -> StoreWriteError:
        values = {"path": str(path), "reason": error.strerror or str(error)}
        if nothing_changed:
            return cls(t("cannot write {path}: {reason}; nothing was changed", **values))
        return cls(t("cannot write {path}: {reason}", **values))


Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_file_atomically(path: Path, data: bytes, mode: int = FILE_MODE) -> None:
    """Write `data` to `path` so that readers see the old or the new file, never a mix.

    The temp file is created in the same directory (so `os.replace` is atomic) with
    O_EXCL and the final mode, flushed and fsynced before the rename; the directory is
    fsynced after it so the rename itself survives a power cut.
    """
    temp = prepare_file(path, data, mode)
    try:
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _fsync_dir(path.parent)


def prepare_file(path: Path, data: bytes, mode: int = FILE_MODE) -> Path:
    """The first half of an atomic write: `data` in a synced temp file beside `path`,
    to be renamed over it. Everything that can fail for lack of space or permission
    fails here, before any file changed."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}{_TEMP_SUFFIX}")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(temp)  # left by a killed process that had our pid; we hold the lock
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)  # the umask may have narrowed it; never widened beyond mode
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return temp


class _Batch:
    """The files a transaction changed, in the order it first changed them: written all
    together when it ends (all temp files first, then the renames), or not at all."""

    def __init__(self) -> None:
        self.owner = threading.get_ident()
        self.storages: list[AtomicJSONStorage] = []

    def add(self, storage: AtomicJSONStorage) -> None:
        if storage not in self.storages:
            self.storages.append(storage)

    def commit(self) -> None:
        prepared: list[tuple[AtomicJSONStorage, Path]] = []
        try:
            for storage in self.storages:
                prepared.append((storage, storage.prepare()))
        except BaseException:
            for _, temp in prepared:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
            self.discard()
            raise
        # Renames: the first-changed file first (counters before the records that use
        # their numbers, so a crash in between skips a number and never reuses one),
        # each directory synced before the next rename, so a power cut keeps that order.
        for index, (storage, temp) in enumerate(prepared):
            try:
                storage.finish(temp)
                _fsync_dir(storage.path.parent)
            except OSError as error:
                for _, left in prepared[index:]:
                    with contextlib.suppress(OSError):
                        os.unlink(left)
                self.discard()
                raise StoreWriteError.of(storage.path, error, nothing_changed=index == 0) from None

    def discard(self) -> None:
        for storage in self.storages:
            storage.discard()


@dataclass(frozen=True, slots=True)
class _Signature:
    inode: int
    mtime_ns: int
    size: int

    @classmethod
    def of(cls, stat: os.stat_result) -> _Signature:
        return cls(stat.st_ino, stat.st_mtime_ns, stat.st_size)


class AtomicJSONStorage(Storage):
    """A TinyDB storage that writes atomically and caches reads until the file changes.

    The cache is write-through (never write-back: FACTS.md), and is dropped when a
    write fails, because TinyDB mutates the dict it read before asking us to write it.
    """

    def __init__(
        self,
        path: Path,
        on_corrupt: Callable[[Path, str], StoreError],
        batch: Callable[[], _Batch | None] = lambda: None,
    ) -> None:
        self.path = path
        self._on_corrupt = on_corrupt
        self._batch = batch
        self._cached: dict[str, Any] | None = None
        self._signature: _Signature | None = None
        self._pending: dict[str, Any] | None = None
        self._pending_owner: int | None = None

    def read(self) -> dict[str, Any] | None:
        if self._pending is not None and self._pending_owner == threading.get_ident():
            return self._pending  # written earlier in this thread's open transaction
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_NOFOLLOW)
        except FileNotFoundError:
            self._cached = self._signature = None
            return None
        except OSError as error:
            raise StoreError(
                t("cannot open {path}: {reason}", path=str(self.path), reason=error.strerror)
            ) from None
        with os.fdopen(fd, "rb") as handle:
            signature = _Signature.of(os.fstat(handle.fileno()))
            if self._cached is not None and signature == self._signature:
                return self._cached
            raw = handle.read()
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            reason = (
                t("the file is empty")
                if not raw.strip()
                else t("not valid JSON ({error})", error=str(error))
            )
            raise self._on_corrupt(self.path, reason) from None
        if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
            raise self._on_corrupt(self.path, t("not a sitedash data file"))
        self._cached, self._signature = data, signature
        return data

    def write(self, data: dict[str, Any]) -> None:
        batch = self._batch()
        if batch is not None and batch.owner == threading.get_ident():
            if data is self._cached:  # TinyDB mutated the shared cache: other threads re-read
                self._cached = self._signature = None
            self._pending, self._pending_owner = data, batch.owner
            batch.add(self)
            return
        self._pending = data
        temp = self.prepare()
        try:
            self.finish(temp)
            _fsync_dir(self.path.parent)
        except OSError as error:
            raise StoreWriteError.of(self.path, error) from None

    def prepare(self) -> Path:
        """Write the pending data to a temp file; nothing visible changes yet."""
        assert self._pending is not None
        payload = json.dumps(self._pending, ensure_ascii=False, separators=(",", ":"))
        try:
            self.path.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
            return prepare_file(self.path, payload.encode("utf-8"))
        except OSError as error:
            self.discard()
            raise StoreWriteError.of(self.path, error) from None
        except BaseException:
            self.discard()
            raise

    def finish(self, temp: Path) -> None:
        """Put the prepared temp file in place (the caller syncs the directory)."""
        try:
            os.replace(temp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            self.discard()
            raise
        self._signature = _Signature.of(os.stat(self.path))
        self._cached, self._pending, self._pending_owner = self._pending, None, None

    def discard(self) -> None:
        """Forget unwritten data and the cache (TinyDB mutated the dict it read)."""
        self._cached = self._signature = self._pending = self._pending_owner = None

    def close(self) -> None:
        self._cached = self._signature = None


class _DataLock:
    """An exclusive lock for the whole data dir: flock across processes, re-entrant here."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._fd: int | None = None

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        with self._thread_lock:
            if self._depth == 0:
                try:
                    fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, FILE_MODE)
                except OSError as error:
                    raise StoreWriteError(
                        t(
                            "cannot lock {path}: {reason}; nothing was changed",
                            path=str(self.path),
                            reason=error.strerror,
                        )
                    ) from None
                fcntl.flock(fd, fcntl.LOCK_EX)
                self._fd = fd
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and self._fd is not None:
                    fcntl.flock(self._fd, fcntl.LOCK_UN)
                    os.close(self._fd)
                    self._fd = None


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _months_between(start: date, end: date) -> list[str]:
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


Migration = Callable[["Store"], None]
MIGRATIONS: dict[int, Migration] = {}
"""Step `n` upgrades data of schema `n` to `n + 1`; run in order on open."""


def _migration_0_to_1(store: Store) -> None:
    """Data written before the schema was versioned: same layout, stamp the version."""


MIGRATIONS[0] = _migration_0_to_1


class Store:
    """All persistent state of one data dir. Screens and the CLI go through services
    that call this; nothing else touches files or TinyDB.

    Args:
        data_dir: the directory to use; created 0700 with its parents when missing.
        clock: returns the current time (aware); injected so tests can freeze it.
    """

    def __init__(self, data_dir: Path, *, clock: Clock = utc_now) -> None:
        self.data_dir = Path(data_dir)
        self.clock = clock
        self._storages: dict[Path, AtomicJSONStorage] = {}
        self._lock = _DataLock(self.data_dir / LOCK_FILE)
        self._batch: _Batch | None = None
        self._swept = False
        self._open()

    # -- opening, schema and migrations -------------------------------------------

    def _open(self) -> None:
        if self.data_dir.exists() and not self.data_dir.is_dir():
            raise StoreError(t("data dir {path} is not a directory", path=str(self.data_dir)))
        try:
            self.data_dir.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
            mode = self.data_dir.stat().st_mode & 0o777
            if mode & 0o077:  # private: take group and others away, never add rights
                os.chmod(self.data_dir, mode & 0o700)
        except OSError as error:
            raise StoreError(
                t(
                    "cannot use data dir {path}: {reason}",
                    path=str(self.data_dir),
                    reason=error.strerror,
                )
            ) from None
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
        with self._lock.held():
            version = self.schema_version()  # another process may have got here first
            if version is None and not self._has_data_files():
                self._set_schema_version(SCHEMA_VERSION)
                return
            version = version or 0
            if version < SCHEMA_VERSION:
                self.backup(label=f"pre-migration-{version}")
                for step in range(version, SCHEMA_VERSION):
                    MIGRATIONS[step](self)
                    self._set_schema_version(step + 1)

    def schema_version(self) -> int | None:
        """The stored schema version, `None` for a new data dir, 0 for unversioned data."""
        path = self.data_dir / META_FILE
        if not path.exists():
            return None
        meta = self._meta().table("meta").get(doc_id=1)
        if meta is None:
            return 0
        version = meta.get("schema", 0)
        if not isinstance(version, int) or isinstance(version, bool):
            raise self._corrupt(
                path, t("schema version {version!r} is not a number", version=version)
            )
        return version

    def _set_schema_version(self, version: int) -> None:
        table = self._meta().table("meta")
        if table.contains(doc_id=1):
            table.update({"schema": version}, doc_ids=[1])
        else:
            table.insert(Document({"schema": version}, doc_id=1))

    def _has_data_files(self) -> bool:
        return any(self._data_files())

    def _remove_stray_temp_files(self) -> None:
        """Temp files and half-made backups of a writer that was killed; safe to remove
        while we hold the lock (writers make them only under it)."""
        folders = (self.data_dir, *(self.data_dir / d for d in DATA_SUBDIRS), self.backup_root)
        for folder in folders:
            if folder.is_dir():
                for temp in folder.glob(f".*{_TEMP_SUFFIX}"):
                    with contextlib.suppress(OSError):
                        temp.unlink()
        if self.backup_root.is_dir():
            for partial in self.backup_root.glob(".*.partial"):
                shutil.rmtree(partial, ignore_errors=True)
        self._swept = True

    # -- files -----------------------------------------------------------------------

    def _corrupt(self, path: Path, reason: str) -> CorruptFileError:
        """The error for a file that does not read, naming its newest good backup copy."""
        relative = path.relative_to(self.data_dir)
        good = next(
            (
                copy
                for snapshot in reversed(self.backups())
                if (copy := snapshot / relative).is_file() and _parses(copy.read_bytes())
            ),
            None,
        )
        return CorruptFileError(path, reason, good)

    def _db(self, relative: str) -> TinyDB:
        """A fresh TinyDB over the cached storage of one file.

        Fresh on every call: TinyDB tables cache query results and the next document id,
        which would go stale when another process writes the file.
        """
        path = self.data_dir / relative
        storage = self._storages.get(path)
        if storage is None:
            storage = self._storages[path] = AtomicJSONStorage(
                path, self._corrupt, lambda: self._batch
            )
        return TinyDB(storage=lambda: storage)

    def _meta(self) -> TinyDB:
        return self._db(META_FILE)

    def _journal(self, month: str) -> TinyDB:
        return self._db(f"{JOURNAL_DIR}/{month}.json")

    def _pending_paths(self) -> set[Path]:
        batch = self._batch
        if batch is None or batch.owner != threading.get_ident():
            return set()
        return {st.path for st in batch.storages}

    def _exists(self, path: Path) -> bool:
        return path.exists() or path in self._pending_paths()

    def _listing(self, sub: str, pattern: re.Pattern[str]) -> list[Path]:
        folder = self.data_dir / sub
        found = set(folder.iterdir()) if folder.is_dir() else set()
        found |= {p for p in self._pending_paths() if p.parent == folder}
        return sorted(p for p in found if pattern.match(p.name))

    def _journal_months(self) -> list[str]:
        return [p.stem for p in self._listing(JOURNAL_DIR, _MONTH_FILE)]

    def _data_files(self) -> Iterator[Path]:
        yield from _live_data_files(self.data_dir)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the data dir's lock across several reads and writes, taking the day's
        backup before the first write of a day.

        The files written inside are written when the outermost transaction ends: all
        temp files first, then the renames. A full disk, a read-only file or an
        exception that leaves the outermost block changes no file. A crash between two
        renames can leave the first ones done (counters first, so an id is skipped,
        never reused); every file still reads. Inside, the owning thread reads what it
        wrote; other threads read the files as they are.
        """
        with self._lock.held():
            if self._batch is not None:  # nested: the outer one writes
                yield
                return
            if not self._swept:
                self._remove_stray_temp_files()
            self._daily_backup()
            batch = self._batch = _Batch()
            try:
                yield
                batch.commit()
            except BaseException:
                batch.discard()
                raise
            finally:
                self._batch = None

    def revision(self) -> tuple[tuple[int, int], ...]:
        """A cheap fingerprint that changes whenever any process writes the data.

        Every write replaces a file by rename, which updates its directory's mtime.
        """
        stamps = []
        for folder in (self.data_dir, *(self.data_dir / d for d in DATA_SUBDIRS)):
            try:
                stat = folder.stat()
            except FileNotFoundError:
                stamps.append((0, 0))
                continue
            stamps.append((stat.st_ino, stat.st_mtime_ns))
        return tuple(stamps)

    # -- backups -----------------------------------------------------------------

    @property
    def backup_root(self) -> Path:
        return self.data_dir / BACKUP_DIR

    def backups(self) -> list[Path]:
        """Backup snapshots, oldest first."""
        if not self.backup_root.is_dir():
            return []
        return sorted(
            p for p in self.backup_root.iterdir() if p.is_dir() and not p.name.startswith(".")
        )

    def newest_backup(self) -> Path | None:
        backups = self.backups()
        return backups[-1] if backups else None

    def _daily_backup(self) -> None:
        today = self.clock().date().isoformat()
        if not (self.backup_root / today).exists() and self._has_data_files():
            self.backup(label=None)

    def backup(self, label: str | None = None) -> Path:
        """Snapshot every data file into `backups/<date>[-label]/`.

        Files are copied, not linked to the live files: a tool that edits a data file
        in place must not be able to change its backup too. A file unchanged since the
        previous snapshot is hard-linked to that snapshot's copy (like rsync's
        --link-dest), so a daily backup costs only what changed. A file that no longer
        parses is not copied; the previous snapshot's good copy is kept instead.
        """
        name = self.clock().date().isoformat() + (f"-{label}" if label else "")
        target = self.backup_root / name
        partial = self.backup_root / f".{name}.partial"
        previous = self.newest_backup()
        self.backup_root.mkdir(mode=DIR_MODE, exist_ok=True)
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(mode=DIR_MODE)
        for source in self._data_files():
            relative = source.relative_to(self.data_dir)
            destination = partial / relative
            destination.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
            earlier = previous / relative if previous else None
            status = source.stat()
            if earlier is not None and earlier.exists() and _same_file_state(earlier, status):
                _link_or_copy(earlier, destination)
                continue
            data = source.read_bytes()
            if not _parses(data):
                if earlier is not None and earlier.exists():
                    _link_or_copy(earlier, destination)
                continue
            write_file_atomically(destination, data)
            os.utime(destination, ns=(status.st_atime_ns, status.st_mtime_ns))
        if target.exists():
            shutil.rmtree(target)
        os.replace(partial, target)
        self._prune_backups()
        return target

    def _prune_backups(self) -> None:
        """Keep the newest daily snapshots, and always the largest one ever taken, so
        that days of a shrunken or emptied dataset never push out the last good one."""
        snapshots = self.backups()
        if len(snapshots) <= KEEP_DAILY_BACKUPS:
            return
        largest = max(snapshots, key=_tree_size)
        for old in snapshots[:-KEEP_DAILY_BACKUPS]:
            if old != largest:
                shutil.rmtree(old, ignore_errors=True)

    # -- settings --------------------------------------------------------------------

    def settings(self) -> Settings:
        doc = self._meta().table("settings").get(doc_id=1)
        return Settings.from_doc(dict(doc)) if doc else Settings()

    def save_settings(self, settings: Settings) -> None:
        with self.transaction():
            table = self._meta().table("settings")
            if table.get(doc_id=1) is None:
                table.insert(settings.to_doc())
            else:
                table.update(settings.to_doc(), doc_ids=[1])

    # -- engagements -------------------------------------------------------------

    def engagements(self) -> list[Engagement]:
        docs = self._meta().table("engagements").all()
        return sorted((Engagement.from_doc(dict(d)) for d in docs), key=lambda e: e.id)

    def engagement(self, engagement_id: str) -> Engagement | None:
        doc = self._meta().table("engagements").get(Query().id == engagement_id)
        return Engagement.from_doc(dict(doc)) if doc else None

    def save_engagement(self, engagement: Engagement) -> None:
        with self.transaction():
            self._meta().table("engagements").upsert(
                engagement.to_doc(), Query().id == engagement.id
            )

    # -- the day journal: plan items and day notes ----------------------------------

    def plan_items(self, day: date, engagement: str | None = None) -> list[PlanItem]:
        """The items of one day, in their order."""
        return self.plan_items_between(day, day, engagement)

    def plan_items_between(
        self, start: date, end: date, engagement: str | None = None
    ) -> list[PlanItem]:
        """Items dated start..end (inclusive), by day and position."""
        return self._plan_items(_months_between(start, end), start, end, engagement)

    def all_plan_items(self, engagement: str | None = None) -> list[PlanItem]:
        """Every item of every day (for carry-over and long-range reports)."""
        return self._plan_items(self._journal_months(), date.min, date.max, engagement)

    def unfinished_plan_items(
        self, engagement: str, before: date
    ) -> tuple[list[PlanItem], set[str]]:
        """Unfinished items dated before `before`, and the ids that later items continue.

        Filters the raw documents before building records: on two years of history
        this is the difference between a few hundred objects and several thousand.
        """
        limit = before.isoformat()
        unfinished: list[PlanItem] = []
        continued: set[str] = set()
        for month in self._journal_months():
            for doc in self._journal(month).table("plan").all():
                if doc["engagement"] != engagement:
                    continue
                if doc.get("carried_from"):
                    continued.add(doc["carried_from"])
                if doc["day"] < limit and doc["status"] in ("todo", "doing"):
                    unfinished.append(PlanItem.from_doc(dict(doc)))
        unfinished.sort(key=lambda i: (i.day, i.position))
        return unfinished, continued

    def _plan_items(
        self, months: Iterable[str], start: date, end: date, engagement: str | None
    ) -> list[PlanItem]:
        first, last = start.isoformat(), end.isoformat()
        items = [
            PlanItem.from_doc(dict(doc))
            for month in months
            if self._exists(self.data_dir / JOURNAL_DIR / f"{month}.json")
            for doc in self._journal(month).table("plan").all()
            if first <= doc["day"] <= last
            and (engagement is None or doc["engagement"] == engagement)
        ]
        return sorted(items, key=lambda i: (i.day, i.position, i.created or _EPOCH))

    def add_plan_items(self, items: Iterable[PlanItem]) -> None:
        """Insert items, one write per month file touched, all under one lock."""
        now = self.clock()
        by_month: dict[str, list[dict[str, Any]]] = {}
        for item in items:
            item.created = item.created or now
            item.updated = now
            by_month.setdefault(month_key(item.day), []).append(item.to_doc())
        if not by_month:
            return
        with self.transaction():
            for month, docs in by_month.items():
                self._journal(month).table("plan").insert_multiple(docs)

    def update_plan_items(self, items: Iterable[PlanItem]) -> None:
        """Save changed items (found by id in their day's month file), one write per file."""
        now = self.clock()
        by_month: dict[str, dict[str, PlanItem]] = {}
        for item in items:
            item.updated = now
            by_month.setdefault(month_key(item.day), {})[item.id] = item
        with self.transaction():
            for month, changes in by_month.items():
                self._journal(month).table("plan").update(
                    partial(_replace_with, changes), Query().id.one_of(list(changes))
                )

    def move_plan_item(self, item: PlanItem, old_day: date) -> None:
        """Save an item whose date changed: it moves between month files atomically
        enough that it is never missing (insert first, then remove)."""
        if month_key(old_day) == month_key(item.day):
            self.update_plan_items([item])
            return
        with self.transaction():
            item.updated = self.clock()
            self._journal(month_key(item.day)).table("plan").insert(item.to_doc())
            self._journal(month_key(old_day)).table("plan").remove(Query().id == item.id)

    def delete_plan_item(self, item: PlanItem) -> None:
        with self.transaction():
            self._journal(month_key(item.day)).table("plan").remove(Query().id == item.id)

    def day_note(self, day: date, engagement: str) -> DayNote:
        query = (Query().day == day.isoformat()) & (Query().engagement == engagement)
        doc = self._journal(month_key(day)).table("days").get(query)
        return DayNote.from_doc(dict(doc)) if doc else DayNote(day=day, engagement=engagement)

    def day_notes_between(self, start: date, end: date, engagement: str) -> list[DayNote]:
        notes = []
        for month in _months_between(start, end):
            for doc in self._journal(month).table("days").all():
                day = date.fromisoformat(doc["day"])
                if start <= day <= end and doc["engagement"] == engagement:
                    notes.append(DayNote.from_doc(dict(doc)))
        return sorted(notes, key=lambda n: n.day)

    def save_day_note(self, note: DayNote) -> None:
        note.updated = self.clock()
        query = (Query().day == note.day.isoformat()) & (Query().engagement == note.engagement)
        with self.transaction():
            self._journal(month_key(note.day)).table("days").upsert(note.to_doc(), query)

    def add_day_notes(self, notes: Iterable[DayNote]) -> None:
        """Bulk insert for generated data (demo, benchmarks); no de-duplication."""
        by_month: dict[str, list[dict[str, Any]]] = {}
        for note in notes:
            by_month.setdefault(month_key(note.day), []).append(note.to_doc())
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
            WorkSession.from_doc(dict(doc))
            for month in _months_between(start, end)
            if self._exists(self.data_dir / JOURNAL_DIR / f"{month}.json")
            for doc in self._journal(month).table("sessions").all()
            if first <= doc["day"] <= last
            and (engagement is None or doc.get("engagement", "") == engagement)
        ]
        return sorted(sessions, key=lambda s: s.start)

    def save_session(self, session: WorkSession) -> None:
        with self.transaction():
            self._journal(month_key(session.day)).table("sessions").upsert(
                session.to_doc(), Query().id == session.id
            )

    # --- added for h3-hours (issue 18): removing and finding one work session ---

    def delete_session(self, session: WorkSession) -> None:
        """Remove a work, break or walk session from the month file of its day."""
        with self.transaction():
            self._journal(month_key(session.day)).table("sessions").remove(Query().id == session.id)

    def find_session(self, session_id: str) -> WorkSession | None:
        """The session with this exact id, searching the newest months first (an id
        from `clock log` is usually recent)."""
        for month in sorted(self._journal_months(), reverse=True):
            doc = self._journal(month).table("sessions").get(Query().id == session_id)
            if doc is not None:
                return WorkSession.from_doc(dict(doc))
        return None

    # --- end of h3-hours additions ---

    def add_sessions(self, sessions: Iterable[WorkSession]) -> None:
        """Bulk insert for generated data (demo, benchmarks)."""
        by_month: dict[str, list[dict[str, Any]]] = {}
        for session in sessions:
            by_month.setdefault(month_key(session.day), []).append(session.to_doc())
        with self.transaction():
            for month, docs in by_month.items():
                self._journal(month).table("sessions").insert_multiple(docs)

    def health(self, day: date) -> DayHealth:
        doc = self._journal(month_key(day)).table("health").get(Query().day == day.isoformat())
        return DayHealth.from_doc(dict(doc)) if doc else DayHealth(day)

    def health_between(self, start: date, end: date) -> list[DayHealth]:
        first, last = start.isoformat(), end.isoformat()
        found = [
            DayHealth.from_doc(dict(doc))
            for month in _months_between(start, end)
            if self._exists(self.data_dir / JOURNAL_DIR / f"{month}.json")
            for doc in self._journal(month).table("health").all()
            if first <= doc["day"] <= last
        ]
        return sorted(found, key=lambda h: h.day)

    def save_health(self, health: DayHealth) -> None:
        with self.transaction():
            self._journal(month_key(health.day)).table("health").upsert(
                health.to_doc(), Query().day == health.day.isoformat()
            )

    def reminder_state(self) -> dict[str, Any]:
        doc = self._meta().table("reminders").get(doc_id=1)
        return dict(doc) if doc else {}

    def save_reminder_state(self, state: dict[str, Any]) -> None:
        with self.transaction():
            self._meta().table("reminders").upsert(Document(state, doc_id=1))

    # -- training -----------------------------------------------------------------

    def _training_years(self) -> list[str]:
        return [p.stem for p in self._listing(TRAINING_DIR, _YEAR_FILE)]

    def _training(self, year: int | str) -> TinyDB:
        return self._db(f"{TRAINING_DIR}/{year}.json")

    def training_sessions(self, engagement: str | None = None) -> list[TrainingSession]:
        """Sessions, newest first (files by year: a write never rewrites all of them)."""
        sessions = [
            TrainingSession.from_doc(dict(doc))
            for year in self._training_years()
            for doc in self._training(year).table("sessions").all()
            if engagement is None or doc["engagement"] == engagement
        ]
        # Stable (also reversed): same-time sessions keep their order, so reports repeat.
        return sorted(
            sessions, key=lambda s: (s.day, s.start_time, s.created or _EPOCH), reverse=True
        )

    def save_training_session(self, session: TrainingSession, old_day: date | None = None) -> None:
        """Insert or update; a session whose date moved to another year moves file."""
        now = self.clock()
        session.created = session.created or now
        session.updated = now
        with self.transaction():
            self._training(session.day.year).table("sessions").upsert(
                session.to_doc(), Query().id == session.id
            )
            if old_day is not None and old_day.year != session.day.year:
                self._training(old_day.year).table("sessions").remove(Query().id == session.id)

    def add_training_sessions(self, sessions: Iterable[TrainingSession]) -> None:
        now = self.clock()
        by_year: dict[int, list[dict[str, Any]]] = {}
        for session in sessions:
            session.created = session.created or now
            session.updated = session.updated or now
            by_year.setdefault(session.day.year, []).append(session.to_doc())
        with self.transaction():
            for year, docs in by_year.items():
                self._training(year).table("sessions").insert_multiple(docs)

    def delete_training_session(self, session: TrainingSession) -> None:
        with self.transaction():
            self._training(session.day.year).table("sessions").remove(Query().id == session.id)

    def roster(self, engagement: str) -> list[Trainee]:
        docs = self._db(f"{TRAINING_DIR}/roster.json").table("roster").all()
        return sorted(
            (Trainee.from_doc(dict(d)) for d in docs if d["engagement"] == engagement),
            key=lambda p: p.name.casefold(),
        )

    def save_trainee(self, trainee: Trainee) -> None:
        with self.transaction():
            self._db(f"{TRAINING_DIR}/roster.json").table("roster").upsert(
                trainee.to_doc(), Query().id == trainee.id
            )

    def delete_trainee(self, trainee: Trainee) -> None:
        with self.transaction():
            self._db(f"{TRAINING_DIR}/roster.json").table("roster").remove(Query().id == trainee.id)

    # -- sign-off: acceptance checklist, signatures, change requests -----------------

    def _engagement_file(self, engagement: str) -> TinyDB:
        """One small file per engagement (a few dozen records over its life)."""
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", engagement) or "_"
        return self._db(f"{ENGAGEMENT_DIR}/{safe}.json")

    def acceptance_items(self, engagement: str) -> list[AcceptanceItem]:
        docs = self._engagement_file(engagement).table("acceptance").all()
        return sorted(
            (AcceptanceItem.from_doc(dict(d)) for d in docs), key=lambda i: (i.position, i.name)
        )

    def save_acceptance_items(self, items: Iterable[AcceptanceItem]) -> None:
        now = self.clock()
        with self.transaction():
            for item in items:
                item.updated = now
                self._engagement_file(item.engagement).table("acceptance").upsert(
                    item.to_doc(), Query().id == item.id
                )

    def delete_acceptance_item(self, item: AcceptanceItem) -> None:
        with self.transaction():
            self._engagement_file(item.engagement).table("acceptance").remove(Query().id == item.id)

    def signoffs(self, engagement: str) -> list[SignOff]:
        docs = self._engagement_file(engagement).table("signoffs").all()
        # Stable sort: records made in the same instant keep the order they were made in.
        return sorted((SignOff.from_doc(dict(d)) for d in docs), key=lambda r: r.recorded or _EPOCH)

    def add_signoff(self, record: SignOff) -> None:
        """Append a record; there is no update or delete (corrections supersede)."""
        record.recorded = self.clock()
        with self.transaction():
            self._engagement_file(record.engagement).table("signoffs").insert(record.to_doc())

    def change_requests(self, engagement: str) -> list[ChangeRequest]:
        docs = self._engagement_file(engagement).table("changes").all()
        return sorted((ChangeRequest.from_doc(dict(d)) for d in docs), key=lambda c: c.number)

    def save_change_request(self, change: ChangeRequest) -> None:
        """Insert (numbering it CR-n, never reused) or update."""
        with self.transaction():
            if not change.number:
                change.number = self._reserve_numbers("change")[0]
            self._engagement_file(change.engagement).table("changes").upsert(
                change.to_doc(), Query().id == change.id
            )

    # -- customer feedback and the retrospective --------------------------------------

    def feedback_between(self, start: date, end: date, engagement: str) -> list[Feedback]:
        first, last = start.isoformat(), end.isoformat()
        found = [
            Feedback.from_doc(dict(doc))
            for month in _months_between(start, end)
            if self._exists(self.data_dir / JOURNAL_DIR / f"{month}.json")
            for doc in self._journal(month).table("feedback").all()
            if first <= doc["day"] <= last and doc["engagement"] == engagement
        ]
        return sorted(found, key=lambda f: f.day)

    def all_feedback(self, engagement: str) -> list[Feedback]:
        found = [
            Feedback.from_doc(dict(doc))
            for month in self._journal_months()
            for doc in self._journal(month).table("feedback").all()
            if doc["engagement"] == engagement
        ]
        return sorted(found, key=lambda f: f.day)

    def save_feedback(self, feedback: Feedback) -> None:
        with self.transaction():
            self._journal(month_key(feedback.day)).table("feedback").upsert(
                feedback.to_doc(), Query().id == feedback.id
            )

    def delete_feedback(self, feedback: Feedback) -> None:
        with self.transaction():
            self._journal(month_key(feedback.day)).table("feedback").remove(
                Query().id == feedback.id
            )

    def retro(self, engagement: str) -> Retro:
        doc = self._engagement_file(engagement).table("retro").get(doc_id=1)
        return Retro.from_doc(dict(doc)) if doc else Retro(engagement)

    def save_retro(self, retro: Retro) -> None:
        with self.transaction():
            self._engagement_file(retro.engagement).table("retro").upsert(
                Document(retro.to_doc(), doc_id=1)
            )

    # -- issues ---------------------------------------------------------------------

    def _issue_file(self, number: int) -> TinyDB:
        return self._db(f"{ISSUES_DIR}/{number // ISSUE_BUCKET:04d}.json")

    def _issue_buckets(self) -> list[str]:
        return [p.name for p in self._listing(ISSUES_DIR, _BUCKET_FILE)]

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
            by_bucket: dict[int, list[Document]] = {}
            for issue in issues:
                issue.number = next(numbers)
                issue.created = issue.created or now
                issue.updated = issue.updated or now
                by_bucket.setdefault(issue.number // ISSUE_BUCKET, []).append(
                    Document(issue.to_doc(), doc_id=issue.number)
                )
            for documents in by_bucket.values():
                self._issue_file(documents[0].doc_id).table("issues").insert_multiple(documents)

    def save_issue(self, issue: Issue) -> None:
        issue.updated = self.clock()
        with self.transaction():
            self._issue_file(issue.number).table("issues").upsert(
                Document(issue.to_doc(), doc_id=issue.number)
            )

    def issue(self, number: int) -> Issue | None:
        doc = self._issue_file(number).table("issues").get(doc_id=number)
        return Issue.from_doc(dict(doc)) if doc else None

    def delete_issue(self, number: int) -> None:
        with self.transaction():
            self._issue_file(number).table("issues").remove(doc_ids=[number])

    def issue_docs(
        self, engagement: str | None = None, statuses: Iterable[IssueStatus] | None = None
    ) -> list[Mapping[str, Any]]:
        """Stored issue documents (read-only), for callers that filter or count before
        building records: the board shows 400 of maybe thousands."""
        wanted = {s.value for s in statuses} if statuses is not None else None
        return [
            doc
            for bucket in self._issue_buckets()
            for doc in self._db(f"{ISSUES_DIR}/{bucket}").table("issues").all()
            if (engagement is None or doc["engagement"] == engagement)
            and (wanted is None or doc["status"] in wanted)
        ]

    def read_issue_files_ahead(self) -> Iterator[None]:
        """Read the issue files into the cache, one file (250 issues) per step, for idle
        moments: the board's first load then parses no JSON (~100 ms on 5,000 issues)."""
        for bucket in self._issue_buckets():
            self._db(f"{ISSUES_DIR}/{bucket}").storage.read()
            yield

    def issues(
        self, engagement: str | None = None, statuses: Iterable[IssueStatus] | None = None
    ) -> list[Issue]:
        """Issues by number, optionally of one engagement and some statuses only."""
        docs = self.issue_docs(engagement, statuses)
        return sorted((Issue.from_doc(dict(doc)) for doc in docs), key=lambda i: i.number)


@dataclass(slots=True)
class RestoreReport:
    """What `restore_backup` did, for the user."""

    restored: list[tuple[Path, Path]] = field(default_factory=list)
    """(data file, the backup snapshot its copy came from)."""
    kept: list[Path] = field(default_factory=list)
    """Where the files that were replaced or damaged now are (nothing is deleted)."""
    unrecoverable: list[Path] = field(default_factory=list)
    """Damaged files no backup holds a good copy of (moved aside, listed in `kept`)."""


def restore_backup(
    data_dir: Path, backup: str | os.PathLike[str] | None = None, *, clock: Clock = utc_now
) -> RestoreReport:
    """Put data back from the backups; every file it replaces is kept beside it.

    Without `backup`, repair: each damaged data file gets its newest good copy from the
    backups, and healthy files are left alone (rolling them back would lose today's
    work). With `backup`, go back to that snapshot as a whole. Works without opening
    the store, because the usual reason to restore is that a file no longer reads.
    """
    data_dir = Path(data_dir)
    root = data_dir / BACKUP_DIR
    snapshots = (
        sorted(
            (p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")), reverse=True
        )
        if root.is_dir()
        else []
    )
    stamp = clock().strftime("%Y%m%dT%H%M%S")
    report = RestoreReport()

    def put_back(destination: Path, content: bytes, source: Path, suffix: str) -> None:
        if destination.exists():
            aside = destination.with_name(f"{destination.name}.{suffix}-{stamp}")
            os.replace(destination, aside)
            report.kept.append(aside)
        destination.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        write_file_atomically(destination, content)
        report.restored.append((destination, source))

    with _DataLock(data_dir / LOCK_FILE).held():
        if backup is not None:
            # Only a snapshot of this data dir: a name, or a path to one of them.
            wanted = Path(backup)
            chosen = next(
                (
                    p
                    for p in snapshots
                    if p.name == wanted.name
                    and (wanted == Path(p.name) or wanted.resolve() == p.resolve())
                ),
                None,
            )
            if chosen is None:
                names = ", ".join(p.name for p in snapshots) or t("none yet")
                raise StoreError(
                    t(
                        "backup {backup} is not one of this data dir's backups: {names}",
                        backup=str(backup),
                        names=names,
                    )
                )
            saved = {
                source.relative_to(chosen): source
                for source in _live_data_files(chosen)
                if _parses(source.read_bytes())
            }
            for relative, source in sorted(saved.items()):
                destination = data_dir / relative
                content = source.read_bytes()
                if not (destination.exists() and destination.read_bytes() == content):
                    put_back(destination, content, chosen, "before-restore")
            # Files written since the snapshot go aside too: the data must match itself
            # (counters, the active engagement) as it was then.
            for live in _live_data_files(data_dir):
                if live.relative_to(data_dir) not in saved:
                    aside = live.with_name(f"{live.name}.after-restore-{stamp}")
                    os.replace(live, aside)
                    report.kept.append(aside)
        damaged = [p for p in _live_data_files(data_dir) if not _parses(p.read_bytes())]
        if backup is None and not damaged:
            names = ", ".join(p.name for p in snapshots[:3])
            raise StoreError(
                t(
                    "every data file reads fine, nothing to repair; to go back to a backup "
                    "name it, e.g. `sitedash restore {name}` (newest: {names})",
                    name=snapshots[0].name,
                    names=names,
                )
                if snapshots
                else t("every data file reads fine and there are no backups yet")
            )
        for path in damaged:
            relative = path.relative_to(data_dir)
            good = next(
                (
                    (s, (s / relative).read_bytes())
                    for s in snapshots
                    if (s / relative).is_file() and _parses((s / relative).read_bytes())
                ),
                None,
            )
            if good is None:
                aside = path.with_name(f"{path.name}.damaged-{stamp}")
                os.replace(path, aside)
                report.kept.append(aside)
                report.unrecoverable.append(path)
            else:
                put_back(path, good[1], good[0], "damaged")
    return report


def _live_data_files(data_dir: Path) -> list[Path]:
    files = [data_dir / META_FILE] if (data_dir / META_FILE).exists() else []
    for sub in DATA_SUBDIRS:
        if (data_dir / sub).is_dir():
            files += sorted(
                p for p in (data_dir / sub).glob("*.json") if not p.name.startswith(".")
            )
    return files


def _replace_with(changes: dict[str, PlanItem], doc: MutableMapping[str, Any]) -> None:
    """TinyDB update callback: swap a stored plan item for its changed version."""
    doc.update(changes[doc["id"]].to_doc())


def _same_file_state(copy: Path, status: os.stat_result) -> bool:
    copied = copy.stat()
    return copied.st_size == status.st_size and copied.st_mtime_ns == status.st_mtime_ns


def _link_or_copy(source: Path, destination: Path) -> None:
    try:
        os.link(source, destination)
    except OSError:  # a file system without hard links
        shutil.copy2(source, destination)


def _parses(data: bytes) -> bool:
    try:
        return isinstance(json.loads(data.decode("utf-8")), dict)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return False


def _tree_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
