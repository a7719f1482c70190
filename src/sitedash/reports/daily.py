"""The daily report (日报): what was done, what is next, what blocks the engineer."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sitedash.i18n import t, tn
from sitedash.models import Engagement, Issue, IssueStatus, PlanItem, PlanStatus, SessionKind
from sitedash.reports.health import health_fields
from sitedash.reports.markdown import bullets, byline, heading, none, report_header, section, table
from sitedash.reports.overview import checks_markdown, problems_markdown
from sitedash.reports.training import sessions_markdown
from sitedash.services.issues import age_days, changed_on
from sitedash.services.issues import status_label as issue_status_label
from sitedash.services.overview import overview
from sitedash.services.review import as_of, issue_stats
from sitedash.services.timeutil import work_day, zone
from sitedash.services.today import carried_ids, category_label, format_minutes
from sitedash.services.training import present, sessions_on
from sitedash.services.wellbeing import recorded, session_label, whole_minutes, worked_by_day
from sitedash.storage import Store
from sitedash.textsafe import md_block

URGENT = ("P1", "P2")


def file_name(engagement: Engagement, day: date) -> str:
    return f"daily-{engagement.id}-{day.isoformat()}.md"


def items_table(items: list[PlanItem]) -> str:
    return table(
        [t("Item"), t("Category"), t("Estimate")],
        [[i.title, category_label(i.category), format_minutes(i.estimate_min)] for i in items],
    )


def issue_rows(issues: list[Issue]) -> list[list[str]]:
    return [[i.key, i.severity.value, i.title, i.module] for i in issues]


def text_section(text: str) -> str:
    return md_block(text) if text.strip() else none()


def lines_of(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def daily_report(
    store: Store, engagement: Engagement, day: date, *, engineer: str, now: datetime
) -> str:
    """Render the daily report of `day` for one engagement as Markdown."""
    site = zone(engagement.site_tz)
    day_starts_at = store.settings().day_starts_at
    items = store.plan_items(day, engagement.id)
    following = store.plan_items(day + timedelta(days=1), engagement.id)
    carried = carried_ids(following)
    note = store.day_note(day, engagement.id)
    done = [i for i in items if i.status is PlanStatus.DONE]
    open_items = [i for i in items if i.status.unfinished]
    dropped = [i for i in items if i.status is PlanStatus.DROPPED]
    # Tomorrow's plan: what is planned, and today's unfinished work not yet carried.
    tomorrow = [i for i in following if i.status is not PlanStatus.DROPPED]
    tomorrow += [i for i in open_items if i.id not in carried]

    day_start = datetime.combine(day, time(), tzinfo=site).astimezone(UTC)
    day_end = day_start + timedelta(days=1)
    # Issues confirmed before the day and unchanged since are only counted (issue 23).
    issues, settled = store.issues_since(engagement.id, day_start)
    moved = {
        status: [i for i in issues if changed_on(i, status, day, site, day_starts_at)]
        for status in (IssueStatus.RESOLVED, IssueStatus.CONFIRMED)
    }
    # Opened: reported that day (a card moved back to New was not opened again).
    moved[IssueStatus.NEW] = [
        i for i in issues if i.created and work_day(i.created, site, day_starts_at) == day
    ]
    # The open P1/P2 issues at the end of that day, the most severe and oldest first.
    urgent = sorted(
        (
            (i, status)
            for i, status in as_of(issues, day_end)
            if status.is_open and i.severity.value in URGENT
        ),
        key=lambda pair: (pair[0].severity.value, pair[0].created or now),
    )
    stats = issue_stats(issues, day_start, day_end, settled=settled)

    sessions = recorded(store.sessions_between(day, day, engagement.id))  # none under 1m
    worked = worked_by_day(sessions, [day], now)[day]
    rest = [s for s in sessions if s.kind is not SessionKind.WORK]
    trainings = sessions_on(store, engagement.id, day)
    seen = overview(store, engagement.id, day)

    counts = {
        "planned": len(items),
        "done": len(done),
        "unfinished": len(open_items),
        "dropped": len(dropped),
        "estimate_done_min": sum(i.estimate_min for i in done),
        "blockers": len(lines_of(note.blockers)),
        "issues_opened": len(moved[IssueStatus.NEW]),
        "issues_resolved": len(moved[IssueStatus.RESOLVED]),
        "issues_confirmed": len(moved[IssueStatus.CONFIRMED]),
        "open_p1_p2": len(urgent),
        "trainings": len(trainings),
        "trained_people": sum(len(present(s)) for s in trainings),
        "worked_min": worked,
        "breaks": len(rest),
    }
    issue_headers = [t("Issue"), t("Severity"), t("Title"), t("Module")]
    parts = [
        report_header(
            "daily",
            engineer=engineer,
            engagement=engagement,
            start=day,
            end=day,
            now=now,
            counts=counts,
            issues=stats,
            worked_by_day={day: worked},
            blockers=lines_of(note.blockers),
            extra={
                **seen.front_matter(),
                **health_fields(store, engagement, day, day_end, issues),
            },
        ),
        "",
        heading(1, t("Daily report · {name} · {day}", name=engagement.name, day=day.isoformat())),
        "",
        byline(engineer, engagement),
        "",
        *section(
            t("Done today ({done} of {planned})", done=len(done), planned=len(items)),
            items_table(done),
        ),
        *section(
            t("Not finished"),
            table(
                [t("Item"), t("Status"), t("Category")],
                [
                    [
                        i.title,
                        t("doing") if i.status is PlanStatus.DOING else t("todo"),
                        category_label(i.category),
                    ]
                    for i in open_items
                ],
            ),
        ),
        *section(t("Plan for tomorrow"), items_table(tomorrow)),
        *section(t("Dropped"), bullets(i.title for i in dropped)),
    ]
    for status, title in (
        (IssueStatus.NEW, t("Issues opened")),
        (IssueStatus.RESOLVED, t("Issues resolved")),
        (IssueStatus.CONFIRMED, t("Issues confirmed by the customer")),
    ):
        parts += section(
            f"{title} ({len(moved[status])})", table(issue_headers, issue_rows(moved[status]))
        )
    parts += [
        *section(
            t("Open P1/P2 issues ({n})", n=len(urgent)),
            table(
                [
                    t("Issue"),
                    t("Severity"),
                    t("Title"),
                    t("Status"),
                    t("Age (days)"),
                    t("Escalated"),
                ],
                [
                    [
                        i.key,
                        i.severity.value,
                        i.title,
                        issue_status_label(status),
                        str(age_days(i, min(day_end, now))),
                        t("yes") if i.escalated else "",
                    ]
                    for i, status in urgent
                ],
            ),
        ),
        *section(t("Trainings held ({n})", n=len(trainings)), sessions_markdown(trainings)),
        *section(t("Blockers and help needed"), text_section(note.blockers)),
        *section(t("Raised by milestones and risks"), problems_markdown(seen)),
        *section(t("Checklists"), checks_markdown(seen)),
        *section(t("Resources to coordinate"), text_section(note.resources)),
        *section(t("Customer daily sync"), text_section(note.sync_note)),
        *section(
            t("Hours"),
            tn(
                len(rest),
                "Worked {worked}; {n} break or walk ({rest}).",
                "Worked {worked}; {n} breaks or walks ({rest}).",
                worked=format_minutes(worked) or "0m",
                rest=format_minutes(sum(whole_minutes(s, now) for s in rest)) or "0m",
            ),
        ),
        table(
            [t("From"), t("To"), t("Kind"), t("Length")],
            [
                [
                    s.start.astimezone(site).strftime("%H:%M"),
                    s.end.astimezone(site).strftime("%H:%M") if s.end else t("running"),
                    session_label(s.kind),
                    format_minutes(int(s.minutes(now))) or "0m",
                ]
                for s in sessions
            ],
        ),
        "",
    ]
    return "\n".join(parts)


render = daily_report
"""The renderer `reports.registry` calls for this kind."""
