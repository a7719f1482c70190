"""Building blocks of every report: front matter, headings, tables, lists.

All user text passes through `sitedash.textsafe` here, so a report never carries a
link, image, HTML or escape sequence the user did not type as plain characters.
"""

from __future__ import annotations

import re
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

Scalar = str | int | bool | date | datetime | None

# Characters a YAML reader does not take raw inside a quoted scalar: YAML 1.1 and 1.2
# read NEL, U+2028 and U+2029 as line breaks (folded into a space), a BOM inside a
# document is not allowed, and U+FFFE/U+FFFF are outside YAML's printable set. They
# are written as `\uXXXX`, an escape YAML 1.1, YAML 1.2 and JSON all read the same.
_YAML_ESCAPE = re.compile('["\\\\\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]')
_YAML_SHORT = {'"': '\\"', "\\": "\\\\"}
# Plain keys that every YAML reader takes as a string; others are quoted. YAML 1.1
# reads y/n/yes/no/on/off as booleans, so those are quoted too.
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")
_YAML11_WORDS = frozenset(["y", "n", "yes", "no", "on", "off", "true", "false", "null"])


def yaml_string(text: str) -> str:
    """`text` as a double-quoted scalar that YAML 1.1, YAML 1.2 and JSON read back
    as exactly `clean_line(text)`: one line, nothing a reader could fold or refuse."""
    return (
        '"'
        + _YAML_ESCAPE.sub(
            lambda m: _YAML_SHORT.get(m.group(0)) or f"\\u{ord(m.group(0)):04x}",
            clean_line(text),
        )
        + '"'
    )


def _yaml_key(key: str) -> str:
    if _PLAIN_KEY.fullmatch(key) and key.lower() not in _YAML11_WORDS:
        return key
    return yaml_string(key)


def _yaml_scalar(value: Scalar) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if abs(value) >= 10**18:  # `collect` reads at most 18 digits (frontmatter.py)
            raise ValueError(f"front matter numbers stay below 10**18, not {value}")
        return str(value)
    if isinstance(value, datetime | date):
        # Quoted: YAML 1.1 would read a plain date as a date, YAML 1.2 as a string.
        return f'"{value.isoformat()}"'
    if isinstance(value, str):
        return yaml_string(value)
    raise TypeError(f"front matter takes whole numbers, text and dates, not {value!r}")


FrontMatterValue = Scalar | Mapping[str, Scalar] | Sequence[str]


def front_matter(fields: Mapping[str, FrontMatterValue]) -> str:
    """A YAML front matter block: scalars, one level of mappings, lists of strings.

    Every string is double-quoted (`yaml_string`), dates too, so that any YAML 1.1 or
    1.2 reader, and `collect` (`reports.frontmatter`), read the same values; each
    value line is also valid JSON.
    """
    lines = ["---"]
    for key, value in fields.items():
        name = _yaml_key(key)
        if isinstance(value, Mapping):
            lines.append(f"{name}:" if value else f"{name}: {{}}")
            lines.extend(f"  {_yaml_key(k)}: {_yaml_scalar(v)}" for k, v in value.items())
        elif isinstance(value, list | tuple):
            lines.append(f"{name}: [{', '.join(_yaml_scalar(item) for item in value)}]")
        else:
            lines.append(f"{name}: {_yaml_scalar(value)}")  # type: ignore[arg-type]
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
        "work_week": engagement.work_week.value if engagement else "",
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


def _or_dash(value: str) -> str:
    """User text for Markdown, or a plain dash where there is none (not `\\-`, the
    dash escaped as if the engineer had typed it)."""
    inline = md_inline(value)
    return inline if inline.strip() else "-"


def byline(engineer: str, engagement: Engagement, period: tuple[date, date] | None = None) -> str:
    """Who wrote a report and for whom: the site for one-day reports, else the period."""
    who = {
        "engineer": md_inline(engineer),
        "customer": _or_dash(engagement.customer),
    }
    if period is None:
        return t(
            "Engineer: {engineer} · Customer: {customer} · Site: {site}",
            site=_or_dash(engagement.site),
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
