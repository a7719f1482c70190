"""The FAQ (常见问题解答): problems the customer confirmed as solved, written as question
(symptom) → cause → answer (solution), grouped by module.

It is the FAQ deliverable of the acceptance checklist and the start of an internal
knowledge base (内部知识库): `--all` gathers every engagement's. A problem that came back
(`recurs_from` chains, or the same words logged twice) is one entry with every
occurrence listed, so the FAQ answers it once; when the occurrences were explained or
fixed differently, each version is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from sitedash.i18n import t, tn
from sitedash.models import Engagement, Issue, IssueStatus
from sitedash.reports.markdown import byline, heading, none, report_header
from sitedash.services.review import as_of
from sitedash.services.timeutil import zone
from sitedash.storage import Store
from sitedash.textsafe import md_block, md_inline

ALL = "*"
"""The engagement id of an FAQ over every engagement (`export faq --all`)."""


def all_engagements(store: Store, base: Engagement | None) -> Engagement:
    """A stand-in engagement for `--all`: every engagement's issues, dated in the time
    zones of `base` (the active engagement), from the earliest engagement's start."""
    starts = [e.start for e in store.engagements() if e.start]
    return Engagement(
        id=ALL,
        name=t("All engagements"),
        site_tz=base.site_tz if base else "UTC",
        hq_tz=base.hq_tz if base else "UTC",
        start=min(starts, default=None),
    )


def file_name(engagement: Engagement, day: date) -> str:
    scope = "all" if engagement.id == ALL else engagement.id
    return f"faq-{scope}-{day.isoformat()}.md"


@dataclass(slots=True)
class Entry:
    """One question: the confirmed occurrences of a problem, oldest first."""

    occurrences: list[Issue]

    @property
    def first(self) -> Issue:
        return self.occurrences[0]

    @property
    def module(self) -> str:
        return self.first.module

    def versions(self, text: Callable[[Issue], str]) -> list[tuple[Issue, str]]:
        """The different non-empty texts of a field, each with the first issue that had it."""
        seen: dict[str, Issue] = {}
        for issue in self.occurrences:
            value = text(issue).strip()
            if value and value not in seen:
                seen[value] = issue
        return [(issue, value) for value, issue in seen.items()]


def root_of(issue: Issue, by_number: dict[int, Issue]) -> int:
    """The first issue of the chain an issue recurs from (itself if it is the first).

    A chain may leave the issues at hand (an earlier engagement's issue): its number
    then stands for the root. A loop typed by hand has no first issue: its lowest
    number stands for it, whichever member the walk started from.
    """
    path = [issue.number]
    while True:
        current = by_number.get(path[-1])
        parent = current.recurs_from if current is not None else None
        if parent is None:
            return path[-1]
        if parent in path:
            return min(path[path.index(parent) :])
        path.append(parent)


def _same_text(issue: Issue) -> tuple[str, ...]:
    return tuple(
        " ".join(text.split()).casefold()
        for text in (issue.module, issue.title, issue.symptom, issue.cause, issue.solution)
    )


def entries(issues: Sequence[Issue], confirmed: Iterable[Issue]) -> list[Entry]:
    """The confirmed issues merged by recurrence chain (chains are followed through all
    `issues`, confirmed or not), in order of their first occurrence. Issues logged twice
    with the very same words (never linked) are one entry too: a FAQ answers once."""
    by_number = {i.number: i for i in issues}
    chains: dict[int, list[Issue]] = {}
    for issue in sorted(confirmed, key=lambda i: i.number):
        chains.setdefault(root_of(issue, by_number), []).append(issue)
    merged: dict[tuple[str, ...], list[Issue]] = {}
    for chain in sorted(chains.values(), key=lambda c: c[0].number):
        merged.setdefault(_same_text(chain[0]), []).extend(chain)
    return sorted(
        (Entry(sorted(found, key=lambda i: i.number)) for found in merged.values()),
        key=lambda e: e.first.number,
    )


def by_module(found: Sequence[Entry]) -> list[tuple[str, list[Entry]]]:
    """Entries grouped by module, modules by name, those without one last."""
    groups: dict[str, list[Entry]] = {}
    for entry in found:
        groups.setdefault(entry.module.strip(), []).append(entry)
    return sorted(groups.items(), key=lambda g: (not g[0], g[0].casefold()))


def _field(label: str, versions: list[tuple[Issue, str]], several: bool) -> str:
    """`**Cause:** text`, or the label over one bullet per version (`ISS-n: text`)."""
    bold = f"**{md_inline(label)}**"
    if not versions:
        return f"{bold} _{t('Not recorded.')}_"
    if len(versions) == 1 and not several:
        return f"{bold} {md_block(versions[0][1])}"
    lines = [f"- {issue.key}: {md_block(text)}" for issue, text in versions]
    return "\n".join([bold, "", *lines])


def entry_markdown(entry: Entry, site_zone: tzinfo) -> list[str]:
    questions = entry.versions(lambda i: i.symptom) or [(entry.first, entry.first.title)]
    causes = entry.versions(lambda i: i.cause)
    answers = entry.versions(lambda i: i.solution)
    several = len(entry.occurrences) > 1
    confirmed = [i.confirmation.at for i in entry.occurrences if i.confirmation is not None]
    keys = ", ".join(i.key for i in entry.occurrences)
    facts = (
        t("{keys} · occurred {n} times", keys=keys, n=len(entry.occurrences)) if several else keys
    )
    if confirmed:
        last = max(confirmed).astimezone(site_zone).date()
        facts += " · " + t("confirmed by the customer {day}", day=last.isoformat())
    return [
        heading(3, entry.first.title),
        "",
        _field(t("Question:"), questions, several and len(questions) > 1),
        "",
        _field(t("Cause:"), causes, several and len(causes) > 1),
        "",
        _field(t("Answer:"), answers, several and len(answers) > 1),
        "",
        f"_{md_inline(facts)}_",
        "",
    ]


def faq_report(
    store: Store, engagement: Engagement, day: date, *, engineer: str, now: datetime
) -> str:
    """Render the FAQ of one engagement (or every one, `ALL`) as of the end of `day`."""
    site = zone(engagement.site_tz)
    cutoff = min(now, datetime.combine(day + timedelta(days=1), time(), tzinfo=site))
    every = store.issues(None if engagement.id == ALL else engagement.id)
    confirmed = [i for i, status in as_of(every, cutoff) if status is IssueStatus.CONFIRMED]
    found = entries(every, confirmed)
    groups = by_module(found)
    counts = {"entries": len(found), "issues": len(confirmed), "modules": len(groups)}
    start = min(engagement.start or day, day)
    parts = [
        report_header(
            "faq",
            engineer=engineer,
            engagement=engagement,
            start=start,
            end=day,
            now=now,
            counts=counts,
        ),
        "",
        heading(1, t("FAQ · {name} · {day}", name=engagement.name, day=day.isoformat())),
        "",
        byline(engineer, engagement)
        if engagement.id != ALL
        else md_inline(t("Engineer: {engineer} · all engagements", engineer=engineer)),
        "",
        md_inline(
            t(
                "Problems the customer confirmed as solved: question (symptom) → cause → "
                "answer (solution). Recurring problems are one entry. {entries} from {issues}.",
                entries=tn(len(found), "{n} entry", "{n} entries"),
                issues=tn(len(confirmed), "{n} issue", "{n} issues"),
            )
        ),
        "",
    ]
    if not groups:
        parts += [none(), ""]
    for module, module_entries in groups:
        parts += [heading(2, module or t("Other")), ""]
        for entry in module_entries:
            parts += entry_markdown(entry, site)
    return "\n".join(parts)


render = faq_report
"""The renderer `reports.registry` calls for this kind."""
