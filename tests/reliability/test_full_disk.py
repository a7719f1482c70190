"""A full disk at the day's first write, when the daily backup is taken: one line, never a
traceback, no half-made backup, and a write that fits is not blocked by its backup.

On a real small file system (tmpfs) where the tests may mount one (root), else with the
disk's refusal injected where the backup and the write reach it.
"""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from sitedash.cli import main
from sitedash.models import PlanItem
from sitedash.storage import Store
from sitedash.storage import backups as backup_module
from tests.conftest import TODAY, FrozenClock

PAGE = 4096


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path | None]:
    """A 256 KiB tmpfs, or None where mounting is not allowed."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    if os.geteuid() != 0:
        yield None
        return
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount_point)],
        capture_output=True,
    )
    if mounted.returncode != 0:
        yield None
        return
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)


def fill(disk: Path, leave_pages: int) -> None:
    """Fill the file system until `leave_pages` pages are free."""
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    filler = disk / "filler"
    with open(filler, "ab") as handle:
        handle.write(b"\0" * max(free - leave_pages * PAGE, 0))
    while os.statvfs(disk).f_bavail > leave_pages:
        with open(filler, "ab") as handle:
            handle.write(b"\0" * PAGE)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "backups" not in p.parts
    }


def yesterday_data(data: Path) -> FrozenClock:
    """A data dir written yesterday, so that today's first write takes a backup."""
    clock = FrozenClock()
    clock.now -= timedelta(days=1)
    store = Store(data, clock=clock)
    from sitedash.models import Engagement
    from sitedash.services.engagements import save_new_engagement

    save_new_engagement(store, Engagement(id="mes", name="MES", site_tz="Europe/Budapest"))
    store.add_plan_items([PlanItem(f"item {n}", TODAY, "mes") for n in range(5)])
    return FrozenClock()


def run(capsys: pytest.CaptureFixture[str], clock: FrozenClock, *args: str) -> tuple[int, str]:
    code = main(list(args), clock=clock)
    return code, capsys.readouterr().err


def test_no_room_for_anything_is_one_line_and_changes_nothing(
    small_disk: Path | None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = (small_disk or tmp_path) / "data"
    clock = yesterday_data(data)
    before = snapshot(data)
    if small_disk is not None:
        fill(small_disk, leave_pages=0)
    else:

        def full(*_args: object, **_kwargs: object) -> None:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr("sitedash.storage.files.prepare_file", full)
        monkeypatch.setattr(backup_module, "write_file_atomically", full)
    code, err = run(capsys, clock, "--data-dir", str(data), "add", "plan", "lost?")
    assert code == 2, err
    assert "No space left on device" in err and "Traceback" not in err
    assert "nothing was changed" in err
    assert err.count("\n") == 2 or err.count("\n") == 1, err  # the write's line (+ backup's)
    assert snapshot(data) == before, "data files byte-identical"
    assert not list((data / "backups").glob(".*")) if (data / "backups").exists() else True


def test_no_room_for_the_backup_still_saves_and_says_so(
    small_disk: Path | None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = (small_disk or tmp_path) / "data"
    clock = yesterday_data(data)
    calls: list[Path] = []
    real = backup_module.write_file_atomically

    def backup_full(path: Path, *args: object, **kwargs: object) -> None:
        calls.append(path)
        if len(calls) >= 2:  # the first copy fits, the second does not
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(backup_module, "write_file_atomically", backup_full)
    code, err = run(capsys, clock, "--data-dir", str(data), "add", "plan", "kept")
    assert code == 0, err
    assert "backup was skipped" in err and "No space left on device" in err, err
    assert err.count("\n") == 1
    store = Store(data, clock=clock)
    assert "kept" in [i.title for i in store.plan_items(TODAY, "mes")]
    backups = data / "backups"
    assert not [p for p in backups.iterdir() if p.name.startswith(".")], "no partial backup"
    assert not [p for p in backups.iterdir() if p.name.startswith(TODAY.isoformat())]


def test_a_real_full_disk_during_the_backup_leaves_no_partial_snapshot(
    small_disk: Path | None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """On tmpfs, one page free: the snapshot (two files of a page each) does not fit, the
    write (one page) does once the half-made snapshot is gone. Without tmpfs the same
    day's first write is checked to take its backup as usual."""
    data = (small_disk or tmp_path) / "data"
    clock = yesterday_data(data)
    assert all(p.stat().st_size < PAGE for p in data.rglob("*.json"))
    if small_disk is not None:
        fill(small_disk, leave_pages=1)
    code, err = run(capsys, clock, "--data-dir", str(data), "add", "plan", "fits")
    assert code == 0, err
    assert "fits" in [i.title for i in Store(data, clock=clock).plan_items(TODAY, "mes")]
    backups = data / "backups"
    assert not [p for p in backups.iterdir() if p.name.startswith(".")], "no partial backup"
    today = [p for p in backups.iterdir() if p.name.startswith(TODAY.isoformat())]
    if small_disk is not None:
        assert "backup was skipped" in err and "No space left on device" in err, err
        assert today == []
    else:
        assert err == "" and len(today) == 1
