"""Looking back: customer feedback, the retrospective's own words, and the statistics
the weekly review and the retrospective compute from plan items, issues and hours."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sitedash.errors import InputError
from sitedash.i18n import t
from sitedash.models import (
    Feedback,
    FeedbackCategory,
    Issue,
    IssueStatus,
    PlanItem,
    PlanStatus,
    Retro,
    Severity,
)
from sitedash.services.today import check_note
from sitedash.textsafe import clean_line


def category_label(category: FeedbackCategory) -> str:
    return {
        FeedbackCategory.TECHNICAL: t("technical"),
        FeedbackCategory.PROCESS: t("process"),
        FeedbackCategory.SERVICE: t("service"),
    }[category]


def retro_label(field: str) -> str:
    return {
        "goals": t("Goals"),
        "results": t("Results"),
        "success_factors": t("Success factors"),
        "lessons": t("Lessons learnt"),
        "practices": t("Reusable practices"),
    }[field]


def check_feedback(feedback: Feedback) -> Feedback:
    feedback.text = check_note(feedback.text).strip()
    if not feedback.text:
        raise InputError(t("the feedback is empty: write what the customer said"))
    feedback.source = clean_line(feedback.source)
    if feedback.satisfaction is not None and not 1 <= feedback.satisfaction <= 5:
        raise InputError(t("satisfaction is a score from 1 to 5"))
    return feedback


def parse_satisfaction(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= 5:
        raise InputError(t("satisfaction is a score from 1 to 5"))
    return int(text)


def check_retro(retro: Retro) -> Retro:
    for name in Retro.FIELDS:
        setattr(retro, name, check_note(getattr(retro, name)))
    return retro


def week_of(day: date) -> tuple[date, date]:
    """Monday and Sunday of the ISO week containing `day`."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def iso_week_name(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(slots=True)
class PlanStats:
    planned: int
    done: int
    on_time: int
    """Done on the day it was first planned (not carried over)."""
    carried: int
    dropped: int

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.done if self.done else None


def plan_stats(items: Sequence[PlanItem], carried_away: set[str]) -> PlanStats:
    """Plan items of a period; an item carried forward counts once, where it ended."""
    counted = [i for i in items if i.id not in carried_away]
    done = [i for i in counted if i.status is PlanStatus.DONE]
    return PlanStats(
        planned=len([i for i in counted if i.status is not PlanStatus.DROPPED]),
        done=len(done),
        on_time=len([i for i in done if not i.carried_from]),
        carried=len([i for i in items if i.id in carried_away]),
        dropped=len([i for i in counted if i.status is PlanStatus.DROPPED]),
    )


def first_reached(issue: Issue, status: IssueStatus) -> datetime | None:
    return next((c.at for c in issue.history if c.is_move and c.to_status is status), None)


def status_at(issue: Issue, moment: datetime) -> IssueStatus | None:
    """Where the issue stood at `moment`, from its history (None: not yet reported).
    A report of a past period shows the board as it was then."""
    if issue.created is not None and issue.created > moment:
        return None
    if not issue.history:
        return issue.status
    status = None
    for change in issue.history:
        if change.at <= moment:
            status = change.to_status
    return status


def as_of(issues: Sequence[Issue], moment: datetime) -> list[tuple[Issue, IssueStatus]]:
    """The issues reported by `moment`, each with its status then."""
    pairs = [(issue, status_at(issue, moment)) for issue in issues]
    return [(issue, status) for issue, status in pairs if status is not None]


def mean_days(spans: Sequence[timedelta]) -> float | None:
    if not spans:
        return None
    return sum(s.total_seconds() for s in spans) / len(spans) / 86400


@dataclass(slots=True)
class IssueStats:
    opened: int
    resolved: int
    confirmed: int
    open_by_severity: dict[Severity, int]
    by_status: dict[IssueStatus, int]
    mean_days_to_resolve: float | None
    mean_days_to_confirm: float | None


def issue_stats(
    issues: Sequence[Issue], start: datetime, end: datetime, *, settled: int = 0
) -> IssueStats:
    """What happened to issues between `start` and `end`, and where they stood at `end`.

    Mean times count the issues resolved (or confirmed) in the period: from creation
    to the first time they reached that column. `settled` issues are not in `issues`:
    confirmed before `start` and unchanged since (`Store.issues_since`), they only
    count as confirmed.
    """

    def within(moment: datetime | None) -> bool:
        return moment is not None and start <= moment < end

    resolved = [i for i in issues if within(first_reached(i, IssueStatus.RESOLVED))]
    confirmed = [i for i in issues if within(first_reached(i, IssueStatus.CONFIRMED))]
    standing = as_of(issues, end)
    status_counts = Counter(status for _, status in standing)
    status_counts[IssueStatus.CONFIRMED] += settled
    severity_counts = Counter(i.severity for i, status in standing if status.is_open)
    return IssueStats(
        opened=len([i for i in issues if within(i.created)]),
        resolved=len(resolved),
        confirmed=len(confirmed),
        open_by_severity={s: severity_counts.get(s, 0) for s in Severity},
        by_status={s: status_counts.get(s, 0) for s in IssueStatus},
        mean_days_to_resolve=mean_days(_spans(resolved, IssueStatus.RESOLVED)),
        mean_days_to_confirm=mean_days(_spans(confirmed, IssueStatus.CONFIRMED)),
    )


def _spans(issues: Sequence[Issue], status: IssueStatus) -> list[timedelta]:
    """From creation to the first time each issue reached `status`."""
    spans = []
    for issue in issues:
        reached = first_reached(issue, status)
        if reached is not None and issue.created is not None:
            spans.append(reached - issue.created)
    return spans


def format_days(value: float | None) -> str:
    return "-" if value is None else t("{n} days", n=f"{value:.1f}")


def format_rate(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"
