"""Property tests: whatever a user or customer types, tables hold, no escape sequence
leaves sitedash, markup stays text, dates never crash, and the text reads back."""

from __future__ import annotations

import re
import string
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sitedash.models import PlanStatus
from sitedash.reports.daily import daily_report
from sitedash.reports.markdown import table
from sitedash.services import today as plan
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
    from sitedash.models import Engagement

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
    assert date.fromisoformat(report.split("period_start: ", 1)[1][:10]) == TODAY
