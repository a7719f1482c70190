"""The team's reports repository, driven through the `git` command.

Running git itself (not a library) means the engineer's SSH keys, agent, credential
helpers and proxy settings apply as they do at the shell. Only fast-forward pushes are
ever made: no `--force`, no history rewritten beyond rebasing our own commits that
were never pushed, and only the paths we are given are added.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sitedash.errors import InputError
from sitedash.i18n import t
from sitedash.paths import REPORTS_ROOT

TEAM_DIR = "team-reports"
"""The clone's folder in the data dir."""


class GitFailed(InputError):
    """A git command failed; the message is git's own last line."""


def git_command() -> str:
    """The git executable; one line saying so when it is missing."""
    found = shutil.which("git")
    if found is None:
        raise InputError(t("git is not installed (or not on PATH): publishing and --pull need it"))
    return found


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    if not sys.stdin.isatty():
        env["GIT_TERMINAL_PROMPT"] = "0"  # no password prompt nobody can answer
    return env


def _last_line(text: str) -> str:
    """The line of git's output that says what went wrong (its first `fatal:` or
    `error:` line, else its last line that is not a hint)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines:
        if line.startswith(("fatal:", "error:")):
            return line
    useful = [line for line in lines if not line.startswith("hint:")]
    return (useful or lines or ["?"])[-1]


def git(
    repo: Path | None, *args: str, check: bool = True, config: Sequence[str] = ()
) -> subprocess.CompletedProcess[str]:
    """Run `git args...` in `repo`; a `GitFailed` with git's last line when `check`."""
    command = [git_command()]
    for setting in config:
        command += ["-c", setting]
    if repo is not None:
        command += ["-C", str(repo)]
    result = subprocess.run(
        [*command, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=_environment(),
        stdin=subprocess.DEVNULL if not sys.stdin.isatty() else None,
    )
    if check and result.returncode != 0:
        raise GitFailed(
            t(
                "git {command} failed: {reason}",
                command=args[0],
                reason=_last_line(result.stderr or result.stdout),
            )
        )
    return result


def is_clone(path: Path) -> bool:
    return (path / ".git").exists()


def toplevel(path: Path) -> Path | None:
    """The top of the work tree `path` is in, or None when it is in none."""
    folder = path if path.is_dir() else path.parent
    result = git(folder, "rev-parse", "--show-toplevel", check=False)
    return Path(result.stdout.strip()) if result.returncode == 0 else None


def clone(source: str, destination: Path) -> None:
    """Clone `source` (a URL or a path) into `destination`, which must not exist; a
    failed clone leaves nothing behind."""
    partial = destination.with_name(f".{destination.name}.cloning")
    shutil.rmtree(partial, ignore_errors=True)
    try:
        git(None, "clone", "--quiet", "--origin", "origin", source, str(partial))
        partial.chmod(0o700)  # private like the rest of the data dir
        partial.rename(destination)
    finally:
        shutil.rmtree(partial, ignore_errors=True)


def branch(repo: Path) -> str:
    """The branch the clone works on (the remote's default branch when it was made)."""
    return git(repo, "symbolic-ref", "--short", "HEAD").stdout.strip()


def remote_branch_exists(repo: Path, name: str) -> bool:
    result = git(
        repo, "rev-parse", "--verify", "--quiet", f"refs/remotes/origin/{name}", check=False
    )
    return result.returncode == 0


def has_identity(repo: Path) -> bool:
    return bool(git(repo, "config", "user.email", check=False).stdout.strip())


def commit_paths(repo: Path, paths: Sequence[str], message: str, *, config: Sequence[str]) -> bool:
    """Commit exactly `paths` (others' staged changes stay out); False if unchanged."""
    git(repo, "add", "--force", "--", *paths)  # even if a gitignore would hide it
    if not git(repo, "diff", "--cached", "--quiet", "--", *paths, check=False).returncode:
        return False
    git(repo, "commit", "--quiet", "--no-verify", "-m", message, "--", *paths, config=config)
    return True


@dataclass(slots=True)
class Sync:
    """How a push went."""

    pushed: bool
    reason: str = ""
    """Why not, in git's words (offline, rejected, ...)."""


def _rebase_in_progress(repo: Path) -> bool:
    git_dir = repo / ".git"
    return (git_dir / "rebase-merge").exists() or (git_dir / "rebase-apply").exists()


def pull_rebase(repo: Path, name: str, config: Sequence[str] = ()) -> str | None:
    """`git pull --rebase` of `name`, in two steps (fetch, then rebase our unpushed
    commits) so that being offline and a conflict can be told apart. Returns why it
    could not reach the remote, or None. A conflict is undone and raised: it can only
    come from a change to our own folder made elsewhere."""
    fetched = git(repo, "fetch", "--quiet", "origin", check=False)
    if fetched.returncode != 0:
        return _last_line(fetched.stderr)
    if not remote_branch_exists(repo, name):
        return None  # an empty repository: the first push creates the branch
    rebased = git(
        repo, "rebase", "--autostash", "--quiet", f"origin/{name}", check=False, config=config
    )
    if rebased.returncode != 0:
        if _rebase_in_progress(repo):
            git(repo, "rebase", "--abort", check=False)
        raise GitFailed(
            t(
                "your reports could not be put on top of the team repository's "
                "({reason}); they stay committed in {repo}",
                reason=_last_line(rebased.stderr or rebased.stdout),
                repo=repo,
            )
        )
    return None


def sync(repo: Path, *, attempts: int = 5, config: Sequence[str] = ()) -> Sync:
    """Pull with rebase, then push; a push rejected because another engineer pushed
    first is settled by pulling again (never by forcing). Offline, the commits stay.
    `config` is given to the rebase (the committer of our rebased commits)."""
    name = branch(repo)
    reason = ""
    for _ in range(attempts):
        offline = pull_rebase(repo, name, config)
        if offline is not None:
            return Sync(False, offline)
        pushed = git(
            repo,
            "push",
            "--quiet",
            "--set-upstream",
            "origin",
            f"HEAD:refs/heads/{name}",
            check=False,
        )
        if pushed.returncode == 0:
            return Sync(True)
        reason = _last_line(pushed.stderr)
    return Sync(False, reason)


def unpushed_files(repo: Path, under: str = REPORTS_ROOT) -> list[str]:
    """Report files changed by commits that no remote has yet."""
    result = git(
        repo,
        "log",
        "--format=",
        "--name-only",
        "HEAD",
        "--not",
        "--remotes",
        "--",
        under,
        check=False,
    )
    if result.returncode != 0:
        return []  # no commit yet
    return sorted({line for line in result.stdout.splitlines() if line.strip()})


def pull_ff_only(repo: Path) -> None:
    """Bring a clone up to date, or fail in one line (never a merge, never a rebase)."""
    git(repo, "pull", "--ff-only", "--quiet")
