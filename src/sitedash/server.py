"""The quick-command server: `sitedash add`, `clock` and `status` without the imports.

`sitedash.launch` starts it after a quick command had to run without one: `python -m
sitedash.server SOCKET`. It imports the command line once, then runs one command at a
time for the processes of its user that connect, each with their own arguments,
environment, working directory and umask, and sends back what the command printed and
its exit status. The data stays where it is: every command opens the store afresh, takes
its lock and writes atomically, exactly as it does in a process of its own.

It exits by itself when unused for `IDLE_S`, when its socket was removed or taken over,
and before serving a command once a module it runs changed on disk (an upgrade or an
edit): that command then runs in its own process, which starts a fresh server.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import os
import socket
import sys
import time
import traceback

from sitedash import cli, launch

IDLE_S = 15 * 60
"""A server unused this long exits (tmux's status line every few seconds keeps it)."""
TICK_S = 30.0
"""How often an idle server checks whether to exit."""
REQUEST_WAIT_S = 30.0
"""A client that connected but sends nothing for this long is dropped (it ran nothing)."""


class Served:
    """How many commands this server ran (`stop` reports it: tests, benchmarks)."""

    count = 0


class Loaded:
    """The files of sitedash's modules this process has imported, with their mtimes."""

    def __init__(self, package: str) -> None:
        self.package = package + os.sep
        self.stamps: dict[str, int] = {}
        self.note()

    def note(self) -> None:
        for module in list(sys.modules.values()):
            path = getattr(module, "__file__", None)
            if isinstance(path, str) and path.startswith(self.package) and path not in self.stamps:
                self.stamps[path] = _mtime(path)

    def changed(self) -> bool:
        return any(_mtime(path) != stamp for path, stamp in self.stamps.items())


def _mtime(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return -1


def warm() -> None:
    """Import what the quick commands import lazily, before the first one asks."""
    from sitedash.services import issues, status, wellbeing  # noqa: F401


def serve(path: str) -> int:
    """Serve on `path` until idle, replaced, outdated or stopped; 0 when another server
    already serves there."""
    folder = os.path.dirname(path)
    lock_fd = os.open(path + ".lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    with os.fdopen(lock_fd, "r+b") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return 0  # another server has it
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)  # left by a server that was killed
        warm()  # before listening: a client that connects is served at once
        loaded = Loaded(launch.package_dir())
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        mask = os.umask(0o177)
        try:
            listener.bind(path)
        finally:
            os.umask(mask)
        listener.listen(32)
        listener.settimeout(TICK_S)
        inode = os.stat(path).st_ino
        last_used = time.monotonic()
        try:
            while True:
                try:
                    connection, _ = listener.accept()
                except TimeoutError:
                    unused = time.monotonic() - last_used > IDLE_S
                    if unused or not _still_ours(path, inode) or not os.path.isdir(folder):
                        return 0
                    continue
                last_used = time.monotonic()
                with connection:
                    if not handle(connection, loaded):
                        return 0
        finally:
            listener.close()
            if _still_ours(path, inode):
                with contextlib.suppress(OSError):
                    os.unlink(path)


def _still_ours(path: str, inode: int) -> bool:
    try:
        return os.stat(path).st_ino == inode
    except OSError:
        return False


def handle(connection: socket.socket, loaded: Loaded) -> bool:
    """Serve one connection; False when the server should exit."""
    connection.settimeout(REQUEST_WAIT_S)
    try:
        if launch.peer_uid(connection) != os.getuid():
            return True
        message = launch.receive(connection)
    except (OSError, ValueError, EOFError, TypeError):
        return True
    if not isinstance(message, dict):
        return True
    if message.get("stop") is True:
        with contextlib.suppress(OSError):
            launch.send(connection, {"stopped": True, "served": Served.count})
        return False
    outdated = loaded.changed()
    if outdated or not _acceptable(message):
        with contextlib.suppress(OSError):
            launch.send(connection, {"accepted": False})
        return not outdated
    try:
        os.chdir(message["cwd"])
    except (OSError, TypeError, ValueError):
        with contextlib.suppress(OSError):
            launch.send(connection, {"accepted": False})
        return True
    try:
        try:
            launch.send(connection, {"accepted": True})
            connection.settimeout(None)  # its "go", or its end: never a guess
            go = launch.receive(connection)
        except (OSError, ValueError, EOFError, TypeError):
            return True  # it did not say "go": it runs the command itself
        if go != {"go": True}:
            return True
        status, out, err = run(message)
        Served.count += 1
        with contextlib.suppress(OSError):
            launch.send(connection, {"status": status, "out": out, "err": err})
        loaded.note()
        return True
    finally:
        os.chdir("/")


def _acceptable(message: dict[object, object]) -> bool:
    argv = message.get("argv")
    return (
        message.get("protocol") == launch.PROTOCOL
        and message.get("executable") == sys.executable
        and message.get("package") == launch.package_dir()
        and message.get("world") == launch.world()
        and "?" not in launch.world()
        and isinstance(argv, list)
        and all(isinstance(arg, str) for arg in argv)
        and launch.servable(argv)  # the client asks only for these; so do we
        and isinstance(message.get("env"), dict)
        and isinstance(message.get("cwd"), str)
        and isinstance(message.get("umask"), int)
    )


def run(message: dict[object, object]) -> tuple[int, str, str]:
    """Run one command as its client's process would: its environment, umask and time
    zone; what it prints captured."""
    argv = message["argv"]
    env = message["env"]
    umask = message["umask"]
    assert isinstance(argv, list) and isinstance(env, dict) and isinstance(umask, int)
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update({str(k): str(v) for k, v in env.items()})
    time.tzset()
    mask = os.umask(umask)
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = _exit_status(argv)
    finally:
        os.umask(mask)
        os.environ.clear()
        os.environ.update(saved)
        time.tzset()
    return status, out.getvalue(), err.getvalue()


def _exit_status(argv: list[str]) -> int:
    """`cli.main`'s status; `--help` and `--version` end with SystemExit, as in a process
    of their own; anything unexpected prints its traceback, as it would there."""
    try:
        return cli.main(argv)
    except SystemExit as done:
        if done.code is None or isinstance(done.code, int):
            return done.code or 0
        print(done.code, file=sys.stderr)
        return 1
    except Exception:
        traceback.print_exc()
        return 1


def stop(path: str) -> int | None:
    """Ask the server on `path` to exit (tests, benchmarks): the number of commands it
    ran, None when no server answered."""
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.settimeout(launch.ANSWER_WAIT_S)
        connection.connect(path)
        launch.send(connection, {"stop": True})
        answer = launch.receive(connection)
    except (OSError, ValueError, EOFError, TypeError):
        return None
    finally:
        connection.close()
    if isinstance(answer, dict) and isinstance(answer.get("served"), int):
        return int(answer["served"])
    return None


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: python -m sitedash.server SOCKET", file=sys.stderr)
        raise SystemExit(2)
    raise SystemExit(serve(sys.argv[1]))
