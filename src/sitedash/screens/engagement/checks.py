"""What is ready: the environment check (驻点环境检查表) and the deployment checklist
(部署检查清单), each item open, ok or a problem, with a note and the day it was checked."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding

from sitedash.i18n import t, tn
from sitedash.models import Check, CheckList, CheckState, replace
from sitedash.screens.engagement.base import ContentPart, EngagementPart, day_text
from sitedash.services import overview
from sitedash.widgets.safe import cell, literal

if TYPE_CHECKING:
    from sitedash.models import Engagement
    from sitedash.storage import Store

STATE_STYLE = {CheckState.OPEN: "yellow", CheckState.OK: "green", CheckState.PROBLEM: "bold red"}
STATE_MARK = {CheckState.OPEN: "○", CheckState.OK: "✓", CheckState.PROBLEM: "✗"}


def list_label(checklist: CheckList) -> str:
    """The short name in the table's column."""
    return {CheckList.ENVIRONMENT: t("environment"), CheckList.DEPLOYMENT: t("deployment")}[
        checklist
    ]


class ChecksPart(EngagementPart[Check]):
    """Both checklists in one table: the environment check first."""

    TAB = "checks-tab"
    BINDINGS = [
        Binding("space", "state('ok')", "Ok", id="checks.ok"),
        Binding("x", "state('problem')", "Problem", id="checks.problem"),
        Binding("a,n", "new", "Add", id="checks.new"),
        Binding("e", "edit", "Edit", id="checks.edit", show=False),
        Binding("T", "template", "Add standard items", id="checks.template", show=False),
        Binding("delete", "delete", "Delete", id="checks.delete", show=False),
    ]

    @classmethod
    def title(cls) -> str:
        return t("Checklists")

    def load(self, store: Store, engagement: Engagement) -> list[Check]:
        return store.checks(engagement.id)

    def columns(self, width: int) -> list[tuple[str, int]]:
        return [
            (t("State"), 9),
            (t("Item"), max(width - 42, 16)),
            (t("List"), 11),
            (t("Checked"), 10),
        ]

    def rows(self) -> Iterable[tuple[str, list[Text]]]:
        for check in self.records:
            yield (
                check.id,
                [
                    Text(
                        f"{STATE_MARK[check.state]} {overview.check_state_label(check.state)}",
                        style=STATE_STYLE[check.state],
                    ),
                    cell(check.text),
                    Text(list_label(check.checklist), style="dim"),
                    Text(day_text(check.day)),
                ],
            )

    def summary(self) -> list[ContentPart]:
        pending = overview.not_ok(self.records)
        text = overview.checks_summary(self.records)
        style = "bold red" if any(c.state is CheckState.PROBLEM for c in pending) else ""
        return [(text, style or ("yellow" if pending else "green"))]

    def detail(self, record: Check) -> list[ContentPart]:
        parts: list[ContentPart] = [
            (overview.checklist_label(record.checklist), "bold"),
            " · ",
            literal(record.text),
        ]
        if record.note.strip():
            parts += [" · ", literal(record.note, "italic")]
        return parts

    def empty_hint(self) -> str:
        return t("T: add the standard environment and deployment items · a: add your own")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "state":
            return self.needs_record()
        return super().check_action(action, parameters)

    # -- actions ---------------------------------------------------------------------

    def action_state(self, state: str) -> None:
        """space: ok (again: open); x: a problem (again: open). Dated today."""
        check = self.selected()
        if check is None:
            return
        wanted = CheckState(state)
        new_state = CheckState.OPEN if check.state is wanted else wanted
        self.save(
            partial(overview.set_state, self.app.store, check, new_state, self.app.today()),
        )

    def action_new(self) -> None:
        if self.no_engagement():
            return
        assert self.engagement is not None
        current = self.selected()
        checklist = current.checklist if current else CheckList.ENVIRONMENT
        position = max((c.position for c in self.records if c.checklist is checklist), default=-1)
        self._open(Check("", self.engagement.id, checklist, position=position + 1), is_new=True)

    def action_edit(self) -> None:
        check = self.selected()
        if check is not None:
            self._open(check, is_new=False)

    def _open(self, check: Check, *, is_new: bool) -> None:
        from sitedash.modals.overview import CheckForm

        def saved(result: Check | None) -> None:
            if result is None:
                return
            if not is_new and result.state is not check.state and result.day == check.day:
                result = replace(result, day=self.app.today())  # a new state is dated today
            self.save(partial(self.app.store.save_checks, [result]), select=result.id)

        self.app.push_screen(CheckForm(check, is_new=is_new), saved)

    def action_template(self) -> None:
        if self.no_engagement():
            return
        assert self.engagement is not None
        engagement = self.engagement.id
        added: list[Check] = []
        if self.app.attempt(
            lambda: added.extend(overview.add_standard_checks(self.app.store, engagement))
        ):
            self.say(tn(len(added), "Added {n} standard check", "Added {n} standard checks"))

    def action_delete(self) -> None:
        check = self.selected()
        if check is not None:
            self.confirm_delete(
                t("Remove “{name}” from the checklist?", name=check.text),
                partial(self.app.store.delete_check, check),
            )
