"""UAT rules: cases are checked and numbered, results dated, a failure opens or links an
issue, the summary counts per module, and the UAT report is accepted only when every case
has run — or with an explicit waiver and a note."""

from __future__ import annotations

import json

import pytest

from sitedash.errors import InputError, StoreError
from sitedash.models import (
    AcceptanceItem,
    Engagement,
    Issue,
    ItemStatus,
    UatCase,
    UatResult,
    replace,
)
from sitedash.services import issues as issue_service
from sitedash.services import signoff as svc
from sitedash.services import uat
from sitedash.services.engagements import save_new_engagement
from sitedash.storage import Store
from tests.conftest import TODAY


def uat_report(store: Store, engagement: str = "mes") -> AcceptanceItem:
    return next(i for i in store.acceptance_items(engagement) if i.template == uat.UAT_REPORT)


def accept(store: Store, **changes) -> AcceptanceItem:
    item = replace(uat_report(store), status=ItemStatus.ACCEPTED, **changes)
    svc.save_items(store, [item])
    return uat_report(store)


# -- cases ------------------------------------------------------------------------------


def test_cases_are_numbered_per_data_dir_and_never_reused(store: Store) -> None:
    save_new_engagement(store, Engagement(id="erp", name="ERP"))
    first = uat.save_case(store, UatCase("Report work", "mes"))
    other = uat.save_case(store, UatCase("Approve a PO", "erp"))
    assert (first.key, other.key) == ("UAT-1", "UAT-2")
    store.delete_uat_case(first)
    again = uat.save_case(store, UatCase("Report scrap", "mes"))
    assert again.key == "UAT-3", "a deleted case's number is not handed out again"
    assert [c.key for c in store.uat_cases("mes")] == ["UAT-3"]
    assert [c.key for c in store.uat_cases("erp")] == ["UAT-2"]


def test_a_case_is_cleaned_and_checked(store: Store) -> None:
    case = uat.save_case(
        store,
        UatCase(
            "  Scan \x1b]0;x\x07after shift  ",
            "mes",
            module=" Production\n",
            tester="Anna\t",
            steps="1. scan\r\n2. book",
        ),
    )
    assert (case.title, case.module, case.tester, case.steps) == (
        "Scan after shift",
        "Production",
        "Anna",
        "1. scan\n2. book",
    )
    with pytest.raises(InputError, match="title is empty"):
        uat.check_case(UatCase(" ", "mes"))
    with pytest.raises(InputError, match="module is longer than 200"):
        uat.check_case(UatCase("x", "mes", module="m" * 201))
    with pytest.raises(InputError, match="on which day"):
        uat.check_case(UatCase("x", "mes", result=UatResult.PASS))
    with pytest.raises(InputError, match="ISS-4 does not exist"):
        uat.check_case(UatCase("x", "mes", issues=[4]), store)


def test_a_linked_issue_deleted_since_does_not_block_a_result(store: Store) -> None:
    issue = issue_service.create_issue(store, Issue("Scanner freezes", "mes"))
    case = uat.save_case(store, UatCase("Report work", "mes", issues=[issue.number]))
    store.delete_issue(issue.number)
    case = uat.set_result(store, case, UatResult.PASS, TODAY)
    assert (case.result, case.issues) == (UatResult.PASS, [issue.number])
    with pytest.raises(InputError, match="ISS-7 does not exist"):
        uat.link_issue(store, case, 7)


def test_issue_lists_parse_in_the_order_typed_without_repeats() -> None:
    assert uat.parse_issue_list("ISS-3, iss7；3  12") == [3, 7, 12]
    assert uat.parse_issue_list("  ") == []
    with pytest.raises(InputError, match="bad issue id"):
        uat.parse_issue_list("ISS-3, soon")


def test_a_result_is_dated_and_not_run_keeps_the_last_run(store: Store) -> None:
    case = uat.save_case(store, UatCase("Report work", "mes", tester="Anna"))
    case = uat.set_result(store, case, UatResult.FAIL, TODAY)
    assert (case.result, case.day) == (UatResult.FAIL, TODAY)
    case = uat.set_result(store, case, UatResult.NOT_RUN, TODAY.replace(day=30))
    assert (case.result, case.day, case.tester) == (UatResult.NOT_RUN, TODAY, "Anna")
    [stored] = store.uat_cases("mes")
    assert (stored.result, stored.day) == (UatResult.NOT_RUN, TODAY)


def test_a_failed_case_opens_a_prefilled_issue_and_links_it(store: Store) -> None:
    case = uat.save_case(
        store,
        UatCase(
            "Scan after shift change",
            "mes",
            module="Production",
            steps="1. change shift\n2. scan",
            expected="Booked",
            actual="Hangs",
            tester="Gábor",
            result=UatResult.FAIL,
            day=TODAY,
        ),
    )
    draft = uat.issue_draft(case)
    assert (draft.title, draft.module, draft.reporter, draft.engagement) == (
        "UAT-1: Scan after shift change",
        "Production",
        "Gábor",
        "mes",
    )
    assert draft.symptom == (
        "Hangs\nFound by UAT case UAT-1 on 2026-11-25\nSteps: 1. change shift\n2. scan\n"
        "Expected: Booked"
    )
    issue = uat.open_issue(store, case, draft)
    assert store.issue(issue.number) is not None
    assert store.uat_cases("mes")[0].issues == [issue.number]
    # Linking the same issue again changes nothing; another one is appended.
    other = issue_service.create_issue(store, Issue("Scanner driver", "mes"))
    case = uat.link_issue(store, store.uat_cases("mes")[0], issue.number)
    case = uat.link_issue(store, case, other.number)
    assert store.uat_cases("mes")[0].issues == [issue.number, other.number]


def test_a_long_case_still_gives_an_issue_that_saves(store: Store) -> None:
    case = uat.save_case(
        store, UatCase("t" * 300, "mes", steps="s" * 20_000, expected="e" * 20_000, day=TODAY)
    )
    issue = uat.open_issue(store, case, uat.issue_draft(case))
    assert len(issue.title) == 300 and len(issue.symptom) == 20_000


def test_an_issue_for_a_deleted_case_is_not_created(store: Store) -> None:
    case = uat.save_case(store, UatCase("Report work", "mes"))
    store.delete_uat_case(case)
    with pytest.raises(InputError, match="UAT-1 was deleted meanwhile"):
        uat.open_issue(store, case, uat.issue_draft(case))
    assert store.issues() == [], "nothing half-done"


def test_the_summary_counts_per_module() -> None:
    cases = [
        UatCase("a", "mes", module="Quality", result=UatResult.PASS),
        UatCase("b", "mes", module="", result=UatResult.BLOCKED),
        UatCase("c", "mes", module="production", result=UatResult.FAIL),
        UatCase("d", "mes", module="Quality", result=UatResult.NOT_RUN),
        UatCase("e", "mes", module="Quality", result=UatResult.PASS),
    ]
    tallies = uat.by_module(cases)
    assert [(m.module, m.total) for m in tallies] == [("production", 1), ("Quality", 3), ("", 1)]
    quality = tallies[1].counts
    assert (quality[UatResult.PASS], quality[UatResult.NOT_RUN]) == (2, 1)
    whole = uat.tally(cases)
    assert whole.line() == "5 cases: 2 pass, 1 fail, 1 blocked, 1 not run"
    assert whole.waiting == 2, "blocked has not run either"
    assert [c.title for c in uat.failed(cases)] == ["c"]


# -- the UAT report's acceptance --------------------------------------------------------


def test_the_uat_report_is_refused_while_cases_have_not_run(store: Store) -> None:
    with pytest.raises(InputError, match="no UAT cases are recorded"):
        accept(store)
    uat.save_case(store, UatCase("Report work", "mes", result=UatResult.PASS, day=TODAY))
    uat.save_case(store, UatCase("Print labels", "mes", result=UatResult.BLOCKED, day=TODAY))
    uat.save_case(store, UatCase("Reprint", "mes"))
    with pytest.raises(InputError) as refused:
        accept(store)
    message = str(refused.value)
    assert "\n" not in message
    assert message == (
        "the UAT report cannot be accepted: UAT cases not run yet: 2 (1 not run, 1 blocked); "
        "run every case on the UAT tab, or accept it with a waiver and a note (e)"
    )
    assert uat_report(store).status is ItemStatus.NOT_STARTED, "nothing was saved"


def test_every_case_run_accepts_the_report_failures_included(store: Store) -> None:
    uat.save_case(store, UatCase("Report work", "mes", result=UatResult.PASS, day=TODAY))
    uat.save_case(store, UatCase("Print labels", "mes", result=UatResult.FAIL, day=TODAY))
    assert accept(store).status is ItemStatus.ACCEPTED


def test_a_waiver_needs_its_note_and_then_accepts(store: Store) -> None:
    uat.save_case(store, UatCase("Reprint", "mes"))
    with pytest.raises(InputError, match="a waiver needs a note"):
        accept(store, waived=True, waiver_note="  ")
    saved = accept(store, waived=True, waiver_note="Line 2 later; agreed by Anna (mail 11-24)")
    assert (saved.status, saved.waived, saved.waiver_note) == (
        ItemStatus.ACCEPTED,
        True,
        "Line 2 later; agreed by Anna (mail 11-24)",
    )
    # A note alone is no waiver: the tick is the explicit part.
    other = AcceptanceItem(
        "UAT report, phase 2",
        "mes",
        template=uat.UAT_REPORT,
        status=ItemStatus.ACCEPTED,
        waiver_note="no tick",
    )
    with pytest.raises(InputError, match="cannot be accepted"):
        svc.save_items(store, [other])


def test_only_the_step_into_accepted_is_checked(store: Store) -> None:
    uat.save_case(store, UatCase("Report work", "mes", result=UatResult.PASS, day=TODAY))
    accepted = accept(store)
    uat.save_case(store, UatCase("Added later", "mes"))
    edited = replace(accepted, evidence="/share/uat-report-signed.pdf")
    svc.save_items(store, [edited])  # still accepted: its evidence can be edited
    assert uat_report(store).evidence == "/share/uat-report-signed.pdf"
    # Other deliverables are not held back by UAT.
    manual = next(i for i in store.acceptance_items("mes") if i.template == "manual_operators")
    svc.save_items(store, [replace(manual, status=ItemStatus.ACCEPTED)])
    rejected = replace(uat_report(store), status=ItemStatus.REJECTED)
    svc.save_items(store, [rejected])
    with pytest.raises(InputError, match="cannot be accepted"):
        svc.save_items(store, [replace(uat_report(store), status=ItemStatus.ACCEPTED)])


def test_the_faq_deliverable_points_at_an_export(store: Store) -> None:
    [pointed] = svc.point_faq_at(store, "mes", "/data/reports/faq-mes-2026-11-25.md")
    assert pointed.template == "faq"
    faq = next(i for i in store.acceptance_items("mes") if i.template == "faq")
    assert faq.evidence == "/data/reports/faq-mes-2026-11-25.md"
    store.delete_acceptance_item(faq)
    assert svc.point_faq_at(store, "mes", "/x.md") == []


# -- stored data ------------------------------------------------------------------------


def test_a_wrong_result_in_the_file_names_file_case_and_field(store: Store) -> None:
    uat.save_case(store, UatCase("Report work", "mes"))
    path = store.data_dir / "engagements" / "mes.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    [doc_id] = data["uat"]
    data["uat"][doc_id]["result"] = "passed"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(StoreError) as error:
        Store(store.data_dir).uat_cases("mes")
    message = str(error.value)
    assert str(path) in message
    assert f"UAT case {doc_id}: result 'passed' is not one of not_run, pass, fail, blocked" in (
        message
    )
