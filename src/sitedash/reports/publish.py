"""`sitedash publish`: export a period's report into the engineer's clone of the team
repository, commit it, and push (over git, as `services.gitrepo` drives it).

Each engineer writes only `reports/<engineer-id>/<yyyy>/<file>.md`, so two engineers'
publishes never touch the same file and a push race settles with a rebase. Offline,
the commit stays in the clone and the next publish pushes everything waiting.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sitedash.errors import InputError
from sitedash.i18n import t
from sitedash.paths import REPORTS_ROOT
from sitedash.reports.exports import render
from sitedash.reports.output import write_report
from sitedash.reports.registry import kind_label
from sitedash.services import gitrepo
from sitedash.services.identity import person_id

if TYPE_CHECKING:
    from sitedash.models import Engagement
    from sitedash.storage import Store

_PERIOD = re.compile(r"-([0-9]{4})-(W[0-9]{2}|[0-9]{2}-[0-9]{2})\.[a-z]+$")


def clone_dir(data_dir: Path) -> Path:
    return data_dir / gitrepo.TEAM_DIR


def setup(data_dir: Path, source: str) -> Path:
    """Clone the team repository into the data dir (once)."""
    gitrepo.git_command()
    target = clone_dir(data_dir)
    if gitrepo.is_clone(target):
        origin = gitrepo.git(target, "remote", "get-url", "origin", check=False).stdout.strip()
        raise InputError(
            t(
                "the team repository is already set up in {dir} (from {origin}); "
                "remove that folder to set up another",
                dir=target,
                origin=origin or "?",
            )
        )
    if target.exists():
        raise InputError(t("{dir} exists and is not a git clone; move it away first", dir=target))
    local = Path(source).expanduser()
    if local.exists():
        source = str(local.resolve())  # the clone's origin must not depend on the cwd
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    gitrepo.clone(source, target)
    return target


def engineer_folder(engineer: str) -> str:
    """`reports/<engineer-id>`: the only folder this engineer's publishes write."""
    return f"{REPORTS_ROOT}/{person_id(engineer)}"


def period_of(file_name: str, day: date) -> tuple[str, str]:
    """The year folder and the period a report's file name carries (`2026`,
    `2026-W48`), so one report always lands in one place whatever `--date` chose it."""
    match = _PERIOD.search(file_name)
    if match is None:
        return str(day.year), day.isoformat()
    return match.group(1), f"{match.group(1)}-{match.group(2)}"


def _no_links(root: Path, relative: str) -> None:
    """Refuse a path in the clone that passes through a symbolic link: a link committed
    to the team repository must not make us write outside it."""
    current = root
    for part in Path(relative).parts:
        current = current / part
        try:
            mode = current.lstat().st_mode
        except FileNotFoundError:
            return
        if stat.S_ISLNK(mode):
            raise InputError(
                t("refusing to write through {path}: it is a symbolic link", path=current)
            )


@dataclass(slots=True)
class Published:
    """What one publish did."""

    path: Path
    committed: bool
    pushed: bool
    reason: str
    waiting: list[str]
    """Report files committed here that no remote has yet."""


def publish(
    store: Store,
    kind: str,
    engagement: Engagement,
    day: date,
    *,
    engineer: str,
    now: datetime,
) -> Published:
    """Export, commit and push one report; offline, the commit waits for the next."""
    gitrepo.git_command()
    repo = clone_dir(store.data_dir)
    if not gitrepo.is_clone(repo):
        raise InputError(
            t("no team repository yet: run `sitedash publish --setup URL` (or a path) first")
        )
    if not engineer.strip():
        raise InputError(
            t(
                "publishing needs your name, which names your folder in the team "
                "repository: set it in the dashboard (ctrl+p, Settings)"
            )
        )
    text, name = render(kind, store, engagement, day, engineer=engineer, now=now)
    year, period = period_of(name, day)
    relative = f"{engineer_folder(engineer)}/{year}/{name}"
    _no_links(repo, relative)
    path = write_report(text, str(repo / Path(relative).parent) + os.sep, name, force=True)
    assert path is not None
    message = t(
        "{report} for {period} ({engagement})",
        report=kind_label(kind),
        period=period,
        engagement=engagement.id,
    )
    identity = (
        ()
        if gitrepo.has_identity(repo)
        else (f"user.name={engineer}", f"user.email={person_id(engineer)}@sitedash.invalid")
    )
    committed = gitrepo.commit_paths(repo, [relative], message, config=identity)
    synced = gitrepo.sync(repo, config=identity)
    return Published(path, committed, synced.pushed, synced.reason, gitrepo.unpushed_files(repo))
