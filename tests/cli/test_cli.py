"""The command line: quick capture, export, demo data, restore, and one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sitedash import __version__
from sitedash.cli import main
from sitedash.storage import Store
from tests.conftest import TODAY, FrozenClock


def assert_usage_error(result: tuple[int, str, str], *fragments: str) -> None:
    status, _out, err = result
    assert status == 2
    assert err.count("\n") == 1, f"one line on stderr, got {err!r}"
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"sitedash {__version__}"


def test_add_plan_and_note(run, store: Store) -> None:
    status, out, _ = run(
        "add", "plan", "Install", "MES", "server", "--category", "deploy", "--estimate", "1h30m"
    )
    assert status == 0
    assert "2026-11-25" in out and "Install MES server" in out
    [item] = store.plan_items(TODAY, "mes")
    assert (item.title, item.category.value, item.estimate_min) == (
        "Install MES server",
        "deploy",
        90,
    )
    assert run("add", "note", "VPN down since 08:00", "--blocker")[0] == 0
    assert run("add", "plan", "Tomorrow's work", "--date", "2026-11-26")[0] == 0
    assert store.day_note(TODAY, "mes").blockers == "VPN down since 08:00"
    assert [i.title for i in store.plan_items(TODAY.replace(day=26), "mes")] == ["Tomorrow's work"]


def test_options_may_follow_the_subcommand(
    data_dir: Path, clock: FrozenClock, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["add", "plan", "x", "--data-dir", str(data_dir)], clock=clock) == 0
    assert [i.title for i in store.plan_items(TODAY, "mes")] == ["x"]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("add", "plan", "x", "--date", "25/11/2026"), "YYYY-MM-DD"),
        (("add", "plan", "x", "--date", "2026-02-30"), "bad date"),
        (("add", "plan", "x", "--estimate", "soon"), "bad estimate"),
        (("add", "plan", "x", "--category", "lunch"), "unknown category"),
        (("add", "plan", "x", "--engagement", "nope"), "no engagement 'nope'"),
        (("add", "plan", " "), "empty"),
        (("add", "plan"), "required"),
        (("add", "meeting", "x"), "invalid choice"),
        (("export", "daily", "--date", "the day before"), "YYYY-MM-DD"),
        (("export", "monthly"), "invalid choice"),
        (("demo-data",), "required"),
        (("frobnicate",), "invalid choice"),
        (("--lang", "fr"), "invalid choice"),
    ],
)
def test_mistakes_get_one_line_and_status_2(run, store: Store, args, fragment) -> None:
    assert_usage_error(run(*args), fragment)
    assert store.plan_items(TODAY, "mes") == []


def test_no_engagement_yet_says_what_to_do(run, empty_store: Store) -> None:
    assert_usage_error(run("add", "plan", "x"), "no engagement yet", "sitedash --demo")


def test_a_data_dir_that_is_a_file(run, tmp_path: Path) -> None:
    path = tmp_path / "file"
    path.write_text("not a dir")
    assert_usage_error(
        run("--data-dir", str(path), "add", "plan", "x", data=False), "not a directory"
    )


def test_a_corrupt_data_file_is_left_alone(run, store: Store) -> None:
    meta = store.data_dir / "sitedash.json"
    meta.write_text("{broken")
    assert_usage_error(run("add", "plan", "x"), str(meta), "sitedash restore")
    assert meta.read_text() == "{broken"


def test_export_daily_to_stdout_file_and_directory(run, store: Store, tmp_path: Path) -> None:
    run("add", "plan", "Install", "server")
    status, out, _ = run("export", "daily")
    assert status == 0 and out.startswith('---\nsitedash_report: 1\nkind: "daily"')
    assert "| Install server |" in out

    folder = tmp_path / "out"
    folder.mkdir()
    status, _, err = run("export", "daily", "--out", str(folder))
    written = folder / "daily-mes-2026-11-25.md"
    assert status == 0 and str(written) in err
    assert written.read_text() == out

    assert_usage_error(run("export", "daily", "--out", str(written)), "--force")
    run("add", "plan", "Second", "item")
    assert run("export", "daily", "--out", str(written), "--force")[0] == 0
    assert "Second item" in written.read_text()


def test_export_refuses_a_planted_symlink(run, store: Store, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("precious")
    link = tmp_path / "report.md"
    link.symlink_to(victim)
    assert_usage_error(run("export", "daily", "--out", str(link)), "symbolic link")
    assert_usage_error(run("export", "daily", "--out", str(link), "--force"), "symbolic link")
    assert victim.read_text() == "precious"


def test_export_honours_the_umask(run, store: Store, tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        assert run("export", "daily", "--out", str(tmp_path / "r.md"))[0] == 0
    finally:
        os.umask(old)
    assert (tmp_path / "r.md").stat().st_mode & 0o777 == 0o640


def test_demo_data(run, tmp_path: Path) -> None:
    target = tmp_path / "demo"
    status, out, _ = run("demo-data", str(target), "--days", "20", data=False)
    assert status == 0 and str(target) in out
    store = Store(target)
    assert {e.id for e in store.engagements()} == {"mes-gyor", "erp-suzhou"}
    assert len(store.all_plan_items("mes-gyor")) > 30
    assert_usage_error(run("demo-data", str(target), data=False), "already holds")
    assert_usage_error(
        run("demo-data", str(tmp_path / "x"), "--days", "0", data=False), "from 1 to"
    )


def test_restore(run, store: Store, clock: FrozenClock) -> None:
    run("add", "plan", "kept")
    from datetime import timedelta

    clock.now += timedelta(days=1)
    run("add", "plan", "next day")
    meta = store.data_dir / "sitedash.json"
    meta.write_text("{broken")
    status, out, _ = run("restore")
    assert status == 0
    assert "Restored" in out and "from 2026-11-26" in out and ".damaged-" in out
    assert Store(store.data_dir).engagement("mes") is not None
    assert_usage_error(run("restore"), "nothing to repair")
    assert_usage_error(run("restore", "no-such-backup"), "is not one of this data dir")


def test_the_console_script_and_module_run(tmp_path: Path) -> None:
    env = {**os.environ, "SITEDASH_DATA_DIR": str(tmp_path / "d")}
    module = subprocess.run(
        [sys.executable, "-m", "sitedash", "add", "plan", "x"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert module.returncode == 2 and module.stderr.count("\n") == 1
    assert "no engagement yet" in module.stderr
    script = Path(sys.executable).with_name("sitedash")
    version = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60)
    assert version.stdout.strip() == f"sitedash {__version__}"


def test_the_dashboard_needs_a_terminal(run, store: Store) -> None:
    assert_usage_error(run(), "needs a terminal")


def test_add_issue_prints_its_id(run, store: Store) -> None:
    status, out, _ = run(
        "add",
        "issue",
        "Scanner",
        "freezes",
        "--severity",
        "p1",
        "--module",
        "Production",
        "--reporter",
        "Kovács Anna",
    )
    assert (status, out) == (0, "ISS-1\n")
    issue = store.issue(1)
    assert (issue.title, issue.severity.value, issue.module, issue.reporter) == (
        "Scanner freezes",
        "P1",
        "Production",
        "Kovács Anna",
    )
    assert run("add", "issue", "Another")[1] == "ISS-2\n"
    assert_usage_error(run("add", "issue", "x", "--severity", "P5"), "P1, P2, P3 or P4")


def test_clock_and_status(run, store: Store, clock: FrozenClock) -> None:
    from datetime import timedelta

    assert run("status")[1] == "MES roll-out · 0m today · 0 open issues · not clocked in\n"
    status, out, _ = run("clock", "in", "--at", "08:00")
    assert status == 0 and "Clocked in at 08:00 (mes)" in out
    run("add", "issue", "Scanner freezes")
    assert run("status")[1] == "MES roll-out · 1h30m today · 1 open issue · break in 2h30m\n"
    clock.now += timedelta(hours=3)
    assert run("status")[1].endswith("· break due\n")
    assert run("clock", "break")[0] == 0
    assert run("status")[1].endswith("· on a break\n")
    assert_usage_error(run("clock", "break"), "already on a break")
    assert_usage_error(run("clock", "in", "--at", "09:00"), "09:00 overlaps work 08:00–12:30")
    assert_usage_error(run("clock", "in", "--at", "2026-11-25 23:00"), "in the future")
    assert_usage_error(run("clock", "in", "--at", "7am"), "HH:MM")
    assert run("clock", "out")[0] == 0
    assert_usage_error(run("clock", "out"), "not clocked in")


def test_status_without_an_engagement(run, empty_store: Store) -> None:
    assert run("status") == (0, "sitedash · no engagement\n", "")


def test_the_clock_runs_before_the_first_engagement(
    run, empty_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "Asia/Shanghai")  # the machine's zone, read with --at
    status, out, _ = run("clock", "in", "--at", "08:00")
    assert status == 0 and "Clocked in at 08:00 (no engagement, local time)" in out
    [session] = empty_store.sessions_between(TODAY - timedelta(days=1), TODAY)
    assert session.start == datetime(2026, 11, 25, 0, 0, tzinfo=UTC), "08:00 in Shanghai"
    assert session.engagement == ""


def test_export_acceptance(run, store: Store, tmp_path: Path) -> None:
    status, _, err = run("export", "acceptance", "--out", str(tmp_path))
    assert status == 0
    written = tmp_path / "acceptance-mes-2026-11-25.md"
    assert str(written) in err
    assert "## Deliverables" in written.read_text()


def test_an_export_that_fails_midway_leaves_nothing_behind(
    run, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from sitedash.reports import output

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(output.os, "fsync", full)
    assert_usage_error(run("export", "daily", "--out", str(tmp_path)), "No space left")
    left = [p.name for p in tmp_path.iterdir() if p.suffix == ".md" or p.name.endswith(".tmp")]
    assert left == [], "no partial report and no temp file"
