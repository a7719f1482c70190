"""Keys go to the field that has focus, however fast they arrive (issue 15).

Each test sends a whole form's worth of keys in one go, the way a fast typist, a burst
over SSH or a tab-separated paste in a terminal without bracketed paste delivers them:
the key that opens the form, each field's text with Tab between fields, and the key that
saves. All of them are queued on the app before it handles the first. Every field must
get exactly its text: the assertions are on the stored record.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

import pytest

from sitedash.app import make_app
from sitedash.modals.engagement import EngagementForm
from sitedash.models import (
    Attendance,
    Issue,
    IssueStatus,
    MaterialKind,
    Retro,
    TrainingSession,
)
from sitedash.services import issues as issue_service
from sitedash.storage import Store
from tests.conftest import TODAY, FrozenClock, burst, settle, wait_until

TAB = "tab"
SAVE = "ctrl+s"


def typed(*fields: str | None) -> list[str]:
    """Each field's text, Tab between them; None is a field passed over (a drop-down,
    a checkbox): a Tab and nothing typed."""
    keys: list[str] = []
    for index, text in enumerate(fields):
        if index:
            keys.append(TAB)
        keys.extend(text or "")
    return keys


@dataclass
class Burst:
    """One form: the keys sent together and what must have been stored."""

    name: str
    keys: Sequence[str]
    stored: Callable[[Store, Any], Any]
    """What the form wrote (read back from the store, or from the screen for a filter)."""
    expected: Any
    setup: Callable[[Store], None] | None = None
    ready: Callable[[Any], bool] = field(default=lambda app: True)
    """Wait for this before the burst (nothing: the burst goes in at start-up)."""


def new_issue(store: Store) -> None:
    issue_service.create_issue(store, Issue("Scanner freezes", "mes"))


def resolved_issue(store: Store) -> None:
    issue = issue_service.create_issue(store, Issue("Scanner freezes", "mes"))
    for status in (IssueStatus.IN_PROGRESS, IssueStatus.RESOLVED):
        issue = issue_service.move(store, issue, status)


def session_with_attendee(store: Store) -> None:
    store.save_training_session(
        TrainingSession("Reporting work", "mes", TODAY, attendees=[Attendance("Anna", "op", "L2")])
    )


def only(records: list[Any]) -> Any:
    [record] = records
    return record


def fields(record: Any, *names: str) -> tuple[Any, ...]:
    return tuple(getattr(record, name) for name in names)


BURSTS = [
    Burst(
        "plan item",
        ["a", *typed("Install MES", None, None, "1h30m", "2026-11-26", "Bring the cables"), SAVE],
        lambda store, app: fields(
            only(store.plan_items(date(2026, 11, 26), "mes")), "title", "estimate_min", "note"
        ),
        ("Install MES", 90, "Bring the cables"),
    ),
    Burst(
        "go to date",
        ["g", *"2026-11-20", "enter"],
        lambda store, app: app.screen.day,
        date(2026, 11, 20),
    ),
    Burst(
        "issue",
        [
            "2",
            "n",
            *typed(
                "Scanner dies",
                None,
                "Production",
                "Kovács Anna",
                "",
                "Line 2 stops",
                "Driver update",
                "Roll back",
                None,
                "Asked HQ",
            ),
            SAVE,
        ],
        lambda store, app: fields(
            only(store.issues()),
            "title",
            "module",
            "reporter",
            "symptom",
            "cause",
            "solution",
            "escalation_note",
        ),
        (
            "Scanner dies",
            "Production",
            "Kovács Anna",
            "Line 2 stops",
            "Driver update",
            "Roll back",
            "Asked HQ",
        ),
    ),
    Burst(
        "issue filter",
        ["2", "slash", *typed("scanner", "Production"), "enter"],
        lambda store, app: (app.screen.filter.text, app.screen.filter.module),
        ("scanner", "Production"),
    ),
    Burst(
        "customer confirmation",
        [
            "2",
            "right",
            "right",
            "right",
            ">",
            *typed("Kovács", None, "RE: fix", "2026-11-24"),
            SAVE,
        ],
        lambda store, app: fields(only(store.issues()).confirmation, "by", "reference", "at"),
        ("Kovács", "RE: fix", datetime.combine(date(2026, 11, 24), time(11), tzinfo=UTC)),
        setup=resolved_issue,
    ),
    Burst(
        "escalation note",
        ["2", "!", *"Needs the vendor", "enter"],
        lambda store, app: fields(only(store.issues()), "escalated", "escalation_note"),
        (True, "Needs the vendor"),
        setup=new_issue,
    ),
    Burst(
        "training session",
        [
            "3",
            "n",
            *typed(
                "Reporting work",
                "2026-11-26",
                None,
                "14:00",
                "45m",
                "Reporting",
                "Anna",
                None,
                "Bela | operator | Line 2",
                "manual | Guide | share",
                "Went well",
                "More time",
            ),
            SAVE,
        ],
        lambda store, app: (
            *fields(
                only(store.training_sessions("mes")),
                "topic",
                "day",
                "start_time",
                "duration_min",
                "modules",
                "trainer",
                "notes",
                "feedback",
            ),
            [(a.name, a.role, a.department) for a in store.training_sessions("mes")[0].attendees],
            [(m.kind, m.name, m.location) for m in store.training_sessions("mes")[0].materials],
        ),
        (
            "Reporting work",
            date(2026, 11, 26),
            "14:00",
            45,
            ["Reporting"],
            "Anna",
            "Went well",
            "More time",
            [("Bela", "operator", "Line 2")],
            [(MaterialKind.MANUAL, "Guide", "share")],
        ),
    ),
    Burst(
        "assessment",
        ["3", TAB, "enter", *typed("87", "Quick learner"), SAVE],
        lambda store, app: fields(
            only(store.training_sessions("mes")).attendees[0], "score", "remark"
        ),
        (87.0, "Quick learner"),
        setup=session_with_attendee,
    ),
    Burst(
        "trainee",
        ["3", "t", "t", "n", *typed("Chen Jing", None, "planner", "Line 3", "Reporting"), SAVE],
        lambda store, app: fields(
            only(store.roster("mes")), "name", "role", "department", "modules"
        ),
        ("Chen Jing", "planner", "Line 3", ["Reporting"]),
    ),
    Burst(
        "acceptance item",
        ["4", "n", *typed("MES client", None, "UAT-7", "Signed on paper"), SAVE],
        lambda store, app: fields(
            only([i for i in store.acceptance_items("mes") if not i.template]),
            "name",
            "evidence",
            "note",
        ),
        ("MES client", "UAT-7", "Signed on paper"),
    ),
    Burst(
        "sign-off",
        [
            "4",
            "t",
            "n",
            *typed("Go-live", "Kovács", "Plant manager", "2026-11-24", None, "F-12"),
            SAVE,
        ],
        lambda store, app: fields(
            only(store.signoffs("mes")), "subject", "signer", "role", "day", "reference"
        ),
        ("Go-live", "Kovács", "Plant manager", date(2026, 11, 24), "F-12"),
    ),
    Burst(
        "change request",
        [
            "4",
            "t",
            "t",
            "n",
            *typed(
                "Extra report",
                "Kovács",
                "2026-11-23",
                "One report",
                "Two days",
                "None",
                None,
                "",
                "",
                "Phase 2",
                "Asked twice",
            ),
            SAVE,
        ],
        lambda store, app: fields(
            only(store.change_requests("mes")),
            "request",
            "requester",
            "day",
            "scope",
            "schedule",
            "cost",
            "phase",
            "note",
        ),
        (
            "Extra report",
            "Kovács",
            date(2026, 11, 23),
            "One report",
            "Two days",
            "None",
            "Phase 2",
            "Asked twice",
        ),
    ),
    Burst(
        "feedback",
        ["4", "t", "t", "t", "t", "n", *typed("Too slow", None, "Kovács", "2026-11-24", "4"), SAVE],
        lambda store, app: fields(
            only(store.all_feedback("mes")), "text", "source", "day", "satisfaction"
        ),
        ("Too slow", "Kovács", date(2026, 11, 24), 4),
    ),
    Burst(
        "retrospective",
        [
            "4",
            "t",
            "t",
            "t",
            "t",
            "t",
            "e",
            *typed("Go live", "Live", "Team", "Early", "Pilot"),
            SAVE,
        ],
        lambda store, app: fields(store.retro("mes"), *Retro.FIELDS),
        ("Go live", "Live", "Team", "Early", "Pilot"),
    ),
    Burst(
        "reminder settings",
        [
            "5",
            "S",
            *typed("3h", "20m", "9h", "7", "10m", "2,4", "23:00-06:00", "5m"),
            SAVE,
        ],
        lambda store, app: fields(
            store.settings().wellbeing,
            "break_after_min",
            "break_min",
            "long_day_min",
            "min_sleep_hours",
            "walk_min",
            "rotation_months",
            "quiet_hours",
            "snooze_min",
        ),
        (180, 20, 540, 7.0, 10, (2, 4), "23:00-06:00", 5),
    ),
    Burst(
        "energy",
        ["5", "m", *"Tired but fine", "enter"],
        lambda store, app: store.health(TODAY).energy,
        "Tired but fine",
    ),
    Burst(
        "sleep",
        ["5", "s", *"7.5", "enter"],
        lambda store, app: store.health(TODAY).sleep_hours,
        7.5,
    ),
    Burst(
        "stand-up",
        ["u", *typed("Waiting for IT", "Two servers", "Daily sync at 9"), "escape"],
        lambda store, app: fields(
            store.day_note(TODAY, "mes"), "blockers", "resources", "sync_note"
        ),
        ("Waiting for IT", "Two servers", "Daily sync at 9"),
    ),
]


@pytest.mark.parametrize("case", BURSTS, ids=[b.name for b in BURSTS])
async def test_a_burst_fills_every_field_of_the_form(app, store: Store, case: Burst) -> None:
    """From start-up, one burst: the keys to the screen, the form's key, every field's
    text with Tabs, the key that saves."""
    if case.setup is not None:
        case.setup(store)
    async with app.run_test(size=(80, 24)) as pilot:
        burst(app, case.keys)
        await settle(pilot)
        await wait_until(pilot, lambda: _stored(case, store, app) is not None)
        assert case.stored(store, app) == case.expected


def _stored(case: Burst, store: Store, app: Any) -> Any:
    try:
        return case.stored(store, app)
    except (ValueError, AttributeError, IndexError):  # not written yet
        return None


async def test_the_burst_from_the_issue(app, store: Store) -> None:
    """Issue 15's own case: `a`, `T1`, Tab Tab Tab, `30m` gave the title "T130m"."""
    async with app.run_test(size=(80, 24)) as pilot:
        burst(app, ["a", "T", "1", TAB, TAB, TAB, "3", "0", "m", "enter"])
        await settle(pilot)
        [item] = store.plan_items(TODAY, "mes")
        assert (item.title, item.estimate_min) == ("T1", 30)


async def test_two_items_in_one_burst(app, store: Store) -> None:
    """Enter saves and closes the form; the keys after it are for the plan again."""
    async with app.run_test(size=(80, 24)) as pilot:
        burst(app, ["a", *"First", "enter", "a", *"Second", TAB, TAB, TAB, *"1h", "enter"])
        await settle(pilot)
        items = store.plan_items(TODAY, "mes")
        assert [(i.title, i.estimate_min) for i in items] == [("First", 0), ("Second", 60)]


async def test_escape_in_a_burst_asks_and_the_keys_after_go_on(app, store: Store) -> None:
    """Escape on a changed form asks first; `d` discards, and the keys after it open a
    new form and fill it."""
    async with app.run_test(size=(80, 24)) as pilot:
        burst(app, ["a", *"dropped", "escape", "d", "a", *"kept", "enter"])
        await settle(pilot)
        assert [i.title for i in store.plan_items(TODAY, "mes")] == ["kept"]
        assert store.drafts.all() == [], "the discarded text is not kept either"


async def test_the_first_run_form_takes_a_burst_typed_at_start_up(
    empty_store: Store, clock: FrozenClock
) -> None:
    """First run: the engagement form opens by itself. The engineer's name (prefilled,
    selected), the engagement's name, customer and site typed in one burst, even before
    it has opened, land in their own fields."""
    app = make_app(empty_store, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        burst(app, [*typed("Li Wei", "Hospital EMR", "City Hospital", "Ward 3"), SAVE])
        await settle(pilot)
        await wait_until(pilot, lambda: empty_store.engagements())
        [created] = empty_store.engagements()
        assert (created.name, created.customer, created.site) == (
            "Hospital EMR",
            "City Hospital",
            "Ward 3",
        )
        assert empty_store.settings().engineer == "Li Wei"


async def test_the_engagement_form_takes_every_field_in_one_burst(app, store: Store) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_edit_engagement()  # offered by the palette
        await wait_until(pilot, lambda: getattr(app.focused, "id", "") == "name")
        assert isinstance(app.screen, EngagementForm)
        burst(
            app,
            [
                *typed(
                    "MES phase 2",
                    "Danube",
                    "Győr",
                    "Europe/Vienna",
                    "Asia/Shanghai",
                    "2026-10-01",
                    "2027-03-31",
                ),
                SAVE,
            ],
        )
        await settle(pilot)
        saved = store.engagement("mes")
        assert fields(saved, "name", "customer", "site", "site_tz", "hq_tz", "start", "end") == (
            "MES phase 2",
            "Danube",
            "Győr",
            "Europe/Vienna",
            "Asia/Shanghai",
            date(2026, 10, 1),
            date(2027, 3, 31),
        )


async def test_settings_take_a_burst(app, store: Store) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_settings()  # offered by the palette
        await wait_until(pilot, lambda: getattr(app.focused, "id", "") == "engineer")
        burst(app, [*typed("Li Wei", None, "05:00"), SAVE])
        await settle(pilot)
        assert fields(store.settings(), "engineer", "day_starts_at") == ("Li Wei", "05:00")
