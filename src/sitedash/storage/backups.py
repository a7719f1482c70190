"""The way back: a snapshot of the data files before the first write of each day, and
`restore`, which puts good copies back and keeps every file it replaces.

Snapshots are copies, not links to the live files (a tool that edits a data file in place
must not reach its backup), but a file unchanged since the previous snapshot is
hard-linked to that snapshot's copy, so a daily backup costs only what changed. A
snapshot is built in a hidden `.NAME.partial` directory and renamed into place when
complete; a failure removes it, so a half-made backup is never mistaken for a good one.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import msgspec

from sitedash.errors import StoreError
from sitedash.i18n import t
from sitedash.models.codec import JSONLimitError, load_json
from sitedash.storage.files import DIR_MODE, write_file_atomically
from sitedash.storage.layout import (
    BACKUP_DIR,
    DATA_SUBDIRS,
    LOCK_FILE,
    META_FILE,
    schema_for,
)

KEEP_DAILY_BACKUPS = 7
Clock = Callable[[], datetime]


def live_data_files(data_dir: Path) -> list[Path]:
    """The data files of a data dir (or of a snapshot, which has the same layout)."""
    files = [data_dir / META_FILE] if (data_dir / META_FILE).exists() else []
    for sub in DATA_SUBDIRS:
        if (data_dir / sub).is_dir():
            files += sorted(
                p for p in (data_dir / sub).glob("*.json") if not p.name.startswith(".")
            )
    return files


def reads_as_data(data: bytes, relative: Path) -> bool:
    """Do these bytes decode as the data file at `relative` (every record valid)?"""
    try:
        loaded = load_json(data, schema_for(relative))
    except (msgspec.DecodeError, JSONLimitError, UnicodeDecodeError, RecursionError):
        return False
    return isinstance(loaded, dict)


def snapshots(data_dir: Path) -> list[Path]:
    """Backup snapshots, oldest first."""
    root = data_dir / BACKUP_DIR
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def newest_good_copy(data_dir: Path, path: Path) -> Path | None:
    """The newest backup copy of a data file that decodes, for the error message."""
    relative = path.relative_to(data_dir)
    for snapshot in reversed(snapshots(data_dir)):
        copy = snapshot / relative
        if copy.is_file() and reads_as_data(copy.read_bytes(), relative):
            return copy
    return None


def take_backup(data_dir: Path, name: str) -> Path:
    """Snapshot every data file into `backups/<name>/`.

    A file that no longer decodes is not copied; the previous snapshot's good copy is
    kept instead. Raises OSError (disk full, read-only) after removing what it made.
    """
    import shutil  # here: once a day, not in every command (issue 23)

    root = data_dir / BACKUP_DIR
    target = root / name
    partial = root / f".{name}.partial"
    previous = snapshots(data_dir)[-1] if snapshots(data_dir) else None
    root.mkdir(mode=DIR_MODE, exist_ok=True)
    shutil.rmtree(partial, ignore_errors=True)
    try:
        partial.mkdir(mode=DIR_MODE)
        for source in live_data_files(data_dir):
            relative = source.relative_to(data_dir)
            destination = partial / relative
            destination.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
            earlier = previous / relative if previous else None
            status = source.stat()
            if earlier is not None and earlier.exists() and _same_file_state(earlier, status):
                _link_or_copy(earlier, destination)
                continue
            data = source.read_bytes()
            if not reads_as_data(data, relative):
                if earlier is not None and earlier.exists():
                    _link_or_copy(earlier, destination)
                continue
            write_file_atomically(destination, data)
            os.utime(destination, ns=(status.st_atime_ns, status.st_mtime_ns))
        if target.exists():
            shutil.rmtree(target)
        os.replace(partial, target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    prune_backups(data_dir)
    return target


def prune_backups(data_dir: Path) -> None:
    """Keep the newest daily snapshots, and always the largest one ever taken, so
    that days of a shrunken or emptied dataset never push out the last good one."""
    import shutil

    taken = snapshots(data_dir)
    if len(taken) <= KEEP_DAILY_BACKUPS:
        return
    largest = max(taken, key=_tree_size)
    for old in taken[:-KEEP_DAILY_BACKUPS]:
        if old != largest:
            shutil.rmtree(old, ignore_errors=True)


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
    data_dir: Path, backup: str | os.PathLike[str] | None, clock: Clock
) -> RestoreReport:
    """Put data back from the backups; every file it replaces is kept beside it.

    Without `backup`, repair: each damaged data file (one that does not decode, also a
    valid JSON file with a wrong value) gets its newest good copy from the backups, and
    healthy files are left alone (rolling them back would lose today's work). With
    `backup`, go back to that snapshot as a whole. Works without opening the store,
    because the usual reason to restore is that a file no longer reads.
    """
    from sitedash.storage.files import DataLock

    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise StoreError(t("data dir {path} does not exist", path=str(data_dir)))
    newest_first = list(reversed(snapshots(data_dir)))
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

    def damaged(path: Path) -> bool:
        return not reads_as_data(path.read_bytes(), path.relative_to(data_dir))

    try:
        with DataLock(data_dir / LOCK_FILE).held():
            if backup is not None:
                _go_back_to(data_dir, backup, newest_first, stamp, report, put_back)
            broken = [p for p in live_data_files(data_dir) if damaged(p)]
            if backup is None and not broken:
                names = ", ".join(p.name for p in newest_first[:3])
                raise StoreError(
                    t(
                        "every data file reads fine, nothing to repair; to go back to a "
                        "backup name it, e.g. `sitedash restore {name}` (newest: {names})",
                        name=newest_first[0].name,
                        names=names,
                    )
                    if newest_first
                    else t("every data file reads fine and there are no backups yet")
                )
            for path in broken:
                relative = path.relative_to(data_dir)
                good = next(
                    (
                        (s, content)
                        for s in newest_first
                        if (s / relative).is_file()
                        and reads_as_data(content := (s / relative).read_bytes(), relative)
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
    except OSError as error:
        raise StoreError(
            t(
                "cannot restore into {path}: {reason}",
                path=str(error.filename or data_dir),
                reason=error.strerror or str(error),
            )
        ) from None
    return report


def _go_back_to(
    data_dir: Path,
    backup: str | os.PathLike[str],
    newest_first: list[Path],
    stamp: str,
    report: RestoreReport,
    put_back: Callable[[Path, bytes, Path, str], None],
) -> None:
    """Restore a whole snapshot: only one of this data dir's, by name or path."""
    wanted = Path(backup)
    chosen = next(
        (
            p
            for p in newest_first
            if p.name == wanted.name and (wanted == Path(p.name) or wanted.resolve() == p.resolve())
        ),
        None,
    )
    if chosen is None:
        names = ", ".join(p.name for p in reversed(newest_first)) or t("none yet")
        raise StoreError(
            t(
                "backup {backup} is not one of this data dir's backups: {names}",
                backup=str(backup),
                names=names,
            )
        )
    saved = {
        source.relative_to(chosen): source
        for source in live_data_files(chosen)
        if reads_as_data(source.read_bytes(), source.relative_to(chosen))
    }
    for relative, source in sorted(saved.items()):
        destination = data_dir / relative
        content = source.read_bytes()
        if not (destination.exists() and destination.read_bytes() == content):
            put_back(destination, content, chosen, "before-restore")
    # Files written since the snapshot go aside too: the data must match itself
    # (counters, the active engagement) as it was then.
    for live in live_data_files(data_dir):
        if live.relative_to(data_dir) not in saved:
            aside = live.with_name(f"{live.name}.after-restore-{stamp}")
            os.replace(live, aside)
            report.kept.append(aside)


def _same_file_state(copy: Path, status: os.stat_result) -> bool:
    copied = copy.stat()
    return copied.st_size == status.st_size and copied.st_mtime_ns == status.st_mtime_ns


def _link_or_copy(source: Path, destination: Path) -> None:
    try:
        os.link(source, destination)
    except OSError:  # a file system without hard links
        import shutil

        shutil.copy2(source, destination)


def _tree_size(folder: Path) -> int:
    total = 0
    for path in folder.rglob("*"):
        with contextlib.suppress(OSError):
            if path.is_file():
                total += path.stat().st_size
    return total
