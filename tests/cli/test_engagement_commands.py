"""An engagement from the shell (issue 19.3, issue 21.5): `engagement new|list|use`, the
engineer's name on the first run, readable ids, and a new engagement from a past one's
templates (never its data)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from sitedash import demo
from sitedash.cli import main
from sitedash.models import (
    CheckState,
    ItemStatus,
    StepPhase,
    StepState,
    UatResult,
    WorkWeek,
)
from sitedash.services import engagements as engagement_service
from sitedash.services import training
from sitedash.storage import Store
from tests.cli.test_cli import assert_usage_error
from tests.conftest import FROZEN_NOW, TODAY, FrozenClock


@pytest.fixture
def os_name(monkeypatch: pytest.MonkeyPatch) -> str:
    """The OS account's full name (the passwd gecos field) this machine would give."""
    monkeypatch.setattr(engagement_service, "default_engineer_name", lambda: "Kiss Ágnes")
    return "Kiss Ágnes"


def not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))


def test_from_nothing_to_a_first_quick_capture(run, data_dir: Path, monkeypatch, os_name) -> None:
    """The CLI starts from nothing: the error names the command, the command works,
    and `add` works after it."""
    assert_usage_error(run("add", "plan", "x"), "sitedash engagement new NAME")
    not_a_terminal(monkeypatch)
    status, out, err = run(
        "engagement",
        "new",
        "MES roll-out,",
        "Győr plant",
        "--customer",
        "Danube Precision",
        "--site",
        "Győr",
        "--site-tz",
        "Europe/Budapest",
        "--start",
        "2026-09-01",
    )
    assert status == 0
    assert out == (
        "Created engagement mes-roll-out-gyor-plant (MES roll-out, Győr plant); "
        "it is the active one\n"
    )
    assert err.count("\n") == 1 and "your name on reports is Kiss Ágnes" in err, "said in one line"
    store = Store(data_dir, clock=FrozenClock())
    assert store.settings().engineer == "Kiss Ágnes"
    [engagement] = store.engagements()
    assert (engagement.id, engagement.customer, engagement.site_tz, engagement.hq_tz) == (
        "mes-roll-out-gyor-plant",
        "Danube Precision",
        "Europe/Budapest",
        "Asia/Shanghai",
    )
    assert engagement.start == date(2026, 9, 1)
    assert (
        len(store.checks(engagement.id)) == 17 and len(store.acceptance_items(engagement.id)) == 9
    )
    assert run("add", "plan", "Install MES client")[0] == 0
    assert [i.title for i in store.plan_items(TODAY, engagement.id)] == ["Install MES client"]
    # A name is set now: the next engagement asks for nothing and says nothing about it.
    status, out, err = run("engagement", "new", "Győr", "--site-tz", "Europe/Budapest")
    assert (status, err) == (0, "") and "Created engagement gyor " in out


def test_list_marks_the_active_one_and_use_switches(run, data_dir: Path, monkeypatch) -> None:
    not_a_terminal(monkeypatch)
    assert_usage_error(run("engagement", "list"), "sitedash engagement new NAME")
    assert not data_dir.exists(), "listing nothing creates nothing"
    for name in ("Győr", "ERP 采购模块上线"):
        assert run("engagement", "new", name, "--engineer", "Li Wei", "--site-tz", "UTC")[0] == 0
    status, out, _ = run("engagement", "list")
    cjk = engagement_service.engagement_id("ERP 采购模块上线")
    assert status == 0
    assert out.splitlines() == [f"* {cjk}  ERP 采购模块上线", f"  {'gyor'.ljust(len(cjk))}  Győr"]
    assert run("engagement", "use", "gyor")[1] == "Now working on gyor (Győr)\n"
    assert run("engagement", "list")[1].splitlines()[1].startswith("* gyor")
    assert Store(data_dir).settings().active_engagement == "gyor"
    assert_usage_error(run("engagement", "use", "nope"), "no engagement 'nope'", "gyor")
    assert_usage_error(run("engagement", "new", "x", "--site-tz", "Mars/Base"), "Mars/Base")
    assert_usage_error(run("engagement", "new", "x", "--start", "2026-13-01"), "2026-13-01")
    assert_usage_error(run("engagement", "new", "\x1b]0;t\x07"), "needs a name")
    assert {e.id for e in Store(data_dir).engagements()} == {"gyor", cjk}


def test_the_working_week_is_set_copied_and_checked(run, data_dir: Path, monkeypatch) -> None:
    not_a_terminal(monkeypatch)
    args = ("--engineer", "Li Wei", "--site-tz", "Asia/Riyadh")
    assert run("engagement", "new", "Riyadh ERP", *args, "--work-week", "sun-thu")[0] == 0
    assert run("engagement", "new", "Riyadh phase 2", *args, "--from", "riyadh-erp")[0] == 0
    assert run("engagement", "new", "Győr", *args)[0] == 0
    weeks = {e.id: e.work_week for e in Store(data_dir).engagements()}
    assert weeks == {
        "riyadh-erp": WorkWeek.SUN_THU,
        "riyadh-phase-2": WorkWeek.SUN_THU,
        "gyor": WorkWeek.MON_SAT,
    }
    assert_usage_error(run("engagement", "new", "x", "--work-week", "tue-sat"), "tue-sat")
    assert len(Store(data_dir).engagements()) == 3


def test_ids_are_readable_and_stable() -> None:
    assert engagement_service.engagement_id("Győr") == "gyor"
    assert engagement_service.engagement_id("MES roll-out, Łódź") == "mes-roll-out-lodz"
    cjk = engagement_service.engagement_id("苏州工厂上线")
    assert cjk == engagement_service.engagement_id(" 苏州工厂上线 "), "stable"
    assert len(cjk) == 8 and cjk.isalpha() and cjk.isascii(), "short, letters only"
    assert all(cjk[i] in "bdfghjklmnprstvz" and cjk[i + 1] in "aeiu" for i in (0, 2, 4, 6))
    assert engagement_service.engagement_id("苏州工厂二期") != cjk
    mixed = engagement_service.engagement_id("ERP 采购模块上线")
    assert mixed.startswith("erp-") and len(mixed) == 8
    assert engagement_service.slugify("Győr", {"gyor", "gyor-2"}) == "gyor-3"


def test_the_first_run_asks_for_the_name_on_a_terminal(run, data_dir: Path, monkeypatch, os_name):
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    asked: list[str] = []

    def answer(prompt: str) -> str:
        asked.append(prompt)
        return "Tóth Eszter"

    monkeypatch.setattr("builtins.input", answer)
    status, _, err = run("engagement", "new", "Győr", "--site-tz", "UTC")
    assert (status, err) == (0, "")
    assert asked == ["Your name on reports [Kiss Ágnes]: "], "prefilled from the OS account"
    assert Store(data_dir).settings().engineer == "Tóth Eszter"
    # Enter alone takes the OS account's name.
    monkeypatch.setattr("builtins.input", lambda prompt: "")
    other = data_dir.parent / "other"
    assert main(["--data-dir", str(other), "engagement", "new", "X", "--site-tz", "UTC"]) == 0
    assert Store(other).settings().engineer == "Kiss Ágnes"


def test_engineer_given_is_stored_and_checked(run, data_dir: Path, monkeypatch) -> None:
    not_a_terminal(monkeypatch)
    assert_usage_error(
        run("engagement", "new", "Győr", "--engineer", " \x07 "), "your name is empty"
    )
    assert not (data_dir / "engagements").exists() or not Store(data_dir).engagements()
    assert run("engagement", "new", "Győr", "--engineer", "Li \x1b[31mWei")[0] == 0
    assert Store(data_dir).settings().engineer == "Li Wei"


@pytest.fixture
def past(data_dir: Path, clock: FrozenClock) -> Store:
    """A past engagement with months of data: the demo's MES roll-out."""
    store = Store(data_dir, clock=clock)
    demo.generate(store, today=TODAY, days=30, seed=7, now=FROZEN_NOW)
    return store


def test_a_new_engagement_takes_the_templates_not_the_data(run, past: Store, monkeypatch) -> None:
    not_a_terminal(monkeypatch)
    status, out, err = run(
        "engagement",
        "new",
        "MES roll-out, Debrecen",
        "--from",
        demo.MES,
        "--site-tz",
        "Europe/Budapest",
    )
    assert status == 0 and err == ""
    new = "mes-roll-out-debrecen"
    store = Store(past.data_dir, clock=FrozenClock())
    assert store.settings().active_engagement == new
    assert store.engagement(new).hq_tz == "Asia/Shanghai"
    # Checklists: the same items, every one open again, no notes or dates.
    old_checks, checks = store.checks(demo.MES), store.checks(new)
    assert [(c.text, c.checklist, c.template) for c in checks] == [
        (c.text, c.checklist, c.template) for c in old_checks
    ]
    assert any(c.state is not CheckState.OPEN for c in old_checks)
    assert {(c.state, c.note, c.day) for c in checks} == {(CheckState.OPEN, "", None)}
    # Contacts: the roles, without the people's names, phones or e-mails.
    contacts = store.contacts(new)
    assert [c.role for c in contacts] == [c.role for c in store.contacts(demo.MES)]
    assert {(c.name, c.phone, c.email, c.organisation) for c in contacts} == {("", "", "", "")}
    hq = next(c for c in contacts if c.role == "HQ remote support")
    assert hq.tz == "Asia/Shanghai", "a role at HQ stays in HQ's zone"
    assert next(c for c in contacts if c.role == "Customer PM").tz == ""
    # The training plan: tiers, roles and modules, no one's name, no sessions.
    assert store.training_sessions(new) == []
    plan = {(p.tier.value, p.name, tuple(p.modules)) for p in store.roster(new)}
    assert ("operator", "operator", ("Production", "Quality", "Warehouse")) in plan
    assert ("admin", "shift lead", ("Production", "Quality", "Warehouse")) in plan
    people = {p.name for p in training.roster(store, demo.MES)}
    assert not people & {p.name for p in store.roster(new)}, "no one's name"
    coverage = training.coverage([], training.roster(store, new))
    assert coverage.cell("Production", training.Tier.OPERATOR).to_train == ["operator"]
    # Deliverables not started, UAT cases not run, the runbook planned again.
    items = store.acceptance_items(new)
    assert [i.name for i in items] == [i.name for i in store.acceptance_items(demo.MES)]
    assert {(i.status, i.evidence, i.note) for i in items} == {(ItemStatus.NOT_STARTED, "", "")}
    cases = store.uat_cases(new)
    assert [c.title for c in cases] == [c.title for c in store.uat_cases(demo.MES)]
    assert {(c.result, c.tester, c.actual, c.day, tuple(c.issues)) for c in cases} == {
        (UatResult.NOT_RUN, "", "", None, ())
    }
    old_numbers = {c.number for c in store.uat_cases(demo.MES)}
    assert not old_numbers & {c.number for c in cases}, "UAT numbers are never reused"
    steps = store.runbook_steps(new)
    old_steps = store.runbook_steps(demo.MES)
    assert [(s.phase, s.title) for s in steps] == [(s.phase, s.title) for s in old_steps]
    assert {(s.state, s.at, s.start, s.owner, s.note) for s in steps} == {
        (StepState.PLANNED, None, None, "", "")
    }
    assert [s.duration_min for s in steps if s.phase is StepPhase.CUTOVER][:2] == [15, 15]
    runbook = store.runbook(new)
    assert runbook.rollback_criteria == store.runbook(demo.MES).rollback_criteria
    assert (runbook.window_start, runbook.decider) == (None, "")
    # Not its data.
    assert store.issues(new) == [] and store.change_requests(new) == []
    assert store.milestones(new) == [] and store.risks(new) == [] and store.watches(new) == []
    assert store.signoffs(new) == [] and store.all_plan_items(new) == []
    assert out.splitlines()[1] == (
        f"From {demo.MES}: 17 checks, 5 contact roles, {len(plan)} training needs, "
        f"9 deliverables, {len(cases)} UAT cases, 13 runbook steps"
    )


def test_from_an_unknown_engagement_changes_nothing(run, past: Store, monkeypatch) -> None:
    not_a_terminal(monkeypatch)
    before = {e.id for e in past.engagements()}
    assert_usage_error(run("engagement", "new", "X", "--from", "nope"), "no engagement 'nope'")
    assert {e.id for e in Store(past.data_dir).engagements()} == before


def test_an_empty_engagement_id_is_a_mistake_not_the_active_one(run, store: Store) -> None:
    """`sitedash engagement use "$ID"` with ID unset switched to nothing and said it was
    working on the active one; `--engagement ""` and `--from ""` took the active one too
    (and the timesheet every engagement): a script's mistake went unnoticed."""
    before = store.settings().active_engagement
    for args in (
        ("engagement", "use", ""),
        ("add", "plan", "Install client", "--engagement", ""),
        ("export", "daily", "--engagement", "", "--out", "-"),
        ("export", "timesheet", "--engagement", "", "--out", "-"),
        ("standup", "--engagement", ""),
        ("clock", "in", "--engagement", ""),
        ("engagement", "new", "Plant 2", "--from", ""),
    ):
        assert_usage_error(run(*args), "no engagement ''")
    assert store.settings().active_engagement == before
    assert store.plan_items(TODAY, "mes") == []
    assert [e.id for e in store.engagements()] == ["mes"]
