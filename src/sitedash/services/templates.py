"""A new engagement from a past one's templates (`engagement new --from ID`): what the
last engagement taught about how to run one, without its data.

Taken: both checklists (every item open again), the contacts' roles (no person's
name, phone or e-mail), the training plan (the roster's tiers, roles and the modules
they needed, with no one's name or attendance), the deliverables (not started), the
UAT cases (not run) and the runbook (its steps planned again, without times or owners,
and the rollback criteria). Left behind: issues, the journal, hours, sessions,
signatures, change requests, milestones, risks, the watch roster and every note.
"""

from __future__ import annotations

from dataclasses import dataclass

from sitedash.i18n import t, tn
from sitedash.models import (
    AcceptanceItem,
    Check,
    Contact,
    Runbook,
    RunbookStep,
    StepPhase,
    Tier,
    Trainee,
    UatCase,
)
from sitedash.services import training
from sitedash.services.runbook import reset
from sitedash.storage import Store


@dataclass(slots=True, frozen=True)
class Templates:
    """What a new engagement takes from a past one."""

    checks: list[Check]
    contacts: list[Contact]
    trainees: list[Trainee]
    deliverables: list[AcceptanceItem]
    cases: list[UatCase]
    steps: list[RunbookStep]
    runbook: Runbook

    def line(self) -> str:
        return t(
            "{checks}, {contacts}, {trainees}, {deliverables}, {cases}, {steps}",
            checks=tn(len(self.checks), "{n} check", "{n} checks"),
            contacts=tn(len(self.contacts), "{n} contact role", "{n} contact roles"),
            trainees=tn(len(self.trainees), "{n} training need", "{n} training needs"),
            deliverables=tn(len(self.deliverables), "{n} deliverable", "{n} deliverables"),
            cases=tn(len(self.cases), "{n} UAT case", "{n} UAT cases"),
            steps=tn(len(self.steps), "{n} runbook step", "{n} runbook steps"),
        )


def templates_from(store: Store, source: str, target: str) -> Templates:
    """The templates of engagement `source`, as new records of `target`."""
    old = store.engagement(source)
    hq_tz = old.hq_tz if old is not None else ""
    checks = [
        Check(c.text, target, c.checklist, position=c.position, template=c.template)
        for c in store.checks(source)
    ]
    contacts = [
        Contact(
            "",
            target,
            role=c.role,
            # A role at HQ stays in HQ's zone; the customer's people are at the new site.
            tz=c.tz if c.tz and c.tz == hq_tz else "",
            hours_from=c.hours_from,
            hours_to=c.hours_to,
            every_day=c.every_day,
            week=c.week,
            order=c.order,
        )
        for c in store.contacts(source)
        if c.role.strip()
    ]
    deliverables = [
        AcceptanceItem(i.name, target, position=i.position, template=i.template)
        for i in store.acceptance_items(source)
    ]
    cases = [
        UatCase(
            c.title,
            target,
            module=c.module,
            steps=c.steps,
            expected=c.expected,
            position=c.position,
        )
        for c in store.uat_cases(source)
    ]
    steps = []
    for phase in StepPhase:
        listed = [s for s in store.runbook_steps(source) if s.phase is phase]
        for position, step in enumerate(reset(listed)):
            steps.append(
                RunbookStep(
                    step.title,
                    target,
                    phase=phase,
                    duration_min=step.duration_min,
                    position=position,
                )
            )
    runbook = Runbook(target, rollback_criteria=store.runbook(source).rollback_criteria)
    return Templates(
        checks, contacts, training_plan(store, source, target), deliverables, cases, steps, runbook
    )


def training_plan(store: Store, source: str, target: str) -> list[Trainee]:
    """One roster entry per tier and role of the past roster, named by the role, with
    the modules that role needed there: the coverage matrix of the new engagement then
    shows what is to be trained for whom until real people are added."""
    sessions = store.training_sessions(source)
    people = training.roster(store, source, sessions)
    every_module = training.coverage(sessions, people).modules
    needs: dict[tuple[Tier, str], list[str]] = {}
    for person in people:
        key = (person.tier, person.role.strip() or training.tier_label(person.tier))
        modules = needs.setdefault(key, [])
        for module in person.modules or every_module:
            if module.casefold() not in {m.casefold() for m in modules}:
                modules.append(module)
    names = [role for _, role in needs]
    plan = []
    for (tier, role), modules in sorted(needs.items(), key=lambda n: (n[0][0].value, n[0][1])):
        name = role if names.count(role) == 1 else f"{role} · {training.tier_label(tier)}"
        plan.append(
            Trainee(name, target, tier, role=role, modules=sorted(modules, key=str.casefold))
        )
    return plan


def save_templates(store: Store, templates: Templates) -> None:
    """Store a new engagement's templates (in the caller's transaction)."""
    store.save_checks(templates.checks)
    for contact in templates.contacts:
        store.save_contact(contact)
    for trainee in templates.trainees:
        store.save_trainee(trainee)
    store.save_acceptance_items(templates.deliverables)
    store.save_uat_cases(templates.cases)
    store.save_runbook_steps(templates.steps)
    if templates.runbook.rollback_criteria.strip():
        store.save_runbook(templates.runbook)
