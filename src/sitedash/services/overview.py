"""The engagement at a glance (项目概况): who to call and whether they are at work now,
what is ready (the environment check and the deployment checklist), where the plan
stands (milestones) and what could go wrong (risks).

Shared by the Engagement screen, the stand-up, the reports and `sitedash contacts`.
Rules take the day or the moment as an argument, so tests and reports of past days
get the answer of that day.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from sitedash.errors import InputError
from sitedash.i18n import t, tn, weekday_name
from sitedash.models import (
    AcceptanceItem,
    Check,
    CheckList,
    CheckState,
    Contact,
    Engagement,
    ItemStatus,
    Milestone,
    MilestoneStatus,
    Risk,
    RiskStatus,
    WorkWeek,
    replace,
)
from sitedash.services.timeutil import check_zone, parse_hhmm, zone
from sitedash.services.today import check_note, check_title
from sitedash.storage import Store
from sitedash.textsafe import clean_line

MAX_FIELD = 200
MAX_BUFFER_DAYS = 365
_HOURS = re.compile(r"^\s*(\d{1,2}:\d{2})\s*[-–—~至到]\s*(\d{1,2}:\d{2})\s*$")
_AROUND_THE_CLOCK = {"24h", "24/7", "7x24", "7×24", "24x7"}


def _short(text: str, what: str) -> str:
    value = clean_line(text)
    if len(value) > MAX_FIELD:
        raise InputError(t("{what} is longer than {limit} characters", what=what, limit=MAX_FIELD))
    return value


# -- contacts ------------------------------------------------------------------------


def parse_hours(text: str) -> tuple[str, str]:
    """Working hours as typed ("09:00-18:00", "22:00-06:00", "24h") -> (from, to)."""
    value = text.strip()
    if value.lower() in _AROUND_THE_CLOCK:
        return "00:00", "00:00"
    match = _HOURS.match(value)
    if not match:
        raise InputError(t("bad working hours {text!r}: use e.g. 09:00-18:00, or 24h", text=text))
    start, end = (parse_hhmm(part) for part in match.groups())
    return f"{start:%H:%M}", f"{end:%H:%M}"


def hours_text(contact: Contact) -> str:
    """What the form shows: "09:00-18:00", or "24h" around the clock."""
    if contact.hours_from == contact.hours_to:
        return "24h"
    return f"{contact.hours_from}-{contact.hours_to}"


DAYS_CHOICES = ("every-day", *(week.value for week in WorkWeek))
"""What the contact form's Days offers, in order: every day, then each working week."""


def days_label(choice: str) -> str:
    """A `DAYS_CHOICES` value as the engineer reads it: "Mon–Fri", "every day"."""
    labels = {
        "every-day": t("every day"),
        WorkWeek.MON_FRI: t("Mon–Fri"),
        WorkWeek.MON_SAT: t("Mon–Sat"),
        WorkWeek.SUN_THU: t("Sun–Thu"),
        WorkWeek.SAT_THU: t("Sat–Thu"),
    }
    return labels[choice]


def office_week(site_week: WorkWeek) -> WorkWeek:
    """A new contact's week at a site where the engineer works `site_week`: the five
    office days that week holds (Sunday to Thursday at a Sat–Thu site in the Gulf)."""
    if WorkWeek.SUN_THU.weekdays <= site_week.weekdays:
        return WorkWeek.SUN_THU
    return WorkWeek.MON_FRI


def days_choice(contact: Contact) -> str:
    return "every-day" if contact.every_day else contact.week.value


def with_days(contact: Contact, choice: str) -> Contact:
    """The contact working on a `DAYS_CHOICES` value's days (every day keeps their week
    for when it is chosen again)."""
    if choice == "every-day":
        return replace(contact, every_day=True)
    return replace(contact, every_day=False, week=WorkWeek(choice))


def hours_label(contact: Contact) -> str:
    """ "09:00–18:00 Mon–Fri", "around the clock, every day"."""
    days = days_label(days_choice(contact))
    if contact.hours_from == contact.hours_to:
        return t("around the clock, {days}", days=days)
    return f"{contact.hours_from}–{contact.hours_to} {days}"


@dataclass(slots=True, frozen=True)
class LocalTime:
    """A contact's clock now, and whether that is inside their working hours."""

    now: datetime
    working: bool

    @property
    def label(self) -> str:
        return t("at work") if self.working else t("off hours")


def local_time(contact: Contact, now: datetime, site_tz: str) -> LocalTime:
    """The contact's local time (their zone, else the site's) and whether they work now.

    A shift that ends before it starts runs overnight and belongs to the day it started
    (Friday 22:00-06:00 is still Friday's shift at 03:00 on Saturday).
    """
    local = now.astimezone(zone(contact.tz or site_tz))
    start, end = parse_hhmm(contact.hours_from), parse_hhmm(contact.hours_to)
    clock = local.time().replace(second=0, microsecond=0, tzinfo=None)
    shift_day: date | None = local.date()
    if start == end:
        pass  # around the clock
    elif start < end:
        shift_day = shift_day if start <= clock < end else None
    elif clock < end:
        shift_day = local.date() - timedelta(days=1)
    elif clock < start:
        shift_day = None
    working = shift_day is not None and (
        contact.every_day or shift_day.weekday() in contact.week.weekdays
    )
    return LocalTime(local, working)


def contact_title(contact: Contact) -> str:
    """Who the contact is in a few words: the role, else the name."""
    return contact.role or contact.name or "-"


def availability(contact: Contact, now: datetime, site_tz: str) -> str:
    """ "HQ support · 03:10 · off hours"."""
    local = local_time(contact, now, site_tz)
    return f"{contact_title(contact)} · {local.now:%H:%M} · {local.label}"


def parse_zone(text: str) -> str:
    """A contact's zone as typed: an IANA name, or empty for the site's."""
    return check_zone(text.strip()) if text.strip() else ""


def check_contact(contact: Contact) -> Contact:
    """Clean and validate a contact someone typed; raises InputError with what to fix."""
    contact.name = _short(contact.name, t("the name"))
    contact.role = _short(contact.role, t("the role"))
    if not contact.name and not contact.role:
        raise InputError(t("say who the contact is: a name or a role"))
    contact.organisation = _short(contact.organisation, t("the organisation"))
    contact.phone = _short(contact.phone, t("the phone number"))
    contact.email = _short(contact.email, t("the e-mail or IM"))
    contact.tz = parse_zone(contact.tz)
    for value in (contact.hours_from, contact.hours_to):
        parse_hhmm(value)
    return contact


def next_order(contacts: Sequence[Contact]) -> int:
    """The escalation place after the last one."""
    return max((c.order for c in contacts), default=0) + 1


def parse_order(text: str) -> int:
    """A place in the escalation order: 1 is called first, empty or 0 is none."""
    value = text.strip()
    if not value:
        return 0
    if not value.isdigit() or int(value) > 99:
        raise InputError(
            t("bad escalation place {text!r}: use 1 (called first) to 99, or 0", text=text)
        )
    return int(value)


def emergency_card(engagement: Engagement, contacts: Sequence[Contact], now: datetime) -> str:
    """The emergency contact card as plain text, narrow enough for a phone screenshot."""
    site = now.astimezone(zone(engagement.site_tz))
    hq = now.astimezone(zone(engagement.hq_tz))
    lines = [
        t("Emergency contacts · {name}", name=clean_line(engagement.name)),
    ]
    where = " · ".join(clean_line(x) for x in (engagement.customer, engagement.site) if x.strip())
    if where:
        lines.append(where)
    lines.append(
        t(
            "site {site} · HQ {hq}",
            site=f"{site:%H:%M} {weekday_name(site.date())}",
            hq=f"{hq:%H:%M} {weekday_name(hq.date())}",
        )
    )
    lines.append("")
    if not contacts:
        lines.append(t("No contacts yet: add them on the Engagement screen (key 6)."))
    for contact in contacts:
        place = f"{contact.order}." if contact.order else "-"
        who = " — ".join(clean_line(x) for x in (contact.role, contact.name) if x.strip())
        if contact.organisation.strip():
            who += f" ({clean_line(contact.organisation)})"
        lines.append(f"{place} {who}")
        reach = " · ".join(clean_line(x) for x in (contact.phone, contact.email) if x.strip())
        lines.append(f"   {reach or t('no phone or e-mail yet')}")
        local = local_time(contact, now, engagement.site_tz)
        lines.append(
            f"   {local.now:%H:%M} {weekday_name(local.now.date())} · {local.label} "
            f"({hours_label(contact)}, {contact.tz or engagement.site_tz})"
        )
    return "\n".join(lines) + "\n"


# -- checklists ----------------------------------------------------------------------


def checklist_label(checklist: CheckList) -> str:
    return {
        CheckList.ENVIRONMENT: t("Environment check"),
        CheckList.DEPLOYMENT: t("Deployment checklist"),
    }[checklist]


def check_state_label(state: CheckState) -> str:
    return {CheckState.OPEN: t("open"), CheckState.OK: t("ok"), CheckState.PROBLEM: t("problem")}[
        state
    ]


def standard_check_texts() -> dict[str, tuple[CheckList, str]]:
    """The seeds' items (驻点环境检查表, 部署检查清单) by template key, in the current
    language. The first five environment items are the checklist sitedash wrote into
    every engagement before schema 2, word for word, so that a migrated checklist is
    recognised when the standard items are added."""
    env, dep = CheckList.ENVIRONMENT, CheckList.DEPLOYMENT
    return {
        "env_servers": (env, t("Servers: OS, CPU, memory, disk as required")),
        "env_network": (env, t("Network: topology, firewall ports, VPN to HQ")),
        "env_database": (env, t("Database: version and accounts confirmed")),
        "env_accounts": (env, t("Accounts and permissions for the engineer")),
        "env_toolkit": (env, t("Toolkit: SQL client, log analyser, backup drive, local test env")),
        "env_bandwidth": (env, t("Network bandwidth to the site and to HQ measured")),
        "env_access": (
            env,
            t("Customer staff, rooms and device access arranged for the first day"),
        ),
        "env_privacy": (env, t("Data protection reviewed (privacy impact assessment, e.g. GDPR)")),
        "dep_package": (
            dep,
            t("Installation package, licence keys and the deployment SOP for this version"),
        ),
        "dep_log": (dep, t("Every step logged: deployment log, screenshots, mail confirmation")),
        "dep_database": (dep, t("Database connection tested: firewall, port, account rights")),
        "dep_migration": (dep, t("Data migration: a sample batch verified before the bulk import")),
        "dep_roles": (dep, t("Permissions set by role, not granted one by one")),
        "dep_interfaces": (dep, t("Interfaces to other systems tested one by one")),
        "dep_backup": (dep, t("Backup taken and restore tested before cutover")),
        "dep_rollback": (dep, t("Rollback plan agreed; cutover in a low-traffic window")),
        "dep_monitoring": (dep, t("Go-live day: someone watching CPU, memory and logs")),
    }


def standard_checks(engagement: str) -> list[Check]:
    """Both checklists from the template, every item open, to be edited."""
    checks = []
    positions: dict[CheckList, int] = {}
    for key, (checklist, text) in standard_check_texts().items():
        position = positions[checklist] = positions.get(checklist, -1) + 1
        checks.append(Check(text, engagement, checklist, position=position, template=key))
    return checks


def add_standard_checks(store: Store, engagement: str) -> list[Check]:
    """Add the standard items the checklists do not have yet: recognised by their
    template key (any language, renamed or not), else by their text."""
    with store.transaction():
        existing = store.checks(engagement)
        have = {c.template for c in existing if c.template}
        texts = {c.text.casefold() for c in existing}
        ends = {
            checklist: max((c.position for c in existing if c.checklist is checklist), default=-1)
            for checklist in CheckList
        }
        added = []
        for check in standard_checks(engagement):
            if check.template in have or check.text.casefold() in texts:
                continue
            ends[check.checklist] += 1
            check.position = ends[check.checklist]
            added.append(check)
        store.save_checks(added)
    return added


def check_check(check: Check) -> Check:
    check.text = check_title(check.text)
    check.note = check_note(check.note)
    return check


def set_state(store: Store, check: Check, state: CheckState, day: date) -> Check:
    """Set a check's state and date it: a tick records when it was checked."""
    check.state = state
    check.day = day
    store.save_checks([check])
    return check


def not_ok(checks: Iterable[Check]) -> list[Check]:
    """Items still open or with a problem: the figure shown until all are ok."""
    return [c for c in checks if c.state is not CheckState.OK]


def checks_summary(checks: Sequence[Check]) -> str:
    """ "Open checks: 3 of 17 (problems: 1)" until all are ok, then "All 17 checks ok"."""
    pending = not_ok(checks)
    if not checks:
        return t("No checks yet")
    if not pending:
        return tn(len(checks), "The {n} check is ok", "All {n} checks ok")
    return t(
        "Open checks: {open} of {n} (problems: {problems})",
        open=len(pending),
        n=len(checks),
        problems=sum(1 for c in pending if c.state is CheckState.PROBLEM),
    )


# -- milestones ----------------------------------------------------------------------


class Standing(StrEnum):
    """Where a milestone stands on a given day."""

    DONE = "done"
    LATE = "late"
    AT_RISK = "at_risk"
    ON_TRACK = "on_track"


def standing_label(standing: Standing) -> str:
    return {
        Standing.DONE: t("done"),
        Standing.LATE: t("late"),
        Standing.AT_RISK: t("at risk"),
        Standing.ON_TRACK: t("on track"),
    }[standing]


def milestone_status_label(status: MilestoneStatus) -> str:
    return {
        MilestoneStatus.PLANNED: t("planned"),
        MilestoneStatus.IN_PROGRESS: t("in progress"),
        MilestoneStatus.DONE: t("done"),
    }[status]


def pending_deliverables(
    milestone: Milestone, items: Mapping[str, AcceptanceItem]
) -> list[AcceptanceItem]:
    """Its deliverables not accepted yet (deliverables deleted since are left out)."""
    linked = [items[i] for i in milestone.deliverables if i in items]
    return [item for item in linked if item.status is not ItemStatus.ACCEPTED]


def standing(milestone: Milestone, items: Mapping[str, AcceptanceItem], today: date) -> Standing:
    """Late: past its due date and not done. At risk: due within its buffer days and
    its deliverables not all accepted (without deliverables: not done is enough)."""
    if milestone.status is MilestoneStatus.DONE:
        return Standing.DONE
    if milestone.due is None:
        return Standing.ON_TRACK
    if milestone.due < today:
        return Standing.LATE
    if today >= milestone.due - timedelta(days=milestone.buffer_days):
        linked = [i for i in milestone.deliverables if i in items]
        if not linked or pending_deliverables(milestone, items):
            return Standing.AT_RISK
    return Standing.ON_TRACK


def check_milestone(milestone: Milestone) -> Milestone:
    milestone.title = check_title(milestone.title)
    milestone.phase = _short(milestone.phase, t("the phase"))
    milestone.owner = _short(milestone.owner, t("the owner"))
    milestone.deliverables = list(dict.fromkeys(milestone.deliverables))
    return milestone


def parse_buffer(text: str) -> int:
    value = text.strip()
    if not value:
        return 0
    if not value.isdigit() or int(value) > MAX_BUFFER_DAYS:
        raise InputError(t("bad buffer {text!r}: use a number of days from 0 to 365", text=text))
    return int(value)


def milestone_line(milestone: Milestone) -> str:
    """ "Line 3 go-live · due 2026-12-01": a milestone in a list of names."""
    due = milestone.due.isoformat() if milestone.due else "-"
    return f"{clean_line(milestone.title)} · {t('due {day}', day=due)}"


# -- risks ---------------------------------------------------------------------------


def risk_status_label(status: RiskStatus) -> str:
    return {
        RiskStatus.OPEN: t("open"),
        RiskStatus.MITIGATED: t("mitigated"),
        RiskStatus.CLOSED: t("closed"),
    }[status]


def level_label(level: int) -> str:
    return {1: t("low"), 2: t("medium"), 3: t("high")}[level]


def triggered(risk: Risk, today: date) -> bool:
    """Its trigger date has come and it is not closed: time to look at it again."""
    return risk.is_open and risk.trigger is not None and risk.trigger <= today


def check_risk(risk: Risk) -> Risk:
    risk.description = check_title(risk.description)
    risk.owner = _short(risk.owner, t("the owner"))
    risk.mitigation = check_note(risk.mitigation)
    return risk


def risk_line(risk: Risk) -> str:
    """ "9 · Legacy BOM export has duplicates": score and description."""
    return f"{risk.score} · {clean_line(risk.description)}"


# -- what the stand-up, the header and the reports raise ------------------------------


class Concern(StrEnum):
    LATE = "late"
    AT_RISK = "at_risk"
    TRIGGERED = "triggered"


@dataclass(slots=True, frozen=True)
class Problem:
    """A problem the plan raises by itself: a late or at-risk milestone, a risk whose
    trigger date has come. `text` is one translated line (user text cleaned)."""

    concern: Concern
    text: str


@dataclass(slots=True)
class Overview:
    """Everything the engagement's records say on one day."""

    day: date
    checks: list[Check]
    milestones: list[Milestone]
    items: dict[str, AcceptanceItem]
    risks: list[Risk]

    def standing(self, milestone: Milestone) -> Standing:
        return standing(milestone, self.items, self.day)

    def milestones_in(self, wanted: Standing) -> list[Milestone]:
        return [m for m in self.milestones if self.standing(m) is wanted]

    @property
    def open_risks(self) -> list[Risk]:
        return [r for r in self.risks if r.is_open]

    @property
    def triggered_risks(self) -> list[Risk]:
        return [r for r in self.risks if triggered(r, self.day)]

    def problems(self) -> list[Problem]:
        """Late milestones, then at-risk ones, then risks whose trigger date came."""
        found = []
        for milestone in self.milestones_in(Standing.LATE):
            found.append(Problem(Concern.LATE, _milestone_problem(milestone, Concern.LATE)))
        for milestone in self.milestones_in(Standing.AT_RISK):
            pending = len(pending_deliverables(milestone, self.items))
            text = _milestone_problem(milestone, Concern.AT_RISK)
            if pending:
                text += " · " + t("deliverables not accepted: {n}", n=pending)
            found.append(Problem(Concern.AT_RISK, text))
        for risk in self.triggered_risks:
            assert risk.trigger is not None
            text = t(
                "Risk to look at (trigger {day}, score {score}): {risk}",
                day=risk.trigger.isoformat(),
                score=risk.score,
                risk=clean_line(risk.description),
            )
            if risk.owner:
                text += f" · {clean_line(risk.owner)}"
            found.append(Problem(Concern.TRIGGERED, text))
        return found

    def front_matter(self) -> dict[str, int | list[str]]:
        """The keys every report adds for the lead's roll-up (README, schema 1)."""
        return {
            "open_checks": len(not_ok(self.checks)),
            "late_milestones": [milestone_line(m) for m in self.milestones_in(Standing.LATE)],
            "at_risk_milestones": [milestone_line(m) for m in self.milestones_in(Standing.AT_RISK)],
            "open_risks": [risk_line(r) for r in self.open_risks],
        }


def _milestone_problem(milestone: Milestone, concern: Concern) -> str:
    due = milestone.due.isoformat() if milestone.due else "-"
    title = clean_line(milestone.title)
    text = (
        t("Milestone late: {title} (due {day})", title=title, day=due)
        if concern is Concern.LATE
        else t("Milestone at risk: {title} (due {day})", title=title, day=due)
    )
    if milestone.owner:
        text += f" · {clean_line(milestone.owner)}"
    return text


def overview(store: Store, engagement: str, day: date) -> Overview:
    """Read the engagement's checks, milestones (with the deliverables they hand over)
    and risks, as they stand on `day`."""
    return Overview(
        day=day,
        checks=store.checks(engagement),
        milestones=store.milestones(engagement),
        items={i.id: i for i in store.acceptance_items(engagement)},
        risks=store.risks(engagement),
    )
