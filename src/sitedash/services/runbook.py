"""The go-live runbook (上线与切换): the cutover in a low-traffic window (低峰期), timed
steps with owners, done or failed with the moment; the rollback plan (回滚预案): its
criteria and its steps; and the watch roster of go-live day (专人值守, 实时监控).

Planned times are site wall-clock times (`models.runbook.SiteTime`); HQ time is worked
out from the engagement's two zones wherever a time is shown, so the war room in HQ
reads the same plan in its own time.

Shared by the Engagement screen's Runbook tab, `sitedash export runbook` and the
handover pack.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sitedash.errors import InputError
from sitedash.i18n import t, tn, weekday_name
from sitedash.models import (
    Engagement,
    Runbook,
    RunbookStep,
    StepPhase,
    StepState,
    Watch,
    replace,
)
from sitedash.services.timeutil import parse_day, parse_hhmm, zone
from sitedash.services.today import MAX_TITLE, check_note, format_minutes, parse_estimate
from sitedash.storage import Store
from sitedash.textsafe import clean_line

MAX_FIELD = 200
_DAY_AND_TIME = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})[ T]+(\d{1,2}:\d{2})\s*$")


def phase_label(phase: StepPhase) -> str:
    return {StepPhase.CUTOVER: t("cutover"), StepPhase.ROLLBACK: t("rollback")}[phase]


def state_label(state: StepState) -> str:
    return {
        StepState.PLANNED: t("planned"),
        StepState.DONE: t("done"),
        StepState.FAILED: t("failed"),
    }[state]


STATE_MARK = {StepState.PLANNED: "○", StepState.DONE: "✓", StepState.FAILED: "✗"}


# -- site and HQ time ------------------------------------------------------------------


def at_site(moment: datetime, engagement: Engagement) -> datetime:
    """A site wall-clock time as an aware time of the site's zone (a time the clocks
    showed twice is its first pass)."""
    return moment.replace(tzinfo=zone(engagement.site_tz))


def in_hq(moment: datetime, engagement: Engagement) -> datetime:
    """The HQ wall-clock time of a planned site time."""
    return at_site(moment, engagement).astimezone(zone(engagement.hq_tz)).replace(tzinfo=None)


def site_wall(moment: datetime, engagement: Engagement) -> datetime:
    """An aware moment (a step marked done) as site wall-clock time."""
    return moment.astimezone(zone(engagement.site_tz)).replace(tzinfo=None)


def _exists(moment: datetime, engagement: Engagement) -> bool:
    """False for a time skipped when the site's clocks went forward."""
    aware = at_site(moment, engagement)
    return aware.astimezone(UTC).astimezone(aware.tzinfo).replace(tzinfo=None) == moment


def clock(moment: datetime, day: date) -> str:
    """ "22:00", or "02:00+1" / "23:00-1" when `moment` falls on another day than `day`."""
    shift = (moment.date() - day).days
    return f"{moment:%H:%M}" + (f"{shift:+d}" if shift else "")


def day_clock(moment: datetime) -> str:
    """ "Sat 22:00": weekday and time (the table's site column)."""
    return f"{weekday_name(moment.date())} {moment:%H:%M}"


def full_time(moment: datetime) -> str:
    """ "Sat 2026-12-05 22:00" (reports: a printed runbook names the day)."""
    return f"{weekday_name(moment.date())} {moment:%Y-%m-%d %H:%M}"


def span(start: datetime | None, end: datetime | None) -> str:
    """ "Sat 2026-12-05 22:00 – 06:00+1", or "-" without a start."""
    if start is None:
        return "-"
    if end is None:
        return full_time(start)
    return f"{full_time(start)} – {clock(end, start.date())}"


def hq_span(start: datetime | None, end: datetime | None, engagement: Engagement) -> str:
    if start is None:
        return "-"
    return span(in_hq(start, engagement), in_hq(end, engagement) if end else None)


def form_time(moment: datetime | None) -> str:
    """What a form shows: "2026-12-05 22:00" (empty when not planned)."""
    return f"{moment:%Y-%m-%d %H:%M}" if moment else ""


def parse_site_time(
    text: str, engagement: Engagement, runbook: Runbook, fallback: date
) -> datetime | None:
    """A planned site time as typed: "YYYY-MM-DD HH:MM", or "HH:MM" on the window's day
    (its next day when the window runs past midnight and the time is before its start;
    without a window, `fallback`). Empty: not planned. A time skipped when the clocks go
    forward is refused."""
    value = text.strip()
    if not value:
        return None
    match = _DAY_AND_TIME.match(value)
    if match:
        moment = datetime.combine(parse_day(match.group(1)), parse_hhmm(match.group(2)))
    else:
        try:
            clock_time = parse_hhmm(value)
        except InputError:
            raise InputError(
                t(
                    "bad time {text!r}: use HH:MM (the window's day) or YYYY-MM-DD HH:MM",
                    text=text,
                )
            ) from None
        moment = datetime.combine(_day_for(clock_time, runbook, fallback), clock_time)
    if not _exists(moment, engagement):
        raise InputError(
            t(
                "{time} does not exist at the site (the clocks go forward then)",
                time=form_time(moment),
            )
        )
    return moment


def parse_end(text: str, start: datetime | None, engagement: Engagement) -> datetime | None:
    """The end of a window or a shift as typed: "YYYY-MM-DD HH:MM", or "HH:MM" after
    `start` (the next day when it is not later on the start's day)."""
    value = text.strip()
    if not value:
        return None
    match = _DAY_AND_TIME.match(value)
    if match:
        moment = datetime.combine(parse_day(match.group(1)), parse_hhmm(match.group(2)))
    else:
        if start is None:
            raise InputError(t("give the start too"))
        try:
            clock_time = parse_hhmm(value)
        except InputError:
            raise InputError(
                t("bad time {text!r}: use HH:MM or YYYY-MM-DD HH:MM", text=text)
            ) from None
        moment = datetime.combine(start.date(), clock_time)
        if moment <= start:
            moment += timedelta(days=1)
    if not _exists(moment, engagement):
        raise InputError(
            t(
                "{time} does not exist at the site (the clocks go forward then)",
                time=form_time(moment),
            )
        )
    return moment


def _day_for(clock_time: time, runbook: Runbook, fallback: date) -> date:
    start, end = runbook.window_start, runbook.window_end
    if start is None:
        return fallback
    if end is not None and end.date() > start.date() and clock_time < start.time():
        return end.date()
    return start.date()


# -- checking what was typed -------------------------------------------------------


def _short(text: str, what: str) -> str:
    value = clean_line(text)
    if len(value) > MAX_FIELD:
        raise InputError(t("{what} is longer than {limit} characters", what=what, limit=MAX_FIELD))
    return value


def _title(text: str) -> str:
    title = clean_line(text)
    if not title:
        raise InputError(t("say what the step is"))
    if len(title) > MAX_TITLE:
        raise InputError(
            t("the step is longer than {limit} characters; details go in the note", limit=MAX_TITLE)
        )
    return title


def check_step(step: RunbookStep) -> RunbookStep:
    step.title = _title(step.title)
    step.owner = _short(step.owner, t("the owner"))
    step.note = check_note(step.note)
    return step


def check_watch(watch: Watch) -> Watch:
    watch.who = _short(watch.who, t("who watches"))
    if not watch.who:
        raise InputError(t("say who watches"))
    watch.contact = _short(watch.contact, t("the contact"))
    watch.duty = _short(watch.duty, t("what they watch"))
    if watch.start and watch.end and watch.end <= watch.start:
        raise InputError(t("the shift ends before it starts"))
    return watch


def check_runbook(runbook: Runbook) -> Runbook:
    runbook.decider = _short(runbook.decider, t("who decides"))
    runbook.rollback_criteria = check_note(runbook.rollback_criteria)
    start, end = runbook.window_start, runbook.window_end
    if end is not None and start is None:
        raise InputError(t("give the window's start too"))
    if start and end and end <= start:
        raise InputError(t("the window ends before it starts"))
    return runbook


def criteria(runbook: Runbook) -> list[str]:
    """The rollback criteria, one a line (empty lines left out)."""
    return [line for line in (clean_line(x) for x in runbook.rollback_criteria.split("\n")) if line]


# -- marking steps ---------------------------------------------------------------------


def mark(store: Store, step: RunbookStep, state: StepState, now: datetime) -> RunbookStep:
    """Mark a step done or failed, now; marking it so again takes the mark back."""
    if step.state is state:
        changed = replace(step, state=StepState.PLANNED, at=None)
    else:
        changed = replace(step, state=state, at=now)
    store.save_runbook_steps([changed])
    return changed


def reset(steps: Sequence[RunbookStep]) -> list[RunbookStep]:
    """Copies of the steps, planned again (a rehearsal, or a new engagement's template)."""
    return [replace(s, state=StepState.PLANNED, at=None) for s in steps]


def next_position(steps: Sequence[RunbookStep], phase: StepPhase) -> int:
    return max((s.position for s in steps if s.phase is phase), default=-1) + 1


@dataclass(slots=True, frozen=True)
class Progress:
    """How far the cutover is: steps done and failed of all its steps."""

    steps: int
    done: int
    failed: int
    rollback_steps: int
    next_step: RunbookStep | None

    def line(self) -> str:
        if not self.steps:
            return t("No cutover steps yet")
        text = tn(self.steps, "{done}/{n} step done", "{done}/{n} steps done", done=self.done)
        if self.failed:
            text += " · " + t("failed: {n}", n=self.failed)
        return text


def progress(steps: Sequence[RunbookStep]) -> Progress:
    cutover = [s for s in steps if s.phase is StepPhase.CUTOVER]
    return Progress(
        steps=len(cutover),
        done=sum(1 for s in cutover if s.state is StepState.DONE),
        failed=sum(1 for s in cutover if s.state is StepState.FAILED),
        rollback_steps=len(steps) - len(cutover),
        next_step=next((s for s in cutover if s.state is StepState.PLANNED), None),
    )


def step_label(step: RunbookStep, steps: Sequence[RunbookStep]) -> str:
    """ "3" for the third cutover step, "R2" for the second rollback step."""
    same = [s for s in steps if s.phase is step.phase]
    number = next((n for n, s in enumerate(same, 1) if s.id == step.id), 0)
    return f"R{number}" if step.phase is StepPhase.ROLLBACK else str(number)


def duration_label(step: RunbookStep) -> str:
    return format_minutes(step.duration_min) or "-"


def done_label(step: RunbookStep, engagement: Engagement) -> str:
    """ "done 22:41" / "failed 23:05" in site time (the day too when not the plan's)."""
    label = state_label(step.state)
    if step.at is None:
        return label
    when = site_wall(step.at, engagement)
    reference = step.start.date() if step.start else when.date()
    return f"{label} {clock(when, reference)}"


# -- the seeds' template -----------------------------------------------------------------


def standard_steps(engagement: str, window_start: datetime | None) -> list[RunbookStep]:
    """A cutover timed from the window's start (untimed without one), and the rollback
    steps, from the seeds: low-traffic window, rollback plan, someone watching."""
    cutover = [
        (0, 15, t("Go / no-go call: backups, people and the rollback plan ready")),
        (15, 15, t("Announce the freeze: users stop entering data in the old system")),
        (30, 30, t("Full backup of the old system and its database; restore tested")),
        (60, 90, t("Last data migration batch; counts and totals reconciled")),
        (150, 30, t("Interfaces and devices switched to the new system")),
        (180, 60, t("Smoke test of the key flows with the customer's key users")),
        (240, 15, t("Go-live decision: open the new system, or roll back")),
        (255, 30, t("Open to users; watch CPU, memory and log levels")),
    ]
    rollback = [
        t("Stop the new system and its interfaces; keep its logs"),
        t("Restore the old system's database from the cutover backup"),
        t("Switch interfaces and devices back to the old system"),
        t("Check the old system with a key user, then reopen it"),
        t("Tell users, the customer PM and HQ what happened and what comes next"),
    ]
    steps = [
        RunbookStep(
            title,
            engagement,
            start=window_start + timedelta(minutes=offset) if window_start else None,
            duration_min=minutes,
            position=position,
        )
        for position, (offset, minutes, title) in enumerate(cutover)
    ]
    steps += [
        RunbookStep(title, engagement, phase=StepPhase.ROLLBACK, position=position)
        for position, title in enumerate(rollback)
    ]
    return steps


def standard_criteria() -> str:
    return "\n".join(
        [
            t("A P1 problem still without a workaround 60 minutes after it appeared"),
            t("Migrated data does not reconcile (counts or totals differ)"),
            t("A key flow fails the smoke test"),
            t("The cutover is not verified by the end of the low-traffic window"),
        ]
    )


def add_standard(store: Store, engagement: Engagement) -> list[RunbookStep]:
    """Add the standard steps the runbook does not have yet (recognised by their
    text), and the standard rollback criteria when it has none."""
    with store.transaction():
        runbook = store.runbook(engagement.id)
        existing = store.runbook_steps(engagement.id)
        texts = {s.title.casefold() for s in existing}
        added = []
        for step in standard_steps(engagement.id, runbook.window_start):
            if step.title.casefold() in texts:
                continue
            step.position += next_position(existing, step.phase)
            added.append(step)
        store.save_runbook_steps(added)
        if not runbook.rollback_criteria.strip():
            store.save_runbook(replace(runbook, rollback_criteria=standard_criteria()))
    return added


def window_day(runbook: Runbook) -> date | None:
    return runbook.window_start.date() if runbook.window_start else None


def parse_minutes(text: str) -> int:
    """A planned duration as typed (30m, 1h30m, 2h); empty is none."""
    return parse_estimate(text)
