"""Saving a record that may have changed in another terminal since it was read.

Every stored record carries a revision (`rev`) that each save increments. A save whose
record was read at an older revision is merged field by field against the document it
was read from (its base): a field only this side changed takes this side's value, a
field only the other side changed keeps theirs. When both changed the same field
differently, the stored value stays the other terminal's and this side's value is kept
as a draft, so nothing either side typed is lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sitedash.models.codec import Record, decode, encode

BOOKKEEPING = frozenset({"rev", "updated"})
"""Fields every save changes; never a conflict."""
_ABSENT = object()


def merge(
    record_type: type[Record],
    base: Mapping[str, Any] | None,
    theirs: Mapping[str, Any],
    mine: dict[str, Any],
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Merge this side's document into the stored one: (merged, conflicting fields with
    this side's values). Without a base every differing field counts as a conflict."""
    # Compare through the record type, so that "…+00:00" and "…Z", a list and a tuple,
    # or a field an older file lacks do not look like changes.
    theirs_normal = _normal(record_type, theirs)
    base_normal = _normal(record_type, base) if base is not None else None
    merged = dict(theirs)
    conflicts: dict[str, Any] = {}
    for key, value in mine.items():
        if key in BOOKKEEPING:
            continue
        stored = theirs_normal.get(key, _ABSENT)
        if value == stored:
            continue
        original = base_normal.get(key, _ABSENT) if base_normal is not None else _ABSENT
        if base_normal is not None and value == original:
            continue  # only the other side changed it
        if base_normal is not None and stored == original:
            merged[key] = value  # only this side changed it
            continue
        conflicts[key] = value
    for key in BOOKKEEPING & mine.keys():
        merged[key] = mine[key]
    return merged, conflicts


def _normal(record_type: type[Record], doc: Mapping[str, Any]) -> dict[str, Any]:
    try:
        return encode(decode(record_type, dict(doc)))
    except Exception:  # a document from a newer or older layout: compare it as it is
        return dict(doc)
