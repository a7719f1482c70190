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
from typing import Any

import pytest
from textual import events
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from sitedash.models import Attendance, Issue, IssueStatus, TrainingSession
from sitedash.services import issues as issue_service
from sitedash.storage import Store
from sitedash.textsafe import clean, clean_line
from tests.conftest import TODAY
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


def _update(app):
    return app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)


def terminal_problems(app) -> list[str]:
    """What the terminal would receive for a full repaint, checked segment by segment:
    user text never carries a control character, a link or a click action."""
    update = _update(app)
    problems = []
    for y, line in enumerate(update.strips):
        for strip in line:
            for segment in strip:
                if segment.control:
                    continue
                if _CONTROL.search(segment.text):
                    problems.append(f"row {y}: control character in {segment.text!r}")
                style = segment.style
                if style is not None and style.link:
                    problems.append(f"row {y}: a link {style.link!r} (markup was interpreted)")
                if style is not None and "@click" in style.meta:
                    problems.append(f"row {y}: a click action (markup was interpreted)")
    raw = _OWN_SEQUENCE.sub("", update.render_segments(app.console))
    if _CONTROL.search(raw.replace("\n", "")):
        found = sorted(set(_CONTROL.findall(raw.replace("\n", ""))))
        problems.append(f"raw output carries {found!r} beyond SGR and cursor moves")
    return problems


def screen_text(app) -> str:
    """The characters on screen, row by row (wide characters once)."""
    return "\n".join(
        "".join(seg.text for strip in line for seg in strip if not seg.control)
        for line in _update(app).strips
    )


def assert_layout_holds(app) -> None:
    for widget in app.screen.query("*"):
        assert widget.region.right <= 80, f"{widget!r} spans {widget.region} at 80x24"


def assert_settled(app, mode: str) -> None:
    """Back on the mode's screen, alive, nothing leaking, nothing off the edge."""
    assert app.is_running, "the app ended"
    assert not isinstance(app.screen, ModalScreen), f"still in {app.screen!r}"
    assert app.current_mode == mode
    assert terminal_problems(app) == []
    assert_terminal_safe(app)
    assert_layout_holds(app)


# -- pasting ---------------------------------------------------------------------------


async def paste(pilot, widget, pieces: Sequence[str], sep: str = " ") -> str:
    """Clear `widget`, focus it and paste `pieces` one Paste event each, `sep` between;
    returns the text as typed."""
    app = pilot.app
    if isinstance(widget, TextArea):
        widget.clear()
    else:
        widget.value = ""
    widget.focus()
    await pilot.pause()
    assert app.focused is widget, f"{widget!r} did not take focus"
    for index, piece in enumerate(pieces):
        if index:
            app.post_message(events.Paste(sep))
        app.post_message(events.Paste(piece))
    await pilot.pause()
    return sep.join(pieces)


async def paste_inert(pilot, widget) -> None:
    """A paste into a choice (Select, Checkbox, list) changes nothing."""
    before = getattr(widget, "value", None), getattr(widget, "selected", None)
    widget.focus()
    await pilot.pause()
    for piece in PIECES:
        pilot.app.post_message(events.Paste(piece))
    await pilot.pause()
    assert (getattr(widget, "value", None), getattr(widget, "selected", None)) == before
    assert pilot.app.is_running


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
    literal error line, the dialog stays open; then the valid value goes back in."""

    id: str
    valid: str


@dataclass
class Form:
    dialog: str
    mode: str
    go: Sequence[str]
    """Keys from the start to the screen (and tab) the dialog is opened from."""
    open: Callable[[Any, int], Awaitable[None]]
    record: Callable[[Store, Any], Any]
    """The record the last save wrote (or the value the dialog returned)."""
    texts: list[Text]
    bad: list[Bad] = field(default_factory=list)
    inert: list[str] = field(default_factory=list)
    shown: str | None = None
    """The field whose saved text the screen shows afterwards (its first characters)."""
    submit: str = "ctrl+s"
    setup: Callable[[Store], None] | None = None


def keys(*pressed: str) -> Callable[[Any, int], Awaitable[None]]:
    async def open_(pilot, _round: int) -> None:
        await pilot.press(*pressed)
        await pilot.pause()

    return open_


def last(records: Callable[[Store], list]) -> Callable[[Store, Any], Any]:
    return lambda store, app: records(store)[-1]


def newest_issue(store: Store) -> Issue:
    return max(store.issues(), key=lambda issue: issue.number)


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


def session_with_attendee(store: Store) -> None:
    store.save_training_session(
        TrainingSession("Reporting work", "mes", TODAY, attendees=[Attendance("Anna", "op", "L2")])
    )


async def open_assessment(pilot, round_: int) -> None:
    if round_ == 0:
        await pilot.press("tab")  # to the attendees
    await pilot.press("enter")
    await pilot.pause()


async def call(pilot, action: str) -> None:
    # Only the command palette offers these: run the palette's command directly.
    getattr(pilot.app, action)()
    await pilot.pause()


def attendee_lines(text: str) -> list[tuple[str, str, str]]:
    return [tuple(cells(line, 3)) for line in text.splitlines() if cells(line, 1)[0]]


def material_lines(text: str) -> list[tuple[str, str, str]]:
    rows = []
    for line in text.splitlines():
        kind, name, location = cells(line, 3)
        rows.append((kind, name or kind, location))
    return rows


def contact_lines(text: str) -> list[tuple[str, ...]]:
    rows = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")] + ["", "", ""]
        email = " | ".join(p for p in parts[3:] if p)
        rows.append(tuple(clean_line(p) for p in (*parts[:3], email)))
    return rows


def checklist_lines(text: str) -> list[str]:
    done = [clean_line(line.strip()[3:].strip()) for line in text.splitlines()]
    return [entry for entry in done if entry]


def one_module(text: str) -> list[str]:
    module = clean_line(text)
    return [module] if module else []


FORMS = [
    Form(
        "PlanItemForm",
        "today",
        (),
        keys("a"),
        lambda store, app: store.plan_items(TODAY, "mes")[-1],
        [
            Text("title", lambda r: r.title, limit=300),
            Text("note", lambda r: r.note, clean),
        ],
        [Bad("estimate", "1h"), Bad("day", TODAY.isoformat())],
        ["category", "status"],
        shown="title",
    ),
    Form(
        "IssueForm",
        "issues",
        ("2",),
        keys("n"),
        lambda store, app: newest_issue(store),
        [
            Text("title", lambda r: r.title, limit=300),
            Text("module", lambda r: r.module, limit=200),
            Text("reporter", lambda r: r.reporter, limit=200),
            Text("symptom", lambda r: r.symptom, clean),
            Text("cause", lambda r: r.cause, clean),
            Text("solution", lambda r: r.solution, clean),
            Text("escalation_note", lambda r: r.escalation_note, clean),
        ],
        [Bad("recurs_from", "")],
        ["severity", "escalated"],
        shown="title",
    ),
    Form(
        "FilterDialog",
        "issues",
        ("2",),
        keys("slash"),
        lambda store, app: app.screen.filter,
        # Not stored: the board matches it and shows it through clean_line.
        [
            Text("text", lambda f: f.text, str.strip),
            Text("module", lambda f: f.module, str.strip),
        ],
        inert=["severities"],
        submit="enter",
    ),
    Form(
        "ConfirmationDialog",
        "issues",
        ("2",),
        open_confirmation,
        lambda store, app: newest_issue(store).confirmation,
        [
            Text("by", lambda c: c.by),
            Text("reference", lambda c: c.reference),
        ],
        inert=["method"],
        setup=resolved_issue,
    ),
]


async def run_round(pilot, store: Store, form: Form, index: int, pieces, leaks: list[str]):
    app = pilot.app
    await form.open(pilot, index)
    dialog = app.screen
    assert type(dialog).__name__ == form.dialog, f"opened {dialog!r}"
    # Structured fields first, one at a time: a literal error, the dialog kept.
    for bad in form.bad if index == 0 else []:
        widget = dialog.query_one(f"#{bad.id}")
        await paste(pilot, widget, pieces)
        await pilot.press(form.submit)
        await pilot.pause()
        assert app.is_running and app.screen is dialog, f"{bad.id}: the dialog closed"
        error = dialog_error(app)
        assert error and not _CONTROL.search(error), f"{bad.id}: error line {error!r}"
        leaks.extend(f"{form.dialog} with a bad {bad.id}: {p}" for p in terminal_problems(app))
        assert_layout_holds(app)
        widget.value = bad.valid
    for name in form.inert if index == 0 else []:
        await paste_inert(pilot, dialog.query_one(f"#{name}"))
    typed: dict[str, str] = {}
    for text in form.texts:
        widget = dialog.query_one(f"#{text.id}")
        if text.line is not None:
            typed[text.id] = await paste(pilot, widget, [text.line(p) for p in pieces], "\n")
        else:
            sep = "\n" if isinstance(widget, TextArea) else " "
            typed[text.id] = await paste(pilot, widget, pieces, sep)
    leaks.extend(f"{form.dialog} filled in: {p}" for p in terminal_problems(app))
    assert_layout_holds(app)
    await pilot.press(form.submit)
    await pilot.pause()
    # Too long for a field with a limit: refused with a clear error, nothing lost.
    limited = [t for t in form.texts if t.limit and len(clean_line(typed[t.id])) > t.limit]
    for text in limited:
        assert app.is_running and isinstance(app.screen, ModalScreen), "saved past a limit"
        error = dialog_error(app)
        assert any(str(t.limit) in error for t in limited), f"no clear error: {error!r}"
        leaks.extend(f"{form.dialog} refusing long text: {p}" for p in terminal_problems(app))
        typed[text.id] = await paste(pilot, app.screen.query_one(f"#{text.id}"), ["ok"])
        await pilot.press(form.submit)
        await pilot.pause()
    assert_settled(app, form.mode)
    record = form.record(store, app)
    for text in form.texts:
        assert text.get(record) == text.expect(typed[text.id]), f"{form.dialog} #{text.id}"
    if form.shown is not None and index < 2:
        expected = clean_line(typed[form.shown])[:SHOWN_CHARS]
        assert expected in screen_text(app), f"{expected!r} not shown literally"


@pytest.mark.parametrize("form", FORMS, ids=[f.dialog for f in FORMS])
async def test_paste_hostile_text_into_every_field(app, store: Store, form: Form) -> None:
    if form.setup is not None:
        form.setup(store)
    leaks: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        if form.go:
            await pilot.press(*form.go)
            await pilot.pause()
        for index, pieces in enumerate(ROUNDS.values()):
            await run_round(pilot, store, form, index, pieces, leaks)
    assert not leaks, "\n".join(leaks[:5])
