"""The quick-command server (issue 23): a command it runs ends as it would in a process
of its own (output, exit status, what is stored), with the client's environment,
working directory and umask; it never runs a command twice or one the client went on
to run itself; the client loads only the standard library it needs.

Each test starts its own server on a socket under its own tmp dir and stops it."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitedash import launch, server
from sitedash.storage import Store

SERVER_WAIT_S = 120.0
"""Only ends a hang: every wait below is for a condition."""


def wait_for(condition: object, what: str) -> None:
    assert callable(condition)
    deadline = time.monotonic() + SERVER_WAIT_S
    while not condition():
        assert time.monotonic() < deadline, f"{what}: not within {SERVER_WAIT_S} s"
        time.sleep(0.02)


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A running server for this interpreter and checkout; yields its socket path."""
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    monkeypatch.setenv("SITEDASH_SERVER", "on")
    path = launch.socket_path()
    assert path is not None and path.startswith(str(runtime))
    process = subprocess.Popen(
        [sys.executable, "-m", "sitedash.server", path],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for(lambda: answers(path) or process.poll() is not None, "the server listens")
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        yield path
    finally:
        server.stop(path)
        try:
            process.wait(timeout=SERVER_WAIT_S)
        finally:
            if process.poll() is None:
                process.kill()
            if process.stderr:
                process.stderr.close()


def answers(path: str) -> bool:
    """A server accepts connections on `path` (nothing is sent: it drops the client)."""
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.connect(path)
        return True
    except OSError:
        return False
    finally:
        probe.close()


def sitedash(*args: str, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m sitedash ARGS` as a shell runs it, with `env` added."""
    return subprocess.run(
        [sys.executable, "-m", "sitedash", *args],
        capture_output=True,
        text=True,
        timeout=SERVER_WAIT_S,
        cwd=cwd,
        env={**os.environ, **env},
    )


def files(data_dir: Path) -> dict[str, object]:
    """The data files' records without the fields that differ between two runs of the
    same commands (ids and times), for comparing two data dirs."""
    varying = {"id", "created", "updated", "at", "start", "end", "logged", "history"}

    def strip(value: object) -> object:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in varying}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    found: dict[str, object] = {}
    for path in sorted(data_dir.rglob("*.json")):
        relative = path.relative_to(data_dir).as_posix()
        if relative.split("/")[0] in ("backups", "index", "drafts"):
            continue
        found[relative] = strip(json.loads(path.read_text()))
    return found


def test_a_command_through_the_server_ends_as_it_does_alone(
    served: str, store: Store, tmp_path: Path
) -> None:
    here = tmp_path / "alone"
    shutil.copytree(store.data_dir, here)
    there = store.data_dir
    commands = [
        ["add", "plan", "Install", "the", "MES", "client", "--date", "2026-11-30"],
        ["add", "plan", "Call the DBA", "--estimate", "1h30", "--date", "2026-11-30"],
        ["add", "issue", "Scanner freezes after shift change", "--severity", "P1"],
        ["add", "issue", "Report prints blank", "--module", "reports"],
        ["add", "plan", "x", "--estimate", "lots"],  # a mistake: one line, status 2
        ["clock", "bogus"],  # argparse's complaint
        ["status"],
        ["add", "--help"],
        ["--lang", "zh", "status"],
    ]
    for command in commands:
        alone = sitedash("--data-dir", str(here), *command, SITEDASH_SERVER="off")
        through = sitedash("--data-dir", str(there), *command)
        assert (through.returncode, through.stdout, through.stderr) == (
            alone.returncode,
            alone.stdout.replace(str(here), str(there)),
            alone.stderr.replace(str(here), str(there)),
        ), command
    assert files(there) == files(here)
    assert len(Store(there).issues("mes")) == 2
    assert server.stop(served) == len(commands), "every command went through the server"


def test_the_server_runs_it_with_the_clients_working_directory_and_environment(
    served: str,
    store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`hand_over` returns a status only when the server ran the command: the data dir
    comes from the client's working directory or `$SITEDASH_DATA_DIR`, the language
    from its locale."""
    work = store.data_dir.parent
    monkeypatch.chdir(work)
    relative = store.data_dir.name
    status = launch.hand_over(["--data-dir", relative, "add", "plan", "From a relative dir"])
    assert status == 0
    assert "From a relative dir" in capsys.readouterr().out
    monkeypatch.setenv("SITEDASH_DATA_DIR", str(store.data_dir))
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert launch.hand_over(["add", "plan", "从环境变量"]) == 0
    out = capsys.readouterr().out
    assert "从环境变量" in out and out.startswith("已添加"), out
    titles = [item.title for item in Store(store.data_dir).all_plan_items()]
    assert {"From a relative dir", "从环境变量"} <= set(titles)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    fresh = tmp_path / "fresh"
    assert launch.hand_over(["--data-dir", str(fresh), "add", "plan", "x"]) == 2
    assert "no engagement yet" in capsys.readouterr().err


def test_nothing_runs_without_the_clients_go(
    served: str, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    """A client that stopped waiting after the server accepted (it then runs the
    command itself) must not have it run there too."""
    argv = ["--data-dir", str(store.data_dir), "add", "plan", "Only once"]
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.connect(served)
    launch.send(connection, launch.request(argv))
    assert launch.receive(connection) == {"accepted": True}
    connection.close()  # gone without "go"
    assert launch.hand_over(["--data-dir", str(store.data_dir), "status"]) == 0
    titles = [item.title for item in Store(store.data_dir).all_plan_items()]
    assert "Only once" not in titles
    assert launch.hand_over(argv) == 0
    titles = [item.title for item in Store(store.data_dir).all_plan_items()]
    assert titles.count("Only once") == 1


def test_the_server_refuses_what_it_does_not_serve(served: str) -> None:
    for own in (served, served + ".lock"):  # files 0600, in a 0700 dir
        assert os.stat(own).st_mode & 0o777 == 0o600, own
    assert os.stat(os.path.dirname(served)).st_mode & 0o777 == 0o700
    for argv in ([], ["--demo"], ["export", "daily"], ["--data", "x", "status"]):
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.connect(served)
        launch.send(connection, launch.request(argv))
        assert launch.receive(connection) == {"accepted": False}, argv
        connection.close()
    for field, value in (("package", "/elsewhere/sitedash"), ("world", "mnt:[1] /chroot")):
        other = launch.request(["status"])
        other[field] = value  # another installation; a container sharing /tmp
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.connect(served)
        launch.send(connection, other)
        assert launch.receive(connection) == {"accepted": False}, field
        connection.close()
    assert answers(served), "a refusal does not stop the server"


def test_the_client_loads_only_what_it_needs(served: str, store: Store) -> None:
    probe = (
        "import sys\n"
        "from sitedash.launch import main\n"
        "sys.argv = ['sitedash', '--data-dir', sys.argv[1], 'add', 'plan', 'probe']\n"
        "code = main()\n"
        "modules = sorted(sys.modules)\n"
        "import json\n"
        "print(json.dumps({'code': code, 'modules': modules}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(store.data_dir)],
        capture_output=True,
        text=True,
        timeout=SERVER_WAIT_S,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["code"] == 0
    ours = [m for m in result["modules"] if m.startswith("sitedash")]
    assert ours == ["sitedash", "sitedash.launch"], "served: nothing of sitedash imported"
    heavy = {"msgspec", "tinydb", "textual", "rich", "platformdirs", "json", "argparse"}
    assert heavy.isdisjoint(result["modules"])


def test_a_server_stops_when_its_code_changed(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    module = package / "mod.py"
    module.write_text("x = 1\n")
    sys.path.insert(0, str(tmp_path))
    try:
        import pkg.mod  # noqa: F401

        loaded = server.Loaded(str(package))
        assert not loaded.changed()
        stamp = module.stat().st_mtime_ns
        os.utime(module, ns=(stamp + 10**9, stamp + 10**9))
        assert loaded.changed()
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("pkg.mod", None)
        sys.modules.pop("pkg", None)


def test_the_server_exits_when_unused_or_its_socket_is_gone(tmp_path: Path) -> None:
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    for case in ("idle", "socket removed"):
        path = str(runtime / f"{case.replace(' ', '-')}.sock")
        idle = 1.0 if case == "idle" else 10_000.0
        code = (
            "import sys, sitedash.server as s\n"
            f"s.TICK_S = 0.05\ns.IDLE_S = {idle}\n"
            "raise SystemExit(s.serve(sys.argv[1]))\n"
        )
        process = subprocess.Popen([sys.executable, "-c", code, path])
        try:
            wait_for(lambda p=path: answers(p), "the server listens")  # type: ignore[misc]
            if case == "socket removed":
                os.unlink(path)
            assert process.wait(timeout=SERVER_WAIT_S) == 0
            assert not os.path.exists(path)
        finally:
            if process.poll() is None:
                process.kill()


def test_only_quick_commands_are_served_and_read_as_argparse_would() -> None:
    assert launch.servable(["status"])
    assert launch.servable(["--data-dir", "status", "add", "plan", "x"])
    assert launch.servable(["--data-dir=d", "--lang", "zh", "clock", "in"])
    assert not launch.servable(["--data", "d", "status"])  # an abbreviation: argparse's
    assert not launch.servable([])  # the dashboard
    assert not launch.servable(["--demo"])
    assert not launch.servable(["export", "daily"])
    assert not launch.servable(["-h"])
    assert not launch.servable(["--lang"])


def test_the_socket_lives_only_in_a_private_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = tmp_path / "shared"
    runtime.mkdir()
    (runtime / "sitedash").mkdir(mode=0o777)
    os.chmod(runtime / "sitedash", 0o777)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    assert launch.socket_path() is None
    os.chmod(runtime / "sitedash", 0o700)
    path = launch.socket_path()
    assert path is not None and path.startswith(str(runtime / "sitedash"))


def test_a_server_that_dies_after_go_is_reported_not_rerun(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Once it said "go" the client cannot know whether the command was done: it says
    so in one line (exit 1) and does not run it again itself."""
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    monkeypatch.setenv("SITEDASH_SERVER", "on")
    path = launch.socket_path()
    assert path is not None
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(1)
    seen: list[object] = []

    def dying_server() -> None:
        connection, _ = listener.accept()
        with connection:
            seen.append(launch.receive(connection))
            launch.send(connection, {"accepted": True})
            seen.append(launch.receive(connection))
        # gone without a result

    worker = threading.Thread(target=dying_server)
    worker.start()
    data_dir = tmp_path / "never-written"
    try:
        status = launch.hand_over(["--data-dir", str(data_dir), "add", "plan", "x"])
    finally:
        worker.join(timeout=SERVER_WAIT_S)
        listener.close()
    assert status == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "stopped while running the command" in err
    assert seen[-1] == {"go": True}
    assert not data_dir.exists(), "the client did not run the command itself"


def test_a_server_that_does_not_answer_loses_its_socket(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stopped or stuck server: the client runs the command itself, and the next
    commands do not wait for that server too."""
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    path = launch.socket_path()
    assert path is not None
    stuck = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stuck.bind(path)
    stuck.listen(1)  # never accepts, never answers
    monkeypatch.setattr(launch, "ANSWER_WAIT_S", 0.2)  # the test's own hang
    try:
        assert launch.hand_over(["status"]) is None
        assert not os.path.exists(path)
    finally:
        stuck.close()
