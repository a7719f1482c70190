"""`sitedash status`: one short line for a shell prompt or a tmux status bar.

Called every few seconds by tmux, so it reads as little as it can: settings, this
month's journal and the issue files, no textual; git runs only once a team clone
exists (`sitedash publish --setup`).
"""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

from sitedash.i18n import t, tn
from sitedash.models import IssueStatus
from sitedash.services import gitrepo, wellbeing
from sitedash.services.engagements import active_engagement
from sitedash.services.today import format_minutes
from sitedash.storage import Store

OPEN = (IssueStatus.NEW, IssueStatus.IN_PROGRESS, IssueStatus.WAITING)


def status_line(store: Store, now: datetime) -> str:
    """`MES roll-out · 5h12m today · 7 open issues · break in 45m`."""
    settings = store.settings()
    engagement = active_engagement(store, settings)
    if engagement is None:
        return t("sitedash · no engagement")
    context = wellbeing.ClockContext(engagement, settings.day_starts_at)
    today = context.day_of(now)
    sessions = store.sessions_between(today - timedelta(days=2), today)
    worked = wellbeing.minutes_on(sessions, today, now)
    health = [store.health(today)]
    due = wellbeing.due_reminders(
        sessions, health, settings.wellbeing, now, context.site, settings.day_starts_at, engagement
    )
    state = wellbeing.ReminderState.from_doc(store.reminder_state())
    hint = wellbeing.status_hint(sessions, settings.wellbeing, now, due, state)
    open_issues = len(store.issues(engagement.id, OPEN))
    parts = [
        engagement.name,
        t("{worked} today", worked=format_minutes(int(worked)) or "0m"),
        tn(open_issues, "{n} open issue", "{n} open issues"),
        hint,
    ]
    waiting = reports_not_pushed(store.data_dir)
    if waiting:
        parts.append(tn(waiting, "{n} report not pushed", "{n} reports not pushed"))
    return " · ".join(parts)


def reports_not_pushed(data_dir: Path) -> int:
    """Reports `sitedash publish` committed in the team clone that no remote has yet
    (0 without a clone or without git: a status line never fails for that)."""
    clone = data_dir / gitrepo.TEAM_DIR
    if not gitrepo.is_clone(clone) or shutil.which("git") is None:
        return 0
    return len(gitrepo.unpushed_files(clone))
