"""Dialogs of the Training screen: a session, an assessment, a person on the roster."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from sitedash.errors import InputError
from sitedash.i18n import t
from sitedash.modals.base import Dialog, FormDialog
from sitedash.models import Assessment, Attendance, Tier, Trainee, TrainingSession, replace
from sitedash.services import training as svc
from sitedash.services.timeutil import parse_day, parse_hhmm
from sitedash.services.today import check_title, format_minutes, parse_estimate
from sitedash.textsafe import clean_line
from sitedash.widgets.form import choice_select, chosen, field_row, pair_row
from sitedash.widgets.safe import literal, t_literal
from sitedash.widgets.text_area import NoteArea


def _tier_select(value: Tier, widget_id: str = "tier") -> Select[Tier]:
    return choice_select([(svc.tier_label(tier), tier) for tier in Tier], value, widget_id)


class SessionForm(FormDialog[TrainingSession]):
    """Everything about a session. Attendees already assessed keep their results."""

    def __init__(self, session: TrainingSession, *, is_new: bool, error: str = "") -> None:
        super().__init__()
        self.session, self.is_new, self.error = session, is_new, error

    def compose(self) -> ComposeResult:
        s = self.session
        heading = t("New training session") if self.is_new else t("Edit training session")
        with Vertical(classes="dialog form", id="session-form"):
            yield Static(heading, classes="dialog-title", markup=False)
            with VerticalScroll():
                yield field_row(
                    t("Topic"),
                    Input(
                        s.topic,
                        id="topic",
                        compact=True,
                        placeholder=t("e.g. Reporting work on line 2"),
                    ),
                )
                yield pair_row(
                    (
                        t("Date"),
                        Input(s.day.isoformat(), id="day", compact=True, placeholder="YYYY-MM-DD"),
                    ),
                    (t("Audience"), _tier_select(s.tier)),
                )
                yield pair_row(
                    (
                        t("Starts"),
                        Input(s.start_time, id="start", compact=True, placeholder="HH:MM"),
                    ),
                    (
                        t("Duration"),
                        Input(
                            format_minutes(s.duration_min),
                            id="duration",
                            compact=True,
                            placeholder="1h30m",
                        ),
                    ),
                )
                yield field_row(
                    t("Modules"),
                    Input(
                        ", ".join(s.modules),
                        id="modules",
                        compact=True,
                        placeholder=t("Production, Quality"),
                    ),
                )
                yield pair_row(
                    (t("Trainer"), Input(s.trainer, id="trainer", compact=True)),
                    (
                        t("Practice"),
                        Checkbox(t("hands-on"), s.hands_on, id="hands_on", compact=True),
                    ),
                )
                yield Label(t("Attendees: name | role | department, one per line"), markup=False)
                yield NoteArea(
                    "\n".join(f"{a.name} | {a.role} | {a.department}" for a in s.attendees),
                    id="attendees",
                    classes="form-text",
                    compact=True,
                )
                yield Label(
                    t("Materials: manual|slides|video|faq | name | path or link"), markup=False
                )
                yield NoteArea(
                    "\n".join(f"{m.kind.value} | {m.name} | {m.location}" for m in s.materials),
                    id="materials",
                    classes="form-text",
                    compact=True,
                )
                yield field_row(t("Notes"), Input(s.notes, id="notes", compact=True))
                yield field_row(t("Feedback"), Input(s.feedback, id="feedback", compact=True))
            yield from self.buttons()

    def build(self) -> TrainingSession:
        start = self.value("start").strip()
        duration = parse_estimate(self.value("duration"))
        if duration <= 0:
            raise InputError(t("the duration must be between 1 minute and a day"))
        kept = {svc.person_key(a.name): a for a in self.session.attendees}
        attendees = []
        for attendee in svc.parse_attendees(self.query_one("#attendees", TextArea).text):
            before = kept.get(svc.person_key(attendee.name))
            if before is not None:  # keep the assessment of someone already listed
                attendee = replace(
                    before, name=attendee.name, role=attendee.role, department=attendee.department
                )
            attendees.append(attendee)
        return replace(
            self.session,
            topic=check_title(self.value("topic")),
            day=parse_day(self.value("day"), self.app.today()),
            tier=chosen(self.query_one("#tier", Select)),
            start_time=parse_hhmm(start).strftime("%H:%M") if start else "",
            duration_min=duration,
            modules=svc.parse_modules(self.value("modules")),
            trainer=self.value("trainer"),
            hands_on=self.query_one("#hands_on", Checkbox).value,
            attendees=attendees,
            materials=svc.parse_materials(self.query_one("#materials", TextArea).text),
            notes=self.value("notes"),
            feedback=self.value("feedback"),
        )


class AssessmentForm(FormDialog[Attendance]):
    """Passed (can operate independently), needs another session, or absent."""

    def __init__(self, attendee: Attendance) -> None:
        super().__init__()
        self.attendee = attendee

    def compose(self) -> ComposeResult:
        a = self.attendee
        with Vertical(classes="dialog form", id="assessment-form"):
            yield Static(
                t("Hands-on assessment: {name}", name=clean_line(a.name)),
                classes="dialog-title",
                markup=False,
            )
            yield field_row(
                t("Result"),
                choice_select(
                    [(svc.result_label(r), r.value) for r in Assessment]
                    + [(svc.result_label(None), "")],
                    a.result.value if a.result else "",
                    "result",
                ),
            )
            yield field_row(
                t("Score"),
                Input(
                    "" if a.score is None else f"{a.score:g}",
                    id="score",
                    compact=True,
                    placeholder="0-100",
                ),
            )
            yield field_row(t("Remark"), Input(a.remark, id="remark", compact=True))
            yield from self.buttons()

    def build(self) -> Attendance:
        score_text = self.value("score").strip()
        try:
            score = float(score_text) if score_text else None
        except ValueError:
            raise InputError(t("the score must be between 0 and 100")) from None
        if score is not None and not 0 <= score <= 100:
            raise InputError(t("the score must be between 0 and 100"))
        result = chosen(self.query_one("#result", Select))
        return replace(
            self.attendee,
            result=Assessment(result) if result else None,
            score=score,
            remark=clean_line(self.value("remark")),
        )


class TraineeForm(FormDialog[Trainee]):
    """Someone to train; empty modules means every module of the engagement."""

    def __init__(self, trainee: Trainee, *, is_new: bool) -> None:
        super().__init__()
        self.trainee, self.is_new = trainee, is_new

    def compose(self) -> ComposeResult:
        p = self.trainee
        with Vertical(classes="dialog form", id="trainee-form"):
            yield Static(
                t("Add to the roster") if self.is_new else clean_line(p.name),
                classes="dialog-title",
                markup=False,
            )
            yield field_row(t("Full name"), Input(p.name, id="name", compact=True))
            yield field_row(t("Audience"), _tier_select(p.tier))
            yield pair_row(
                (t("Role"), Input(p.role, id="role", compact=True)),
                (t("Department"), Input(p.department, id="department", compact=True)),
            )
            yield field_row(
                t("Modules"),
                Input(
                    ", ".join(p.modules), id="modules", compact=True, placeholder=t("empty: all")
                ),
            )
            yield from self.buttons()

    def build(self) -> Trainee:
        name = clean_line(self.value("name"))
        if not name:
            raise InputError(t("the name is empty"))
        return replace(
            self.trainee,
            name=name,
            tier=chosen(self.query_one("#tier", Select)),
            role=clean_line(self.value("role")),
            department=clean_line(self.value("department")),
            modules=svc.parse_modules(self.value("modules")),
        )


def new_session(engagement: str, day: date) -> TrainingSession:
    return TrainingSession(topic="", engagement=engagement, day=day)


class SessionView(Dialog[None]):
    """Everything recorded about a session, read-only and scrollable: the screen's
    summary line cannot hold notes, feedback, material paths or remarks."""

    BINDINGS = [Binding("v,q", "cancel", "Close", id="session_view.close")]

    def __init__(self, session: TrainingSession) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="session-view"):
            yield Static(literal(self.session.topic), classes="dialog-title")
            with VerticalScroll():
                yield Static(session_text(self.session), id="session-text", markup=False)
            yield Static(t("escape closes"), classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()


def session_text(s: TrainingSession) -> Content:
    """The session's every field as lines of literal text."""
    when = s.day.isoformat() + (f" {s.start_time}" if s.start_time else "")
    parts: list[Content | str | tuple[str, str]] = [
        f"{when} · {format_minutes(s.duration_min)} · {svc.tier_label(s.tier)} · ",
        (t("hands-on"), "green") if s.hands_on else (t("no hands-on practice"), "yellow"),
        "\n",
        t_literal("modules: {modules}", modules=", ".join(s.modules) or "-"),
        "\n",
        t_literal("trainer: {trainer}", trainer=s.trainer or "-"),
        "\n\n",
        (t("Who attended"), "bold"),
        "\n",
    ]
    for a in s.attendees:
        details = " · ".join(x for x in (a.role, a.department) if x)
        score = "" if a.score is None else f" ({a.score:g})"
        parts += [
            "  ",
            literal(a.name, "bold"),
            "  ",
            literal(details, "dim"),
            "  ",
            svc.result_label(a.result) + score,
        ]
        if a.remark:
            parts += ["  ", literal(a.remark, "italic")]
        parts.append("\n")
    if not s.attendees:
        parts += ["  ", t("none"), "\n"]
    parts += ["\n", (t("Materials"), "bold"), "\n"]
    for m in s.materials:
        parts += [f"  {svc.material_label(m.kind)}: ", literal(m.name)]
        if m.location:
            parts += ["  ", literal(m.location, "underline")]
        parts.append("\n")
    if not s.materials:
        parts += ["  ", t("none"), "\n"]
    for title, text in ((t("Notes"), s.notes), (t("Feedback"), s.feedback)):
        parts += ["\n", (title, "bold"), "\n", literal(text or "-"), "\n"]
    return Content.assemble(*parts)
