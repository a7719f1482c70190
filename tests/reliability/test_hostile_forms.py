"""Hostile text PASTED into every field of every dialog: nothing crashes, what is stored
is the text as typed minus control characters (`textsafe.clean`/`clean_line`), the
screen shows it literally (never as markup), the layout holds at 80x24, and no escape
sequence reaches the terminal.

The text arrives as a real `events.Paste` posted to the app, the way the terminal
driver delivers a bracketed paste: the app forwards it to the focused widget.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from textual import events
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from sitedash.models import (
    Attendance,
    Issue,
    IssueStatus,
    Retro,
    SessionKind,
    TrainingSession,
    WorkSession,
)
from sitedash.services import issues as issue_service
from sitedash.services import today as plan
from sitedash.storage import Store
from sitedash.textsafe import clean, clean_line
from tests.conftest import TODAY, settle
from tests.drawn import drawn_lines, drawn_text
from tests.reliability.test_hostile_screens import assert_terminal_safe

CLICK = "[@click=app.quit]x[/]"
PIECES = (
    CLICK,
    "[/var/log]",
    "[[a]]]",
    "\x1b[31mred\x1b[0m",
    "\x1b]52;c;aGk=\x07",  # OSC 52: write "hi" to the clipboard
    "\x1b]0;pwned\x07",  # OSC 0: set the window title
    "[bold]x[/bold] | [link=https://e.x]y[/link]",
    "扫码枪换班后死机",
    "👩\u200d💻",
    "שלום مرحبا",
    "e\u0301\u0308",
)
# Each round pastes its pieces one Paste event at a time into every text field; the
# first piece is what the screen must show literally afterwards.
MARKUP_FIRST = PIECES
UNICODE_FIRST = PIECES[6:] + PIECES[:6]
LONG = (("[/var/log]扫码枪 \x1b]0;t\x07👩\u200d💻 שלום [b]x[/b] " * 300)[:9_999]) + "."
assert len(LONG) == 10_000
ROUNDS = {"markup": MARKUP_FIRST, "unicode": UNICODE_FIRST, "long": (LONG,)}
SHOWN_CHARS = 16
"""How much of a saved value must be visible: enough to prove `[...]` was not markup."""

# Textual's own output: SGR colours and cursor moves. Anything else starting with ESC,
# and any other C0/C1 control character, came from user text.
_OWN_SEQUENCE = re.compile(r"\x1b\[[0-9;]*[mH]")
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


# -- what the terminal gets ----------------------------------------------------------


def terminal_problems(app) -> list[str]:
    """What the terminal would receive for the screens shown, checked segment by
    segment: user text never carries a control character, a link or a click action."""
    lines = drawn_lines(app, stack=True)
    problems = []
    for y, line in enumerate(lines):
        for segment in line:
            if segment.control:
                continue
            if _CONTROL.search(segment.text):
                problems.append(f"line {y}: control character in {segment.text!r}")
            style = segment.style
            if style is not None and style.link:
                problems.append(f"line {y}: a link {style.link!r} (markup was interpreted)")
            if style is not None and "@click" in style.meta:
                problems.append(f"line {y}: a click action (markup was interpreted)")
    raw = _OWN_SEQUENCE.sub("", "\n".join(line.render(app.console) for line in lines))
    if _CONTROL.search(raw.replace("\n", "")):
        found = sorted(set(_CONTROL.findall(raw.replace("\n", ""))))
        problems.append(f"raw output carries {found!r} beyond SGR and cursor moves")
    return problems


def screen_text(app) -> str:
    """The characters drawn, line by line (wide characters once)."""
    return drawn_text(app, stack=True)


def assert_layout_holds(app) -> None:
    for widget in app.screen.query("*"):
        assert widget.region.right <= 80, f"{widget!r} spans {widget.region} at 80x24"


def assert_settled(app, mode: str) -> None:
    """Back on the mode's screen, alive, nothing leaking, nothing off the edge."""
    assert app.is_running, "the app ended"
    assert not isinstance(app.screen, ModalScreen), f"still in {app.screen!r}: {dialog_error(app)}"
    assert app.current_mode == mode
    assert terminal_problems(app) == []
    assert_terminal_safe(app)
    assert_layout_holds(app)


# -- pasting ---------------------------------------------------------------------------


async def paste(pilot, widget, pieces: Sequence[str], sep: str = " ") -> str:
    """Clear `widget`, focus it and paste `pieces` one Paste event each, `sep` between,
    all queued together; returns the text as typed once the app has handled them."""
    app = pilot.app
    if isinstance(widget, TextArea):
        widget.clear()
    else:
        widget.value = ""
    widget.screen.set_focus(widget)
    await settle(pilot)
    for index, piece in enumerate(pieces):
        if index:
            app.post_message(events.Paste(sep))
        app.post_message(events.Paste(piece))
    await settle(pilot)
    return sep.join(pieces)


def assert_pasted(widget, typed: str) -> None:
    """The paste landed in `widget` (as typed, or already cleaned on the way in)."""
    value = widget.text if isinstance(widget, TextArea) else widget.value
    assert value in (typed, clean(typed), clean_line(typed)), f"{widget!r} holds {value[:80]!r}"


async def paste_inert(pilot, widgets: list) -> None:
    """A paste into a choice (Select, Checkbox, list) changes nothing."""
    app = pilot.app

    def state(widget) -> tuple:
        return getattr(widget, "value", None), getattr(widget, "selected", None)

    before = [state(widget) for widget in widgets]
    for widget in widgets:
        widget.screen.set_focus(widget)
        await settle(pilot)
        assert app.focused is widget
        for piece in PIECES:
            app.post_message(events.Paste(piece))
        await settle(pilot)
        assert app.focused is widget, "a paste moved the focus"
    assert [state(widget) for widget in widgets] == before
    assert app.is_running


def dialog_error(app) -> str:
    errors = app.screen.query("#dialog-error")
    if not errors or not errors.first().display:
        return ""
    return str(errors.first(Static).render())


# -- the forms -------------------------------------------------------------------------


def cells(text: str, n: int) -> list[str]:
    """`a | b | c` split the way the forms read their one-per-line fields."""
    return ([clean_line(part) for part in text.split("|")] + [""] * n)[:n]


@dataclass
class Text:
    """A free-text field: `expect` turns what was typed into what must be stored,
    `get` reads it back from the record the form wrote."""

    id: str
    get: Callable[[Any], Any]
    expect: Callable[[str], Any] = clean_line
    limit: int | None = None
    """Longer text must be refused with a clear error, the dialog kept open."""
    line: Callable[[str], str] | None = None
    """For a one-record-per-line TextArea: the line typed for each piece."""


@dataclass
class Bad:
    """A structured field (date, duration, number, zone): hostile text is refused with a
    literal error line and the dialog stays open; then `valid` (default: what the field
    held) goes back in."""

    id: str
    valid: str | None = None


@dataclass
class Form:
    """One dialog: how to reach and open it, its fields, how to read back what it saved."""

    dialog: str
    mode: str
    go: Sequence[str]
    """Keys from the start to the screen (and tab) the dialog is opened from."""
    open: Callable[[Any, int], Awaitable[None]]
    texts: list[Text] = field(default_factory=list)
    record: Callable[[Store, Any], Any] | None = None
    """The record the last save wrote, or the value the dialog returned."""
    records: Callable[[Store], list] | None = None
    """For a form that creates a record: all of them (the new one is found by id)."""
    bad: list[Bad] = field(default_factory=list)
    inert: list[str] = field(default_factory=list)
    shown: str | None = None
    """The field whose saved text the screen shows afterwards (its first characters)."""
    submit: str = "ctrl+s"
    setup: Callable[[Store], None] | None = None
    name: str = ""

    def __post_init__(self) -> None:
        self.name = self.name or self.dialog


def keys(*pressed: str) -> Callable[[Any, int], Awaitable[None]]:
    async def open_(pilot, _round: int) -> None:
        await pilot.press(*pressed)
        await pilot.pause()

    return open_


def palette(action: str) -> Callable[[Any, int], Awaitable[None]]:
    async def open_(pilot, _round: int) -> None:
        # Offered by the command palette only: run the palette's command directly.
        getattr(pilot.app, action)()
        await pilot.pause()

    return open_


def newest_issue(store: Store) -> Issue:
    return max(store.issues(), key=lambda issue: issue.number)


def new_issue(store: Store) -> None:
    issue_service.create_issue(store, Issue("Scanner freezes", "mes"))


def a_morning_session(store: Store) -> None:
    start = datetime(2026, 11, 25, 7, 0, tzinfo=ZoneInfo("Europe/Budapest"))
    store.save_session(
        WorkSession(SessionKind.WORK, start, TODAY, "mes", start + timedelta(hours=1))
    )


def resolved_issue(store: Store) -> None:
    issue = issue_service.create_issue(store, Issue("Scanner freezes", "mes"))
    for status in (IssueStatus.IN_PROGRESS, IssueStatus.RESOLVED):
        issue = issue_service.move(store, issue, status)


async def open_confirmation(pilot, round_: int) -> None:
    if round_ == 0:
        await pilot.press("right", "right", "right")  # to the Resolved column
    else:
        await pilot.press("less_than_sign")  # reopen: back to Resolved
    await pilot.press("greater_than_sign")
    await pilot.pause()


async def open_escalation(pilot, round_: int) -> None:
    await pilot.press("exclamation_mark")
    await pilot.pause()
    if round_:  # escalated already: first the yes/no to withdraw it, pasted into too
        assert type(pilot.app.screen).__name__ == "ConfirmDialog"
        await paste_inert(pilot, [pilot.app.focused])
        await pilot.press("y", "exclamation_mark")
        await pilot.pause()


def session_with_attendee(store: Store) -> None:
    store.save_training_session(
        TrainingSession("Reporting work", "mes", TODAY, attendees=[Attendance("Anna", "op", "L2")])
    )


async def open_assessment(pilot, round_: int) -> None:
    if round_ == 0:
        await pilot.press("tab")  # to the attendees
    await pilot.press("enter")
    await pilot.pause()


def attendee_lines(text: str) -> list[tuple[str, ...]]:
    return [tuple(cells(line, 3)) for line in text.splitlines() if cells(line, 1)[0]]


def material_lines(text: str) -> list[tuple[str, ...]]:
    rows = []
    for line in text.splitlines():
        kind, name, location = cells(line, 3)
        rows.append((kind, name or kind, location))
    return rows


def one_module(text: str) -> list[str]:
    module = clean_line(text)
    return [module] if module else []


def note(text: str) -> str:
    return clean(text)


def stripped_note(text: str) -> str:
    return clean(text).strip()


def energy(text: str) -> str:
    return clean_line(text)[:200]


def attr(name: str) -> Callable[[Any], Any]:
    return lambda record: getattr(record, name)


def line_text(name: str, **kwargs: Any) -> Text:
    return Text(name, attr(name), **kwargs)


ENGAGEMENT_TABS = {
    "contacts": ("6",),
    "checks": ("6", "t"),
    "milestones": ("6", "t", "t"),
    "risks": ("6", "t", "t", "t"),
    "runbook": ("6", "t", "t", "t", "t"),
}
SIGNOFF_TABS = {
    "checklist": ("4",),
    "signoffs": ("4", "t"),
    "changes": ("4", "t", "t"),
    "feedback": ("4", "t", "t", "t", "t"),
    "retro": ("4", "t", "t", "t", "t", "t"),
    "uat": ("4", "t", "t", "t", "t", "t", "t"),
}
UAT_REPORT_ROW = 6
"""The UAT report's row on the standard checklist."""

FORMS = [
    Form(
        "PlanItemForm",
        "today",
        (),
        keys("a"),
        [line_text("title", limit=300), Text("note", attr("note"), note)],
        records=lambda store: store.plan_items(TODAY, "mes"),
        bad=[Bad("estimate"), Bad("day")],
        inert=["category", "status"],
        shown="title",
    ),
    Form(
        "PromptDialog",
        "today",
        (),
        keys("g"),  # go to date
        bad=[Bad("prompt-input")],
        submit="enter",
        name="GoToDatePrompt",
    ),
    Form(
        "SettingsForm",
        "today",
        (),
        palette("action_settings"),
        [line_text("engineer")],
        record=lambda store, app: store.settings(),
        bad=[Bad("day_starts_at")],
        inert=["lang"],  # a pasted language would restart the app
    ),
    Form(
        "EngagementForm",
        "today",
        (),
        palette("action_edit_engagement"),
        [
            line_text("name"),
            line_text("customer"),
            line_text("site"),
        ],
        record=lambda store, app: store.engagement("mes"),
        bad=[Bad("site_tz"), Bad("hq_tz"), Bad("start"), Bad("end")],
        shown="name",
    ),
    Form(
        "EngagementPicker",
        "today",
        (),
        keys("E"),
        inert=["engagement-list"],
        submit="escape",
    ),
    Form(
        "IssueForm",
        "issues",
        ("2",),
        keys("n"),
        [
            line_text("title", limit=300),
            line_text("module", limit=200),
            line_text("reporter", limit=200),
            Text("symptom", attr("symptom"), note),
            Text("cause", attr("cause"), note),
            Text("solution", attr("solution"), note),
            Text("escalation_note", attr("escalation_note"), note),
        ],
        record=lambda store, app: newest_issue(store),
        bad=[Bad("recurs_from")],
        inert=["severity", "escalated"],
        shown="title",
    ),
    Form(
        "FilterDialog",
        "issues",
        ("2",),
        keys("slash"),
        # Not stored: the board matches it as typed and shows it through clean_line.
        [
            Text("text", lambda f: clean_line(f.text)),
            Text("module", lambda f: clean_line(f.module)),
        ],
        record=lambda store, app: app.screen.filter,
        inert=["severities"],
        submit="enter",
    ),
    Form(
        "ConfirmationDialog",
        "issues",
        ("2",),
        open_confirmation,
        [line_text("by"), line_text("reference")],
        record=lambda store, app: newest_issue(store).confirmation,
        inert=["method"],
        setup=resolved_issue,
    ),
    Form(
        "PromptDialog",
        "issues",
        ("2",),
        open_escalation,
        [Text("prompt-input", lambda issue: issue.escalation_note, note)],
        record=lambda store, app: newest_issue(store),
        submit="enter",
        setup=new_issue,
        name="EscalationPrompt",
    ),
    Form(
        "SessionForm",
        "training",
        ("3",),
        keys("n"),
        [
            line_text("topic", limit=300),
            Text("modules", attr("modules"), one_module),
            line_text("trainer"),
            Text(
                "attendees",
                lambda s: [(a.name, a.role, a.department) for a in s.attendees],
                attendee_lines,
                line=lambda p: f"{p} | {p} | {p}",
            ),
            Text(
                "materials",
                lambda s: [(m.kind.value, m.name, m.location) for m in s.materials],
                material_lines,
                line=lambda p: f"manual | {p} | {p}",
            ),
            Text("notes", attr("notes"), note),
            Text("feedback", attr("feedback"), note),
        ],
        records=lambda store: store.training_sessions("mes"),
        bad=[Bad("day"), Bad("start"), Bad("duration"), Bad("materials")],
        inert=["tier", "hands_on"],
        shown="topic",
    ),
    Form(
        "AssessmentForm",
        "training",
        ("3",),
        open_assessment,
        [line_text("remark")],
        record=lambda store, app: store.training_sessions("mes")[0].attendees[0],
        bad=[Bad("score")],
        inert=["result"],
        setup=session_with_attendee,
    ),
    Form(
        "TraineeForm",
        "training",
        ("3", "t", "t"),
        keys("n"),
        [
            line_text("name"),
            line_text("role"),
            line_text("department"),
            Text("modules", attr("modules"), one_module),
        ],
        records=lambda store: store.roster("mes"),
        inert=["tier"],
        shown="name",
    ),
    Form(
        "ItemForm",
        "signoff",
        SIGNOFF_TABS["checklist"],
        keys("n"),
        [line_text("name", limit=300), line_text("evidence"), Text("note", attr("note"), note)],
        records=lambda store: store.acceptance_items("mes"),
        inert=["status"],
    ),
    Form(
        "SignOffForm",
        "signoff",
        SIGNOFF_TABS["signoffs"],
        keys("n"),
        [
            Text("milestone", attr("subject"), limit=300),
            line_text("signer"),
            line_text("role"),
            line_text("reference"),
        ],
        records=lambda store: store.signoffs("mes"),
        bad=[Bad("day")],
        inert=["subject", "method"],
        shown="milestone",
    ),
    Form(
        "ChangeForm",
        "signoff",
        SIGNOFF_TABS["changes"],
        keys("n"),
        [
            line_text("request", limit=300),
            line_text("requester"),
            Text("scope", attr("scope"), note),
            Text("schedule", attr("schedule"), note),
            Text("cost", attr("cost"), note),
            line_text("decided_by"),
            line_text("phase"),
            Text("note", attr("note"), note),
        ],
        records=lambda store: store.change_requests("mes"),
        bad=[Bad("day"), Bad("decided_on")],
        inert=["decision"],
        shown="request",
    ),
    Form(
        "FeedbackForm",
        "signoff",
        SIGNOFF_TABS["feedback"],
        keys("n"),
        [Text("text", attr("text"), stripped_note), line_text("source")],
        records=lambda store: store.all_feedback("mes"),
        bad=[Bad("day"), Bad("satisfaction")],
        inert=["category"],
        shown="text",
    ),
    Form(
        "RetroForm",
        "signoff",
        SIGNOFF_TABS["retro"],
        keys("e"),
        [Text(name, attr(name), note) for name in Retro.FIELDS],
        record=lambda store, app: store.retro("mes"),
        shown="goals",
    ),
    Form(
        "UatCaseForm",
        "signoff",
        SIGNOFF_TABS["uat"],
        keys("n"),
        [
            line_text("title", limit=300),
            line_text("module", limit=200),
            line_text("tester", limit=200),
            Text("steps", attr("steps"), note),
            Text("expected", attr("expected"), note),
            Text("actual", attr("actual"), note),
        ],
        records=lambda store: store.uat_cases("mes"),
        bad=[Bad("day"), Bad("issues")],
        inert=["result"],
        shown="title",
    ),
    Form(
        "ItemForm",
        "signoff",
        ("4", *["down"] * UAT_REPORT_ROW),
        keys("e"),
        [
            line_text("name", limit=300),
            line_text("evidence"),
            Text("note", attr("note"), note),
            line_text("waiver_note"),
        ],
        record=lambda store, app: store.acceptance_items("mes")[UAT_REPORT_ROW],
        inert=["status", "waived"],
        shown="name",
        name="UatReportWaiverForm",
    ),
    Form(
        "ContactForm",
        "engagement",
        ENGAGEMENT_TABS["contacts"],
        keys("a"),
        [
            line_text("name", limit=200),
            line_text("role", limit=200),
            line_text("organisation", limit=200),
            line_text("phone", limit=200),
            line_text("email", limit=200),
        ],
        records=lambda store: store.contacts("mes"),
        bad=[Bad("order"), Bad("tz"), Bad("hours")],
        inert=["days"],
        shown="name",
    ),
    Form(
        "CheckForm",
        "engagement",
        ENGAGEMENT_TABS["checks"],
        keys("a"),
        [line_text("text", limit=300), Text("note", attr("note"), note)],
        records=lambda store: store.checks("mes"),
        bad=[Bad("day")],
        inert=["checklist", "state"],
        shown="text",
    ),
    Form(
        "MilestoneForm",
        "engagement",
        ENGAGEMENT_TABS["milestones"],
        keys("a"),
        [
            line_text("title", limit=300),
            line_text("phase", limit=200),
            line_text("owner", limit=200),
        ],
        records=lambda store: store.milestones("mes"),
        bad=[Bad("due"), Bad("buffer_days")],
        inert=["status", "deliverables"],
        shown="title",
    ),
    Form(
        "RiskForm",
        "engagement",
        ENGAGEMENT_TABS["risks"],
        keys("a"),
        [
            line_text("description", limit=300),
            line_text("owner", limit=200),
            Text("mitigation", attr("mitigation"), note),
        ],
        records=lambda store: store.risks("mes"),
        bad=[Bad("trigger")],
        inert=["likelihood", "impact", "status"],
        shown="description",
    ),
    Form(
        "StepForm",
        "engagement",
        ENGAGEMENT_TABS["runbook"],
        keys("a"),
        [
            line_text("title", limit=300),
            line_text("owner", limit=200),
            Text("note", attr("note"), note),
        ],
        records=lambda store: store.runbook_steps("mes"),
        bad=[Bad("start"), Bad("duration")],
        inert=["phase"],
        shown="title",
    ),
    Form(
        "WatchForm",
        "engagement",
        ENGAGEMENT_TABS["runbook"],
        keys("w"),
        [
            line_text("who", limit=200),
            line_text("contact", limit=200),
            line_text("duty", limit=200),
        ],
        records=lambda store: store.watches("mes"),
        bad=[Bad("start"), Bad("end")],
        shown="who",
    ),
    Form(
        "RunbookForm",
        "engagement",
        ENGAGEMENT_TABS["runbook"],
        keys("g"),
        [
            line_text("decider", limit=200),
            Text("criteria", attr("rollback_criteria"), note),
        ],
        record=lambda store, app: store.runbook("mes"),
        bad=[Bad("start"), Bad("end")],
        shown="criteria",
    ),
    Form(
        "WellbeingSettingsForm",
        "wellbeing",
        ("5",),
        keys("S"),
        bad=[
            Bad(name)
            for name in (
                "break_after",
                "break_min",
                "long_day",
                "sleep",
                "walk",
                "rotation",
                "quiet",
                "snooze",
                "regular_day",
            )
        ],
        inert=["bell"],
    ),
    Form(
        "SessionForm",
        "wellbeing",
        ("5", "h"),
        keys("enter"),  # the session under the cursor, in the Hours view
        [Text("note", attr("note"), energy)],
        record=lambda store, app: store.sessions_between(TODAY, TODAY)[0],
        bad=[Bad("start"), Bad("end")],
        shown="note",
        setup=a_morning_session,
    ),
    Form(
        "ClockTimeForm",
        "wellbeing",
        ("5",),
        keys("i"),
        bad=[Bad("clock-at", "")],
    ),
    Form(
        "PromptDialog",
        "wellbeing",
        ("5",),
        keys("m"),
        [Text("prompt-input", attr("energy"), energy)],
        record=lambda store, app: store.health(TODAY),
        submit="enter",
        shown="prompt-input",
        name="EnergyPrompt",
    ),
    Form(
        "PromptDialog",
        "wellbeing",
        ("5",),
        keys("s"),
        bad=[Bad("prompt-input", "7.5")],
        submit="enter",
        name="SleepPrompt",
    ),
]


async def run_round(pilot, store: Store, form: Form, index: int, pieces, leaks: list[str]):
    app = pilot.app
    before = {r.id for r in form.records(store)} if form.records else set()
    await form.open(pilot, index)
    dialog = app.screen
    assert type(dialog).__name__ == form.dialog, f"opened {dialog!r}"
    if form.inert and index == 0:
        await paste_inert(pilot, [dialog.query_one(f"#{name}") for name in form.inert])
    typed_in: dict[str, str] = {}
    for text in form.texts:
        widget = dialog.query_one(f"#{text.id}")
        if text.line is not None:
            typed_in[text.id] = await paste(pilot, widget, [text.line(p) for p in pieces], "\n")
        else:
            sep = "\n" if isinstance(widget, TextArea) else " "
            typed_in[text.id] = await paste(pilot, widget, pieces, sep)
    await pilot.pause()
    for text in form.texts:
        assert_pasted(dialog.query_one(f"#{text.id}"), typed_in[text.id])
    # Structured fields, one at a time: a literal error line, the dialog kept open.
    for bad in form.bad if index == 0 else []:
        widget = dialog.query_one(f"#{bad.id}")
        valid = bad.valid if bad.valid is not None else value_of(widget)
        typed = await paste(pilot, widget, pieces)
        await pilot.pause()
        assert_pasted(widget, typed)
        await pilot.press(form.submit)
        await pilot.pause()
        assert app.is_running and app.screen is dialog, f"{bad.id}: the dialog closed"
        error = dialog_error(app)
        assert error and not _CONTROL.search(error), f"{bad.id}: error line {error!r}"
        assert "[@click" not in error or CLICK in error, f"{bad.id}: error line {error!r}"
        leaks.extend(f"{form.name} with a bad {bad.id}: {p}" for p in terminal_problems(app))
        assert_layout_holds(app)
        if isinstance(widget, TextArea):
            widget.text = valid
        else:
            widget.value = valid
    leaks.extend(f"{form.name} filled in: {p}" for p in terminal_problems(app))
    assert_layout_holds(app)
    await pilot.press(form.submit)
    await pilot.pause()
    # Too long for a field with a limit: refused with a clear error, nothing lost.
    limited = [t for t in form.texts if t.limit and len(clean_line(typed_in[t.id])) > t.limit]
    for text in limited:
        assert app.is_running and isinstance(app.screen, ModalScreen), "saved past a limit"
        error = dialog_error(app)
        assert any(str(t.limit) in error for t in limited), f"no clear error: {error!r}"
        leaks.extend(f"{form.name} refusing long text: {p}" for p in terminal_problems(app))
        typed_in[text.id] = await paste(pilot, app.screen.query_one(f"#{text.id}"), ["ok"])
        await pilot.press(form.submit)
        await pilot.pause()
    assert_settled(app, form.mode)
    if form.records is not None:
        [record] = [r for r in form.records(store) if r.id not in before]
    elif form.record is not None:
        record = form.record(store, app)
    for text in form.texts:
        assert text.get(record) == text.expect(typed_in[text.id]), f"{form.name} #{text.id}"
    if form.shown is not None and pieces is not ROUNDS["long"]:
        expected = clean_line(typed_in[form.shown])[:SHOWN_CHARS]
        assert expected in screen_text(app), f"{expected!r} not shown literally"


def value_of(widget) -> str:
    return widget.text if isinstance(widget, TextArea) else widget.value


def assert_no_leaks(leaks: list[str]) -> None:
    # A pasted control sequence must not reach the terminal while it sits in a form
    # field, before it is saved: Input and TextArea draw their value as typed, and
    # Textual strips only BEL/BS/VT/FF/CR. The app cleans every paste (SiteDash.on_event).
    assert not leaks, "escape sequences reach the terminal:\n" + "\n".join(leaks[:5])


@pytest.mark.parametrize("form", FORMS, ids=[f.name for f in FORMS])
async def test_paste_hostile_text_into_every_field(app, store: Store, form: Form) -> None:
    if form.setup is not None:
        form.setup(store)
    leaks: list[str] = []
    # The unicode-first round is there to show its first pieces on screen.
    rounds = [ROUNDS["markup"], ROUNDS["unicode"], ROUNDS["long"]]
    if not form.texts:
        rounds = rounds[:1]
    elif form.shown is None:
        rounds.remove(ROUNDS["unicode"])
    async with app.run_test(size=(80, 24)) as pilot:
        if form.go:
            await pilot.press(*form.go)
            await pilot.pause()
        for index, pieces in enumerate(rounds):
            await run_round(pilot, store, form, index, pieces, leaks)
    assert_no_leaks(leaks)


async def test_paste_hostile_text_into_the_standup_notes(app, store: Store) -> None:
    """The stand-up's three text areas, saved as you go (here: on leaving the panel)."""
    leaks: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        for pieces in ROUNDS.values():
            await pilot.press("u")
            await pilot.pause()
            typed = {
                name: await paste(pilot, app.screen.query_one(f"#{name}"), pieces, "\n")
                for name in plan.NOTE_FIELDS
            }
            await pilot.pause()
            leaks.extend(f"stand-up filled in: {p}" for p in terminal_problems(app))
            assert_layout_holds(app)
            await pilot.press("escape")  # back to the plan: the notes are saved
            await pilot.pause()
            assert_settled(app, "today")
            stored = store.day_note(TODAY, "mes")
            for name, text in typed.items():
                assert getattr(stored, name) == clean(text), name
            await pilot.press("u")  # the panel again: the saved notes, literally
            for area in app.screen.query(TextArea):
                area.scroll_home(animate=False)
            await pilot.pause()
            assert clean(pieces[0])[:SHOWN_CHARS] in screen_text(app)
            assert terminal_problems(app) == []
            await pilot.press("escape")
            await pilot.pause()
    assert_no_leaks(leaks)


async def test_yes_no_questions_quote_hostile_titles_literally(app, store: Store) -> None:
    """The delete question quotes the title as typed; a paste into it does nothing."""
    title = " ".join(PIECES)
    plan.add_item(store, "mes", TODAY, title)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("delete")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmDialog"
        assert clean_line(title)[:40] in screen_text(app).replace("\n", "")
        assert terminal_problems(app) == []
        assert_layout_holds(app)
        await paste_inert(pilot, [app.focused])
        await pilot.press("n")
        await pilot.pause()
        assert_settled(app, "today")
        [item] = store.plan_items(TODAY, "mes")
        assert item.title == clean_line(title)


async def test_paste_into_lists_and_boards_changes_nothing(app, store: Store) -> None:
    """Tables, boards and lists take no text: a paste there is dropped, nothing opens."""
    plan.add_item(store, "mes", TODAY, "Install MES client")
    new_issue(store)
    async with app.run_test(size=(80, 24)) as pilot:
        for key, mode in (("1", "today"), ("2", "issues"), ("3", "training"), ("4", "signoff")):
            await pilot.press(key)
            await pilot.pause()
            revision = store.revision()
            await paste_inert(pilot, [app.focused])
            assert store.revision() == revision
            assert_settled(app, mode)
