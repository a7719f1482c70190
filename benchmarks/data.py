"""The benchmark's data: two years and one month of demo history, and a 5,000-issue board.

Generated fresh for every run with the product's own command (`sitedash demo-data`), so
the figures always describe what a user of this version would have. Every measurement
that writes, or that may write (the dashboard saves reminder state), gets its own copy
of a pristine template, so every repetition starts from the same bytes.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from harness import python_env

BOARD_ISSUES = 5_000
BOARD_OPEN = 300
"""Open issues among the 5,000 (new, in progress, waiting); the rest resolved or confirmed."""
BOARD_RESOLVED = 200


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


def prepare(root: Path) -> Datasets:
    """Write the three templates under `root` (about two seconds)."""
    days730, days30, board = root / "days730", root / "days30", root / "board5000"
    for target, days in ((days730, 730), (days30, 30)):
        subprocess.run(
            [*sitedash_command(), "demo-data", str(target), "--days", str(days), "--lang", "en"],
            check=True,
            capture_output=True,
            env=python_env(),
        )
        quiet_all_day(target)
    shutil.copytree(days730, board, symlinks=True)
    add_board_issues(board)
    return Datasets(root, days730, days30, board)


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
    """A private copy of a template (replacing an earlier copy at `destination`)."""
    if destination.exists():
        shutil.rmtree(destination)
    shutil.copytree(template, destination, symlinks=True)
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
