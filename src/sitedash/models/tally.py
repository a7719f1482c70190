"""Training sessions reduced to what the coverage matrix and the roster need (issue 23).

A tally of one year's sessions adds up with the tallies of other years, so the weekly
review and the retrospective read the training index (`storage.index`) instead of
every session of every year. `services.training.coverage` is computed from a tally
too, so there is one rule for both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Annotated, Any

from msgspec import Meta, Struct, field

Times = Annotated[int, Meta(ge=0, le=10**12)]


def person_key(name: str) -> str:
    """People are matched by name, ignoring case and spacing."""
    return " ".join(name.casefold().split())


class FirstSeen(Struct):
    """The first session someone attended (the roster takes its tier from it)."""

    day: str
    start: str
    created: float
    name: str
    tier: str
    role: str = ""
    department: str = ""

    def before(self, other: FirstSeen) -> bool:
        """Earlier in the roster's order: by day, then the later start (and creation)
        first, as `services.training.roster_from` takes sessions."""
        if self.day != other.day:
            return self.day < other.day
        return (self.start, self.created) > (other.start, other.created)


class Tally(Struct, omit_defaults=True):
    """One engagement's sessions, as counts that add up across files."""

    spellings: dict[str, Times] = field(default_factory=dict)
    """Each module as typed -> how often a session listed it."""
    cells: dict[str, dict[str, list[Times]]] = field(default_factory=dict)
    """Tier -> module (case-folded) -> [sessions, sessions with hands-on practice]."""
    passed: dict[str, list[str]] = field(default_factory=dict)
    """Person key -> the modules (case-folded) they passed a hands-on assessment in."""
    first: dict[str, FirstSeen] = field(default_factory=dict)
    """Person key -> the first session they attended."""

    def add(self, other: Tally) -> None:
        """Add the tally of other sessions (of a later file) to this one."""
        for module, times in other.spellings.items():
            self.spellings[module] = self.spellings.get(module, 0) + times
        for tier, modules in other.cells.items():
            mine = self.cells.setdefault(tier, {})
            for module, (sessions, hands_on) in modules.items():
                counts = mine.setdefault(module, [0, 0])
                counts[0] += sessions
                counts[1] += hands_on
        for person, passed in other.passed.items():
            known = self.passed.setdefault(person, [])
            for module in passed:
                if module not in known:
                    known.append(module)
        for person, seen in other.first.items():
            earlier = self.first.get(person)
            if earlier is None or seen.before(earlier):
                self.first[person] = seen


def _moment(stamp: Any) -> float:
    if not stamp:
        return 0.0
    try:
        return datetime.fromisoformat(stamp).timestamp()
    except (TypeError, ValueError, OverflowError):
        return 0.0


def tally_sessions(docs: Iterable[Mapping[str, Any]]) -> Tally:
    """The tally of stored session documents (validated), or of encoded records."""
    tally = Tally()
    ordered = sorted(
        docs,
        key=lambda d: (d["day"], d.get("start_time", ""), _moment(d.get("created"))),
        reverse=True,
    )
    ordered.sort(key=lambda d: d["day"])  # stable: a day's later sessions stay first
    for doc in ordered:
        modules = doc.get("modules", [])
        for module in modules:
            tally.spellings[module] = tally.spellings.get(module, 0) + 1
        tier = doc.get("tier", "operator")
        cells = tally.cells.setdefault(tier, {})
        hands_on = 1 if doc.get("hands_on", True) else 0
        for module in {m.casefold() for m in modules}:
            counts = cells.setdefault(module, [0, 0])
            counts[0] += 1
            counts[1] += hands_on
        for attendee in doc.get("attendees", []):
            key = person_key(attendee["name"])
            if attendee.get("result") == "passed":
                known = tally.passed.setdefault(key, [])
                for module in modules:
                    if module.casefold() not in known:
                        known.append(module.casefold())
            if key not in tally.first:
                tally.first[key] = FirstSeen(
                    doc["day"],
                    doc.get("start_time", ""),
                    _moment(doc.get("created")),
                    attendee["name"],
                    tier,
                    attendee.get("role", ""),
                    attendee.get("department", ""),
                )
    return tally
