"""Training rules: the coverage matrix, the roster, assessments, parsing the forms."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sitedash.models import Assessment, Attendance, MaterialKind, Tier, Trainee, TrainingSession
from sitedash.reports.training import coverage_markdown, sessions_markdown
from sitedash.services import training as svc
from sitedash.services.timeutil import InputError
from sitedash.storage import Store
from tests.conftest import TODAY


def session(
    topic: str,
    tier: Tier,
    modules: list[str],
    *people: tuple[str, Assessment | None],
    hands_on: bool = True,
    day=TODAY,
) -> TrainingSession:
    return TrainingSession(
        topic=topic,
        engagement="mes",
        day=day,
        tier=tier,
        modules=modules,
        hands_on=hands_on,
        attendees=[Attendance(name, result=result) for name, result in people],
    )


def test_no_sessions_no_roster_is_an_empty_matrix() -> None:
    cov = svc.coverage([], [])
    assert cov.modules == [] and cov.gaps == []
    assert coverage_markdown(cov) == "_None._"


def test_a_roster_without_sessions_shows_every_need_as_a_gap() -> None:
    people = [
        Trainee("Anna", "mes", Tier.OPERATOR, modules=["Production"]),
        Trainee("Péter", "mes", Tier.ADMIN, modules=["Production", "Quality"]),
    ]
    cov = svc.coverage([], people)
    assert cov.modules == ["Production", "Quality"]
    assert cov.cell("production", Tier.OPERATOR).to_train == ["Anna"]
    assert not cov.cell("Quality", Tier.OPERATOR).required
    assert set(cov.gaps) == {
        ("Production", Tier.OPERATOR),
        ("Production", Tier.ADMIN),
        ("Quality", Tier.ADMIN),
    }


def test_two_hands_on_sessions_close_the_gap_lecture_does_not() -> None:
    first = session(
        "Reporting work",
        Tier.OPERATOR,
        ["Production"],
        ("Anna", Assessment.AGAIN),
        ("Gábor", Assessment.PASSED),
    )
    lecture = session("Overview", Tier.OPERATOR, ["Production"], ("Anna", None), hands_on=False)
    people = svc.roster_from(sessions := [first, lecture], [])
    cov = svc.coverage(sessions, people)
    cell = cov.cell("Production", Tier.OPERATOR)
    assert (cell.sessions, cell.hands_on) == (2, 1)
    assert cell.gap
    assert cell.passed == ["Gábor"] and cell.to_train == ["Anna"]
    second = session("Reporting, again", Tier.OPERATOR, ["Production"], ("Anna", Assessment.PASSED))
    cov = svc.coverage([first, lecture, second], people)
    cell = cov.cell("Production", Tier.OPERATOR)
    assert not cell.gap and sorted(cell.passed) == ["Anna", "Gábor"] and cell.to_train == []


def test_a_module_trained_for_one_tier_only() -> None:
    admin = session("Permissions", Tier.ADMIN, ["Security"], ("Péter", Assessment.PASSED))
    cov = svc.coverage([admin], svc.roster_from([admin], []))
    assert cov.cell("Security", Tier.ADMIN).required
    assert not cov.cell("Security", Tier.OPERATOR).required
    assert not cov.cell("Security", Tier.DECISION).gap
    assert cov.gaps == [("Security", Tier.ADMIN)], "one session is not two"


def test_attending_twice_counts_once_and_names_match_loosely() -> None:
    once = session("A", Tier.OPERATOR, ["Production"], ("Anna  Kovács", Assessment.AGAIN))
    twice = session("B", Tier.OPERATOR, ["production"], ("anna kovács", Assessment.PASSED))
    people = svc.roster_from([once, twice], [])
    assert [p.name for p in people] == ["Anna  Kovács"]
    cov = svc.coverage([once, twice], people)
    assert cov.modules == ["Production"]
    assert cov.cell("Production", Tier.OPERATOR).passed == ["Anna  Kovács"]


def test_roster_joins_hand_kept_entries_and_attendees(store: Store) -> None:
    store.save_trainee(Trainee("Eszter", "mes", Tier.DECISION, role="IT manager"))
    svc.save_session(store, session("Ops", Tier.OPERATOR, ["Production"], ("Anna", None)))
    people = svc.roster(store, "mes")
    assert [(p.name, p.tier) for p in people] == [
        ("Anna", Tier.OPERATOR),
        ("Eszter", Tier.DECISION),
    ]


def test_an_attendee_taken_off_the_roster_stays_off(store: Store) -> None:
    svc.save_session(store, session("Ops", Tier.OPERATOR, ["Production"], ("Anna", None)))
    [anna] = svc.roster(store, "mes")
    assert anna.id == svc.roster(store, "mes")[0].id, "a stable id across reloads"
    svc.remove_from_roster(store, anna, store.training_sessions("mes"))
    assert svc.roster(store, "mes") == []
    assert [a.name for a in store.training_sessions("mes")[0].attendees] == ["Anna"]
    store.save_trainee(Trainee("anna", "mes", Tier.ADMIN))  # added again by hand
    assert [(p.name, p.tier) for p in svc.roster(store, "mes")] == [("anna", Tier.ADMIN)]
    eszter = Trainee("Eszter", "mes")
    store.save_trainee(eszter)
    svc.remove_from_roster(store, eszter, store.training_sessions("mes"))
    assert "Eszter" not in {p.name for p in store.roster("mes")}, "never attended: deleted"


def test_assessment_is_recorded_and_validated(store: Store) -> None:
    stored = session("Ops", Tier.OPERATOR, ["Production"], ("Anna", None))
    svc.save_session(store, stored)
    svc.assess(store, stored, "anna", Assessment.PASSED, 92, "works alone")
    [again] = store.training_sessions("mes")
    assert again.attendees[0].result is Assessment.PASSED
    assert (again.attendees[0].score, again.attendees[0].remark) == (92, "works alone")
    with pytest.raises(InputError, match="did not attend"):
        svc.assess(store, stored, "Nobody", Assessment.PASSED)
    with pytest.raises(InputError, match="between 0 and 100"):
        svc.assess(store, stored, "Anna", Assessment.PASSED, 140)
    # A key press keeps the score; the form's emptied field clears it.
    svc.assess(store, stored, "Anna", Assessment.AGAIN)
    assert store.training_sessions("mes")[0].attendees[0].score == 92
    svc.assess(store, stored, "Anna", Assessment.PASSED, None)
    assert store.training_sessions("mes")[0].attendees[0].score is None


def test_sessions_move_between_year_files(store: Store) -> None:
    stored = session("Ops", Tier.OPERATOR, ["Production"])
    svc.save_session(store, stored)
    old_day = stored.day
    stored.day = TODAY.replace(year=2027, month=1, day=4)
    svc.save_session(store, stored, old_day)
    assert [s.day.year for s in store.training_sessions("mes")] == [2027]
    assert sorted(p.name for p in (store.data_dir / "training").iterdir()) == [
        "2026.json",
        "2027.json",
    ]


def test_form_parsing() -> None:
    assert svc.parse_modules("Production, quality，Quality、 Warehouse ,") == [
        "Production",
        "quality",
        "Warehouse",
    ]
    attendees = svc.parse_attendees("Anna | operator | Line 2\n\nanna\nPéter | lead")
    assert [(a.name, a.role, a.department) for a in attendees] == [
        ("Anna", "operator", "Line 2"),
        ("Péter", "lead", ""),
    ]
    materials = svc.parse_materials("slides | Ops basics | /share/ops.pptx\nFAQ | Top 20 |")
    assert [(m.kind, m.name) for m in materials] == [
        (MaterialKind.SLIDES, "Ops basics"),
        (MaterialKind.FAQ, "Top 20"),
    ]
    with pytest.raises(InputError, match="unknown material"):
        svc.parse_materials("poster | x")


def test_training_in_progress_holds_reminders(store: Store) -> None:
    running = session("Ops", Tier.OPERATOR, ["Production"])
    running.start_time, running.duration_min = "09:00", 120
    svc.save_session(store, running)
    engagement = store.engagement("mes")
    # 08:30 UTC = 09:30 in Budapest: within 09:00-11:00.
    assert svc.in_progress(store, engagement, datetime(2026, 11, 25, 8, 30, tzinfo=UTC))
    assert not svc.in_progress(store, engagement, datetime(2026, 11, 25, 10, 0, tzinfo=UTC))
    assert not svc.in_progress(store, engagement, datetime(2026, 11, 26, 8, 30, tzinfo=UTC))


def test_markdown_tables() -> None:
    held = session(
        "Ops | basics",
        Tier.OPERATOR,
        ["Production"],
        ("Anna", Assessment.PASSED),
        ("Gábor", Assessment.AGAIN),
        day=TODAY - timedelta(days=1),
    )
    lines = sessions_markdown([held]).splitlines()
    assert lines[2] == "| Ops \\| basics | operators | Production | 2 | 1 | yes |"
    matrix = coverage_markdown(svc.coverage([held], svc.roster_from([held], [])))
    assert "| Production | 1/1 hands-on, 1 passed, 1 to train ⚠ gap | — | — |" in matrix
