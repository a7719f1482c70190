"""The acceptance pack, section by section, with awkward text."""

from __future__ import annotations

from datetime import date, timedelta

from sitedash.models import (
    ChangeRequest,
    Confirmation,
    ConfirmMethod,
    Decision,
    Issue,
    IssueStatus,
    ItemStatus,
    SignOff,
)
from sitedash.reports.acceptance import acceptance_report
from sitedash.services import issues as issue_service
from sitedash.services import signoff as svc
from sitedash.storage import Store
from tests.conftest import FROZEN_NOW, TODAY
from tests.unit.test_daily_report import front_matter, section


def test_the_acceptance_pack(store: Store) -> None:
    items = store.acceptance_items("mes")
    items[0].status, items[0].evidence = ItemStatus.ACCEPTED, "/share/deploy | v2.pdf"
    items[1].status = ItemStatus.REJECTED
    store.save_acceptance_items(items[:2])
    first = svc.record_signoff(
        store, SignOff("Deployment report", "mes", "Kovács Anna", "PM", TODAY, reference="DP-1")
    )
    svc.record_signoff(
        store,
        SignOff(
            "Deployment report",
            "mes",
            "Kovács Anna",
            "PM",
            TODAY,
            reference="DP-1 rev. B",
            supersedes=first.id,
        ),
    )
    fixed = issue_service.create_issue(store, Issue(title="Scanner [freezes]", engagement="mes"))
    issue_service.move(store, fixed, IssueStatus.RESOLVED)
    issue_service.move(
        store,
        fixed,
        IssueStatus.CONFIRMED,
        confirmation=Confirmation("Anna", ConfirmMethod.SIGNATURE, FROZEN_NOW, "QA-7"),
    )
    issue_service.create_issue(store, Issue(title="Slow report", engagement="mes"))
    svc.save_change(
        store, ChangeRequest("Scale | interface", "mes", "Péter", TODAY, scope="new\ninterface")
    )
    svc.save_change(
        store,
        ChangeRequest(
            "Reason codes",
            "mes",
            "Zsófia",
            TODAY,
            decision=Decision.APPROVED,
            decided_by="Anna",
            decided_on=date(2026, 11, 26),
        ),
    )
    report = acceptance_report(
        store, store.engagement("mes"), TODAY, engineer="Li Wei", now=FROZEN_NOW
    )
    fields = front_matter(report)
    assert fields["kind"] == '"acceptance"'
    assert (
        fields["deliverables"],
        fields["accepted"],
        fields["rejected"],
        fields["signoffs"],
        fields["confirmed_issues"],
        fields["pending_changes"],
    ) == ("9", "1", "1", "1", "1", "2")
    deliverables = section(report, "Deliverables").splitlines()
    assert deliverables[2] == "| Deployment report | accepted | /share/deploy \\| v2.pdf |  |"
    assert deliverables[3].startswith("| User manual: operators | rejected |")
    assert len(deliverables) == 2 + 9
    records = section(report, "Sign-off records").splitlines()[2:]
    assert records[0].endswith("| DP-1 | superseded |")
    assert records[1].endswith("| DP-1 rev. B | corrects an earlier record |")
    confirmed = section(report, "Issues confirmed by the customer (1)").splitlines()[2:]
    assert confirmed == ["| ISS-1 | Scanner \\[freezes\\] | Anna | signature | QA-7 | 2026-11-25 |"]
    open_items = section(report, "Open items").splitlines()
    assert "- Deliverable not accepted: User manual: operators (rejected)" in open_items
    assert "- Issue not confirmed: ISS-2 Slow report (New)" in open_items
    assert "- Change request pending: CR-1 Scale \\| interface" in open_items
    assert not any("Deployment report" in line for line in open_items)
    changes = section(report, "Change requests (2)").splitlines()[2:]
    assert changes[0].startswith(
        "| CR-1 | Scale \\| interface | Péter | 2026-11-25 | new<br>interface |"
    )
    assert "| pending |" in changes[1], "decided on the 26th: still pending on the 25th"

    # The next day: the decision counts; the day before: nothing was signed yet.
    later = acceptance_report(
        store,
        store.engagement("mes"),
        TODAY + timedelta(days=1),
        engineer="Li Wei",
        now=FROZEN_NOW + timedelta(days=1),
    )
    assert front_matter(later)["pending_changes"] == "1"
    assert "| approved | Anna 2026-11-26 |" in section(later, "Change requests (2)")
    before = acceptance_report(
        store,
        store.engagement("mes"),
        TODAY - timedelta(days=1),
        engineer="Li Wei",
        now=FROZEN_NOW + timedelta(days=1),
    )
    fields = front_matter(before)
    assert (fields["signoffs"], fields["change_requests"], fields["confirmed_issues"]) == (
        "0",
        "0",
        "0",
    )
    assert fields["period_start"] <= fields["period_end"]


def test_empty_sections_say_none(empty_store: Store) -> None:
    from sitedash.models import Engagement

    empty_store.save_engagement(Engagement(id="bare", name="Bare"))
    report = acceptance_report(
        empty_store, empty_store.engagement("bare"), TODAY, engineer="x", now=FROZEN_NOW
    )
    for title in (
        "Deliverables",
        "Sign-off records",
        "Issues confirmed by the customer (0)",
        "Open items",
        "Change requests (0)",
    ):
        assert section(report, title) == "_None._", title
