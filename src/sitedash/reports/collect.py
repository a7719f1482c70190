"""The lead's roll-up: read several engineers' exported reports, summarise per engineer
and engagement, most urgent first; say who has not reported and where the team's
health needs attention. Reads only files; never an engineer's data dir.

Files are read one at a time and only their front matter (`reports.inbox`); what is
kept of each is folded into a few figures per engineer, engagement and day, so the
memory a roll-up takes does not grow with the number of files read.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sitedash.errors import InputError
from sitedash.i18n import current_language, t, tn
from sitedash.models import IssueStatus, WorkWeek
from sitedash.reports.inbox import HOURS_KINDS, Report, Skipped, check_paths, find_files, load
from sitedash.reports.markdown import REPORT_SCHEMA, bullets, front_matter, heading, none, table
from sitedash.reports.registry import kind_label
from sitedash.services.issues import status_label
from sitedash.services.review import iso_week_name
from sitedash.services.timeutil import parse_day
from sitedash.services.today import format_minutes
from sitedash.textsafe import md_inline

STATUSES = ("new", "in_progress", "waiting", "resolved", "confirmed")
SEVERITIES = ("P1", "P2", "P3", "P4")
DEFAULT_WINDOW_DAYS = 7
"""Without `--since`, "Not reported" and "Team health" look at the last week."""
DEFAULT_WEEK = WorkWeek.MON_SAT
"""An engineer whose reports do not say their working week (`work_week`, written since
it can be set per engagement) works Monday to Saturday: a Sunday is not a miss."""
LONG_DAY_MIN = 600
"""A day over 10 hours (the wellbeing warning)."""
LONG_RUN_DAYS = 2
"""Consecutive long days that make a run worth a lead's call."""
P1_AGE_DAYS = 3
CHANGE_AGE_DAYS = 7
ROTATION_NOTICE_DAYS = 14
COUNTED = ("trainings", "trained_people")
"""Counts summed over the period (each day or week counted once)."""

_SINCE_DAYS = re.compile(r"([0-9]{1,4})d")

Order = tuple[date, str, str]
Stamp = tuple[date, str]
"""A report's period end and export time: which of two reports of a day is newer (on
a tie, the first read wins: files are read in a sorted order)."""


def parse_since(text: str, today: date) -> date:
    """`7d` (the last seven days: since a week ago today) or a date."""
    match = _SINCE_DAYS.fullmatch(text.strip())
    if match:
        return today - timedelta(days=int(match.group(1)))
    try:
        day = parse_day(text)
    except InputError:
        raise InputError(
            t("bad --since {text!r}: use a number of days such as 7d, or YYYY-MM-DD", text=text)
        ) from None
    if day > today:
        # A period that has not begun has no reports and no misses: a typo, most likely.
        raise InputError(
            t(
                "--since {day} is after today ({today}): give a past date, or 7d",
                day=day.isoformat(),
                today=today.isoformat(),
            )
        )
    return day


class Coverage:
    """Days covered by reports, as sorted disjoint ranges (consecutive daily reports
    merge into one range, so this stays small however many files there are)."""

    def __init__(self) -> None:
        self.starts: list[date] = []
        self.ends: list[date] = []

    def add(self, start: date, end: date) -> None:
        if end < start:
            return
        index = bisect.bisect_left(self.ends, start - timedelta(days=1))
        while index < len(self.starts) and self.starts[index] <= end + timedelta(days=1):
            start, end = min(start, self.starts[index]), max(end, self.ends[index])
            del self.starts[index], self.ends[index]
        self.starts.insert(index, start)
        self.ends.insert(index, end)

    def __contains__(self, day: date) -> bool:
        index = bisect.bisect_left(self.ends, day)
        return index < len(self.starts) and self.starts[index] <= day


@dataclass(slots=True)
class Summary:
    """One engineer on one engagement, folded from all their reports in the period."""

    engineer: str
    engagement: str
    name: str = ""
    customer: str = ""
    start: date = date.max
    end: date = date.min
    reports: int = 0
    kinds: set[str] = field(default_factory=set)
    newest: dict[str, Report] = field(default_factory=dict)
    """The newest report of each kind (its front matter only)."""
    days: dict[date, tuple[Stamp, tuple[int, ...]]] = field(default_factory=dict)
    """`COUNTED` of each day's newest daily report."""
    weeks: dict[tuple[date, date], tuple[Stamp, tuple[int, ...]]] = field(default_factory=dict)
    worked: dict[date, tuple[Stamp, int]] = field(default_factory=dict)
    """Minutes per day from daily and weekly reports, the newest export winning."""

    def add(self, report: Report) -> None:
        self.reports += 1
        self.kinds.add(report.kind)
        self.start, self.end = min(self.start, report.start), max(self.end, report.end)
        newest = self.newest.get(report.kind)
        if newest is None or report.order > newest.order:
            self.newest[report.kind] = report
            self.name = str(report.fields.get("engagement_name") or self.engagement)
            self.customer = str(report.fields.get("customer") or "")
        counts = tuple(report.counts.get(name, 0) for name in COUNTED)
        stamp = report.order[:2]
        if report.kind == "daily":
            _keep_newest(self.days, report.start, stamp, counts)
        elif report.kind == "weekly":
            _keep_newest(self.weeks, (report.start, report.end), stamp, counts)
        if report.kind in ("daily", "weekly"):
            for day, minutes in report.fields.get("worked_by_day", {}).items():
                _keep_newest(self.worked, date.fromisoformat(day), stamp, minutes)

    def latest(self, *kinds: str, having: str | None = None) -> Report | None:
        candidates = [
            self.newest[kind]
            for kind in kinds
            if kind in self.newest and (having is None or having in self.newest[kind].fields)
        ]
        return max(candidates, key=lambda r: r.order) if candidates else None

    def total(self, name: str) -> int:
        """Weekly reviews, and the daily reports of days no weekly review covers, so
        that activity is counted once."""
        index = COUNTED.index(name)
        weeks = sum(counts[index] for _, counts in self.weeks.values())
        days = sum(
            counts[index]
            for day, (_, counts) in self.days.items()
            if not any(start <= day <= end for start, end in self.weeks)
        )
        return weeks + days

    def snapshot(self) -> tuple[date, dict[str, int], dict[str, int]] | None:
        """Issues by status and open ones by severity, from the newest report with them."""
        latest = self.latest(*self.newest, having="issues_by_status")
        if latest is None:
            return None
        return (
            latest.as_of,
            latest.fields.get("issues_by_status") or {},
            latest.fields.get("open_by_severity") or {},
        )

    def attention(self) -> tuple[int, ...]:
        """Bigger first: open P1s, open P2s, blockers, pending change requests."""
        snapshot = self.snapshot()
        severity = snapshot[2] if snapshot else {}
        return (
            severity.get("P1", 0),
            severity.get("P2", 0),
            len(self.blockers()[1]),
            self.pending_changes(),
        )

    def blockers(self) -> tuple[date | None, list[str]]:
        latest = self.latest("daily", "weekly")
        if latest is None:
            return None, []
        return latest.as_of, list(latest.fields.get("blockers") or [])

    def pending_changes(self) -> int:
        latest = self.latest("acceptance", "retro", "weekly")
        return latest.counts.get("pending_changes", 0) if latest else 0

    def acceptance(self) -> str:
        latest = self.latest("acceptance", "retro")
        if latest is None:
            return "-"
        counts = latest.counts
        return f"{counts.get('accepted', 0)}/{counts.get('deliverables', 0)}"


def _keep_newest(table: dict[Any, tuple[Any, Any]], key: Any, order: Any, value: Any) -> None:
    kept = table.get(key)
    if kept is None or order > kept[0]:
        table[key] = (order, value)


@dataclass(slots=True)
class Timesheet:
    """What a timesheet says: the days it covers, for one engagement or ("") all."""

    start: date
    end: date
    order: Order
    engagement: str


@dataclass(slots=True)
class Engineer:
    """One engineer over every report read, whatever its period."""

    name: str
    first: date = date.max
    last: Report | None = None
    week: Report | None = None
    """The newest report that says the engineer's working week."""
    covered: Coverage = field(default_factory=Coverage)
    """Days in the window that a daily, weekly or timesheet covers."""
    timesheets: list[Timesheet] = field(default_factory=list)
    sheet_days: dict[tuple[str, date], tuple[Order, int]] = field(default_factory=dict)

    @property
    def working_days(self) -> frozenset[int]:
        """The weekdays a report is expected on: the newest report's working week."""
        week = self.week.work_week if self.week is not None else None
        return (week or DEFAULT_WEEK).weekdays

    def add(self, report: Report, window: tuple[date, date]) -> None:
        # From the first day reported on (an acceptance pack covers the engagement
        # from its start, but says nothing about the days before it was made).
        self.first = min(self.first, report.start if report.kind in HOURS_KINDS else report.as_of)
        if self.last is None or (report.as_of, report.order) > (self.last.as_of, self.last.order):
            self.last = report
        if report.work_week is not None and (
            self.week is None or (report.as_of, report.order) > (self.week.as_of, self.week.order)
        ):
            self.week = report
        if report.kind in HOURS_KINDS:
            end = min(report.end, report.generated or report.end, window[1])
            self.covered.add(max(report.start, window[0]), end)

    def add_timesheet(self, report: Report) -> None:
        engagement = report.engagement
        self.timesheets.append(Timesheet(report.start, report.end, report.order, engagement))
        for day, minutes in report.fields.get("worked_by_day", {}).items():
            key = (engagement, date.fromisoformat(day))
            _keep_newest(self.sheet_days, key, report.order, minutes)

    def sheet_minutes(self, day: date) -> dict[str, int]:
        """Minutes of `day` per engagement ("" for all) from the newest timesheet that
        covers it; a covered day the timesheet does not list was not worked."""
        newest: dict[str, Timesheet] = {}
        for sheet in self.timesheets:
            if sheet.start <= day <= sheet.end:
                kept = newest.get(sheet.engagement)
                if kept is None or sheet.order > kept.order:
                    newest[sheet.engagement] = sheet
        minutes = {}
        for engagement, sheet in newest.items():
            listed = self.sheet_days.get((engagement, day))
            minutes[engagement] = listed[1] if listed and listed[0] == sheet.order else 0
        return minutes

    def hours_by_day(self, summaries: Iterable[Summary]) -> dict[date, int]:
        """Minutes per day over every engagement: a timesheet wins over the daily and
        weekly reports of the days (and engagement) it covers."""
        own = [s for s in summaries if s.engineer == self.name]
        days = {day for s in own for day in s.worked} | {day for _, day in self.sheet_days}
        totals: dict[date, int] = {}
        for day in sorted(days):
            sheets = self.sheet_minutes(day)
            if "" in sheets:
                totals[day] = sheets[""]
                continue
            reported = sum(
                s.worked[day][1] for s in own if day in s.worked and s.engagement not in sheets
            )
            totals[day] = sum(sheets.values()) + reported
        return {day: minutes for day, minutes in totals.items() if minutes}


@dataclass(slots=True)
class Rollup:
    """Everything read, folded."""

    today: date
    since: date | None
    window: tuple[date, date]
    summaries: dict[tuple[str, str], Summary] = field(default_factory=dict)
    engineers: dict[str, Engineer] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    read: int = 0

    def add(self, report: Report) -> None:
        self.read += 1
        engineer = self.engineers.setdefault(report.engineer, Engineer(report.engineer))
        engineer.add(report, self.window)
        if self.since is not None and report.end < self.since:
            return  # older than the period: it only says the engineer exists
        if report.kind == "timesheet":
            engineer.add_timesheet(report)
        if report.kind == "timesheet" and not report.engagement:
            return
        key = (report.engineer, report.engagement)
        self.summaries.setdefault(key, Summary(*key)).add(report)

    def hours(self, summary: Summary) -> dict[date, int]:
        """Minutes per day on one engagement (a timesheet of it wins, from `--since`)."""
        worked = {day: minutes for day, (_, minutes) in summary.worked.items()}
        engineer = self.engineers[summary.engineer]
        days = set(worked) | {day for e, day in engineer.sheet_days if e == summary.engagement}
        for day in days:
            sheets = engineer.sheet_minutes(day)
            if summary.engagement in sheets:
                worked[day] = sheets[summary.engagement]
        return {
            day: minutes
            for day, minutes in worked.items()
            if minutes and (self.since is None or day >= self.since)
        }

    def ordered(self) -> list[Summary]:
        return sorted(
            self.summaries.values(),
            key=lambda s: (tuple(-n for n in s.attention()), s.engineer.casefold(), s.engagement),
        )


def read(paths: Iterable[str | Path], *, now: datetime, since: date | None = None) -> Rollup:
    """Read every report under `paths` (an `InputError` if a path does not exist)."""
    today = now.date()
    start = since if since is not None else today - timedelta(days=DEFAULT_WINDOW_DAYS)
    # Today is still going, so the window ends yesterday (`--since today`: an empty one).
    rollup = Rollup(today, since, (start, today - timedelta(days=1)))
    for found in find_files(check_paths(paths)):
        loaded = load(found) if isinstance(found, Path) else found
        if isinstance(loaded, Report):
            rollup.add(loaded)
        else:
            rollup.skipped.append(loaded)
    return rollup


def rollup(
    paths: Iterable[str | Path], *, now: datetime, since: date | None = None
) -> tuple[str, int, int]:
    """The team summary as Markdown; also the numbers of reports read and skipped."""
    folded = read(paths, now=now, since=since)
    return render(folded, now=now), folded.read, len(folded.skipped)


# -- the Markdown ----------------------------------------------------------------------


def render(folded: Rollup, *, now: datetime) -> str:
    summaries = folded.ordered()
    engineers = sorted({s.engineer for s in summaries}, key=str.casefold)
    missing = not_reported(folded)
    health = team_health(folded, summaries)
    hours = weekly_hours(folded, summaries)
    start, end = folded.window
    parts = [
        front_matter(
            {
                "sitedash_report": REPORT_SCHEMA,
                "kind": "rollup",
                "generated_at": now.replace(microsecond=0),
                "language": current_language(),
                "period_start": start,
                "period_end": max(start, end),
                "counts": {
                    "reports": folded.read,
                    "skipped": len(folded.skipped),
                    "engineers": len(engineers),
                    "engagements": len(summaries),
                    "not_reported": len(missing),
                    "health_flags": len(health),
                },
            }
        ),
        "",
        heading(1, t("Team roll-up · {day}", day=folded.today.isoformat())),
        "",
        t(
            "Reports read: {reports} · engineers: {engineers} · engagements: {engagements} "
            "· files skipped: {skipped}",
            reports=folded.read,
            engineers=len(engineers),
            engagements=len(summaries),
            skipped=len(folded.skipped),
        ),
        "",
        (
            t("Reports of periods ending on or after {day}.", day=folded.since.isoformat())
            if folded.since
            else t("All reports, whatever their period.")
        ),
        "",
        (
            t(
                "Not reported and team health: {start} to {end}.",
                start=start.isoformat(),
                end=end.isoformat(),
            )
            if start <= end
            else t(
                "Not reported: nobody yet, the period starts today ({day}) and today is not over.",
                day=start.isoformat(),
            )
        ),
        "",
        heading(2, t("Needs attention first")),
        "",
        table(
            [
                t("Engineer"),
                t("Engagement"),
                t("Period"),
                t("Open P1"),
                t("Open P2"),
                t("Blockers"),
                t("Pending CRs"),
                t("Accepted"),
            ],
            [
                [
                    s.engineer,
                    s.name,
                    f"{s.start} – {s.end}",
                    *map(str, s.attention()),
                    s.acceptance(),
                ]
                for s in summaries
            ],
        ),
        "",
        heading(2, t("Not reported")),
        "",
        table(
            [t("Engineer"), t("Last report"), t("Working days without a report"), t("Days")],
            missing,
        ),
        "",
        heading(2, t("Team health")),
        "",
        table([t("Engineer"), t("Engagement"), t("What"), t("Details")], health),
        "",
        heading(2, t("Hours per engineer per week")),
        "",
        table(
            [t("Engineer"), t("Week"), t("Worked"), t("Days worked"), t("Days over 10 h")],
            hours,
        ),
        "",
    ]
    for summary in summaries:
        parts += _summary_section(summary, folded.hours(summary))
    parts += [
        heading(2, t("Skipped files")),
        "",
        table(
            [t("File"), t("Reason")],
            [[str(s.path), s.reason] for s in sorted(folded.skipped, key=lambda s: str(s.path))],
        ),
        "",
    ]
    return "\n".join(parts)


def _days_list(days: list[date], most: int = 6) -> str:
    shown = ", ".join(d.isoformat() for d in days[:most])
    return shown + (f" … (+{len(days) - most})" if len(days) > most else "")


def not_reported(folded: Rollup) -> list[list[str]]:
    """Engineers with working days in the window that no daily, weekly or timesheet
    covers, from their first report on: who sent nothing at all first."""
    start, end = folded.window
    rows = []
    for engineer in folded.engineers.values():
        first = max(start, engineer.first)
        days = [
            first + timedelta(days=n)
            for n in range((end - first).days + 1)
            if (first + timedelta(days=n)).weekday() in engineer.working_days
        ]
        missed = [day for day in days if day not in engineer.covered]
        if not missed or engineer.last is None:
            continue
        last = engineer.last
        rows.append(
            (
                len(missed) < len(days),
                engineer.name.casefold(),
                [
                    engineer.name,
                    f"{last.as_of.isoformat()} ({kind_label(last.kind)})",
                    str(len(missed)),
                    _days_list(missed),
                ],
            )
        )
    return [row for *_, row in sorted(rows, key=lambda r: (r[0], r[1]))]


def _age(since: str, as_of: date) -> int:
    return (as_of - date.fromisoformat(since)).days


def _named(value: Any) -> tuple[int, list[str]]:
    """`late_milestones`, `at_risk_milestones`, `open_risks`: a count or the names."""
    return (len(value), [str(v) for v in value]) if isinstance(value, list) else (value, [])


def team_health(folded: Rollup, summaries: list[Summary]) -> list[list[str]]:
    """What a lead should look at, from the newest reports of the window."""
    start, end = folded.window
    rows: list[list[str]] = []
    for summary in sorted(summaries, key=lambda s: (s.engineer.casefold(), s.engagement)):
        if summary.end < start:
            continue  # nothing recent from this engagement
        who = [summary.engineer, summary.name]
        latest = summary.latest(*summary.newest, having="open_p1_opened")
        if latest is not None:
            old = sorted(
                (key, _age(day, latest.as_of))
                for key, day in latest.fields["open_p1_opened"].items()
                if _age(day, latest.as_of) > P1_AGE_DAYS
            )
            if old:
                rows.append(
                    [
                        *who,
                        t("Open P1 older than {n} days", n=P1_AGE_DAYS),
                        t(
                            "{issues} (as of {day})",
                            issues=", ".join(
                                t("{key} {days} days", key=key, days=days) for key, days in old
                            ),
                            day=latest.as_of.isoformat(),
                        ),
                    ]
                )
        latest = summary.latest(*summary.newest, having="pending_changes_since")
        if latest is not None:
            waiting = [
                d
                for d in latest.fields["pending_changes_since"]
                if _age(d, latest.as_of) > CHANGE_AGE_DAYS
            ]
            if waiting:
                rows.append(
                    [
                        *who,
                        t("Change requests pending over a week"),
                        t(
                            "{n} pending since {days} (as of {day})",
                            n=len(waiting),
                            days=", ".join(sorted(waiting)),
                            day=latest.as_of.isoformat(),
                        ),
                    ]
                )
        for key, what in (
            ("late_milestones", t("Late milestones")),
            ("at_risk_milestones", t("Milestones at risk")),
            ("open_risks", t("Open risks")),
        ):
            latest = summary.latest(*summary.newest, having=key)
            if latest is not None:
                count, names = _named(latest.fields[key])
                if count:
                    rows.append(
                        [
                            *who,
                            what,
                            t(
                                "{n} (as of {day}){names}",
                                n=count,
                                day=latest.as_of.isoformat(),
                                names=": " + "; ".join(names) if names else "",
                            ),
                        ]
                    )
        latest = summary.latest(*summary.newest, having="rotation_due")
        if latest is not None:
            due = date.fromisoformat(latest.fields["rotation_due"])
            if due <= folded.today + timedelta(days=ROTATION_NOTICE_DAYS):
                rows.append(
                    [
                        *who,
                        t("Rotation due within {n} days", n=ROTATION_NOTICE_DAYS),
                        due.isoformat(),
                    ]
                )
    for engineer in sorted(folded.engineers.values(), key=lambda e: e.name.casefold()):
        days = engineer.hours_by_day(summaries)
        for run in _long_runs(days, start, end):
            rows.append(
                [
                    engineer.name,
                    "",
                    t("{n} days in a row over 10 h", n=len(run)),
                    ", ".join(f"{day.isoformat()} {format_minutes(days[day])}" for day in run),
                ]
            )
    return rows


def _long_runs(days: dict[date, int], start: date, end: date) -> list[list[date]]:
    runs: list[list[date]] = []
    current: list[date] = []
    for day in sorted(d for d, minutes in days.items() if minutes > LONG_DAY_MIN):
        if not start <= day <= end + timedelta(days=1):
            continue
        if current and day - current[-1] != timedelta(days=1):
            runs.append(current)
            current = []
        current.append(day)
    runs.append(current)
    return [run for run in runs if len(run) >= LONG_RUN_DAYS]


def weekly_hours(folded: Rollup, summaries: list[Summary]) -> list[list[str]]:
    """Minutes per engineer and ISO week (from `--since` on, when given)."""
    rows = []
    for engineer in sorted(folded.engineers.values(), key=lambda e: e.name.casefold()):
        weeks: dict[str, list[int]] = {}
        for day, minutes in engineer.hours_by_day(summaries).items():
            if folded.since is not None and day < folded.since:
                continue
            weeks.setdefault(iso_week_name(day), []).append(minutes)
        for week, worked in sorted(weeks.items()):
            rows.append(
                [
                    engineer.name,
                    week,
                    format_minutes(sum(worked)) or "0m",
                    str(len(worked)),
                    str(len([m for m in worked if m > LONG_DAY_MIN])),
                ]
            )
    return rows


def _summary_section(summary: Summary, worked: dict[date, int]) -> list[str]:
    snapshot = summary.snapshot()
    lines = [
        t(
            "Customer: {customer}",
            customer=md_inline(summary.customer) if summary.customer else "-",
        ),
        tn(
            summary.reports,
            "Period covered: {start} to {end} ({n} report: {kinds})",
            "Period covered: {start} to {end} ({n} reports: {kinds})",
            start=summary.start,
            end=summary.end,
            kinds=", ".join(kind_label(kind) for kind in sorted(summary.kinds)),
        ),
        tn(
            len(worked),
            "Hours: {worked} on {n} day",
            "Hours: {worked} on {n} days",
            worked=format_minutes(sum(worked.values())) or "0m",
        ),
    ]
    if snapshot:
        as_of, status, severity = snapshot
        lines.append(
            t(
                "Issues as of {day}: {statuses}; open by severity: {severities}",
                day=as_of,
                statuses=", ".join(
                    f"{status_label(IssueStatus(s))} {status.get(s, 0)}" for s in STATUSES
                ),
                severities=", ".join(f"{s} {severity.get(s, 0)}" for s in SEVERITIES),
            )
        )
    else:
        lines.append(t("Issues: no report with issue figures"))
    lines.append(
        t(
            "Trainings: {sessions}, {people}",
            sessions=tn(summary.total("trainings"), "{n} session", "{n} sessions"),
            people=tn(summary.total("trained_people"), "{n} attendance", "{n} attendances"),
        )
    )
    retro = summary.latest("retro")
    if retro is not None:  # the engagement as a whole, beyond the days and weeks sent
        lines.append(
            tn(
                retro.counts.get("trainings", 0),
                "Whole engagement, from the retrospective of {day}: {worked} worked, "
                "{n} training session",
                "Whole engagement, from the retrospective of {day}: {worked} worked, "
                "{n} training sessions",
                day=retro.end,
                worked=format_minutes(retro.counts.get("worked_min", 0)) or "0m",
            )
        )
    lines.append(
        t(
            "Sign-off: {accepted} deliverables accepted, change requests pending: {pending}",
            accepted=summary.acceptance(),
            pending=summary.pending_changes(),
        )
    )
    when, blockers = summary.blockers()
    return [
        heading(2, f"{summary.engineer} · {summary.name}"),
        "",
        "\n".join(f"- {line}" for line in lines),
        "",
        heading(3, t("Blockers and help needed") + (f" ({when})" if when else "")),
        "",
        bullets(blockers) if blockers else none(),
        "",
    ]
