"""What could go wrong: the risk list by likelihood × impact (风险管理, 尽早预警)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding

from sitedash.i18n import t
from sitedash.models import Risk, RiskStatus, replace
from sitedash.screens.engagement.base import ContentPart, EngagementPart, day_text
from sitedash.services import overview
from sitedash.widgets.safe import cell, literal

if TYPE_CHECKING:
    from sitedash.models import Engagement
    from sitedash.storage import Store


def score_style(risk: Risk) -> str:
    if not risk.is_open:
        return "dim"
    return "bold red" if risk.score >= 6 else "yellow" if risk.score >= 3 else ""


class RisksPart(EngagementPart[Risk]):
    """Highest score first; a risk whose trigger date has come is marked."""

    TAB = "risks-tab"
    BINDINGS = [
        Binding("a,n", "new", "Add", id="risks.new"),
        Binding("e", "edit", "Edit", id="risks.edit", show=False),
        Binding("x", "close", "Close / reopen", id="risks.close"),
        Binding("delete", "delete", "Delete", id="risks.delete", show=False),
    ]

    @classmethod
    def title(cls) -> str:
        return t("Risks")

    def load(self, store: Store, engagement: Engagement) -> list[Risk]:
        return store.risks(engagement.id)

    def columns(self, width: int) -> list[tuple[str, int]]:
        owner = self.fitted(t("Owner"), (r.owner for r in self.records), 8, 14)
        return [
            (t("Score"), 5),
            (t("Risk"), max(width - 40 - owner, 14)),
            (t("Owner"), owner),
            (t("Trigger"), 12),
            (t("Status"), 9),
        ]

    def rows(self) -> Iterable[tuple[str, list[Text]]]:
        for risk in self.records:
            style = score_style(risk)
            due = overview.triggered(risk, self.today)
            yield (
                risk.id,
                [
                    Text(f"{risk.score} {risk.likelihood}×{risk.impact}", style=style),
                    cell(risk.description, "dim" if not risk.is_open else ""),
                    cell(risk.owner),
                    Text(
                        day_text(risk.trigger) + (" !" if due else ""),
                        style="bold red" if due else "",
                    ),
                    Text(overview.risk_status_label(risk.status), style="dim"),
                ],
            )

    def summary(self) -> list[ContentPart]:
        open_risks = [r for r in self.records if r.is_open]
        due = [r for r in open_risks if overview.triggered(r, self.today)]
        text = t("Open risks: {n} · to look at: {due}", n=len(open_risks), due=len(due))
        return [(text, "bold red" if due else "")]

    def detail(self, record: Risk) -> list[ContentPart]:
        parts: list[ContentPart] = [
            literal(record.description, "bold"),
            " · ",
            t(
                "likelihood {likelihood}, impact {impact}",
                likelihood=overview.level_label(record.likelihood),
                impact=overview.level_label(record.impact),
            ),
        ]
        if record.mitigation.strip():
            parts += [" · ", literal(record.mitigation, "italic")]
        return parts

    def empty_hint(self) -> str:
        return t("a: add a risk: likelihood × impact, owner, mitigation, a date to look again")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close":
            return self.needs_record()
        return super().check_action(action, parameters)

    # -- actions ---------------------------------------------------------------------

    def action_new(self) -> None:
        if self.no_engagement():
            return
        assert self.engagement is not None
        self._open(Risk("", self.engagement.id), is_new=True)

    def action_edit(self) -> None:
        risk = self.selected()
        if risk is not None:
            self._open(risk, is_new=False)

    def _open(self, risk: Risk, *, is_new: bool) -> None:
        from sitedash.modals.overview import RiskForm

        def saved(result: Risk | None) -> None:
            if result is not None:
                self.save(partial(self.app.store.save_risk, result), select=result.id)

        self.app.push_screen(RiskForm(risk, is_new=is_new), saved)

    def action_close(self) -> None:
        risk = self.selected()
        if risk is None:
            return
        status = RiskStatus.OPEN if risk.status is RiskStatus.CLOSED else RiskStatus.CLOSED
        self.save(partial(self.app.store.save_risk, replace(risk, status=status)), select=risk.id)

    def action_delete(self) -> None:
        risk = self.selected()
        if risk is not None:
            self.confirm_delete(
                t("Delete the risk “{risk}”?", risk=risk.description),
                partial(self.app.store.delete_risk, risk),
            )
