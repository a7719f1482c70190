"""The timesheet: hours per day and engagement, as Markdown for leads or CSV for the office.

Its minutes come from `wellbeing.worked_by_day`, the count the weekly review uses too,
so the two agree to the minute. Overtime is a day's work beyond the regular day (a
setting, 8 h by default), counted against the engagement worked last that day.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from sitedash.i18n import t, weekday_name
from sitedash.models import Engagement, SessionKind, WorkSession
from sitedash.reports.markdown import byline, heading, report_header, section, table
from sitedash.services import review
from sitedash.services.timeutil import InputError, zone
from sitedash.services.today import format_minutes
from sitedash.services.wellbeing import clock_face, minutes_on, recorded, worked_by_day
from sitedash.storage import Store
from sitedash.textsafe import clean_line, md_cell, md_inline

FORMATS = ("md", "csv")
MAX_DAYS = 366
"""A longer period is a typing mistake (and a table nobody reads)."""
CSV_BOM = "\ufeff"
"""UTF-8 with a byte order mark: Excel reads a CSV without one in the system code page
and shows Chinese as mojibake; LibreOffice, Numbers and `csv` (utf-8-sig) take it too."""
_SPREADSHEET_FORMULA = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class TimesheetRow:
    """One day of one engagement."""

    day: date
    engagement: str
    first_start: datetime
    last_end: datetime | None
    """None while a session still runs."""
    worked_min: int
    break_min: int
    overtime_min: int
    site: tzinfo


def period_of(day: date, period: tuple[date, date] | None) -> tuple[date, date]:
    """`--from/--to`, else the ISO week of `day`; a period must read forwards and fit
    in a year."""
    start, end = period or review.week_of(day)
    if end < start:
        raise InputError(
            t("the period ends ({end}) before it starts ({start})", start=start, end=end)
        )
    if (end - start).days >= MAX_DAYS:
        raise InputError(t("a timesheet covers {n} days at most", n=MAX_DAYS))
    return start, end


def _zone_of(session: WorkSession) -> tzinfo:
    try:
        return zone(session.zone) if session.zone else UTC
    except InputError:
        return UTC


def timesheet_rows(
    sessions: Iterable[WorkSession],
    start: date,
    end: date,
    now: datetime,
    regular_day_min: int,
    only: str | None = None,
) -> list[TimesheetRow]:
    """Rows by day, then by when the engagement's work began; `only` keeps one
    engagement's rows (its overtime still counts the whole day's work)."""
    by_day: dict[date, dict[str, list[WorkSession]]] = {}
    for session in recorded(sessions):
        if start <= session.day <= end:
            by_day.setdefault(session.day, {}).setdefault(session.engagement, []).append(session)
    rows: list[TimesheetRow] = []
    for day in sorted(by_day):
        day_rows = []
        for engagement, listed in by_day[day].items():
            ends = [s.end for s in listed]
            day_rows.append(
                TimesheetRow(
                    day=day,
                    engagement=engagement,
                    first_start=min(s.start for s in listed),
                    last_end=None if None in ends else max(e for e in ends if e is not None),
                    worked_min=worked_by_day(listed, [day], now)[day],
                    break_min=int(
                        minutes_on(listed, day, now, SessionKind.BREAK)
                        + minutes_on(listed, day, now, SessionKind.WALK)
                    ),
                    overtime_min=0,
                    site=_zone_of(min(listed, key=lambda s: s.start)),
                )
            )
        rows += _with_overtime(day_rows, regular_day_min)
    return [r for r in rows if only is None or r.engagement == only]


def _with_overtime(rows: list[TimesheetRow], regular_day_min: int) -> list[TimesheetRow]:
    """The day's minutes past the regular day go to the engagements worked last."""
    over = max(sum(r.worked_min for r in rows) - regular_day_min, 0)
    latest_first = sorted(
        rows, key=lambda r: r.last_end or datetime.max.replace(tzinfo=UTC), reverse=True
    )
    overtime: dict[str, int] = {}
    for row in latest_first:
        overtime[row.engagement] = min(over, row.worked_min)
        over -= overtime[row.engagement]
    return sorted(
        (
            TimesheetRow(
                r.day,
                r.engagement,
                r.first_start,
                r.last_end,
                r.worked_min,
                r.break_min,
                overtime[r.engagement],
                r.site,
            )
            for r in rows
        ),
        key=lambda r: r.first_start,
    )


def counts_of(rows: Sequence[TimesheetRow]) -> dict[str, int]:
    """The front matter's `counts` (README): `collect` reads exactly these names."""
    return {
        "worked_min": sum(r.worked_min for r in rows),
        "break_min": sum(r.break_min for r in rows),
        "overtime_min": sum(r.overtime_min for r in rows),
        "days": len({r.day for r in rows if r.worked_min}),
    }


def _name_of(engagement: str, known: Mapping[str, Engagement]) -> str:
    if not engagement:
        return t("no engagement")
    found = known.get(engagement)
    return found.name if found else engagement


def file_name(
    engagement: Engagement | None,
    day: date,
    *,
    period: tuple[date, date] | None = None,
    fmt: str = "md",
) -> str:
    start, end = period_of(day, period)
    if (start, end) == review.week_of(start):
        when = review.iso_week_name(start)
    else:
        when = f"{start.isoformat()}_{end.isoformat()}"
    scope = f"{engagement.id}-" if engagement else ""
    return f"timesheet-{scope}{when}.{fmt}"


def timesheet_report(
    store: Store,
    engagement: Engagement | None,
    day: date,
    *,
    engineer: str,
    now: datetime,
    period: tuple[date, date] | None = None,
    fmt: str = "md",
) -> str:
    """The timesheet of `period` (default: the ISO week of `day`) for every engagement,
    or for `engagement` alone when one is given."""
    if fmt not in FORMATS:
        raise InputError(t("unknown format {fmt!r}: use md or csv", fmt=fmt))
    start, end = period_of(day, period)
    rows = timesheet_rows(
        store.sessions_between(start, end),
        start,
        end,
        now,
        store.settings().wellbeing.regular_day_min,
        only=engagement.id if engagement else None,
    )
    known = {e.id: e for e in store.engagements()}
    if fmt == "csv":
        return csv_text(rows, known)
    return _markdown(
        rows,
        known,
        engagement,
        start,
        end,
        engineer=engineer,
        now=now,
        regular_day_min=store.settings().wellbeing.regular_day_min,
    )


def _spreadsheet_cell(text: str) -> str:
    """User text for a spreadsheet: one line, and never read as a formula (`=HYPERLINK`)."""
    cleaned = clean_line(text)
    return "'" + cleaned if cleaned.startswith(_SPREADSHEET_FORMULA) else cleaned


def csv_text(rows: Sequence[TimesheetRow], known: Mapping[str, Engagement]) -> str:
    """A header row, then one row per day and engagement; times in site time as
    `YYYY-MM-DD HH:MM` (spreadsheets read them as dates), minutes as whole numbers."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            t("Date"),
            t("Engagement"),
            t("Engagement name"),
            t("Start"),
            t("End"),
            t("Time zone"),
            t("Worked (min)"),
            t("Breaks (min)"),
            t("Overtime (min)"),
            t("Worked (h)"),
        ]
    )
    for row in rows:
        local_start = row.first_start.astimezone(row.site)
        writer.writerow(
            [
                row.day.isoformat(),
                _spreadsheet_cell(row.engagement),
                _spreadsheet_cell(_name_of(row.engagement, known)),
                local_start.strftime("%Y-%m-%d %H:%M"),
                row.last_end.astimezone(row.site).strftime("%Y-%m-%d %H:%M")
                if row.last_end
                else "",
                str(local_start.tzinfo),
                row.worked_min,
                row.break_min,
                row.overtime_min,
                f"{row.worked_min / 60:.2f}",
            ]
        )
    return CSV_BOM + out.getvalue()


def _markdown(
    rows: Sequence[TimesheetRow],
    known: Mapping[str, Engagement],
    engagement: Engagement | None,
    start: date,
    end: date,
    *,
    engineer: str,
    now: datetime,
    regular_day_min: int,
) -> str:
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    per_day = {d: sum(r.worked_min for r in rows if r.day == d) for d in days}
    counts = counts_of(rows)
    when = (
        review.iso_week_name(start)
        if (start, end) == review.week_of(start)
        else t("{start} to {end}", start=start.isoformat(), end=end.isoformat())
    )
    if engagement is not None:
        title = engagement.name
        who = byline(engineer, engagement, (start, end))
    else:
        title = t("all engagements")
        who = t(
            "Engineer: {engineer} · {start} to {end}",
            engineer=md_inline(engineer),
            start=start.isoformat(),
            end=end.isoformat(),
        )

    def minutes(value: int) -> str:
        return format_minutes(value) or "-"

    def end_of(row: TimesheetRow) -> str:
        return clock_face(row.last_end, row.site, row.day) if row.last_end else t("running")

    engagements = sorted({r.engagement for r in rows}, key=lambda e: _name_of(e, known))
    parts = [
        report_header(
            "timesheet",
            engineer=engineer,
            engagement=engagement,
            start=start,
            end=end,
            now=now,
            counts=counts,
            worked_by_day=per_day,
        ),
        "",
        heading(1, t("Timesheet · {name} · {period}", name=title, period=when)),
        "",
        who,
        "",
        *section(
            t("Hours by day"),
            table(
                [
                    t("Day"),
                    t("Engagement"),
                    t("Start"),
                    t("End"),
                    t("Worked"),
                    t("Breaks"),
                    t("Overtime"),
                ],
                [
                    [
                        f"{weekday_name(r.day)} {r.day.isoformat()}",
                        md_cell(_name_of(r.engagement, known)),
                        clock_face(r.first_start, r.site, r.day),
                        end_of(r),
                        minutes(r.worked_min),
                        minutes(r.break_min),
                        minutes(r.overtime_min),
                    ]
                    for r in rows
                ]
                + (
                    [
                        [
                            t("Total"),
                            "",
                            "",
                            "",
                            minutes(counts["worked_min"]),
                            minutes(counts["break_min"]),
                            minutes(counts["overtime_min"]),
                        ]
                    ]
                    if rows
                    else []
                ),
                raw=True,
            ),
        ),
        t(
            "Times are site times (+1: after midnight, still the day's work). Overtime is "
            "work beyond a regular day of {regular}, counted against the engagement "
            "worked last that day.",
            regular=minutes(regular_day_min),
        ),
        "",
        *section(
            t("By engagement"),
            table(
                [t("Engagement"), t("Customer"), t("Days"), t("Worked"), t("Overtime")],
                [
                    [
                        md_cell(_name_of(e, known)),
                        md_cell(known[e].customer if e in known else ""),
                        str(len({r.day for r in rows if r.engagement == e and r.worked_min})),
                        minutes(sum(r.worked_min for r in rows if r.engagement == e)),
                        minutes(sum(r.overtime_min for r in rows if r.engagement == e)),
                    ]
                    for e in engagements
                ],
                raw=True,
            ),
        ),
    ]
    return "\n".join(parts)


render = timesheet_report
