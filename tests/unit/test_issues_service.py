"""Issue rules: numbering never reused, moves kept in history, confirmation, filters."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from sitedash.models import Confirmation, ConfirmMethod, Issue, IssueStatus, Severity
from sitedash.services import issues as svc
from sitedash.services.timeutil import InputError
from sitedash.storage import ISSUE_BUCKET, Store
from tests.conftest import FROZEN_NOW, TODAY, FrozenClock


def new(store: Store, title: str = "Scanner freezes", **fields) -> Issue:
    return svc.create_issue(store, Issue(title=title, engagement="mes", **fields))


def confirmation(by: str = "Kovács Anna") -> Confirmation:
    return Confirmation(by=by, method=ConfirmMethod.EMAIL, at=FROZEN_NOW, reference="RE: fix")


def test_ids_are_sequential_and_never_reused(store: Store) -> None:
    first, second = new(store), new(store)
    assert (first.key, second.key) == ("ISS-1", "ISS-2")
    store.delete_issue(2)
    assert new(store).key == "ISS-3"
    assert store.issue(2) is None
    assert [i.key for i in store.issues()] == ["ISS-1", "ISS-3"]


def test_numbers_cross_bucket_files(store: Store) -> None:
    store.add_issues([Issue(title=f"#{n}", engagement="mes") for n in range(ISSUE_BUCKET + 5)])
    assert len(list((store.data_dir / "issues").glob("*.json"))) == 2
    last = store.issue(ISSUE_BUCKET + 5)
    assert last is not None and last.title == f"#{ISSUE_BUCKET + 4}"


def test_moves_are_recorded_with_their_time(store: Store, clock: FrozenClock) -> None:
    issue = new(store)
    clock.now += timedelta(hours=1)
    svc.move(store, issue, IssueStatus.IN_PROGRESS)
    clock.now += timedelta(hours=2)
    svc.move(store, issue, IssueStatus.RESOLVED, note="patched the driver")
    stored = store.issue(issue.number)
    assert stored.status is IssueStatus.RESOLVED
    assert [(h.from_status, h.to_status, h.at - FROZEN_NOW, h.note) for h in stored.history] == [
        (None, IssueStatus.NEW, timedelta(0), ""),
        (IssueStatus.NEW, IssueStatus.IN_PROGRESS, timedelta(hours=1), ""),
        (IssueStatus.IN_PROGRESS, IssueStatus.RESOLVED, timedelta(hours=3), "patched the driver"),
    ]


def test_confirming_needs_who_and_reopening_keeps_the_record(store: Store) -> None:
    issue = new(store)
    svc.move(store, issue, IssueStatus.RESOLVED)
    with pytest.raises(InputError, match="who confirmed"):
        svc.move(store, issue, IssueStatus.CONFIRMED)
    with pytest.raises(InputError, match="who confirmed"):
        svc.move(store, issue, IssueStatus.CONFIRMED, confirmation=confirmation(by=" "))
    svc.move(store, issue, IssueStatus.CONFIRMED, confirmation=confirmation())
    stored = store.issue(issue.number)
    assert stored.confirmation.by == "Kovács Anna" and stored.confirmation.reference == "RE: fix"
    reopened = svc.move(store, stored, IssueStatus.IN_PROGRESS, note="came back on line 3")
    assert reopened.confirmation is None
    assert reopened.history[-1].to_status is IssueStatus.IN_PROGRESS
    assert "Kovács Anna" in reopened.history[-1].note
    assert "came back on line 3" in reopened.history[-1].note
    assert len(reopened.history) == 4


def test_editing_never_rewinds_a_move_made_meanwhile(store: Store) -> None:
    issue = new(store)
    stale_copy = store.issue(issue.number)
    svc.move(store, issue, IssueStatus.IN_PROGRESS)
    stale_copy.cause = "firmware 1.2 leaks memory"
    svc.update_issue(store, stale_copy)
    stored = store.issue(issue.number)
    assert stored.status is IssueStatus.IN_PROGRESS and len(stored.history) == 2
    assert stored.cause == "firmware 1.2 leaks memory"


def test_recurrence_must_point_to_an_existing_issue(store: Store) -> None:
    first = new(store)
    second = new(store, "Scanner freezes again", recurs_from=first.number)
    assert svc.recurring(store.issues()) == [store.issue(second.number)]
    with pytest.raises(InputError, match="ISS-99 does not exist"):
        new(store, "x", recurs_from=99)


def test_escalation_flag_note_and_time(store: Store, clock: FrozenClock) -> None:
    issue = new(store)
    clock.now += timedelta(minutes=5)
    escalated = svc.set_escalation(store, issue, True, "PLC interface expert, 2 h remote")
    assert escalated.escalated and escalated.escalated_at == clock.now
    assert escalated.escalation_note == "PLC interface expert, 2 h remote"
    clock.now += timedelta(hours=2)
    withdrawn = svc.set_escalation(store, issue, False)
    assert not withdrawn.escalated and withdrawn.escalated_at is None
    events = [(h.from_status, h.to_status, h.at, h.note) for h in withdrawn.history[1:]]
    assert events == [
        (
            IssueStatus.NEW,
            IssueStatus.NEW,
            clock.now - timedelta(hours=2),
            "escalated to HQ / remote experts: PLC interface expert, 2 h remote",
        ),
        (IssueStatus.NEW, IssueStatus.NEW, clock.now, "escalation withdrawn"),
    ], "both kept in the history, with their times"
    assert not any(h.is_move for h in withdrawn.history[1:])
    # An edit that does not touch the flag keeps the escalation time as it was.
    again = svc.set_escalation(store, withdrawn, True)
    again.title = "Scanner freezes (line 2)"
    svc.update_issue(store, again)
    assert store.issue(again.number).escalated_at == clock.now
    assert len(store.issue(again.number).history) == 4


@pytest.mark.parametrize(("text", "expected"), [("ISS-42", 42), ("iss42", 42), (" 7 ", 7)])
def test_issue_keys(text: str, expected: int) -> None:
    assert svc.parse_issue_key(text) == expected


@pytest.mark.parametrize("text", ["ISS-", "42a", "ISS-0", ""])
def test_bad_issue_keys(text: str) -> None:
    with pytest.raises(InputError):
        svc.parse_issue_key(text)


def titles(column: svc.Column) -> list[str]:
    return [i.title for i in column]


def test_board_filters_and_orders(store: Store) -> None:
    new(store, "Login fails", severity=Severity.P3, module="Auth")
    new(store, "Line stops", severity=Severity.P1, module="Production", symptom="PLC timeout")
    done = new(store, "Old report bug", severity=Severity.P2)
    svc.move(store, done, IssueStatus.RESOLVED)
    svc.move(store, done, IssueStatus.CONFIRMED, confirmation=confirmation())
    columns = svc.board(store, "mes", svc.IssueFilter())
    assert IssueStatus.CONFIRMED not in columns
    assert titles(columns[IssueStatus.NEW]) == ["Line stops", "Login fails"]
    shown = svc.board(store, "mes", svc.IssueFilter(show_confirmed=True))
    assert titles(shown[IssueStatus.CONFIRMED]) == ["Old report bug"]
    by_text = svc.board(store, "mes", svc.IssueFilter(text="plc"))
    assert titles(by_text[IssueStatus.NEW]) == ["Line stops"]
    by_key = svc.board(store, "mes", svc.IssueFilter(text="iss-1"))
    assert titles(by_key[IssueStatus.NEW]) == ["Login fails"]
    by_module = svc.board(store, "mes", svc.IssueFilter(module="auth"))
    assert titles(by_module[IssueStatus.NEW]) == ["Login fails"]
    by_severity = svc.board(store, "mes", svc.IssueFilter(severities={Severity.P3}))
    assert titles(by_severity[IssueStatus.NEW]) == ["Login fails"]
    assert titles(svc.board(store, "other", svc.IssueFilter())[IssueStatus.NEW]) == []


def test_the_board_builds_only_the_cards_it_shows(store: Store) -> None:
    store.add_issues([Issue(f"#{n}", "mes", status=IssueStatus.CONFIRMED) for n in range(30)])
    column = svc.board(store, "mes", svc.IssueFilter(show_confirmed=True))[IssueStatus.CONFIRMED]
    assert column.total == 30 and not column._built
    assert [i.number for i in column[:3]] == [30, 29, 28], "newest first"
    assert sorted(column._built) == [0, 1, 2], "only the cards asked for are built"
    assert column.position(1) == 29 and column.by_number(1).title == "#0"
    assert column.by_number(99) is None


def test_changes_count_on_the_site_calendar(store: Store, clock: FrozenClock) -> None:
    # 23:30 UTC on the 25th is 00:30 on the 26th in Budapest: with days starting at
    # midnight the move belongs to the 26th there.
    clock.now = FROZEN_NOW.replace(hour=23, minute=30)
    issue = new(store)
    budapest = ZoneInfo("Europe/Budapest")
    assert svc.changed_on(issue, IssueStatus.NEW, TODAY + timedelta(days=1), budapest, "00:00")
    assert svc.changed_on(issue, IssueStatus.NEW, TODAY, budapest, "04:00")


def test_check_issue_bounds_fields(store: Store) -> None:
    with pytest.raises(InputError, match="empty"):
        new(store, "  ")
    with pytest.raises(InputError, match="longer than"):
        new(store, "x", module="m" * 500)
    assert store.issues() == []
