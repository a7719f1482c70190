"""Render a report of a given kind and write it: shared by `sitedash export` and the app."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from sitedash.errors import InputError
from sitedash.i18n import t
from sitedash.models import Engagement
from sitedash.reports import acceptance, checklist, customer, daily, faq, retro, timesheet, weekly
from sitedash.reports.output import write_report
from sitedash.storage import Store

KINDS = ("daily", "weekly", "retro", "acceptance", "timesheet", "faq", "customer", "checklist")
REPORTS_DIR = "reports"

Renderer = Callable[..., str]
_REPORTS: dict[str, tuple[Renderer, Callable[..., str]]] = {
    "daily": (daily.daily_report, daily.file_name),
    "weekly": (weekly.weekly_report, weekly.file_name),
    "retro": (retro.retro_report, retro.file_name),
    "acceptance": (acceptance.acceptance_report, acceptance.file_name),
    # The timesheet also takes `period` (--from/--to) and `fmt` (md|csv), and covers
    # every engagement when given none.
    "timesheet": (timesheet.timesheet_report, timesheet.file_name),
    "faq": (faq.faq_report, faq.file_name),
    "customer": (customer.customer_report, customer.file_name),
    "checklist": (checklist.checklist_report, checklist.file_name),
}


def kind_label(kind: str) -> str:
    return {
        "daily": t("Daily report"),
        "weekly": t("Weekly review"),
        "retro": t("Retrospective"),
        "acceptance": t("Acceptance pack"),
        "timesheet": t("Timesheet"),
        "faq": t("FAQ"),
        "customer": t("Customer status"),
        "checklist": t("Pre-arrival checklist"),
    }[kind]


def render(
    kind: str,
    store: Store,
    engagement: Engagement | None,
    day: date,
    *,
    engineer: str,
    now: datetime,
    **options: object,
) -> tuple[str, str]:
    """Return (text, default file name) for one report; `options` are the kind's own
    (the timesheet's `period` and `fmt`)."""
    if kind not in _REPORTS:
        raise InputError(
            t("unknown report {kind!r}: use one of {kinds}", kind=kind, kinds=", ".join(KINDS))
        )
    renderer, name = _REPORTS[kind]
    text = renderer(store, engagement, day, engineer=engineer, now=now, **options)
    return text, name(engagement, day, **options)


def export(
    kind: str,
    store: Store,
    engagement: Engagement | None,
    day: date,
    *,
    engineer: str,
    now: datetime,
    out: str | None,
    force: bool = False,
    **options: object,
) -> Path | None:
    text, name = render(kind, store, engagement, day, engineer=engineer, now=now, **options)
    return write_report(text, out, name, force=force)


def export_to_dir(
    store: Store, kind: str, engagement: Engagement, day: date, *, engineer: str, now: datetime
) -> Path:
    """Export from inside the app into `<data dir>/reports/`, replacing an earlier
    export of the same report (re-exporting at night after more work is the point)."""
    folder = store.data_dir / REPORTS_DIR
    folder.mkdir(mode=0o700, exist_ok=True)
    path = export(
        kind, store, engagement, day, engineer=engineer, now=now, out=str(folder), force=True
    )
    assert path is not None
    return path
