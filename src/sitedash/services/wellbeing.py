"""Working hours and rest: the work clock, daily and weekly hours, and reminders.

The rules are pure functions of (sessions, settings, now): tests move a fake clock
instead of waiting. Time is counted only while the engineer is clocked in, so nobody is
told they worked twelve hours while they were not tracking.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from sitedash.i18n import t
from sitedash.models import DayHealth, Engagement, SessionKind, WellbeingSettings, WorkSession
from sitedash.services.timeutil import (
    InputError,
    local_zone_name,
    parse_day,
    parse_hhmm,
    work_day,
    zone,
)
from sitedash.services.today import format_minutes
from sitedash.storage import Store
from sitedash.textsafe import clean_line


def kind_label(kind: SessionKind) -> str:
    return {
        SessionKind.WORK: t("working"),
        SessionKind.BREAK: t("on a break"),
        SessionKind.WALK: t("on a walk"),
    }[kind]


def session_label(kind: SessionKind) -> str:
    return {
        SessionKind.WORK: t("work"),
        SessionKind.BREAK: t("break"),
        SessionKind.WALK: t("walk"),
    }[kind]


# -- hours --------------------------------------------------------------------------


def open_session(sessions: Iterable[WorkSession]) -> WorkSession | None:
    """The session running now, if any (sessions never overlap)."""
    running = [s for s in sessions if s.is_open]
    return max(running, key=lambda s: s.start) if running else None


def minutes_on(
    sessions: Iterable[WorkSession], day: date, now: datetime, kind: SessionKind = SessionKind.WORK
) -> float:
    """Minutes of `kind` on a work day (an open session counts up to now)."""
    return sum(s.minutes(now) for s in sessions if s.day == day and s.kind is kind)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_minutes(sessions: Iterable[WorkSession], day: date, now: datetime) -> list[float]:
    """Work minutes for Monday..Sunday of the ISO week containing `day`."""
    monday = week_start(day)
    totals = [0.0] * 7
    for session in sessions:
        offset = (session.day - monday).days
        if session.kind is SessionKind.WORK and 0 <= offset < 7:
            totals[offset] += session.minutes(now)
    return totals


def focus_stretch(
    sessions: Sequence[WorkSession], now: datetime, break_min: int
) -> datetime | None:
    """When the current stretch of continuous work began, or None when not working.

    Work sessions separated by less than a real break (`break_min`) are one stretch:
    clocking out for five minutes is not a rest.
    """
    current = open_session(sessions)
    if current is None or current.kind is not SessionKind.WORK:
        return None
    start = current.start
    earlier = sorted(
        (
            s
            for s in sessions
            if s.kind is SessionKind.WORK and s.end is not None and s.end <= start
        ),
        key=lambda s: s.start,
        reverse=True,
    )
    for previous in earlier:
        assert previous.end is not None
        if start - previous.end >= timedelta(minutes=break_min):
            break
        start = previous.start
    return start


# -- reminders -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reminder:
    """A reminder that is due; `key` names the threshold crossing, so each fires once."""

    key: str
    kind: str
    message: str


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def rotation_dates(engagement: Engagement | None, settings: WellbeingSettings) -> list[date]:
    if engagement is None or engagement.start is None:
        return []
    return [add_months(engagement.start, m) for m in settings.rotation_months]


def due_reminders(
    sessions: Sequence[WorkSession],
    health: Sequence[DayHealth],
    settings: WellbeingSettings,
    now: datetime,
    site: tzinfo,
    day_starts_at: str,
    engagement: Engagement | None = None,
) -> list[Reminder]:
    """Every reminder whose threshold has been crossed; nothing unless clocked in."""
    stretch = focus_stretch(sessions, now, settings.break_min)
    if stretch is None:
        return []
    today = work_day(now, site, day_starts_at)
    due: list[Reminder] = []
    focus = (now - stretch).total_seconds() / 60
    if focus >= settings.break_after_min:
        due.append(
            Reminder(
                f"break:{stretch.isoformat()}",
                "break",
                t(
                    "Break due: {focus} of focused work. Take {n} minutes away from the screen.",
                    focus=format_minutes(int(focus)),
                    n=settings.break_min,
                ),
            )
        )
    worked = minutes_on(sessions, today, now)
    if worked >= settings.long_day_min:
        due.append(
            Reminder(
                f"long-day:{today}",
                "long-day",
                t(
                    "Long day: {worked} worked today. Wrap up what you can.",
                    worked=format_minutes(int(worked)),
                ),
            )
        )
    last_night = next((h for h in health if h.day == today), None)
    if (
        last_night
        and last_night.sleep_hours is not None
        and last_night.sleep_hours < settings.min_sleep_hours
    ):
        due.append(
            Reminder(
                f"sleep:{today}",
                "sleep",
                t(
                    "You slept {hours} h last night: go easy and plan an early night.",
                    hours=f"{last_night.sleep_hours:g}",
                ),
            )
        )
    walked = minutes_on(sessions, today, now, SessionKind.WALK)
    if worked >= settings.walk_reminder_after_min and walked < settings.walk_min:
        due.append(
            Reminder(
                f"walk:{today}",
                "walk",
                t("No walk yet today: take {n}–30 minutes outside.", n=settings.walk_min),
            )
        )
    rotations = rotation_dates(engagement, settings)
    for months, when in zip(settings.rotation_months, rotations, strict=False):
        if today >= when:
            due.append(
                Reminder(
                    f"rotation:{engagement.id if engagement else ''}:{months}",
                    "rotation",
                    t(
                        "{months} months on site since {start}: talk to your lead about rotation.",
                        months=months,
                        start=engagement.start if engagement else "",
                    ),
                )
            )
    return due


def in_quiet_hours(now: datetime, site: tzinfo, quiet: str) -> bool:
    """Is it within `quiet` ("22:00-07:00", may wrap midnight) at the site?"""
    if not quiet.strip():
        return False
    start, end = parse_quiet_hours(quiet)
    local = now.astimezone(site).time()
    if start <= end:
        return start <= local < end
    return local >= start or local < end


def parse_quiet_hours(text: str) -> tuple[time, time]:
    parts = text.replace(" ", "").split("-")
    if len(parts) != 2:
        raise InputError(
            t("bad quiet hours {text!r}: use HH:MM-HH:MM, e.g. 22:00-07:00", text=text)
        )
    return parse_hhmm(parts[0]), parse_hhmm(parts[1])


@dataclass(slots=True)
class ReminderState:
    """What happened to each reminder: shown, snoozed until, dismissed. Persisted so a
    restart does not repeat a reminder the engineer already answered."""

    fired: dict[str, datetime] = field(default_factory=dict)
    snoozed: dict[str, datetime] = field(default_factory=dict)
    dismissed: set[str] = field(default_factory=set)

    def to_doc(self) -> dict[str, object]:
        return {
            "fired": {k: v.isoformat() for k, v in self.fired.items()},
            "snoozed": {k: v.isoformat() for k, v in self.snoozed.items()},
            "dismissed": sorted(self.dismissed),
        }

    @classmethod
    def from_doc(cls, doc: dict[str, object]) -> ReminderState:
        fired = doc.get("fired") or {}
        snoozed = doc.get("snoozed") or {}
        assert isinstance(fired, dict) and isinstance(snoozed, dict)
        return cls(
            fired={k: datetime.fromisoformat(v) for k, v in fired.items()},
            snoozed={k: datetime.fromisoformat(v) for k, v in snoozed.items()},
            dismissed={str(key) for key in doc.get("dismissed") or []},  # type: ignore[attr-defined]
        )

    def prune(self, today: date, now: datetime) -> None:
        """Forget the answers of earlier days and of focus stretches over a day old.

        By age, not by what is due now: a reminder is not due during a break or off
        the clock, and its answer must survive that (dismissed stays dismissed).
        """
        live = {k for k in {*self.fired, *self.snoozed, *self.dismissed} if _current(k, today, now)}
        self.fired = {k: v for k, v in self.fired.items() if k in live}
        self.snoozed = {k: v for k, v in self.snoozed.items() if k in live}
        self.dismissed &= live


def _current(key: str, today: date, now: datetime) -> bool:
    """Does the reminder `key` (`kind:when`) still belong to the present?"""
    kind, _, when = key.partition(":")
    if kind == "rotation":
        return True  # once per threshold for the whole engagement
    try:
        if kind == "break":
            return datetime.fromisoformat(when) >= now - timedelta(days=1)
        return date.fromisoformat(when) >= today
    except ValueError:
        return False


def to_fire(
    due: Sequence[Reminder], state: ReminderState, now: datetime, *, quiet: bool, held: bool
) -> list[Reminder]:
    """The reminders to show now: once per crossing, after a snooze ends, never while
    quiet hours, a presentation or a training session hold them back."""
    if quiet or held:
        return []
    firing = []
    for reminder in due:
        if reminder.key in state.dismissed:
            continue
        until = state.snoozed.get(reminder.key)
        if until is not None:
            if now < until:
                continue
        elif reminder.key in state.fired:
            continue
        firing.append(reminder)
    return firing


def mark_fired(state: ReminderState, reminders: Iterable[Reminder], now: datetime) -> None:
    for reminder in reminders:
        state.fired[reminder.key] = now
        state.snoozed.pop(reminder.key, None)


def snooze(state: ReminderState, reminder: Reminder, now: datetime, minutes: int) -> None:
    state.snoozed[reminder.key] = now + timedelta(minutes=minutes)


def dismiss(state: ReminderState, reminder: Reminder) -> None:
    state.dismissed.add(reminder.key)
    state.snoozed.pop(reminder.key, None)


def pending(due: Sequence[Reminder], state: ReminderState) -> list[Reminder]:
    """Due reminders not yet answered (shown in the header and on the Wellbeing screen)."""
    return [r for r in due if r.key not in state.dismissed]


# -- the work clock ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClockContext:
    """Where and when: the engagement's site zone decides which day work belongs to."""

    engagement: Engagement | None
    day_starts_at: str

    @property
    def site(self) -> tzinfo:
        return zone(self.engagement.site_tz if self.engagement else None)

    @property
    def zone_name(self) -> str:
        return self.engagement.site_tz if self.engagement else local_zone_name()

    def day_of(self, moment: datetime) -> date:
        return work_day(moment, self.site, self.day_starts_at)


def recent_sessions(store: Store, now: datetime, days: int = 35) -> list[WorkSession]:
    """Sessions of the last weeks: enough for stretches, this week and open sessions."""
    end = now.date() + timedelta(days=1)
    return store.sessions_between(end - timedelta(days=days), end)


def clock(
    store: Store, context: ClockContext, action: str, at: datetime | None = None
) -> WorkSession:
    """`in`, `out`, `break` or `walk` at `at` (default now). Returns the session opened
    (or the one closed, for `out`). Refuses times in the future or overlapping sessions."""
    now = store.clock()
    at = at or now
    if at > now + timedelta(seconds=30):
        raise InputError(t("{at} is in the future", at=_site_time(at, context)))
    with store.transaction():
        sessions = recent_sessions(store, now)
        current = open_session(sessions)
        # Sessions never overlap: a new time is after the open session's start, or after
        # the end of the last closed one.
        closed_ends = [s.end for s in sessions if s.end is not None]
        floor = current.start if current else max(closed_ends, default=None)
        if floor is not None and at < floor:
            raise InputError(
                t(
                    "{at} overlaps a recorded session (the last one began or ended at {floor})",
                    at=_site_time(at, context),
                    floor=_site_time(floor, context),
                )
            )
        kind = {"in": SessionKind.WORK, "break": SessionKind.BREAK, "walk": SessionKind.WALK}.get(
            action
        )
        if action == "out":
            if current is None:
                raise InputError(t("not clocked in"))
            current.end = at
            store.save_session(current)
            return current
        if kind is None:
            raise InputError(
                t("unknown clock action {action!r}: use in, out or break", action=action)
            )
        if current is not None and current.kind is kind:
            raise InputError(
                t(
                    "already {state} since {start}",
                    state=kind_label(kind),
                    start=_site_time(current.start, context),
                )
            )
        if current is None and kind is not SessionKind.WORK:
            raise InputError(t("not clocked in: clock in first"))
        if current is not None:
            current.end = at
            store.save_session(current)
        opened = WorkSession(
            kind=kind,
            start=at,
            day=context.day_of(at),
            engagement=context.engagement.id if context.engagement else "",
            zone=context.zone_name,
        )
        store.save_session(opened)
        return opened


def credit_break(
    store: Store, context: ClockContext, minutes: int, kind: SessionKind = SessionKind.BREAK
) -> None:
    """ "Already did": the last `minutes` of work were a break (or a walk). The open work
    session is split around it, so hours, walks and the focus stretch all reflect it."""
    now = store.clock()
    with store.transaction():
        current = open_session(recent_sessions(store, now))
        if current is None or current.kind is not SessionKind.WORK:
            return
        break_start = max(current.start, now - timedelta(minutes=minutes))
        current.end = break_start
        store.save_session(current)
        store.save_session(
            WorkSession(
                kind,
                break_start,
                context.day_of(break_start),
                current.engagement,
                now,
                current.zone,
            )
        )
        store.save_session(
            WorkSession(
                SessionKind.WORK, now, context.day_of(now), current.engagement, None, current.zone
            )
        )


def parse_at(text: str, context: ClockContext, now: datetime) -> datetime:
    """`HH:MM` at the site, the last time the clock showed it (00:30 now and `23:45`
    means last night), or `YYYY-MM-DD HH:MM`; as an aware UTC-comparable time."""
    text = text.strip()
    site = context.site
    if " " in text or "T" in text:
        day_text, _, time_text = text.replace("T", " ").partition(" ")
        day = parse_day(day_text)
        clock_time = parse_hhmm(time_text)
        return datetime.combine(day, clock_time, tzinfo=site).astimezone(UTC)
    clock_time = parse_hhmm(text)
    day = now.astimezone(site).date()
    moment = datetime.combine(day, clock_time, tzinfo=site).astimezone(UTC)
    if moment > now:
        moment = datetime.combine(day - timedelta(days=1), clock_time, tzinfo=site)
    return moment.astimezone(UTC)


def _site_time(moment: datetime, context: ClockContext) -> str:
    return moment.astimezone(context.site).strftime("%Y-%m-%d %H:%M")


def parse_sleep_hours(text: str) -> float:
    try:
        hours = float(text.strip().replace(",", ".").rstrip("hH ").strip())
    except ValueError:
        raise InputError(
            t("bad sleep hours {text!r}: use a number such as 6.5", text=text)
        ) from None
    if not 0 <= hours <= 24:
        raise InputError(t("sleep hours must be between 0 and 24"))
    return hours


def parse_sleep_entry(text: str, today: date) -> tuple[date, float]:
    """`6.5` (last night) or `YYYY-MM-DD 6.5` (the night before that day, for a night
    forgotten): the day and the hours."""
    first, _, rest = text.strip().partition(" ")
    if "-" in first:  # a date first ("7 h" is hours alone)
        day, hours_text = parse_day(first), rest
    else:
        day, hours_text = today, text
    if day > today:
        raise InputError(t("sleep is logged for nights already past"))
    return day, parse_sleep_hours(hours_text)


def log_sleep(store: Store, today: date, entry: str) -> DayHealth:
    """Record the sleep of last night, or of the night before the day `entry` names."""
    day, hours = parse_sleep_entry(entry, today)
    with store.transaction():
        health = store.health(day)
        health.sleep_hours = hours
        store.save_health(health)
    return health


def note_energy(store: Store, day: date, text: str) -> DayHealth:
    with store.transaction():
        health = store.health(day)
        health.energy = clean_line(text)[:200]
        store.save_health(health)
    return health


def status_hint(
    sessions: Sequence[WorkSession],
    settings: WellbeingSettings,
    now: datetime,
    due: Sequence[Reminder],
    state: ReminderState,
) -> str:
    """The next reminder in a few words: `break due`, `break in 45m`, `not clocked in`."""
    waiting = pending(due, state)
    if waiting:
        return {
            "break": t("break due"),
            "long-day": t("long day: stop soon"),
            "sleep": t("short sleep"),
            "walk": t("walk due"),
            "rotation": t("rotation due"),
        }[waiting[0].kind]
    stretch = focus_stretch(sessions, now, settings.break_min)
    if stretch is None:
        current = open_session(sessions)
        return kind_label(current.kind) if current else t("not clocked in")
    left = settings.break_after_min - (now - stretch).total_seconds() / 60
    return t("break in {left}", left=format_minutes(max(int(left), 1)))
