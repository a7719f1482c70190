"""The benchmark's data: two years and one month of demo history, and a 5,000-issue board.

Generated fresh for every run with the product's own command (`sitedash demo-data`), so
the figures always describe what a user of this version would have. Every measurement
that writes, or that may write (the dashboard saves reminder state), gets its own copy
of a pristine template, so every repetition starts from the same bytes.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from harness import python_env

BOARD_ISSUES = 5_000
BOARD_OPEN = 300
"""Open issues among the 5,000 (new, in progress, waiting); the rest resolved or confirmed."""
BOARD_RESOLVED = 200
LARGE_BOARD_ISSUES = 20_000
"""The large board of issue 23: 20,000 issues (the same 300 open and 200 resolved)."""
YEARS_DAYS = 1_825
"""Five years of history (issue 23)."""
RECENT_DAYS = 30


def sitedash_command() -> list[str]:
    """The installed console script beside this Python, as a user would run it."""
    script = Path(sys.executable).with_name("sitedash")
    return [str(script)] if script.exists() else [sys.executable, "-m", "sitedash"]


@dataclass(frozen=True)
class Datasets:
    """Pristine templates; never written to (use `clone`)."""

    root: Path
    days730: Path
    days30: Path
    board: Path
    days1825: Path
    """Five years of demo history."""
    recent1825: Path
    """The same five years without the history before the last 30 days: what a report
    of the last weeks needs, to tell history's cost from the period's own content."""
    board20k: Path
    """730 days and 20,000 more issues."""


def datasets(root: Path) -> Datasets:
    """Where `prepare` writes the templates under `root`."""
    return Datasets(
        root,
        root / "days730",
        root / "days30",
        root / "board5000",
        root / "days1825",
        root / "recent1825",
        root / "board20000",
    )


def prepare_in_child(root: Path) -> Datasets:
    """`prepare` in a process of its own: generating 20,000 issues would leave this
    process large, and a child's peak RSS counts the pages it shared with its parent
    after the fork (every memory figure would grow with it)."""
    subprocess.run([sys.executable, __file__, str(root)], check=True, env=python_env())
    return datasets(root)


def prepare(root: Path) -> Datasets:
    """Write the templates under `root` (about ten seconds)."""
    sets = datasets(root)
    days730, days30, board = sets.days730, sets.days30, sets.board
    days1825, recent, board20k = sets.days1825, sets.recent1825, sets.board20k
    for target, days in ((days730, 730), (days30, 30), (days1825, YEARS_DAYS)):
        subprocess.run(
            [*sitedash_command(), "demo-data", str(target), "--days", str(days), "--lang", "en"],
            check=True,
            capture_output=True,
            env=python_env(),
        )
        quiet_all_day(target)
    shutil.copytree(days730, board, symlinks=True)
    add_board_issues(board)
    shutil.copytree(days730, board20k, symlinks=True)
    add_board_issues(board20k, count=LARGE_BOARD_ISSUES)
    shutil.copytree(days1825, recent, symlinks=True)
    drop_history(recent, RECENT_DAYS)
    for template in (days730, days30, board, days1825, recent, board20k):
        refresh_index(template)
    return sets


def refresh_index(data_dir: Path) -> None:
    """Bring the data dir's index (sitedash/storage/index.py) up to date, as a data dir
    in use has it: a copy has new inodes, so every entry would be computed again."""
    from sitedash.storage import Store

    Store(data_dir).refresh_index()


def drop_history(data_dir: Path, days: int) -> None:
    """Remove what happened before the last `days` days: plan items, day notes, work
    sessions, health and feedback of earlier days, training sessions of earlier days,
    and issues confirmed before then and not changed since. What remains is exactly
    what a report of the last weeks looks at."""
    import json

    from sitedash.storage.index import settled_at

    cut = datetime.now(UTC) - timedelta(days=days)
    first_day = cut.date().isoformat()

    def keep(folder: str, wanted: Callable[[dict[str, Any]], bool]) -> None:
        for path in sorted((data_dir / folder).glob("[0-9]*.json")):
            tables = json.loads(path.read_bytes())
            kept = {
                name: {k: d for k, d in docs.items() if wanted(d)} for name, docs in tables.items()
            }
            if any(kept.values()):
                path.write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
            else:
                path.unlink()

    keep("journal", lambda doc: str(doc.get("day", "9999")) >= first_day)
    keep("training", lambda doc: str(doc.get("day", "9999")) >= first_day)

    def unsettled(doc: dict[str, Any]) -> bool:
        moment = settled_at(doc)
        return moment is None or moment >= cut.timestamp()

    keep("issues", unsettled)


def quiet_all_day(data_dir: Path) -> None:
    """Reminders stay quiet all day: the demo's work clock runs since the morning, so in
    the daytime a break reminder fired 2 s after start-up and its notification was drawn
    into whichever switch was measured then (and onto every screen first shown in the
    next 20 s). The figures would depend on the time of day the benchmark ran."""
    from sitedash.storage import Store

    store = Store(data_dir)
    settings = store.settings()
    settings.wellbeing.quiet_hours = "00:00-23:59"
    store.save_settings(settings)


def clone(template: Path, destination: Path) -> Path:
    """A private copy of a template (replacing an earlier copy at `destination`).

    Files are hard-linked, which is safe because sitedash never writes a file in place
    (every write is a new file renamed over the old one), and keeps the template's
    index valid: a copy would have new inodes, and every index entry would be computed
    again, which an engineer's own data dir never needs. The lock file is copied, so
    that a clone's lock is its own."""
    if destination.exists():
        shutil.rmtree(destination)

    def link(source: str, target: str) -> None:
        if Path(source).name == ".lock":
            shutil.copy2(source, target)
            return
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)

    shutil.copytree(template, destination, symlinks=True, copy_function=link)
    return destination


def add_board_issues(data_dir: Path, count: int = BOARD_ISSUES, seed: int = 5000) -> None:
    """Add `count` issues like real history: most confirmed by the customer, a few hundred
    open, each with the status changes that got it there, over the last two years."""
    from sitedash.demo import ERP, MES
    from sitedash.models import (
        ISSUE_FLOW,
        Confirmation,
        ConfirmMethod,
        Issue,
        IssueStatus,
        Severity,
        StatusChange,
    )
    from sitedash.storage import Store

    rng = random.Random(seed)
    now = datetime.now(UTC)
    modules = ["Production", "Quality", "Warehouse", "Platform", "Reporting", "生产报工", "报表"]
    people = ["Kovács Anna", "Nagy Péter", "Szabó Gábor", "王磊", "Tóth Eszter"]
    open_steps = [IssueStatus.NEW, IssueStatus.IN_PROGRESS, IssueStatus.WAITING]
    issues: list[Issue] = []
    for n in range(count):
        opened = now - timedelta(days=730 * (count - n) / count, minutes=rng.randint(0, 600))
        if n >= count - BOARD_OPEN:
            final = rng.choice(open_steps)
        elif n >= count - BOARD_OPEN - BOARD_RESOLVED:
            final = IssueStatus.RESOLVED
        else:
            final = IssueStatus.CONFIRMED
        issue = Issue(
            title=f"{rng.choice(modules)}: problem {n} reported on line {rng.randint(1, 6)}",
            engagement=MES if rng.random() < 0.9 else ERP,
            severity=rng.choice(
                [Severity.P1] + [Severity.P2] * 3 + [Severity.P3] * 5 + [Severity.P4] * 2
            ),
            module=rng.choice(modules),
            reporter=rng.choice(people),
            symptom="Operators see an error after the shift change; 现象见截图",
            created=opened,
            history=[StatusChange(None, IssueStatus.NEW, opened)],
        )
        at = opened
        for step in ISSUE_FLOW[1 : ISSUE_FLOW.index(final) + 1]:
            at = min(at + timedelta(hours=rng.randint(2, 40)), now)
            issue.history.append(StatusChange(issue.status, step, at))
            issue.status = step
            if step is IssueStatus.IN_PROGRESS:
                issue.cause = "Configuration differs from the test system"
            elif step is IssueStatus.RESOLVED:
                issue.solution = "Aligned the configuration; verified on line 2"
            elif step is IssueStatus.CONFIRMED:
                issue.confirmation = Confirmation(
                    by=issue.reporter, method=rng.choice(list(ConfirmMethod)), at=at
                )
        issue.updated = at
        issues.append(issue)
    Store(data_dir).add_issues(issues)


if __name__ == "__main__":
    prepare(Path(sys.argv[1]))
