"""Two terminals on one data dir never silently revert each other.

For every kind of record the engineer edits: terminal A reads it, terminal B changes one
field and saves, A changes another field and saves: both changes are stored. When both
change the same field, B's value stays stored (it was there first), A's is kept as a
draft and A is told in one line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from sitedash.errors import EditConflict, StoreError
from sitedash.models import (
    AcceptanceItem,
    Attendance,
    ChangeRequest,
    DayHealth,
    DayNote,
    Feedback,
    Issue,
    PlanItem,
    PlanStatus,
    Retro,
    SessionKind,
    Trainee,
    TrainingSession,
    WorkSession,
)
from sitedash.models.codec import replace
from sitedash.storage import Store
from tests.conftest import TODAY, FrozenClock


@dataclass
class Kind:
    """How to create, read back and save one kind of record, and two fields to edit."""

    create: Callable[[Store], Any]
    read: Callable[[Store, Any], Any]
    save: Callable[[Store, Any], None]
    first: tuple[str, Any, Any]
    """A field and the values terminal A and terminal B give it."""
    second: tuple[str, Any]
    """Another field and the value terminal A gives it."""


def _one(items: list[Any], record: Any) -> Any:
    return next(i for i in items if i.id == record.id)


def _plan(store: Store) -> PlanItem:
    item = PlanItem("Install client", TODAY, "mes")
    store.add_plan_items([item])
    return item


def _issue(store: Store) -> Issue:
    issue = Issue("Scanner freezes", "mes")
    store.add_issues([issue])
    return issue


def _training(store: Store) -> TrainingSession:
    session = TrainingSession("Reporting work", "mes", TODAY, attendees=[Attendance("Anna")])
    store.save_training_session(session)
    return session


def _session(store: Store) -> WorkSession:
    session = WorkSession(SessionKind.WORK, datetime(2026, 11, 25, 7, tzinfo=UTC), TODAY, "mes")
    store.save_session(session)
    return session


def _saved(store: Store, record: Any, save: Callable[[Store, Any], None]) -> Any:
    save(store, record)
    return record


KINDS = {
    "plan item": Kind(
        _plan,
        lambda s, r: _one(s.plan_items(TODAY, "mes"), r),
        lambda s, r: s.update_plan_items([r]),
        ("title", "Install client on line 3", "Install client (line 2)"),
        ("status", PlanStatus.DONE),
    ),
    "issue": Kind(
        _issue,
        lambda s, r: s.issue(r.number),
        lambda s, r: s.save_issue(r),
        ("cause", "driver too old", "USB hub power"),
        ("solution", "update the driver"),
    ),
    "training and attendance": Kind(
        _training,
        lambda s, r: _one(s.training_sessions("mes"), r),
        lambda s, r: s.save_training_session(r),
        ("trainer", "Li Wei", "Wang Lei"),
        ("attendees", [Attendance("Anna", result=None, remark="needs practice")]),
    ),
    "trainee": Kind(
        lambda s: _saved(s, Trainee("Anna", "mes"), lambda st, r: st.save_trainee(r)),
        lambda s, r: _one(s.roster("mes"), r),
        lambda s, r: s.save_trainee(r),
        ("role", "operator", "shift lead"),
        ("department", "Line 2"),
    ),
    "deliverable": Kind(
        lambda s: _saved(
            s, AcceptanceItem("User manual", "mes"), lambda st, r: st.save_acceptance_items([r])
        ),
        lambda s, r: _one(s.acceptance_items("mes"), r),
        lambda s, r: s.save_acceptance_items([r]),
        ("evidence", "DOC-12", "mail of 3 Dec"),
        ("note", "operators' edition"),
    ),
    "change request": Kind(
        lambda s: _saved(
            s, ChangeRequest("Extra report", "mes"), lambda st, r: st.save_change_request(r)
        ),
        lambda s, r: _one(s.change_requests("mes"), r),
        lambda s, r: s.save_change_request(r),
        ("scope", "one report", "two reports"),
        ("cost", "2 days"),
    ),
    "feedback": Kind(
        lambda s: _saved(s, Feedback("Scanning is fast", "mes", TODAY), Store.save_feedback),
        lambda s, r: _one(s.feedback_between(TODAY, TODAY, "mes"), r),
        lambda s, r: s.save_feedback(r),
        ("source", "Anna", "Péter"),
        ("text", "Scanning is fast now"),
    ),
    "engagement": Kind(
        lambda s: s.engagement("mes"),
        lambda s, r: s.engagement("mes"),
        lambda s, r: s.save_engagement(r),
        ("customer", "Danube Parts", "Danube Parts Kft."),
        ("site", "Győr plant"),
    ),
    "settings": Kind(
        lambda s: s.settings(),
        lambda s, r: s.settings(),
        lambda s, r: s.save_settings(r),
        ("engineer", "Li Wei", "李伟"),
        ("day_starts_at", "05:00"),
    ),
    "work session": Kind(
        _session,
        lambda s, r: _one(s.sessions_between(TODAY, TODAY), r),
        lambda s, r: s.save_session(r),
        ("zone", "Europe/Budapest", "Asia/Shanghai"),
        ("end", datetime(2026, 11, 25, 8, tzinfo=UTC)),
    ),
    "day note": Kind(
        lambda s: _saved(s, DayNote(TODAY, "mes"), Store.save_day_note),
        lambda s, r: s.day_note(TODAY, "mes"),
        lambda s, r: s.save_day_note(r),
        ("blockers", "waiting for VPN", "no test data"),
        ("resources", "a DBA for an hour"),
    ),
    "sleep": Kind(
        lambda s: _saved(s, DayHealth(TODAY, 7.0), Store.save_health),
        lambda s, r: s.health(TODAY),
        lambda s, r: s.save_health(r),
        ("energy", "tired", "fine"),
        ("sleep_hours", 5.5),
    ),
    "retro": Kind(
        lambda s: _saved(s, Retro("mes"), Store.save_retro),
        lambda s, r: s.retro("mes"),
        lambda s, r: s.save_retro(r),
        ("lessons", "start UAT earlier", "train admins first"),
        ("goals", "line 2 live"),
    ),
}


@pytest.fixture
def terminals(store: Store, data_dir: Path, clock: FrozenClock) -> tuple[Store, Store]:
    return store, Store(data_dir, clock=clock)


def _value(record: Any, name: str) -> Any:
    value = getattr(record, name)
    return value.value if hasattr(value, "value") else value


def _read_by_both_then_changed_by_b(spec: Kind, a: Store, b: Store) -> tuple[Any, Any]:
    """A record `a` made; A and B read it, then B sets the first field and saves. The
    record as made and A's copy, now stale."""
    created = spec.create(a)
    mine = spec.read(a, created)
    theirs = spec.read(b, created)
    field, _, their_value = spec.first
    setattr(theirs, field, their_value)
    spec.save(b, theirs)
    return created, mine


@pytest.mark.parametrize("kind", KINDS, ids=list(KINDS))
def test_edits_of_different_fields_both_survive(terminals: tuple[Store, Store], kind: str) -> None:
    a, b = terminals
    spec = KINDS[kind]
    created, mine = _read_by_both_then_changed_by_b(spec, a, b)
    field, _, their_value = spec.first
    other, my_value = spec.second
    setattr(mine, other, my_value)
    spec.save(a, mine)  # no EditConflict
    for terminal in (a, b):
        stored = spec.read(terminal, created)
        assert _value(stored, field) == their_value, f"{kind}: B's {field} was reverted"
        assert getattr(stored, other) == getattr(mine, other), f"{kind}: A's {other} was lost"
    assert a.drafts.all() == []


@pytest.mark.parametrize("kind", KINDS, ids=list(KINDS))
def test_the_same_field_keeps_both_and_says_so(terminals: tuple[Store, Store], kind: str) -> None:
    a, b = terminals
    spec = KINDS[kind]
    created, mine = _read_by_both_then_changed_by_b(spec, a, b)
    field, my_value, their_value = spec.first
    setattr(mine, field, my_value)
    with pytest.raises(EditConflict) as raised:
        spec.save(a, mine)
    message = str(raised.value)
    assert "\n" not in message and f"{field} was changed in another terminal" in message
    assert "kept as a draft" in message
    stored = spec.read(b, created)
    assert _value(stored, field) == their_value, "the stored value is the other terminal's"
    [draft] = a.drafts.all()
    assert draft.reason == "conflict" and draft.values == {field: my_value}
    assert draft.label in message


def test_a_stale_plan_item_marked_done_keeps_the_new_title(
    terminals: tuple[Store, Store],
) -> None:
    """The issue's own case: B renames, A presses space on what it showed a moment ago."""
    a, b = terminals
    created = _plan(a)
    shown_in_a = a.plan_items(TODAY, "mes")[0]
    renamed = b.plan_items(TODAY, "mes")[0]
    renamed.title = "Install client on line 3"
    b.update_plan_items([renamed])
    from sitedash.services.today import set_status

    set_status(a, shown_in_a, PlanStatus.DONE)
    [stored] = b.plan_items(TODAY, "mes")
    assert (stored.title, stored.status) == ("Install client on line 3", PlanStatus.DONE)
    assert stored.id == created.id
    assert shown_in_a.title == "Install client on line 3", "A's copy now shows what is stored"


def test_saving_twice_from_one_terminal_is_not_a_conflict(store: Store) -> None:
    item = _plan(store)
    for title in ("one", "two", "three"):
        item.title = title
        store.update_plan_items([item])
    assert store.plan_items(TODAY, "mes")[0].title == "three"
    assert store.drafts.all() == []


def test_a_record_of_an_older_sitedash_without_revision_merges(
    store: Store, data_dir: Path, clock: FrozenClock
) -> None:
    """Data written before revisions existed reads as revision 0 and saves normally."""
    import json

    item = _plan(store)
    path = data_dir / "journal" / "2026-11.json"
    data = json.loads(path.read_text())
    for doc in data["plan"].values():
        doc.pop("rev")
    path.write_text(json.dumps(data))
    fresh = Store(data_dir, clock=clock)
    [old] = fresh.plan_items(TODAY, "mes")
    old.title = "renamed"
    fresh.update_plan_items([old])
    assert fresh.plan_items(TODAY, "mes")[0].title == "renamed"
    assert item.id == old.id


def test_unknown_fields_of_a_newer_sitedash_survive_a_save(
    store: Store, data_dir: Path, clock: FrozenClock
) -> None:
    import json

    _plan(store)
    path = data_dir / "journal" / "2026-11.json"
    data = json.loads(path.read_text())
    for doc in data["plan"].values():
        doc["colour"] = "amber"
    path.write_text(json.dumps(data))
    [item] = store.plan_items(TODAY, "mes")
    item.title = "renamed"
    store.update_plan_items([item])
    stored = json.loads(path.read_text())["plan"]
    assert [d["colour"] for d in stored.values()] == ["amber"]


def test_moving_a_plan_item_to_another_month_keeps_what_another_terminal_changed(
    terminals: tuple[Store, Store],
) -> None:
    """B marks the item done and renames it; A, on its older copy, moves it to next
    month (another journal file): the move must not bring back A's title and 'todo'."""
    a, b = terminals
    created = _plan(a)
    in_a = a.plan_items(TODAY, "mes")[0]
    in_b = b.plan_items(TODAY, "mes")[0]
    in_b.title, in_b.status = "Install client on line 3", PlanStatus.DONE
    b.update_plan_items([in_b])
    later = date(TODAY.year + (TODAY.month == 12), TODAY.month % 12 + 1, 3)
    old_day, in_a.day = in_a.day, later
    a.move_plan_item(in_a, old_day)  # no EditConflict: different fields
    assert b.plan_items(TODAY, "mes") == []
    [moved] = b.plan_items(later, "mes")
    assert (moved.id, moved.day) == (created.id, later)
    assert (moved.title, moved.status) == ("Install client on line 3", PlanStatus.DONE)


def test_moving_a_plan_item_whose_title_both_changed_keeps_both(
    terminals: tuple[Store, Store],
) -> None:
    a, b = terminals
    _plan(a)
    in_a = a.plan_items(TODAY, "mes")[0]
    in_b = b.plan_items(TODAY, "mes")[0]
    in_b.title = "Install client (line 2)"
    b.update_plan_items([in_b])
    later = date(TODAY.year + (TODAY.month == 12), TODAY.month % 12 + 1, 3)
    old_day, in_a.day, in_a.title = in_a.day, later, "Install client on line 3"
    with pytest.raises(EditConflict, match="title was changed in another terminal"):
        a.move_plan_item(in_a, old_day)
    [moved] = b.plan_items(later, "mes")
    assert moved.title == "Install client (line 2)"
    [draft] = a.drafts.all()
    assert draft.values == {"title": "Install client on line 3"}


def test_moving_a_training_to_another_year_keeps_what_another_terminal_changed(
    terminals: tuple[Store, Store],
) -> None:
    a, b = terminals
    created = _training(a)
    in_a = _one(a.training_sessions("mes"), created)
    in_b = _one(b.training_sessions("mes"), created)
    in_b.trainer = "Wang Lei"
    b.save_training_session(in_b)
    old_day, in_a.day = in_a.day, date(TODAY.year + 1, 1, 12)
    a.save_training_session(in_a, old_day)
    [moved] = b.training_sessions("mes")
    assert (moved.id, moved.day, moved.trainer) == (created.id, in_a.day, "Wang Lei")


DELETE = {
    "plan item": lambda s, r: s.delete_plan_item(r),
    "training and attendance": lambda s, r: s.delete_training_session(r),
    "trainee": lambda s, r: s.delete_trainee(r),
    "deliverable": lambda s, r: s.delete_acceptance_item(r),
    "feedback": lambda s, r: s.delete_feedback(r),
    "work session": lambda s, r: s.delete_session(r),
}
"""How each kind the engineer can delete is deleted (issues by number, below)."""


def _gone(spec: Kind, store: Store, record: Any) -> bool:
    try:
        return spec.read(store, record) is None
    except StopIteration:
        return True


@pytest.mark.parametrize("kind", [*DELETE, "issue"], ids=[*DELETE, "issue"])
def test_a_record_another_terminal_deleted_is_not_written_back(
    terminals: tuple[Store, Store], kind: str
) -> None:
    """A reads it, B deletes it, A saves an edit: the delete stands, A is told in one
    line, and nothing of A's save is written."""
    a, b = terminals
    spec = KINDS[kind]
    created = spec.create(a)
    mine = spec.read(a, created)
    if kind == "issue":
        b.delete_issue(created.number)
    else:
        DELETE[kind](b, spec.read(b, created))
    other, my_value = spec.second
    setattr(mine, other, my_value)
    with pytest.raises(StoreError) as raised:
        spec.save(a, mine)
    message = str(raised.value)
    assert "\n" not in message
    assert "was deleted in another terminal meanwhile; nothing was saved" in message
    assert _gone(spec, a, created) and _gone(spec, b, created)


@pytest.mark.parametrize("kind", DELETE, ids=list(DELETE))
def test_a_delete_does_not_throw_away_an_edit_it_never_saw(
    terminals: tuple[Store, Store], kind: str
) -> None:
    """A shows it, B edits it, A deletes what it showed: refused, B's edit stays; once
    A has looked again, the delete goes through."""
    a, b = terminals
    spec = KINDS[kind]
    created, shown = _read_by_both_then_changed_by_b(spec, a, b)
    field, _, their_value = spec.first
    with pytest.raises(StoreError) as raised:
        DELETE[kind](a, shown)
    assert "was changed in another terminal since it was shown; it was not deleted" in str(
        raised.value
    )
    assert _value(spec.read(b, created), field) == their_value
    DELETE[kind](a, spec.read(a, created))
    assert _gone(spec, a, created) and _gone(spec, b, created)


def test_deleting_what_is_already_gone_is_done(store: Store, data_dir: Path) -> None:
    item = _plan(store)
    other = Store(data_dir)
    other.delete_plan_item(_one(other.plan_items(TODAY, "mes"), item))
    store.delete_plan_item(item)  # no error: what was asked is so
    assert store.plan_items(TODAY, "mes") == []


def test_a_copy_under_a_new_id_is_a_new_record_not_a_deleted_one(store: Store) -> None:
    item = _plan(store)
    read = _one(store.plan_items(TODAY, "mes"), item)
    store.delete_plan_item(read)
    copy = replace(read, id="copied-under-a-new-id")
    store.update_plan_items([copy])
    assert [i.id for i in store.plan_items(TODAY, "mes")] == ["copied-under-a-new-id"]
