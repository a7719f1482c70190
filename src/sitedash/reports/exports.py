"""Render a report of a given kind and write it: shared by `sitedash export`, `publish`
and the app. The kinds themselves are listed in `reports.registry`."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sitedash.errors import InputError
from sitedash.i18n import t
from sitedash.reports.output import write_report
from sitedash.reports.registry import KINDS, kind_label, report_kind

if TYPE_CHECKING:
    from sitedash.models import Engagement
    from sitedash.storage import Store

__all__ = ["KINDS", "REPORTS_DIR", "export", "export_to_dir", "kind_label", "render"]

REPORTS_DIR = "reports"


def render(
    kind: str,
    store: Store,
    engagement: Engagement | None,
    day: date,
    *,
    engineer: str,
    now: datetime,
    fmt: str | None = None,
    **options: object,
) -> tuple[str, str]:
    """Return (text, default file name) for one report of `kind` in format `fmt`;
    `options` are the kind's own (the timesheet's `period`)."""
    entry = report_kind(kind)
    fmt = fmt or entry.formats[0]
    if fmt not in entry.formats:
        raise InputError(
            t(
                "{kind} reports are written as {formats}, not {fmt}",
                kind=kind,
                formats=", ".join(entry.formats),
                fmt=fmt,
            )
        )
    module = entry.load()
    formats = {"fmt": fmt} if len(entry.formats) > 1 else {}
    text = module.render(store, engagement, day, engineer=engineer, now=now, **formats, **options)
    name = module.file_name(engagement, day, **options)
    if fmt != "md" and not name.endswith(f".{fmt}"):
        name = f"{name.removesuffix('.md')}.{fmt}"
    return text, name


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
    fmt: str | None = None,
    **options: object,
) -> Path | None:
    """Render one report and write it to `out` (see `write_report`)."""
    text, name = render(
        kind, store, engagement, day, engineer=engineer, now=now, fmt=fmt, **options
    )
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
