"""The handover (交接) when an engineer rotates out (轮换制): what a successor needs of
an engagement, gathered into one pack, and the pack taken in by the successor.

The pack holds the engagement, its issues with their history, its change requests, the
deliverables and signatures, the roster and training sessions (the coverage matrix and
its gaps come from them), contacts, checklists, milestones, risks, the UAT cases, the
runbook, and the last week's stand-up (day notes and plan items). Closed work comes
too: confirmed issues, decided change requests and passed UAT cases are what the
successor's acceptance pack, FAQ and customer status count; the pack's text lists the
open ones. `reports.handover` writes it as Markdown with the records embedded
for the import; this module builds it and takes it in.

Taking it in keeps every id. Issue, UAT and change-request numbers (ISS-n, UAT-n,
CR-n) are kept when the successor's data dir has not used them yet (always so in a
new data dir) and the counters move past them; a number already used there is mapped
to the next free one, and the mapping is written down: in the issue's history, in the
import's output and in the day's notes. Open work the predecessor owned (milestones,
open risks, planned runbook steps, watch shifts still to come) passes to the successor.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated

from msgspec import Meta, Struct
from msgspec import field as struct_field

from sitedash.errors import InputError
from sitedash.i18n import t, tn
from sitedash.models import (
    AcceptanceItem,
    ChangeRequest,
    Check,
    Contact,
    DayNote,
    Decision,
    Engagement,
    Issue,
    IssueStatus,
    Milestone,
    MilestoneStatus,
    PlanItem,
    Record,
    Risk,
    Runbook,
    RunbookStep,
    SignOff,
    StatusChange,
    StepState,
    Trainee,
    TrainingSession,
    UatCase,
    UatResult,
    Watch,
    replace,
)
from sitedash.services.engagements import check_engineer, engineer_name, switch_engagement
from sitedash.services.timeutil import EARLIEST_DAY, LATEST_DAY
from sitedash.services.today import today_for
from sitedash.services.training import person_key
from sitedash.storage import Store

PACK_VERSION = 1
"""Version of the embedded records' layout; a pack of another version is refused."""
STANDUP_DAYS = 7
"""The stand-up lines a pack carries: the handover day and the six before it."""
MAX_NUMBER = 2_499_999
"""The highest ISS-n, UAT-n or CR-n a pack may bring (issue files hold 250 each, and
their names have four digits)."""
_ENGAGEMENT_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")

PackVersion = Annotated[int, Meta(ge=1, le=1_000_000)]


class HandoverPack(Struct, kw_only=True):
    """Everything a successor needs of one engagement (see the module's docstring)."""

    version: PackVersion = PACK_VERSION
    engineer: str
    """Who handed it over."""
    day: date
    """The handover day: the stand-up lines are of the week up to it."""
    engagement: Engagement
    issues: list[Issue] = struct_field(default_factory=list)
    changes: list[ChangeRequest] = struct_field(default_factory=list)
    deliverables: list[AcceptanceItem] = struct_field(default_factory=list)
    signoffs: list[SignOff] = struct_field(default_factory=list)
    roster: list[Trainee] = struct_field(default_factory=list)
    trainings: list[TrainingSession] = struct_field(default_factory=list)
    contacts: list[Contact] = struct_field(default_factory=list)
    checks: list[Check] = struct_field(default_factory=list)
    milestones: list[Milestone] = struct_field(default_factory=list)
    risks: list[Risk] = struct_field(default_factory=list)
    uat: list[UatCase] = struct_field(default_factory=list)
    runbook: Runbook | None = None
    steps: list[RunbookStep] = struct_field(default_factory=list)
    watches: list[Watch] = struct_field(default_factory=list)
    days: list[DayNote] = struct_field(default_factory=list)
    plan: list[PlanItem] = struct_field(default_factory=list)

    @property
    def standup_start(self) -> date:
        return self.day - timedelta(days=STANDUP_DAYS - 1)

    @property
    def unconfirmed(self) -> list[Issue]:
        return [i for i in self.issues if i.status is not IssueStatus.CONFIRMED]

    @property
    def pending_changes(self) -> list[ChangeRequest]:
        return [c for c in self.changes if c.decision is Decision.PENDING]

    @property
    def open_uat(self) -> list[UatCase]:
        return [c for c in self.uat if c.result is not UatResult.PASS]

    def records(self) -> list[Record]:
        """Every record but the engagement, in the order they are stored."""
        runbook: list[Record] = [self.runbook] if self.runbook is not None else []
        groups: list[Sequence[Record]] = [
            self.issues,
            self.changes,
            self.deliverables,
            self.signoffs,
            self.roster,
            self.trainings,
            self.contacts,
            self.checks,
            self.milestones,
            self.risks,
            self.uat,
            runbook,
            self.steps,
            self.watches,
            self.days,
            self.plan,
        ]
        return [record for group in groups for record in group]


def gather(store: Store, engagement: Engagement, day: date, engineer: str) -> HandoverPack:
    """The pack of `engagement` as it stands, handed over on `day` by `engineer`."""
    key = engagement.id
    start = day - timedelta(days=STANDUP_DAYS - 1)
    return HandoverPack(
        engineer=engineer,
        day=day,
        engagement=engagement,
        issues=store.issues(key),
        changes=store.change_requests(key),
        deliverables=store.acceptance_items(key),
        signoffs=store.signoffs(key),
        roster=store.roster(key),
        trainings=store.training_sessions(key),
        contacts=store.contacts(key),
        checks=store.checks(key),
        milestones=store.milestones(key),
        risks=store.risks(key),
        uat=store.uat_cases(key),
        runbook=store.runbook(key),
        steps=store.runbook_steps(key),
        watches=store.watches(key),
        days=[n for n in store.day_notes_between(start, day, key) if not n.is_empty],
        plan=store.plan_items_between(start, day, key),
    )


# -- checking a pack that was read --------------------------------------------------


def check_pack(pack: HandoverPack) -> None:
    """Refuse, in one line, a pack whose records do not hang together (a hand-edited or
    crafted one): another engagement's records, repeated ids or numbers, a version this
    sitedash does not read."""
    if pack.version != PACK_VERSION:
        raise InputError(
            t(
                "the pack's data is version {version}; this sitedash reads version {known}",
                version=pack.version,
                known=PACK_VERSION,
            )
        )
    engagement = pack.engagement.id
    if not _ENGAGEMENT_ID.match(engagement):
        raise InputError(t("the pack's engagement id {id!r} is not valid", id=engagement))
    for record in pack.records():
        if getattr(record, "engagement", engagement) != engagement:
            raise InputError(
                t(
                    "the pack mixes engagements: a {kind} of {other!r} in the pack of {id!r}",
                    kind=_kind(record),
                    other=getattr(record, "engagement", ""),
                    id=engagement,
                )
            )
    for name, records in (
        ("changes", pack.changes),
        ("deliverables", pack.deliverables),
        ("signoffs", pack.signoffs),
        ("roster", pack.roster),
        ("trainings", pack.trainings),
        ("contacts", pack.contacts),
        ("checks", pack.checks),
        ("milestones", pack.milestones),
        ("risks", pack.risks),
        ("uat", pack.uat),
        ("steps", pack.steps),
        ("watches", pack.watches),
        ("plan", pack.plan),
    ):
        _unique(name, [getattr(r, "id", "") for r in records])
    _unique("days", [n.day.isoformat() for n in pack.days])
    for name, numbers in (
        ("issues", [i.number for i in pack.issues]),
        ("uat", [c.number for c in pack.uat]),
        ("changes", [c.number for c in pack.changes]),
    ):
        if any(not 1 <= n <= MAX_NUMBER for n in numbers):
            raise InputError(
                t(
                    "the pack's {table} hold a number outside 1 to {most}",
                    table=name,
                    most=MAX_NUMBER,
                )
            )
        _unique(name, [str(n) for n in numbers])
    # Days name the files records live in (journal months, training years).
    days = [s.day for s in pack.trainings] + [i.day for i in pack.plan] + [n.day for n in pack.days]
    if any(not EARLIEST_DAY <= day <= LATEST_DAY for day in [pack.day, *days]):
        raise InputError(
            t(
                "the pack holds a date outside {first} to {last}",
                first=EARLIEST_DAY.isoformat(),
                last=LATEST_DAY.isoformat(),
            )
        )


def _unique(table: str, keys: list[str]) -> None:
    seen: set[str] = set()
    for key in keys:
        if not key or key in seen:
            raise InputError(
                t("the pack's {table} repeat or miss an id ({id!r})", table=table, id=key)
            )
        seen.add(key)


def _kind(record: Record) -> str:
    return type(record).__name__


# -- taking a pack in ----------------------------------------------------------------


@dataclass(slots=True)
class Imported:
    """What an import did, for the command's output."""

    pack: HandoverPack
    engineer: str
    renumbered: list[tuple[str, str]] = field(default_factory=list)
    """(number in the pack, number here) for each number that was taken here."""
    handed: int = 0
    """Open items the predecessor owned that passed to the successor."""

    def lines(self) -> list[str]:
        pack = self.pack
        lines = [
            t(
                "Imported {id} ({name}) from {engineer}'s handover pack of {day}; "
                "it is the active engagement",
                id=pack.engagement.id,
                name=pack.engagement.name,
                engineer=pack.engineer,
                day=pack.day.isoformat(),
            ),
            t(
                "{issues}, {changes}, {contacts}, {checks}, {milestones}, {risks}, {cases}, "
                "{steps}, {days}",
                issues=tn(len(pack.unconfirmed), "{n} unconfirmed issue", "{n} unconfirmed issues"),
                changes=tn(
                    len(pack.pending_changes),
                    "{n} pending change request",
                    "{n} pending change requests",
                ),
                contacts=tn(len(pack.contacts), "{n} contact", "{n} contacts"),
                checks=tn(len(pack.checks), "{n} check", "{n} checks"),
                milestones=tn(len(pack.milestones), "{n} milestone", "{n} milestones"),
                risks=tn(len(pack.risks), "{n} risk", "{n} risks"),
                cases=tn(len(pack.open_uat), "{n} open UAT case", "{n} open UAT cases"),
                steps=tn(len(pack.steps), "{n} runbook step", "{n} runbook steps"),
                days=tn(
                    len({n.day for n in pack.days} | {i.day for i in pack.plan}),
                    "{n} day of stand-up",
                    "{n} days of stand-up",
                ),
            ),
        ]
        closed = (
            len(pack.issues) - len(pack.unconfirmed),
            len(pack.changes) - len(pack.pending_changes),
            len(pack.uat) - len(pack.open_uat),
        )
        if any(closed):
            lines.append(
                t(
                    "and the closed work, for the acceptance pack and the customer's status: "
                    "{issues}, {changes}, {cases}",
                    issues=tn(closed[0], "{n} confirmed issue", "{n} confirmed issues"),
                    changes=tn(
                        closed[1], "{n} decided change request", "{n} decided change requests"
                    ),
                    cases=tn(closed[2], "{n} passed UAT case", "{n} passed UAT cases"),
                )
            )
        if self.handed:
            lines.append(
                tn(
                    self.handed,
                    "{n} open item {old} owned is yours now ({new})",
                    "{n} open items {old} owned are yours now ({new})",
                    old=pack.engineer,
                    new=self.engineer,
                )
            )
        if self.renumbered:
            lines.append(mapping_line(self.renumbered))
        return lines


def mapping_line(renumbered: Sequence[tuple[str, str]]) -> str:
    return t(
        "Numbers already used in this data dir were given new ones: {mapping}",
        mapping=", ".join(f"{old} → {new}" for old, new in renumbered),
    )


def import_pack(
    store: Store, pack: HandoverPack, *, engineer: str | None = None, now: datetime | None = None
) -> Imported:
    """Create the engagement of `pack` in `store` for the successor, in one write.

    `engineer`: the successor's name, stored in Settings when given (else the one
    there, else the OS account's). Refused, changing nothing, when the engagement is
    already in the data dir (the same pack imported twice) or a record's id is.
    """
    check_pack(pack)
    now = now or store.clock()
    with store.transaction():
        engagement = pack.engagement
        if store.engagement(engagement.id) is not None:
            raise InputError(
                t(
                    "engagement {id!r} is in this data dir already (was this pack imported "
                    "before?); nothing was changed",
                    id=engagement.id,
                )
            )
        if engineer is not None:
            engineer = check_engineer(engineer)
            settings = store.settings()
            settings.engineer = engineer
            store.save_settings(settings)
        successor = engineer or engineer_name(store.settings())
        done = Imported(pack, successor)
        records = _renumbered(store, pack, done)
        records, done.handed = _handed_over(records, pack, successor)
        if done.renumbered:
            records = _note_mapping(records, pack, done.renumbered, now, store)
        store.import_engagement(engagement, records, counters=_counters(records))
        switch_engagement(store, engagement.id)
    return done


def _counters(records: Iterable[Record]) -> dict[str, int]:
    """The highest number of each counter among the imported records and the numbers
    they refer to: the counters move past them, so no later number repeats one."""
    issue = uat = change = 0
    for record in records:
        if isinstance(record, Issue):
            issue = max(issue, record.number, record.recurs_from or 0)
        elif isinstance(record, UatCase):
            uat = max(uat, record.number)
            issue = max(issue, *record.issues, 0)
        elif isinstance(record, ChangeRequest):
            change = max(change, record.number)
    return {"issue": issue, "uat": uat, "change": change}


def _renumbered(store: Store, pack: HandoverPack, done: Imported) -> list[Record]:
    """The pack's records with their numbers kept where this data dir has not used
    them, else the next free ones; references to renumbered issues follow."""
    counters = store.counters()
    referred = [i.recurs_from or 0 for i in pack.issues] + [n for c in pack.uat for n in c.issues]
    issues = _mapping(
        [i.number for i in pack.issues],
        counters.get("issue", 0),
        store.taken_numbers("issue"),
        referred,
    )
    cases = _mapping(
        [c.number for c in pack.uat], counters.get("uat", 0), store.taken_numbers("uat")
    )
    changes = _mapping(
        [c.number for c in pack.changes], counters.get("change", 0), store.taken_numbers("change")
    )
    taken_issues = store.taken_numbers("issue")
    in_pack = {i.number for i in pack.issues}

    def issue_ref(number: int) -> int | None:
        if number in issues:
            return issues[number]
        if number in in_pack or number not in taken_issues:
            return number
        return None  # not in the pack, and here that number is another issue

    records: list[Record] = []
    for record in pack.records():
        if isinstance(record, Issue):
            number = issues.get(record.number, record.number)
            recurs = issue_ref(record.recurs_from) if record.recurs_from else None
            changed = replace(record, number=number, recurs_from=recurs)
            if number != record.number:
                changed = replace(
                    changed,
                    history=[*record.history, _renumber_entry(record, number, pack)],
                )
                done.renumbered.append((record.key, changed.key))
            records.append(changed)
        elif isinstance(record, UatCase):
            number = cases.get(record.number, record.number)
            linked = [n for n in (issue_ref(n) for n in record.issues) if n is not None]
            records.append(replace(record, number=number, issues=linked))
            if number != record.number:
                done.renumbered.append((record.key, f"UAT-{number}"))
        elif isinstance(record, ChangeRequest):
            number = changes.get(record.number, record.number)
            records.append(replace(record, number=number))
            if number != record.number:
                done.renumbered.append((record.key, f"CR-{number}"))
        else:
            records.append(record)
    return records


def _mapping(
    numbers: Sequence[int], counter: int, taken: set[int], referred: Sequence[int] = ()
) -> dict[int, int]:
    """Numbers this data dir has handed out already (at or below its counter, or in
    use) -> the next free ones after every kept or referred-to number; the others are
    kept."""
    used = {n for n in numbers if n <= counter or n in taken}
    kept = [n for n in numbers if n not in used]
    following = max([counter, *kept, *taken, *referred], default=0)
    mapping = {}
    for number in sorted(used):
        following += 1
        mapping[number] = following
    return mapping


def _renumber_entry(issue: Issue, number: int, pack: HandoverPack) -> StatusChange:
    """A history entry (in place, not a move) that says which number the issue had."""
    moment = issue.updated or issue.created or datetime.combine(pack.day, time(), tzinfo=UTC)
    return StatusChange(
        issue.status,
        issue.status,
        moment,
        t(
            "{key} in {engineer}'s handover pack of {day}; ISS-{number} here",
            key=issue.key,
            engineer=pack.engineer,
            day=pack.day.isoformat(),
            number=number,
        ),
    )


def _handed_over(
    records: list[Record], pack: HandoverPack, successor: str
) -> tuple[list[Record], int]:
    """Open work the predecessor owned passes to the successor: milestones not done,
    risks not closed, runbook steps still planned, watch shifts not over."""
    old = person_key(pack.engineer)
    if not old or person_key(successor) == old:
        return records, 0
    handed = 0
    result: list[Record] = []
    for record in records:
        changed: Record | None = None
        if _open_work(record, pack.day):
            if isinstance(record, Watch):
                changed = replace(record, who=successor) if person_key(record.who) == old else None
            elif person_key(getattr(record, "owner", "")) == old:
                changed = replace(record, owner=successor)
        if changed is not None:
            handed += 1
        result.append(changed or record)
    return result, handed


def _open_work(record: Record, day: date) -> bool:
    """A milestone not done, a risk not closed, a step still planned, a watch shift not
    over by `day`."""
    if isinstance(record, Milestone):
        return record.status is not MilestoneStatus.DONE
    if isinstance(record, Risk):
        return record.is_open
    if isinstance(record, RunbookStep):
        return record.state is StepState.PLANNED
    if isinstance(record, Watch):
        return record.end is None or record.end.date() >= day
    return False


def _note_mapping(
    records: list[Record],
    pack: HandoverPack,
    renumbered: Sequence[tuple[str, str]],
    now: datetime,
    store: Store,
) -> list[Record]:
    """Write the number mapping into the notes of the day of the import."""
    day = today_for(pack.engagement, now, store.settings().day_starts_at)
    line = mapping_line(renumbered)
    for index, record in enumerate(records):
        if isinstance(record, DayNote) and record.day == day:
            note = record.sync_note.rstrip()
            records[index] = replace(record, sync_note=f"{note}\n{line}" if note else line)
            return records
    return [*records, DayNote(day, pack.engagement.id, sync_note=line)]
