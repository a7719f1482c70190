"""The `sitedash` command's entry point: a quick command goes to a warm server if one runs.

Before any command can start, Python spends about 100 ms importing sitedash's record
codec, storage and rules (issue 23). `sitedash add plan ...` between tasks and tmux's
`sitedash status` every few seconds would pay that every time. So a quick command
(`add`, `clock`, `status`) is handed to a server process of the same installation that
has them imported already (`sitedash.server`). The server runs the very same
`sitedash.cli.main` with this process's arguments, environment, working directory and
umask, and sends back what it printed and the exit status: the outcome is the same as
here, only sooner. Without a server (none yet, another installation's, `SITEDASH_SERVER`
set to `off`, not Linux) the command runs in this process, which then starts a server
for the next one.

The hand-over never runs a command twice or not at all: the server runs it only after
this side has said "go", and once it has said "go" this side waits for the result
instead of running the command itself. A server that is slow to answer only decides
which process runs the command.

This module imports what it needs and no more (marshal, zlib, stat): being cheap is its
purpose. It uses `_socket`, the C module under `socket`: importing `socket.py` costs about
7 ms (enum, selectors, collections), more than all the rest of the client; the C module
has the same socket type and methods.
"""

from __future__ import annotations

import os
import sys

try:
    import _socket as socket
except ImportError:  # not CPython: the module that wraps it
    import socket  # type: ignore[no-redef]

SERVED = frozenset({"add", "clock", "status"})
"""Commands a server may run: the quick ones, which read no stdin and need no terminal."""
GLOBAL_OPTIONS = frozenset({"--data-dir", "--lang"})
"""Options before the command that take a value; any other option there (an abbreviated
`--data`, `--demo`, `--help`) leaves the command to this process."""
SWITCH = "SITEDASH_SERVER"
"""`off` (or `0`, `no`): never hand a command to a server nor start one."""
PROTOCOL = 1
ANSWER_WAIT_S = 60.0
"""How long to wait for the server to accept a command before running it here: only ends
a hang (a server stopped or stuck; it takes a command in milliseconds, after the one it
is running). Only decides which process runs it (see the module docstring); a server
that did not answer loses its socket, so the next commands do not wait for it too."""
MAX_MESSAGE = 64 * 1024 * 1024


def main() -> int:
    """Run `sitedash` with `sys.argv`: through a server when it can, else here."""
    argv = sys.argv[1:]
    served = servable(argv) and enabled()
    if served:
        try:
            status = hand_over(argv)
        except KeyboardInterrupt:  # the command still completes there, as a whole
            return 130
        if status is not None:
            return status
    from sitedash.cli import main as run_here

    status = run_here(argv)
    if served:
        start_server()
    return status


def servable(argv: list[str]) -> bool:
    """Whether `argv` names a quick command, read as strictly as argparse would."""
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg in GLOBAL_OPTIONS:
            index += 2
            continue
        if arg.split("=", 1)[0] in GLOBAL_OPTIONS and "=" in arg:
            index += 1
            continue
        return arg in SERVED
    return False


def enabled() -> bool:
    return sys.platform == "linux" and os.environ.get(SWITCH, "").lower() not in ("off", "0", "no")


def package_dir() -> str:
    return os.path.dirname(os.path.abspath(__file__))


def socket_path() -> str | None:
    """The server's socket for this interpreter and this installation of sitedash, in a
    directory only this user can enter (`$XDG_RUNTIME_DIR/sitedash`, else
    `/tmp/sitedash-UID`); None when there is no such directory to be had."""
    import zlib

    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and os.path.isabs(runtime):
        folder = os.path.join(runtime, "sitedash")
    else:
        folder = f"/tmp/sitedash-{os.getuid()}"
    if not _private_dir(folder):
        return None
    tag = zlib.crc32(f"{sys.executable}\0{package_dir()}".encode(errors="surrogateescape"))
    return os.path.join(folder, f"quick-{tag:08x}.sock")


def _private_dir(folder: str) -> bool:
    """`folder` exists (made 0700 if missing), is no symlink, is ours and only ours."""
    import stat

    try:
        os.mkdir(folder, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return False
    try:
        info = os.lstat(folder)
    except OSError:
        return False
    return (
        stat.S_ISDIR(info.st_mode)
        and info.st_uid == os.getuid()
        and stat.S_IMODE(info.st_mode) & 0o077 == 0
    )


def hand_over(argv: list[str]) -> int | None:
    """Run `argv` on the server: its exit status, or None when this process must run it
    (no server, another version's, it did not accept in time)."""
    path = socket_path()
    if path is None:
        return None
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.settimeout(ANSWER_WAIT_S)
        try:
            connection.connect(path)
            if peer_uid(connection) != os.getuid():
                return None
            send(connection, request(argv))
            answer = receive(connection)
        except TimeoutError:
            _retire(path)
            return None
        except (OSError, ValueError, EOFError, TypeError):
            return None
        if not isinstance(answer, dict) or answer.get("accepted") is not True:
            return None  # another installation, a cwd it cannot enter, a stale server
        try:
            send(connection, {"go": True})
        except OSError:
            return None  # it runs nothing without "go"
        connection.settimeout(None)  # committed: the command runs there, however long
        try:
            result = receive(connection)
            if not isinstance(result, dict):
                raise ValueError("not a result")
            status, out, err = result["status"], result["out"], result["err"]
        except (OSError, ValueError, EOFError, TypeError, KeyError):
            sys.stderr.write(f"sitedash: {server_stopped(argv)}\n")
            return 1
    finally:
        connection.close()
    try:
        sys.stdout.write(out)
        sys.stdout.flush()
    except BrokenPipeError:  # `sitedash status | head -c 10`
        pass
    sys.stderr.write(err)
    return int(status)


def _retire(path: str) -> None:
    """Take the socket of a server that did not answer away from the next commands; the
    server exits when it finds it gone, and a new one starts after it."""
    try:  # noqa: SIM105 (contextlib: an import this module does without)
        os.unlink(path)
    except OSError:
        pass


def server_stopped(argv: list[str]) -> str:
    """The one line for a server that ended while running the command (killed, or out of
    memory): whether it was done is not known here. Rare, so the catalogue is imported
    only then."""
    from sitedash.i18n import choose_language, language_in, set_language, t

    set_language(choose_language(language_in(argv), None))
    return t(
        "the quick-command server stopped while running the command; "
        "check with `sitedash status` whether it was done"
    )


def request(argv: list[str]) -> dict[str, object]:
    mask = os.umask(0o077)
    os.umask(mask)
    env = dict(os.environ)
    if "COLUMNS" not in env:  # `--help` wraps at this terminal's width, as it would here
        try:  # noqa: SIM105 (contextlib: an import this module does without)
            env["COLUMNS"] = str(os.get_terminal_size(sys.stdout.fileno()).columns)
        except (OSError, ValueError, AttributeError):
            pass
    return {
        "protocol": PROTOCOL,
        "argv": list(argv),
        "cwd": os.getcwd(),
        "env": env,
        "umask": mask,
        "executable": sys.executable,
        "package": package_dir(),
        "world": world(),
    }


def world() -> str:
    """What paths mean to this process: its mount namespace and root. A client in a
    container or chroot that shares /tmp with the server's user must not have its
    paths run in the server's world."""
    views = []
    for link in ("/proc/self/ns/mnt", "/proc/self/root"):
        try:
            views.append(os.readlink(link))
        except OSError:
            views.append("?")
    return " ".join(views)


def peer_uid(connection: socket.socket) -> int:
    """The user id of the process at the other end of a Unix socket (Linux)."""
    credentials = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12)
    return int.from_bytes(credentials[4:8], sys.byteorder)  # struct ucred: pid, uid, gid


def send(connection: socket.socket, message: object) -> None:
    import marshal

    body = marshal.dumps(message)  # type: ignore[arg-type]  # plain dicts, lists, str, int
    connection.sendall(len(body).to_bytes(4, "big") + body)


def receive(connection: socket.socket) -> object:
    """One message; EOFError when the other side closed first."""
    import marshal

    size = int.from_bytes(_exactly(connection, 4), "big")
    if size > MAX_MESSAGE:
        raise ValueError("message too large")
    return marshal.loads(_exactly(connection, size))


def _exactly(connection: socket.socket, size: int) -> bytes:
    chunks = []
    while size:
        chunk = connection.recv(min(size, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def start_server() -> None:
    """Start a server for the next quick command, detached from this terminal and
    session; it exits by itself after a while unused (see `sitedash.server`)."""
    path = socket_path()
    if path is None:
        return
    import subprocess

    try:  # noqa: SIM105 (contextlib: an import this module does without)
        subprocess.Popen(
            [sys.executable, "-m", "sitedash.server", path],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            close_fds=True,
            cwd="/",
        )
    except OSError:
        pass  # the next command runs here again
