"""The Engagement screen's records in reports: open checks, milestones (late and at
risk marked), open risks, and the front matter keys the lead's roll-up reads."""

from __future__ import annotations

from sitedash.i18n import t
from sitedash.reports.markdown import bullets, none, table
from sitedash.services import overview
from sitedash.services.overview import Overview, Standing

STANDING_MARK = {
    Standing.LATE: "🔴",
    Standing.AT_RISK: "🟠",
    Standing.DONE: "✅",
    Standing.ON_TRACK: "",
}
"""Red and amber as on the screen, readable as plain text too."""


def standing_text(standing: Standing) -> str:
    label = overview.standing_label(standing)
    mark = STANDING_MARK[standing]
    return f"{mark} {label}" if mark else label


def checks_markdown(seen: Overview) -> str:
    """The count of open items until all are ok, and those items."""
    pending = overview.not_ok(seen.checks)
    rows = [
        [
            overview.checklist_label(c.checklist),
            c.text,
            overview.check_state_label(c.state),
            c.note,
        ]
        for c in pending
    ]
    summary = overview.checks_summary(seen.checks) + "."
    if not rows:
        return summary
    return summary + "\n\n" + table([t("List"), t("Item"), t("State"), t("Note")], rows)


def milestones_markdown(seen: Overview) -> str:
    rows = []
    for milestone in seen.milestones:
        linked = [i for i in milestone.deliverables if i in seen.items]
        pending = overview.pending_deliverables(milestone, seen.items)
        rows.append(
            [
                milestone.due.isoformat() if milestone.due else "-",
                milestone.title,
                milestone.phase,
                milestone.owner,
                f"{len(linked) - len(pending)}/{len(linked)}" if linked else "-",
                standing_text(seen.standing(milestone)),
            ]
        )
    return table(
        [t("Due"), t("Milestone"), t("Phase"), t("Owner"), t("Accepted"), t("Standing")], rows
    )


def risks_markdown(seen: Overview) -> str:
    """The open risks by score; a trigger date that has come is marked."""
    rows = [
        [
            f"{r.score} ({r.likelihood}×{r.impact})",
            r.description,
            r.owner,
            r.mitigation,
            (r.trigger.isoformat() if r.trigger else "-")
            + (" ⚠" if overview.triggered(r, seen.day) else ""),
            overview.risk_status_label(r.status),
        ]
        for r in seen.open_risks
    ]
    return table(
        [t("Score"), t("Risk"), t("Owner"), t("Mitigation"), t("Trigger"), t("Status")], rows
    )


def problems_markdown(seen: Overview) -> str:
    problems = seen.problems()
    return bullets(p.text for p in problems) if problems else none()
