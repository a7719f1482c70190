"""The pre-arrival checklist (驻点环境检查表, 部署检查清单) for the customer to check
before the engineer arrives: both lists with their state, notes and dates. For the
customer: no hours, risks or internal figures."""

from __future__ import annotations

from datetime import date, datetime

from sitedash.i18n import t
from sitedash.models import Check, CheckList, CheckState, Engagement
from sitedash.reports.markdown import byline, heading, report_header, section, table
from sitedash.services import overview
from sitedash.storage import Store

BOX = {CheckState.OPEN: "☐", CheckState.OK: "☑", CheckState.PROBLEM: "☒"}


def file_name(engagement: Engagement, day: date) -> str:
    return f"checklist-{engagement.id}-{day.isoformat()}.md"


def _rows(checks: list[Check]) -> list[list[str]]:
    return [
        [
            str(n),
            c.text,
            f"{BOX[c.state]} {overview.check_state_label(c.state)}",
            c.note,
            c.day.isoformat() if c.day else "",
        ]
        for n, c in enumerate(checks, 1)
    ]


def checklist_report(
    store: Store, engagement: Engagement, day: date, *, engineer: str, now: datetime
) -> str:
    """Render both checklists of one engagement as they stand."""
    checks = store.checks(engagement.id)
    pending = overview.not_ok(checks)
    counts = {
        "checks": len(checks),
        "ok": len(checks) - len(pending),
        "open": sum(1 for c in pending if c.state is CheckState.OPEN),
        "problems": sum(1 for c in pending if c.state is CheckState.PROBLEM),
    }
    arrival = engagement.start if engagement.start and engagement.start > day else None
    ask = (
        t(
            "Please check each item before {day} and note what is not ready yet; "
            "we will go through the list together on the first day.",
            day=arrival.isoformat(),
        )
        if arrival
        else t(
            "Please check each item and note what is not ready yet; "
            "we will go through the list together."
        )
    )
    parts = [
        report_header(
            "checklist",
            engineer=engineer,
            engagement=engagement,
            start=day,
            end=day,
            now=now,
            counts=counts,
            extra={"open_checks": len(pending)},
        ),
        "",
        heading(1, t("Pre-arrival checklist · {name}", name=engagement.name)),
        "",
        byline(engineer, engagement),
        "",
        ask,
        "",
        overview.checks_summary(checks) + ".",
        "",
    ]
    headers = ["#", t("Item"), t("State"), t("Note"), t("Checked")]
    for checklist in CheckList:
        listed = [c for c in checks if c.checklist is checklist]
        parts += section(overview.checklist_label(checklist), table(headers, _rows(listed)))
    return "\n".join(parts)


render = checklist_report
