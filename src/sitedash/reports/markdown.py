"""Building blocks of every report: front matter, headings, tables, lists.

All user text passes through `sitedash.textsafe` here, so a report never carries a
link, image, HTML or escape sequence the user did not type as plain characters.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime

from sitedash.i18n import t
from sitedash.textsafe import md_cell, md_inline

REPORT_SCHEMA = 1
"""Version of the front matter below; `collect` refuses versions it does not know."""

Scalar = str | int | float | bool | date | datetime | None


def _yaml_scalar(value: Scalar) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    # A JSON string is a valid YAML double-quoted scalar; non-ASCII stays readable.
    return json.dumps(value, ensure_ascii=False)


def front_matter(fields: Mapping[str, Scalar | Mapping[str, Scalar]]) -> str:
    """A YAML front matter block; one level of nesting (for `counts`)."""
    lines = ["---"]
    for key, value in fields.items():
        if isinstance(value, Mapping):
            lines.append(f"{key}:")
            lines.extend(f"  {k}: {_yaml_scalar(v)}" for k, v in value.items())
        else:
            lines.append(f"{key}: {_yaml_scalar(value)}")
    lines.append("---")
    return "\n".join(lines)


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], *, raw: bool = False) -> str:
    """A GFM table; cells are escaped user text unless `raw` (numbers, our own labels).

    An empty table is written as "None." so no section is silently dropped.
    """
    body = [
        "| " + " | ".join(cell if raw else md_cell(cell) for cell in row) + " |" for row in rows
    ]
    if not body:
        return none()
    head = "| " + " | ".join(md_cell(h) for h in headers) + " |"
    rule = "|" + "|".join("---" for _ in headers) + "|"
    return "\n".join([head, rule, *body])


def bullets(items: Iterable[str]) -> str:
    lines = [f"- {md_inline(item)}" for item in items]
    return "\n".join(lines) if lines else none()


def none() -> str:
    return f"_{t('None.')}_"


def heading(level: int, text: str) -> str:
    return f"{'#' * level} {md_inline(text)}"
