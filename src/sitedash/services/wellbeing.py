"""Working hours and rest: the work clock, daily and weekly hours, and reminders.

The rules are pure functions of (sessions, settings, now): tests move a fake clock
instead of waiting. Time is counted only while the engineer is clocked in, so nobody is
told they worked twelve hours while they were not tracking.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from sitedash.i18n import t, tn, weekday_name
from sitedash.models import (
    DayHealth,
    Engagement,
    SessionKind,
    WellbeingSettings,
    WorkSession,
    replace,
)
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


def whole_minutes(session: WorkSession, now: datetime) -> int:
    """A session's length as every list shows it: whole minutes (08:00:30-09:00 is 59m).
    Totals add these up, so a day's total is the sum of the lengths listed, on the
    screen, in `clock log`, the timesheet and the reports alike; a session under a
    minute (recorded by older versions) counts nothing."""
    return int(session.minutes(now))


def minutes_on(
    sessions: Iterable[WorkSession], day: date, now: datetime, kind: SessionKind = SessionKind.WORK
) -> int:
    """Minutes of `kind` on a work day (an open session counts up to now)."""
    return sum(whole_minutes(s, now) for s in sessions if s.day == day and s.kind is kind)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_minutes(sessions: Iterable[WorkSession], day: date, now: datetime) -> list[float]:
    """Work minutes for Monday..Sunday of the ISO week containing `day`."""
    monday = week_start(day)
    totals = [0.0] * 7
    for session in sessions:
        offset = (session.day - monday).days
        if session.kind is SessionKind.WORK and 0 <= offset < 7:
            totals[offset] += whole_minutes(session, now)
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

    @property
    def headline(self) -> str:
        """What is due, without the advice after the colon ("Break due", "You slept
        5 h last night"): the Wellbeing screen lists these in the room 80x24 leaves,
        `r` shows the whole message."""
        return self.message.split(":", 1)[0].strip()


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
                tn(
                    settings.break_min,
                    "Break due: {focus} of focused work. Take {n} minute away from the screen.",
                    "Break due: {focus} of focused work. Take {n} minutes away from the screen.",
                    focus=format_minutes(int(focus)),
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
                    tn(
                        months,
                        "{months} month on site since {start}: talk to your lead about rotation.",
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


HOURS_KEY = "h"
"""The Hours view's key unless the engineer changed it (the Wellbeing screen's binding
`wellbeing.hours`; tests/screens/test_keymap.py keeps the two the same)."""


@dataclass(frozen=True, slots=True)
class ClockContext:
    """Where and when: the engagement's site zone decides which day work belongs to."""

    engagement: Engagement | None
    day_starts_at: str
    hours_key: str = HOURS_KEY
    """The key of the Hours view, as the engineer has it (messages name it)."""

    @property
    def site(self) -> tzinfo:
        return zone(self.engagement.site_tz if self.engagement else None)

    @property
    def zone_name(self) -> str:
        return self.engagement.site_tz if self.engagement else local_zone_name()

    def day_of(self, moment: datetime) -> date:
        return work_day(moment, self.site, self.day_starts_at)


FUTURE_SLACK = timedelta(seconds=30)
"""A time this little ahead of the clock is "now" (two machines' clocks, a slow typist)."""
MIN_LENGTH = timedelta(minutes=1)
"""A session shorter than this is never recorded: it would show as 0m and count nothing."""
RECENT_DAYS = 35
"""Sessions read around now: enough for focus stretches, this week and a forgotten open one."""


def recent_sessions(store: Store, now: datetime, days: int = RECENT_DAYS) -> list[WorkSession]:
    """Sessions of the last weeks: enough for stretches, this week and open sessions."""
    end = now.date() + timedelta(days=1)
    return store.sessions_between(end - timedelta(days=days), end)


def too_short(session: WorkSession) -> bool:
    """A closed session under a minute: 0m on screen, nothing in the hours."""
    return session.end is not None and session.end - session.start < MIN_LENGTH


def recorded(sessions: Iterable[WorkSession]) -> list[WorkSession]:
    """The sessions that count: those under a minute (older versions recorded them,
    e.g. clocking out the minute one clocked in) are left out of lists and checks."""
    return [s for s in sessions if not too_short(s)]


def worked_by_day(
    sessions: Iterable[WorkSession], days: Iterable[date], now: datetime
) -> dict[date, int]:
    """Whole minutes of work on each day: the one count of hours that the weekly review,
    the timesheet and the dashboard share, so that they agree to the minute."""
    listed = list(sessions)
    return {day: int(minutes_on(listed, day, now)) for day in days}


# -- time input ------------------------------------------------------------------------

_AT = re.compile(
    r"^(?:(?P<day>\d{4}-\d{1,2}-\d{1,2})[ T]+)?(?P<time>\d{1,2}:\d{2})"
    r"\s*(?P<offset>Z|[+-]\d{2}(?::?\d{2})?)?$",
    re.IGNORECASE,
)


def _offset(text: str) -> timedelta:
    if text.upper() == "Z":
        return timedelta(0)
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        raise InputError(t("bad UTC offset {text!r}: use e.g. -05:00 or +08:00", text=text))
    return sign * timedelta(hours=hours, minutes=minutes)


def _format_offset(offset: timedelta | None) -> str:
    """`-1 day, 19:00` -> `-05:00`."""
    total = int((offset or timedelta(0)).total_seconds()) // 60
    sign = "-" if total < 0 else "+"
    hours, minutes = divmod(abs(total), 60)
    return f"{sign}{hours:02d}:{minutes:02d}"


def wall_time(
    day: date, clock_time: time, site: tzinfo, offset: timedelta | None = None
) -> datetime:
    """The moment a site wall-clock time names, in UTC.

    When the clocks go back an hour repeats: the first pass is taken unless `offset`
    (e.g. -05:00) names the other. A time skipped when the clocks went forward is refused.
    """
    first = datetime.combine(day, clock_time, tzinfo=site)
    second = first.replace(fold=1)
    shown = f"{day.isoformat()} {clock_time.strftime('%H:%M')}"
    if first.astimezone(UTC).astimezone(site).replace(tzinfo=None) != first.replace(tzinfo=None):
        raise InputError(
            t("{time} did not happen at the site: the clocks went forward then", time=shown)
        )
    if offset is None:
        return first.astimezone(UTC)
    for candidate in (first, second):
        if candidate.utcoffset() == offset:
            return candidate.astimezone(UTC)
    raise InputError(
        t(
            "{time}{offset} is not a time at the site: the site was at UTC{site_offset} then",
            time=shown,
            offset=_format_offset(offset),
            site_offset=" / UTC".join(
                sorted({_format_offset(first.utcoffset()), _format_offset(second.utcoffset())})
            ),
        )
    )


def time_label(moment: datetime, site: tzinfo, *, with_day: bool = False) -> str:
    """`09:30` at the site; in an hour the clocks showed twice, which of the two
    (`01:20-05:00, the second 01:20`), so a message always says which was taken."""
    local = moment.astimezone(site)
    text = local.strftime("%Y-%m-%d %H:%M" if with_day else "%H:%M")
    other = local.replace(fold=1 - local.fold)
    if other.utcoffset() == local.utcoffset():
        return text
    hhmm = local.strftime("%H:%M")
    offset = _format_offset(local.utcoffset())
    if local.fold == 0:
        return t("{time}{offset}, the first {hhmm}", time=text, offset=offset, hhmm=hhmm)
    return t("{time}{offset}, the second {hhmm}", time=text, offset=offset, hhmm=hhmm)


def _future(moment: datetime, site: tzinfo, now: datetime) -> InputError:
    same_day = moment.astimezone(site).date() == now.astimezone(site).date()
    return InputError(
        t("{at} is in the future", at=time_label(moment, site, with_day=not same_day))
    )


def _parts(text: str) -> tuple[date | None, time, timedelta | None]:
    """`[YYYY-MM-DD ]HH:MM[±HH:MM]`: the day if given, the time, the UTC offset if given."""
    match = _AT.match(text.strip())
    if match is None:
        raise InputError(
            t("bad time {text!r}: use HH:MM, e.g. 09:30, or YYYY-MM-DD HH:MM", text=text)
        )
    day = parse_day(match["day"]) if match["day"] else None
    offset = _offset(match["offset"]) if match["offset"] else None
    return day, parse_hhmm(match["time"]), offset


def check_time(text: str) -> None:
    """Refuse what is not `[YYYY-MM-DD ]HH:MM[±HH:MM]` (a form checks as it saves)."""
    _parts(text)


def _calendar_day(work_day_of: date, clock_time: time, day_starts_at: str) -> date:
    """The calendar day of a time of a work day: the small hours before the day starts
    (04:00 by default) close the work day, after midnight."""
    if clock_time < parse_hhmm(day_starts_at):
        return work_day_of + timedelta(days=1)
    return work_day_of


def parse_time_of_day(
    text: str, site: tzinfo, work_day_of: date, day_starts_at: str, now: datetime
) -> datetime:
    """A time typed for a session of the work day `work_day_of`, as UTC.

    `HH:MM` is read in that work day (with a 04:00 day start `01:30` is the night after
    it), `YYYY-MM-DD HH:MM` names its own day, and a UTC offset (`01:20-05:00`) picks one
    pass of an hour the clocks showed twice. A time later than now is refused.
    """
    day, clock_time, offset = _parts(text)
    if day is None:
        day = _calendar_day(work_day_of, clock_time, day_starts_at)
    moment = wall_time(day, clock_time, site, offset)
    if moment > now + FUTURE_SLACK:
        raise _future(moment, site, now)
    return moment


def parse_at(text: str, context: ClockContext, now: datetime) -> datetime:
    """`--at` of the work clock, as UTC.

    `HH:MM` is a time of the current site work day: before the day starts (04:00 by
    default) `23:45` is last night. A time that has not come yet is refused, never read
    as yesterday's; only the small hours that this work day reaches tonight mean this
    morning instead (at 10:00, `03:00`). `YYYY-MM-DD HH:MM` names the day, and a UTC
    offset (`2026-11-01 01:20-05:00`) picks one pass of an hour the clocks showed twice.
    """
    day, clock_time, offset = _parts(text)
    site = context.site
    if day is None:
        day = _calendar_day(context.day_of(now), clock_time, context.day_starts_at)
        day = min(day, now.astimezone(site).date())
    moment = wall_time(day, clock_time, site, offset)
    if moment > now + FUTURE_SLACK:
        raise _future(moment, site, now)
    return moment


# -- clock actions: in, out, break, walk -----------------------------------------


@dataclass(frozen=True, slots=True)
class ClockResult:
    """What a clock action did, in one line for the shell and the dashboard."""

    session: WorkSession | None
    """The session opened, closed or back-filled; None when it was under a minute."""
    message: str


_ACTION_KINDS = {"in": SessionKind.WORK, "break": SessionKind.BREAK, "walk": SessionKind.WALK}


def _around(store: Store, first: datetime, last: datetime, now: datetime) -> list[WorkSession]:
    """Recorded sessions that can touch first..last, and any still running."""
    near = store.sessions_between(first.date() - timedelta(days=2), last.date() + timedelta(days=2))
    known = {s.id for s in near}
    # A week ahead too: after the system clock was set back, the running session is
    # "in the future".
    lately = store.sessions_between(
        now.date() - timedelta(days=RECENT_DAYS), now.date() + timedelta(days=7)
    )
    running = [s for s in lately if s.is_open and s.id not in known]
    return recorded(sorted([*near, *running], key=lambda s: s.start))


def describe(session: WorkSession, site: tzinfo, day: date | None = None) -> str:
    """`work 09:00–10:30` (with the date when it is not `day`), or `break from 12:00`."""
    with_day = session.day != day
    start = time_label(session.start, site, with_day=with_day)
    if session.end is None:
        return t("{kind} from {start} (running)", kind=session_label(session.kind), start=start)
    return t(
        "{kind} {start}–{end}",
        kind=session_label(session.kind),
        start=start,
        end=time_label(session.end, site),
    )


def _span(start: datetime, end: datetime | None, site: tzinfo) -> str:
    if end is None:
        return t("from {start}", start=time_label(start, site))
    return f"{time_label(start, site)}–{time_label(end, site)}"


def _overlapping(
    sessions: Iterable[WorkSession], start: datetime, end: datetime | None, skip: str = ""
) -> WorkSession | None:
    """The first other session sharing time with start..end (None: still running)."""
    for other in sessions:
        if other.id == skip:
            continue
        if (end is None or other.start < end) and (other.end is None or start < other.end):
            return other
    return None


def _where(context: ClockContext) -> str:
    return context.engagement.id if context.engagement else t("no engagement, local time")


def site_of(session: WorkSession, context: ClockContext) -> tzinfo:
    """Where a session was recorded (its times are read and shown there)."""
    try:
        return zone(session.zone) if session.zone else context.site
    except InputError:
        return context.site


def clock(
    store: Store, context: ClockContext, action: str, at: datetime | None = None
) -> ClockResult:
    """`in`, `out`, `break` or `walk` at `at` (default now), by the rules the shell and
    the dashboard share.

    - A time later than now is refused.
    - Sessions never overlap; a refusal names the session in the way.
    - A time before the last session is a back-fill when it overlaps nothing: a
      forgotten clock-in runs up to the session after it (joining it when that is work).
    - Nothing under a minute is recorded: clocking out the minute one clocked in
      removes the session, and clocking back in within a minute carries on the last one.
    - When the system clock was set back behind the running session, clocking out still
      works, and says what it assumed.
    """
    if action != "out" and action not in _ACTION_KINDS:
        raise InputError(t("unknown clock action {action!r}: use in, out or break", action=action))
    now = store.clock()
    moment = at or now
    site = context.site
    if moment > now + FUTURE_SLACK:
        raise _future(moment, site, now)
    with store.transaction():
        sessions = _around(store, min(moment, now), max(moment, now), now)
        current = open_session(sessions)
        if action == "out":
            return _clock_out(store, context, current, moment, now, explicit=at is not None)
        kind = _ACTION_KINDS[action]
        closed_ends = [s.end for s in sessions if s.end is not None]
        floor = current.start if current else max(closed_ends, default=None)
        if floor is None or moment >= floor:
            return _switch(store, context, sessions, current, kind, moment)
        if at is None:
            latest = current or max(sessions, key=lambda s: s.end or s.start)
            raise InputError(
                t(
                    "this machine's clock ({now}) is behind the last session ({session}): "
                    "it was set back; clock out, or give the time with --at",
                    now=time_label(now, site),
                    session=describe(latest, site),
                )
            )
        return _back_fill(store, context, sessions, kind, moment)


def _clock_out(
    store: Store,
    context: ClockContext,
    current: WorkSession | None,
    moment: datetime,
    now: datetime,
    *,
    explicit: bool,
) -> ClockResult:
    if current is None:
        raise InputError(t("not clocked in"))
    site = site_of(current, context)
    where = _where(context)
    if moment < current.start:
        if explicit:
            raise InputError(
                t(
                    "{at} is before the {kind} you are clocking out of began ({start})",
                    at=time_label(moment, site),
                    kind=session_label(current.kind),
                    start=time_label(current.start, site),
                )
            )
        # The system clock was set back since the session began (an NTP correction, a
        # dual-boot machine's clock): nothing tells how long it ran, so nothing is
        # counted rather than a guess, and the message says so.
        store.delete_session(current)
        return ClockResult(
            None,
            t(
                "Clocked out ({engagement}). This machine's clock ({now}) is behind the start "
                "of the {kind} ({start}), as if it was set back: assumed the {kind} ended when "
                "it began, so none of it was recorded; add it with clock in --at and "
                "clock out --at",
                engagement=where,
                now=time_label(now, site),
                kind=session_label(current.kind),
                start=time_label(current.start, site, with_day=current.start.date() != now.date()),
            ),
        )
    current.end = moment
    message = t(
        "Clocked out at {time} ({engagement})", time=time_label(moment, site), engagement=where
    )
    if too_short(current):
        store.delete_session(current)
        return ClockResult(
            None, f"{message}; " + t("it lasted under a minute and was not recorded")
        )
    store.save_session(current)
    return ClockResult(current, message)


def _opened_message(kind: SessionKind, moment: datetime, context: ClockContext) -> str:
    messages = {
        SessionKind.WORK: t("Clocked in at {time} ({engagement})"),
        SessionKind.BREAK: t("On a break since {time} ({engagement})"),
        SessionKind.WALK: t("On a walk since {time} ({engagement})"),
    }
    return messages[kind].format(time=time_label(moment, context.site), engagement=_where(context))


def _switch(
    store: Store,
    context: ClockContext,
    sessions: list[WorkSession],
    current: WorkSession | None,
    kind: SessionKind,
    moment: datetime,
) -> ClockResult:
    """Clock forward: end what runs now (if anything) and start `kind` at `moment`."""
    site = context.site
    if current is not None and current.kind is kind:
        raise InputError(
            t(
                "already {state} since {start}",
                state=kind_label(kind),
                start=time_label(current.start, site),
            )
        )
    if current is None and kind is not SessionKind.WORK:
        raise InputError(t("not clocked in: clock in first"))
    notes: list[str] = []
    resume: WorkSession | None = None
    if current is not None:
        current.end = moment
        if too_short(current):
            # Pressed by mistake: nothing recorded, and what ran before it carries on.
            store.delete_session(current)
            notes.append(
                t(
                    "the {kind} before it lasted under a minute and was not recorded",
                    kind=session_label(current.kind),
                )
            )
            resume = next((s for s in sessions if s.end == current.start and s.kind is kind), None)
        else:
            store.save_session(current)
    else:
        last = max((s for s in sessions if s.end is not None), key=lambda s: s.start, default=None)
        if (
            last is not None
            and last.end is not None
            and last.kind is kind
            and moment - last.end < MIN_LENGTH
        ):
            resume = last  # clocked out and back in within a minute: no pause at all
    if resume is not None:
        resume.end = None
        store.save_session(resume)
        notes.append(
            t(
                "it carries on the {kind} from {start}",
                kind=session_label(kind),
                start=time_label(resume.start, site),
            )
        )
        return ClockResult(resume, "; ".join([_opened_message(kind, moment, context), *notes]))
    opened = WorkSession(
        kind=kind,
        start=moment,
        day=context.day_of(moment),
        engagement=context.engagement.id if context.engagement else "",
        zone=context.zone_name,
    )
    store.save_session(opened)
    return ClockResult(opened, "; ".join([_opened_message(kind, moment, context), *notes]))


def _back_fill(
    store: Store,
    context: ClockContext,
    sessions: list[WorkSession],
    kind: SessionKind,
    moment: datetime,
) -> ClockResult:
    """A time before the last session: accepted when it overlaps nothing."""
    site = context.site
    covering = _overlapping(sessions, moment, moment + timedelta(microseconds=1))
    if covering is not None:
        raise InputError(
            t(
                "{at} overlaps {session}",
                at=time_label(moment, site),
                session=describe(covering, site, context.day_of(moment)),
            )
        )
    if kind is not SessionKind.WORK:
        raise InputError(t("not clocked in at {at}: clock in first", at=time_label(moment, site)))
    following = min((s for s in sessions if s.start > moment), key=lambda s: s.start)
    if context.day_of(following.start) != context.day_of(moment):
        # Up to a session of another day would count the nights in between as work.
        raise InputError(
            t(
                "nothing follows {at} on its day to end it: add the session with its end "
                "in the Hours view ({key}), or clock in and out with --at after the last "
                "session",
                at=time_label(moment, site, with_day=True),
                key=context.hours_key,
            )
        )
    if following.start - moment < MIN_LENGTH:
        raise InputError(
            t(
                "{at} is less than a minute before {session}: nothing to record",
                at=time_label(moment, site),
                session=describe(following, site),
            )
        )
    engagement = context.engagement.id if context.engagement else ""
    message = _opened_message(kind, moment, context)
    if following.kind is SessionKind.WORK and following.engagement == engagement:
        before = replace(following)
        following.start = moment
        following.day = context.day_of(moment)
        store.save_session(following, old_day=before.day)
        note = t(
            "the work from {start} now begins then",
            start=time_label(before.start, site_of(before, context)),
        )
        return ClockResult(following, f"{message}; {note}")
    filled = WorkSession(
        kind=SessionKind.WORK,
        start=moment,
        day=context.day_of(moment),
        engagement=engagement,
        end=following.start,
        zone=context.zone_name,
    )
    store.save_session(filled)
    note = t(
        "recorded until {end}, when the {kind} after it began",
        end=time_label(following.start, site),
        kind=session_label(following.kind),
    )
    return ClockResult(filled, f"{message}; {note}")


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
        if now - break_start < MIN_LENGTH:
            return  # clocked in a moment ago: no break to credit
        current.end = break_start
        if too_short(current):
            store.delete_session(current)
        else:
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


# -- sessions by hand: list, add, edit, remove (the dashboard and `clock log/edit/rm`) --


def day_sessions(store: Store, day: date) -> list[WorkSession]:
    """The recorded sessions of a work day, every engagement, by start time."""
    return recorded(store.sessions_between(day, day))


def clock_face(moment: datetime, site: tzinfo, day: date) -> str:
    """`23:10`, or `01:30+1` for a time after midnight that belongs to work day `day`."""
    local = moment.astimezone(site)
    later = (local.date() - day).days
    return local.strftime("%H:%M") + (f"{later:+d}" if later else "")


def form_time(moment: datetime, site: tzinfo) -> str:
    """A recorded time as a form shows it to be typed over: `HH:MM`, with the UTC offset
    in an hour the clocks showed twice (`01:20-05:00`), so that it reads back the same."""
    local = moment.astimezone(site)
    text = local.strftime("%H:%M")
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        text += _format_offset(local.utcoffset())
    return text


def session_times(session: WorkSession, site: tzinfo) -> tuple[str, str]:
    """Start and end as the Hours list and `clock log` show them (`…` while running)."""
    end = clock_face(session.end, site, session.day) if session.end else "…"
    return clock_face(session.start, site, session.day), end


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    """Left-align in terminal columns (a Chinese character takes two)."""
    return text + " " * max(width - _width(text), 0)


def log_line(session: WorkSession, context: ClockContext, now: datetime) -> str:
    """`3f2a9c1b1234  08:00–12:00   work   4h     mes  note`: one session of `clock log`."""
    start, end = session_times(session, site_of(session, context))
    length = format_minutes(whole_minutes(session, now)) or "0m"
    parts = [
        session.id,
        _pad(f"{start}–{end}", 15),
        _pad(session_label(session.kind), 6),
        _pad(length, 6),
        session.engagement or "-",
    ]
    if session.note:
        parts.append(clean_line(session.note))
    return "  ".join(parts).rstrip()


def day_totals(sessions: Sequence[WorkSession], day: date, now: datetime) -> str:
    """`worked 3h30m · breaks 30m · walks 15m` for one work day."""
    return t(
        "worked {worked} · breaks {breaks} · walks {walks}",
        worked=format_minutes(int(minutes_on(sessions, day, now))) or "0m",
        breaks=format_minutes(int(minutes_on(sessions, day, now, SessionKind.BREAK))) or "0m",
        walks=format_minutes(int(minutes_on(sessions, day, now, SessionKind.WALK))) or "0m",
    )


def day_log(store: Store, context: ClockContext, day: date, now: datetime) -> str:
    """`sitedash clock log`: the day's totals, then its sessions with their ids."""
    sessions = day_sessions(store, day)
    heading = f"{weekday_name(day)} {day.isoformat()}"
    if not sessions:
        return t("No sessions on {day}.", day=heading)
    lines = [f"{heading} · {day_totals(sessions, day, now)}"]
    lines += [log_line(s, context, now) for s in sessions]
    return "\n".join(lines)


def find_session(store: Store, ident: str, now: datetime) -> WorkSession:
    """The session an id (or its first characters, four at least) names."""
    wanted = ident.strip().lower()
    if not re.fullmatch(r"[0-9a-f]{4,32}", wanted):
        raise InputError(
            t(
                "bad session id {id!r}: use an id that `sitedash clock log` lists, "
                "or its first four characters at least",
                id=ident,
            )
        )
    today = now.date()
    recent = store.sessions_between(today - timedelta(days=62), today + timedelta(days=2))
    matches = [s for s in recent if s.id.startswith(wanted)]
    if not matches:
        found = store.find_session(wanted)
        matches = [found] if found is not None else []
    if not matches:
        raise InputError(
            t("no session {id}: `sitedash clock log --date D` lists a day's ids", id=ident)
        )
    if len(matches) > 1:
        raise InputError(t("session id {id} is not unique: give more of it", id=ident))
    return matches[0]


def check_note(text: str) -> str:
    return clean_line(text)[:200]


def _check_span(
    sessions: Iterable[WorkSession],
    start: datetime,
    end: datetime | None,
    now: datetime,
    site: tzinfo,
    day: date,
    skip: str = "",
) -> None:
    """The rules for a session typed by hand: not in the future, at least a minute long,
    overlapping nothing (a refusal names the session in the way)."""
    for moment in (start, end):
        if moment is not None and moment > now + FUTURE_SLACK:
            raise _future(moment, site, now)
    if end is not None and end <= start:
        raise InputError(
            t(
                "the end {end} is not after the start {start}",
                end=time_label(end, site),
                start=time_label(start, site),
            )
        )
    if end is not None and end - start < MIN_LENGTH:
        raise InputError(
            t("a session lasts a minute at least: {span} is shorter", span=_span(start, end, site))
        )
    other = _overlapping(sessions, start, end, skip)
    if other is not None:
        raise InputError(
            t(
                "{span} overlaps {session}",
                span=_span(start, end, site),
                session=describe(other, site, day),
            )
        )


def add_session(
    store: Store,
    context: ClockContext,
    day: date,
    kind: SessionKind,
    start_text: str,
    end_text: str = "",
    note: str = "",
) -> WorkSession:
    """A session typed by hand on the work day `day` (an empty end: still running)."""
    now = store.clock()
    site = context.site
    start = parse_time_of_day(start_text, site, day, context.day_starts_at, now)
    end = (
        parse_time_of_day(end_text, site, day, context.day_starts_at, now)
        if end_text.strip()
        else None
    )
    with store.transaction():
        sessions = _around(store, start, end or now, now)
        _check_span(sessions, start, end, now, site, day)
        session = WorkSession(
            kind=kind,
            start=start,
            day=context.day_of(start),
            engagement=context.engagement.id if context.engagement else "",
            end=end,
            zone=context.zone_name,
            note=check_note(note),
        )
        store.save_session(session)
    return session


def edit_session(
    store: Store,
    context: ClockContext,
    session: WorkSession,
    *,
    kind: SessionKind | None = None,
    start_text: str | None = None,
    end_text: str | None = None,
    note: str | None = None,
) -> WorkSession:
    """Change a session's times, kind or note; what is not given stays. Times are read
    in the work day of the session and the zone it was recorded in; an empty end
    makes it run again."""
    now = store.clock()
    site = site_of(session, context)

    def read(text: str) -> datetime:
        return parse_time_of_day(text, site, session.day, context.day_starts_at, now)

    start = read(start_text) if start_text is not None and start_text.strip() else session.start
    end = session.end
    if end_text is not None:
        end = read(end_text) if end_text.strip() else None  # empty: running again
    with store.transaction():
        sessions = _around(store, start, end or now, now)
        stored = next((s for s in sessions if s.id == session.id), None)
        before = stored or session
        _check_span(sessions, start, end, now, site, session.day, skip=session.id)
        after = replace(
            before,
            kind=kind or before.kind,
            start=start,
            end=end,
            day=work_day(start, site, context.day_starts_at),
            note=check_note(note) if note is not None else before.note,
        )
        store.save_session(after, old_day=before.day)  # a new day may be another month's
    return after


def remove_session(store: Store, session: WorkSession) -> None:
    with store.transaction():
        store.delete_session(session)


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
