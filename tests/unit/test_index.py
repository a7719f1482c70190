"""The index of the data files (storage/index.py): what it answers equals what reading
every file answers, it is rebuilt when missing, damaged or stale, writers keep it in
step, and read-only commands never write it (issue 23)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitedash import demo
from sitedash.demo import MES
from sitedash.models import (
    Assessment,
    Attendance,
    Issue,
    IssueStatus,
    PlanItem,
    StatusChange,
    Tier,
    Trainee,
    TrainingSession,
)
from sitedash.models.tally import Tally, person_key, tally_sessions
from sitedash.reports.daily import daily_report
from sitedash.reports.weekly import weekly_report
from sitedash.services import review, training
from sitedash.services import today as plan
from sitedash.storage import Store
from sitedash.storage.files import DataLock
from sitedash.storage.index import settled_at
from tests.conftest import FROZEN_NOW, TODAY, FrozenClock

DAYS = 500


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo data dir of DAYS days (written once; tests copy it)."""
    data = tmp_path_factory.mktemp("history") / "data"
    store = Store(data, clock=FrozenClock())
    demo.generate(store, today=TODAY, days=DAYS, now=FROZEN_NOW)
    return data


@pytest.fixture
def data(history: Path, tmp_path: Path) -> Path:
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(history, copy)
    Store(copy).refresh_index()  # a copy has new inodes: every entry is computed again
    return copy


def raw_docs(data: Path, folder: str, table: str) -> list[dict[str, object]]:
    """Every document of a table in every file of a folder, read without sitedash."""
    docs: list[dict[str, object]] = []
    for path in sorted((data / folder).glob("[0-9]*.json")):
        docs += json.loads(path.read_bytes()).get(table, {}).values()
    return docs


def unfinished_by_reading_everything(data: Path, before: date) -> tuple[set[str], set[str]]:
    """The carry-over candidates and the continued ids, as the scan of every month
    found them before the index."""
    docs = [d for d in raw_docs(data, "journal", "plan") if d["engagement"] == MES]
    continued = {str(d["carried_from"]) for d in docs if d.get("carried_from")}
    candidates = {
        str(d["id"])
        for d in docs
        if str(d["day"]) < before.isoformat()
        and d.get("status", "todo") in ("todo", "doing")
        and d["id"] not in continued
    }
    return candidates, continued


def test_the_carry_over_scan_finds_what_reading_every_month_finds(history: Path) -> None:
    store = Store(history, read_only=True)
    for before in (TODAY, TODAY - timedelta(days=40), TODAY - timedelta(days=300)):
        candidates, continued = plan.carry_over_state(store, MES, before)
        expected, expected_continued = unfinished_by_reading_everything(history, before)
        assert {i.id for i in candidates} == expected
        assert continued == expected_continued
        assert all(i.day < before for i in candidates)
    assert store._journal_index.computed == 0, "the demo's own writes built the index"


def test_the_scan_reads_only_months_with_something_to_offer(data: Path) -> None:
    months = sorted(p.name for p in (data / "journal").glob("*.json"))
    assert len(months) > 12
    store = Store(data, read_only=True)
    plan.carry_over_state(store, MES, TODAY)
    read = {p.name for p in store._storages if p.parent.name == "journal"}
    assert len(read) < len(months) / 4, read  # the rest is answered by the index


def test_issues_left_out_of_a_period_are_settled_before_it(history: Path) -> None:
    """What `issues_since` leaves out only counts as confirmed: the period's statistics
    are those of every issue, for periods old and new."""
    store = Store(history, read_only=True)
    everything = store.issues(MES)
    assert sum(i.status is IssueStatus.CONFIRMED for i in everything) > 20
    for days_back in (0, 6, 30, 200, DAYS + 10):
        start = FROZEN_NOW - timedelta(days=days_back)
        for end in (start + timedelta(days=1), start + timedelta(days=7)):
            needed, settled = store.issues_since(MES, start)
            assert len(needed) + settled == len(everything)
            left_out = {i.number for i in everything} - {i.number for i in needed}
            assert len(left_out) == settled
            for issue in everything:
                if issue.number in left_out:
                    assert review.status_at(issue, end) is IssueStatus.CONFIRMED
                    assert issue.created is None or issue.created < start
            assert review.issue_stats(needed, start, end, settled=settled) == (
                review.issue_stats(everything, start, end)
            )
    recent, settled = store.issues_since(MES, FROZEN_NOW - timedelta(days=1))
    assert settled > 0 and len(recent) < len(everything)


def test_the_boards_open_columns_come_from_the_index_alone(data: Path) -> None:
    store = Store(data, read_only=True)
    open_statuses = [s for s in IssueStatus if s is not IssueStatus.CONFIRMED]
    docs = store.issue_docs(MES, open_statuses)
    assert not [p for p in store._storages if p.parent.name == "issues"], "no issue file read"
    expected = [
        d
        for d in raw_docs(data, "issues", "issues")
        if d["engagement"] == MES and d.get("status") != "confirmed"
    ]
    assert [d["number"] for d in docs] == [d["number"] for d in expected]
    assert [dict(d) for d in docs] == expected


def test_reports_are_the_same_with_the_index_missing_damaged_or_stale(data: Path) -> None:
    engagement = Store(data).engagement(MES)
    assert engagement is not None
    days = (TODAY, TODAY - timedelta(days=9), TODAY - timedelta(days=120))

    def reports() -> list[str]:
        store = Store(data, read_only=True)
        out = []
        for day in days:
            for render in (daily_report, weekly_report):
                out.append(render(store, engagement, day, engineer="E", now=FROZEN_NOW))
        return out

    with_index = reports()
    index = data / "index"
    saved = {p.name: p.read_bytes() for p in index.iterdir()}
    for name in saved:
        (index / name).write_bytes(b'{"version": 1, "files": {"x": [')  # torn
    assert reports() == with_index
    for name, raw in saved.items():  # another version's index
        (index / name).write_bytes(raw.replace(b'"version":1', b'"version":99'))
    assert reports() == with_index
    for path in index.iterdir():
        path.unlink()
    assert reports() == with_index
    assert not list(index.iterdir()), "read-only reports wrote no index"


def test_a_hand_edited_month_is_seen_although_the_index_says_otherwise(data: Path) -> None:
    store = Store(data)
    store.refresh_index()
    month = TODAY - timedelta(days=200)
    path = data / "journal" / f"{month:%Y-%m}.json"
    doc = json.loads(path.read_bytes())
    done = next(
        (k, v)
        for k, v in doc["plan"].items()
        if v["status"] == "done" and v["engagement"] == MES and not v.get("carried_from")
    )
    doc["plan"][done[0]]["status"] = "todo"  # reopened by hand in an editor
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    candidates = plan.carry_over_candidates(Store(data, read_only=True), MES, TODAY)
    assert done[1]["id"] in {i.id for i in candidates}


def test_writes_keep_the_index_in_step_and_a_missing_one_is_rebuilt(data: Path) -> None:
    index = data / "index"
    for path in index.iterdir():
        path.unlink()
    index.rmdir()
    store = Store(data, clock=FrozenClock())
    plan.carry_over_state(store, MES, TODAY)  # a dashboard's read writes what it computed
    assert (index / "journal.json").exists()
    assert store._journal_index.computed > 12
    old = TODAY - timedelta(days=100)
    store.add_plan_items([PlanItem(title="Forgotten", day=old, engagement=MES)])
    fresh = Store(data, read_only=True)
    candidates, _ = plan.carry_over_state(fresh, MES, TODAY)
    assert "Forgotten" in {i.title for i in candidates}
    assert fresh._journal_index.computed == 0, "the write refreshed its month's entry"
    store.issue_docs(MES, [IssueStatus.NEW])  # the board's read rebuilds the issue index
    issue = Issue(title="Scanner", engagement=MES)
    store.add_issues([issue])
    fresh = Store(data, read_only=True)
    assert issue.number in {d["number"] for d in fresh.issue_docs(MES, [IssueStatus.NEW])}
    assert fresh._issue_index.computed == 0


def test_a_reopened_issue_is_back_in_every_period(data: Path) -> None:
    store = Store(data, clock=FrozenClock())
    old = next(
        i
        for i in store.issues(MES)
        if i.status is IssueStatus.CONFIRMED
        and i.updated
        and i.updated < FROZEN_NOW - timedelta(days=90)
    )
    since = FROZEN_NOW - timedelta(days=2)
    assert old.number not in {i.number for i in store.issues_since(MES, since)[0]}
    old.history.append(StatusChange(IssueStatus.CONFIRMED, IssueStatus.IN_PROGRESS, FROZEN_NOW))
    old.status = IssueStatus.IN_PROGRESS
    store.save_issue(old)
    needed, _ = Store(data, read_only=True).issues_since(MES, since)
    assert old.number in {i.number for i in needed}


def test_inside_a_transaction_the_scan_sees_what_it_wrote(data: Path) -> None:
    store = Store(data, clock=FrozenClock())
    yesterday = TODAY - timedelta(days=1)
    with store.transaction():
        store.add_plan_items([PlanItem(title="Pending", day=yesterday, engagement=MES)])
        titles = {i.title for i in plan.carry_over_candidates(store, MES, TODAY)}
        assert "Pending" in titles


def test_the_index_is_not_written_while_another_process_holds_the_lock(data: Path) -> None:
    for path in (data / "index").iterdir():
        path.unlink()
    other = DataLock(data / ".lock")  # its own open file: flock sees another holder
    with other.held():
        store = Store(data, read_only=False, clock=FrozenClock())
        candidates, _ = plan.carry_over_state(store, MES, TODAY)
        assert not (data / "index" / "journal.json").exists(), "did not wait, did not write"
    expected, _ = unfinished_by_reading_everything(data, TODAY)
    assert {i.id for i in candidates} == expected


def test_settled_means_confirmed_for_good() -> None:
    at = "2026-01-05T10:00:00Z"
    confirmed = {"status": "confirmed", "created": at, "history": [{"to": "confirmed", "at": at}]}
    assert settled_at(confirmed) == datetime(2026, 1, 5, 10, tzinfo=UTC).timestamp()
    assert settled_at({**confirmed, "status": "resolved"}) is None
    reopened = {**confirmed, "history": [{"to": "confirmed", "at": at}, {"to": "new", "at": at}]}
    assert settled_at(reopened) is None
    assert settled_at({**confirmed, "updated": "not a time"}) is None
    later = {**confirmed, "updated": "2026-03-01T00:00:00+08:00"}
    assert settled_at(later) == datetime(2026, 2, 29 - 1, 16, tzinfo=UTC).timestamp()


# -- the training tally: coverage and roster as from every session --------------------


def reference_coverage(
    sessions: Sequence[TrainingSession], people: Sequence[Trainee]
) -> dict[str, object]:
    """The coverage matrix as computed from the sessions before the tally (the rule,
    restated independently), as plain values."""
    spellings: dict[str, Counter[str]] = {}
    for module in [m for s in sessions for m in s.modules] + [m for p in people for m in p.modules]:
        spellings.setdefault(module.casefold(), Counter())[module] += 1
    names = {k: min(c, key=lambda n: (-c[n], n)) for k, c in spellings.items()}
    keys = [(m, tier) for m in names for tier in Tier]
    held: Counter[tuple[str, Tier]] = Counter()
    hands_on: Counter[tuple[str, Tier]] = Counter()
    passed_by: dict[tuple[str, Tier], list[str]] = {k: [] for k in keys}
    to_train: dict[tuple[str, Tier], list[str]] = {k: [] for k in keys}
    for session in sessions:
        for module in {m.casefold() for m in session.modules}:
            held[(module, session.tier)] += 1
            hands_on[(module, session.tier)] += session.hands_on
    passed: dict[str, set[str]] = {}
    for session in sessions:
        for a in session.attendees:
            if a.result is Assessment.PASSED:
                passed.setdefault(person_key(a.name), set()).update(
                    m.casefold() for m in session.modules
                )
    for person in people:
        for module in {m.casefold() for m in person.modules} or set(names):
            done = module in passed.get(person_key(person.name), set())
            (passed_by if done else to_train)[(module, person.tier)].append(person.name)
    return {
        "modules": sorted(names.values(), key=str.casefold),
        "cells": {
            k: (held[k], hands_on[k], sorted(passed_by[k]), sorted(to_train[k])) for k in keys
        },
    }


def plain(coverage: training.Coverage) -> dict[str, object]:
    return {
        "modules": coverage.modules,
        "cells": {
            k: (c.sessions, c.hands_on, sorted(c.passed), sorted(c.to_train))
            for k, c in coverage.cells.items()
        },
    }


def test_the_weekly_coverage_from_the_tally_is_that_of_every_session(history: Path) -> None:
    store = Store(history, read_only=True)
    sessions = store.training_sessions(MES)
    assert len({s.day.year for s in sessions}) >= 2
    people = training.roster(store, MES, sessions)
    tally = store.training_tally(MES)
    assert training.roster_from_tally(tally, store.roster(MES), MES) == people
    assert plain(training.coverage_from(tally, people)) == reference_coverage(sessions, people)


names = st.sampled_from(["Anna Kovács", "anna  kovács", "Péter", "王磊", "Zoe"])
modules = st.lists(st.sampled_from(["Production", "production", "Quality", "报表"]), max_size=3)


@st.composite
def sessions_strategy(draw: st.DrawFn) -> list[TrainingSession]:
    count = draw(st.integers(0, 12))
    found = []
    for n in range(count):
        attendees = [
            Attendance(name, result=draw(st.sampled_from([None, *Assessment])))
            for name in draw(st.lists(names, max_size=3))
        ]
        found.append(
            TrainingSession(
                topic=f"T{n}",
                engagement=MES,
                day=date(2025, 12, 30) + timedelta(days=draw(st.integers(0, 4))),
                tier=draw(st.sampled_from(list(Tier))),
                modules=draw(modules),
                start_time=draw(st.sampled_from(["", "09:00", "14:00"])),
                hands_on=draw(st.booleans()),
                attendees=attendees,
                created=FROZEN_NOW + timedelta(minutes=draw(st.integers(0, 3))),
            )
        )
    return found


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sessions=sessions_strategy(), kept=st.lists(names, max_size=2, unique=True))
def test_tallies_of_years_add_up_to_the_tally_of_all(
    sessions: list[TrainingSession], kept: list[str]
) -> None:
    """Split by year (as the files are) and added, the tallies give the roster and the
    matrix that every session gives, whatever the order, ties and spellings."""
    from sitedash.models import encode

    ordered = sorted(sessions, key=lambda s: (s.day, s.start_time, s.created), reverse=True)
    roster = [Trainee(name, MES, modules=["Quality"] if n else []) for n, name in enumerate(kept)]
    people = training.roster_from(ordered, roster)
    total = Tally()
    for year in sorted({s.day.year for s in sessions}):
        total.add(tally_sessions(encode(s) for s in sessions if s.day.year == year))
    assert training.roster_from_tally(total, roster, MES) == people
    assert plain(training.coverage_from(total, people)) == reference_coverage(sessions, people)
    assert plain(training.coverage(sessions, people)) == reference_coverage(sessions, people)


def test_the_confirmed_column_reads_only_the_files_of_the_cards_drawn(
    tmp_path: Path,
) -> None:
    from sitedash.models import Severity
    from sitedash.services.issues import IssueFilter, board
    from sitedash.storage import ISSUE_BUCKET

    severities = [Severity.P1, Severity.P3]
    writer = Store(tmp_path / "data", clock=FrozenClock())
    writer.add_issues(
        [
            Issue(
                f"issue {n}",
                MES,
                severity=severities[n % 2],
                module="Quality" if n % 3 else "Production",
                status=IssueStatus.CONFIRMED if n % 4 else IssueStatus.NEW,
                symptom="the scanner freezes" if n % 5 == 0 else "",
            )
            for n in range(3 * ISSUE_BUCKET)
        ]
    )
    everything = writer.issues(MES)
    store = Store(tmp_path / "data", read_only=True)
    flt = IssueFilter(show_confirmed=True)
    confirmed = board(store, MES, flt)[IssueStatus.CONFIRMED]
    expected = sorted(
        (i.number for i in everything if i.status is IssueStatus.CONFIRMED), reverse=True
    )
    assert confirmed.total == len(expected)
    assert [i.number for i in confirmed[:40]] == expected[:40], "newest first"
    assert confirmed[5].title == f"issue {expected[5] - 1}"
    read = {p.name for p in store._storages if p.parent.name == "issues"}
    assert (
        read
        == {f"{n // ISSUE_BUCKET:04d}.json" for n in expected[:40]}
        != {f"{n // ISSUE_BUCKET:04d}.json" for n in expected}
    ), "the files of the cards built, not every file"
    assert confirmed.position(expected[100]) == 100
    flt.severities, flt.module = {Severity.P1}, "qual"
    narrowed = board(store, MES, flt)[IssueStatus.CONFIRMED]
    assert list(narrowed) == [
        i
        for i in sorted(everything, key=lambda i: -i.number)
        if i.status is IssueStatus.CONFIRMED and i.severity is Severity.P1 and i.module == "Quality"
    ]
    flt.text = "SCANNER"  # words need every issue's text: read from the files
    searched = board(store, MES, flt)[IssueStatus.CONFIRMED]
    assert list(searched) == [i for i in narrowed if "scanner" in i.symptom] != []


def test_all_feedback_comes_from_the_index_and_equals_every_month(data: Path) -> None:
    store = Store(data, read_only=True)
    found = store.all_feedback(MES)
    expected = sorted(
        (d for d in raw_docs(data, "journal", "feedback") if d["engagement"] == MES),
        key=lambda d: str(d["day"]),
    )
    assert len(found) > 20
    assert [(f.id, f.text, f.day.isoformat()) for f in found] == [
        (d["id"], d["text"], d["day"]) for d in expected
    ]
    assert not [p for p in store._storages if p.parent.name == "journal"], "no month file read"
