"""Plan rules: estimates, titles, carry-over, the stand-up, note merging, work days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sitedash.models import Category, DayNote, PlanStatus
from sitedash.services import today as plan
from sitedash.services.timeutil import InputError, parse_day, work_day
from sitedash.storage import Store
from tests.conftest import TODAY

YESTERDAY = TODAY - timedelta(days=1)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("", 0), ("30m", 30), ("1h30m", 90), ("1h", 60), ("1.5h", 90), ("45", 45), ("2h 15m", 135)],
)
def test_estimates(text: str, minutes: int) -> None:
    assert plan.parse_estimate(text) == minutes


@pytest.mark.parametrize("text", ["soon", "1x", "-5m", "h", "25h"])
def test_bad_estimates_say_how_to_write_them(text: str) -> None:
    with pytest.raises(InputError):
        plan.parse_estimate(text)


def test_minutes_format_back() -> None:
    assert [plan.format_minutes(m) for m in (0, 30, 60, 90, 125)] == [
        "",
        "30m",
        "1h",
        "1h30m",
        "2h05m",
    ]


def test_titles_are_cleaned_and_bounded() -> None:
    assert plan.check_title("  Deploy\x1b]52;c;aGk=\x07 server\n ") == "Deploy server"
    with pytest.raises(InputError, match="empty"):
        plan.check_title(" \t\x07 ")
    with pytest.raises(InputError, match="characters long"):
        plan.check_title("x" * 1_000_000)


def test_category_by_name_label_or_prefix() -> None:
    assert plan.parse_category("migration") is Category.MIGRATION
    assert plan.parse_category("data migration") is Category.MIGRATION
    assert plan.parse_category("doc") is Category.DOCUMENTATION
    with pytest.raises(InputError, match="unknown category"):
        plan.parse_category("lunch")


def test_items_append_in_order(store: Store) -> None:
    for title in ("one", "two", "three"):
        plan.add_item(store, "mes", TODAY, title)
    items = store.plan_items(TODAY, "mes")
    assert [(i.title, i.position) for i in items] == [("one", 0), ("two", 1), ("three", 2)]
    assert plan.move_item(store, items, 2, -1) == 1
    assert [i.title for i in store.plan_items(TODAY, "mes")] == ["one", "three", "two"]
    assert plan.move_item(store, store.plan_items(TODAY, "mes"), 0, -1) == 0


def test_carry_over_offers_each_unfinished_item_once(store: Store) -> None:
    done = plan.add_item(store, "mes", YESTERDAY, "done")
    plan.set_status(store, done, PlanStatus.DONE)
    dropped = plan.add_item(store, "mes", YESTERDAY, "dropped")
    plan.set_status(store, dropped, PlanStatus.DROPPED)
    doing = plan.add_item(store, "mes", YESTERDAY, "half done")
    plan.set_status(store, doing, PlanStatus.DOING)
    old = plan.add_item(store, "mes", TODAY - timedelta(days=40), "forgotten for weeks")
    plan.add_item(store, "other", YESTERDAY, "another engagement")

    candidates = plan.carry_over_candidates(store, "mes", TODAY)
    assert [c.title for c in candidates] == ["forgotten for weeks", "half done"]
    plan.add_item(store, "mes", TODAY, "already planned")
    copies = plan.carry_over(store, candidates, TODAY)
    assert [(c.title, c.position, c.status) for c in copies] == [
        ("forgotten for weeks", 1, PlanStatus.TODO),
        ("half done", 2, PlanStatus.TODO),
    ]
    assert copies[0].carried_from == old.id
    assert plan.carry_over_candidates(store, "mes", TODAY) == []
    # A second terminal carrying the same items at the same time adds nothing.
    assert plan.carry_over(store, candidates, TODAY) == []
    assert len(store.plan_items(TODAY, "mes")) == 3
    # The originals stay where they were: history is not rewritten.
    assert store.plan_items(YESTERDAY, "mes")[2].status is PlanStatus.DOING


def test_an_item_carried_and_unfinished_again_is_offered_again(store: Store) -> None:
    first = plan.add_item(store, "mes", TODAY - timedelta(days=2), "migrate BOMs")
    plan.carry_over(store, [first], YESTERDAY)
    candidates = plan.carry_over_candidates(store, "mes", TODAY)
    assert [(c.title, c.day) for c in candidates] == [("migrate BOMs", YESTERDAY)]


def test_standup_reads_back_to_the_last_working_day(store: Store) -> None:
    monday = date(2026, 11, 23)
    friday = monday - timedelta(days=3)
    shipped = plan.add_item(store, "mes", friday, "Go-live rehearsal")
    plan.set_status(store, shipped, PlanStatus.DONE)
    plan.add_item(store, "mes", friday, "Not finished")
    plan.add_item(store, "mes", monday, "Train operators")
    dropped = plan.add_item(store, "mes", monday, "Dropped")
    plan.set_status(store, dropped, PlanStatus.DROPPED)
    standup = plan.standup(store, "mes", monday)
    assert standup.previous_day == friday
    assert [i.title for i in standup.progress] == ["Go-live rehearsal"]
    assert [i.title for i in standup.plan] == ["Train operators"]


def test_note_edits_merge_with_a_line_added_elsewhere(store: Store) -> None:
    base = store.day_note(TODAY, "mes")
    plan.append_note(store, "mes", TODAY, "Scanner drivers missing", "blockers")
    stored, merged = plan.save_note_fields(store, base, {"blockers": "Need VPN access"})
    assert merged
    assert stored.blockers == "Need VPN access\nScanner drivers missing"
    assert store.day_note(TODAY, "mes").blockers == stored.blockers
    # Without an outside change, the text is simply saved.
    again, merged = plan.save_note_fields(store, stored, {"resources": "Training room"})
    assert not merged and again.resources == "Training room"
    assert again.blockers == stored.blockers


def test_append_note_refuses_empty_text(store: Store) -> None:
    with pytest.raises(InputError, match="empty"):
        plan.append_note(store, "mes", TODAY, " \x1b[2J ")
    assert store.day_note(TODAY, "mes") == DayNote(TODAY, "mes")


def test_work_day_follows_the_site_and_the_start_of_day() -> None:
    budapest, shanghai = ZoneInfo("Europe/Budapest"), ZoneInfo("Asia/Shanghai")
    # 23:30 UTC on the 24th is 00:30 on the 25th in Budapest, 07:30 in Shanghai.
    now = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)
    assert work_day(now, budapest, "00:00") == TODAY
    assert work_day(now, budapest, "04:00") == YESTERDAY, "after midnight is still the 24th"
    assert work_day(now, shanghai, "04:00") == TODAY


def test_dates_are_iso_only() -> None:
    assert parse_day("2028-02-29") == date(2028, 2, 29)
    for bad in ("2027-02-29", "25/11/2026", "tomorrow", ""):
        with pytest.raises(InputError, match="YYYY-MM-DD"):
            parse_day(bad)
