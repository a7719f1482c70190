"""The go-live runbook for the war room (上线与切换): the low-traffic window, the cutover
steps with their owners and planned times in site and HQ time, done or failed with
the moment, the rollback criteria and steps (回滚预案), and the watch roster
(专人值守). Printed as it stands; the handover pack carries the same sections."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sitedash.i18n import t
from sitedash.models import Engagement, Runbook, RunbookStep, StepPhase, StepState, Watch
from sitedash.reports.markdown import bullets, byline, heading, none, report_header, section, table
from sitedash.services import runbook as plan
from sitedash.storage import Store
from sitedash.textsafe import md_inline

BOX = {StepState.PLANNED: "☐", StepState.DONE: "☑", StepState.FAILED: "☒"}


def file_name(engagement: Engagement, day: date) -> str:
    return f"runbook-{engagement.id}-{day.isoformat()}.md"


def runbook_counts(steps: Sequence[RunbookStep], watches: Sequence[Watch]) -> dict[str, int]:
    """`steps`, `done`, `failed`, `planned`, `rollback_steps`, `watches`."""
    done = plan.progress(steps)
    return {
        "steps": done.steps,
        "done": done.done,
        "failed": done.failed,
        "planned": done.steps - done.done - done.failed,
        "rollback_steps": done.rollback_steps,
        "watches": len(watches),
    }


def _steps_table(engagement: Engagement, steps: Sequence[RunbookStep], phase: StepPhase) -> str:
    listed = [s for s in steps if s.phase is phase]
    return table(
        [
            "#",
            t("Site ({zone})", zone=engagement.site_tz),
            t("HQ ({zone})", zone=engagement.hq_tz),
            t("Step"),
            t("Owner"),
            t("Takes"),
            t("State"),
            t("Note"),
        ],
        [
            [
                plan.step_label(s, steps),
                plan.full_time(s.start) if s.start else "-",
                plan.full_time(plan.in_hq(s.start, engagement)) if s.start else "-",
                s.title,
                s.owner,
                plan.duration_label(s),
                f"{BOX[s.state]} {plan.done_label(s, engagement)}",
                s.note,
            ]
            for s in listed
        ],
    )


def _watch_table(engagement: Engagement, watches: Sequence[Watch]) -> str:
    return table(
        [
            t("Who"),
            t("Site ({zone})", zone=engagement.site_tz),
            t("HQ ({zone})", zone=engagement.hq_tz),
            t("Contact"),
            t("Watching"),
        ],
        [
            [
                w.who,
                plan.span(w.start, w.end),
                plan.hq_span(w.start, w.end, engagement),
                w.contact,
                w.duty,
            ]
            for w in watches
        ],
    )


def frame_lines(engagement: Engagement, runbook: Runbook) -> list[str]:
    """The window in both times and who decides, as Markdown lines."""
    window = (
        t(
            "Low-traffic window: {site} site time · {hq} HQ time",
            site=plan.span(runbook.window_start, runbook.window_end),
            hq=plan.hq_span(runbook.window_start, runbook.window_end, engagement),
        )
        if runbook.window_start
        else t("Low-traffic window: not set yet")
    )
    decider = t("Decides go / no-go and a rollback: {who}", who=runbook.decider or "-")
    return [md_inline(window) + "  ", md_inline(decider)]


def runbook_sections(
    engagement: Engagement,
    runbook: Runbook,
    steps: Sequence[RunbookStep],
    watches: Sequence[Watch],
    level: int = 2,
) -> list[str]:
    """The runbook's body: window, cutover, rollback criteria and steps, watch roster."""
    criteria = plan.criteria(runbook)
    return [
        *frame_lines(engagement, runbook),
        "",
        plan.progress(steps).line() + ".",
        "",
        *section(
            t("Cutover steps"), _steps_table(engagement, steps, StepPhase.CUTOVER), level=level
        ),
        *section(
            t("Rollback criteria"),
            bullets(criteria) if criteria else none(),
            level=level,
        ),
        *section(
            t("Rollback steps"), _steps_table(engagement, steps, StepPhase.ROLLBACK), level=level
        ),
        *section(t("Watch roster"), _watch_table(engagement, watches), level=level),
    ]


def runbook_report(
    store: Store, engagement: Engagement, day: date, *, engineer: str, now: datetime
) -> str:
    """Render the runbook of one engagement as it stands. Its period is the window's
    days (the export's day while no window is set)."""
    runbook = store.runbook(engagement.id)
    steps = store.runbook_steps(engagement.id)
    watches = store.watches(engagement.id)
    start = runbook.window_start.date() if runbook.window_start else day
    end = runbook.window_end.date() if runbook.window_end else start
    parts = [
        report_header(
            "runbook",
            engineer=engineer,
            engagement=engagement,
            start=start,
            end=end,
            now=now,
            counts=runbook_counts(steps, watches),
        ),
        "",
        heading(1, t("Go-live runbook · {name}", name=engagement.name)),
        "",
        byline(engineer, engagement),
        "",
        *runbook_sections(engagement, runbook, steps, watches),
    ]
    return "\n".join(parts)


render = runbook_report
"""The renderer `reports.registry` calls for this kind."""
