"""The Engagement screen's records: stored per engagement, the rules that judge them
(local time and working hours, late and at-risk milestones, risks due a look), and the
migration of schema 1's free-text contacts and checklist."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from sitedash import storage
from sitedash.errors import InputError
from sitedash.i18n import language
from sitedash.models import (
    AcceptanceItem,
    Check,
    CheckList,
    CheckState,
    Contact,
    ItemStatus,
    Milestone,
    MilestoneStatus,
    Risk,
    RiskStatus,
    WorkWeek,
    decode,
    encode,
)
from sitedash.services import overview
from sitedash.services.overview import Concern, Standing
from sitedash.services.today import standup
from sitedash.storage import Store
from sitedash.storage.engagement import move_contacts_and_checklists
from tests.conftest import TODAY, FrozenClock

# -- migration: schema 1 -> 2 ----------------------------------------------------------

SCHEMA_1_META = {
    "meta": {"1": {"schema": 1}},
    "settings": {"1": {"engineer": "Li Wei", "active_engagement": "mes", "rev": 2}},
    "engagements": {
        "1": {
            "id": "mes",
            "name": "MES roll-out",
            "customer": "Danube Precision",
            "site_tz": "Europe/Budapest",
            "hq_tz": "Asia/Shanghai",
            "start": "2026-09-01",
            "contacts": [
                {
                    "role": "Customer PM",
                    "name": "Kovács Anna",
                    "phone": "+36 30 555 0101",
                    "email": "anna@example.hu",
                },
                {"role": "HQ remote support", "name": "", "phone": "", "email": ""},
                {"role": "", "name": "", "phone": "", "email": ""},
            ],
            "checklist": [
                {"text": "Servers: OS, CPU, memory, disk as required", "done": True},
                {"text": "Toolkit: SQL client, log analyser, backup drive, local test env"},
            ],
            "rev": 4,
        },
        "2": {"id": "erp", "name": "ERP", "site_tz": "Asia/Shanghai", "contacts": [], "rev": 1},
    },
}
"""sitedash.json as schema 1 wrote it: contacts and the checklist inside each engagement
(from the code before issue 20: `Contact(role, name, phone, email)`,
`ChecklistEntry(text, done)`)."""

SCHEMA_1_ENGAGEMENT_FILE = {
    "acceptance": {
        "1": {
            "name": "Deployment report",
            "engagement": "mes",
            "status": "accepted",
            "id": "a1",
            "rev": 2,
        }
    }
}


def schema_1_data_dir(data_dir: Path) -> None:
    (data_dir / "engagements").mkdir(parents=True)
    (data_dir / "sitedash.json").write_text(json.dumps(SCHEMA_1_META), encoding="utf-8")
    (data_dir / "engagements" / "mes.json").write_text(
        json.dumps(SCHEMA_1_ENGAGEMENT_FILE), encoding="utf-8"
    )


def test_a_schema_1_data_dir_migrates_contacts_and_checklist(
    data_dir: Path, clock: FrozenClock
) -> None:
    schema_1_data_dir(data_dir)
    before = (data_dir / "sitedash.json").read_bytes()
    store = Store(data_dir, clock=clock)
    assert store.schema_version() == storage.SCHEMA_VERSION == 2

    contacts = store.contacts("mes")
    assert [(c.order, c.role, c.name, c.phone, c.email) for c in contacts] == [
        (1, "Customer PM", "Kovács Anna", "+36 30 555 0101", "anna@example.hu"),
        (2, "HQ remote support", "", "", ""),
    ], "every row with something in it, in its order; the empty row is dropped"
    assert all(c.engagement == "mes" and c.tz == "" for c in contacts)
    checks = store.checks("mes")
    assert [(c.text[:8], c.state, c.checklist) for c in checks] == [
        ("Servers:", CheckState.OK, CheckList.ENVIRONMENT),
        ("Toolkit:", CheckState.OPEN, CheckList.ENVIRONMENT),
    ]
    assert store.contacts("erp") == [] and store.checks("erp") == []

    # The old lists are gone from sitedash.json; everything else stayed.
    meta = json.loads((data_dir / "sitedash.json").read_text(encoding="utf-8"))
    assert all("contacts" not in e and "checklist" not in e for e in meta["engagements"].values())
    engagement = store.engagement("mes")
    assert engagement is not None
    assert (engagement.name, engagement.customer, engagement.start, engagement.rev) == (
        "MES roll-out",
        "Danube Precision",
        date(2026, 9, 1),
        4,
    )
    assert [i.name for i in store.acceptance_items("mes")] == ["Deployment report"]
    assert store.settings().engineer == "Li Wei"
    # The backup before the migration holds schema 1 as it was.
    backup = data_dir / "backups" / f"{TODAY.isoformat()}-pre-migration-1" / "sitedash.json"
    assert backup.read_bytes() == before

    # Opened again: nothing moves twice.
    again = Store(data_dir, clock=clock)
    assert len(again.contacts("mes")) == 2 and len(again.checks("mes")) == 2


def test_the_migration_step_run_twice_moves_nothing_twice(
    data_dir: Path, clock: FrozenClock
) -> None:
    """A crash after the step's write but before the version is stamped runs the step
    again on the next open: it finds nothing left to move."""
    schema_1_data_dir(data_dir)
    store = Store(data_dir, clock=clock)
    move_contacts_and_checklists(store)
    assert len(store.contacts("mes")) == 2 and len(store.checks("mes")) == 2


def test_a_read_only_command_reads_a_schema_1_data_dir_as_it_is(
    data_dir: Path, clock: FrozenClock
) -> None:
    schema_1_data_dir(data_dir)
    before = (data_dir / "sitedash.json").read_bytes()
    store = Store(data_dir, clock=clock, read_only=True)
    assert store.schema_version() == 1
    # `sitedash contacts` or `export checklist` before the first write: the lists are
    # read where schema 1 keeps them.
    assert [(c.order, c.name) for c in store.contacts("mes")] == [(1, "Kovács Anna"), (2, "")]
    assert [c.state for c in store.checks("mes")] == [CheckState.OK, CheckState.OPEN]
    assert store.contacts("erp") == [] and store.contacts("nope") == []
    assert (data_dir / "sitedash.json").read_bytes() == before
    assert not (data_dir / "backups").exists()


def test_migrated_checks_are_recognised_by_the_standard_items(
    data_dir: Path, clock: FrozenClock
) -> None:
    """The old default checklist's words are the template's first items: adding the
    standard items after the migration does not add them a second time."""
    schema_1_data_dir(data_dir)
    store = Store(data_dir, clock=clock)
    added = overview.add_standard_checks(store, "mes")
    texts = [c.text for c in store.checks("mes")]
    assert len(texts) == len(set(texts)) == len(overview.standard_check_texts())
    assert len(added) == len(overview.standard_check_texts()) - 2
    assert overview.add_standard_checks(store, "mes") == [], "the second time adds nothing"


def test_a_broken_legacy_list_does_not_stop_the_data_dir_from_opening(
    data_dir: Path, clock: FrozenClock
) -> None:
    meta = json.loads(json.dumps(SCHEMA_1_META))
    meta["engagements"]["1"]["contacts"] = "Anna, +36 30 555 0101"  # hand-edited
    meta["engagements"]["1"]["checklist"] = [{"text": 42}, "Servers", {"text": "Network"}]
    data_dir.mkdir()
    (data_dir / "sitedash.json").write_text(json.dumps(meta), encoding="utf-8")
    store = Store(data_dir, clock=clock)
    assert store.contacts("mes") == []
    assert [c.text for c in store.checks("mes")] == ["Network"]


# -- the records, stored per engagement --------------------------------------------------


def test_records_are_kept_per_engagement_and_sorted(store: Store) -> None:
    store.save_contact(Contact("Nagy Péter", "mes", role="IT", order=2))
    store.save_contact(Contact("Kovács Anna", "mes", role="PM", order=1))
    store.save_contact(Contact("Someone", "mes"))  # not in the escalation order: last
    assert [c.name for c in store.contacts("mes")] == ["Kovács Anna", "Nagy Péter", "Someone"]
    store.save_risk(Risk("small", "mes", likelihood=1, impact=1))
    store.save_risk(Risk("big", "mes", likelihood=3, impact=3))
    store.save_risk(Risk("middle", "mes", likelihood=3, impact=2))
    assert [(r.description, r.score) for r in store.risks("mes")] == [
        ("big", 9),
        ("middle", 6),
        ("small", 1),
    ]
    store.save_milestone(Milestone("later", "mes", due=TODAY + timedelta(30)))
    store.save_milestone(Milestone("undated", "mes"))
    store.save_milestone(Milestone("sooner", "mes", due=TODAY))
    assert [m.title for m in store.milestones("mes")] == ["sooner", "later", "undated"]
    assert (store.data_dir / "engagements" / "mes.json").exists()
    assert store.contacts("other") == [] and store.risks("other") == []


def test_a_new_engagement_starts_with_both_standard_checklists(store: Store) -> None:
    checks = store.checks("mes")
    lists = {c.checklist for c in checks}
    assert lists == {CheckList.ENVIRONMENT, CheckList.DEPLOYMENT}
    assert len(checks) == len(overview.standard_check_texts())
    assert all(c.state is CheckState.OPEN and c.template for c in checks)
    assert checks[0].checklist is CheckList.ENVIRONMENT, "the environment check comes first"
    assert overview.checks_summary(checks).startswith("Open checks: 17 of 17")


def test_a_bad_value_in_the_file_names_the_record_and_field(store: Store) -> None:
    store.save_risk(Risk("big", "mes", likelihood=3, impact=3))
    path = store.data_dir / "engagements" / "mes.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    doc_id = next(iter(data["risks"]))
    data["risks"][doc_id]["likelihood"] = 7
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(storage.StoreError, match=rf"risk {doc_id}: likelihood"):
        Store(store.data_dir).risks("mes")


# -- contacts: local time and working hours ----------------------------------------------

# 19:10 UTC on a Wednesday: 03:10 Thursday in Shanghai, 20:10 in Győr.
EVENING = datetime(2026, 11, 25, 19, 10, tzinfo=UTC)


def test_a_contact_is_shown_in_their_own_time() -> None:
    hq = Contact("Desk", "mes", role="HQ support", tz="Asia/Shanghai")
    assert overview.availability(hq, EVENING, "Europe/Budapest") == "HQ support · 03:10 · off hours"
    morning = EVENING + timedelta(hours=7)  # 10:10 in Shanghai
    assert overview.availability(hq, morning, "Europe/Budapest") == "HQ support · 10:10 · at work"
    site = Contact("Anna", "mes", role="PM", hours_from="08:00", hours_to="21:00")
    local = overview.local_time(site, EVENING, "Europe/Budapest")  # no zone: the site's
    assert (f"{local.now:%H:%M}", local.working) == ("20:10", True)


@pytest.mark.parametrize(
    ("hours", "every_day", "moment", "working"),
    [
        (("22:00", "06:00"), False, datetime(2026, 11, 27, 23, 0, tzinfo=UTC), True),  # Fri
        (("22:00", "06:00"), False, datetime(2026, 11, 28, 3, 0, tzinfo=UTC), True),  # Fri's
        (("22:00", "06:00"), False, datetime(2026, 11, 28, 23, 0, tzinfo=UTC), False),  # Sat
        (("22:00", "06:00"), False, datetime(2026, 11, 25, 12, 0, tzinfo=UTC), False),
        (("00:00", "00:00"), True, datetime(2026, 11, 29, 4, 0, tzinfo=UTC), True),  # Sun
        (("00:00", "00:00"), False, datetime(2026, 11, 29, 4, 0, tzinfo=UTC), False),
        (("09:00", "18:00"), False, datetime(2026, 11, 25, 18, 0, tzinfo=UTC), False),  # end
        (("09:00", "18:00"), False, datetime(2026, 11, 25, 9, 0, tzinfo=UTC), True),
        (("09:00", "18:00"), True, datetime(2026, 11, 28, 12, 0, tzinfo=UTC), True),  # Sat
    ],
)
def test_working_hours_overnight_around_the_clock_and_weekends(
    hours: tuple[str, str], every_day: bool, moment: datetime, working: bool
) -> None:
    contact = Contact(
        "x", "mes", tz="UTC", hours_from=hours[0], hours_to=hours[1], every_day=every_day
    )
    assert overview.local_time(contact, moment, "Europe/Budapest").working is working


# 07:00 UTC is 10:00 in Riyadh, where the working week is Sunday to Thursday.
SUNDAY, FRIDAY, SATURDAY = (
    datetime(2026, 11, 29, 7, 0, tzinfo=UTC),
    datetime(2026, 11, 27, 7, 0, tzinfo=UTC),
    datetime(2026, 11, 28, 7, 0, tzinfo=UTC),
)


@pytest.mark.parametrize(
    ("week", "hours", "moment", "working"),
    [
        (WorkWeek.SUN_THU, ("08:00", "16:00"), SUNDAY, True),
        (WorkWeek.SUN_THU, ("08:00", "16:00"), FRIDAY, False),
        (WorkWeek.MON_FRI, ("08:00", "16:00"), SUNDAY, False),
        (WorkWeek.MON_FRI, ("08:00", "16:00"), FRIDAY, True),
        (WorkWeek.SAT_THU, ("08:00", "16:00"), SATURDAY, True),
        (WorkWeek.SAT_THU, ("08:00", "16:00"), FRIDAY, False),
        (WorkWeek.MON_SAT, ("08:00", "16:00"), SATURDAY, True),
        (WorkWeek.MON_SAT, ("08:00", "16:00"), SUNDAY, False),
        # Thursday's night shift still runs at 03:00 on Friday; Friday's does not start.
        (WorkWeek.SUN_THU, ("22:00", "06:00"), datetime(2026, 11, 27, 0, 0, tzinfo=UTC), True),
        (WorkWeek.SUN_THU, ("22:00", "06:00"), datetime(2026, 11, 27, 20, 0, tzinfo=UTC), False),
    ],
)
def test_a_contact_works_on_the_days_of_their_week(
    week: WorkWeek, hours: tuple[str, str], moment: datetime, working: bool
) -> None:
    contact = Contact(
        "x", "mes", tz="Asia/Riyadh", hours_from=hours[0], hours_to=hours[1], week=week
    )
    assert overview.local_time(contact, moment, "Europe/Budapest").working is working
    # Every moment above is within the hours: every day, each one is at work.
    always = overview.with_days(contact, "every-day")
    assert overview.local_time(always, moment, "Europe/Budapest").working is True


def test_a_new_contact_starts_with_the_sites_office_week() -> None:
    assert overview.office_week(WorkWeek.MON_SAT) is WorkWeek.MON_FRI
    assert overview.office_week(WorkWeek.MON_FRI) is WorkWeek.MON_FRI
    assert overview.office_week(WorkWeek.SUN_THU) is WorkWeek.SUN_THU
    assert overview.office_week(WorkWeek.SAT_THU) is WorkWeek.SUN_THU


def test_the_days_are_chosen_shown_and_kept() -> None:
    riyadh = Contact("Faisal", "erp", hours_from="08:00", hours_to="16:00")
    assert riyadh.week is WorkWeek.MON_FRI, "a contact stored before the field: Mon–Fri"
    riyadh = overview.with_days(riyadh, "sun-thu")
    assert (riyadh.every_day, riyadh.week) == (False, WorkWeek.SUN_THU)
    assert overview.hours_label(riyadh) == "08:00–16:00 Sun–Thu"
    assert overview.days_choice(riyadh) == "sun-thu"
    always = overview.with_days(riyadh, "every-day")
    assert (always.every_day, always.week) == (True, WorkWeek.SUN_THU), "the week is kept"
    assert overview.hours_label(always) == "08:00–16:00 every day"
    assert overview.days_choice(always) == "every-day"
    assert overview.days_choice(overview.with_days(always, "sun-thu")) == "sun-thu"
    with language("zh"):
        assert overview.hours_label(riyadh) == "08:00–16:00 周日至周四"
    # Stored without the field (schema 2), a contact reads as Monday to Friday.
    doc = encode(riyadh)
    del doc["week"]
    assert decode(Contact, doc).week is WorkWeek.MON_FRI


def test_typed_hours_zones_and_places_are_checked() -> None:
    assert overview.parse_hours("9:00 - 18:30") == ("09:00", "18:30")
    assert overview.parse_hours("22:00–06:00") == ("22:00", "06:00")
    assert overview.parse_hours("24h") == overview.parse_hours("7×24") == ("00:00", "00:00")
    for bad in ("9 to 5", "25:00-26:00", "[bold]x[/bold]"):
        with pytest.raises(InputError, match=r"working hours|bad time"):
            overview.parse_hours(bad)
    assert overview.parse_zone(" Asia/Dubai ") == "Asia/Dubai" and overview.parse_zone("") == ""
    with pytest.raises(InputError, match="unknown time zone"):
        overview.parse_zone("Mars/Olympus")
    assert overview.parse_order("") == 0 and overview.parse_order("3") == 3
    with pytest.raises(InputError, match="escalation"):
        overview.parse_order("first")
    with pytest.raises(InputError, match="name or a role"):
        overview.check_contact(Contact(" ", "mes"))
    with pytest.raises(InputError, match="200"):
        overview.check_contact(Contact("x" * 201, "mes"))


def test_the_emergency_card_is_plain_text_in_escalation_order(store: Store) -> None:
    store.save_contact(
        Contact(
            "总部实施支持",
            "mes",
            role="HQ remote support",
            organisation="HQ",
            phone="+86 512 5555 0100",
            tz="Asia/Shanghai",
            order=2,
        )
    )
    store.save_contact(
        Contact(
            "Kovács Anna\x1b]0;pwned\x07",
            "mes",
            role="Customer PM",
            phone="+36 30 555 0101",
            email="anna@example.hu",
            order=1,
        )
    )
    engagement = store.engagement("mes")
    assert engagement is not None
    card = overview.emergency_card(engagement, store.contacts("mes"), EVENING)
    lines = card.splitlines()
    assert lines[0] == "Emergency contacts · MES roll-out"
    assert lines[2] == "site 20:10 Wed · HQ 03:10 Thu"
    assert lines[4] == "1. Customer PM — Kovács Anna"
    assert lines[5] == "   +36 30 555 0101 · anna@example.hu"
    assert lines[6].startswith("   20:10 Wed · off hours (09:00–18:00 Mon–Fri, Europe/Budapest)")
    assert lines[7] == "2. HQ remote support — 总部实施支持 (HQ)"
    assert "03:10 Thu · off hours" in lines[9]
    assert "\x1b" not in card and "\x07" not in card
    assert max(len(line) for line in lines) <= 70, "narrow enough for a phone"


# -- milestones: late and at risk -------------------------------------------------------


def items(*states: ItemStatus) -> dict[str, AcceptanceItem]:
    return {f"d{n}": AcceptanceItem(f"d{n}", "mes", s, id=f"d{n}") for n, s in enumerate(states)}


def test_late_and_at_risk_milestones() -> None:
    linked = items(ItemStatus.ACCEPTED, ItemStatus.DELIVERED)
    due = TODAY + timedelta(days=3)

    def standing(**changes: object) -> Standing:
        fields = {"due": due, "buffer_days": 5, "deliverables": ["d0", "d1"], **changes}
        return overview.standing(Milestone("m", "mes", **fields), linked, TODAY)  # type: ignore[arg-type]

    assert standing() is Standing.AT_RISK, "inside the buffer, d1 not accepted"
    assert standing(buffer_days=2) is Standing.ON_TRACK, "the buffer has not started"
    assert standing(deliverables=["d0"]) is Standing.ON_TRACK, "all accepted"
    assert standing(deliverables=[]) is Standing.AT_RISK, "nothing to accept: not done is enough"
    assert standing(deliverables=["gone"]) is Standing.AT_RISK, "a deleted deliverable"
    assert standing(due=TODAY - timedelta(days=1)) is Standing.LATE
    assert standing(due=TODAY, buffer_days=0) is Standing.AT_RISK, "due today"
    assert standing(due=TODAY - timedelta(days=1), status=MilestoneStatus.DONE) is Standing.DONE
    assert standing(due=None) is Standing.ON_TRACK


def test_risks_whose_trigger_date_has_come() -> None:
    risk = Risk("r", "mes", trigger=TODAY)
    assert overview.triggered(risk, TODAY) and not overview.triggered(risk, TODAY - timedelta(1))
    assert overview.triggered(Risk("r", "mes", trigger=TODAY, status=RiskStatus.MITIGATED), TODAY)
    assert not overview.triggered(Risk("r", "mes", trigger=TODAY, status=RiskStatus.CLOSED), TODAY)
    assert not overview.triggered(Risk("r", "mes"), TODAY)


def test_the_standup_raises_late_milestones_at_risk_ones_and_due_risks(store: Store) -> None:
    item = AcceptanceItem("UAT test report", "mes", ItemStatus.DELIVERED)
    store.save_acceptance_items([item])
    store.save_milestone(Milestone("Pilot run", "mes", owner="Anna", due=TODAY - timedelta(2)))
    store.save_milestone(
        Milestone("UAT", "mes", due=TODAY + timedelta(2), buffer_days=3, deliverables=[item.id])
    )
    store.save_milestone(Milestone("Go-live", "mes", due=TODAY + timedelta(40), buffer_days=5))
    store.save_risk(Risk("Scanner driver", "mes", likelihood=3, impact=3, trigger=TODAY))
    store.save_risk(Risk("Later", "mes", trigger=TODAY + timedelta(1)))
    problems = standup(store, "mes", TODAY).problems
    assert [(p.concern, p.text) for p in problems] == [
        (Concern.LATE, "Milestone late: Pilot run (due 2026-11-23) · Anna"),
        (
            Concern.AT_RISK,
            "Milestone at risk: UAT (due 2026-11-27) · deliverables not accepted: 1",
        ),
        (Concern.TRIGGERED, "Risk to look at (trigger 2026-11-25, score 9): Scanner driver"),
    ]
    later = standup(store, "mes", TODAY + timedelta(days=1)).problems
    assert [p.text for p in later if p.concern is Concern.TRIGGERED][1].endswith("Later")
    front = overview.overview(store, "mes", TODAY).front_matter()
    assert front == {
        "open_checks": len(overview.standard_check_texts()),
        "late_milestones": ["Pilot run · due 2026-11-23"],
        "at_risk_milestones": ["UAT · due 2026-11-27"],
        "open_risks": ["9 · Scanner driver", "4 · Later"],
    }


def test_ticking_a_check_dates_it_and_counts_it(store: Store) -> None:
    check = store.checks("mes")[0]
    overview.set_state(store, check, CheckState.OK, TODAY)
    stored = next(c for c in store.checks("mes") if c.id == check.id)
    assert (stored.state, stored.day) == (CheckState.OK, TODAY)
    assert len(overview.not_ok(store.checks("mes"))) == len(overview.standard_check_texts()) - 1
    with pytest.raises(InputError):
        overview.check_check(Check("  ", "mes"))
