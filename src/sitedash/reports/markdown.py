"""Building blocks of every report: front matter, headings, tables, lists.

All user text passes through `sitedash.textsafe` here, so a report never carries a
link, image, HTML or escape sequence the user did not type as plain characters.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from sitedash.i18n import current_language, t
from sitedash.textsafe import clean_line, md_cell, md_inline

if TYPE_CHECKING:
    from sitedash.models import Engagement
    from sitedash.services.review import IssueStats

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
    # JSON escapes only C0 controls: DEL, C1 and bidi overrides are removed first.
    return json.dumps(clean_line(value), ensure_ascii=False)


FrontMatterValue = Scalar | Mapping[str, Scalar] | Sequence[str]


def front_matter(fields: Mapping[str, FrontMatterValue]) -> str:
    """A YAML front matter block: scalars, one level of mappings, lists of strings.

    Strings are written as JSON strings and lists as JSON arrays, which YAML reads as
    double-quoted scalars and flow sequences; `collect` parses exactly this subset.
    """
    lines = ["---"]
    for key, value in fields.items():
        if isinstance(value, Mapping):
            lines.append(f"{key}:" if value else f"{key}: {{}}")
            lines.extend(f"  {k}: {_yaml_scalar(v)}" for k, v in value.items())
        elif isinstance(value, list | tuple):
            items = [clean_line(str(item)) for item in value]
            lines.append(f"{key}: {json.dumps(items, ensure_ascii=False)}")
        else:
            lines.append(f"{key}: {_yaml_scalar(value)}")  # type: ignore[arg-type]
    lines.append("---")
    return "\n".join(lines)


def report_header(
    kind: str,
    *,
    engineer: str,
    engagement: Engagement | None,
    start: date,
    end: date,
    now: datetime,
    counts: Mapping[str, int],
    issues: IssueStats | None = None,
    worked_by_day: Mapping[date, int] | None = None,
    blockers: Sequence[str] = (),
    extra: Mapping[str, FrontMatterValue] | None = None,
) -> str:
    """The front matter every report opens with (schema `REPORT_SCHEMA`, README).

    A report of every engagement (a timesheet) has no `engagement`: its fields are empty.
    `extra`: keys added within the schema (the Engagement screen's `open_checks`, ...).
    """
    fields: dict[str, FrontMatterValue] = {
        "sitedash_report": REPORT_SCHEMA,
        "kind": kind,
        "engineer": engineer,
        "engagement": engagement.id if engagement else "",
        "engagement_name": engagement.name if engagement else "",
        "customer": engagement.customer if engagement else "",
        "period_start": start,
        "period_end": end,
        "generated_at": now.replace(microsecond=0),
        "language": current_language(),
        "counts": dict(counts),
    }
    if issues is not None:
        fields["open_by_severity"] = {s.value: n for s, n in issues.open_by_severity.items()}
        fields["issues_by_status"] = {s.value: n for s, n in issues.by_status.items()}
    if worked_by_day is not None:
        fields["worked_by_day"] = {d.isoformat(): m for d, m in sorted(worked_by_day.items())}
    fields["blockers"] = [clean_line(b) for b in blockers if clean_line(b)]
    fields.update(extra or {})
    return front_matter(fields)


def byline(engineer: str, engagement: Engagement, period: tuple[date, date] | None = None) -> str:
    """Who wrote a report and for whom: the site for one-day reports, else the period."""
    who = {
        "engineer": md_inline(engineer),
        "customer": md_inline(engagement.customer or "-"),
    }
    if period is None:
        return t(
            "Engineer: {engineer} · Customer: {customer} · Site: {site}",
            site=md_inline(engagement.site or "-"),
            **who,
        )
    return t(
        "Engineer: {engineer} · Customer: {customer} · {start} to {end}",
        start=period[0].isoformat(),
        end=period[1].isoformat(),
        **who,
    )


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


def section(title: str, *bodies: str, level: int = 2) -> list[str]:
    """A heading and its body blocks, each followed by a blank line."""
    lines = [heading(level, title), ""]
    for body in bodies:
        lines += [body, ""]
    return lines
