"""Hours and reminders, on a fake clock: focus, long days, midnight, DST, quiet hours."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sitedash.models import DayHealth, Engagement, SessionKind, WellbeingSettings, WorkSession
from sitedash.services import wellbeing as wb
from sitedash.services.timeutil import InputError
from sitedash.storage import Store
from tests.conftest import FROZEN_NOW, TODAY, FrozenClock

BUDAPEST = ZoneInfo("Europe/Budapest")
SETTINGS = WellbeingSettings()


def at(hour: int, minute: int = 0, day: date = TODAY) -> datetime:
    """A moment in Budapest local time."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BUDAPEST)


def work(
    start: datetime, end: datetime | None = None, kind=SessionKind.WORK, day: date = TODAY
) -> WorkSession:
    return WorkSession(kind=kind, start=start, end=end, day=day, engagement="mes")


def due(sessions, now, health=(), settings=SETTINGS, engagement=None) -> list[str]:
    return [
        r.kind
        for r in wb.due_reminders(
            sessions, list(health), settings, now, BUDAPEST, "04:00", engagement
        )
    ]


def test_nothing_is_due_unless_clocked_in() -> None:
    long_ago = [work(at(6), at(19))]  # 13 h, closed
    assert due(long_ago, at(20)) == []
    assert due([work(at(8), at(10)), work(at(10), kind=SessionKind.BREAK)], at(20)) == []


def test_break_after_four_hours_of_focus() -> None:
    sessions = [work(at(8))]
    assert due(sessions, at(11, 59)) == []
    assert due(sessions, at(12, 0)) == ["break"]


def test_a_short_gap_is_not_a_break_but_a_real_one_is() -> None:
    short_gap = [work(at(8), at(10)), work(at(10, 5))]
    assert due(short_gap, at(12, 0)) == ["break"], "5 minutes away does not reset focus"
    real_break = [
        work(at(8), at(10)),
        work(at(10), at(10, 20), SessionKind.BREAK),
        work(at(10, 20)),
    ]
    assert due(real_break, at(12, 0)) == []
    assert "break" not in due(real_break, at(14, 19))
    assert "break" in due(real_break, at(14, 20))


def test_each_stretch_fires_once_and_snooze_brings_it_back() -> None:
    sessions = [work(at(8))]
    state = wb.ReminderState()
    reminders = wb.due_reminders(sessions, [], SETTINGS, at(12, 1), BUDAPEST, "04:00")
    firing = wb.to_fire(reminders, state, at(12, 1), quiet=False, held=False)
    assert [r.kind for r in firing] == ["break"]
    wb.mark_fired(state, firing, at(12, 1))
    assert wb.to_fire(reminders, state, at(12, 2), quiet=False, held=False) == []
    wb.snooze(state, firing[0], at(12, 2), 10)
    assert wb.to_fire(reminders, state, at(12, 11), quiet=False, held=False) == []
    again = wb.to_fire(reminders, state, at(12, 12), quiet=False, held=False)
    assert [r.kind for r in again] == ["break"]
    wb.mark_fired(state, again, at(12, 12))
    wb.dismiss(state, again[0])
    assert wb.to_fire(reminders, state, at(15), quiet=False, held=False) == []
    assert wb.pending(reminders, state) == []


def test_answers_survive_a_break_and_clocking_out() -> None:
    """Dismissed stays dismissed when nothing is due for a while (a break, off the clock);
    it is forgotten with the day."""
    late = [work(at(7), at(13)), work(at(13), at(13, 30), SessionKind.BREAK), work(at(13, 30))]
    state = wb.ReminderState()
    now = at(18)
    reminders = wb.due_reminders(late, [], SETTINGS, now, BUDAPEST, "04:00")
    assert {r.kind for r in reminders} >= {"long-day", "walk"}
    for reminder in reminders:
        wb.dismiss(state, reminder)
    on_break = [*late[:2], work(at(13, 30), at(18)), work(at(18), at(18, 20), SessionKind.BREAK)]
    back = [*on_break, work(at(18, 20))]
    for sessions, moment in (
        (on_break, at(18, 10)),
        ([*on_break[:3]], at(18, 15)),
        (back, at(18, 21)),
    ):
        state.prune(TODAY, moment)
        again = wb.due_reminders(sessions, [], SETTINGS, moment, BUDAPEST, "04:00")
        assert wb.to_fire(again, state, moment, quiet=False, held=False) == []
    tomorrow = TODAY + timedelta(days=1)
    state.prune(tomorrow, at(14, 0, tomorrow))
    assert state.dismissed == set(), "a new day starts with no answers"


def test_reminders_across_a_dst_change() -> None:
    # Budapest falls back on 2026-10-25 at 03:00 -> 02:00: the night has 25 hours.
    day = date(2026, 10, 24)
    start = datetime(2026, 10, 24, 22, 0, tzinfo=BUDAPEST)
    sessions = [work(start, day=day)]
    # 22:00 to 01:59 wall-clock is 4 real hours only on a normal night; here 02:00 comes
    # twice, so four hours of focus are reached at 01:00 local (after the change).
    four_hours = start + timedelta(hours=4)
    assert four_hours.astimezone(UTC) == datetime(2026, 10, 24, 20, 0, tzinfo=UTC) + timedelta(
        hours=4
    )
    assert "break" not in due(sessions, four_hours - timedelta(minutes=1))
    assert "break" in due(sessions, four_hours)
    assert wb.work_day(four_hours, BUDAPEST, "04:00") == day, "still the day it started"


def test_quiet_hours_and_presenting_hold_reminders_back() -> None:
    reminders = wb.due_reminders([work(at(8))], [], SETTINGS, at(12, 30), BUDAPEST, "04:00")
    state = wb.ReminderState()
    assert wb.to_fire(reminders, state, at(12, 30), quiet=False, held=True) == []
    assert wb.to_fire(reminders, state, at(12, 30), quiet=True, held=False) == []
    assert [r.kind for r in wb.to_fire(reminders, state, at(13), quiet=False, held=False)] == [
        "break"
    ], "it fires once the presentation ends"
    assert wb.in_quiet_hours(at(23), BUDAPEST, "22:00-07:00")
    assert wb.in_quiet_hours(at(6, 59), BUDAPEST, "22:00-07:00")
    assert not wb.in_quiet_hours(at(7), BUDAPEST, "22:00-07:00")
    assert wb.in_quiet_hours(at(13), BUDAPEST, "12:00-13:30")
    assert not wb.in_quiet_hours(at(13), BUDAPEST, "")
    with pytest.raises(InputError, match="HH:MM-HH:MM"):
        wb.in_quiet_hours(at(13), BUDAPEST, "after lunch")


def test_long_day_counts_only_tracked_time() -> None:
    sessions = [work(at(7), at(12)), work(at(12), at(12, 30), SessionKind.BREAK), work(at(12, 30))]
    assert "long-day" not in due(sessions, at(17, 29))
    assert "long-day" in due(sessions, at(17, 30))


def test_work_after_midnight_belongs_to_the_day_it_started() -> None:
    tomorrow = TODAY + timedelta(days=1)
    sessions = [work(at(14), at(23, 59)), work(at(0, 0, tomorrow), day=TODAY)]
    now = at(1, 30, tomorrow)
    assert wb.minutes_on(sessions, TODAY, now) == pytest.approx(9 * 60 + 59 + 90)
    assert wb.minutes_on(sessions, tomorrow, now) == 0
    assert "long-day" in due(sessions, now)


def test_hours_across_a_dst_change_are_real_hours() -> None:
    # Budapest springs forward on 2027-03-28 at 02:00 -> 03:00.
    night = date(2027, 3, 27)
    start = datetime(2027, 3, 28, 0, 0, tzinfo=BUDAPEST)
    end = datetime(2027, 3, 28, 4, 0, tzinfo=BUDAPEST)
    session = work(start, end, day=night)
    assert session.minutes(end) == 180, "the clock jumped; three hours were worked"
    assert wb.minutes_on([session], night, end) == 180


def test_walk_sleep_and_rotation_reminders() -> None:
    sessions = [work(at(7))]
    assert "walk" not in due(sessions, at(12, 59))
    assert "walk" in due(sessions, at(13, 0))
    walked = [work(at(7), at(10)), work(at(10), at(10, 20), SessionKind.WALK), work(at(10, 20))]
    assert "walk" not in due(walked, at(14))
    assert "sleep" in due(sessions, at(8), [DayHealth(TODAY, sleep_hours=5.5)])
    assert "sleep" not in due(sessions, at(8), [DayHealth(TODAY, sleep_hours=6)])
    engagement = Engagement(id="mes", name="MES", start=date(2026, 8, 25))
    assert "rotation" in due(sessions, at(8), engagement=engagement)
    engagement.start = date(2026, 8, 26)
    assert "rotation" not in due(sessions, at(8), engagement=engagement)
    assert wb.add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_week_minutes_by_day() -> None:
    monday = TODAY - timedelta(days=TODAY.weekday())
    sessions = [work(at(8, day=monday), at(12, day=monday), day=monday), work(at(9), at(10, 30))]
    week = wb.week_minutes(sessions, TODAY, at(18))
    assert week[0] == 240 and week[TODAY.weekday()] == 90 and sum(week) == 330


# -- the clock with a store --------------------------------------------------------


@pytest.fixture
def context(store: Store) -> wb.ClockContext:
    return wb.ClockContext(store.engagement("mes"), "04:00")


def test_clock_in_break_in_out(store: Store, clock: FrozenClock, context) -> None:
    opened = wb.clock(store, context, "in").session
    assert opened is not None
    assert opened.kind is SessionKind.WORK and opened.day == TODAY
    assert opened.zone == "Europe/Budapest"
    clock.now += timedelta(hours=2)
    wb.clock(store, context, "break")
    clock.now += timedelta(minutes=20)
    wb.clock(store, context, "in")
    clock.now += timedelta(hours=1)
    wb.clock(store, context, "out")
    sessions = store.sessions_between(TODAY, TODAY)
    assert [(s.kind.value, s.minutes(clock.now)) for s in sessions] == [
        ("work", 120),
        ("break", 20),
        ("work", 60),
    ]
    assert wb.open_session(sessions) is None


def test_clock_refuses_what_makes_no_sense(store: Store, clock: FrozenClock, context) -> None:
    with pytest.raises(InputError, match="not clocked in"):
        wb.clock(store, context, "out")
    with pytest.raises(InputError, match="clock in first"):
        wb.clock(store, context, "break")
    with pytest.raises(InputError, match="in the future"):
        wb.clock(store, context, "in", FROZEN_NOW + timedelta(hours=1))
    wb.clock(store, context, "in", FROZEN_NOW - timedelta(hours=1))
    with pytest.raises(InputError, match="already working"):
        wb.clock(store, context, "in")
    with pytest.raises(InputError, match="before the work you are clocking out of began"):
        wb.clock(store, context, "out", FROZEN_NOW - timedelta(hours=2))
    wb.clock(store, context, "out")
    with pytest.raises(InputError, match="overlaps"):
        wb.clock(store, context, "in", FROZEN_NOW - timedelta(minutes=30))


def test_at_is_read_in_the_site_zone(context) -> None:
    now = datetime(2026, 11, 25, 8, 30, tzinfo=UTC)
    assert wb.parse_at("09:15", context, now) == datetime(2026, 11, 25, 8, 15, tzinfo=UTC)
    assert wb.parse_at("2026-11-24 23:50", context, now) == datetime(
        2026, 11, 24, 22, 50, tzinfo=UTC
    )
    with pytest.raises(InputError, match="HH:MM"):
        wb.parse_at("9.15", context, now)
    # 00:30 in Budapest: 23:45 is last night, not tonight.
    after_midnight = datetime(2026, 11, 25, 23, 30, tzinfo=UTC)
    assert wb.parse_at("23:45", context, after_midnight) == datetime(
        2026, 11, 25, 22, 45, tzinfo=UTC
    )
    assert wb.parse_at("00:10", context, after_midnight) == datetime(
        2026, 11, 25, 23, 10, tzinfo=UTC
    )


def test_already_did_credits_the_break(store: Store, clock: FrozenClock, context) -> None:
    wb.clock(store, context, "in")
    clock.now += timedelta(hours=4, minutes=5)
    wb.credit_break(store, context, 15)
    sessions = store.sessions_between(TODAY, TODAY)
    assert [s.kind.value for s in sessions] == ["work", "break", "work"]
    assert wb.minutes_on(sessions, TODAY, clock.now) == 230
    assert wb.focus_stretch(sessions, clock.now, 15) == clock.now


def test_sleep_is_logged_and_checked(store: Store) -> None:
    assert wb.log_sleep(store, TODAY, "5,5").sleep_hours == 5.5
    assert store.health(TODAY).sleep_hours == 5.5
    with pytest.raises(InputError):
        wb.log_sleep(store, TODAY, "lots")
    with pytest.raises(InputError):
        wb.log_sleep(store, TODAY, "30")
    assert wb.log_sleep(store, TODAY, "2026-11-22 6.5 h").sleep_hours == 6.5
    # A night forgotten: named by the day after it.
    assert wb.log_sleep(store, TODAY, "2026-11-23 7").day == date(2026, 11, 23)
    assert store.health(date(2026, 11, 23)).sleep_hours == 7
    assert store.health(TODAY).sleep_hours == 5.5
    with pytest.raises(InputError, match="already past"):
        wb.log_sleep(store, TODAY, "2026-11-26 7")
    with pytest.raises(InputError, match="a number such as"):
        wb.log_sleep(store, TODAY, "Monday 7")
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        wb.log_sleep(store, TODAY, "2026-13-01 7")


def test_status_hint() -> None:
    state = wb.ReminderState()
    assert wb.status_hint([], SETTINGS, at(9), [], state) == "not clocked in"
    sessions = [work(at(8))]
    assert wb.status_hint(sessions, SETTINGS, at(11, 15), [], state) == "break in 45m"
    reminders = wb.due_reminders(sessions, [], SETTINGS, at(12, 5), BUDAPEST, "04:00")
    assert wb.status_hint(sessions, SETTINGS, at(12, 5), reminders, state) == "break due"
