"""Any file, any value: a hand-edited or crafted data file is one line naming the file,
the record and the field (exit 2), and it is never overwritten (issue: any file, any input).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sitedash.cli import main
from sitedash.models import Issue, PlanItem
from sitedash.storage import Store
from tests.conftest import TODAY, FrozenClock

Doc = dict[str, Any]


def _edit(path: Path, change: Callable[[Doc], None]) -> None:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False))


def _first(data: Doc, table: str) -> Doc:
    return next(iter(data[table].values()))


def _set(table: str, key: str, value: object) -> Callable[[Doc], None]:
    def change(data: Doc) -> None:
        _first(data, table)[key] = value

    return change


def _drop(table: str, key: str) -> Callable[[Doc], None]:
    def change(data: Doc) -> None:
        del _first(data, table)[key]

    return change


JOURNAL = "journal/2026-11.json"
ISSUES = "issues/0000.json"
META = "sitedash.json"

# (file, how it is broken, words the one line must hold)
CASES: dict[str, tuple[str, Callable[[Doc], None], list[str]]] = {
    "unknown plan status": (
        JOURNAL,
        _set("plan", "status", "blocked"),
        ["plan item 1", "status", "'blocked'", "todo, doing, done, dropped"],
    ),
    "missing day": (JOURNAL, _drop("plan", "day"), ["plan item 1", "day", "missing"]),
    "estimate is text": (
        JOURNAL,
        _set("plan", "estimate_min", "lots"),
        ["plan item 1", "estimate_min", "whole number"],
    ),
    "estimate is a fraction": (
        JOURNAL,
        _set("plan", "estimate_min", 1.5),
        ["plan item 1", "estimate_min", "whole number"],
    ),
    "negative estimate": (JOURNAL, _set("plan", "estimate_min", -5), ["estimate_min"]),
    "title is a number": (JOURNAL, _set("plan", "title", 42), ["plan item 1", "title", "text"]),
    "unknown issue status": (
        ISSUES,
        _set("issues", "status", "parked"),
        ["issue 1", "status", "'parked'", "in_progress"],
    ),
    "unknown severity": (
        ISSUES,
        _set("issues", "severity", "P0"),
        ["issue 1", "severity", "'P0'", "P1, P2, P3, P4"],
    ),
    "created is not a date": (
        ISSUES,
        _set("issues", "created", "yesterday-ish"),
        ["issue 1", "created"],
    ),
    "created without a time zone": (
        ISSUES,
        _set("issues", "created", "2026-11-25T08:00:00"),
        ["issue 1", "created"],
    ),
    "history is a string": (ISSUES, _set("issues", "history", "moved"), ["issue 1", "history"]),
    "issue without engagement": (
        ISSUES,
        _drop("issues", "engagement"),
        ["issue 1", "engagement", "missing"],
    ),
    "engagement without id": (META, _drop("engagements", "id"), ["engagement 1", "id", "missing"]),
    "engagement with a bad zone": (
        META,
        _set("engagements", "site_tz", "Mars/Olympus"),
        ["engagement 1", "Mars/Olympus"],
    ),
    "wellbeing settings is a string": (
        META,
        _set("settings", "wellbeing", "relaxed"),
        ["settings 1", "wellbeing"],
    ),
    "day start is not a time": (
        META,
        _set("settings", "day_starts_at", "dawn"),
        ["settings 1", "dawn"],
    ),
    "counter is not a number": (
        META,
        _set("counters", "issue", "many"),
        ["counters 1", "issue", "whole number"],
    ),
    "a document is a list": (JOURNAL, _set("plan", "title", [1, 2]), ["plan item 1", "title"]),
}


@pytest.fixture
def filled(store: Store, data_dir: Path, clock: FrozenClock) -> Path:
    store.add_plan_items([PlanItem("Install the line 3 client", TODAY, "mes")])
    store.add_issues([Issue("Scanner freezes", "mes")])
    from sitedash.models import Settings

    store.save_settings(Settings(engineer="Li Wei", active_engagement="mes"))
    return data_dir


def _snapshot(data_dir: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(data_dir.rglob("*")) if p.is_file()}


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args), clock=FrozenClock())
    captured = capsys.readouterr()
    return code, captured.err


COMMANDS = {
    "status": ["status"],
    "add plan": ["add", "plan", "another item"],
    "add issue": ["add", "issue", "another issue"],
    "export daily": ["export", "daily"],
    "clock in": ["clock", "in"],
}


DOES_NOT_READ = {JOURNAL: {"add issue"}, ISSUES: {"add plan", "clock in"}}
"""Commands that never open the broken file: they must work and leave it alone."""


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
@pytest.mark.parametrize("command", COMMANDS, ids=list(COMMANDS))
def test_a_wrong_value_is_one_line_naming_file_record_and_field(
    filled: Path, capsys: pytest.CaptureFixture[str], case: str, command: str
) -> None:
    relative, change, words = CASES[case]
    _edit(filled / relative, change)
    before = _snapshot(filled)
    code, err = _run(capsys, "--data-dir", str(filled), *COMMANDS[command])
    if command in DOES_NOT_READ.get(relative, ()):
        assert code == 0, err
        assert (filled / relative).read_bytes() == before[filled / relative]
        return
    assert code == 2, err
    assert err.count("\n") == 1, f"one line, got {err!r}"
    assert "Traceback" not in err
    assert str(filled / relative) in err, err
    for word in words:
        assert word in err, f"{word!r} not in {err!r}"
    assert _snapshot(filled) == before, "nothing written"


# A range, a date's form or a time zone a field requires: the line says it in the
# user's language, never in msgspec's own words (`int` >= 0, RFC3339).
WORDED = {
    "negative estimate": (
        JOURNAL,
        _set("plan", "estimate_min", -5),
        "expected a whole number of at least 0",
        "应为不小于 0 的整数",
    ),
    "sleep beyond a day": (
        JOURNAL,
        _set("health", "sleep_hours", 30.0),
        "expected a number of at most 24",
        "应为不大于 24 的数字",
    ),
    "day that does not exist": (
        JOURNAL,
        _set("plan", "day", "2026-02-30"),
        "day: not a date (YYYY-MM-DD",
        "day: 不是日期",
    ),
    "created is not a date": (
        ISSUES,
        _set("issues", "created", "yesterday-ish"),
        "created: not a date and time",
        "created: 不是日期时间",
    ),
    "created without a time zone": (
        ISSUES,
        _set("issues", "created", "2026-11-25T08:00:00"),
        "created: expected a date and time with its UTC offset",
        "created: 应为带 UTC 偏移的日期时间",
    ),
    "negative counter": (
        META,
        _set("counters", "issue", -1),
        "issue: expected a whole number of at least 0",
        "issue: 应为不小于 0 的整数",
    ),
}


@pytest.mark.parametrize("case", WORDED, ids=list(WORDED))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_range_or_a_form_is_said_in_words_of_the_language(
    filled: Path, capsys: pytest.CaptureFixture[str], case: str, lang: str
) -> None:
    if case == "sleep beyond a day":
        from sitedash.models import DayHealth

        Store(filled, clock=FrozenClock()).save_health(DayHealth(TODAY, 7.0))
    relative, change, english, chinese = WORDED[case]
    _edit(filled / relative, change)
    before = _snapshot(filled)
    code, err = _run(capsys, "--data-dir", str(filled), "--lang", lang, "status")
    assert code == 2 and err.count("\n") == 1, err
    assert (english if lang == "en" else chinese) in err, err
    for jargon in ("`", "RFC3339", "Expected", ">=", "<="):
        assert jargon not in err.replace("`sitedash restore`", ""), err
    assert _snapshot(filled) == before


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(lambda: "[" * 100_000 + "]" * 100_000, id="deep nesting"),
        pytest.param(lambda: '{"plan": {"1": {"n": ' + "9" * 5000 + "}}}", id="huge number"),
        pytest.param(lambda: '{"plan": {"1": {"n": ' + "[" * 40 + "]" * 40 + "}}}", id="deep"),
        pytest.param(lambda: '{"plan": NaN}', id="NaN"),
        pytest.param(lambda: "\xff\xfe not text", id="not UTF-8"),
    ],
)
def test_a_crafted_file_is_one_line_and_restore_repairs_it(
    filled: Path, capsys: pytest.CaptureFixture[str], raw: Callable[[], str]
) -> None:
    # Yesterday's backup holds the good file.
    Store(filled, clock=FrozenClock()).backup()
    path = filled / JOURNAL
    good = path.read_bytes()
    path.write_bytes(raw().encode("utf-8", "surrogateescape"))
    crafted = path.read_bytes()
    code, err = _run(capsys, "--data-dir", str(filled), "add", "plan", "x")
    assert code == 2 and err.count("\n") == 1 and str(path) in err, err
    assert "restore" in err and "backups" in err, "the line names the good backup"
    assert path.read_bytes() == crafted
    code, err = _run(capsys, "--data-dir", str(filled), "restore")
    assert code == 0, err
    assert path.read_bytes() == good
    assert [p.read_bytes() for p in path.parent.glob("2026-11.json.damaged-*")] == [crafted]


def test_restore_repairs_a_valid_json_file_with_a_wrong_value(
    filled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Store(filled, clock=FrozenClock()).backup()
    path = filled / JOURNAL
    good = path.read_bytes()
    _edit(path, _set("plan", "status", "blocked"))
    code, err = _run(capsys, "--data-dir", str(filled), "restore")
    assert code == 0, err
    assert path.read_bytes() == good
    assert "Restored" in capsys.readouterr().out or path.read_bytes() == good


def test_the_error_names_the_newest_backup_that_decodes(
    filled: Path, capsys: pytest.CaptureFixture[str], clock: FrozenClock
) -> None:
    """A backup taken after the file went bad is skipped: the line names a good one."""
    store = Store(filled, clock=clock)
    good_snapshot = store.backup(label="good")
    _edit(filled / JOURNAL, _set("plan", "status", "blocked"))
    later = store.backup(label="later")
    assert (later / JOURNAL).read_bytes() == (good_snapshot / JOURNAL).read_bytes(), (
        "a bad file is not copied into a backup; the good copy is carried forward"
    )
    code, err = _run(capsys, "--data-dir", str(filled), "status")
    assert code == 2
    assert str(good_snapshot / JOURNAL) in err or str(later / JOURNAL) in err, err


async def test_the_dashboard_says_so_and_stays_usable_for_the_good_files(
    filled: Path, clock: FrozenClock
) -> None:
    from sitedash.app import make_app

    _edit(filled / ISSUES, _set("issues", "title", 5))
    before = _snapshot(filled)
    app = make_app(Store(filled, clock=clock), clock=clock)
    said: list[str] = []
    notify = app.notify

    def recorded(message: str, *args: Any, **kwargs: Any) -> None:
        said.append(str(message))
        notify(message, *args, **kwargs)

    app.notify = recorded  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Install the line 3 client" in _screen_text(app), "Today reads its good file"
        await pilot.press("2")
        await pilot.pause()
        assert any(str(filled / ISSUES) in line and "title" in line for line in said), said
        await pilot.press("1")
        await pilot.pause()
        assert app.is_running and "Install the line 3 client" in _screen_text(app)
    assert _snapshot(filled) == before


def _screen_text(app: Any) -> str:
    """What the screen's widgets show (their rendered lines)."""
    lines = []
    for widget in app.screen.query("*"):
        for y in range(widget.size.height):
            lines.append("".join(segment.text for segment in widget.render_line(y)))
    return "\n".join(lines)
