"""The acceptance pack (验收): deliverables, signatures, confirmed issues, the UAT
summary and failed cases, open items, change requests — what the customer signs and the
lead files."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sitedash.i18n import t
from sitedash.models import (
    AcceptanceItem,
    ChangeRequest,
    Decision,
    Engagement,
    IssueStatus,
    ItemStatus,
    UatResult,
    replace,
)
from sitedash.reports.health import pending_changes_since
from sitedash.reports.markdown import bullets, byline, heading, report_header, section, table
from sitedash.reports.uat import failed_markdown, summary_markdown, uat_counts
from sitedash.services import signoff as svc
from sitedash.services import uat
from sitedash.services.issues import status_label as issue_status_label
from sitedash.services.overview import overview
from sitedash.services.review import as_of, issue_stats
from sitedash.services.timeutil import zone
from sitedash.storage import Store
from sitedash.textsafe import md_inline


def file_name(engagement: Engagement, day: date) -> str:
    return f"acceptance-{engagement.id}-{day.isoformat()}.md"


def _day(value: date | None) -> str:
    return value.isoformat() if value else "-"


def _as_of(change: ChangeRequest, day: date) -> ChangeRequest:
    """A change request as it stood at the end of `day`: decided later is pending then."""
    if change.decided_on is not None and change.decided_on > day:
        return replace(change, decision=Decision.PENDING, decided_by="", decided_on=None)
    return change


def _waiver(item: AcceptanceItem | None) -> list[str]:
    """The waiver the UAT report was accepted under, if any: the customer signs it."""
    if item is None or not item.waived:
        return []
    return [
        md_inline(t("Accepted with a waiver for the cases not run: {note}", note=item.waiver_note))
    ]


def acceptance_report(
    store: Store, engagement: Engagement, day: date, *, engineer: str, now: datetime
) -> str:
    """Render the acceptance pack of one engagement as of the end of `day`.

    Sign-offs, change requests and their decisions, and issues are cut at `day` (an
    earlier day gives the pack as it stood then); deliverables and UAT cases keep no
    history, so they show their status now.
    """
    site = zone(engagement.site_tz)
    cutoff = min(now, datetime.combine(day + timedelta(days=1), time(), tzinfo=site))
    items = store.acceptance_items(engagement.id)
    records = [r for r in store.signoffs(engagement.id) if r.day is None or r.day <= day]
    changes = [
        _as_of(c, day)
        for c in store.change_requests(engagement.id)
        if c.day is None or c.day <= day
    ]
    all_issues = store.issues(engagement.id)
    issues = [replace(i, status=status) for i, status in as_of(all_issues, cutoff)]
    confirmed = [i for i in issues if i.status is IssueStatus.CONFIRMED]
    unconfirmed = [i for i in issues if i.status is not IssueStatus.CONFIRMED]
    superseded = svc.superseded_ids(records)
    summary = svc.progress(items, changes, issues)
    open_items = [i for i in items if i.status is not ItemStatus.ACCEPTED]
    pending = [c for c in changes if c.decision is Decision.PENDING]
    cases = store.uat_cases(engagement.id)
    uat_tally = uat.tally(cases)
    report_item = next((i for i in items if i.template == uat.UAT_REPORT), None)
    counts = {
        "deliverables": summary.total,
        "accepted": summary.accepted,
        "rejected": summary.rejected,
        "signoffs": len(records) - len(superseded),
        "confirmed_issues": len(confirmed),
        "open_issues": len(unconfirmed),
        "resolved_unconfirmed": summary.unconfirmed,
        "change_requests": len(changes),
        "pending_changes": len(pending),
        **uat_counts(cases),
    }
    start = min(engagement.start or day, min((r.day for r in records if r.day), default=day))
    parts = [
        report_header(
            "acceptance",
            engineer=engineer,
            engagement=engagement,
            start=start,
            end=day,
            now=now,
            counts=counts,
            issues=issue_stats(all_issues, cutoff, cutoff),
            extra={
                **overview(store, engagement.id, day).front_matter(),
                "pending_changes_since": [
                    d.isoformat() for d in pending_changes_since(changes, day) if d
                ],
            },
        ),
        "",
        heading(
            1, t("Acceptance pack · {name} · {day}", name=engagement.name, day=day.isoformat())
        ),
        "",
        byline(engineer, engagement),
        "",
        md_inline(summary.summary()),
        "",
        *section(
            t("Deliverables"),
            table(
                [t("Deliverable"), t("Status"), t("Evidence"), t("Note")],
                [[i.name, svc.item_status_label(i.status), i.evidence, i.note] for i in items],
            ),
        ),
        *section(
            t("Sign-off records"),
            table(
                [
                    t("Subject"),
                    t("Signer"),
                    t("Role"),
                    t("Date"),
                    t("Method"),
                    t("Reference"),
                    t("State"),
                ],
                [
                    [
                        svc.subject_label(r),
                        r.signer,
                        r.role,
                        _day(r.day),
                        svc.method_label(r.method),
                        r.reference,
                        t("superseded")
                        if r.id in superseded
                        else (t("corrects an earlier record") if r.supersedes else t("valid")),
                    ]
                    for r in records
                ],
            ),
        ),
        *section(
            t("Issues confirmed by the customer ({n})", n=len(confirmed)),
            table(
                [t("Issue"), t("Title"), t("Confirmed by"), t("Method"), t("Reference"), t("Date")],
                [
                    [
                        i.key,
                        i.title,
                        i.confirmation.by if i.confirmation else "",
                        svc.method_label_for_issue(i),
                        i.confirmation.reference if i.confirmation else "",
                        i.confirmation.at.date().isoformat() if i.confirmation else "",
                    ]
                    for i in confirmed
                ],
            ),
        ),
        *section(
            t("UAT ({line})", line=uat_tally.line()),
            *_waiver(report_item),
            summary_markdown(cases),
        ),
        *section(
            t("Failed UAT cases ({n})", n=len(uat.failed(cases))),
            failed_markdown(cases),
            level=3,
        ),
        *section(
            t("Open items"),
            bullets(
                [
                    t(
                        "Deliverable not accepted: {name} ({status})",
                        name=i.name,
                        status=svc.item_status_label(i.status),
                    )
                    for i in open_items
                ]
                + [
                    t(
                        "Issue not confirmed: {key} {title} ({status})",
                        key=i.key,
                        title=i.title,
                        status=issue_status_label(i.status),
                    )
                    for i in unconfirmed
                ]
                + [
                    t("UAT case failed: {key} {title}", key=c.key, title=c.title)
                    for c in uat.failed(cases)
                ]
                + (
                    [
                        t(
                            "UAT cases not run yet: {n} ({not_run} not run, {blocked} blocked)",
                            n=uat_tally.waiting,
                            not_run=uat_tally.counts[UatResult.NOT_RUN],
                            blocked=uat_tally.counts[UatResult.BLOCKED],
                        )
                    ]
                    if uat_tally.waiting
                    else []
                )
                + [
                    t("Change request pending: {key} {request}", key=c.key, request=c.request)
                    for c in pending
                ]
            ),
        ),
        *section(
            t("Change requests ({n})", n=len(changes)),
            table(
                [
                    t("CR"),
                    t("Request"),
                    t("Requester"),
                    t("Date"),
                    t("Scope"),
                    t("Schedule"),
                    t("Cost"),
                    t("Decision"),
                    t("Decided by"),
                    t("Phase"),
                ],
                [
                    [
                        c.key,
                        c.request,
                        c.requester,
                        _day(c.day),
                        c.scope,
                        c.schedule,
                        c.cost,
                        svc.decision_label(c.decision),
                        f"{c.decided_by} {_day(c.decided_on)}" if c.decided_by else "",
                        c.phase,
                    ]
                    for c in changes
                ],
            ),
        ),
    ]
    return "\n".join(parts)


render = acceptance_report
"""The renderer `reports.registry` calls for this kind."""
