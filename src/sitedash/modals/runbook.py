"""Dialogs of the Runbook tab: a step, a watch shift, and the runbook's frame (the
low-traffic window, who decides, the rollback criteria). Each returns the edited
record (checked); the tab saves it."""

from __future__ import annotations

from datetime import date, datetime
from typing import TypeVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Input, Label, Select, Static, TextArea

from sitedash.errors import InputError
from sitedash.i18n import t
from sitedash.modals.base import FormDialog
from sitedash.models import Engagement, Runbook, RunbookStep, StepPhase, Watch, replace
from sitedash.services import runbook as plan
from sitedash.services.today import format_minutes
from sitedash.widgets.form import choice_select, chosen, field_row, pair_row
from sitedash.widgets.header import show
from sitedash.widgets.text_area import NoteArea

TIME_HINT = "YYYY-MM-DD HH:MM"


def _time_input(value: datetime | None, widget_id: str, placeholder: str = TIME_HINT) -> Input:
    return Input(plan.form_time(value), id=widget_id, compact=True, placeholder=placeholder)


Result = TypeVar("Result")


class _TimedForm(FormDialog[Result]):
    """A form with site times: the HQ time of what is typed shows beneath as it is typed."""

    engagement: Engagement
    runbook: Runbook
    fallback: date

    def site_time(self, widget_id: str) -> datetime | None:
        return plan.parse_site_time(
            self.value(widget_id), self.engagement, self.runbook, self.fallback
        )

    def hq_hint(self) -> Static:
        return Static(id="hq-hint", classes="form-hint")

    def hint_text(self) -> str:
        return ""

    @on(Input.Changed)
    def _show_hq(self) -> None:
        hints = self.query("#hq-hint")
        if hints:
            show(hints.first(Static), Content(self.hint_text()))

    def hq_of(self, moment: datetime | None, end: datetime | None = None) -> str:
        if moment is None:
            return ""
        return t(
            "HQ time ({zone}): {time}",
            zone=self.engagement.hq_tz,
            time=plan.span(
                plan.in_hq(moment, self.engagement),
                plan.in_hq(end, self.engagement) if end else None,
            ),
        )


class StepForm(_TimedForm[RunbookStep]):
    """A step: what, cutover or rollback, who, when it starts (site time) and how long
    it takes, and a note (what to check, what went wrong)."""

    def __init__(
        self,
        step: RunbookStep,
        engagement: Engagement,
        runbook: Runbook,
        fallback: date,
        *,
        is_new: bool,
    ) -> None:
        super().__init__()
        self.step, self.is_new = step, is_new
        self.engagement, self.runbook, self.fallback = engagement, runbook, fallback

    def compose(self) -> ComposeResult:
        s = self.step
        with Vertical(classes="dialog form", id="step-form"):
            yield Static(
                t("New runbook step") if self.is_new else t("Runbook step"),
                classes="dialog-title",
                markup=False,
            )
            yield field_row(t("Step"), Input(s.title, id="title", compact=True))
            yield pair_row(
                (
                    t("Part"),
                    choice_select([(plan.phase_label(p), p) for p in StepPhase], s.phase, "phase"),
                ),
                (t("Owner"), Input(s.owner, id="owner", compact=True)),
            )
            yield pair_row(
                (t("Starts (site)"), _time_input(s.start, "start", t("HH:MM or YYYY-MM-DD HH:MM"))),
                (
                    t("Takes"),
                    Input(
                        format_minutes(s.duration_min),
                        id="duration",
                        compact=True,
                        placeholder="30m",
                    ),
                ),
            )
            yield self.hq_hint()
            yield field_row(
                t("Note"),
                Input(
                    s.note, id="note", compact=True, placeholder=t("what to check, what went wrong")
                ),
            )
            yield from self.buttons()

    def on_mount(self) -> None:
        self._show_hq()

    def hint_text(self) -> str:
        try:
            return self.hq_of(self.site_time("start"))
        except InputError:
            return ""

    def build(self) -> RunbookStep:
        return plan.check_step(
            replace(
                self.step,
                title=self.value("title"),
                phase=chosen(self.query_one("#phase", Select)),
                owner=self.value("owner"),
                start=self.site_time("start"),
                duration_min=plan.parse_minutes(self.value("duration")),
                note=self.value("note"),
            )
        )


class WatchForm(_TimedForm[Watch]):
    """A shift of the watch roster: who, from when to when (site time), how to reach
    them and what they watch."""

    def __init__(
        self,
        watch: Watch,
        engagement: Engagement,
        runbook: Runbook,
        fallback: date,
        *,
        is_new: bool,
    ) -> None:
        super().__init__()
        self.shift, self.is_new = watch, is_new
        self.engagement, self.runbook, self.fallback = engagement, runbook, fallback

    def compose(self) -> ComposeResult:
        w = self.shift
        with Vertical(classes="dialog form", id="watch-form"):
            yield Static(
                t("New watch shift") if self.is_new else t("Watch shift"),
                classes="dialog-title",
                markup=False,
            )
            yield pair_row(
                (t("Who"), Input(w.who, id="who", compact=True)),
                (
                    t("Contact"),
                    Input(w.contact, id="contact", compact=True, placeholder=t("phone, IM")),
                ),
            )
            yield pair_row(
                (t("From (site)"), _time_input(w.start, "start", t("HH:MM or YYYY-MM-DD HH:MM"))),
                (t("To (site)"), _time_input(w.end, "end", "HH:MM")),
            )
            yield self.hq_hint()
            yield field_row(
                t("Watching"),
                Input(
                    w.duty,
                    id="duty",
                    compact=True,
                    placeholder=t("CPU, memory, logs; users' calls"),
                ),
            )
            yield from self.buttons()

    def on_mount(self) -> None:
        self._show_hq()

    def _times(self) -> tuple[datetime | None, datetime | None]:
        start = self.site_time("start")
        end = plan.parse_end(self.value("end"), start, self.engagement)
        return start, end

    def hint_text(self) -> str:
        try:
            return self.hq_of(*self._times())
        except InputError:
            return ""

    def build(self) -> Watch:
        start, end = self._times()
        return plan.check_watch(
            replace(
                self.shift,
                who=self.value("who"),
                contact=self.value("contact"),
                start=start,
                end=end,
                duty=self.value("duty"),
            )
        )


class RunbookForm(_TimedForm[Runbook]):
    """The runbook's frame: the low-traffic window (低峰期), who decides go / no-go and
    a rollback, and the rollback criteria (回滚预案), one a line."""

    def __init__(self, runbook: Runbook, engagement: Engagement, fallback: date) -> None:
        super().__init__()
        self.runbook, self.engagement, self.fallback = runbook, engagement, fallback

    def compose(self) -> ComposeResult:
        r = self.runbook
        with Vertical(classes="dialog form", id="runbook-form"):
            yield Static(
                t("Go-live window and rollback plan"), classes="dialog-title", markup=False
            )
            with VerticalScroll():
                yield pair_row(
                    (t("From (site)"), _time_input(r.window_start, "start")),
                    (t("To (site)"), _time_input(r.window_end, "end", "HH:MM")),
                )
                yield self.hq_hint()
                yield field_row(
                    t("Decides"),
                    Input(
                        r.decider,
                        id="decider",
                        compact=True,
                        placeholder=t("who decides go / no-go and a rollback"),
                    ),
                )
                yield Label(t("Roll back when (one criterion a line)"), markup=False)
                yield NoteArea(
                    r.rollback_criteria, id="criteria", classes="form-text", compact=True
                )
            yield from self.buttons()

    def on_mount(self) -> None:
        self._show_hq()

    def _times(self) -> tuple[datetime | None, datetime | None]:
        value = self.value("start").strip()
        start = (
            plan.parse_site_time(
                value, self.engagement, Runbook(self.runbook.engagement), self.fallback
            )
            if value
            else None
        )
        return start, plan.parse_end(self.value("end"), start, self.engagement)

    def hint_text(self) -> str:
        try:
            return self.hq_of(*self._times())
        except InputError:
            return ""

    def build(self) -> Runbook:
        start, end = self._times()
        return plan.check_runbook(
            replace(
                self.runbook,
                window_start=start,
                window_end=end,
                decider=self.value("decider"),
                rollback_criteria=self.query_one("#criteria", TextArea).text,
            )
        )
