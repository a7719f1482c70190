"""The daily report: front matter a lead's tools can read, sections, awkward text."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from sitedash.i18n import language
from sitedash.models import PlanStatus
from sitedash.reports.daily import daily_report
from sitedash.reports.frontmatter import parse_front_matter
from sitedash.services import today as plan
from sitedash.storage import Store
from sitedash.textsafe import md_unescape_cell
from tests.conftest import FROZEN_NOW, TODAY


def front_matter(report: str) -> dict[str, str]:
    """Top-level fields and `counts` flattened, every value as written (str)."""
    fields = parse_front_matter(report)
    flat = {k: v for k, v in fields.items() if not isinstance(v, dict)}
    flat.update(fields.get("counts", {}))
    return {
        k: v
        if isinstance(v, str) and k in ("period_start", "period_end", "generated_at")
        else json.dumps(v, ensure_ascii=False)
        for k, v in flat.items()
    }


def section(report: str, title: str) -> str:
    """The body of the `## title` (or `### title`) section, up to the next heading."""
    start = report.index(f"# {title}\n")
    body = report[start:].split("\n", 1)[1]
    return re.split(r"\n#{1,6} ", body, maxsplit=1)[0].strip()


def build(store: Store) -> str:
    return daily_report(store, store.engagement("mes"), TODAY, engineer="Li Wei", now=FROZEN_NOW)


def test_front_matter_and_counts(store: Store) -> None:
    done = plan.add_item(store, "mes", TODAY, "Install server", estimate_min=90)
    plan.set_status(store, done, PlanStatus.DONE)
    plan.add_item(store, "mes", TODAY, "Configure routing")
    dropped = plan.add_item(store, "mes", TODAY, "Print labels")
    plan.set_status(store, dropped, PlanStatus.DROPPED)
    plan.append_note(store, "mes", TODAY, "VPN down", "blockers")
    fields = front_matter(build(store))
    assert fields["kind"] == '"daily"'
    assert fields["sitedash_report"] == "1"
    assert fields["engineer"] == '"Li Wei"'
    assert fields["engagement"] == '"mes"'
    assert fields["customer"] == '"Danube Precision"'
    assert fields["period_start"] == fields["period_end"] == "2026-11-25"
    assert fields["generated_at"] == "2026-11-25T08:30:00+00:00"
    assert (fields["planned"], fields["done"], fields["unfinished"], fields["dropped"]) == (
        "3",
        "1",
        "1",
        "1",
    )
    assert fields["estimate_done_min"] == "90" and fields["blockers"] == "1"


def test_sections(store: Store) -> None:
    done = plan.add_item(store, "mes", TODAY, "Install server", estimate_min=90)
    plan.set_status(store, done, PlanStatus.DONE)
    plan.add_item(store, "mes", TODAY, "Configure routing")
    plan.add_item(store, "mes", TODAY + timedelta(days=1), "Train operators")
    plan.append_note(store, "mes", TODAY, "Need three test accounts", "resources")
    plan.append_note(store, "mes", TODAY, "Line 2 pilot starts Monday")
    report = build(store)
    assert (
        section(report, "Done today (1 of 2)").splitlines()[2]
        == "| Install server | support | 1h30m |"
    )
    tomorrow = section(report, "Plan for tomorrow")
    assert "Train operators" in tomorrow and "Configure routing" in tomorrow
    assert "Configure routing" in section(report, "Not finished")
    assert section(report, "Blockers and help needed") == "_None._"
    assert section(report, "Dropped") == "_None._"
    assert section(report, "Resources to coordinate") == "Need three test accounts"
    assert section(report, "Customer daily sync") == "Line 2 pilot starts Monday"


def test_awkward_text_keeps_the_tables_intact(store: Store) -> None:
    titles = ["a | b", "two\nlines", "[bold]粗体[/bold] <b>x</b>", "# 标题 `code` [link](http://x)"]
    for title in titles:
        item = plan.add_item(store, "mes", TODAY, title)
        plan.set_status(store, item, PlanStatus.DONE)
    rows = section(build(store), "Done today (4 of 4)").splitlines()[2:]
    assert len(rows) == 4
    for row, title in zip(rows, titles, strict=True):
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", row)[1:-1]]
        assert len(cells) == 3, row
        # Titles are one line (newlines become spaces on input); the text reads back.
        assert md_unescape_cell(cells[0]) == " ".join(title.split("\n"))


def test_an_empty_day_still_has_every_section(store: Store) -> None:
    report = build(store)
    for title in (
        "Done today (0 of 0)",
        "Not finished",
        "Plan for tomorrow",
        "Dropped",
        "Blockers and help needed",
        "Resources to coordinate",
        "Customer daily sync",
    ):
        assert section(report, title) == "_None._"


def test_issue_sections_with_awkward_text(store: Store, clock) -> None:
    from sitedash.models import Confirmation, ConfirmMethod, Issue, IssueStatus, Severity
    from sitedash.services import issues as svc

    old = svc.create_issue(
        store, Issue(title="Old | P2\nproblem", engagement="mes", severity=Severity.P2)
    )
    clock.now += timedelta(days=3)
    opened = svc.create_issue(
        store,
        Issue(title="扫码枪 | 死机", engagement="mes", severity=Severity.P1, module="生产 [bold]"),
    )
    fixed = svc.create_issue(store, Issue(title="Fixed today", engagement="mes"))
    # Moved back to New: not opened again that day.
    svc.move(store, svc.move(store, old, IssueStatus.IN_PROGRESS), IssueStatus.NEW)
    svc.move(store, fixed, IssueStatus.RESOLVED)
    svc.move(
        store,
        fixed,
        IssueStatus.CONFIRMED,
        confirmation=Confirmation("Anna", ConfirmMethod.EMAIL, clock.now),
    )
    report = daily_report(
        store, store.engagement("mes"), TODAY + timedelta(days=3), engineer="Li Wei", now=clock.now
    )
    fields = front_matter(report)
    assert (
        fields["issues_opened"],
        fields["issues_resolved"],
        fields["issues_confirmed"],
        fields["open_p1_p2"],
    ) == ("2", "1", "1", "2")
    opened_rows = section(report, "Issues opened (2)").splitlines()[2:]
    assert opened_rows[0] == "| ISS-2 | P1 | 扫码枪 \\| 死机 | 生产 \\[bold\\] |"
    assert "ISS-3" in opened_rows[1]
    assert "Fixed today" in section(report, "Issues resolved (1)")
    assert "Fixed today" in section(report, "Issues confirmed by the customer (1)")
    urgent = section(report, "Open P1/P2 issues (2)").splitlines()[2:]
    assert urgent[0].startswith(f"| {opened.key} | P1 |"), "the most severe first"
    assert urgent[1] == f"| {old.key} | P2 | Old \\| P2 problem | New | 3 |  |"

    # The report of an earlier day shows the board as it stood at that day's end.
    before = daily_report(store, store.engagement("mes"), TODAY, engineer="Li Wei", now=clock.now)
    assert front_matter(before)["open_p1_p2"] == "1"
    assert section(before, "Open P1/P2 issues (1)").splitlines()[2:] == [
        f"| {old.key} | P2 | Old \\| P2 problem | New | 0 |  |"
    ]


def test_hours_worked_and_breaks(store: Store, clock) -> None:
    from sitedash.services import wellbeing

    context = wellbeing.ClockContext(store.engagement("mes"), "04:00")
    wellbeing.clock(store, context, "in")
    clock.now += timedelta(hours=3)
    wellbeing.clock(store, context, "break")
    clock.now += timedelta(minutes=45)
    wellbeing.clock(store, context, "in")
    clock.now += timedelta(hours=2)
    report = daily_report(store, store.engagement("mes"), TODAY, engineer="Li Wei", now=clock.now)
    fields = front_matter(report)
    assert (fields["worked_min"], fields["breaks"]) == ("300", "1")
    hours = section(report, "Hours")
    assert hours.startswith("Worked 5h; 1 break or walk (45m).")
    assert "| 09:30 | 12:30 | work | 3h |" in hours
    assert "| 13:15 | running | work | 2h |" in hours
    with language("zh"):
        report = daily_report(store, store.engagement("mes"), TODAY, engineer="Li", now=clock.now)
    assert "休息或散步 1 次(45m)" in report
    wellbeing.clock(store, context, "walk")  # issue 19: "1 breaks or walks" above, and now
    clock.now += timedelta(minutes=20)
    wellbeing.clock(store, context, "in")
    report = daily_report(store, store.engagement("mes"), TODAY, engineer="Li Wei", now=clock.now)
    assert section(report, "Hours").startswith("Worked 5h; 2 breaks or walks (1h05m).")


def test_trainings_held_that_day(store: Store) -> None:
    from sitedash.models import Assessment, Attendance, Tier, TrainingSession

    store.add_training_sessions(
        [
            TrainingSession(
                "报工 | 质检 basics",
                "mes",
                TODAY,
                tier=Tier.ADMIN,
                modules=["生产", "QA"],
                hands_on=False,
                attendees=[
                    Attendance("Anna", result=Assessment.PASSED),
                    Attendance("Gábor", result=Assessment.AGAIN),
                    Attendance("Dóra", result=Assessment.ABSENT),
                ],
            ),
            TrainingSession("Yesterday's", "mes", TODAY - timedelta(days=1)),
        ]
    )
    report = daily_report(store, store.engagement("mes"), TODAY, engineer="Li", now=FROZEN_NOW)
    fields = front_matter(report)
    assert (fields["trainings"], fields["trained_people"]) == ("1", "2"), "the absent not counted"
    rows = section(report, "Trainings held (1)").splitlines()
    assert rows[0] == "| Topic | Audience | Modules | Attendees | Passed | Hands-on |"
    assert rows[2] == "| 报工 \\| 质检 basics | administrators | 生产, QA | 2 | 1 | no |"


def test_no_customer_or_site_is_a_plain_dash_and_typed_text_stays_escaped(
    store: Store,
) -> None:
    """An engagement without a customer or site said `Customer: \\-` in the Markdown: the
    placeholder was escaped as if typed. What an engineer typed is still escaped."""
    from msgspec.structs import replace

    engagement = store.engagement("mes")
    assert engagement is not None
    bare = replace(engagement, customer="", site="  ")
    report = daily_report(store, bare, TODAY, engineer="Li Wei", now=FROZEN_NOW)
    assert "Customer: - · Site: -" in report
    assert "\\-" not in report.split("\n## ", 1)[0]
    typed = replace(engagement, customer="*Danube*", site="-")
    report = daily_report(store, typed, TODAY, engineer="Li Wei", now=FROZEN_NOW)
    assert "Customer: \\*Danube\\* · Site: \\-" in report
