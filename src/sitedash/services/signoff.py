"""Acceptance (验收): the deliverables checklist, the customer's signatures, issue
confirmations, and the change-request log (变更控制)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sitedash.errors import InputError
from sitedash.i18n import t, tn
from sitedash.models import (
    ITEM_FLOW,
    AcceptanceItem,
    ChangeRequest,
    Decision,
    Issue,
    IssueStatus,
    ItemStatus,
    SignMethod,
    SignOff,
    replace,
)
from sitedash.services import uat
from sitedash.services.issues import method_label as confirm_method_label
from sitedash.services.today import check_note, check_title
from sitedash.storage import Store
from sitedash.textsafe import clean_line


def item_status_label(status: ItemStatus) -> str:
    return {
        ItemStatus.NOT_STARTED: t("not started"),
        ItemStatus.IN_PROGRESS: t("in progress"),
        ItemStatus.DELIVERED: t("delivered"),
        ItemStatus.ACCEPTED: t("accepted"),
        ItemStatus.REJECTED: t("rejected"),
    }[status]


def method_label(method: SignMethod) -> str:
    return {
        SignMethod.SIGNATURE: t("signature"),
        SignMethod.EMAIL: t("email"),
        SignMethod.ESIGN: t("e-signature"),
    }[method]


def method_label_for_issue(issue: Issue) -> str:
    """How the customer confirmed an issue's fix (the issue board's own methods)."""
    return confirm_method_label(issue.confirmation.method) if issue.confirmation else ""


def decision_label(decision: Decision) -> str:
    return {
        Decision.PENDING: t("pending"),
        Decision.APPROVED: t("approved"),
        Decision.REJECTED: t("rejected"),
        Decision.DEFERRED: t("deferred to a later phase"),
    }[decision]


def standard_checklist(engagement: str) -> list[AcceptanceItem]:
    """The acceptance pack the seeds list, named in the current language, to be edited."""
    names = {
        "deployment_report": t("Deployment report"),
        "manual_operators": t("User manual: operators"),
        "manual_admins": t("User manual: administrators"),
        "manual_decision": t("User manual: decision makers"),
        "training_material": t("Training slides and videos"),
        "faq": t("FAQ"),
        "uat_report": t("UAT test report"),
        "migration_check": t("Data migration verification"),
        "golive_plan": t("Go-live and rollback plan"),
    }
    return [
        AcceptanceItem(name, engagement, position=n, template=key)
        for n, (key, name) in enumerate(names.items())
    ]


def add_standard_checklist(store: Store, engagement: str) -> list[AcceptanceItem]:
    """Add the standard items the checklist does not have yet: recognised by their
    template key (any language, renamed or not), else by name."""
    with store.transaction():
        existing = store.acceptance_items(engagement)
        have = {i.template for i in existing if i.template}
        names = {i.name.casefold() for i in existing}
        start = max((i.position for i in existing), default=-1) + 1
        added = [
            i
            for i in standard_checklist(engagement)
            if i.template not in have and i.name.casefold() not in names
        ]
        for offset, item in enumerate(added):
            item.position = start + offset
        store.save_acceptance_items(added)
    return added


def point_faq_at(store: Store, engagement: str, path: str) -> list[AcceptanceItem]:
    """Set the FAQ deliverable's evidence to an exported FAQ; returns the items changed
    (none when the checklist has no FAQ item)."""
    with store.transaction():
        items = [
            replace(i, evidence=path)
            for i in store.acceptance_items(engagement)
            if i.template == "faq"
        ]
        if items:
            save_items(store, items)
    return items


def check_item(item: AcceptanceItem) -> AcceptanceItem:
    item.name = check_title(item.name)
    item.evidence = clean_line(item.evidence)
    item.note = check_note(item.note)
    uat.check_waiver(item)
    return item


def save_items(
    store: Store, items: Sequence[AcceptanceItem], waive_key: str = uat.WAIVE_KEY
) -> None:
    """Save edited deliverables; the UAT report is accepted only once every UAT case
    has run, or with a waiver and a note (see `uat.check_acceptance`; `waive_key` is
    the key that opens the form for it, as the engineer has it)."""
    with store.transaction():
        stored: dict[str, ItemStatus] = {}
        for engagement in {i.engagement for i in items}:
            stored.update({i.id: i.status for i in store.acceptance_items(engagement)})
        for item in items:
            check_item(item)
            uat.check_acceptance(store, item, stored.get(item.id), waive_key)
        store.save_acceptance_items(items)


def step(item: AcceptanceItem, delta: int) -> ItemStatus:
    """The next (+1) or previous (-1) status on the usual path; rejected restarts it."""
    if item.status is ItemStatus.REJECTED:
        return ItemStatus.IN_PROGRESS if delta > 0 else ItemStatus.DELIVERED
    index = max(0, min(len(ITEM_FLOW) - 1, ITEM_FLOW.index(item.status) + delta))
    return ITEM_FLOW[index]


def subject_label(record: SignOff) -> str:
    """What was signed, in the reader's language for the whole acceptance."""
    return t("The whole acceptance (项目验收单)") if record.whole else record.subject


def check_signoff(record: SignOff) -> SignOff:
    record.subject = "" if record.whole else check_title(record.subject)
    record.signer = clean_line(record.signer)
    if not record.signer:
        raise InputError(t("say who signed"))
    record.role = clean_line(record.role)
    record.reference = clean_line(record.reference)
    if record.day is None:
        raise InputError(t("the sign-off needs a date"))
    return record


def record_signoff(store: Store, record: SignOff) -> SignOff:
    """Append a sign-off; if it supersedes another, that one must exist and be current."""
    check_signoff(record)
    with store.transaction():
        records = store.signoffs(record.engagement)
        if record.supersedes is not None:
            if record.supersedes not in {r.id for r in records}:
                raise InputError(t("the sign-off to correct does not exist"))
            if record.supersedes in superseded_ids(records):
                raise InputError(t("that sign-off was already corrected; correct the newer one"))
        store.add_signoff(record)
    return record


def superseded_ids(records: Sequence[SignOff]) -> set[str]:
    return {r.supersedes for r in records if r.supersedes}


def check_change(change: ChangeRequest) -> ChangeRequest:
    change.request = check_title(change.request)
    change.requester = clean_line(change.requester)
    for name in ("scope", "schedule", "cost", "note"):
        setattr(change, name, check_note(getattr(change, name)))
    change.phase = clean_line(change.phase)
    change.decided_by = clean_line(change.decided_by)
    if change.decision is not Decision.PENDING:
        if not change.decided_by:
            raise InputError(t("say who decided"))
        if change.decided_on is None:
            raise InputError(t("the decision needs a date"))
    if change.decision is Decision.DEFERRED and not change.phase:
        raise InputError(t("say which later phase it is deferred to"))
    return change


def save_change(store: Store, change: ChangeRequest) -> ChangeRequest:
    store.save_change_request(check_change(change))
    return change


@dataclass(slots=True)
class Progress:
    """The acceptance progress line."""

    accepted: int
    total: int
    rejected: int
    open_changes: int
    unconfirmed: int
    """Resolved issues still waiting for the customer's confirmation."""

    def summary(self) -> str:
        return tn(
            self.total,
            "{accepted}/{total} deliverable accepted · change requests pending: {changes} · "
            "resolved, not yet confirmed by the customer: {unconfirmed}",
            "{accepted}/{total} deliverables accepted · change requests pending: {changes} · "
            "resolved, not yet confirmed by the customer: {unconfirmed}",
            accepted=self.accepted,
            total=self.total,
            changes=self.open_changes,
            unconfirmed=self.unconfirmed,
        )


def progress(
    items: Sequence[AcceptanceItem], changes: Sequence[ChangeRequest], issues: Sequence[Issue]
) -> Progress:
    return Progress(
        accepted=sum(1 for i in items if i.status is ItemStatus.ACCEPTED),
        total=len(items),
        rejected=sum(1 for i in items if i.status is ItemStatus.REJECTED),
        open_changes=sum(1 for c in changes if c.decision is Decision.PENDING),
        unconfirmed=sum(1 for i in issues if i.status is IssueStatus.RESOLVED),
    )


def confirmed_issues(store: Store, engagement: str) -> list[Issue]:
    """The issue board's confirmations, read from the same records (never copied)."""
    return store.issues(engagement, [IssueStatus.CONFIRMED])
