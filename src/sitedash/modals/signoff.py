"""Dialogs of the Sign-off screen: a deliverable, a signature, a change request."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from sitedash.i18n import t
from sitedash.modals.base import FormDialog
from sitedash.models import (
    AcceptanceItem,
    ChangeRequest,
    Decision,
    Feedback,
    FeedbackCategory,
    ItemStatus,
    Retro,
    SignMethod,
    SignOff,
    replace,
)
from sitedash.services import review, uat
from sitedash.services import signoff as svc
from sitedash.services.timeutil import parse_day
from sitedash.services.today import check_title
from sitedash.widgets.form import choice_select, chosen, field_row, pair_row
from sitedash.widgets.text_area import NoteArea

WHOLE = "\x00whole"
"""The "whole acceptance (项目验收单)" choice of the signed-subject list."""
OTHER = "\x00other"
"""A milestone typed by hand."""


class ItemForm(FormDialog[AcceptanceItem]):
    """A deliverable; for the UAT report also the waiver that lets it be accepted with
    cases not run (`uat_line` says where the cases stand)."""

    def __init__(
        self, item: AcceptanceItem, *, is_new: bool, uat_line: str = "", error: str = ""
    ) -> None:
        super().__init__()
        self.item, self.is_new, self.uat_line, self.error = item, is_new, uat_line, error

    def compose(self) -> ComposeResult:
        i = self.item
        with Vertical(classes="dialog form", id="item-form"):
            yield Static(
                t("New deliverable") if self.is_new else t("Deliverable"),
                classes="dialog-title",
                markup=False,
            )
            yield field_row(t("Deliverable"), Input(i.name, id="name", compact=True))
            yield field_row(
                t("Status"),
                choice_select(
                    [(svc.item_status_label(s), s) for s in ItemStatus], i.status, "status"
                ),
            )
            yield field_row(
                t("Evidence"),
                Input(
                    i.evidence, id="evidence", compact=True, placeholder=t("file path or reference")
                ),
            )
            yield field_row(t("Note"), Input(i.note, id="note", compact=True))
            if i.template == uat.UAT_REPORT:
                yield Static(self.uat_line, classes="form-hint", markup=False)
                yield field_row(
                    t("Waiver"),
                    Checkbox(
                        t("accept with UAT cases not run"), i.waived, id="waived", compact=True
                    ),
                )
                yield field_row(
                    t("Waiver note"),
                    Input(
                        i.waiver_note,
                        id="waiver_note",
                        compact=True,
                        placeholder=t("why, and who at the customer agreed"),
                    ),
                )
            yield from self.buttons()

    def build(self) -> AcceptanceItem:
        waiver = self.item.template == uat.UAT_REPORT
        return svc.check_item(
            replace(
                self.item,
                name=self.value("name"),
                status=chosen(self.query_one("#status", Select)),
                evidence=self.value("evidence"),
                note=self.value("note"),
                waived=self.query_one("#waived", Checkbox).value if waiver else self.item.waived,
                waiver_note=self.value("waiver_note") if waiver else self.item.waiver_note,
            )
        )


class SignOffForm(FormDialog[SignOff]):
    """What was signed (a deliverable, a milestone, or the whole acceptance), by whom,
    when and how. Opened on an existing record, it records a correction."""

    def __init__(
        self,
        record: SignOff,
        items: Sequence[AcceptanceItem],
        *,
        supersedes: str | None,
        error: str = "",
    ) -> None:
        super().__init__()
        self.record, self.items, self.supersedes, self.error = (
            record,
            list(items),
            supersedes,
            error,
        )

    def compose(self) -> ComposeResult:
        r = self.record
        choices: list[tuple[str, str]] = [(i.name, i.id) for i in self.items]
        choices += [(t("The whole acceptance (项目验收单)"), WHOLE), (t("A milestone…"), OTHER)]
        current = (
            WHOLE if r.whole else (r.item_id if r.item_id in {i.id for i in self.items} else OTHER)
        )
        heading = (
            t("Correct a sign-off (the old record stays, marked superseded)")
            if self.supersedes
            else t("Record a sign-off")
        )
        with Vertical(classes="dialog form", id="signoff-form"):
            yield Static(heading, classes="dialog-title", markup=False)
            yield field_row(
                t("Subject"),
                Select(choices, value=current, allow_blank=False, compact=True, id="subject"),
            )
            yield field_row(
                t("Milestone"),
                Input(
                    r.subject if current == OTHER else "",
                    id="milestone",
                    compact=True,
                    placeholder=t("only for a milestone"),
                ),
            )
            yield pair_row(
                (t("Signer"), Input(r.signer, id="signer", compact=True)),
                (t("Role"), Input(r.role, id="role", compact=True)),
            )
            yield pair_row(
                (
                    t("Date"),
                    Input(
                        r.day.isoformat() if r.day else "",
                        id="day",
                        compact=True,
                        placeholder="YYYY-MM-DD",
                    ),
                ),
                (
                    t("Method"),
                    choice_select(
                        [(svc.method_label(m), m) for m in SignMethod], r.method, "method"
                    ),
                ),
            )
            yield field_row(
                t("Reference"),
                Input(
                    r.reference,
                    id="reference",
                    compact=True,
                    placeholder=t("document no. or mail subject"),
                ),
            )
            yield from self.buttons()

    def build(self) -> SignOff:
        choice = chosen(self.query_one("#subject", Select))
        item = next((i for i in self.items if i.id == choice), None)
        if item is not None:
            subject = item.name
        elif choice == WHOLE:
            subject = ""
        else:
            subject = check_title(self.value("milestone"))
        record = SignOff(
            subject=subject,
            engagement=self.record.engagement,
            signer=self.value("signer"),
            role=self.value("role"),
            day=parse_day(self.value("day"), self.app.today(), forward=False),
            method=chosen(self.query_one("#method", Select)),
            reference=self.value("reference"),
            item_id=item.id if item else None,
            supersedes=self.supersedes,
            whole=choice == WHOLE,
        )
        return svc.check_signoff(record)


class ChangeForm(FormDialog[ChangeRequest]):
    """The request, its impact on scope, schedule and cost, and the decision."""

    def __init__(self, change: ChangeRequest, *, error: str = "") -> None:
        super().__init__()
        self.change, self.error = change, error

    def compose(self) -> ComposeResult:
        c = self.change
        with Vertical(classes="dialog form", id="change-form"):
            yield Static(
                c.key if c.number else t("New change request"), classes="dialog-title", markup=False
            )
            with VerticalScroll():
                yield field_row(t("Request"), Input(c.request, id="request", compact=True))
                yield pair_row(
                    (t("Requester"), Input(c.requester, id="requester", compact=True)),
                    (
                        t("Date"),
                        Input(
                            c.day.isoformat() if c.day else "",
                            id="day",
                            compact=True,
                            placeholder="YYYY-MM-DD",
                        ),
                    ),
                )
                yield field_row(t("Scope"), Input(c.scope, id="scope", compact=True))
                yield pair_row(
                    (t("Schedule"), Input(c.schedule, id="schedule", compact=True)),
                    (t("Cost"), Input(c.cost, id="cost", compact=True)),
                )
                yield field_row(
                    t("Decision"),
                    choice_select(
                        [(svc.decision_label(d), d) for d in Decision], c.decision, "decision"
                    ),
                )
                yield pair_row(
                    (t("Decided by"), Input(c.decided_by, id="decided_by", compact=True)),
                    (
                        t("Decided on"),
                        Input(
                            c.decided_on.isoformat() if c.decided_on else "",
                            id="decided_on",
                            compact=True,
                            placeholder="YYYY-MM-DD",
                        ),
                    ),
                )
                yield pair_row(
                    (t("Phase"), Input(c.phase, id="phase", compact=True)),
                    (t("Note"), Input(c.note, id="note", compact=True)),
                )
            yield from self.buttons()

    _auto_dated = False

    @on(Select.Changed, "#decision")
    def _decided_today(self, event: Select.Changed) -> None:
        """Picking a decision dates it today unless a date is there already; going
        back to pending takes that date away again."""
        decided_on = self.query_one("#decided_on", Input)
        if event.value != Decision.PENDING and not decided_on.value.strip():
            decided_on.value = self.app.today().isoformat()
            self._auto_dated = True
        elif event.value == Decision.PENDING and self._auto_dated:
            decided_on.value = ""
            self._auto_dated = False

    def build(self) -> ChangeRequest:
        day, decided = self.value("day").strip(), self.value("decided_on").strip()
        return svc.check_change(
            replace(
                self.change,
                request=self.value("request"),
                requester=self.value("requester"),
                day=parse_day(day, self.app.today(), forward=False) if day else None,
                scope=self.value("scope"),
                schedule=self.value("schedule"),
                cost=self.value("cost"),
                decision=chosen(self.query_one("#decision", Select)),
                decided_by=self.value("decided_by"),
                decided_on=(
                    parse_day(decided, self.app.today(), forward=False) if decided else None
                ),
                phase=self.value("phase"),
                note=self.value("note"),
            )
        )


class FeedbackForm(FormDialog[Feedback]):
    """What the customer said, sorted as technical, process or service."""

    def __init__(self, feedback: Feedback, *, is_new: bool) -> None:
        super().__init__()
        self.feedback, self.is_new = feedback, is_new

    def compose(self) -> ComposeResult:
        f = self.feedback
        with Vertical(classes="dialog form", id="feedback-form"):
            yield Static(t("Customer feedback"), classes="dialog-title", markup=False)
            yield field_row(t("Feedback"), Input(f.text, id="text", compact=True))
            yield pair_row(
                (
                    t("Category"),
                    choice_select(
                        [(review.category_label(c), c) for c in FeedbackCategory],
                        f.category,
                        "category",
                    ),
                ),
                (t("Said by"), Input(f.source, id="source", compact=True)),
            )
            yield pair_row(
                (
                    t("Date"),
                    Input(f.day.isoformat(), id="day", compact=True, placeholder="YYYY-MM-DD"),
                ),
                (
                    t("Score 1-5"),
                    Input(
                        "" if f.satisfaction is None else str(f.satisfaction),
                        id="satisfaction",
                        compact=True,
                        placeholder=t("if given"),
                    ),
                ),
            )
            yield from self.buttons()

    def build(self) -> Feedback:
        return review.check_feedback(
            replace(
                self.feedback,
                text=self.value("text"),
                category=chosen(self.query_one("#category", Select)),
                source=self.value("source"),
                day=parse_day(self.value("day"), self.app.today(), forward=False),
                satisfaction=review.parse_satisfaction(self.value("satisfaction")),
            )
        )


class RetroForm(FormDialog[Retro]):
    """The retrospective in the engineer's own words; the report adds the facts."""

    def __init__(self, retro: Retro) -> None:
        super().__init__()
        self.retro = retro

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form", id="retro-form"):
            yield Static(t("Retrospective notes"), classes="dialog-title", markup=False)
            with VerticalScroll():
                for name in Retro.FIELDS:
                    yield Label(review.retro_label(name), markup=False)
                    yield NoteArea(
                        getattr(self.retro, name), id=name, classes="form-text", compact=True
                    )
            yield from self.buttons()

    def build(self) -> Retro:
        return review.check_retro(
            replace(
                self.retro,
                **{name: self.query_one(f"#{name}", TextArea).text for name in Retro.FIELDS},
            )
        )
