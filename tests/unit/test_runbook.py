"""The go-live runbook's rules and its export: planned times typed in site time read
with the window's day (the next day past midnight), HQ time worked out beside them, a
time the clocks skip refused, steps marked done or failed with the moment, the
standard steps timed from the window, and the war-room printout."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from sitedash.errors import InputError
from sitedash.models import Runbook, RunbookStep, StepPhase, StepState, Watch
from sitedash.reports.exports import render
from sitedash.reports.frontmatter import parse_front_matter
from sitedash.services import runbook as plan
from sitedash.storage import Store
from tests.conftest import FROZEN_NOW, TODAY, FrozenClock

WINDOW = datetime(2026, 11, 28, 22, 0)
"""Saturday 22:00 at the site (Győr, UTC+1): Sunday 05:00 in Shanghai."""


@pytest.fixture
def frame(store: Store) -> Runbook:
    runbook = Runbook(
        "mes",
        window_start=WINDOW,
        window_end=WINDOW + timedelta(hours=8),
        decider="Kovács Anna",
        rollback_criteria="P1 without a workaround after 60 min\n\nData does not reconcile",
    )
    store.save_runbook(plan.check_runbook(runbook))
    return store.runbook("mes")


def test_a_time_typed_alone_is_on_the_windows_day_or_the_next(store: Store, frame: Runbook):
    engagement = store.engagement("mes")
    assert engagement is not None
    assert plan.parse_site_time("23:30", engagement, frame, TODAY) == datetime(2026, 11, 28, 23, 30)
    # Before the window's start on a window past midnight: the next morning.
    assert plan.parse_site_time("02:00", engagement, frame, TODAY) == datetime(2026, 11, 29, 2, 0)
    assert plan.parse_site_time("2026-12-01 10:15", engagement, frame, TODAY) == datetime(
        2026, 12, 1, 10, 15
    )
    assert plan.parse_site_time("  ", engagement, frame, TODAY) is None
    # Without a window: the day given (the form passes today).
    assert plan.parse_site_time("08:00", engagement, Runbook("mes"), TODAY) == datetime(
        2026, 11, 25, 8, 0
    )
    with pytest.raises(InputError, match="use HH:MM"):
        plan.parse_site_time("tonight", engagement, frame, TODAY)
    # 02:30 on 2027-03-28 does not exist in Győr: the clocks jump from 02:00 to 03:00.
    with pytest.raises(InputError, match="does not exist at the site"):
        plan.parse_site_time("2027-03-28 02:30", engagement, frame, TODAY)
    # An end typed alone is after its start: the next day when it is earlier.
    assert plan.parse_end("06:00", WINDOW, engagement) == datetime(2026, 11, 29, 6, 0)
    assert plan.parse_end("23:00", WINDOW, engagement) == datetime(2026, 11, 28, 23, 0)
    with pytest.raises(InputError, match="give the start too"):
        plan.parse_end("06:00", None, engagement)


def test_hq_time_stands_beside_the_site_time(store: Store) -> None:
    engagement = store.engagement("mes")
    assert engagement is not None
    # Győr is UTC+1 in November, Shanghai UTC+8: seven hours ahead, the next day.
    hq = plan.in_hq(WINDOW, engagement)
    assert hq == datetime(2026, 11, 29, 5, 0)
    assert plan.clock(hq, WINDOW.date()) == "05:00+1"
    assert plan.span(WINDOW, WINDOW + timedelta(hours=8)) == "Sat 2026-11-28 22:00 – 06:00+1"
    assert plan.hq_span(WINDOW, WINDOW + timedelta(hours=8), engagement) == (
        "Sun 2026-11-29 05:00 – 13:00"
    )


def test_marking_a_step_records_when_and_again_takes_it_back(store: Store, clock) -> None:
    step = RunbookStep("Full backup", "mes", start=WINDOW, duration_min=30)
    store.save_runbook_steps([step])
    [stored] = store.runbook_steps("mes")
    plan.mark(store, stored, StepState.DONE, clock())
    [done] = store.runbook_steps("mes")
    assert (done.state, done.at) == (StepState.DONE, FROZEN_NOW)
    engagement = store.engagement("mes")
    assert engagement is not None
    # Marked Wednesday 09:30 at the site, three days before the step's planned day.
    assert plan.done_label(done, engagement) == "done 09:30-3"
    clock.now = FROZEN_NOW + timedelta(minutes=5)
    plan.mark(store, done, StepState.FAILED, clock())
    [failed] = store.runbook_steps("mes")
    assert (failed.state, failed.at) == (StepState.FAILED, FROZEN_NOW + timedelta(minutes=5))
    plan.mark(store, failed, StepState.FAILED, clock())
    [back] = store.runbook_steps("mes")
    assert (back.state, back.at) == (StepState.PLANNED, None)


def test_the_standard_steps_are_timed_from_the_window_and_added_once(
    store: Store, frame: Runbook
) -> None:
    engagement = store.engagement("mes")
    assert engagement is not None
    store.save_runbook(plan.check_runbook(Runbook("mes", window_start=WINDOW)))
    added = plan.add_standard(store, engagement)
    steps = store.runbook_steps("mes")
    assert [s.id for s in steps] == [s.id for s in added]
    cutover = [s for s in steps if s.phase is StepPhase.CUTOVER]
    rollback = [s for s in steps if s.phase is StepPhase.ROLLBACK]
    assert (len(cutover), len(rollback)) == (8, 5)
    assert cutover[0].start == WINDOW and cutover[0].title.startswith("Go / no-go call")
    assert cutover[-1].start == WINDOW + timedelta(minutes=255)
    assert all(s.start is None for s in rollback), "a rollback is not planned in advance"
    assert plan.criteria(store.runbook("mes"))[0].startswith("A P1 problem")
    assert plan.add_standard(store, engagement) == [], "the second time adds nothing"
    assert len(store.runbook_steps("mes")) == 13


def test_what_is_typed_is_checked(store: Store) -> None:
    with pytest.raises(InputError, match="say what the step is"):
        plan.check_step(RunbookStep(" \x1b[2J ", "mes"))
    with pytest.raises(InputError, match="ends before it starts"):
        plan.check_watch(Watch("Nagy Péter", "mes", start=WINDOW, end=WINDOW))
    with pytest.raises(InputError, match="say who watches"):
        plan.check_watch(Watch("", "mes"))
    with pytest.raises(InputError, match="window ends before it starts"):
        plan.check_runbook(Runbook("mes", window_start=WINDOW, window_end=WINDOW))
    step = plan.check_step(RunbookStep("Switch \x1b]0;x\x07interfaces", "mes", note="a\x07b"))
    assert (step.title, step.note) == ("Switch interfaces", "ab")


def test_the_war_room_printout(store: Store, frame: Runbook, clock) -> None:
    first = RunbookStep(
        "Backup | restore <tested>", "mes", owner="Nagy Péter", start=WINDOW, duration_min=30
    )
    second = RunbookStep(
        "Switch interfaces", "mes", owner="总部", start=WINDOW + timedelta(hours=3), position=1
    )
    back = RunbookStep("Restore the old database", "mes", phase=StepPhase.ROLLBACK)
    store.save_runbook_steps([first, second, back])
    plan.mark(
        store,
        store.runbook_steps("mes")[0],
        StepState.DONE,
        datetime(2026, 11, 28, 21, 41, tzinfo=UTC),
    )
    store.save_watch(
        Watch("李伟", "mes", start=WINDOW, end=WINDOW + timedelta(hours=8), contact="+36 30 555")
    )
    engagement = store.engagement("mes")
    text, name = render("runbook", store, engagement, TODAY, engineer="Li Wei", now=clock())
    assert name == "runbook-mes-2026-11-25.md"
    front = parse_front_matter(text)
    assert front["kind"] == "runbook"
    assert (front["period_start"], front["period_end"]) == ("2026-11-28", "2026-11-29")
    assert front["counts"] == {
        "steps": 2,
        "done": 1,
        "failed": 0,
        "planned": 1,
        "rollback_steps": 1,
        "watches": 1,
    }
    assert (
        "Low-traffic window: Sat 2026-11-28 22:00 – 06:00+1 site time · "
        "Sun 2026-11-29 05:00 – 13:00 HQ time" in text
    )
    assert "Decides go / no-go and a rollback: Kovács Anna" in text
    assert "| # | Site (Europe/Budapest) | HQ (Asia/Shanghai) | Step |" in text
    assert (
        "| 1 | Sat 2026-11-28 22:00 | Sun 2026-11-29 05:00 | Backup \\| restore \\<tested\\> | "
        "Nagy Péter | 30m | ☑ done 22:41 |  |" in text
    ), "done with its moment in site time; user text escaped"
    assert "| 2 | Sun 2026-11-29 01:00 | Sun 2026-11-29 08:00 | Switch interfaces |" in text
    assert "- P1 without a workaround after 60 min\n- Data does not reconcile\n" in text
    assert "| R1 | - | - | Restore the old database |  | - | ☐ planned |  |" in text
    assert "| 李伟 | Sat 2026-11-28 22:00 – 06:00+1 | Sun 2026-11-29 05:00 – 13:00 |" in text
    # A runbook with nothing in it still has every section.
    empty = Store(store.data_dir.parent / "empty", clock=FrozenClock())
    from sitedash.services.engagements import save_new_engagement

    assert engagement is not None
    save_new_engagement(empty, engagement.__copy__())
    text, _ = render("runbook", empty, empty.engagement("mes"), TODAY, engineer="x", now=clock())
    assert "Low-traffic window: not set yet" in text and text.count("_None._") == 4
    assert parse_front_matter(text)["period_start"] == date(2026, 11, 25).isoformat()


def test_a_hand_edited_runbook_is_one_line_naming_the_record(store: Store) -> None:
    import json

    from sitedash.errors import StoreError

    store.save_runbook_steps([RunbookStep("Full backup", "mes", start=WINDOW)])
    path = store.data_dir / "engagements" / "mes.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    [doc_id] = data["steps"]
    data["steps"][doc_id]["state"] = "maybe"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(StoreError) as raised:
        Store(store.data_dir, clock=FrozenClock()).runbook_steps("mes")
    message = str(raised.value)
    assert "\n" not in message and "mes.json" in message
    assert f"runbook step {doc_id}: state 'maybe' is not one of planned, done, failed" in message
    # A planned time is a site wall-clock time: one with a zone is not what was stored.
    data["steps"][doc_id]["state"] = "planned"
    data["steps"][doc_id]["start"] = "2026-11-28T22:00:00+01:00"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(StoreError, match=f"runbook step {doc_id}: start"):
        Store(store.data_dir, clock=FrozenClock()).runbook_steps("mes")
