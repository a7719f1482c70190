"""The report kinds sitedash writes: the one list of kinds, their labels, renderers and
file names.

`sitedash export` and `sitedash publish` take their choices from here, `collect` knows
the kinds it reads from here, and the app can offer one export command per entry. The
list is plain data (importing it loads no renderer), so the command line stays quick:
a kind's module is imported only when a report of that kind is made.

Adding a kind is one entry below plus its module, which provides
`render(store, engagement, day, *, engineer, now, **options) -> str` and
`file_name(engagement, day, **options) -> str`. A kind with more than one format
(`formats`) also takes `fmt=`; a kind's own options (the timesheet's `period`) travel
through `options` from the command line.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

from sitedash.i18n import t

if TYPE_CHECKING:
    from sitedash.models import Engagement
    from sitedash.storage import Store


class ReportModule(Protocol):
    """What a report kind's module provides."""

    def render(
        self,
        store: Store,
        engagement: Engagement | None,
        day: date,
        *,
        engineer: str,
        now: datetime,
        **options: object,
    ) -> str: ...

    def file_name(self, engagement: Engagement | None, day: date, **options: object) -> str: ...


@dataclass(frozen=True, slots=True)
class ReportKind:
    """One kind of report."""

    name: str
    """The name on the command line and in the front matter's `kind`."""
    module: str
    """The module that renders it (imported only when a report of the kind is made)."""
    label: Callable[[], str]
    """Its name for people, in the current language."""
    command: Callable[[], str]
    """The app's command that exports it."""
    about: Callable[[], str]
    """One line on what the app's command writes."""
    formats: tuple[str, ...] = ("md",)
    """Output formats; the first is the default."""

    def load(self) -> ReportModule:
        module: ReportModule = importlib.import_module(self.module)
        return module


REPORT_KINDS: tuple[ReportKind, ...] = (
    ReportKind(
        "daily",
        "sitedash.reports.daily",
        lambda: t("Daily report"),
        lambda: t("Export daily report"),
        lambda: t("Today's daily report as Markdown"),
    ),
    ReportKind(
        "weekly",
        "sitedash.reports.weekly",
        lambda: t("Weekly review"),
        lambda: t("Export weekly review"),
        lambda: t("This week's review as Markdown"),
    ),
    ReportKind(
        "retro",
        "sitedash.reports.retro",
        lambda: t("Retrospective"),
        lambda: t("Export retrospective"),
        lambda: t("The engagement's retrospective"),
    ),
    ReportKind(
        "acceptance",
        "sitedash.reports.acceptance",
        lambda: t("Acceptance pack"),
        lambda: t("Export acceptance pack"),
        lambda: t("Deliverables, sign-offs, confirmations, change requests"),
    ),
    ReportKind(
        "timesheet",
        "sitedash.reports.timesheet",
        lambda: t("Timesheet"),
        lambda: t("Export timesheet"),
        lambda: t("This week's hours per day and engagement"),
        formats=("md", "csv"),
    ),
    ReportKind(
        "faq",
        "sitedash.reports.faq",
        lambda: t("FAQ"),
        lambda: t("Export FAQ"),
        lambda: t("Confirmed issues as question, cause and answer, by module"),
    ),
    ReportKind(
        "customer",
        "sitedash.reports.customer",
        lambda: t("Customer status"),
        lambda: t("Export customer status"),
        lambda: t("Progress for the customer, without hours or internal notes"),
    ),
    ReportKind(
        "checklist",
        "sitedash.reports.checklist",
        lambda: t("Pre-arrival checklist"),
        lambda: t("Export pre-arrival checklist"),
        lambda: t("The environment check and deployment checklist, for the customer"),
    ),
    ReportKind(
        "runbook",
        "sitedash.reports.runbook",
        lambda: t("Go-live runbook"),
        lambda: t("Export go-live runbook"),
        lambda: t("The cutover steps, rollback plan and watch roster, for the war room"),
    ),
    ReportKind(
        "handover",
        "sitedash.reports.handover",
        lambda: t("Handover pack"),
        lambda: t("Export handover pack"),
        lambda: t("Everything a successor needs; `sitedash import handover` reads it back"),
    ),
)

KINDS: tuple[str, ...] = tuple(kind.name for kind in REPORT_KINDS)
"""The names of every kind, in the order the help lists them."""


def names() -> tuple[str, ...]:
    """The names of every kind (read when asked, so a kind added at run time counts)."""
    return tuple(kind.name for kind in REPORT_KINDS)


def formats() -> tuple[str, ...]:
    """Every format some kind can be written in (`--format` choices)."""
    return tuple(dict.fromkeys(f for kind in REPORT_KINDS for f in kind.formats))


def report_kind(name: str) -> ReportKind:
    """The kind called `name`; an `InputError` naming the known kinds otherwise."""
    for kind in REPORT_KINDS:
        if kind.name == name:
            return kind
    from sitedash.errors import InputError

    raise InputError(
        t("unknown report {kind!r}: use one of {kinds}", kind=name, kinds=", ".join(names()))
    )


def kind_label(name: str) -> str:
    """The kind's name for people; a kind this sitedash does not write keeps its name."""
    for kind in REPORT_KINDS:
        if kind.name == name:
            return kind.label()
    return name
