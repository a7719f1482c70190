"""The UAT tab of Sign-off: the totals, a summary per module, and the cases."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from sitedash.i18n import t
from sitedash.models import AcceptanceItem, IssueStatus, UatCase, UatResult
from sitedash.services import signoff as signoff_service
from sitedash.services import uat
from sitedash.services.issues import status_label
from sitedash.textsafe import clean_line
from sitedash.widgets.safe import cell, literal
from sitedash.widgets.tables import SiteTable, refill

RESULT_STYLE = {
    UatResult.NOT_RUN: "dim",
    UatResult.PASS: "bold green",
    UatResult.FAIL: "bold red",
    UatResult.BLOCKED: "bold yellow",
}


class UatPanel(Vertical):
    """What the customer's testers ran and what failed; the screen owns the keys."""

    def compose(self) -> ComposeResult:
        yield Static(id="uat-totals")
        yield SiteTable(id="uat-summary", cursor_type="none", zebra_stripes=True)
        yield SiteTable(id="uat", cursor_type="row", zebra_stripes=True)

    def show(self, cases: Sequence[UatCase], report: AcceptanceItem | None, width: int) -> None:
        """Fill the totals line, the per-module summary and the cases table."""
        whole = uat.tally(cases)
        parts: list[Content | str | tuple[str, str]] = [(t("UAT"), "bold"), "  ", whole.line()]
        if report is not None:
            parts += [
                " · ",
                t(
                    "UAT report: {status}",
                    status=signoff_service.item_status_label(report.status),
                ),
            ]
            if report.waived:
                parts += [" ", (t("(waived)"), "bold yellow")]
        self.query_one("#uat-totals", Static).update(Content.assemble(*parts))
        numbers = 7
        refill(
            self.query_one("#uat-summary", SiteTable),
            [
                (t("Module"), max(width - 5 * (numbers + 2) - 6, 12)),
                (t("Cases"), numbers),
                (uat.result_label(UatResult.PASS), numbers),
                (uat.result_label(UatResult.FAIL), numbers),
                (uat.result_label(UatResult.BLOCKED), numbers),
                (uat.result_label(UatResult.NOT_RUN), numbers),
            ],
            (
                (
                    f"module:{m.module}",
                    [
                        cell(uat.module_label(m.module or "")),
                        Text(str(m.total), justify="right"),
                        *(
                            Text(
                                str(m.counts[result]),
                                style=RESULT_STYLE[result] if m.counts[result] else "dim",
                                justify="right",
                            )
                            for result in (
                                UatResult.PASS,
                                UatResult.FAIL,
                                UatResult.BLOCKED,
                                UatResult.NOT_RUN,
                            )
                        ),
                    ],
                )
                for m in uat.by_module(cases)
            ),
        )
        refill(
            self.query_one("#uat", SiteTable),
            [
                (t("Case"), 7),
                (t("Module"), 10),
                (t("Title"), max(width - 54, 14)),
                (t("Result"), 8),
                (t("Date"), 5),
                (t("Issues"), 9),
            ],
            (
                (
                    c.id,
                    [
                        Text(c.key),
                        cell(c.module),
                        cell(c.title),
                        Text(uat.result_label(c.result), style=RESULT_STYLE[c.result]),
                        Text(c.day.strftime("%m-%d") if c.day else "-", style="dim"),
                        cell(uat.issue_keys(c.issues)),
                    ],
                )
                for c in cases
            ),
        )


def case_line(case: UatCase, statuses: Mapping[int, IssueStatus]) -> Content:
    """One case in full for the line under the tabs: tester, what was expected and what
    happened, and where its issues stand."""
    parts: list[Content | str | tuple[str, str]] = [
        literal(case.key, "bold"),
        " ",
        literal(clean_line(case.tester) or "-"),
        " · ",
        literal(clean_line(case.expected) or "-"),
    ]
    if case.actual.strip():
        parts += [" → ", literal(clean_line(case.actual), "italic")]
    for number in case.issues:
        status = statuses.get(number)
        label = status_label(status) if status is not None else t("deleted")
        parts += ["  ", f"ISS-{number} ({label})"]
    return Content.assemble(*parts)
