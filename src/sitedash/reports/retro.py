"""The retrospective (复盘报告): the engineer's own words beside the engagement's facts."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

from sitedash.i18n import t, tn
from sitedash.models import Engagement, FeedbackCategory, IssueStatus, Retro, Severity, Tier
from sitedash.reports.markdown import byline, heading, none, report_header, section, table
from sitedash.reports.overview import milestones_markdown, risks_markdown
from sitedash.reports.training import coverage_markdown
from sitedash.services import review
from sitedash.services import signoff as signoff_service
from sitedash.services.issues import recurring
from sitedash.services.issues import status_label as issue_status_label
from sitedash.services.overview import overview
from sitedash.services.timeutil import zone
from sitedash.services.today import carry_over_state, format_minutes
from sitedash.services.training import coverage, roster, tier_label
from sitedash.services.wellbeing import minutes_on, worked_by_day
from sitedash.storage import Store
from sitedash.textsafe import md_block, md_inline


def file_name(engagement: Engagement, day: date) -> str:
    return f"retro-{engagement.id}-{day.isoformat()}.md"


def period(store: Store, engagement: Engagement, day: date) -> tuple[date, date]:
    """From the engagement's start (else its first plan item) to its end or `day`."""
    end = min(day, engagement.end) if engagement.end else day
    if engagement.start:
        return engagement.start, end
    items = store.all_plan_items(engagement.id)
    return (items[0].day if items else day), end


def _own_words(text: str) -> str:
    return md_block(text) if text.strip() else none()


def retro_report(
    store: Store, engagement: Engagement, day: date, *, engineer: str, now: datetime
) -> str:
    """Render the retrospective of one engagement up to `day`."""
    start, end = period(store, engagement, day)
    site = zone(engagement.site_tz)
    words: Retro = store.retro(engagement.id)

    items = store.plan_items_between(start, end, engagement.id)
    _, continued = carry_over_state(store, engagement.id, end + timedelta(days=1))
    plan = review.plan_stats(items, continued)
    issues = store.issues(engagement.id)
    since = datetime.combine(start, time(), tzinfo=site).astimezone(UTC)
    until = datetime.combine(end + timedelta(days=1), time(), tzinfo=site).astimezone(UTC)
    stats = review.issue_stats(issues, since, until)
    modules = Counter(i.module for i in issues if i.module)
    sessions = store.training_sessions(engagement.id)
    matrix = coverage(sessions, roster(store, engagement.id, sessions))
    items_accepted = store.acceptance_items(engagement.id)
    records = store.signoffs(engagement.id)
    changes = store.change_requests(engagement.id)
    summary = signoff_service.progress(items_accepted, changes, issues)
    superseded = signoff_service.superseded_ids(records)
    work = store.sessions_between(start, end, engagement.id)
    worked_days = sorted({s.day for s in work})
    total = sum(worked_by_day(work, worked_days, now).values())  # as weekly, timesheet
    long_day = store.settings().wellbeing.long_day_min
    long_days = [d for d in worked_days if minutes_on(work, d, now) >= long_day]
    feedback = store.feedback_between(start, end, engagement.id)
    scores = [f.satisfaction for f in feedback if f.satisfaction is not None]
    seen = overview(store, engagement.id, end)

    facts = [
        t(
            "{days} on site, {worked} worked on {worked_days} ({long} longer than {limit})",
            days=tn((end - start).days + 1, "{n} day", "{n} days"),
            worked=format_minutes(total) or "0m",
            worked_days=tn(len(worked_days), "{n} day", "{n} days"),
            long=len(long_days),
            limit=format_minutes(long_day),
        ),
        tn(
            plan.planned,
            "{done} of {planned} plan item done, {rate} on the day planned",
            "{done} of {planned} plan items done, {rate} on the day planned",
            done=plan.done,
            planned=plan.planned,
            rate=review.format_rate(plan.on_time_rate),
        ),
        tn(
            len(issues),
            "{n} issue, {confirmed} confirmed by the customer",
            "{n} issues, {confirmed} confirmed by the customer",
            confirmed=stats.by_status[IssueStatus.CONFIRMED],
        ),
        tn(
            len(sessions),
            "{n} training session for {people}",
            "{n} training sessions for {people}",
            people=tn(len(roster(store, engagement.id, sessions)), "{n} person", "{n} people"),
        ),
        md_inline(summary.summary()),
    ]
    counts = {
        "planned": plan.planned,
        "done": plan.done,
        "issues": len(issues),
        "issues_confirmed": stats.by_status[IssueStatus.CONFIRMED],
        "open_p1_p2": stats.open_by_severity[Severity.P1] + stats.open_by_severity[Severity.P2],
        "trainings": len(sessions),
        "training_gaps": len(matrix.gaps),
        "deliverables": summary.total,
        "accepted": summary.accepted,
        "change_requests": len(changes),
        "pending_changes": summary.open_changes,
        "worked_min": total,
        "feedback": len(feedback),
    }
    parts = [
        report_header(
            "retro",
            engineer=engineer,
            engagement=engagement,
            start=start,
            end=end,
            now=now,
            counts=counts,
            issues=stats,
            extra=seen.front_matter(),
        ),
        "",
        heading(1, t("Retrospective · {name}", name=engagement.name)),
        "",
        byline(engineer, engagement, (start, end)),
        "",
        *section(t("Goals"), _own_words(words.goals)),
        *section(t("Results"), _own_words(words.results)),
        *section(t("In figures"), "\n".join(f"- {fact}" for fact in facts), level=3),
        *section(t("Milestones"), milestones_markdown(seen), level=3),
        *section(t("Open risks"), risks_markdown(seen), level=3),
        *section(t("Success factors"), _own_words(words.success_factors)),
        *section(t("Lessons learnt"), _own_words(words.lessons)),
        *section(t("Reusable practices"), _own_words(words.practices)),
        *section(
            t("Issue summary"),
            table(
                [issue_status_label(s) for s in IssueStatus],
                [[str(stats.by_status[s]) for s in IssueStatus]],
                raw=True,
            ),
        ),
        t(
            "Still open by severity: {counts}",
            counts=", ".join(f"{s.value} {n}" for s, n in stats.open_by_severity.items()),
        ),
        "",
        t(
            "Mean time to resolve: {resolve}; to confirm: {confirm}.",
            resolve=review.format_days(stats.mean_days_to_resolve),
            confirm=review.format_days(stats.mean_days_to_confirm),
        ),
        "",
        *section(
            t("Modules with the most issues"),
            table(
                [t("Module"), t("Issues")],
                [
                    [module, str(n)]
                    for module, n in sorted(modules.items(), key=lambda m: (-m[1], m[0]))[:10]
                ],
            ),
            level=3,
        ),
        *section(
            t("Recurring issues"),
            table(
                [t("Issue"), t("Title"), t("Recurs from")],
                [[i.key, i.title, f"ISS-{i.recurs_from}"] for i in recurring(issues)],
            ),
            level=3,
        ),
        *section(
            t("Training coverage"),
            table(
                [t("Audience"), t("Sessions"), t("With hands-on practice")],
                [
                    [
                        tier_label(tier),
                        str(len([s for s in sessions if s.tier is tier])),
                        str(len([s for s in sessions if s.tier is tier and s.hands_on])),
                    ]
                    for tier in Tier
                ],
            ),
        ),
        coverage_markdown(matrix),
        "",
        *section(
            t("Sign-off status"),
            table(
                [t("Deliverable"), t("Status"), t("Evidence")],
                [
                    [i.name, signoff_service.item_status_label(i.status), i.evidence]
                    for i in items_accepted
                ],
            ),
        ),
        table(
            [t("Subject"), t("Signer"), t("Date"), t("Reference")],
            [
                [
                    signoff_service.subject_label(r),
                    r.signer,
                    r.day.isoformat() if r.day else "-",
                    r.reference,
                ]
                for r in records
                if r.id not in superseded
            ],
        ),
        "",
        *section(
            t("Change requests"),
            table(
                [t("CR"), t("Request"), t("Decision"), t("Phase")],
                [
                    [c.key, c.request, signoff_service.decision_label(c.decision), c.phase]
                    for c in changes
                ],
            ),
        ),
        *section(
            t("Customer feedback"),
            table(
                [t("Category"), t("Entries")],
                [
                    [review.category_label(c), str(len([f for f in feedback if f.category is c]))]
                    for c in FeedbackCategory
                ],
            ),
        ),
        tn(
            len(scores),
            "Customer satisfaction {score} of 5 ({n} score)",
            "Customer satisfaction {score} of 5 ({n} scores)",
            score=f"{sum(scores) / len(scores):.1f}",
        )
        if scores
        else none(),
        "",
    ]
    return "\n".join(parts)


render = retro_report
"""The renderer `reports.registry` calls for this kind."""
