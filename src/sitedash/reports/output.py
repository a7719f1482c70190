"""Writing a report where the user asked: stdout, a file, or a directory."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from sitedash.i18n import t
from sitedash.services.timeutil import InputError


def write_report(
    text: str, out: str | None, default_name: str, *, force: bool = False
) -> Path | None:
    """Write `text` to `out` and return the path, or `None` for stdout.

    `out` of `None` or `-` is stdout; an existing directory gets `default_name` in it.
    A new file is created with O_EXCL|O_NOFOLLOW (a planted symlink is refused) and the
    user's umask; an existing file is replaced only with `force`, atomically.
    """
    if out in (None, "-"):
        sys.stdout.write(text)
        sys.stdout.flush()
        return None
    path = Path(out).expanduser()
    if path.is_dir():
        path = path / default_name
    if not path.parent.is_dir():
        raise InputError(t("cannot write {path}: the directory does not exist", path=path))
    data = text.encode("utf-8")
    if path.is_symlink():
        raise InputError(t("refusing to write {path}: it is a symbolic link", path=path))
    if path.exists():
        if not force:
            raise InputError(t("{path} exists; pass --force to replace it", path=path))
        _replace(path, data)
        return path
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666)
    except FileExistsError:
        raise InputError(t("{path} exists; pass --force to replace it", path=path)) from None
    except OSError as error:
        raise InputError(
            t("cannot write {path}: {reason}", path=path, reason=error.strerror)
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except OSError as error:
        with contextlib.suppress(OSError):
            path.unlink()
        raise InputError(
            t("cannot write {path}: {reason}", path=path, reason=error.strerror)
        ) from None
    return path


def _replace(path: Path, data: bytes) -> None:
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise InputError(
            t("cannot write {path}: {reason}", path=path, reason=error.strerror)
        ) from None
