"""The customer's status (客户也可查看进度): where the project stands, for the customer's
eyes — progress, open issues, fixes waiting for their confirmation, trainings, UAT.

What is internal stays out, by construction: the report reads only the fields listed
here, never hours, work sessions, wellbeing, the engineer's notes (plan notes, stand-up
blockers and resources, daily-sync notes, the retro), escalations and their notes,
issue history notes, deliverable notes and waivers, training notes and feedback,
attendee remarks, or change-request notes. tests/unit/test_faq_customer.py fills
each of those with a marker and checks that none reaches the export.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta, tzinfo

from sitedash.i18n import t
from sitedash.models import (
    AcceptanceItem,
    Assessment,
    Engagement,
    Issue,
    IssueStatus,
    ItemStatus,
    Milestone,
    replace,
)
from sitedash.reports.markdown import byline, heading, report_header, section, table
from sitedash.reports.uat import failed_markdown, summary_markdown, uat_counts, waiting_markdown
from sitedash.services import overview, uat
from sitedash.services import signoff as signoff_service
from sitedash.services.issues import status_label
from sitedash.services.review import as_of, issue_stats
from sitedash.services.timeutil import zone
from sitedash.services.training import present, tier_label
from sitedash.storage import Store


def file_name(engagement: Engagement, day: date) -> str:
    return f"customer-{engagement.id}-{day.isoformat()}.md"


def milestone_standings(
    store: Store, engagement: Engagement, items: Sequence[AcceptanceItem], day: date
) -> list[tuple[Milestone, overview.Standing]]:
    """Each milestone, in the screen's order, with where it stands on `day` (done,
    late, at risk, on track; at risk looks at its deliverables among `items`)."""
    by_id = {i.id: i for i in items}
    return [(m, overview.standing(m, by_id, day)) for m in store.milestones(engagement.id)]


def _milestone_table(standings: Sequence[tuple[Milestone, overview.Standing]]) -> str:
    """Milestone, due date and standing: the plan's owners, phases and buffers are
    internal and stay out."""
    return table(
        [t("Milestone"), t("Due"), t("Status")],
        [
            [m.title, m.due.isoformat() if m.due else "-", overview.standing_label(standing)]
            for m, standing in standings
        ],
    )


def _local_day(moment: datetime | None, site: tzinfo) -> str:
    return moment.astimezone(site).date().isoformat() if moment else "-"


def customer_report(
    store: Store, engagement: Engagement, day: date, *, engineer: str, now: datetime
) -> str:
    """Render the customer's status of one engagement as of the end of `day`.

    Issues are as they stood then; trainings up to `day` are done, later ones planned;
    deliverables and UAT cases keep no history, so they show where they stand now.
    """
    site = zone(engagement.site_tz)
    cutoff = min(now, datetime.combine(day + timedelta(days=1), time(), tzinfo=site))
    items = store.acceptance_items(engagement.id)
    all_issues = store.issues(engagement.id)
    issues = [replace(i, status=status) for i, status in as_of(all_issues, cutoff)]
    open_issues = sorted(
        (i for i in issues if i.status.is_open), key=lambda i: (i.severity, i.number)
    )
    waiting = [i for i in issues if i.status is IssueStatus.RESOLVED]
    sessions = store.training_sessions(engagement.id)
    done = sorted((s for s in sessions if s.day <= day), key=lambda s: (s.day, s.start_time))
    planned = sorted((s for s in sessions if s.day > day), key=lambda s: (s.day, s.start_time))
    cases = store.uat_cases(engagement.id)
    milestones = milestone_standings(store, engagement, items, day)
    done_milestones = sum(1 for _, standing in milestones if standing is overview.Standing.DONE)
    accepted = sum(1 for i in items if i.status is ItemStatus.ACCEPTED)
    counts = {
        "milestones": len(milestones),
        "milestones_done": done_milestones,
        "deliverables": len(items),
        "accepted": accepted,
        "open_issues": len(open_issues),
        "awaiting_confirmation": len(waiting),
        "trainings_done": len(done),
        "trainings_planned": len(planned),
        **uat_counts(cases),
    }
    start = min(engagement.start or day, day)
    parts = [
        report_header(
            "customer",
            engineer=engineer,
            engagement=engagement,
            start=start,
            end=day,
            now=now,
            counts=counts,
            issues=issue_stats(all_issues, cutoff, cutoff),
        ),
        "",
        heading(1, t("Project status · {name} · {day}", name=engagement.name, day=day.isoformat())),
        "",
        byline(engineer, engagement),
        "",
    ]
    parts += [
        *section(
            t("Milestones ({done}/{total} done)", done=done_milestones, total=len(milestones)),
            _milestone_table(milestones),
        ),
        *section(
            t("Deliverables ({accepted}/{total} accepted)", accepted=accepted, total=len(items)),
            table(
                [t("Deliverable"), t("Status")],
                [[i.name, signoff_service.item_status_label(i.status)] for i in items],
            ),
        ),
        *section(
            t("Open issues ({n})", n=len(open_issues)),
            _open_table(open_issues, site),
        ),
        *section(
            t("Resolved, waiting for your confirmation ({n})", n=len(waiting)),
            _waiting_table(waiting, site, cutoff),
        ),
        *section(t("Trainings")),
        *section(
            t("Done ({n})", n=len(done)),
            table(
                [t("Date"), t("Topic"), t("Audience"), t("Modules"), t("Attendees"), t("Passed")],
                [
                    [
                        s.day.isoformat(),
                        s.topic,
                        tier_label(s.tier),
                        ", ".join(s.modules),
                        str(len(present(s))),
                        str(sum(1 for a in s.attendees if a.result is Assessment.PASSED)),
                    ]
                    for s in done
                ],
            ),
            level=3,
        ),
        *section(
            t("Planned ({n})", n=len(planned)),
            table(
                [t("Date"), t("Time"), t("Topic"), t("Audience"), t("Modules"), t("Trainer")],
                [
                    [
                        s.day.isoformat(),
                        s.start_time or "-",
                        s.topic,
                        tier_label(s.tier),
                        ", ".join(s.modules),
                        s.trainer,
                    ]
                    for s in planned
                ],
            ),
            level=3,
        ),
        *section(
            t("UAT ({line})", line=uat.tally(cases).line()),
            summary_markdown(cases),
        ),
        *section(
            t("Failed UAT cases ({n})", n=len(uat.failed(cases))),
            failed_markdown(cases),
            level=3,
        ),
        *section(
            t("UAT cases still to run ({n})", n=uat.tally(cases).waiting),
            waiting_markdown(cases),
            level=3,
        ),
    ]
    return "\n".join(parts)


def _open_table(issues: Sequence[Issue], site: tzinfo) -> str:
    return table(
        [t("Issue"), t("Severity"), t("Module"), t("Title"), t("Status"), t("Reported")],
        [
            [
                i.key,
                i.severity.value,
                i.module,
                i.title,
                status_label(i.status),
                _local_day(i.created, site),
            ]
            for i in issues
        ],
    )


def _resolved_at(issue: Issue, cutoff: datetime) -> datetime | None:
    """When the issue last moved to Resolved by `cutoff` (a reopened one again later)."""
    moves = [
        c.at
        for c in issue.history
        if c.is_move and c.to_status is IssueStatus.RESOLVED and c.at <= cutoff
    ]
    return max(moves, default=None)


def _waiting_table(issues: Sequence[Issue], site: tzinfo, cutoff: datetime) -> str:
    return table(
        [t("Issue"), t("Module"), t("Title"), t("Resolved"), t("Solution")],
        [
            [
                i.key,
                i.module,
                i.title,
                _local_day(_resolved_at(i, cutoff), site),
                i.solution,
            ]
            for i in issues
        ],
    )


render = customer_report
"""The renderer `reports.registry` calls for this kind."""
