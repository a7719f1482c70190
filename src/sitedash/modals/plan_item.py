"""Add or edit one plan item: title, category, estimate, day, note."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Select, Static

from sitedash.i18n import t
from sitedash.modals.base import FormDialog
from sitedash.models import Category, PlanItem, PlanStatus
from sitedash.services.timeutil import parse_day
from sitedash.services.today import (
    category_label,
    check_note,
    check_title,
    format_minutes,
    parse_estimate,
    status_label,
)
from sitedash.widgets.form import choice_select, chosen, field_row, pair_row


@dataclass(slots=True)
class PlanDraft:
    """What the form returns: checked values, not yet stored."""

    title: str
    category: Category
    estimate_min: int
    day: str
    status: PlanStatus
    note: str

    @classmethod
    def from_item(cls, item: PlanItem) -> PlanDraft:
        return cls(
            item.title,
            item.category,
            item.estimate_min,
            item.day.isoformat(),
            item.status,
            item.note,
        )


class PlanItemForm(FormDialog[PlanDraft]):
    """Enter in a field saves, escape cancels; errors show inline, the input stays."""

    def __init__(self, draft: PlanDraft, *, heading: str, error: str = "") -> None:
        super().__init__()
        self.draft = draft
        self.heading = heading
        self.error = error

    def compose(self) -> ComposeResult:
        draft = self.draft
        with Vertical(classes="dialog form"):
            yield Static(self.heading, classes="dialog-title", markup=False)
            yield field_row(
                t("Title"),
                Input(
                    draft.title,
                    id="title",
                    compact=True,
                    placeholder=t("e.g. Install MES client on line 2"),
                ),
            )
            yield pair_row(
                (
                    t("Category"),
                    choice_select(
                        [(category_label(c), c) for c in Category], draft.category, "category"
                    ),
                ),
                (
                    t("Status"),
                    choice_select(
                        [(status_label(s), s) for s in PlanStatus], draft.status, "status"
                    ),
                ),
            )
            yield pair_row(
                (
                    t("Estimate"),
                    Input(
                        format_minutes(draft.estimate_min),
                        id="estimate",
                        compact=True,
                        placeholder=t("e.g. 1h30m"),
                    ),
                ),
                (t("Day"), Input(draft.day, id="day", compact=True, placeholder="YYYY-MM-DD")),
            )
            yield field_row(t("Note"), Input(draft.note, id="note", compact=True))
            yield from self.buttons()

    def build(self) -> PlanDraft:
        draft = PlanDraft(
            title=check_title(self.query_one("#title", Input).value),
            category=chosen(self.query_one("#category", Select)),
            estimate_min=parse_estimate(self.query_one("#estimate", Input).value),
            day=parse_day(self.query_one("#day", Input).value, self.app.today()).isoformat(),
            status=chosen(self.query_one("#status", Select)),
            note=check_note(self.query_one("#note", Input).value),
        )
        return draft
