"""Writing a report where the user asked: stdout, a file, or a directory."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from pathlib import Path

from sitedash.errors import InputError
from sitedash.i18n import t


def target_path(out: str, default_name: str) -> Path:
    """Where `--out` asks a report to go: a directory (existing, or any path ending in
    `/`, created if missing) gets `default_name` in it; anything else names the file.
    Only a regular file or a new name is accepted: a link, a FIFO, a device or a
    socket is refused, with or without `--force`."""
    path = Path(out).expanduser()
    if out.endswith(("/", os.sep)):
        if path.exists() and not path.is_dir():
            raise InputError(t("{path} is not a directory", path=path))
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise InputError(
                t("cannot create {path}: {reason}", path=path, reason=error.strerror)
            ) from None
    if path.is_dir():
        path = path / default_name
    if not path.parent.is_dir():
        raise InputError(t("cannot write {path}: the directory does not exist", path=path))
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return path
    except OSError as error:
        raise InputError(
            t("cannot write {path}: {reason}", path=path, reason=error.strerror)
        ) from None
    if stat.S_ISLNK(mode):
        raise InputError(t("refusing to write {path}: it is a symbolic link", path=path))
    if not stat.S_ISREG(mode):
        raise InputError(
            t(
                "refusing to write {path}: it is not a regular file "
                "(a FIFO, device or socket); give a file or a directory",
                path=path,
            )
        )
    return path


def write_report(
    text: str, out: str | None, default_name: str, *, force: bool = False
) -> Path | None:
    """Write `text` to `out` and return the path, or `None` for stdout.

    `out` of `None` or `-` is stdout; a directory gets `default_name` in it (see
    `target_path`). The report is written to a temp file (O_EXCL|O_NOFOLLOW, the
    user's umask) and fsynced, then put in place atomically: a new name is created
    with `link`, which never overwrites and never follows a planted symlink; an
    existing regular file is replaced with `rename`, and only with `force`. A crash
    leaves the old file or none, never half.
    """
    if out in (None, "-"):
        sys.stdout.write(text)
        sys.stdout.flush()
        return None
    path = target_path(out, default_name)
    exists = path.exists()
    if exists and not force:
        raise InputError(t("{path} exists; pass --force to replace it", path=path))
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        temp.unlink()  # left by a killed export that had our pid
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666)
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        if exists:
            if not stat.S_ISREG(path.lstat().st_mode):  # swapped meanwhile
                raise InputError(
                    t("refusing to write {path}: it is no longer a regular file", path=path)
                )
            os.replace(temp, path)
        else:
            os.link(temp, path)  # fails if the name appeared meanwhile: nothing overwritten
    except FileExistsError:
        raise InputError(t("{path} exists; pass --force to replace it", path=path)) from None
    except OSError as error:
        raise InputError(
            t("cannot write {path}: {reason}", path=path, reason=error.strerror)
        ) from None
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
    return path
