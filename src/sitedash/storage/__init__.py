"""Storage: the only package that imports TinyDB. Atomic, locked, validated,
partitioned, backed-up files (see `files`, `layout`, `backups`), a store facade joined
from one module per data area (`journal`, `issues`, `training`, `signoff`, `uat`,
`store`), and the drafts of what was typed but not saved (`drafts`).
"""

from __future__ import annotations

import os
from pathlib import Path

from sitedash.errors import (
    CorruptFileError,
    EditConflict,
    NewerSchemaError,
    StoreError,
    StoreWriteError,
)
from sitedash.storage.backups import KEEP_DAILY_BACKUPS, RestoreReport
from sitedash.storage.backups import restore_backup as _restore
from sitedash.storage.core import MIGRATIONS, Clock, utc_now
from sitedash.storage.drafts import Draft, Drafts
from sitedash.storage.files import DIR_MODE, FILE_MODE, prepare_file, write_file_atomically
from sitedash.storage.journal import month_key
from sitedash.storage.layout import ISSUE_BUCKET, SCHEMA_VERSION
from sitedash.storage.store import Store


def restore_backup(
    data_dir: Path, backup: str | os.PathLike[str] | None = None, *, clock: Clock = utc_now
) -> RestoreReport:
    """Put data back from the backups (see `storage.backups.restore_backup`)."""
    return _restore(Path(data_dir), backup, clock)


__all__ = [
    "DIR_MODE",
    "FILE_MODE",
    "ISSUE_BUCKET",
    "KEEP_DAILY_BACKUPS",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "CorruptFileError",
    "Draft",
    "Drafts",
    "EditConflict",
    "NewerSchemaError",
    "RestoreReport",
    "Store",
    "StoreError",
    "StoreWriteError",
    "month_key",
    "prepare_file",
    "restore_backup",
    "utc_now",
    "write_file_atomically",
]
