"""Property tests: whatever a user or customer types, tables hold, no escape sequence
leaves sitedash, markup stays text, dates never crash, and the text reads back."""

from __future__ import annotations

import re
import string
import tempfile
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sitedash.models import (
    AcceptanceItem,
    Attendance,
    ChangeRequest,
    Check,
    CheckList,
    Confirmation,
    ConfirmMethod,
    Engagement,
    Feedback,
    Issue,
    IssueStatus,
    Milestone,
    PlanStatus,
    Retro,
    Risk,
    Runbook,
    RunbookStep,
    SessionKind,
    SignOff,
    StepPhase,
    TrainingSession,
    UatCase,
    UatResult,
    Watch,
    WorkSession,
)
from sitedash.reports.daily import daily_report
from sitedash.reports.exports import KINDS, render
from sitedash.reports.markdown import table
from sitedash.services import issues as issues_service
from sitedash.services import overview, review, uat
from sitedash.services import runbook as runbook_service
from sitedash.services import signoff as signoff_service
from sitedash.services import today as plan
from sitedash.services import training as training_service
from sitedash.services.engagements import save_new_engagement
from sitedash.services.timeutil import InputError, parse_day, work_day
from sitedash.storage import Store
from sitedash.textsafe import clean, clean_line, md_block, md_cell, md_inline, md_unescape_cell
from sitedash.widgets.safe import cell, literal
from tests.conftest import FROZEN_NOW, TODAY, FrozenClock

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
HOSTILE = [
    "[bold]x[/bold]",
    "[/var/log]",
    "[@click=app.quit]q[/]",
    "[[nested]]",
    "[link=x]y[/link]",
    "\x1b]52;c;ZXZpbA==\x07",
    "\x1b]0;title\x1b\\",
    "\x1b[2J",
    "\x9b31m",
    "| pipe |",
    "`code`",
    "```",
    "<script>",
    "![img](x)",
    "[a](http://x)",
    "# h",
    "1. x",
    "&amp;",
    "\\",
    "\r\n",
    "中文",
    "עברית",
    "e\u0301",
    "🚀",
    "\u200b",
    "\ufeff",
]
# Any Unicode, with the troublemakers mixed in often.
text = st.one_of(
    st.text(),
    st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=5)), max_size=8).map("".join),
    st.text(alphabet=string.printable + "\x1b\x07\x9b\x00\x7f|[]`*_<>#\\", max_size=40),
)


@given(text)
def test_clean_removes_every_control_character(value: str) -> None:
    assert not CONTROL.search(clean(value))
    assert not CONTROL.search(clean_line(value).replace("\t", ""))
    assert "\n" not in clean_line(value)


@given(text)
def test_a_table_cell_is_one_line_and_reads_back(value: str) -> None:
    escaped = md_cell(value)
    assert "\n" not in escaped and not CONTROL.search(escaped)
    assert re.search(r"(?<!\\)\|", escaped.replace("\\\\", "")) is None
    expected = clean(value).strip()
    expected = "\n".join(line.replace("\t", " ") for line in expected.split("\n"))
    assert md_unescape_cell(escaped) == expected


@given(st.lists(st.lists(text, min_size=3, max_size=3), min_size=1, max_size=5))
def test_tables_keep_their_structure(rows: list[list[str]]) -> None:
    lines = table(["a", "b", "c"], rows).split("\n")
    assert len(lines) == 2 + len(rows)
    for line in lines:
        unescaped_pipes = re.findall(r"(?<!\\)\|", line.replace("\\\\", ""))
        assert len(unescaped_pipes) == 4, line


@given(text)
def test_inline_and_block_markdown_cannot_inject(value: str) -> None:
    for rendered in (md_inline(value), md_block(value)):
        assert not CONTROL.search(rendered.replace("\n", ""))
        # Link, image, HTML, code and emphasis openers are all escaped.
        assert re.search(r"(?<!\\)[\[<`*]", rendered.replace("\\\\", "")) is None


@given(text)
def test_user_text_on_screen_is_literal(value: str) -> None:
    shown = literal(value)
    assert shown.plain == clean(value)
    assert not shown.spans, "no markup was interpreted"
    assert cell(value).plain == clean_line(value)


@given(st.text(max_size=30))
def test_date_parsing_is_total(value: str) -> None:
    try:
        day = parse_day(value)
    except InputError as error:
        assert "YYYY-MM-DD" in str(error) and "\n" not in str(error)
    else:
        assert day.isoformat() == value.strip()


@given(
    st.datetimes(
        min_value=datetime(1900, 1, 1), max_value=datetime(2200, 12, 31), timezones=st.just(UTC)
    ),
    st.sampled_from(
        [
            "Europe/Budapest",
            "America/Sao_Paulo",
            "Asia/Kolkata",
            "Pacific/Chatham",
            "Australia/Lord_Howe",
            "America/St_Johns",
            "UTC",
        ]
    ),
    st.sampled_from(["00:00", "04:00", "23:59"]),
)
def test_work_days_exist_for_any_moment_in_any_zone(now: datetime, zone: str, start: str) -> None:
    day = work_day(now, ZoneInfo(zone), start)
    local = now.astimezone(ZoneInfo(zone)).date()
    assert day in (local, local - timedelta(days=1))


def test_huge_pastes_get_a_clear_error_not_a_hang() -> None:
    megabyte = "界" * 1_000_000
    for check in (plan.check_title, plan.check_note):
        try:
            check(megabyte)
        except InputError as error:
            assert "characters long" in str(error)
        else:
            raise AssertionError("a 1 MB title or note was accepted")
    assert len(md_cell(megabyte)) == 1_000_000


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(text, min_size=1, max_size=4))
def test_the_daily_report_round_trips_what_was_typed(tmp_path: Path, titles: list[str]) -> None:
    kept = []
    for title in titles:
        try:
            kept.append(plan.check_title(title))
        except InputError:
            continue
    assume(kept)
    store = Store(tmp_path / uuid.uuid4().hex, clock=FrozenClock())  # fresh per example
    store.save_engagement(Engagement(id="e", name="[b]E[/b] | x", customer="<i>c</i>"))
    for title in kept:
        item = plan.add_item(store, "e", TODAY, title)
        plan.set_status(store, item, PlanStatus.DONE)
    report = daily_report(
        store, store.engagement("e"), TODAY, engineer="\x1b]0;x\x07Li", now=FROZEN_NOW
    )
    assert not CONTROL.search(report.replace("\n", ""))
    body = report.split("## Done today", 1)[1].split("\n## ", 1)[0]
    done = [line for line in body.split("\n") if line.startswith("|")][2:]
    assert len(done) == len(kept)
    titles_back = [md_unescape_cell(re.split(r"(?<!\\)\|", row)[1].strip()) for row in done]
    assert titles_back == kept
    assert date.fromisoformat(report.split('period_start: "', 1)[1][:10]) == TODAY


# -- every export kind, with what a user typed in every field that reaches it ---------

# CommonMark: a backslash before ASCII punctuation is that character, literally.
_MD_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
# In a report: no C0/C1 control (line breaks aside), no tab, no bidi override.
REPORT_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
MORE_HOSTILE = [
    "<br>",
    "http://e.x",
    "www.e.x",
    "a@b.c",
    "\u202e",
    "\u2066",
    "\t",
    "\r",
    "  lead",
    "- item",
    "+ x",
    "> q",
    "=",
    "1) x",
    "~~s~~",
    "_u_",
    "\\|",
    "|",
    "\n",
]
typed = st.one_of(
    text,
    st.lists(
        st.one_of(st.sampled_from(HOSTILE + MORE_HOSTILE), st.text(max_size=4)), max_size=6
    ).map("".join),
).map(lambda value: value[:150])  # under every length limit (titles 300, modules 200)
# A required field (title, name, signer): something visible is always left after cleaning.
required = typed.map(lambda value: value if clean_line(value) else "x" + value)


def md_unescape(value: str) -> str:
    return _MD_ESCAPED.sub(r"\1", value)


def unescaped_pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line.replace("\\\\", "")))


def report_tables(report: str) -> list[list[str]]:
    """Runs of consecutive lines that start with `|`."""
    tables: list[list[str]] = []
    previous = False
    for line in report.split("\n"):
        row = line.startswith("|")
        if row and not previous:
            tables.append([])
        if row:
            tables[-1].append(line)
        previous = row
    return tables


def report_texts(report: str) -> list[str]:
    """Every table cell and every other line, with the Markdown escapes undone (`<br>`
    back to a line break): what a reader of the rendered report sees."""
    units = []
    for line in report.split("\n"):
        if line.startswith("|"):
            for cell in re.findall(r"((?:\\.|[^|\\])*)\|", line[1:]):
                units.append("\n".join(md_unescape(part) for part in cell.split("<br>")))
        else:
            units.append(md_unescape(line))
    return units


def one_line(value: str) -> list[str]:
    """What a one-line field (title, name) shows: the whole cleaned text."""
    shown = clean_line(value)
    return [shown] if shown else []


def lines(value: str) -> list[str]:
    """What a multi-line field (notes, scope) shows: each of its cleaned lines."""
    return [line.replace("\t", " ").strip() for line in clean(value).split("\n") if line.strip()]


REQUIRED = (
    "name done todo dropped issue recurring confirmed by topic item signed signer request feedback"
    " uat_title check milestone risk step rollback watcher"
)
OPTIONAL = (
    "customer site engineer module modules blockers resources sync reference evidence "
    "item_note role signoff_reference requester scope schedule cost phase source "
    "symptom cause solution uat_module uat_steps uat_expected uat_actual uat_tester "
    "check_note milestone_phase milestone_owner risk_owner mitigation step_owner step_note "
    "decider criteria watch_contact duty " + " ".join(Retro.FIELDS)
)
FIELDS = {name: required for name in REQUIRED.split()} | {name: typed for name in OPTIONAL.split()}


def fill_engagement(store: Store, v: dict[str, str]) -> None:
    """Every kind of record, its text fields as typed, stored the way the app stores them."""
    start = TODAY - timedelta(days=30)
    engagement = Engagement(
        id="e", name=v["name"], customer=v["customer"], site=v["site"], start=start
    )
    save_new_engagement(store, engagement)
    plan.set_status(store, plan.add_item(store, "e", TODAY, v["done"]), PlanStatus.DONE)
    plan.add_item(store, "e", TODAY, v["todo"])
    plan.set_status(store, plan.add_item(store, "e", TODAY, v["dropped"]), PlanStatus.DROPPED)
    note = store.day_note(TODAY, "e")
    note.blockers, note.resources, note.sync_note = v["blockers"], v["resources"], v["sync"]
    plan.save_note(store, note)
    first = issues_service.create_issue(store, Issue(v["issue"], "e", module=v["module"]))
    issues_service.create_issue(store, Issue(v["recurring"], "e", recurs_from=first.number))
    fixed = issues_service.create_issue(
        store,
        Issue(
            v["confirmed"],
            "e",
            module=v["module"],
            symptom=v["symptom"],
            cause=v["cause"],
            solution=v["solution"],
        ),
    )
    for status in (IssueStatus.IN_PROGRESS, IssueStatus.RESOLVED):
        fixed = issues_service.move(store, fixed, status)
    confirmation = Confirmation(v["by"], ConfirmMethod.EMAIL, FROZEN_NOW, v["reference"])
    issues_service.move(store, fixed, IssueStatus.CONFIRMED, confirmation=confirmation)
    training_service.save_session(
        store,
        TrainingSession(
            v["topic"],
            "e",
            TODAY,
            modules=training_service.parse_modules(v["modules"]),
            attendees=[Attendance("Anna", "operator", "Line 2")],
        ),
    )
    # An hour of work, so the daily report's and the timesheet's hour tables have a row.
    store.save_session(
        WorkSession(
            SessionKind.WORK,
            FROZEN_NOW - timedelta(hours=1, minutes=30),
            TODAY,
            "e",
            FROZEN_NOW - timedelta(minutes=30),
        )
    )
    said = Feedback(v["feedback"], "e", TODAY, source=v["source"])
    store.save_feedback(review.check_feedback(said))
    store.save_retro(review.check_retro(Retro("e", **{f: v[f] for f in Retro.FIELDS})))
    item = AcceptanceItem(v["item"], "e", evidence=v["evidence"], note=v["item_note"])
    store.save_acceptance_items([signoff_service.check_item(item)])
    signoff_service.record_signoff(
        store,
        SignOff(v["signed"], "e", v["signer"], v["role"], TODAY, reference=v["signoff_reference"]),
    )
    uat.save_case(
        store,
        UatCase(
            v["uat_title"],
            "e",
            module=v["uat_module"],
            steps=v["uat_steps"],
            expected=v["uat_expected"],
            actual=v["uat_actual"],
            tester=v["uat_tester"],
            result=UatResult.FAIL,
            day=TODAY,
            issues=[first.number],
        ),
    )
    signoff_service.save_change(
        store,
        ChangeRequest(
            v["request"],
            "e",
            v["requester"],
            TODAY,
            scope=v["scope"],
            schedule=v["schedule"],
            cost=v["cost"],
            phase=v["phase"],
        ),
    )
    # The Engagement screen's records: an open check, a late milestone, a risk whose
    # trigger date has come (so that the stand-up's problems carry them too).
    check = Check(v["check"], "e", CheckList.DEPLOYMENT, note=v["check_note"])
    store.save_checks([overview.check_check(check)])
    milestone = Milestone(
        v["milestone"],
        "e",
        phase=v["milestone_phase"],
        owner=v["milestone_owner"],
        due=TODAY - timedelta(days=2),
    )
    store.save_milestone(overview.check_milestone(milestone))
    risk = Risk(
        v["risk"],
        "e",
        owner=v["risk_owner"],
        mitigation=v["mitigation"],
        trigger=TODAY - timedelta(days=1),
    )
    store.save_risk(overview.check_risk(risk))
    # The go-live runbook: its frame, a cutover step, a rollback step, a watch shift.
    window = datetime(2026, 11, 28, 22, 0)
    frame = Runbook(
        "e",
        window_start=window,
        window_end=window + timedelta(hours=8),
        decider=v["decider"],
        rollback_criteria=v["criteria"],
    )
    store.save_runbook(runbook_service.check_runbook(frame))
    step = RunbookStep(v["step"], "e", owner=v["step_owner"], start=window, note=v["step_note"])
    back = RunbookStep(v["rollback"], "e", phase=StepPhase.ROLLBACK)
    store.save_runbook_steps([runbook_service.check_step(step), runbook_service.check_step(back)])
    watch = Watch(
        v["watcher"],
        "e",
        start=window,
        end=window + timedelta(hours=8),
        contact=v["watch_contact"],
        duty=v["duty"],
    )
    store.save_watch(runbook_service.check_watch(watch))


def shown_in(kind: str, v: dict[str, str]) -> list[str]:
    """What each kind must show of the typed text (cleaned, Markdown escapes undone)."""
    modules = training_service.parse_modules(v["modules"])  # "a, b" is two modules
    byline = one_line(v["engineer"]) + one_line(v["customer"])
    runbook = [
        *one_line(v["step"]),
        *one_line(v["step_owner"]),
        *lines(v["step_note"]),
        *one_line(v["rollback"]),
        *one_line(v["watcher"]),
        *one_line(v["watch_contact"]),
        *one_line(v["duty"]),
        *lines(v["criteria"]),
        *one_line(v["decider"]),
    ]
    failed_case = [
        *one_line(v["uat_title"]),
        *one_line(v["uat_module"]),
        *one_line(v["uat_tester"]),
        *lines(v["uat_expected"]),
        *lines(v["uat_actual"]),
    ]
    expected = {
        "daily": [
            *one_line(v["site"]),
            *one_line(v["done"]),
            *one_line(v["todo"]),
            *one_line(v["dropped"]),
            *one_line(v["issue"]),
            *one_line(v["module"]),
            *one_line(v["confirmed"]),
            *one_line(v["topic"]),
            *lines(v["blockers"]),
            *lines(v["resources"]),
            *lines(v["sync"]),
            *one_line(v["check"]),
            *lines(v["check_note"]),
            *one_line(v["milestone"]),
            *one_line(v["milestone_owner"]),
            *one_line(v["risk"]),
            *one_line(v["risk_owner"]),
        ],
        "weekly": [
            *one_line(v["todo"]),  # next week: not finished, not carried over yet
            *one_line(v["recurring"]),
            *one_line(v["topic"]),
            *modules,
            *one_line(v["feedback"]),
            *one_line(v["source"]),
            *lines(v["blockers"]),
            *one_line(v["milestone"]),
            *one_line(v["milestone_phase"]),
            *one_line(v["milestone_owner"]),
            *one_line(v["risk"]),
            *one_line(v["risk_owner"]),
            *lines(v["mitigation"]),
        ],
        "retro": [
            *one_line(v["module"]),
            *one_line(v["recurring"]),
            *modules,
            *one_line(v["item"]),
            *one_line(v["evidence"]),
            *one_line(v["signed"]),
            *one_line(v["signer"]),
            *one_line(v["signoff_reference"]),
            *one_line(v["request"]),
            *one_line(v["phase"]),
            *(line for field in Retro.FIELDS for line in lines(v[field])),
            *one_line(v["milestone"]),
            *one_line(v["risk"]),
            *lines(v["mitigation"]),
        ],
        "checklist": [*one_line(v["site"]), *one_line(v["check"]), *lines(v["check_note"])],
        "acceptance": [
            *one_line(v["site"]),
            *one_line(v["item"]),
            *one_line(v["evidence"]),
            *lines(v["item_note"]),
            *one_line(v["signed"]),
            *one_line(v["signer"]),
            *one_line(v["role"]),
            *one_line(v["signoff_reference"]),
            *one_line(v["confirmed"]),
            *one_line(v["by"]),
            *one_line(v["reference"]),
            *one_line(v["issue"]),
            *one_line(v["recurring"]),
            *one_line(v["request"]),
            *one_line(v["requester"]),
            *lines(v["scope"]),
            *lines(v["schedule"]),
            *lines(v["cost"]),
            *one_line(v["phase"]),
            *failed_case,
        ],
        "faq": [
            *one_line(v["module"]),
            *one_line(v["confirmed"]),
            *lines(v["symptom"]),
            *lines(v["cause"]),
            *lines(v["solution"]),
        ],
        "customer": [
            *one_line(v["site"]),
            *one_line(v["item"]),
            *one_line(v["issue"]),
            *one_line(v["module"]),
            *one_line(v["recurring"]),
            *one_line(v["topic"]),
            *modules,
            *failed_case,
        ],
        "timesheet": [],  # the name, the engineer and the customer: no other typed text
        "runbook": runbook,
        "handover": [
            *one_line(v["site"]),
            *one_line(v["issue"]),
            *one_line(v["module"]),
            *one_line(v["recurring"]),
            *one_line(v["request"]),
            *one_line(v["requester"]),
            *lines(v["scope"]),
            *lines(v["schedule"]),
            *lines(v["cost"]),
            *one_line(v["phase"]),
            *modules,
            *one_line(v["item"]),
            *one_line(v["evidence"]),
            *lines(v["item_note"]),
            *one_line(v["signed"]),
            *one_line(v["signer"]),
            *one_line(v["role"]),
            *one_line(v["signoff_reference"]),
            *one_line(v["check"]),
            *lines(v["check_note"]),
            *one_line(v["milestone"]),
            *one_line(v["milestone_phase"]),
            *one_line(v["milestone_owner"]),
            *one_line(v["risk"]),
            *one_line(v["risk_owner"]),
            *lines(v["mitigation"]),
            *failed_case,
            *one_line(v["done"]),
            *one_line(v["todo"]),
            *lines(v["blockers"]),
            *lines(v["resources"]),
            *lines(v["sync"]),
            *runbook,
        ],
    }[kind]
    return one_line(v["name"]) + byline + expected


@settings(max_examples=60, deadline=None)
@given(st.fixed_dictionaries(FIELDS))
def test_every_export_kind_keeps_tables_escapes_and_text(v: dict[str, str]) -> None:
    """Every export kind: every table row has its header's cells, no raw control
    character, and what the user typed reads back from the Markdown."""
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "data", clock=FrozenClock())
        fill_engagement(store, v)
        engagement = store.engagement("e")
        assert engagement is not None
        for kind in KINDS:
            # The engineer's name as Settings stores it (the OS account name: see below).
            engineer = clean_line(v["engineer"])
            report, _ = render(kind, store, engagement, TODAY, engineer=engineer, now=FROZEN_NOW)
            leaked = REPORT_CONTROL.findall(report)
            assert not leaked, f"{kind}: raw control characters {leaked!r}"
            tables = report_tables(report)
            assert tables or kind == "faq", f"{kind}: no table at all"  # the FAQ is prose
            for rows in tables:
                header = unescaped_pipes(rows[0])
                for row in rows[1:]:
                    assert unescaped_pipes(row) == header, f"{kind}: {row!r} breaks its table"
            texts = report_texts(report)
            for shown in shown_in(kind, v):
                assert any(shown in unit for unit in texts), f"{kind}: {shown!r} did not read back"


@given(text)
def test_inline_markdown_reads_back_as_the_cleaned_text(value: str) -> None:
    """Headings and bullets: undoing the escapes gives the cleaned one-line text."""
    escaped = md_inline(value)
    assert "\n" not in escaped
    assert md_unescape(escaped) == clean_line(value)


@given(typed)
def test_cells_and_blocks_read_back_as_the_cleaned_text(value: str) -> None:
    cleaned = [line.replace("\t", " ") for line in clean(value).strip().split("\n")]
    cell_back = [md_unescape(part) for part in md_cell(value).split("<br>")]
    assert cell_back == cleaned
    block_back = [md_unescape(line.removesuffix("  ")) for line in md_block(value).split("\n")]
    assert block_back == [line.lstrip(" ") for line in cleaned]


@settings(max_examples=30, deadline=None)
@given(typed)
def test_front_matter_carries_no_raw_control_characters(engineer: str) -> None:
    """The engineer's name comes from Settings (cleaned) or, unset, from the OS account
    (`default_engineer_name`: the passwd full name, not cleaned), and every report
    writes it into its front matter."""
    # JSON (the front matter's string syntax) escapes C0 only: DEL, C1 (`\x9b` is an
    # 8-bit CSI) and bidi overrides would go out raw, and YAML does not allow DEL/C1.
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "data", clock=FrozenClock())
        save_new_engagement(store, Engagement(id="e", name="E"))
        engagement = store.engagement("e")
        assert engagement is not None
        for kind in KINDS:
            report, _ = render(kind, store, engagement, TODAY, engineer=engineer, now=FROZEN_NOW)
            front = report.split("\n---\n", 1)[0]
            leaked = REPORT_CONTROL.findall(front)
            assert not leaked, f"{kind}: raw {leaked!r} in the front matter"


@settings(max_examples=40, deadline=None)
@given(st.fixed_dictionaries(FIELDS))
def test_the_handover_pack_carries_every_record_back_exactly(v: dict[str, str]) -> None:
    """Whatever was typed, the records embedded in a handover pack read back exactly as
    they were gathered: user text cannot break out of the block or change on the way."""
    import msgspec

    from sitedash.reports.handover import parse_pack
    from sitedash.services.handover import gather

    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "data", clock=FrozenClock())
        fill_engagement(store, v)
        engagement = store.engagement("e")
        assert engagement is not None
        engineer = clean_line(v["engineer"]) or "x"
        report, _ = render("handover", store, engagement, TODAY, engineer=engineer, now=FROZEN_NOW)
        block = report.split("```json sitedash-handover\n", 1)[1].split("\n```\n", 1)[0]
        assert not re.search(r"[`<>&\u2028\u2029]", block), "escaped in the block"
        read = parse_pack(report.encode("utf-8"))

        def without_revisions(value: object) -> object:
            if isinstance(value, dict):
                return {k: without_revisions(x) for k, x in value.items() if k != "rev"}
            if isinstance(value, list):
                return [without_revisions(x) for x in value]
            return value

        gathered = gather(store, engagement, TODAY, engineer)
        assert without_revisions(msgspec.to_builtins(read)) == without_revisions(
            msgspec.to_builtins(gathered)
        )
