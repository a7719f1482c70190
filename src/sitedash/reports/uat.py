"""UAT in reports (acceptance pack, customer status): the summary per module, the failed
cases, and the figures for the front matter."""

from __future__ import annotations

from collections.abc import Sequence

from sitedash.i18n import t
from sitedash.models import UatCase, UatResult
from sitedash.reports.markdown import table
from sitedash.services import uat


def uat_counts(cases: Sequence[UatCase]) -> dict[str, int]:
    """`uat_cases`, `uat_passed`, `uat_failed`, `uat_blocked`, `uat_not_run`."""
    whole = uat.tally(cases)
    return {
        "uat_cases": whole.total,
        "uat_passed": whole.counts[UatResult.PASS],
        "uat_failed": whole.counts[UatResult.FAIL],
        "uat_blocked": whole.counts[UatResult.BLOCKED],
        "uat_not_run": whole.counts[UatResult.NOT_RUN],
    }


def summary_markdown(cases: Sequence[UatCase]) -> str:
    """Cases per module by result, with the total last."""
    columns = (UatResult.PASS, UatResult.FAIL, UatResult.BLOCKED, UatResult.NOT_RUN)
    tallies = uat.by_module(cases)
    rows = [
        [uat.module_label(m.module or ""), str(m.total), *(str(m.counts[r]) for r in columns)]
        for m in tallies
    ]
    if rows:
        whole = uat.tally(cases)
        rows.append(
            [t("Total"), str(whole.total), *(str(whole.counts[r]) for r in columns)],
        )
    return table(
        [t("Module"), t("Cases"), *(uat.result_label(r) for r in columns)],
        rows,
    )


def failed_markdown(cases: Sequence[UatCase]) -> str:
    """The failed cases: who ran them, when, what was expected, what happened, and the
    issues they opened."""
    return table(
        [
            t("Case"),
            t("Module"),
            t("Title"),
            t("Tester"),
            t("Date"),
            t("Expected result"),
            t("Actual result"),
            t("Issues"),
        ],
        [
            [
                c.key,
                c.module,
                c.title,
                c.tester,
                c.day.isoformat() if c.day else "-",
                c.expected,
                c.actual,
                uat.issue_keys(c.issues),
            ]
            for c in uat.failed(cases)
        ],
    )


def waiting_markdown(cases: Sequence[UatCase]) -> str:
    """The cases still to run: not run yet, or blocked (with what blocked them)."""
    return table(
        [t("Case"), t("Module"), t("Title"), t("Result"), t("Actual result")],
        [
            [c.key, c.module, c.title, uat.result_label(c.result), c.actual]
            for c in cases
            if not c.result.has_run
        ],
    )
