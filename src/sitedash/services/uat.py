"""UAT (用户验收测试): test cases, their results, the issues a failure opens, the summary
per module, and the rule that the UAT report is accepted only once every case has run.

The seeds: unit tests check each function, integration tests the modules together, UAT
the users' own flows; "测试报告必须由客户签字确认" — the customer signs the test report.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sitedash.errors import InputError
from sitedash.i18n import t, tn
from sitedash.models import AcceptanceItem, Issue, ItemStatus, UatCase, UatResult, replace
from sitedash.services.issues import MAX_FIELD, create_issue, parse_issue_key
from sitedash.services.today import MAX_NOTE, MAX_TITLE, check_note, check_title
from sitedash.storage import Store
from sitedash.textsafe import clean_line

UAT_REPORT = "uat_report"
"""The template key of the UAT report on the acceptance checklist."""
RESULTS = (UatResult.NOT_RUN, UatResult.PASS, UatResult.FAIL, UatResult.BLOCKED)
"""The results in the order the summary lists them."""
_SEPARATORS = re.compile(r"[,;，；\s]+")


def result_label(result: UatResult) -> str:
    return {
        UatResult.NOT_RUN: t("not run"),
        UatResult.PASS: t("pass"),
        UatResult.FAIL: t("fail"),
        UatResult.BLOCKED: t("blocked"),
    }[result]


def module_label(module: str) -> str:
    return module or t("(no module)")


def _short(text: str, what: str) -> str:
    value = clean_line(text)
    if len(value) > MAX_FIELD:
        raise InputError(t("{what} is longer than {limit} characters", what=what, limit=MAX_FIELD))
    return value


def parse_issue_list(text: str) -> list[int]:
    """`ISS-3, ISS-7` (or `3 7`) -> [3, 7], in the order typed, without repeats."""
    numbers: list[int] = []
    for part in _SEPARATORS.split(text.strip()):
        if part:
            number = parse_issue_key(part)
            if number not in numbers:
                numbers.append(number)
    return numbers


def issue_keys(numbers: Sequence[int]) -> str:
    return ", ".join(f"ISS-{n}" for n in numbers)


def check_case(
    case: UatCase, store: Store | None = None, linked_before: Sequence[int] = ()
) -> UatCase:
    """Clean and validate what was typed; with `store`, an issue newly linked must exist
    (one linked before and deleted since stays listed: a result can still be recorded)."""
    case.title = check_title(case.title)
    case.module = _short(case.module, t("the module"))
    case.tester = _short(case.tester, t("the tester"))
    case.steps = check_note(case.steps)
    case.expected = check_note(case.expected)
    case.actual = check_note(case.actual)
    if case.result is not UatResult.NOT_RUN and case.day is None:
        raise InputError(t("say on which day the case ran"))
    case.issues = list(dict.fromkeys(case.issues))
    if store is not None:
        for number in case.issues:
            if number not in linked_before and store.issue(number) is None:
                raise InputError(t("ISS-{n} does not exist", n=number))
    return case


def save_case(store: Store, case: UatCase) -> UatCase:
    """Store a new or edited case (a new one is numbered UAT-n)."""
    with store.transaction():
        stored = next((c for c in store.uat_cases(case.engagement) if c.id == case.id), None)
        check_case(case, store, stored.issues if stored is not None else ())
        store.save_uat_cases([case])
    return case


def set_result(store: Store, case: UatCase, result: UatResult, day: date) -> UatCase:
    """Record a run: its result on `day` (not run clears nothing: the last run's date
    and tester stay for the record)."""
    changed = replace(case, result=result, day=day if result is not UatResult.NOT_RUN else case.day)
    return save_case(store, changed)


def link_issue(store: Store, case: UatCase, number: int) -> UatCase:
    """Link an existing issue to the case (a second link of the same one changes nothing)."""
    if number in case.issues:
        return case
    return save_case(store, replace(case, issues=[*case.issues, number]))


def issue_draft(case: UatCase) -> Issue:
    """The issue a failed case opens, prefilled: its title, module, tester as reporter,
    and as symptom what happened, the steps and what was expected."""
    title = f"{case.key}: {case.title}"[:MAX_TITLE]
    parts = [case.actual.strip()] if case.actual.strip() else []
    parts.append(
        t(
            "Found by UAT case {key} on {day}",
            key=case.key,
            day=case.day.isoformat() if case.day else "-",
        )
    )
    if case.steps.strip():
        parts.append(t("Steps: {steps}", steps=case.steps.strip()))
    if case.expected.strip():
        parts.append(t("Expected: {expected}", expected=case.expected.strip()))
    return Issue(
        title=title,
        engagement=case.engagement,
        module=case.module,
        reporter=case.tester,
        symptom="\n".join(parts)[:MAX_NOTE],
    )


def open_issue(store: Store, case: UatCase, issue: Issue) -> Issue:
    """Create the issue and link it to the case, in one write."""
    with store.transaction():
        current = next((c for c in store.uat_cases(case.engagement) if c.id == case.id), None)
        if current is None:
            raise InputError(t("{key} was deleted meanwhile", key=case.key))
        create_issue(store, issue)
        store.save_uat_cases([replace(current, issues=[*current.issues, issue.number])])
    return issue


@dataclass(slots=True)
class Tally:
    """How many cases of a module (or of all, `module` None) have each result."""

    module: str | None
    counts: dict[UatResult, int] = field(default_factory=lambda: dict.fromkeys(RESULTS, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def waiting(self) -> int:
        """Cases that have not run: not run yet, or blocked."""
        return self.counts[UatResult.NOT_RUN] + self.counts[UatResult.BLOCKED]

    def line(self) -> str:
        return tn(
            self.total,
            "{total} case: {passed} pass, {failed} fail, {blocked} blocked, {not_run} not run",
            "{total} cases: {passed} pass, {failed} fail, {blocked} blocked, {not_run} not run",
            total=self.total,
            passed=self.counts[UatResult.PASS],
            failed=self.counts[UatResult.FAIL],
            blocked=self.counts[UatResult.BLOCKED],
            not_run=self.counts[UatResult.NOT_RUN],
        )


def tally(cases: Sequence[UatCase]) -> Tally:
    whole = Tally(None)
    for case in cases:
        whole.counts[case.result] += 1
    return whole


def by_module(cases: Sequence[UatCase]) -> list[Tally]:
    """One tally per module, by name (cases without a module last)."""
    tallies: dict[str, Tally] = {}
    for case in cases:
        tallies.setdefault(case.module, Tally(case.module)).counts[case.result] += 1
    return sorted(tallies.values(), key=lambda m: (not m.module, (m.module or "").casefold()))


def failed(cases: Sequence[UatCase]) -> list[UatCase]:
    return [c for c in cases if c.result is UatResult.FAIL]


def not_run_problem(cases: Sequence[UatCase]) -> str | None:
    """Why the UAT report cannot be accepted yet, or None when every case has run."""
    if not cases:
        return t("no UAT cases are recorded")
    whole = tally(cases)
    if whole.waiting:
        return t(
            "UAT cases not run yet: {n} ({not_run} not run, {blocked} blocked)",
            n=whole.waiting,
            not_run=whole.counts[UatResult.NOT_RUN],
            blocked=whole.counts[UatResult.BLOCKED],
        )
    return None


def check_waiver(item: AcceptanceItem) -> None:
    """A waiver is explicit and says why: ticked without a note is refused."""
    item.waiver_note = clean_line(item.waiver_note)
    if item.waived and not item.waiver_note:
        raise InputError(t("a waiver needs a note: why the cases may stay unrun, and who agreed"))


WAIVE_KEY = "e"
"""The key of the form where a waiver is given, unless the engineer changed it (the
Sign-off screen's binding `signoff.edit`; tests/screens/test_keymap.py keeps the two the
same)."""


def check_acceptance(
    store: Store, item: AcceptanceItem, before: ItemStatus | None, waive_key: str = WAIVE_KEY
) -> None:
    """Refuse to mark the UAT report accepted while cases have not run, unless waived.

    Only the step into accepted is checked (`before` is the stored status): an accepted
    report stays accepted when a case is added later, and its evidence can be edited.
    """
    if (
        item.template != UAT_REPORT
        or item.status is not ItemStatus.ACCEPTED
        or before is ItemStatus.ACCEPTED
        or item.waived
    ):
        return
    problem = not_run_problem(store.uat_cases(item.engagement))
    if problem:
        raise InputError(
            t(
                "the UAT report cannot be accepted: {problem}; run every case on the UAT tab, "
                "or accept it with a waiver and a note ({key})",
                problem=problem,
                key=waive_key,
            )
        )
