"""Sign-off rules: status steps, the standard checklist, append-only signatures."""

from __future__ import annotations

import pytest

from sitedash.models import AcceptanceItem, ChangeRequest, Decision, ItemStatus, SignOff
from sitedash.services import signoff as svc
from sitedash.services.timeutil import InputError
from sitedash.storage import Store
from tests.conftest import TODAY


@pytest.mark.parametrize(
    ("status", "delta", "expected"),
    [
        (ItemStatus.NOT_STARTED, -1, ItemStatus.NOT_STARTED),
        (ItemStatus.NOT_STARTED, 1, ItemStatus.IN_PROGRESS),
        (ItemStatus.DELIVERED, 1, ItemStatus.ACCEPTED),
        (ItemStatus.ACCEPTED, 1, ItemStatus.ACCEPTED),
        (ItemStatus.REJECTED, 1, ItemStatus.IN_PROGRESS),
        (ItemStatus.REJECTED, -1, ItemStatus.DELIVERED),
    ],
)
def test_steps(status: ItemStatus, delta: int, expected: ItemStatus) -> None:
    assert svc.step(AcceptanceItem("x", "mes", status=status), delta) is expected


def test_the_standard_checklist_is_added_once(store: Store) -> None:
    assert svc.add_standard_checklist(store, "mes") == []
    store.delete_acceptance_item(store.acceptance_items("mes")[0])
    added = svc.add_standard_checklist(store, "mes")
    assert [i.name for i in added] == ["Deployment report"]
    assert added[0].position == 9, "appended at the end"


def test_standard_items_are_recognised_in_any_language(store: Store) -> None:
    from sitedash.i18n import language

    items = store.acceptance_items("mes")
    items[0].name = "部署报告 (renamed by hand)"
    store.save_acceptance_items(items[:1])
    with language("zh"):
        assert svc.add_standard_checklist(store, "mes") == []
    assert [i.template for i in store.acceptance_items("mes")][:2] == [
        "deployment_report",
        "manual_operators",
    ]


def test_the_whole_acceptance_reads_in_the_readers_language(store: Store) -> None:
    from sitedash.i18n import language

    record = svc.record_signoff(store, SignOff("", "mes", "Anna", day=TODAY, whole=True))
    assert svc.subject_label(record) == "The whole acceptance (项目验收单)"
    with language("zh"):
        assert svc.subject_label(store.signoffs("mes")[0]) != "The whole acceptance (项目验收单)"


def test_signatures_need_a_signer_and_a_date(store: Store) -> None:
    with pytest.raises(InputError, match="who signed"):
        svc.record_signoff(store, SignOff("UAT", "mes", " ", day=TODAY))
    with pytest.raises(InputError, match="needs a date"):
        svc.record_signoff(store, SignOff("UAT", "mes", "Anna"))
    with pytest.raises(InputError, match="does not exist"):
        svc.record_signoff(store, SignOff("UAT", "mes", "Anna", day=TODAY, supersedes="nope"))
    assert store.signoffs("mes") == []


def test_change_requests_are_numbered_and_decisions_checked(store: Store) -> None:
    first = svc.save_change(store, ChangeRequest("A", "mes"))
    second = svc.save_change(store, ChangeRequest("B", "mes"))
    assert (first.key, second.key) == ("CR-1", "CR-2")
    with pytest.raises(InputError, match="who decided"):
        svc.save_change(store, ChangeRequest("C", "mes", decision=Decision.APPROVED))
    with pytest.raises(InputError, match="needs a date"):
        svc.save_change(
            store, ChangeRequest("C", "mes", decision=Decision.REJECTED, decided_by="Anna")
        )
