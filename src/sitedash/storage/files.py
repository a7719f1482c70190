"""Atomic files and the data dir's lock: the two promises everything else stands on.

* Every file is written whole to a temp file in the same directory, fsynced and moved
  into place with `os.replace`, then the directory is fsynced: a crash leaves the old or
  the new file, never a torn one (FACTS.md: 0 corruptions in 800 kills).
* Every read-modify-write holds an exclusive `fcntl.flock` on `.lock` in the data dir;
  files are cached by inode, mtime and size, so another process's write is re-read.
* Every file is validated whole when it is read (its schema from `layout`), so a wrong
  value in a hand-edited file is one line naming the file, the record and the field.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
from tinydb.storages import Storage

from sitedash.errors import StoreError, StoreWriteError
from sitedash.i18n import t
from sitedash.models.codec import JSONLimitError, dump_json, load_json

DIR_MODE = 0o700
FILE_MODE = 0o600
TEMP_SUFFIX = ".tmp"


def fsync_dir(path: Path) -> None:
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
    fsync_dir(path.parent)


def prepare_file(path: Path, data: bytes, mode: int = FILE_MODE) -> Path:
    """The first half of an atomic write: `data` in a synced temp file beside `path`,
    to be renamed over it. Everything that can fail for lack of space or permission
    fails here, before any file changed."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}{TEMP_SUFFIX}")
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


def describe_decode_failure(error: Exception, raw: bytes) -> str:
    """Why bytes are not a data file, in one line (not where: the caller adds that)."""
    if isinstance(error, JSONLimitError):
        return str(error)
    if not raw.strip():
        return t("the file is empty")
    if isinstance(error, UnicodeDecodeError):
        return t("not valid UTF-8 text")
    return t("not valid JSON ({error})", error=str(error))


class Batch:
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
                fsync_dir(storage.path.parent)
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
class Signature:
    inode: int
    mtime_ns: int
    size: int

    @classmethod
    def of(cls, stat: os.stat_result) -> Signature:
        return cls(stat.st_ino, stat.st_mtime_ns, stat.st_size)

    @property
    def triple(self) -> tuple[int, int, int]:
        return (self.inode, self.mtime_ns, self.size)


CorruptHandler = Callable[[Path, str], StoreError]
"""Builds the error for a file that does not read (path, reason), naming a backup."""
BadRecordHandler = Callable[[Path, msgspec.ValidationError, bytes], StoreError]
"""Builds the error for a file with a wrong value (path, the validation error, the bytes)."""


class AtomicJSONStorage(Storage):
    """A TinyDB storage that writes atomically, validates what it reads, and caches
    reads until the file changes.

    The cache is write-through (never write-back: FACTS.md), and is dropped when a
    write fails, because TinyDB mutates the dict it read before asking us to write it.
    """

    def __init__(
        self,
        path: Path,
        schema: type | None,
        on_corrupt: CorruptHandler,
        on_bad_record: BadRecordHandler,
        batch: Callable[[], Batch | None] = lambda: None,
        touched: Callable[[AtomicJSONStorage, int], None] = lambda _storage, _size: None,
    ) -> None:
        self.path = path
        self._touched = touched
        """Told of every read served with its file's size (added for issue 23: the store
        keeps a bounded number of files parsed, see `StoreCore._touched`)."""
        self._schema = schema
        self._on_corrupt = on_corrupt
        self._on_bad_record = on_bad_record
        self._batch = batch
        self._cached: dict[str, Any] | None = None
        self._signature: Signature | None = None
        self._pending: dict[str, Any] | None = None
        self._pending_owner: int | None = None

    def read(self) -> dict[str, Any] | None:
        return self.read_signed()[0]

    # --- added for issue 23 (the index: a summary names the file state it was made from) ---
    def read_signed(self) -> tuple[dict[str, Any] | None, tuple[int, int, int]]:
        """`read()`, with the signature (inode, mtime, size) of the file state it returns
        ((0, 0, 0) for a missing file or this thread's unwritten changes)."""
        if self._pending is not None and self._pending_owner == threading.get_ident():
            return self._pending, (0, 0, 0)  # written earlier in this thread's transaction
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_NOFOLLOW)
        except FileNotFoundError:
            self._cached = self._signature = None
            return None, (0, 0, 0)
        except OSError as error:
            raise StoreError(
                t("cannot open {path}: {reason}", path=str(self.path), reason=error.strerror)
            ) from None
        with os.fdopen(fd, "rb") as handle:
            signature = Signature.of(os.fstat(handle.fileno()))
            cached = self._cached
            if cached is not None and signature == self._signature:
                self._touched(self, signature.size)
                return cached, signature.triple
            raw = handle.read()
        try:
            data = load_json(raw, self._schema)
        except msgspec.ValidationError as error:
            raise self._on_bad_record(self.path, error, raw) from None
        except (msgspec.DecodeError, JSONLimitError, UnicodeDecodeError, RecursionError) as error:
            raise self._on_corrupt(self.path, describe_decode_failure(error, raw)) from None
        if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
            raise self._on_corrupt(self.path, t("not a sitedash data file"))
        self._cached, self._signature = data, signature
        self._touched(self, signature.size)
        return data, signature.triple

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
            fsync_dir(self.path.parent)
        except OSError as error:
            raise StoreWriteError.of(self.path, error) from None

    def prepare(self) -> Path:
        """Write the pending data to a temp file; nothing visible changes yet."""
        assert self._pending is not None
        try:
            payload = dump_json(self._pending)
            self.path.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
            return prepare_file(self.path, payload)
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
        self._signature = Signature.of(os.stat(self.path))
        self._cached, self._pending, self._pending_owner = self._pending, None, None
        self._touched(self, self._signature.size)

    def discard(self) -> None:
        """Forget unwritten data and the cache (TinyDB mutated the dict it read)."""
        self._cached = self._signature = self._pending = self._pending_owner = None

    def close(self) -> None:
        self._cached = self._signature = None

    # --- added for issue 23: the store's bounded read cache ---
    def forget(self) -> None:
        """Drop the parsed data (read again, and validated, when next asked for).

        Unwritten data of an open transaction is `_pending`, never touched here: the
        owning thread keeps reading it and the commit writes it. Safe from any thread:
        it only clears, and a cache with either half cleared is read again."""
        self._cached = self._signature = None

    @property
    def cached(self) -> bool:
        """Whether parsed data is held (it may still be stale: reads check the file)."""
        return self._cached is not None


class DataLock:
    """An exclusive lock for the whole data dir: flock across processes, re-entrant here."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._fd: int | None = None

    @contextlib.contextmanager
    def held(self, *, wait: bool = True) -> Iterator[bool]:
        """Hold the lock; with `wait=False` only when it is free now (yields whether it
        is held: added for issue 23, the index is written only when nobody waits)."""
        if not self._thread_lock.acquire(blocking=wait):
            yield False
            return
        try:
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
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    os.close(fd)
                    fd = -1
                if fd < 0:
                    yield False  # another process holds it
                    return
                self._fd = fd
            self._depth += 1
            try:
                yield True
            finally:
                self._depth -= 1
                if self._depth == 0 and self._fd is not None:
                    fcntl.flock(self._fd, fcntl.LOCK_UN)
                    os.close(self._fd)
                    self._fd = None
        finally:
            self._thread_lock.release()
