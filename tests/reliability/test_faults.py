"""Nothing is lost: real processes killed mid-write, concurrent writers, broken files,
failing disks. Bounded in count and time so the suite stays fast."""

from __future__ import annotations

import errno
import json
import os
import random
import select
import signal
import subprocess
import sys
import textwrap
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from sitedash.cli import main
from sitedash.models import PlanItem
from sitedash.storage import Store
from sitedash.storage import files as storage_files
from tests.conftest import FrozenClock

KILLS = 120
NEWLINE = b"\n"
REPORT_TIMEOUT = 120.0
"""How long a writer may take to report the writes waited for: only ends a hang."""


def _writer(data_dir: Path, first: int, report_fd: int) -> None:
    """Child: write items first, first+1, ... one per transaction; report each when done.

    Its clock moves a day every few writes, so kills also land in daily backups and in
    new month files."""
    moment = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=first // 5)
    clock = FrozenClock(moment)
    store = Store(data_dir, clock=clock)
    n = first
    while True:
        clock.now = moment + timedelta(days=(n - first) // 5)
        store.add_plan_items([PlanItem(title=f"item {n}", day=clock.now.date(), engagement="mes")])
        os.write(report_fd, f"{n}\n".encode())
        n += 1


def write_seconds(data_dir: Path) -> float:
    """How long one write (a transaction with its fsyncs) takes on this machine now:
    the median of a few, in a store of its own."""
    clock = FrozenClock(datetime(2025, 1, 1, tzinfo=UTC))
    store = Store(data_dir, clock=clock)
    times = []
    for n in range(9):
        started = time.perf_counter()
        store.add_plan_items([PlanItem(title=f"probe {n}", day=clock.now.date(), engagement="p")])
        times.append(time.perf_counter() - started)
    return sorted(times)[len(times) // 2]


def read_reports(pipe: int, at_least: int) -> list[int]:
    """The numbers a writer reported, once it has reported `at_least` of them."""
    seen = b""
    deadline = time.monotonic() + REPORT_TIMEOUT
    while seen.count(b"\n") < at_least:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"a writer reported {seen.count(NEWLINE)} writes, not {at_least}"
        ready, _, _ = select.select([pipe], [], [], remaining)
        if ready:
            chunk = os.read(pipe, 65536)
            assert chunk, "the writer died before it was killed"
            seen += chunk
    return [int(line) for line in seen.split(b"\n") if line.strip()]


def test_kill_9_at_random_moments_never_loses_a_reported_write(
    data_dir: Path, tmp_path: Path
) -> None:
    """120 writers killed at random moments of a write: after every kill the data loads
    and holds every write that was reported.

    No fixed time window: each writer is killed once it has reported a random number of
    writes (0 to 3, so every writer did work and some die while opening the store), a
    random part of one write later; a write's length is measured on this machine first
    (fsync takes 1 ms on one disk, 12 ms on a loaded CI runner)."""
    rng = random.Random(20261125)
    one_write = write_seconds(tmp_path / "probe")
    Store(data_dir)
    reported: set[int] = set()
    waited_for = 0
    next_number = 0
    for _ in range(KILLS):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child never returns into pytest
            try:
                os.close(read_fd)
                _writer(data_dir, next_number, write_fd)
            finally:
                os._exit(1)
        os.close(write_fd)
        writes = rng.randint(0, 3)
        done = read_reports(read_fd, writes)
        time.sleep(rng.uniform(0.0, 1.5 * one_write))  # somewhere in the next write
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        with os.fdopen(read_fd, "rb") as pipe:
            done += [int(line) for line in pipe.read().split(b"\n") if line.strip()]
        waited_for += writes
        reported.update(done)
        next_number = max(done, default=next_number - 1) + 1000  # room for unreported ones
        # The data loads after every kill, and holds everything the writer reported.
        stored = {int(i.title.split()[1]) for i in Store(data_dir).all_plan_items()}
        missing = reported - stored
        assert not missing, f"lost {sorted(missing)[:5]}"
    assert len(reported) >= waited_for > KILLS, "the writers got work done between kills"
    # A last write sweeps the killed writers' temp files and half-made backups.
    Store(data_dir).add_plan_items(
        [PlanItem(title="item -1", day=date(2026, 1, 1), engagement="mes")]
    )
    leftovers = [p for p in data_dir.rglob(".*") if p.name != ".lock"]
    assert leftovers == []


CLI_WRITER = textwrap.dedent(
    """
    import sys
    from sitedash.cli import main
    for n in range(int(sys.argv[3])):
        status = main(["--data-dir", sys.argv[1], "add", "plan", f"{sys.argv[2]}-{n}",
                       "--date", "2026-11-25"])
        assert status == 0
    """
)


def test_four_shells_adding_at_once_lose_nothing(store: Store) -> None:
    """4 x 50 `sitedash add plan` (the CLI code path, four processes at once)."""
    writers = [
        subprocess.Popen([sys.executable, "-c", CLI_WRITER, str(store.data_dir), f"shell{w}", "50"])
        for w in range(4)
    ]
    assert [w.wait(timeout=180) for w in writers] == [0, 0, 0, 0]
    items = Store(store.data_dir).plan_items(date(2026, 11, 25), "mes")
    assert {i.title for i in items} == {f"shell{w}-{n}" for w in range(4) for n in range(50)}
    assert len({i.id for i in items}) == 200
    assert sorted(i.position for i in items) == list(range(200)), "positions are unique too"


def test_real_processes_of_the_console_script(store: Store) -> None:
    script = Path(sys.executable).with_name("sitedash")
    runs = [
        subprocess.Popen(
            [str(script), "--data-dir", str(store.data_dir), "add", "issue", f"from shell {n}"],
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(6)
    ]
    ids = sorted(r.communicate(timeout=120)[0].strip() for r in runs)
    assert ids == sorted(f"ISS-{n}" for n in range(1, 7)), "ids are unique across processes"


# -- broken files and failing disks, through the command line -------------------------


def cli(data_dir: Path, *args: str) -> int:
    return main(["--data-dir", str(data_dir), *args], clock=FrozenClock())


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "the file is empty"),
        (b'{"meta": {"1": {"schema": 1}}, "engag', "not valid JSON"),
        (json.dumps({"meta": {"1": {"schema": 7}}}).encode(), "newer sitedash"),
        (b"\x00\x01binary", "not valid JSON"),
    ],
)
def test_a_broken_data_file_is_reported_and_kept(
    store: Store, content: bytes, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    meta = store.data_dir / "sitedash.json"
    meta.write_bytes(content)
    for command in (["add", "plan", "x"], ["status"], ["export", "daily"], ["clock", "in"]):
        assert cli(store.data_dir, *command) == 2
        assert says in one_line_error(capsys)
        assert meta.read_bytes() == content


@pytest.mark.parametrize("failing_write", [1, 2], ids=["first file", "second file"])
@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EACCES])
def test_a_failing_disk_is_a_clear_error_and_changes_nothing(
    store: Store,
    code: int,
    failing_write: int,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`add issue` writes two files (the id counter and the issue): whichever write
    fails, neither file changes."""
    assert cli(store.data_dir, "add", "issue", "kept") == 0
    capsys.readouterr()
    before = {p: p.read_bytes() for p in store.data_dir.rglob("*.json")}
    real = storage_files.prepare_file
    calls: list[Path] = []

    def failing(path: Path, *args: object, **kwargs: object) -> Path:
        calls.append(path)
        if len(calls) == failing_write:
            raise OSError(code, os.strerror(code))
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(storage_files, "prepare_file", failing)
    assert cli(store.data_dir, "add", "issue", "lost?") == 2
    assert len(calls) == failing_write, "the failure happened where the test put it"
    message = one_line_error(capsys)
    assert os.strerror(code) in message and "nothing was changed" in message
    after = {p: p.read_bytes() for p in store.data_dir.rglob("*.json")}
    assert after == before
    assert not list(store.data_dir.rglob("*.tmp")), "no temp file left behind"
    monkeypatch.undo()
    assert cli(store.data_dir, "add", "issue", "next") == 0
    assert capsys.readouterr().out == "ISS-2\n", "the failed add used no number"


def test_a_read_only_data_dir_stays_read_only(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    """The owner made the dir read-only on purpose: sitedash never gives write back, and
    never changes the mode of a directory it did not create (a shared team dir)."""
    assert cli(store.data_dir, "add", "plan", "kept") == 0
    store.data_dir.chmod(0o500)
    try:
        Store(store.data_dir)
        assert store.data_dir.stat().st_mode & 0o777 == 0o500
        for shared in (0o755, 0o1777, 0o2770):
            store.data_dir.chmod(shared)
            Store(store.data_dir)
            assert store.data_dir.stat().st_mode & 0o7777 == shared
    finally:
        store.data_dir.chmod(0o700)


def test_restore_from_the_command_line_keeps_the_damaged_file(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(store.data_dir, "add", "plan", "precious") == 0
    path = store.data_dir / "journal" / "2026-11.json"
    path.write_bytes(b"{torn")
    assert cli(store.data_dir, "export", "daily") == 2
    assert "sitedash restore" in one_line_error(capsys)
    assert cli(store.data_dir, "restore") == 0
    out = capsys.readouterr().out
    # Today's month file began after today's backup: no backup holds it. It is moved
    # aside (bytes kept) so the data opens again, and the output says where it went.
    kept = next(store.data_dir.glob("journal/2026-11.json.damaged-*"))
    assert kept.read_bytes() == b"{torn" and str(kept) in out
    assert cli(store.data_dir, "export", "daily") == 0


def test_the_error_names_the_newest_good_backup_of_the_file(
    store: Store, clock: FrozenClock, capsys: pytest.CaptureFixture[str]
) -> None:
    def run(*args: str) -> int:
        return main(["--data-dir", str(store.data_dir), *args], clock=clock)

    assert run("add", "plan", "monday") == 0
    clock.now += timedelta(days=1)
    assert run("add", "plan", "tuesday") == 0  # the day's first write backs monday up
    capsys.readouterr()
    (store.data_dir / "journal" / "2026-11.json").write_bytes(b"{torn")
    assert run("status") == 2
    message = one_line_error(capsys)
    good = store.data_dir / "backups" / "2026-11-26" / "journal" / "2026-11.json"
    assert good.is_file() and str(good) in message
