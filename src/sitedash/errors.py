"""The errors screens and the CLI catch: a user can act on each, and its message is one line.

They live apart from storage and services so that screens and the CLI depend on this
small module, not on the layers that raise them.
"""

from __future__ import annotations

from pathlib import Path

from sitedash.i18n import t


class InputError(ValueError):
    """Bad user input; the message is one line that says what to fix."""


class StoreError(Exception):
    """A data problem the user can act on; its message is one line, shown as is."""


class CorruptFileError(StoreError):
    """A data file exists but cannot be read as sitedash data (it is never overwritten)."""

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


class EditConflict(StoreError):
    """A save found the record changed by another terminal on the same field.

    Raised after the write: the other terminal's values were kept and merged with every
    field only this side changed; this side's conflicting values were kept as a draft.
    """

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("; ".join(messages))
