"""Weekly review and retrospective figures on small, hand-made data."""

from __future__ import annotations

from datetime import timedelta

from sitedash.i18n import language
from sitedash.models import (
    Assessment,
    Attendance,
    Confirmation,
    ConfirmMethod,
    Feedback,
    FeedbackCategory,
    Issue,
    IssueStatus,
    PlanStatus,
    Retro,
    TrainingSession,
)
from sitedash.reports.retro import retro_report
from sitedash.reports.weekly import weekly_report
from sitedash.services import issues as issue_service
from sitedash.services import today as plan
from sitedash.services.review import plan_stats
from sitedash.storage import Store
from tests.conftest import FROZEN_NOW, TODAY, FrozenClock
from tests.unit.test_daily_report import front_matter, section

MONDAY = TODAY - timedelta(days=TODAY.weekday())


def weekly(store: Store) -> str:
    return weekly_report(store, store.engagement("mes"), TODAY, engineer="Li", now=FROZEN_NOW)


def test_delivery_counts_carried_items_once(store: Store) -> None:
    late = plan.add_item(store, "mes", MONDAY, "Migrate batch 2")
    on_time = plan.add_item(store, "mes", MONDAY, "Install client")
    plan.set_status(store, on_time, PlanStatus.DONE)
    [copy] = plan.carry_over(store, [late], MONDAY + timedelta(days=1))
    plan.set_status(store, copy, PlanStatus.DONE)
    stats = plan_stats(
        store.plan_items_between(MONDAY, TODAY, "mes"),
        plan.carry_over_state(store, "mes", TODAY)[1],
    )
    assert (stats.planned, stats.done, stats.on_time, stats.carried) == (2, 2, 1, 1)
    report = weekly(store)
    assert "- 2 of 2 plan items done, 50% on the day planned" in section(report, "Highlights")
    rows = section(report, "Plan and delivery").splitlines()
    assert rows[2] == "| Mon 2026-11-23 | 2 | 1 | 1 | 0 |"
    assert rows[3] == "| Tue 2026-11-24 | 1 | 1 | 0 | 0 |"


def test_issue_times_and_recurrence(store: Store, clock: FrozenClock) -> None:
    clock.now = FROZEN_NOW - timedelta(days=2)
    first = issue_service.create_issue(store, Issue("Scanner", "mes"))
    clock.now += timedelta(days=1)
    issue_service.move(store, first, IssueStatus.RESOLVED)
    clock.now += timedelta(days=1)
    issue_service.move(
        store,
        first,
        IssueStatus.CONFIRMED,
        confirmation=Confirmation("Anna", ConfirmMethod.EMAIL, clock.now),
    )
    again = issue_service.create_issue(
        store, Issue("Scanner again", "mes", recurs_from=first.number)
    )
    report = weekly(store)
    rows = section(report, "Issues").splitlines()
    assert rows[2] == "| 2 | 1 | 1 | 1.0 days | 2.0 days |"
    assert f"| {again.key} | Scanner again | ISS-1 | New |" in section(report, "Recurring issues")


def test_feedback_by_category_and_satisfaction(store: Store) -> None:
    store.save_feedback(Feedback("Fast | clear", "mes", TODAY, FeedbackCategory.SERVICE, "Anna", 5))
    store.save_feedback(
        Feedback("Too many clicks", "mes", MONDAY, FeedbackCategory.PROCESS, satisfaction=3)
    )
    store.save_feedback(Feedback("Last week", "mes", MONDAY - timedelta(days=1)))
    report = weekly(store)
    assert section(report, "service (1)") == "- 2026-11-25 Anna: Fast \\| clear"
    assert section(report, "process (1)") == "- 2026-11-23 Too many clicks"
    assert section(report, "technical (0)") == "_None._"
    assert section(report, "Customer satisfaction") == "4.0 of 5 from 2 scores"
    assert front_matter(report)["feedback"] == "2"


def test_retro_has_the_engineers_words_and_the_facts(store: Store) -> None:
    store.save_retro(Retro("mes", goals="Go live | line 2", lessons="Book rooms early"))
    done = plan.add_item(store, "mes", TODAY, "Go-live")
    plan.set_status(store, done, PlanStatus.DONE)
    report = retro_report(store, store.engagement("mes"), TODAY, engineer="Li", now=FROZEN_NOW)
    fields = front_matter(report)
    assert fields["kind"] == '"retro"' and fields["period_start"] == "2026-09-01"
    assert section(report, "Goals") == "Go live \\| line 2"
    assert section(report, "Lessons learnt") == "Book rooms early"
    assert section(report, "Success factors") == "_None._"
    figures = section(report, "In figures")
    assert "86 days on site" in figures and "1 of 1 plan item done" in figures
    assert "0/9 deliverables accepted" in figures


def test_training_figures_count_who_came_and_agree_with_one(store: Store) -> None:
    """One attendee who came and one marked absent: "1 attendance", not "2 attendances";
    one person on the roster is "1 person", in the weekly review and the retrospective."""
    store.save_training_session(
        TrainingSession(
            "Reporting work",
            "mes",
            TODAY,
            attendees=[Attendance("Anna", result=Assessment.PASSED)],
        )
    )
    report = weekly(store)
    assert "- 1 training session, 1 attendance" in section(report, "Highlights").splitlines()
    assert front_matter(report)["trained_people"] == "1"
    retro = retro_report(store, store.engagement("mes"), TODAY, engineer="Li", now=FROZEN_NOW)
    assert "- 1 training session for 1 person" in section(retro, "In figures").splitlines()
    store.save_training_session(
        TrainingSession(
            "Reporting work, again",
            "mes",
            TODAY,
            attendees=[
                Attendance("Anna", result=Assessment.PASSED),
                Attendance("Béla", result=Assessment.ABSENT),
            ],
        )
    )
    report = weekly(store)
    assert "- 2 training sessions, 2 attendances" in section(report, "Highlights").splitlines()
    assert front_matter(report)["trained_people"] == "2"
    with language("zh"):
        assert "- 培训 2 场,参训 2 人次" in section(weekly(store), "亮点").splitlines()
