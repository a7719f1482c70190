"""Where the project stands: milestones with owners, deliverables and a buffer (实施计划);
late ones red, at-risk ones amber."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding

from sitedash.i18n import t, tn
from sitedash.models import AcceptanceItem, Milestone, MilestoneStatus, replace
from sitedash.screens.engagement.base import ContentPart, EngagementPart, day_text
from sitedash.services import overview
from sitedash.services.overview import Standing
from sitedash.widgets.safe import cell, literal

if TYPE_CHECKING:
    from sitedash.models import Engagement
    from sitedash.storage import Store

STANDING_STYLE = {
    Standing.LATE: "bold red",
    Standing.AT_RISK: "bold yellow",
    Standing.ON_TRACK: "",
    Standing.DONE: "green",
}
FLOW = tuple(MilestoneStatus)
STATUS = Binding.Group("Status", compact=True)


class MilestonesPart(EngagementPart[Milestone]):
    """The implementation plan by due date."""

    TAB = "milestones-tab"
    BINDINGS = [
        Binding("a,n", "new", "Add", id="milestones.new"),
        Binding("e", "edit", "Edit", id="milestones.edit", show=False),
        Binding(
            "less_than_sign",
            "step(-1)",
            "Status ←",
            id="milestones.previous",
            key_display="<",
            group=STATUS,
        ),
        Binding(
            "greater_than_sign",
            "step(1)",
            "Status →",
            id="milestones.next",
            key_display=">",
            group=STATUS,
        ),
        Binding("delete", "delete", "Delete", id="milestones.delete", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[str, AcceptanceItem] = {}
        """The Sign-off checklist's deliverables, by id."""

    @classmethod
    def title(cls) -> str:
        return t("Milestones")

    def load(self, store: Store, engagement: Engagement) -> list[Milestone]:
        self.items = {i.id: i for i in store.acceptance_items(engagement.id)}
        return store.milestones(engagement.id)

    def standing(self, milestone: Milestone) -> Standing:
        return overview.standing(milestone, self.items, self.today)

    def columns(self, width: int) -> list[tuple[str, int]]:
        owner = self.fitted(t("Owner"), (m.owner for m in self.records), 8, 14)
        return [
            (t("Due"), 10),
            (t("Milestone"), max(width - 46 - owner, 14)),
            (t("Phase"), 12),
            (t("Owner"), owner),
            (t("Standing"), 10),
        ]

    def rows(self) -> Iterable[tuple[str, list[Text]]]:
        for milestone in self.records:
            standing = self.standing(milestone)
            style = STANDING_STYLE[standing]
            yield (
                milestone.id,
                [
                    Text(day_text(milestone.due), style=style),
                    cell(milestone.title, style),
                    cell(milestone.phase, "dim"),
                    cell(milestone.owner),
                    Text(overview.standing_label(standing), style=style),
                ],
            )

    def summary(self) -> list[ContentPart]:
        late = sum(1 for m in self.records if self.standing(m) is Standing.LATE)
        at_risk = sum(1 for m in self.records if self.standing(m) is Standing.AT_RISK)
        text = t("Late milestones: {late} · at risk: {at_risk}", late=late, at_risk=at_risk)
        return [(text, "bold red" if late else "bold yellow" if at_risk else "")]

    def detail(self, record: Milestone) -> list[ContentPart]:
        linked = [self.items[i] for i in record.deliverables if i in self.items]
        pending = overview.pending_deliverables(record, self.items)
        parts: list[ContentPart] = [
            literal(record.title, "bold"),
            " · ",
            overview.milestone_status_label(record.status),
            " · ",
            tn(record.buffer_days, "buffer {n} day", "buffer {n} days"),
        ]
        if linked:
            parts += [
                " · ",
                tn(
                    len(linked),
                    "{accepted}/{n} deliverable accepted",
                    "{accepted}/{n} deliverables accepted",
                    accepted=len(linked) - len(pending),
                ),
            ]
            if pending:
                parts += [": ", literal(", ".join(i.name for i in pending), "yellow")]
        return parts

    def empty_hint(self) -> str:
        return t("a: add a milestone: phase, owner, due date, deliverables, buffer days")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "step":
            return self.needs_record()
        return super().check_action(action, parameters)

    # -- actions ---------------------------------------------------------------------

    def action_new(self) -> None:
        if self.no_engagement():
            return
        assert self.engagement is not None
        self._open(Milestone("", self.engagement.id, buffer_days=3), is_new=True)

    def action_edit(self) -> None:
        milestone = self.selected()
        if milestone is not None:
            self._open(milestone, is_new=False)

    def _open(self, milestone: Milestone, *, is_new: bool) -> None:
        from sitedash.modals.overview import MilestoneForm

        def saved(result: Milestone | None) -> None:
            if result is not None:
                self.save(partial(self.app.store.save_milestone, result), select=result.id)

        items = sorted(self.items.values(), key=lambda i: (i.position, i.name))
        self.app.push_screen(MilestoneForm(milestone, items, is_new=is_new), saved)

    def action_step(self, delta: int) -> None:
        milestone = self.selected()
        if milestone is None:
            return
        index = max(0, min(len(FLOW) - 1, FLOW.index(milestone.status) + delta))
        self.save(partial(self.app.store.save_milestone, replace(milestone, status=FLOW[index])))

    def action_delete(self) -> None:
        milestone = self.selected()
        if milestone is not None:
            self.confirm_delete(
                t("Delete the milestone “{title}”?", title=milestone.title),
                partial(self.app.store.delete_milestone, milestone),
            )
