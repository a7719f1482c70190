"""The weekly review (周复盘): the ISO week's delivery, issues, trainings, feedback, hours."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sitedash.i18n import t, tn, weekday_name
from sitedash.models import Engagement, FeedbackCategory, PlanStatus, Severity
from sitedash.reports.daily import items_table, lines_of
from sitedash.reports.health import health_fields
from sitedash.reports.markdown import bullets, byline, heading, none, report_header, section, table
from sitedash.reports.overview import milestones_markdown, risks_markdown
from sitedash.reports.training import coverage_markdown, sessions_markdown
from sitedash.services import review
from sitedash.services.issues import recurring
from sitedash.services.issues import status_label as issue_status_label
from sitedash.services.overview import Standing, not_ok, overview
from sitedash.services.signoff import progress
from sitedash.services.timeutil import work_day, zone
from sitedash.services.today import carry_over_state, format_minutes
from sitedash.services.training import coverage_from, present, roster_from_tally
from sitedash.services.wellbeing import worked_by_day
from sitedash.storage import Store


def file_name(engagement: Engagement, day: date) -> str:
    return f"weekly-{engagement.id}-{review.iso_week_name(day)}.md"


def weekly_report(
    store: Store, engagement: Engagement, day: date, *, engineer: str, now: datetime
) -> str:
    """Render the review of the ISO week containing `day`."""
    monday, sunday = review.week_of(day)
    days = [monday + timedelta(days=n) for n in range(7)]
    site = zone(engagement.site_tz)

    items = store.plan_items_between(monday, sunday, engagement.id)
    next_monday = sunday + timedelta(days=1)
    candidates, continued = carry_over_state(store, engagement.id, next_monday)
    plan = review.plan_stats(items, continued)
    upcoming = [
        i
        for i in store.plan_items_between(next_monday, next_monday + timedelta(6), engagement.id)
        if i.status is not PlanStatus.DROPPED
    ]

    start = datetime.combine(monday, time(), tzinfo=site).astimezone(UTC)
    # Issues confirmed before the week and unchanged since are only counted (issue 23).
    issues, settled = store.issues_since(engagement.id, start)
    stats = review.issue_stats(issues, start, start + timedelta(days=7), settled=settled)
    recurring_now = [i for i in recurring(issues) if i.created and start <= i.created]

    sessions = store.training_sessions_between(monday, sunday, engagement.id)
    # The matrix counts every session, from the training index's tallies (issue 23).
    tally = store.training_tally(engagement.id)
    people = roster_from_tally(tally, store.roster(engagement.id), engagement.id)
    matrix = coverage_from(tally, people)

    feedback = store.feedback_between(monday, sunday, engagement.id)
    scores = [f.satisfaction for f in feedback if f.satisfaction is not None]
    work = store.sessions_between(monday, sunday, engagement.id)
    worked = worked_by_day(work, days, now)  # the timesheet's count too
    notes = store.day_notes_between(monday, sunday, engagement.id)
    blockers = [(n.day, line) for n in notes for line in lines_of(n.blockers)]
    acceptance = progress(
        store.acceptance_items(engagement.id), store.change_requests(engagement.id), issues
    )
    # Milestones and risks as of the week's end, or now for the week still running.
    seen = overview(
        store, engagement.id, min(sunday, work_day(now, site, store.settings().day_starts_at))
    )
    late = seen.milestones_in(Standing.LATE)
    at_risk = seen.milestones_in(Standing.AT_RISK)

    attended = sum(len(present(s)) for s in sessions)
    highlights = [
        tn(
            plan.planned,
            "{done} of {planned} plan item done, {rate} on the day planned",
            "{done} of {planned} plan items done, {rate} on the day planned",
            done=plan.done,
            planned=plan.planned,
            rate=review.format_rate(plan.on_time_rate),
        ),
        tn(
            stats.resolved,
            "{n} issue resolved, {m} confirmed by the customer",
            "{n} issues resolved, {m} confirmed by the customer",
            m=stats.confirmed,
        ),
        tn(
            len(sessions),
            "{n} training session, {attendances}",
            "{n} training sessions, {attendances}",
            # Those marked absent did not attend: the same count as `trained_people`.
            attendances=tn(attended, "{n} attendance", "{n} attendances"),
        ),
    ]
    if scores:
        highlights.append(
            tn(
                len(scores),
                "Customer satisfaction {score} of 5 ({n} score)",
                "Customer satisfaction {score} of 5 ({n} scores)",
                score=f"{sum(scores) / len(scores):.1f}",
            )
        )
    open_urgent = stats.open_by_severity[Severity.P1] + stats.open_by_severity[Severity.P2]
    gaps = [
        text
        for count, text in (
            (
                plan.planned - plan.done,
                tn(
                    plan.planned - plan.done,
                    "{n} plan item not finished",
                    "{n} plan items not finished",
                ),
            ),
            (open_urgent, tn(open_urgent, "{n} open P1/P2 issue", "{n} open P1/P2 issues")),
            (
                acceptance.unconfirmed,
                t(
                    "resolved issues waiting for the customer's confirmation: {n}",
                    n=acceptance.unconfirmed,
                ),
            ),
            (acceptance.open_changes, t("change requests pending: {n}", n=acceptance.open_changes)),
            (
                len(matrix.gaps),
                t("training gaps (fewer than two hands-on sessions): {n}", n=len(matrix.gaps)),
            ),
            (len(late), t("late milestones: {n}", n=len(late))),
            (len(at_risk), t("milestones at risk: {n}", n=len(at_risk))),
            (
                len(seen.triggered_risks),
                t("risks whose trigger date has come: {n}", n=len(seen.triggered_risks)),
            ),
            (len(not_ok(seen.checks)), t("checks not ok: {n}", n=len(not_ok(seen.checks)))),
        )
        if count
    ]
    counts = {
        "planned": plan.planned,
        "done": plan.done,
        "done_on_time": plan.on_time,
        "carried": plan.carried,
        "dropped": plan.dropped,
        "issues_opened": stats.opened,
        "issues_resolved": stats.resolved,
        "issues_confirmed": stats.confirmed,
        "open_p1_p2": open_urgent,
        "trainings": len(sessions),
        "trained_people": sum(len(present(s)) for s in sessions),
        "feedback": len(feedback),
        "worked_min": sum(worked.values()),
        "blockers": len(blockers),
        "pending_changes": acceptance.open_changes,
    }
    by_day = {d: [i for i in items if i.day == d] for d in days}
    parts = [
        report_header(
            "weekly",
            engineer=engineer,
            engagement=engagement,
            start=monday,
            end=sunday,
            now=now,
            counts=counts,
            issues=stats,
            worked_by_day=worked,
            blockers=[line for _, line in blockers],
            extra={
                **seen.front_matter(),
                **health_fields(store, engagement, sunday, start + timedelta(days=7), issues),
            },
        ),
        "",
        heading(
            1,
            t(
                "Weekly review · {name} · {week}",
                name=engagement.name,
                week=review.iso_week_name(monday),
            ),
        ),
        "",
        byline(engineer, engagement, (monday, sunday)),
        "",
        *section(t("Highlights"), bullets(highlights)),
        *section(t("Gaps"), bullets(gaps)),
        *section(
            t("Plan and delivery"),
            table(
                [t("Day"), t("Planned"), t("Done"), t("Carried over"), t("Dropped")],
                [
                    [
                        f"{weekday_name(d)} {d.isoformat()}",
                        str(len([i for i in by_day[d] if i.status is not PlanStatus.DROPPED])),
                        str(len([i for i in by_day[d] if i.status is PlanStatus.DONE])),
                        str(len([i for i in by_day[d] if i.id in continued])),
                        str(len([i for i in by_day[d] if i.status is PlanStatus.DROPPED])),
                    ]
                    for d in days
                    if by_day[d]
                ],
                raw=True,
            ),
        ),
        t(
            "On-time delivery: {rate} of the done items were done on the day first planned.",
            rate=review.format_rate(plan.on_time_rate),
        ),
        "",
        *section(
            t("Issues"),
            table(
                [
                    t("Opened"),
                    t("Resolved"),
                    t("Confirmed"),
                    t("Mean time to resolve"),
                    t("Mean time to confirm"),
                ],
                [
                    [
                        str(stats.opened),
                        str(stats.resolved),
                        str(stats.confirmed),
                        review.format_days(stats.mean_days_to_resolve),
                        review.format_days(stats.mean_days_to_confirm),
                    ]
                ],
                raw=True,
            ),
        ),
        t(
            "Still open by severity: {counts}",
            counts=", ".join(f"{s.value} {n}" for s, n in stats.open_by_severity.items()),
        ),
        "",
        *section(
            t("Recurring issues"),
            table(
                [t("Issue"), t("Title"), t("Recurs from"), t("Status")],
                [
                    [i.key, i.title, f"ISS-{i.recurs_from}", issue_status_label(i.status)]
                    for i in recurring_now
                ],
            ),
        ),
        *section(t("Milestones"), milestones_markdown(seen)),
        *section(t("Open risks"), risks_markdown(seen)),
        *section(t("Trainings"), sessions_markdown(sessions)),
        *section(t("Training coverage"), coverage_markdown(matrix), level=3),
        heading(2, t("Customer feedback")),
        "",
    ]
    for category in FeedbackCategory:
        said = [f for f in feedback if f.category is category]
        parts += [
            *section(
                f"{review.category_label(category)} ({len(said)})",
                bullets(
                    f"{f.day.isoformat()} {f.source + ': ' if f.source else ''}{f.text}"
                    for f in said
                ),
                level=3,
            ),
        ]
    parts += [
        *section(
            t("Customer satisfaction"),
            tn(
                len(scores),
                "{score} of 5 from {n} score",
                "{score} of 5 from {n} scores",
                score=f"{sum(scores) / len(scores):.1f}",
            )
            if scores
            else none(),
        ),
        *section(
            t("Hours per day"),
            table(
                [t("Day"), t("Worked")],
                [
                    [f"{weekday_name(d)} {d.isoformat()}", format_minutes(worked[d]) or "-"]
                    for d in days
                ]
                + [[t("Total"), format_minutes(sum(worked.values())) or "-"]],
                raw=True,
            ),
        ),
        *section(
            t("Blockers and help needed"),
            bullets(f"{d.isoformat()} {line}" for d, line in blockers),
        ),
        *section(
            t("Next week"),
            items_table(
                upcoming + [i for i in candidates if i.id not in {u.carried_from for u in upcoming}]
            ),
        ),
    ]
    return "\n".join(parts)


render = weekly_report
"""The renderer `reports.registry` calls for this kind."""
