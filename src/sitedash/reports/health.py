"""The front matter a lead's "Team health" reads: which P1 issues are open and since
when, which change requests wait and since when, when rotation is due. Written by the
daily and weekly reports (and the change requests by the acceptance pack too)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from sitedash.models import Decision, Severity
from sitedash.services.review import as_of
from sitedash.services.timeutil import work_day, zone
from sitedash.services.wellbeing import rotation_dates

if TYPE_CHECKING:
    from sitedash.models import ChangeRequest, Engagement, Issue
    from sitedash.reports.markdown import FrontMatterValue
    from sitedash.storage import Store


def open_p1_opened(
    issues: Sequence[Issue], moment: datetime, engagement: Engagement, day_starts_at: str
) -> dict[str, date]:
    """The P1 issues open at `moment`, each with the site day it was reported."""
    site = zone(engagement.site_tz)
    return {
        issue.key: work_day(issue.created, site, day_starts_at)
        for issue, status in as_of(issues, moment)
        if status.is_open and issue.severity is Severity.P1 and issue.created
    }


def pending_changes_since(changes: Sequence[ChangeRequest], day: date) -> list[date]:
    """The days the change requests still pending at the end of `day` were asked for."""
    return sorted(
        change.day
        for change in changes
        if change.day is not None
        and change.day <= day
        and (
            change.decision is Decision.PENDING
            or (change.decided_on is not None and change.decided_on > day)
        )
    )


def rotation_due(store: Store, engagement: Engagement, day: date) -> date | None:
    """The next rotation date on or after `day` (the wellbeing settings' months)."""
    upcoming = [d for d in rotation_dates(engagement, store.settings().wellbeing) if d >= day]
    return min(upcoming) if upcoming else None


def health_fields(
    store: Store,
    engagement: Engagement,
    day: date,
    moment: datetime,
    issues: Sequence[Issue] | None = None,
) -> dict[str, FrontMatterValue]:
    """`open_p1_opened`, `pending_changes_since` and `rotation_due` of a report that
    ends on `day` (the board as it stood at `moment`). `issues`: every issue that may
    have been open then (the report's own, read once), else all of them are read."""
    settings = store.settings()
    if issues is None:
        issues = store.issues(engagement.id)
    fields: dict[str, FrontMatterValue] = {
        "open_p1_opened": open_p1_opened(issues, moment, engagement, settings.day_starts_at),
        "pending_changes_since": [
            d.isoformat() for d in pending_changes_since(store.change_requests(engagement.id), day)
        ],
    }
    due = rotation_due(store, engagement, day)
    if due is not None:
        fields["rotation_due"] = due
    return fields
