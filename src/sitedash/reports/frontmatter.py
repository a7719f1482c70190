"""Read the front matter sitedash writes (for `collect`): the YAML subset of
`markdown.front_matter`, parsed without a YAML dependency.

Values are JSON where possible (strings, numbers, true/false/null, lists); dates and
times stay strings. Anything else is reported as not a sitedash report.
"""

from __future__ import annotations

import json
from typing import Any

from sitedash.i18n import t


class NotAReport(ValueError):
    """The text does not open with sitedash front matter; the message says why."""


def _value(raw: str) -> Any:
    raw = raw.strip()
    if raw == "{}":
        return {}
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw  # dates and times: 2026-11-25, 2026-11-25T08:30:00+00:00


def parse_front_matter(text: str) -> dict[str, Any]:
    """The fields of the front matter at the start of `text`."""
    lines = text.lstrip("\ufeff").split("\n")
    if not lines or lines[0].strip() != "---":
        raise NotAReport(t("no front matter (the file does not start with ---)"))
    try:
        end = next(n for n, line in enumerate(lines[1:], 1) if line.strip() == "---")
    except StopIteration:
        raise NotAReport(t("the front matter is not closed with ---")) from None
    fields: dict[str, Any] = {}
    current: dict[str, Any] | None = None
    for number, line in enumerate(lines[1:end], 2):
        if not line.strip():
            continue
        if line.startswith("  ") and current is not None:
            key, sep, raw = line.strip().partition(":")
            if not sep:
                raise NotAReport(t("line {n} of the front matter is not `key: value`", n=number))
            current[key.strip()] = _value(raw)
            continue
        key, sep, raw = line.partition(":")
        if not sep or line.startswith(" "):
            raise NotAReport(t("line {n} of the front matter is not `key: value`", n=number))
        if raw.strip():
            fields[key.strip()] = _value(raw)
            current = None
        else:
            current = fields[key.strip()] = {}
    return fields
