"""The lead's roll-up: read several engineers' exported reports, summarise per engineer
and engagement, most urgent first. Reads only files; never an engineer's data dir."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sitedash.i18n import current_language, t
from sitedash.models import IssueStatus
from sitedash.reports.frontmatter import NotAReport, parse_front_matter
from sitedash.reports.markdown import REPORT_SCHEMA, bullets, front_matter, heading, none, table
from sitedash.services.exports import KINDS, kind_label
from sitedash.services.issues import status_label
from sitedash.services.today import format_minutes
from sitedash.textsafe import md_inline

MAX_REPORT_BYTES = 5_000_000
REQUIRED = ("kind", "engineer", "engagement", "period_start", "period_end", "counts")
STATUSES = ("new", "in_progress", "waiting", "resolved", "confirmed")
SEVERITIES = ("P1", "P2", "P3", "P4")


@dataclass(slots=True)
class Report:
    path: Path
    fields: dict[str, Any]

    @property
    def kind(self) -> str:
        return str(self.fields["kind"])

    @property
    def start(self) -> date:
        return date.fromisoformat(str(self.fields["period_start"]))

    @property
    def end(self) -> date:
        return date.fromisoformat(str(self.fields["period_end"]))

    @property
    def counts(self) -> dict[str, int]:
        return dict(self.fields["counts"])  # checked by `misshapen` on load

    @property
    def order(self) -> tuple[date, str]:
        """Newer period first, then the later export."""
        return self.end, str(self.fields.get("generated_at", ""))


@dataclass(slots=True)
class Skipped:
    path: Path
    reason: str


def find_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[Skipped]]:
    """Files named on the command line, and the *.md files under directories (other
    files there are listed as skipped, so the lead sees what was not read)."""
    found: list[Path] = []
    missing: list[Skipped] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for inner in sorted(path.rglob("*")):
                if not inner.is_file() or any(
                    part.startswith(".") for part in inner.relative_to(path).parts
                ):
                    continue  # hidden files and folders (.git) are not the lead's reports
                if inner.suffix.lower() == ".md":
                    found.append(inner)
                else:
                    missing.append(Skipped(inner, t("not a Markdown file (.md)")))
        elif path.is_file():
            found.append(path)
        else:
            missing.append(Skipped(path, t("does not exist")))
    return sorted(set(found)), missing


MAX_COUNT = 10**9
"""Larger figures are not a real engineer's: a hand-edited or damaged file."""

COUNT_MAPS = ("counts", "worked_by_day", "issues_by_status", "open_by_severity")
"""Fields that map names to whole numbers, when present (`counts` always is)."""


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNT


def misshapen(fields: dict[str, Any]) -> str | None:
    """The first field the roll-up reads that does not have the shape sitedash writes."""
    for name in COUNT_MAPS:
        value = fields.get(name, {} if name != "counts" else None)
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and _is_count(v) for k, v in value.items()
        ):
            return name
    blockers = fields.get("blockers", [])
    if not isinstance(blockers, list) or not all(isinstance(b, str) for b in blockers):
        return "blockers"
    return None


def load(path: Path) -> Report | Skipped:
    """A valid sitedash report, or why it is not one (never an exception)."""
    try:
        if path.stat().st_size > MAX_REPORT_BYTES:
            return Skipped(path, t("larger than 5 MB"))
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return Skipped(path, t("not UTF-8 text"))
    except OSError as error:
        return Skipped(path, t("unreadable: {reason}", reason=error.strerror))
    try:
        fields = parse_front_matter(text)
    except NotAReport as error:
        return Skipped(path, t("not a sitedash report: {reason}", reason=str(error)))
    if "sitedash_report" not in fields:
        return Skipped(path, t("not a sitedash report: no sitedash_report field"))
    version = fields["sitedash_report"]
    if isinstance(version, bool) or version != REPORT_SCHEMA:
        return Skipped(
            path,
            t(
                "unknown report schema {version!r}; this sitedash reads {known}",
                version=version,
                known=REPORT_SCHEMA,
            ),
        )
    if fields.get("kind") == "rollup":
        return Skipped(path, t("a roll-up, not an engineer's report"))
    missing = [name for name in REQUIRED if name not in fields]
    if missing:
        return Skipped(path, t("missing fields: {names}", names=", ".join(missing)))
    if fields["kind"] not in KINDS:
        return Skipped(path, t("unknown report kind {kind!r}", kind=fields["kind"]))
    shape = misshapen(fields)
    if shape:
        return Skipped(path, t("{field} is not what a sitedash report writes", field=shape))
    try:
        report = Report(path, fields)
        report.start, report.end  # noqa: B018 - the dates must parse
    except (TypeError, ValueError):
        return Skipped(path, t("bad period dates"))
    return report


@dataclass(slots=True)
class Summary:
    """One engineer on one engagement, over all their reports."""

    engineer: str
    engagement: str
    name: str = ""
    customer: str = ""
    reports: list[Report] = field(default_factory=list)

    @property
    def start(self) -> date:
        return min(r.start for r in self.reports)

    @property
    def end(self) -> date:
        return max(r.end for r in self.reports)

    def latest(self, *kinds: str, having: str | None = None) -> Report | None:
        candidates = [
            r
            for r in self.reports
            if r.kind in kinds and (having is None or isinstance(r.fields.get(having), dict | list))
        ]
        return max(candidates, key=lambda r: r.order) if candidates else None

    def worked_by_day(self) -> dict[str, int]:
        days: dict[str, int] = {}
        for report in self.reports:
            for day, minutes in (report.fields.get("worked_by_day") or {}).items():
                if isinstance(minutes, int):
                    days[day] = max(days.get(day, 0), minutes)
        return days

    def period_reports(self) -> list[Report]:
        """Weekly reviews, and the daily reports of days no weekly review covers, so
        that activity is counted once."""
        weeks = [r for r in self.reports if r.kind == "weekly"]
        days = [
            r
            for r in self.reports
            if r.kind == "daily" and not any(w.start <= r.start <= w.end for w in weeks)
        ]
        unique_weeks = {(w.start, w.end): w for w in sorted(weeks, key=lambda r: r.order)}
        unique_days = {d.start: d for d in sorted(days, key=lambda r: r.order)}
        return [*unique_weeks.values(), *unique_days.values()]

    def total(self, name: str) -> int:
        return sum(r.counts.get(name, 0) for r in self.period_reports())

    def snapshot(self) -> tuple[date, dict[str, int], dict[str, int]] | None:
        """Issues by status and open ones by severity, from the newest report with them."""
        latest = self.latest(*KINDS, having="issues_by_status")
        if latest is None:
            return None
        return (
            latest.end,
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
        found = latest.fields.get("blockers") or []
        return latest.end, [str(b) for b in found if isinstance(b, str)]

    def pending_changes(self) -> int:
        latest = self.latest("acceptance", "retro", "weekly")
        return latest.counts.get("pending_changes", 0) if latest else 0

    def acceptance(self) -> str:
        latest = self.latest("acceptance", "retro")
        if latest is None:
            return "-"
        counts = latest.counts
        return f"{counts.get('accepted', 0)}/{counts.get('deliverables', 0)}"


def summarise(reports: Sequence[Report]) -> list[Summary]:
    groups: dict[tuple[str, str], Summary] = {}
    for report in sorted(reports, key=lambda r: (r.order, str(r.path))):
        key = (str(report.fields["engineer"]), str(report.fields["engagement"]))
        summary = groups.setdefault(key, Summary(*key))
        summary.reports.append(report)
        summary.name = str(report.fields.get("engagement_name") or key[1])
        summary.customer = str(report.fields.get("customer") or "")
    return sorted(
        groups.values(),
        key=lambda s: (tuple(-n for n in s.attention()), s.engineer.casefold(), s.engagement),
    )


def rollup(paths: Iterable[str | Path], *, now: datetime) -> tuple[str, int, int]:
    """The team summary as Markdown; also the numbers of reports read and skipped."""
    files, skipped = find_files(paths)
    reports: list[Report] = []
    for path in files:
        loaded = load(path)
        (reports if isinstance(loaded, Report) else skipped).append(loaded)  # type: ignore[arg-type]
    summaries = summarise(reports)
    engineers = {s.engineer for s in summaries}
    parts = [
        front_matter(
            {
                "sitedash_report": REPORT_SCHEMA,
                "kind": "rollup",
                "generated_at": now.replace(microsecond=0),
                "language": current_language(),
                "counts": {
                    "reports": len(reports),
                    "skipped": len(skipped),
                    "engineers": len(engineers),
                    "engagements": len(summaries),
                },
            }
        ),
        "",
        heading(1, t("Team roll-up · {day}", day=now.date().isoformat())),
        "",
        t(
            "Reports read: {reports} · engineers: {engineers} · engagements: {engagements} "
            "· files skipped: {skipped}",
            reports=len(reports),
            engineers=len(engineers),
            engagements=len(summaries),
            skipped=len(skipped),
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
    ]
    for summary in summaries:
        parts += _summary_section(summary)
    parts += [
        heading(2, t("Skipped files")),
        "",
        table(
            [t("File"), t("Reason")],
            [[str(s.path), s.reason] for s in sorted(skipped, key=lambda s: str(s.path))],
        ),
        "",
    ]
    return "\n".join(parts), len(reports), len(skipped)


def _summary_section(summary: Summary) -> list[str]:
    worked = summary.worked_by_day()
    minutes = sum(worked.values())
    snapshot = summary.snapshot()
    kinds = sorted({r.kind for r in summary.reports})
    lines = [
        t(
            "Customer: {customer}",
            customer=md_inline(summary.customer) if summary.customer else "-",
        ),
        t(
            "Period covered: {start} to {end} ({n} reports: {kinds})",
            start=summary.start,
            end=summary.end,
            n=len(summary.reports),
            kinds=", ".join(kind_label(kind) for kind in kinds),
        ),
        t(
            "Hours: {worked} on {days} days",
            worked=format_minutes(minutes) or "0m",
            days=len([d for d, m in worked.items() if m]),
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
            "Trainings: {n} sessions, {people} attendances",
            n=summary.total("trainings"),
            people=summary.total("trained_people"),
        )
    )
    retro = summary.latest("retro")
    if retro is not None:  # the engagement as a whole, beyond the days and weeks sent
        lines.append(
            t(
                "Whole engagement, from the retrospective of {day}: {worked} worked, "
                "{n} training sessions",
                day=retro.end,
                worked=format_minutes(retro.counts.get("worked_min", 0)) or "0m",
                n=retro.counts.get("trainings", 0),
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
    out = [
        heading(2, f"{summary.engineer} · {summary.name}"),
        "",
        "\n".join(f"- {line}" for line in lines),
        "",
        heading(3, t("Blockers and help needed") + (f" ({when})" if when else "")),
        "",
        bullets(blockers) if blockers else none(),
        "",
    ]
    return out
