"""The store: atomic writes, locking, permissions, corrupt files, migrations, backups."""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
import textwrap
from datetime import date, timedelta
from pathlib import Path

import pytest

from sitedash import storage
from sitedash.models import Engagement, PlanItem, replace
from sitedash.storage import (
    CorruptFileError,
    NewerSchemaError,
    Store,
    StoreError,
    StoreWriteError,
    restore_backup,
)
from sitedash.storage import core as storage_core
from sitedash.storage import files as storage_files
from tests.conftest import TODAY, FrozenClock


def item(title: str, day: date = TODAY) -> PlanItem:
    return PlanItem(title=title, day=day, engagement="mes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_data_dir_is_private(data_dir: Path, clock: FrozenClock) -> None:
    nested = data_dir / "a" / "b"
    store = Store(nested, clock=clock)
    store.add_plan_items([item("Install MES server")])
    assert mode(nested) == 0o700
    files = [p for p in nested.rglob("*") if p.is_file()]
    assert files, "the store wrote files"
    for path in files:
        assert mode(path) == 0o600, path
    for folder in [p for p in nested.rglob("*") if p.is_dir()]:
        assert mode(folder) == 0o700, folder


def test_text_is_stored_as_readable_utf8(store: Store) -> None:
    store.add_plan_items([item("部署 MES 服务器")])
    raw = (store.data_dir / "journal" / "2026-11.json").read_bytes()
    assert "部署 MES 服务器".encode() in raw
    assert b"\\u" not in raw


def test_a_failed_replace_leaves_the_old_file_and_no_temp(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.add_plan_items([item("first")])
    path = store.data_dir / "journal" / "2026-11.json"
    before = path.read_bytes()

    def crash(*_args: object) -> None:
        raise OSError(errno.EIO, "simulated crash between temp write and replace")

    monkeypatch.setattr(storage_files.os, "replace", crash)
    with pytest.raises(StoreWriteError, match="nothing was changed"):
        store.add_plan_items([item("second")])
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert not list(path.parent.glob(".*.tmp"))
    # The in-memory cache was dropped with the failed write: what we read is the disk.
    assert [i.title for i in store.plan_items(TODAY)] == ["first"]


def test_a_full_disk_is_a_clear_error(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    store.add_plan_items([item("first")])
    path = store.data_dir / "journal" / "2026-11.json"
    before = path.read_bytes()

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(storage_files.os, "fsync", full)
    with pytest.raises(StoreWriteError, match="No space left on device"):
        store.add_plan_items([item("second")])
    monkeypatch.undo()
    assert path.read_bytes() == before


def test_corrupt_file_is_reported_and_never_overwritten(data_dir: Path, clock: FrozenClock) -> None:
    store = Store(data_dir, clock=clock)
    store.save_engagement(Engagement(id="mes", name="MES"))
    store.add_plan_items([item("kept")])
    meta = data_dir / "sitedash.json"
    meta.write_bytes(b'{"meta": {"1": {"schema": 1}}, "engagements": {')
    damaged = meta.read_bytes()
    with pytest.raises(CorruptFileError) as raised:
        Store(data_dir, clock=clock)
    message = str(raised.value)
    assert str(meta) in message
    assert "sitedash restore" in message and str(data_dir / "backups") in message
    assert "\n" not in message
    assert meta.read_bytes() == damaged


@pytest.mark.parametrize("content", [b"", b"   ", b"[1, 2]", b'{"plan": [1]}', b"\xff\xfe"])
def test_unreadable_month_files_are_reported(store: Store, content: bytes) -> None:
    path = store.data_dir / "journal" / "2026-11.json"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(content)
    with pytest.raises(CorruptFileError, match=r"2026-11\.json"):
        store.plan_items(TODAY)
    with pytest.raises(CorruptFileError):
        store.add_plan_items([item("would overwrite")])
    assert path.read_bytes() == content


def test_data_from_a_newer_sitedash_is_left_alone(data_dir: Path, clock: FrozenClock) -> None:
    data_dir.mkdir()
    meta = data_dir / "sitedash.json"
    meta.write_text(json.dumps({"meta": {"1": {"schema": 99}}}))
    before = meta.read_bytes()
    with pytest.raises(NewerSchemaError, match="newer sitedash"):
        Store(data_dir, clock=clock)
    assert meta.read_bytes() == before


def test_a_data_dir_that_is_a_file_is_an_error(tmp_path: Path, clock: FrozenClock) -> None:
    path = tmp_path / "file"
    path.write_text("x")
    with pytest.raises(StoreError, match="not a directory"):
        Store(path, clock=clock)


def test_unversioned_data_is_migrated_with_a_backup_first(
    data_dir: Path, clock: FrozenClock
) -> None:
    data_dir.mkdir()
    (data_dir / "sitedash.json").write_text(
        json.dumps({"engagements": {"1": {"id": "mes", "name": "MES"}}})
    )
    store = Store(data_dir, clock=clock)
    assert store.schema_version() == storage.SCHEMA_VERSION
    assert [e.id for e in store.engagements()] == ["mes"]
    backup = data_dir / "backups" / "2026-11-25-pre-migration-0" / "sitedash.json"
    assert "schema" not in backup.read_text()


def test_migrations_run_in_order_once(
    data_dir: Path, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    Store(data_dir, clock=clock).save_engagement(Engagement(id="mes", name="MES"))
    calls: list[int] = []

    def rename_customer(store: Store) -> None:
        calls.append(1)
        for engagement in store.engagements():
            engagement.customer = "migrated"
            store.save_engagement(engagement)

    current = storage.SCHEMA_VERSION
    monkeypatch.setattr(storage_core, "SCHEMA_VERSION", current + 1)
    monkeypatch.setitem(storage.MIGRATIONS, current, rename_customer)
    store = Store(data_dir, clock=clock)
    assert store.schema_version() == current + 1
    assert store.engagement("mes").customer == "migrated"
    Store(data_dir, clock=clock)
    assert calls == [1], "a migration runs once"
    assert (data_dir / "backups" / f"2026-11-25-pre-migration-{current}").is_dir()


def test_another_stores_writes_are_seen(data_dir: Path, clock: FrozenClock) -> None:
    mine, theirs = Store(data_dir, clock=clock), Store(data_dir, clock=clock)
    mine.add_plan_items([item("mine")])
    assert [i.title for i in theirs.plan_items(TODAY)] == ["mine"]
    before = mine.revision()
    theirs.add_plan_items([item("theirs")])
    assert mine.revision() != before
    assert {i.title for i in mine.plan_items(TODAY)} == {"mine", "theirs"}
    mine.add_plan_items([item("mine again")])
    assert len(theirs.plan_items(TODAY)) == 3


def test_drafts_backups_index_and_reports_are_not_anothers_write(
    data_dir: Path, clock: FrozenClock
) -> None:
    """The dashboard reloads every screen when the fingerprint moves: only a change of
    the data moves it, not the folders that come and go beside the data."""
    from sitedash.storage.drafts import Draft

    mine, theirs = Store(data_dir, clock=clock), Store(data_dir, clock=clock)
    mine.add_plan_items([item("mine")])
    before = mine.revision()
    mine.drafts.put(Draft(key="issue:new", label="the new issue", saved_at=clock()))
    mine.drafts.remove("issue:new")
    (data_dir / "reports").mkdir()
    (data_dir / "reports" / "daily-2026-11-25.md").write_text("# Daily\n")
    for folder in ("index", "backups"):
        (data_dir / folder).mkdir(exist_ok=True)
        (data_dir / folder / "new").mkdir()
    assert mine.revision() == before
    theirs.save_settings(replace(theirs.settings(), engineer="Li Wei"))
    assert mine.revision() != before, "sitedash.json itself is stamped"


WRITER = textwrap.dedent(
    """
    import sys
    from datetime import date
    from pathlib import Path
    from sitedash.models import PlanItem
    from sitedash.storage import Store
    store = Store(Path(sys.argv[1]))
    for n in range(int(sys.argv[3])):
        store.add_plan_items([PlanItem(title=f"{sys.argv[2]}-{n}", day=date(2026, 11, 25),
                                       engagement="mes")])
    """
)


def test_concurrent_processes_lose_nothing(data_dir: Path, clock: FrozenClock) -> None:
    Store(data_dir, clock=clock)
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(data_dir), f"w{w}", "50"])
        for w in range(4)
    ]
    assert [p.wait(timeout=120) for p in writers] == [0, 0, 0, 0]
    items = Store(data_dir, clock=clock).plan_items(TODAY)
    titles = {i.title for i in items}
    assert titles == {f"w{w}-{n}" for w in range(4) for n in range(50)}
    assert len({i.id for i in items}) == 200


def test_first_write_of_a_day_takes_a_frozen_backup(store: Store, clock: FrozenClock) -> None:
    store.add_plan_items([item("monday")])
    clock.now += timedelta(days=1)
    store.add_plan_items([item("tuesday", TODAY + timedelta(days=1))])
    snapshot = store.data_dir / "backups" / "2026-11-26" / "journal" / "2026-11.json"
    assert "monday" in snapshot.read_text() and "tuesday" not in snapshot.read_text()
    store.add_plan_items([item("later")])
    assert "later" not in snapshot.read_text(), "a backup never changes after it is taken"
    assert mode(snapshot) == 0o600


def test_backups_keep_a_week_and_never_drop_the_largest(store: Store, clock: FrozenClock) -> None:
    store.add_plan_items([item(f"big {n}") for n in range(200)])
    for _ in range(10):
        clock.now += timedelta(days=1)
        # Someone emptied the month: every day from now on backs up a small file.
        for old in store.plan_items(TODAY):
            store.delete_plan_item(old)
        store.add_plan_items([item("small")])
    names = [p.name for p in store.backups()]
    assert len(names) == storage.KEEP_DAILY_BACKUPS + 1
    largest = store.data_dir / "backups" / "2026-11-26" / "journal" / "2026-11.json"
    assert largest.read_text().count("big ") == 200


def test_restore_repairs_only_damaged_files_from_their_newest_good_copy(
    store: Store, clock: FrozenClock
) -> None:
    store.add_plan_items([item("safe")])
    clock.now += timedelta(days=1)
    store.add_plan_items([item("also safe")])  # the 2026-11-26 backup holds "safe"
    store.save_engagement(Engagement(id="new", name="Added today"))  # healthy, not backed up
    path = store.data_dir / "journal" / "2026-11.json"
    path.write_bytes(b"garbage")
    report = restore_backup(store.data_dir, clock=clock)
    assert [(p.name, b.name) for p, b in report.restored] == [("2026-11.json", "2026-11-26")]
    assert [p.read_bytes() for p in report.kept] == [b"garbage"]
    assert report.kept[0].parent == path.parent and report.unrecoverable == []
    reopened = Store(store.data_dir, clock=clock)
    assert [i.title for i in reopened.plan_items(TODAY)] == ["safe"]
    assert reopened.engagement("new") is not None, "healthy files were not rolled back"


def test_restore_skips_backup_copies_that_are_damaged_too(store: Store, clock: FrozenClock) -> None:
    store.add_plan_items([item("v1")])
    clock.now += timedelta(days=1)
    store.add_plan_items([item("v2")])  # backup 26: v1
    clock.now += timedelta(days=1)
    store.add_plan_items([item("v3")])  # backup 27: v1, v2
    broken = store.data_dir / "backups" / "2026-11-27" / "journal" / "2026-11.json"
    broken.unlink()
    broken.write_bytes(b"also broken")
    (store.data_dir / "journal" / "2026-11.json").write_bytes(b"{")
    report = restore_backup(store.data_dir, clock=clock)
    assert [b.name for _, b in report.restored] == ["2026-11-26"]


def test_restore_a_named_backup_goes_back_to_it(store: Store, clock: FrozenClock) -> None:
    store.add_plan_items([item("monday")])
    clock.now += timedelta(days=1)
    store.add_plan_items([item("tuesday")])
    report = restore_backup(store.data_dir, "2026-11-26", clock=clock)
    assert {p.name for p, _ in report.restored} == {"2026-11.json"}
    assert [i.title for i in Store(store.data_dir).plan_items(TODAY)] == ["monday"]
    assert "tuesday" in report.kept[0].read_text()


def test_restore_a_named_backup_sets_newer_files_aside(
    store: Store, clock: FrozenClock, tmp_path: Path
) -> None:
    from sitedash.models import Issue

    store.add_plan_items([item("monday")])
    clock.now += timedelta(days=1)
    store.add_issues([Issue("reported after the snapshot", "mes")])  # a new issues file
    issues_file = next((store.data_dir / "issues").glob("*.json"))
    report = restore_backup(store.data_dir, "2026-11-26", clock=clock)
    assert not issues_file.exists(), "data from after the snapshot does not stay live"
    kept = next(k for k in report.kept if k.name.startswith(issues_file.name))
    assert "reported after the snapshot" in kept.read_text()
    assert Store(store.data_dir).issues() == []


def test_restore_takes_only_this_data_dirs_backups(store: Store, tmp_path: Path) -> None:
    store.add_plan_items([item("monday")])
    foreign = tmp_path / "foreign"
    (foreign / "node_modules").mkdir(parents=True)
    (foreign / "package.json").write_text("{}")
    for wanted in (foreign, store.backup_root / ".." / "journal", "../journal"):
        with pytest.raises(StoreError, match="is not one of this data dir"):
            restore_backup(store.data_dir, wanted)
    assert not (store.data_dir / "package.json").exists()
    snapshot = store.newest_backup()
    assert snapshot is not None
    report = restore_backup(store.data_dir, snapshot)  # by path works too
    assert report.restored and all(source == snapshot for _, source in report.restored)


def test_restore_with_nothing_to_do_says_so(store: Store, data_dir: Path) -> None:
    with pytest.raises(StoreError, match="nothing to repair"):
        restore_backup(store.data_dir)
    with pytest.raises(StoreError, match="is not one of this data dir"):
        restore_backup(store.data_dir, "1999-01-01")


def test_temp_files_of_a_killed_writer_are_swept(store: Store) -> None:
    stray = store.data_dir / "journal" / ".2026-11.json.999.1.tmp"
    stray.parent.mkdir(exist_ok=True)
    stray.write_text("half written")
    Store(store.data_dir).add_plan_items([item("x")])
    assert not stray.exists()


def test_moving_an_item_across_months(store: Store) -> None:
    moving = item("move me", date(2026, 11, 30))
    store.add_plan_items([moving])
    old_day = moving.day
    moving.day = date(2026, 12, 1)
    store.move_plan_item(moving, old_day)
    assert store.plan_items(date(2026, 11, 30)) == []
    assert [i.title for i in store.plan_items(date(2026, 12, 1))] == ["move me"]


def test_editing_a_data_file_in_place_cannot_reach_its_backup(
    store: Store, clock: FrozenClock
) -> None:
    store.add_plan_items([item("original")])
    clock.now += timedelta(days=1)
    store.add_plan_items([item("next")])
    path = store.data_dir / "journal" / "2026-11.json"
    with path.open("r+b") as handle:  # what plain TinyDB or an editor may do
        handle.write(b"XXXX")
    snapshot = store.data_dir / "backups" / "2026-11-26" / "journal" / "2026-11.json"
    assert snapshot.read_bytes().startswith(b"{")


def test_a_damaged_file_is_not_copied_into_the_next_backup(
    store: Store, clock: FrozenClock
) -> None:
    store.add_plan_items([item("good")])
    december = TODAY.replace(month=12, day=1)
    clock.now += timedelta(days=1)
    store.add_plan_items([item("december", december)])  # backup of the 26th: good November
    (store.data_dir / "journal" / "2026-11.json").write_bytes(b"{damaged")
    clock.now += timedelta(days=1)
    store.add_plan_items([item("more", december)])  # the 27th's backup
    kept = store.data_dir / "backups" / "2026-11-27" / "journal" / "2026-11.json"
    assert b"good" in kept.read_bytes()


def test_a_transaction_reads_its_own_writes_and_keeps_them_from_others(store: Store) -> None:
    """Inside a transaction the writing thread sees what it wrote (also new files and
    nested transactions); another thread sees the files as they are until the end, and
    nothing at all after an exception."""
    import threading

    from sitedash.models import Issue

    seen_elsewhere: list[list[str]] = []

    def other_thread() -> None:
        seen_elsewhere.append([i.title for i in store.issues()])

    store.add_issues([Issue("committed", "mes")])
    with pytest.raises(RuntimeError), store.transaction():
        store.add_plan_items([item("in a new month", day=date(2027, 1, 4))])
        with store.transaction():
            store.add_issues([Issue("second", "mes")])
        assert [i.title for i in store.plan_items(date(2027, 1, 4))] == ["in a new month"]
        assert [i.title for i in store.issues()] == ["committed", "second"]
        issue = store.issue(1)
        assert issue is not None
        issue.title = "UNSAVED"
        store.save_issue(issue)
        thread = threading.Thread(target=other_thread)
        thread.start()
        thread.join()
        raise RuntimeError("the user's action failed half-way")
    assert seen_elsewhere == [["committed"]], "another thread never sees unsaved data"
    fresh = Store(store.data_dir)
    assert [i.title for i in fresh.issues()] == ["committed"]
    assert fresh.plan_items(date(2027, 1, 4)) == []
    assert [i.title for i in store.issues()] == ["committed"], "the cache was rolled back too"


def test_reading_ahead_reads_the_boards_index_and_no_issue_file(tmp_path, monkeypatch) -> None:
    """The dashboard reads what the board's first load needs while idle, a step per
    index (the open issues' documents, the confirmed issues' rows), so building the
    board parses no JSON at once; the issue files themselves stay unread, so years of
    confirmed issues are not kept in memory (issue 23)."""
    from sitedash.models import Issue, IssueStatus
    from sitedash.storage import index as storage_index

    count = storage.ISSUE_BUCKET + 10
    Store(tmp_path / "data", clock=FrozenClock()).add_issues(
        [
            Issue(f"issue {n}", "mes", status=IssueStatus.CONFIRMED if n % 2 else IssueStatus.NEW)
            for n in range(count)
        ]
    )
    fresh = Store(tmp_path / "data", clock=FrozenClock())  # nothing cached yet
    steps = list(fresh.read_issue_files_ahead())
    assert len(steps) == 2, "one step per index"
    for module in (storage_files, storage_index):
        monkeypatch.setattr(module, "load_json", lambda *_: pytest.fail("parsed again"))
    assert len(fresh.issue_docs("mes", [IssueStatus.NEW])) == count // 2
    assert len(fresh.confirmed_rows("mes")) == count // 2
    assert not [p for p in fresh._storages if p.parent.name == "issues"], "no issue file read"
