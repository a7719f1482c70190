"""Layered training: sessions per audience tier, hands-on assessment, coverage.

The seeds ask for training by tier (operators, administrators, decision makers), a
hands-on assessment after each session, and at least two sessions with hands-on
practice per audience. `coverage` turns the sessions and the roster into the matrix
the screen and the reports show, gaps included.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sitedash.errors import InputError
from sitedash.i18n import t
from sitedash.models import (
    Assessment,
    Attendance,
    Engagement,
    Material,
    MaterialKind,
    Tier,
    Trainee,
    TrainingSession,
    replace,
)
from sitedash.models.codec import encode
from sitedash.models.tally import Tally, person_key, tally_sessions
from sitedash.services.timeutil import parse_hhmm, zone
from sitedash.services.today import check_note, check_title
from sitedash.storage import Store
from sitedash.textsafe import clean_line

MIN_HANDS_ON_SESSIONS = 2
"""The seeds' rule: at least two sessions with hands-on practice for each audience."""
TIERS = tuple(Tier)


def tier_label(tier: Tier) -> str:
    return {
        Tier.OPERATOR: t("operators"),
        Tier.ADMIN: t("administrators"),
        Tier.DECISION: t("decision makers"),
    }[tier]


def result_label(result: Assessment | None) -> str:
    if result is None:
        return t("not assessed")
    return {
        Assessment.PASSED: t("passed"),
        Assessment.AGAIN: t("needs another session"),
        Assessment.ABSENT: t("absent"),
    }[result]


def material_label(kind: MaterialKind) -> str:
    return {
        MaterialKind.MANUAL: t("manual"),
        MaterialKind.SLIDES: t("slides"),
        MaterialKind.VIDEO: t("video"),
        MaterialKind.FAQ: t("FAQ"),
    }[kind]


def parse_modules(text: str) -> list[str]:
    """`Production, Quality ,` -> ["Production", "Quality"] (duplicates dropped)."""
    seen: dict[str, str] = {}
    for part in text.replace("，", ",").replace("、", ",").split(","):
        module = clean_line(part)
        if module and module.casefold() not in seen:
            seen[module.casefold()] = module
    return list(seen.values())


def parse_attendees(text: str) -> list[Attendance]:
    """One per line: `name | role | department`; a repeated name is kept once."""
    attendees: dict[str, Attendance] = {}
    for line in text.splitlines():
        parts = [clean_line(p) for p in line.split("|")] + ["", ""]
        if parts[0] and person_key(parts[0]) not in attendees:
            attendees[person_key(parts[0])] = Attendance(parts[0], parts[1], parts[2])
    return list(attendees.values())


def parse_materials(text: str) -> list[Material]:
    """One per line: `kind | name | path or link`; kind is manual, slides, video or faq."""
    materials = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = [clean_line(p) for p in line.split("|")] + ["", ""]
        kind_text = parts[0].lower()
        kind = next(
            (k for k in MaterialKind if kind_text in (k.value, material_label(k).lower())), None
        )
        if kind is None:
            raise InputError(
                t("unknown material {kind!r}: use manual, slides, video or faq", kind=parts[0])
            )
        materials.append(Material(kind, parts[1] or parts[0], parts[2]))
    return materials


def check_session(session: TrainingSession) -> TrainingSession:
    session.topic = check_title(session.topic)
    session.trainer = clean_line(session.trainer)
    session.modules = parse_modules(",".join(session.modules))
    if session.start_time:
        session.start_time = parse_hhmm(session.start_time).strftime("%H:%M")
    if not 0 < session.duration_min <= 24 * 60:
        raise InputError(t("the duration must be between 1 minute and a day"))
    session.notes = check_note(session.notes)
    session.feedback = check_note(session.feedback)
    return session


def save_session(store: Store, session: TrainingSession, old_day: date | None = None) -> None:
    store.save_training_session(check_session(session), old_day)


class KeepType(enum.Enum):
    """The type of `KEEP`: leave a field as stored."""

    KEEP = "keep"


KEEP = KeepType.KEEP


def assess(
    store: Store,
    session: TrainingSession,
    name: str,
    result: Assessment | None,
    score: float | KeepType | None = KEEP,
    remark: str | None = None,
) -> TrainingSession:
    """Record one attendee's hands-on assessment (re-reading the session first).

    `score` is kept as it was unless given; `None` clears it (the form's empty field).
    """
    with store.transaction():
        current = next(
            (s for s in store.training_sessions(session.engagement) if s.id == session.id), None
        )
        if current is None:
            raise InputError(t("the session was deleted meanwhile"))
        attendee = next(
            (a for a in current.attendees if person_key(a.name) == person_key(name)), None
        )
        if attendee is None:
            raise InputError(t("{name} did not attend this session", name=name))
        attendee.result = result
        if not isinstance(score, KeepType):
            if score is not None and not 0 <= score <= 100:
                raise InputError(t("the score must be between 0 and 100"))
            attendee.score = score
        if remark is not None:
            attendee.remark = clean_line(remark)
        store.save_training_session(current)
    return current


def present(session: TrainingSession) -> list[Attendance]:
    """The attendees who were there (not marked absent)."""
    return [a for a in session.attendees if a.result is not Assessment.ABSENT]


def roster_from(sessions: Sequence[TrainingSession], kept: Sequence[Trainee]) -> list[Trainee]:
    """The people to train: the roster kept by hand, plus everyone who attended, less
    those taken off it by hand.

    An attendee not on the roster joins it with the tier of the first session attended,
    under an id made from the name (stable, so it can be edited or removed).
    """
    # Someone added again by hand after a removal is on the roster: removed ones first.
    people = {person_key(p.name): p for p in sorted(kept, key=lambda p: not p.removed)}
    for session in sorted(sessions, key=lambda s: s.day):
        for attendee in session.attendees:
            key = person_key(attendee.name)
            if key not in people:
                people[key] = Trainee(
                    attendee.name,
                    session.engagement,
                    session.tier,
                    attendee.role,
                    attendee.department,
                    id=attendee_id(attendee.name),
                )
    listed = (p for p in people.values() if not p.removed)
    return sorted(listed, key=lambda p: p.name.casefold())


def attendee_id(name: str) -> str:
    """The roster id of someone who is there because they attended."""
    return "attendee:" + person_key(name)


def remove_from_roster(store: Store, person: Trainee, sessions: Sequence[TrainingSession]) -> None:
    """Take a person off the roster. Someone who attended would come back from their
    attendance, so they are kept as removed; anyone else is deleted."""
    attended = any(
        person_key(a.name) == person_key(person.name) for s in sessions for a in s.attendees
    )
    if attended:
        store.save_trainee(replace(person, removed=True))
    else:
        store.delete_trainee(person)


def roster(
    store: Store, engagement: str, sessions: Sequence[TrainingSession] | None = None
) -> list[Trainee]:
    if sessions is None:
        sessions = store.training_sessions(engagement)
    return roster_from(sessions, store.roster(engagement))


def passed_modules(sessions: Iterable[TrainingSession]) -> dict[str, set[str]]:
    """person key -> modules (casefolded) they passed a hands-on assessment in."""
    passed: dict[str, set[str]] = {}
    for session in sessions:
        for attendee in session.attendees:
            if attendee.result is Assessment.PASSED:
                passed.setdefault(person_key(attendee.name), set()).update(
                    m.casefold() for m in session.modules
                )
    return passed


@dataclass(slots=True)
class Cell:
    """One module for one tier."""

    sessions: int = 0
    hands_on: int = 0
    passed: list[str] = field(default_factory=list)
    to_train: list[str] = field(default_factory=list)

    @property
    def required(self) -> bool:
        """Someone of this tier needs the module, or it was trained for them anyway."""
        return bool(self.passed or self.to_train or self.sessions)

    @property
    def gap(self) -> bool:
        return self.required and self.hands_on < MIN_HANDS_ON_SESSIONS


@dataclass(slots=True)
class Coverage:
    modules: list[str]
    cells: dict[tuple[str, Tier], Cell]

    def cell(self, module: str, tier: Tier) -> Cell:
        return self.cells[(module.casefold(), tier)]

    @property
    def gaps(self) -> list[tuple[str, Tier]]:
        return [(m, tier) for m in self.modules for tier in TIERS if self.cell(m, tier).gap]


def coverage(sessions: Sequence[TrainingSession], people: Sequence[Trainee]) -> Coverage:
    """Modules x tiers: sessions held (with hands-on practice), who passed, who is left.

    A person needs every module of the engagement unless their roster entry lists the
    modules they need. Attending twice counts once; passing once is enough.
    """
    return coverage_from(tally_sessions(encode(s) for s in sessions), people)


def coverage_from(tally: Tally, people: Sequence[Trainee]) -> Coverage:
    """`coverage` of the sessions a tally counts (`Store.training_tally`: every year's
    sessions without reading them; issue 23)."""
    # One module may be typed "Production" and "production": the most used spelling
    # names it (ties: the first in code-point order), whatever order sessions come in.
    spellings: dict[str, Counter[str]] = {}
    for module, times in tally.spellings.items():
        spellings.setdefault(module.casefold(), Counter())[module] += times
    for module in [m for p in people for m in p.modules]:
        spellings.setdefault(module.casefold(), Counter())[module] += 1
    names = {
        key: min(counts, key=lambda name: (-counts[name], name))
        for key, counts in spellings.items()
    }
    modules = sorted(names.values(), key=str.casefold)
    cells = {(m.casefold(), tier): Cell() for m in modules for tier in TIERS}
    for tier_name, counted in tally.cells.items():
        for module, (sessions, hands_on) in counted.items():
            cell = cells[(module, Tier(tier_name))]
            cell.sessions += sessions
            cell.hands_on += hands_on
    for person in people:
        needed = {m.casefold() for m in person.modules} or set(names)
        done = set(tally.passed.get(person_key(person.name), ()))
        for module in needed:
            cell = cells[(module, person.tier)]
            (cell.passed if module in done else cell.to_train).append(person.name)
    return Coverage(modules, cells)


def roster_from_tally(tally: Tally, kept: Sequence[Trainee], engagement: str) -> list[Trainee]:
    """`roster_from` the sessions a tally counts, of one engagement."""
    people = {person_key(p.name): p for p in sorted(kept, key=lambda p: not p.removed)}
    for key, seen in tally.first.items():
        if key not in people:
            people[key] = Trainee(
                seen.name,
                engagement,
                Tier(seen.tier),
                seen.role,
                seen.department,
                id=attendee_id(seen.name),
            )
    listed = (p for p in people.values() if not p.removed)
    return sorted(listed, key=lambda p: p.name.casefold())


def sessions_on(store: Store, engagement: str, day: date) -> list[TrainingSession]:
    return store.training_sessions_between(day, day, engagement)


def in_progress(store: Store, engagement: Engagement | None, now: datetime) -> bool:
    """Is a training session with a start time running now (reminders wait for it)?"""
    if engagement is None:
        return False
    site = zone(engagement.site_tz)
    local = now.astimezone(site)
    for session in store.training_sessions_between(local.date(), local.date(), engagement.id):
        if session.day != local.date() or not session.start_time:
            continue
        start = datetime.combine(session.day, parse_hhmm(session.start_time), tzinfo=site)
        if start <= local < start + timedelta(minutes=session.duration_min):
            return True
    return False
