"""A realistic demo dataset: an MES roll-out abroad and an ERP module at home.

Drawn from the seed articles (an MES roll-out across plants, an ERP procurement module).
Deterministic for a given seed and day, so benchmarks and golden tests can rely on it.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sitedash.demo.tables import (
    BLOCKERS,
    CHECK_STATES,
    CONTACTS,
    COURSES,
    ERP,
    ERP_CONTACTS,
    FEEDBACK,
    ISSUES,
    MES,
    MILESTONES,
    PEOPLE,
    PLAN_TEMPLATES,
    REPORTERS,
    RESOURCES,
    RISKS,
    ROSTER_EXTRA,
    RUNBOOK_CRITERIA,
    RUNBOOK_DECIDER,
    RUNBOOK_ROLLBACK,
    RUNBOOK_STEPS,
    SYNC,
    UAT_CASES,
    WATCH_ROSTER,
)
from sitedash.models import (
    ISSUE_FLOW,
    AcceptanceItem,
    Assessment,
    Attendance,
    Category,
    ChangeRequest,
    Confirmation,
    ConfirmMethod,
    Contact,
    DayHealth,
    DayNote,
    Decision,
    Engagement,
    Feedback,
    Issue,
    IssueStatus,
    ItemStatus,
    Material,
    MaterialKind,
    Milestone,
    PlanItem,
    PlanStatus,
    Retro,
    Risk,
    Runbook,
    RunbookStep,
    SessionKind,
    Settings,
    Severity,
    SignMethod,
    SignOff,
    StatusChange,
    StepPhase,
    StepState,
    Tier,
    TrainingSession,
    UatCase,
    UatResult,
    Watch,
    WorkSession,
)
from sitedash.services.overview import parse_hours, standard_checks
from sitedash.services.signoff import standard_checklist
from sitedash.storage import Store

# (title, module, severity, symptom, cause, solution), from the seeds' examples.


def demo_engagements(today: date, days: int) -> list[Engagement]:
    start = today - timedelta(days=max(days, 1) - 1)
    return [
        Engagement(
            id=MES,
            name="MES roll-out, Győr plant",
            customer="Danube Precision Kft.",
            site="Győr, Hungary",
            site_tz="Europe/Budapest",
            hq_tz="Asia/Shanghai",
            start=start,
            end=start + timedelta(days=max(days, 90) + 60),
        ),
        Engagement(
            id=ERP,
            name="ERP 采购模块上线",
            customer="华东精密制造有限公司",
            site="苏州工业园区",
            site_tz="Asia/Shanghai",
            hq_tz="Asia/Shanghai",
            start=start,
            end=None,
        ),
    ]


def generate(
    store: Store, *, today: date, days: int = 30, seed: int = 7, now: datetime | None = None
) -> None:
    """Write the demo dataset with `days` days of history ending `today` into `store`.

    Work sessions stop at `now` (default: the end of `today`), so the demo can be
    clocked in without a session in the future.
    """
    rng = random.Random(seed)
    if now is None:
        now = datetime.combine(today + timedelta(days=1), time(0), tzinfo=UTC)
    engagements = demo_engagements(today, days)
    with store.transaction():
        for engagement in engagements:
            store.save_engagement(engagement)
        settings = store.settings()
        store.save_settings(
            Settings(
                engineer=settings.engineer or "李伟 (Li Wei)",
                lang=settings.lang,
                active_engagement=MES,
                day_starts_at=settings.day_starts_at,
            )
        )
        items, notes = _journal(rng, today, days)
        store.add_plan_items(items)
        store.add_day_notes(notes)
        store.add_issues(_issues(rng, today, days, now))
        store.add_training_sessions(_trainings(rng, today, days))
        deliverables = _acceptance(store, today, days)
        _overview(store, today, deliverables)
        _feedback(store, rng, today, days)
        for person in ROSTER_EXTRA:
            store.save_trainee(person)
        sessions, health = _wellbeing(rng, today, days, now)
        store.add_sessions(sessions)
        for entry in health:
            store.save_health(entry)
        _uat(store, today, days)
        _runbook(store, today, now)


def _journal(rng: random.Random, today: date, days: int) -> tuple[list[PlanItem], list[DayNote]]:
    items: list[PlanItem] = []
    notes: list[DayNote] = []
    unfinished: list[PlanItem] = []
    for offset in range(days - 1, -1, -1):
        day = today - timedelta(days=offset)
        if day.weekday() >= 5 and offset:
            continue
        is_today = offset == 0
        todays: list[PlanItem] = []
        # Unfinished work is carried over, as the engineer would; today's carry-over is
        # left for the engineer to do, so the demo shows it.
        if not is_today:
            for old in unfinished:
                todays.append(_copy(old, day, len(todays)))
        for _ in range(rng.randint(3, 5)):
            drawn = rng.choice(PLAN_TEMPLATES)
            n = rng.randint(1, 6)
            picked = _unplanned(drawn, n, {i.title for i in todays})
            if picked is None:
                continue
            category, title, minutes = picked
            todays.append(
                PlanItem(
                    title=title,
                    day=day,
                    engagement=MES,
                    category=category,
                    estimate_min=minutes,
                    position=len(todays),
                )
            )
        unfinished = []
        for index, item in enumerate(todays):
            if is_today:
                item.status = PlanStatus.DOING if index == 0 else PlanStatus.TODO
                continue
            roll = rng.random()
            if roll < 0.8:
                item.status = PlanStatus.DONE
            elif roll < 0.87:
                item.status = PlanStatus.DROPPED
            else:
                unfinished.append(item)
        items.extend(todays)
        if offset % 3 == 0 or is_today:
            notes.append(
                DayNote(
                    day=day,
                    engagement=MES,
                    blockers=rng.choice(BLOCKERS) if rng.random() < 0.5 or is_today else "",
                    resources=rng.choice(RESOURCES) if rng.random() < 0.4 else "",
                    sync_note=rng.choice(SYNC),
                )
            )
    if days >= 1:
        items.append(
            PlanItem(
                title="确认采购订单审批流程 (三级审批)",
                day=today,
                engagement=ERP,
                category=Category.CONFIGURE,
                estimate_min=60,
            )
        )
    return items, notes


def _issues(rng: random.Random, today: date, days: int, now: datetime) -> list[Issue]:
    """About one issue every other day; older ones have travelled to confirmation.
    Nothing happens after `now`."""
    issues: list[Issue] = []
    count = max(days // 2, 4)
    for n in range(count):
        offset = days - 1 - (n * (days - 1)) // max(count - 1, 1)
        opened = datetime.combine(today - timedelta(days=offset), time(9), tzinfo=UTC)
        opened += timedelta(minutes=rng.randint(0, 480))
        opened = min(opened, now - timedelta(minutes=10))
        title, module, severity, symptom, cause, solution = rng.choice(ISSUES)
        issue = Issue(
            title=title,
            engagement=MES,
            severity=Severity(severity),
            module=module,
            reporter=rng.choice(REPORTERS),
            symptom=symptom,
            created=opened,
            updated=opened,
            history=[StatusChange(None, IssueStatus.NEW, opened)],
        )
        # How far along it got: older issues further, a few stay stuck.
        progress = min(4, int(offset / 3)) if rng.random() > 0.1 else rng.randint(0, 2)
        at = opened
        for step in ISSUE_FLOW[1 : progress + 1]:
            at += timedelta(hours=rng.randint(2, 30))
            if at > min(opened + timedelta(days=offset), now):
                break
            issue.history.append(StatusChange(issue.status, step, at))
            issue.status = step
            if step is IssueStatus.IN_PROGRESS:
                issue.cause = cause
            if step is IssueStatus.RESOLVED:
                issue.solution = solution
            if step is IssueStatus.CONFIRMED:
                issue.confirmation = Confirmation(
                    by=issue.reporter,
                    method=rng.choice(list(ConfirmMethod)),
                    at=at,
                    reference=f"QA-{1000 + n}",
                )
        if severity == "P1" and issue.status.is_open and rng.random() < 0.5:
            issue.escalated, issue.escalated_at = True, opened + timedelta(hours=1)
            issue.escalation_note = "总部接口组远程支持 (HQ interface team, remote)"
        if n > 10 and rng.random() < 0.08:
            issue.recurs_from = rng.randint(1, n - 5)
        issue.updated = at
        issues.append(issue)
    return issues


def _trainings(rng: random.Random, today: date, days: int) -> list[TrainingSession]:
    """Layered sessions about twice a week; older attendees have been assessed."""
    sessions = []
    for offset in range(days - 1, 0, -3):
        day = today - timedelta(days=offset)
        if day.weekday() >= 5 or rng.random() < 0.3:
            continue
        tier = rng.choice([Tier.OPERATOR] * 3 + [Tier.ADMIN] * 2 + [Tier.DECISION])
        topic, modules = rng.choice(COURSES[tier])
        people = rng.sample(PEOPLE[tier], k=min(len(PEOPLE[tier]), rng.randint(2, 5)))
        attendees = [
            Attendance(
                name,
                role,
                department,
                result=rng.choice([Assessment.PASSED] * 4 + [Assessment.AGAIN, Assessment.ABSENT]),
            )
            for name, role, department in people
        ]
        sessions.append(
            TrainingSession(
                topic=topic,
                engagement=MES,
                day=day,
                tier=tier,
                modules=list(modules),
                start_time="14:00",
                duration_min=rng.choice((60, 90, 120)),
                trainer="李伟",
                hands_on=rng.random() < 0.8,
                attendees=attendees,
                materials=[
                    Material(MaterialKind.MANUAL, "操作手册 v2", "/share/mes/manual.pdf"),
                    Material(MaterialKind.SLIDES, topic, "/share/mes/slides"),
                ],
                feedback=rng.choice(("", "希望多一些实操时间", "Clear, wants a cheat sheet")),
            )
        )
    return sessions


def _acceptance(store: Store, today: date, days: int) -> list[AcceptanceItem]:
    """The checklist part-way done, two signatures (one corrected), three change requests."""
    items = standard_checklist(MES)
    states = [
        ItemStatus.ACCEPTED,
        ItemStatus.ACCEPTED,
        ItemStatus.DELIVERED,
        ItemStatus.IN_PROGRESS,
        ItemStatus.DELIVERED,
        ItemStatus.IN_PROGRESS,
        ItemStatus.REJECTED,
        ItemStatus.ACCEPTED,
        ItemStatus.NOT_STARTED,
    ]
    for item, status in zip(items, states, strict=True):
        item.status = status
        if status in (ItemStatus.ACCEPTED, ItemStatus.DELIVERED):
            item.evidence = f"/share/mes/acceptance/{item.position + 1:02d}.pdf"
    items[6].note = "客户要求补充二号线场景 (line 2 scenarios missing)"
    store.save_acceptance_items(items)
    signed = today - timedelta(days=min(days - 1, 20))
    first = SignOff(
        "Deployment report",
        MES,
        "Kovács Anna",
        "Customer PM",
        signed,
        SignMethod.SIGNATURE,
        "DP-ACC-001",
        item_id=items[0].id,
    )
    store.add_signoff(first)
    store.add_signoff(
        SignOff(
            "Deployment report",
            MES,
            "Kovács Anna",
            "Customer PM",
            signed,
            SignMethod.SIGNATURE,
            "DP-ACC-001 rev. B",
            item_id=items[0].id,
            supersedes=first.id,
        )
    )
    store.add_signoff(
        SignOff(
            "Data migration verification",
            MES,
            "Fekete László",
            "IT manager",
            today - timedelta(days=min(days - 1, 5)),
            SignMethod.EMAIL,
            "RE: migration batch 1-3 verified",
            item_id=items[7].id,
        )
    )
    requested = today - timedelta(days=min(days - 1, 25))
    for change in (
        ChangeRequest(
            "Add scrap reason codes to the quality module",
            MES,
            "Molnár Zsófia",
            requested,
            scope="2 new screens",
            schedule="+3 days",
            cost="none",
            decision=Decision.APPROVED,
            decided_by="Kovács Anna",
            decided_on=requested + timedelta(days=2),
            phase="phase 1",
        ),
        ChangeRequest(
            "二号线增加称重设备接口 (weighing scale interface)",
            MES,
            "Nagy Péter",
            requested + timedelta(days=7),
            scope="interface + PLC mapping",
            schedule="+2 weeks",
            cost="8 person-days",
            decision=Decision.DEFERRED,
            decided_by="Kovács Anna",
            decided_on=requested + timedelta(days=10),
            phase="phase 2",
        ),
        ChangeRequest(
            "Export shift report to the ERP every hour",
            MES,
            "Fekete László",
            today - timedelta(days=min(days - 1, 2)),
            scope="scheduler job",
            schedule="unknown",
            cost="to estimate",
        ),
    ):
        store.save_change_request(change)
    return items


def _overview(store: Store, today: date, items: list[AcceptanceItem]) -> None:
    """Contacts, both checklists part-way done, milestones month by month (one late,
    one at risk) and the risk list (one due a look), for the Engagement screen."""
    for engagement, table in ((MES, CONTACTS), (ERP, ERP_CONTACTS)):
        for order, (name, role, org, phone, email, tz, hours, every_day) in enumerate(table, 1):
            start, end = parse_hours(hours)
            store.save_contact(
                Contact(
                    name,
                    engagement,
                    role=role,
                    organisation=org,
                    phone=phone,
                    email=email,
                    tz=tz,
                    hours_from=start,
                    hours_to=end,
                    every_day=every_day,
                    order=order,
                )
            )
    checks = standard_checks(MES)
    for offset, check in enumerate(checks):
        if check.template in CHECK_STATES:
            check.state, check.note = CHECK_STATES[check.template]
            check.day = today - timedelta(days=14 - offset // 2)
    store.save_checks(checks + standard_checks(ERP))
    by_key = {i.template: i.id for i in items}
    for phase, title, owner, due, buffer, status, keys in MILESTONES:
        store.save_milestone(
            Milestone(
                title,
                MES,
                phase=phase,
                owner=owner,
                due=today + timedelta(days=due),
                deliverables=[by_key[k] for k in keys],
                buffer_days=buffer,
                status=status,
            )
        )
    for description, likelihood, impact, owner, mitigation, trigger, risk_status in RISKS:
        store.save_risk(
            Risk(
                description,
                MES,
                likelihood=likelihood,
                impact=impact,
                owner=owner,
                mitigation=mitigation,
                trigger=today + timedelta(days=trigger) if trigger is not None else None,
                status=risk_status,
            )
        )


def _uat(store: Store, today: date, days: int) -> None:
    """The UAT cases, most run in the last days; a failed case is linked to the demo
    issue of its kind reported closest to its run, when the random issues include one.
    Draws no random numbers, so the rest of the demo stays as it was."""
    issues = store.issues(MES)
    cases = []
    for position, row in enumerate(UAT_CASES):
        module, title, steps, expected, result, actual, tester, ago, issue_title = row
        ran = result is not UatResult.NOT_RUN
        day = today - timedelta(days=min(ago, days - 1))
        kin = [(i.created.date(), i.number) for i in issues if i.title == issue_title and i.created]
        closest = min(kin, key=lambda k: (abs((k[0] - day).days), k[1]), default=None)
        cases.append(
            UatCase(
                title,
                MES,
                module=module,
                steps=steps,
                expected=expected,
                actual=actual,
                result=result,
                tester=tester,
                day=day if ran else None,
                issues=[closest[1]] if closest is not None else [],
                position=position,
            )
        )
    store.save_uat_cases(cases)


def _runbook(store: Store, today: date, now: datetime) -> None:
    """Line 2's go-live last night, 22:00-06:00 site time: each step done when its
    planned time was over by `now` (one failed and repeated), the rollback plan unused,
    and the watch roster of go-live day. Draws no random numbers."""
    site = ZoneInfo("Europe/Budapest")
    start = datetime.combine(today - timedelta(days=1), time(22, 0))
    store.save_runbook(
        Runbook(
            MES,
            window_start=start,
            window_end=start + timedelta(hours=8),
            decider=RUNBOOK_DECIDER,
            rollback_criteria=RUNBOOK_CRITERIA,
        )
    )
    steps = []
    for position, (offset, minutes, title, owner, note, failed) in enumerate(RUNBOOK_STEPS):
        planned = start + timedelta(minutes=offset)
        finished = (planned + timedelta(minutes=minutes)).replace(tzinfo=site)
        over = finished <= now
        steps.append(
            RunbookStep(
                title,
                MES,
                owner=owner,
                start=planned,
                duration_min=minutes,
                state=(StepState.FAILED if failed else StepState.DONE)
                if over
                else StepState.PLANNED,
                at=finished.astimezone(UTC) if over else None,
                note=note if over else "",
                position=position,
            )
        )
    steps += [
        RunbookStep(title, MES, phase=StepPhase.ROLLBACK, owner=owner, position=position)
        for position, (title, owner) in enumerate(RUNBOOK_ROLLBACK)
    ]
    store.save_runbook_steps(steps)
    for first, last, who, contact, duty in WATCH_ROSTER:
        store.save_watch(
            Watch(
                who,
                MES,
                start=start + timedelta(hours=first),
                end=start + timedelta(hours=last),
                contact=contact,
                duty=duty,
            )
        )


def _feedback(store: Store, rng: random.Random, today: date, days: int) -> None:
    """Customer feedback by category now and then, and the retro's first notes."""
    for offset in range(days - 1, -1, -4):
        category, text, source, score = rng.choice(FEEDBACK)
        store.save_feedback(
            Feedback(text, MES, today - timedelta(days=offset), category, source, score)
        )
    store.save_retro(
        Retro(
            MES,
            goals="Go live on lines 1-3 with reporting, quality and warehouse modules; "
            "operators work without paper by the end of phase 1.",
            results="Lines 1 and 2 live; line 3 in UAT. Paper slips gone on line 2.",
            success_factors="每日站会与客户项目经理同步; 问题当天记录并跟踪到客户确认.",
            lessons="Check label printer drivers before arrival; book the training room a week "
            "ahead.",
            practices="Environment check table sent two weeks before travel; FAQ built from the "
            "first week's questions.",
        )
    )


def _wellbeing(
    rng: random.Random, today: date, days: int, now: datetime | None
) -> tuple[list[WorkSession], list[DayHealth]]:
    """Weekdays of about nine hours with a lunch break, now and then a walk or a late
    go-live night; sleep logged most mornings."""
    site = ZoneInfo("Europe/Budapest")
    now = now or datetime.combine(today + timedelta(days=1), time(0), tzinfo=site)
    sessions: list[WorkSession] = []
    health: list[DayHealth] = []
    for offset in range(days - 1, -1, -1):
        day = today - timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        start = datetime.combine(day, time(8, rng.choice((0, 15, 30, 45))), tzinfo=site)
        lunch = start + timedelta(hours=4, minutes=rng.randint(-20, 20))
        back = lunch + timedelta(minutes=rng.choice((30, 45, 60)))
        late = rng.random() < 0.1
        end = back + timedelta(
            hours=rng.randint(4, 5) + (3 if late else 0), minutes=rng.randint(0, 59)
        )
        plan = [(SessionKind.WORK, start, lunch), (SessionKind.BREAK, lunch, back)]
        if rng.random() < 0.4:
            walk_end = back + timedelta(minutes=rng.choice((15, 20, 30)))
            plan += [(SessionKind.WALK, back, walk_end), (SessionKind.WORK, walk_end, end)]
        else:
            plan.append((SessionKind.WORK, back, end))
        for kind, begin, finish in plan:
            if begin >= now:
                break
            sessions.append(
                WorkSession(
                    kind=kind,
                    start=begin,
                    day=day,
                    engagement=MES,
                    end=finish if finish <= now else None,
                    zone="Europe/Budapest",
                )
            )
            if finish > now:
                break
        if rng.random() < 0.8:
            health.append(
                DayHealth(
                    day,
                    sleep_hours=rng.choice((5, 5.5, 6, 6.5, 7, 7.5, 8)),
                    energy=rng.choice(("", "", "tired after go-live", "精神不错", "good")),
                )
            )
    return sessions, health


def _unplanned(
    drawn: tuple[Category, str, int], n: int, taken: set[str]
) -> tuple[Category, str, int] | None:
    """The item drawn, or when the day has that title already (drawn twice, or carried
    over) the next template's: no engineer plans the same task twice on one day
    (issue 19). Draws no random numbers, so the rest of the demo stays as it was."""
    start = PLAN_TEMPLATES.index(drawn)
    for step in range(len(PLAN_TEMPLATES)):
        category, template, minutes = PLAN_TEMPLATES[(start + step) % len(PLAN_TEMPLATES)]
        title = template.format(n=n)
        if title not in taken:
            return category, title, minutes
    return None


def _copy(item: PlanItem, day: date, position: int) -> PlanItem:
    return PlanItem(
        title=item.title,
        day=day,
        engagement=item.engagement,
        category=item.category,
        estimate_min=item.estimate_min,
        position=position,
        carried_from=item.id,
    )
