"""The files a lead collects: found without leaving the given paths, read no further
than their front matter, checked field by field. Any file gives a `Report` or a
`Skipped` with the reason, never an exception: one odd file never costs the roll-up."""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sitedash.errors import InputError
from sitedash.i18n import t
from sitedash.models import WorkWeek
from sitedash.paths import REPORTS_ROOT
from sitedash.reports.frontmatter import NotAReport, read_front_matter
from sitedash.reports.markdown import REPORT_SCHEMA
from sitedash.reports.registry import names
from sitedash.services.identity import person_id

HOURS_KINDS = ("daily", "weekly", "timesheet")
"""Kinds whose `worked_by_day` gives hours, and whose period shows the engineer reported."""


def readable_kinds() -> tuple[str, ...]:
    """Every kind the roll-up reads: the registered ones, and a timesheet (which may
    come from a newer sitedash than the lead's)."""
    return tuple(dict.fromkeys((*names(), *HOURS_KINDS)))


REQUIRED = ("kind", "engineer", "period_start", "period_end", "counts")
"""Fields every report has; `engagement` too, except a timesheet (it may span them)."""
MAX_COUNT = 10**9
"""Larger figures are not a real engineer's: a hand-edited or damaged file."""
COUNT_MAPS = ("counts", "worked_by_day", "issues_by_status", "open_by_severity")
"""Fields that map names to whole numbers, when present (`counts` always is)."""
TEXT_FIELDS = ("kind", "engineer", "engagement", "engagement_name", "customer", "generated_at")


@dataclass(slots=True)
class Skipped:
    """A file the roll-up did not read, and why."""

    path: Path
    reason: str


@dataclass(slots=True)
class Report:
    """The front matter of one engineer's report, checked."""

    path: Path
    fields: dict[str, Any]
    start: date
    end: date

    @property
    def kind(self) -> str:
        return str(self.fields["kind"])

    @property
    def engineer(self) -> str:
        return str(self.fields["engineer"])

    @property
    def engagement(self) -> str:
        return str(self.fields.get("engagement") or "")

    @property
    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = self.fields["counts"]  # checked by `misshapen`
        return counts

    @property
    def generated(self) -> date | None:
        """The day it was made (UTC), when it says."""
        with contextlib.suppress(TypeError, ValueError):
            made = datetime.fromisoformat(str(self.fields.get("generated_at"))).date()
            return made if EARLIEST <= made <= LATEST else None
        return None

    @property
    def work_week(self) -> WorkWeek | None:
        """The engineer's working week at the report's site, when it says (a timesheet
        of every engagement, or a report from before sitedash wrote it, does not)."""
        with contextlib.suppress(ValueError):
            return WorkWeek(str(self.fields.get("work_week", "")))
        return None

    @property
    def as_of(self) -> date:
        """The day its figures describe: the period's end, or the day it was made if
        that is earlier (a weekly review sent on Monday is not Sunday's board)."""
        made = self.generated
        return max(self.start, min(self.end, made)) if made else self.end

    @property
    def order(self) -> tuple[date, str, str]:
        """Newer period first, then the later export (then the path, so that equal
        reports always settle the same way)."""
        return self.end, str(self.fields.get("generated_at", "")), str(self.path)


# -- finding files -------------------------------------------------------------------


def check_paths(paths: Iterable[str | Path]) -> list[Path]:
    """The paths as given; a path that does not exist is the user's mistake, and so is
    an empty one (`collect "$DIR"` with DIR unset would read the whole working directory)."""
    checked = []
    for raw in paths:
        if not str(raw).strip():
            raise InputError(t("an empty path: give the folder or file of the reports"))
        path = Path(raw).expanduser()
        if not path.exists():
            raise InputError(t("{path} does not exist", path=path))
        checked.append(path)
    return checked


def _inside(real: str, roots: list[str]) -> bool:
    return any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def find_files(paths: Iterable[Path]) -> Iterator[Path | Skipped]:
    """Files named on the command line, and the *.md files under directories, each
    once. Other files there are listed as skipped, so the lead sees what was not read.
    Hidden files and folders (`.git`) are left out. A symbolic link found inside a
    directory is never followed: one that points outside the given paths is listed as
    skipped; one that points inside is read where it really is.

    Only the given paths are remembered, never the files found, so a tree of any size
    is walked in the same memory.
    """
    given = list(paths)
    folders = sorted({os.path.realpath(p) for p in given if p.is_dir()})
    # A folder inside another given folder is walked with it, not again.
    folders = [f for f in folders if not _inside(f, [g for g in folders if g != f])]
    named = [os.path.realpath(p) for p in given if not p.is_dir()]
    roots = folders + named
    for real in dict.fromkeys(named):
        yield Path(real)
    for folder in folders:
        errors: list[OSError] = []
        for where, dirs, files in os.walk(folder, onerror=errors.append):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in list(dirs):
                inner = os.path.join(where, name)
                if os.path.islink(inner):
                    dirs.remove(name)  # os.walk does not descend into it either
                    if not _inside(os.path.realpath(inner), roots):
                        yield Skipped(Path(inner), t("a link to a folder outside the given paths"))
            for name in sorted(f for f in files if not f.startswith(".")):
                inner = os.path.join(where, name)
                if os.path.islink(inner):
                    if not _inside(os.path.realpath(inner), roots):
                        yield Skipped(Path(inner), t("a link to a file outside the given paths"))
                elif not name.lower().endswith(".md"):
                    yield Skipped(Path(inner), t("not a Markdown file (.md)"))
                elif inner not in named:
                    yield Path(inner)
        for error in errors:
            yield Skipped(
                Path(error.filename or folder), t("unreadable: {reason}", reason=error.strerror)
            )


# -- reading one file ----------------------------------------------------------------


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNT


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
EARLIEST, LATEST = date(1970, 1, 1), date(2199, 12, 31)
"""Dates outside these are no engineer's report (and keep date arithmetic in range)."""


def day_of(value: object) -> date | None:
    """A YYYY-MM-DD text as a date in a plausible range, else None."""
    if not isinstance(value, str) or not _DAY.fullmatch(value):
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return day if EARLIEST <= day <= LATEST else None


def _is_day(value: object) -> bool:
    return day_of(value) is not None


def _is_texts(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def misshapen(fields: dict[str, Any]) -> str | None:
    """The first field the roll-up reads that does not have the shape sitedash writes."""
    for name in TEXT_FIELDS:
        if name in fields and not isinstance(fields[name], str):
            return name
    if not str(fields.get("engineer", "")).strip():
        return "engineer"
    for name in COUNT_MAPS:
        value = fields.get(name, {} if name != "counts" else None)
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and _is_count(v) for k, v in value.items()
        ):
            return name
    if not all(_is_day(day) for day in fields.get("worked_by_day", {})):
        return "worked_by_day"
    if not _is_texts(fields.get("blockers", [])):
        return "blockers"
    opened = fields.get("open_p1_opened", {})
    if not isinstance(opened, dict) or not all(_is_day(d) for d in opened.values()):
        return "open_p1_opened"
    pending = fields.get("pending_changes_since", [])
    if not isinstance(pending, list) or not all(_is_day(d) for d in pending):
        return "pending_changes_since"
    if "rotation_due" in fields and not _is_day(fields["rotation_due"]):
        return "rotation_due"
    for name in ("late_milestones", "at_risk_milestones", "open_risks"):
        value = fields.get(name, 0)
        if not (_is_count(value) or _is_texts(value)):
            return name
    return None


def load(path: Path) -> Report | Skipped:
    """A valid sitedash report, or why it is not one (never an exception).

    The file is opened without following a link put there meanwhile and without
    blocking on a FIFO or a device, and only its front matter is read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return Skipped(path, t("not a regular file"))
            fields = read_front_matter(handle)
    except NotAReport as error:
        reason = str(error)
        if reason == t("not UTF-8 text"):
            return Skipped(path, reason)
        return Skipped(path, t("not a sitedash report: {reason}", reason=reason))
    except OSError as error:
        return Skipped(path, t("unreadable: {reason}", reason=error.strerror))
    return check(path, fields)


def check(path: Path, fields: dict[str, Any]) -> Report | Skipped:
    """The report those front matter fields make, or why they make none."""
    if "sitedash_report" not in fields:
        return Skipped(path, t("not a sitedash report: no sitedash_report field"))
    version = fields["sitedash_report"]
    if isinstance(version, bool) or version != REPORT_SCHEMA:
        return Skipped(
            path,
            t(
                "unknown report schema {version!r}; this sitedash reads {known}",
                version=version,
                known=REPORT_SCHEMA,
            ),
        )
    if fields.get("kind") == "rollup":
        return Skipped(path, t("a roll-up, not an engineer's report"))
    required = REQUIRED if fields.get("kind") == "timesheet" else (*REQUIRED, "engagement")
    missing = [name for name in required if name not in fields]
    if missing:
        return Skipped(path, t("missing fields: {names}", names=", ".join(missing)))
    shape = misshapen(fields)
    if shape:
        return Skipped(path, t("{field} is not what a sitedash report writes", field=shape))
    if fields["kind"] not in readable_kinds():
        return Skipped(path, t("unknown report kind {kind!r}", kind=fields["kind"]))
    start, end = day_of(fields["period_start"]), day_of(fields["period_end"])
    if start is None or end is None or end < start:
        return Skipped(path, t("bad period dates"))
    folder = publish_folder(path)
    if folder is not None and folder != person_id(str(fields["engineer"])):
        return Skipped(
            path,
            t(
                "in {folder}'s folder of the team repository, but {engineer}'s report: "
                "not counted for either",
                folder=folder,
                engineer=fields["engineer"],
            ),
        )
    return Report(path, fields, start, end)


def publish_folder(path: Path) -> str | None:
    """The engineer folder a report sits in when it is laid out as `sitedash publish`
    writes the team repository (`reports/<engineer-id>/<yyyy>/<file>.md`), else None.

    Each engineer's publishes write only their own folder; a report found in someone
    else's (pushed there by hand, or a copy of another engineer's) must not count as
    theirs, nor hide that its owner did not report."""
    year, folder, root = path.parent, path.parent.parent, path.parent.parent.parent
    if root.name == REPORTS_ROOT and len(year.name) == 4 and year.name.isdigit():
        return folder.name
    return None
