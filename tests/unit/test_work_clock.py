"""The work clock's rules, shared by the shell and the dashboard: time input, back-fill,
nothing under a minute, a clock set back, repeated DST hours, sessions edited by hand.

The clock is frozen and moved by hand; every refusal is checked with the data unchanged.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sitedash.models import Engagement, SessionKind, WorkSession
from sitedash.reports.daily import daily_report
from sitedash.services import wellbeing as wb
from sitedash.services.engagements import save_new_engagement
from sitedash.services.timeutil import InputError
from sitedash.storage import Store
from tests.conftest import TODAY, FrozenClock

BUDAPEST = ZoneInfo("Europe/Budapest")
NEW_YORK = ZoneInfo("America/New_York")


def local(hour: int, minute: int = 0, day: date = TODAY, zone: ZoneInfo = BUDAPEST) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


def files(store: Store) -> dict[Path, bytes]:
    """Every data file, byte for byte (a refused change must leave them all alone)."""
    return {p: p.read_bytes() for p in sorted(store.data_dir.rglob("*.json"))}


def spans(store: Store, day: date = TODAY) -> list[tuple[str, str, str]]:
    """The day's sessions as (kind, start, end) in Budapest time."""
    return [
        (
            s.kind.value,
            s.start.astimezone(BUDAPEST).strftime("%H:%M"),
            s.end.astimezone(BUDAPEST).strftime("%H:%M") if s.end else "…",
        )
        for s in store.sessions_between(day - timedelta(days=1), day + timedelta(days=1))
    ]


@pytest.fixture
def context(store: Store) -> wb.ClockContext:
    return wb.ClockContext(store.engagement("mes"), "04:00")


def at_site(clock: FrozenClock, hour: int, minute: int = 0, second: int = 0) -> None:
    clock.now = local(hour, minute).replace(second=second).astimezone(UTC)


# -- time input ------------------------------------------------------------------------


def test_a_time_later_than_now_is_refused_not_read_as_yesterday(context, clock) -> None:
    at_site(clock, 10)
    with pytest.raises(InputError) as refused:
        wb.parse_at("10:05", context, clock.now)
    assert str(refused.value) == "10:05 is in the future"
    with pytest.raises(InputError, match=r"^18:30 is in the future$"):
        wb.parse_at("18:30", context, clock.now)
    assert wb.parse_at("09:55", context, clock.now) == local(9, 55)
    # The small hours this work day reaches only tonight mean this morning.
    assert wb.parse_at("03:00", context, clock.now) == local(3)


def test_after_midnight_a_time_is_of_the_work_day_that_is_still_on(context, clock) -> None:
    clock.now = local(0, 30, TODAY + timedelta(days=1)).astimezone(UTC)
    assert wb.parse_at("23:45", context, clock.now) == local(23, 45)
    assert wb.parse_at("00:10", context, clock.now) == local(0, 10, TODAY + timedelta(days=1))
    with pytest.raises(InputError, match=r"^01:00 is in the future$"):
        wb.parse_at("01:00", context, clock.now)


def test_a_time_skipped_by_the_clocks_is_refused(context) -> None:
    # Budapest went from 02:00 to 03:00 on 2026-03-29.
    with pytest.raises(InputError, match="did not happen at the site"):
        wb.parse_at("2026-03-29 02:30", context, local(12))


# -- the clock rules -------------------------------------------------------------------


def test_a_forgotten_clock_in_is_back_filled_and_joins_the_work_after_it(
    store: Store, context, clock
) -> None:
    at_site(clock, 10)
    wb.clock(store, context, "in")
    at_site(clock, 10, 15)
    result = wb.clock(store, context, "in", wb.parse_at("08:30", context, clock.now))
    assert result.message == "Clocked in at 08:30 (mes); the work from 10:00 now begins then"
    assert spans(store) == [("work", "08:30", "…")]


def test_a_back_fill_before_a_break_runs_up_to_it(store: Store, context, clock) -> None:
    at_site(clock, 9)
    wb.clock(store, context, "in")
    at_site(clock, 12)
    wb.clock(store, context, "break")
    at_site(clock, 13)
    wb.clock(store, context, "out")
    # Worked 07:30-09:00 too, forgotten; 12:00 is inside recorded work.
    result = wb.clock(store, context, "in", local(7, 30))
    assert spans(store) == [("work", "07:30", "12:00"), ("break", "12:00", "13:00")]
    assert result.session is not None and result.session.start == local(7, 30)
    before = files(store)
    with pytest.raises(InputError) as refused:
        wb.clock(store, context, "in", local(12, 10))
    assert str(refused.value) == "12:10 overlaps break 12:00–13:00"
    assert files(store) == before


def test_a_back_fill_that_would_end_in_another_session_is_refused(
    store: Store, context, clock
) -> None:
    at_site(clock, 9)
    wb.clock(store, context, "in")
    at_site(clock, 11)
    wb.clock(store, context, "break")
    before = files(store)
    with pytest.raises(InputError, match="not clocked in at 08:00"):
        wb.clock(store, context, "break", local(8))
    with pytest.raises(InputError, match="09:30 overlaps work 09:00–11:00"):
        wb.clock(store, context, "in", local(9, 30))
    assert files(store) == before


def test_clocking_out_the_minute_one_clocked_in_records_nothing(
    store: Store, context, clock
) -> None:
    at_site(clock, 13, 8, 10)
    wb.clock(store, context, "in")
    at_site(clock, 13, 8, 50)
    result = wb.clock(store, context, "out")
    assert result.session is None
    assert result.message.endswith("it lasted under a minute and was not recorded")
    assert store.sessions_between(TODAY, TODAY) == []


def test_clocking_back_in_within_a_minute_carries_on(store: Store, context, clock) -> None:
    at_site(clock, 8)
    wb.clock(store, context, "in")
    at_site(clock, 12, 0, 0)
    wb.clock(store, context, "out")
    at_site(clock, 12, 0, 40)
    result = wb.clock(store, context, "in")
    assert spans(store) == [("work", "08:00", "…")]
    assert "carries on the work from 08:00" in result.message
    # A break pressed by mistake and taken back within a minute: the work runs on.
    at_site(clock, 13, 0, 0)
    wb.clock(store, context, "break")
    at_site(clock, 13, 0, 30)
    wb.clock(store, context, "in")
    assert spans(store) == [("work", "08:00", "…")]


def test_sessions_under_a_minute_recorded_before_are_left_out(store: Store, context, clock) -> None:
    at_site(clock, 18)
    store.save_session(WorkSession(SessionKind.WORK, local(8), TODAY, "mes", local(12)))
    zero = WorkSession(
        SessionKind.WORK, local(13, 8), TODAY, "mes", local(13, 8) + timedelta(seconds=40)
    )
    store.save_session(zero)
    assert zero.id not in {s.id for s in wb.day_sessions(store, TODAY)}
    # ... and never in the way: a session may be typed over it.
    wb.add_session(store, context, TODAY, SessionKind.WORK, "13:00", "13:30")


def test_clock_out_after_the_clock_was_set_back_says_what_it_assumed(
    store: Store, context, clock
) -> None:
    at_site(clock, 10)
    wb.clock(store, context, "in")
    at_site(clock, 9, 45)  # NTP put the clock back a quarter of an hour
    result = wb.clock(store, context, "out")
    assert result.message == (
        "Clocked out (mes). This machine's clock (09:45) is behind the start of the work "
        "(10:00), as if it was set back: assumed the work ended when it began, so none of "
        "it was recorded; add it with clock in --at and clock out --at"
    )
    assert wb.open_session(store.sessions_between(TODAY, TODAY)) is None
    # An explicit time before the start is a mistake, not a clock that moved.
    wb.clock(store, context, "in")
    with pytest.raises(InputError, match="before the work you are clocking out of began"):
        wb.clock(store, context, "out", local(9))


def test_a_repeated_hour_takes_an_offset_and_says_which(store: Store, clock) -> None:
    save_new_engagement(store, Engagement("ny", "Plant", site_tz="America/New_York"))
    context = wb.ClockContext(store.engagement("ny"), "04:00")
    night = date(2026, 11, 1)  # New York: 01:00-02:00 twice
    clock.now = local(3, day=night, zone=NEW_YORK).astimezone(UTC)
    second = wb.parse_at("2026-11-01 01:20-05:00", context, clock.now)
    assert second == datetime(2026, 11, 1, 6, 20, tzinfo=UTC)
    first = wb.parse_at("01:20", context, clock.now)
    assert first == datetime(2026, 11, 1, 5, 20, tzinfo=UTC)
    assert wb.parse_at("01:20-04:00", context, clock.now) == first
    result = wb.clock(store, context, "in", second)
    assert result.message == "Clocked in at 01:20-05:00, the second 01:20 (ny)"
    assert wb.time_label(first, NEW_YORK) == "01:20-04:00, the first 01:20"
    with pytest.raises(InputError, match=r"the site was at UTC-04:00 / UTC-05:00 then"):
        wb.parse_at("01:20+08:00", context, clock.now)


# -- sessions by hand --------------------------------------------------------------------


def test_editing_a_session_moves_the_week_and_the_daily_report(
    store: Store, context, clock
) -> None:
    at_site(clock, 18)
    morning = wb.add_session(store, context, TODAY, SessionKind.WORK, "08:00", "12:00")
    wb.add_session(store, context, TODAY, SessionKind.BREAK, "12:00", "12:30", "lunch")
    wb.add_session(store, context, TODAY, SessionKind.WORK, "12:30", "17:00")
    engagement = store.engagement("mes")
    assert engagement is not None

    def week_total() -> float:
        return sum(
            wb.week_minutes(store.sessions_between(TODAY - timedelta(7), TODAY), TODAY, clock.now)
        )

    def report() -> str:
        return daily_report(store, engagement, TODAY, engineer="Li", now=clock.now)

    assert week_total() == 510
    assert "Worked 8h30m; 1 break or walk (30m)." in report()
    wb.edit_session(store, context, morning, start_text="07:15", note="server room")
    assert week_total() == 555
    assert "Worked 9h15m;" in report()
    assert "| 07:15 | 12:00 | work | 4h45m |" in report()
    [edited] = [s for s in store.sessions_between(TODAY, TODAY) if s.id == morning.id]
    assert (edited.note, edited.start) == ("server room", local(7, 15))
    wb.remove_session(store, edited)
    assert week_total() == 270
    assert "Worked 4h30m;" in report()


def test_an_edit_that_overlaps_is_refused_naming_the_session(store: Store, context, clock) -> None:
    at_site(clock, 18)
    first = wb.add_session(store, context, TODAY, SessionKind.WORK, "08:00", "12:00")
    wb.add_session(store, context, TODAY, SessionKind.BREAK, "12:00", "12:30")
    before = files(store)
    for change, reason in [
        ({"end_text": "12:10"}, "08:00–12:10 overlaps break 12:00–12:30"),
        ({"end_text": "08:00"}, "the end 08:00 is not after the start 08:00"),
        ({"end_text": "19:00"}, "19:00 is in the future"),
        ({"start_text": "11:59:30"}, "bad time"),
    ]:
        with pytest.raises(InputError) as refused:
            wb.edit_session(store, context, first, **change)
        assert reason in str(refused.value)
    # Clocked times carry seconds: an end typed in the same minute is under a minute.
    at_site(clock, 13, 8, 40)
    clocked = wb.clock(store, context, "in").session
    at_site(clock, 18)
    assert clocked is not None
    before = files(store)
    with pytest.raises(InputError, match="a session lasts a minute at least: 13:08–13:09"):
        wb.edit_session(store, context, clocked, end_text="13:09")
    assert files(store) == before


def test_times_after_midnight_belong_to_the_session_s_work_day(
    store: Store, context, clock
) -> None:
    clock.now = local(3, 0, TODAY + timedelta(days=1)).astimezone(UTC)
    night = wb.add_session(store, context, TODAY, SessionKind.WORK, "22:00", "01:30")
    assert (night.day, night.end) == (TODAY, local(1, 30, TODAY + timedelta(days=1)))
    assert wb.session_times(night, BUDAPEST) == ("22:00", "01:30+1")
    edited = wb.edit_session(store, context, night, end_text="02:15")
    assert edited.end == local(2, 15, TODAY + timedelta(days=1))
    assert wb.worked_by_day(store.sessions_between(TODAY, TODAY), [TODAY], clock.now) == {
        TODAY: 255
    }


def test_a_session_moved_to_another_month_leaves_its_old_file(store: Store, context, clock) -> None:
    last_day = date(2026, 11, 30)
    clock.now = local(20, day=date(2026, 12, 1)).astimezone(UTC)
    session = wb.add_session(store, context, last_day, SessionKind.WORK, "09:00", "10:00")
    wb.edit_session(
        store, context, session, start_text="2026-12-01 09:00", end_text="2026-12-01 10:00"
    )
    everything = store.sessions_between(date(2026, 11, 1), date(2026, 12, 31))
    assert [(s.id, s.day) for s in everything] == [(session.id, date(2026, 12, 1))]


def test_a_session_is_found_by_the_start_of_its_id(store: Store, context, clock) -> None:
    at_site(clock, 18)
    one = WorkSession(SessionKind.WORK, local(8), TODAY, "mes", local(9), id="abcd12000000")
    two = WorkSession(SessionKind.WORK, local(10), TODAY, "mes", local(11), id="abcd99000000")
    old = WorkSession(
        SessionKind.WORK,
        local(8, day=date(2025, 1, 6)),
        date(2025, 1, 6),
        "mes",
        local(9, day=date(2025, 1, 6)),
        id="0123456789ab",
    )
    for session in (one, two, old):
        store.save_session(session)
    assert wb.find_session(store, "abcd1", clock.now).id == one.id
    assert wb.find_session(store, "0123456789AB", clock.now).id == old.id  # months back
    with pytest.raises(InputError, match="not unique"):
        wb.find_session(store, "abcd", clock.now)
    with pytest.raises(InputError, match="no session ffff"):
        wb.find_session(store, "ffff", clock.now)
    with pytest.raises(InputError, match="bad session id"):
        wb.find_session(store, "ab", clock.now)


def test_a_back_fill_never_runs_into_another_day(store: Store, context, clock) -> None:
    """Up to the next session of another day would count the nights as work."""
    at_site(clock, 9)
    wb.clock(store, context, "in")
    before = files(store)
    with pytest.raises(InputError, match="nothing follows 2026-11-23 08:00 on its day"):
        wb.clock(store, context, "in", wb.parse_at("2026-11-23 08:00", context, clock.now))
    assert files(store) == before


def test_a_form_shows_a_repeated_hour_with_its_offset() -> None:
    second = datetime(2026, 11, 1, 6, 20, tzinfo=UTC)  # 01:20 EST, the second 01:20
    assert wb.form_time(second, NEW_YORK) == "01:20-05:00"
    assert wb.form_time(second - timedelta(hours=1), NEW_YORK) == "01:20-04:00"
    assert wb.form_time(second + timedelta(hours=3), NEW_YORK) == "04:20"
