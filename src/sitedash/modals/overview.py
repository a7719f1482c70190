"""Dialogs of the Engagement screen: a contact, a check, a milestone, a risk. Each returns
the edited record (checked); the screen's part saves it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Label, Select, SelectionList, Static

from sitedash.i18n import t
from sitedash.modals.base import FormDialog
from sitedash.models import (
    AcceptanceItem,
    Check,
    CheckList,
    CheckState,
    Contact,
    Milestone,
    MilestoneStatus,
    Risk,
    RiskStatus,
    replace,
)
from sitedash.services import overview
from sitedash.services.signoff import item_status_label
from sitedash.services.timeutil import parse_day
from sitedash.widgets.form import choice_select, chosen, field_row, pair_row
from sitedash.widgets.safe import literal


def _day_input(value: date | None, widget_id: str) -> Input:
    text = value.isoformat() if value else ""
    return Input(text, id=widget_id, compact=True, placeholder="YYYY-MM-DD")


def _optional_day(text: str, today: date) -> date | None:
    """A date typed in a form, if any: the coming `mon` (a due date, a trigger)."""
    return parse_day(text, today) if text.strip() else None


class ContactForm(FormDialog[Contact]):
    """Who, how to reach them, their zone and hours, their place in the escalation."""

    def __init__(self, contact: Contact, *, is_new: bool) -> None:
        super().__init__()
        self.contact, self.is_new = contact, is_new

    def compose(self) -> ComposeResult:
        c = self.contact
        with Vertical(classes="dialog form", id="contact-form"):
            yield Static(
                t("New contact") if self.is_new else t("Contact"),
                classes="dialog-title",
                markup=False,
            )
            with VerticalScroll():
                yield pair_row(
                    (t("Full name"), Input(c.name, id="name", compact=True)),
                    (
                        t("Role"),
                        Input(c.role, id="role", compact=True, placeholder=t("e.g. Customer PM")),
                    ),
                )
                yield pair_row(
                    (t("Organisation"), Input(c.organisation, id="organisation", compact=True)),
                    (
                        t("Escalation"),
                        Input(
                            str(c.order) if c.order else "",
                            id="order",
                            compact=True,
                            placeholder=t("1 = call first"),
                        ),
                    ),
                )
                yield pair_row(
                    (t("Phone"), Input(c.phone, id="phone", compact=True)),
                    (
                        t("E-mail / IM"),
                        Input(c.email, id="email", compact=True, placeholder="WeChat: …"),
                    ),
                )
                yield pair_row(
                    (
                        t("Time zone"),
                        Input(c.tz, id="tz", compact=True, placeholder=t("the site's")),
                    ),
                    (
                        t("Working hours"),
                        Input(
                            overview.hours_text(c),
                            id="hours",
                            compact=True,
                            placeholder="09:00-18:00",
                        ),
                    ),
                )
                yield field_row(
                    t("Days"),
                    choice_select(
                        [(overview.days_label(v), v) for v in overview.DAYS_CHOICES],
                        overview.days_choice(c),
                        "days",
                    ),
                )
            yield from self.buttons()

    def build(self) -> Contact:
        # Checked before the record is built: a record refuses an unknown zone outright.
        tz = overview.parse_zone(self.value("tz"))
        hours_from, hours_to = overview.parse_hours(self.value("hours") or "09:00-18:00")
        contact = overview.with_days(self.contact, chosen(self.query_one("#days", Select)))
        return overview.check_contact(
            replace(
                contact,
                name=self.value("name"),
                role=self.value("role"),
                organisation=self.value("organisation"),
                order=overview.parse_order(self.value("order")),
                phone=self.value("phone"),
                email=self.value("email"),
                tz=tz,
                hours_from=hours_from,
                hours_to=hours_to,
            )
        )


class CheckForm(FormDialog[Check]):
    """One item of a checklist: its text, list, state, date and note."""

    def __init__(self, check: Check, *, is_new: bool) -> None:
        super().__init__()
        self.check, self.is_new = check, is_new

    def compose(self) -> ComposeResult:
        c = self.check
        with Vertical(classes="dialog form", id="check-form"):
            yield Static(
                t("New check") if self.is_new else t("Check"), classes="dialog-title", markup=False
            )
            yield field_row(t("Item"), Input(c.text, id="text", compact=True))
            yield pair_row(
                (
                    t("List"),
                    choice_select(
                        [(overview.checklist_label(x), x) for x in CheckList],
                        c.checklist,
                        "checklist",
                    ),
                ),
                (
                    t("State"),
                    choice_select(
                        [(overview.check_state_label(s), s) for s in CheckState], c.state, "state"
                    ),
                ),
            )
            yield field_row(t("Checked"), _day_input(c.day, "day"))
            yield field_row(
                t("Note"),
                Input(c.note, id="note", compact=True, placeholder=t("what is missing, who acts")),
            )
            yield from self.buttons()

    def build(self) -> Check:
        return overview.check_check(
            replace(
                self.check,
                text=self.value("text"),
                checklist=chosen(self.query_one("#checklist", Select)),
                state=chosen(self.query_one("#state", Select)),
                day=_optional_day(self.value("day"), self.app.today()),
                note=self.value("note"),
            )
        )


class MilestoneForm(FormDialog[Milestone]):
    """A milestone: phase, title, owner, due date, buffer, status, and the Sign-off
    deliverables it hands over."""

    def __init__(
        self, milestone: Milestone, items: Sequence[AcceptanceItem], *, is_new: bool
    ) -> None:
        super().__init__()
        self.milestone, self.items, self.is_new = milestone, list(items), is_new

    def compose(self) -> ComposeResult:
        m = self.milestone
        linked = set(m.deliverables)
        with Vertical(classes="dialog form", id="milestone-form"):
            yield Static(
                t("New milestone") if self.is_new else t("Milestone"),
                classes="dialog-title",
                markup=False,
            )
            with VerticalScroll():
                yield field_row(t("Milestone"), Input(m.title, id="title", compact=True))
                yield pair_row(
                    (
                        t("Phase"),
                        Input(m.phase, id="phase", compact=True, placeholder=t("e.g. Month 1")),
                    ),
                    (t("Owner"), Input(m.owner, id="owner", compact=True)),
                )
                yield pair_row(
                    (t("Due"), _day_input(m.due, "due")),
                    (
                        t("Buffer days"),
                        Input(str(m.buffer_days), id="buffer_days", compact=True),
                    ),
                )
                yield field_row(
                    t("Status"),
                    choice_select(
                        [(overview.milestone_status_label(s), s) for s in MilestoneStatus],
                        m.status,
                        "status",
                    ),
                )
                yield Label(t("Deliverables (from the Sign-off checklist)"), markup=False)
                yield SelectionList[str](
                    *[
                        (
                            literal(f"{i.name} ({item_status_label(i.status)})"),
                            i.id,
                            i.id in linked,
                        )
                        for i in self.items
                    ],
                    id="deliverables",
                    compact=True,
                )
            yield from self.buttons()

    def build(self) -> Milestone:
        known = {i.id for i in self.items}
        # Deliverables this form does not list (deleted meanwhile) are let go.
        picked = [i for i in self.query_one("#deliverables", SelectionList).selected if i in known]
        return overview.check_milestone(
            replace(
                self.milestone,
                title=self.value("title"),
                phase=self.value("phase"),
                owner=self.value("owner"),
                due=_optional_day(self.value("due"), self.app.today()),
                buffer_days=overview.parse_buffer(self.value("buffer_days")),
                status=chosen(self.query_one("#status", Select)),
                deliverables=[str(i) for i in picked],
            )
        )


class RiskForm(FormDialog[Risk]):
    """A risk: what, how likely, how bad, who owns it, the mitigation and a trigger date."""

    def __init__(self, risk: Risk, *, is_new: bool) -> None:
        super().__init__()
        self.risk, self.is_new = risk, is_new

    def compose(self) -> ComposeResult:
        r = self.risk
        levels = [(f"{n} {overview.level_label(n)}", n) for n in (1, 2, 3)]
        with Vertical(classes="dialog form", id="risk-form"):
            yield Static(
                t("New risk") if self.is_new else t("Risk"), classes="dialog-title", markup=False
            )
            yield field_row(t("Risk"), Input(r.description, id="description", compact=True))
            yield pair_row(
                (t("Likelihood"), choice_select(levels, r.likelihood, "likelihood")),
                (t("Impact"), choice_select(levels, r.impact, "impact")),
            )
            yield pair_row(
                (t("Owner"), Input(r.owner, id="owner", compact=True)),
                (t("Trigger"), _day_input(r.trigger, "trigger")),
            )
            yield field_row(t("Mitigation"), Input(r.mitigation, id="mitigation", compact=True))
            yield field_row(
                t("Status"),
                choice_select(
                    [(overview.risk_status_label(s), s) for s in RiskStatus], r.status, "status"
                ),
            )
            yield from self.buttons()

    def build(self) -> Risk:
        return overview.check_risk(
            replace(
                self.risk,
                description=self.value("description"),
                likelihood=chosen(self.query_one("#likelihood", Select)),
                impact=chosen(self.query_one("#impact", Select)),
                owner=self.value("owner"),
                trigger=_optional_day(self.value("trigger"), self.app.today()),
                mitigation=self.value("mitigation"),
                status=chosen(self.query_one("#status", Select)),
            )
        )
