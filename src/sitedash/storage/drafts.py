"""Drafts: what the engineer typed but did not save, kept in `drafts/` in the data dir.

A form's unsaved text, the stand-up being written when the SSH link dropped, or this
terminal's side of an edit that clashed with another terminal's: each is one small JSON
file, written atomically, so the next start can offer it back. Drafts are written
without the data dir's lock (each is one file replaced by rename, and a signal handler
must never wait for a lock), and are not part of the backups.
"""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import msgspec
from msgspec import Struct, field

from sitedash.errors import StoreWriteError
from sitedash.models.codec import JSONLimitError, Stamp, dump_json, load_json
from sitedash.storage.files import DIR_MODE, write_file_atomically
from sitedash.storage.layout import DRAFTS_DIR

_SAFE = re.compile(r"[^A-Za-z0-9_.-]")


class Draft(Struct):
    """One draft: which form or record it belongs to, and the values typed."""

    key: str
    """Which form or record, e.g. "issue:12", "issue:new", "standup:2026-12-07:mes"."""
    label: str
    """What the engineer will recognise ("ISS-12", "the new issue", ...)."""
    saved_at: Stamp
    values: dict[str, Any] = field(default_factory=dict)
    """Field name -> the text or value typed."""
    reason: str = "unsaved"
    """"unsaved" (a form left open) or "conflict" (kept when another terminal won)."""
    mode: str = ""
    """The screen the form was opened on ("" for the app's own forms)."""
    form: str = ""
    """The form's class name, for reopening it."""
    subject: str = ""
    """Which record the form edits ("new" for a new one)."""


class Drafts:
    """The drafts of one data dir."""

    def __init__(self, data_dir: Path) -> None:
        self.folder = Path(data_dir) / DRAFTS_DIR

    def _path(self, key: str) -> Path:
        return self.folder / f"{_SAFE.sub('_', key)}.json"

    def put(self, draft: Draft) -> None:
        """Keep a draft (replacing the one of the same key); raises StoreWriteError."""
        path = self._path(draft.key)
        try:
            self.folder.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
            write_file_atomically(path, dump_json(draft))
        except OSError as error:
            raise StoreWriteError.of(path, error) from None

    def get(self, key: str) -> Draft | None:
        return self._read(self._path(key))

    def all(self) -> list[Draft]:
        """Every readable draft, oldest first (an unreadable one is skipped, kept)."""
        if not self.folder.is_dir():
            return []
        found = [self._read(p) for p in self.folder.glob("*.json") if not p.name.startswith(".")]
        return sorted((d for d in found if d is not None), key=lambda d: d.saved_at)

    def remove(self, key: str) -> bool:
        """Drop a draft that is saved or discarded; False when the disk refused.

        Never raises: a form closes, and a save that went through stays saved, whatever
        the disk says (a file system gone read-only, EACCES, EIO). A draft left behind
        is only offered again at the next start, where it can be discarded.
        """
        try:
            os.unlink(self._path(key))
        except FileNotFoundError:
            return True
        except OSError:
            return False
        return True

    @staticmethod
    def _read(path: Path) -> Draft | None:
        try:
            raw = path.read_bytes()
            return msgspec.convert(load_json(raw), Draft)
        except (OSError, msgspec.DecodeError, JSONLimitError, RecursionError, UnicodeDecodeError):
            return None


def conflict_draft(key: str, label: str, values: dict[str, Any], now: datetime) -> Draft:
    return Draft(key=key, label=label, saved_at=now, values=values, reason="conflict")
