"""The board read at 80x24 and 120x40 (issue 19): two-line cards with the title wrapped
by cell width, the highlighted card's full title under the board, all five columns on a
wide screen; a cursor move redraws the two cards involved, not the board (issue 23)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from rich.cells import cell_len
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import DataTable

from sitedash.i18n import set_language
from sitedash.i18n.zh import CATALOGUE
from sitedash.modals.issue import IssueForm
from sitedash.models import (
    ISSUE_FLOW,
    Confirmation,
    ConfirmMethod,
    Issue,
    IssueStatus,
    Severity,
)
from sitedash.services import issues as svc
from sitedash.storage import Store
from sitedash.widgets.issue_column import IssueCards, card_text, split_line
from tests.conftest import FROZEN_NOW, settle, wait_until

ENGLISH = "Shift report totals differ from ERP"
CHINESE = "扫码枪换班后死机"
LONG_CHINESE = "质检员无法查看不良品报表导出后中文乱码需要重新安装字体"
"""27 characters, 54 cells: more than a card's two lines at 80 columns."""


def lines_of(widget: Widget) -> list[str]:
    """The lines `widget` draws, as text."""
    region = widget.region
    strips = widget.render_lines(Region(0, 0, region.width, region.height))
    return ["".join(s.text for s in strip if not s.control) for strip in strips]


def title_of(column: Widget) -> str:
    """A column's title as text, without the gap drawn at its right."""
    return lines_of(column.query_one(".column-title"))[0].rstrip(" ▕").strip()


def cards(app, status: IssueStatus) -> IssueCards:
    return app.screen.query_one(f"#cards-{status.value}", IssueCards)


def card_line(app) -> str:
    return lines_of(app.screen.query_one("#card-line"))[0]


async def open_board(pilot) -> None:
    await pilot.press("2")
    await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "IssuesScreen")
    await settle(pilot)


def test_lines_break_by_cell_width() -> None:
    """Chinese folds after the last character that fits (two cells each, never split);
    an English word moves to the next line whole."""
    assert split_line(CHINESE, 9) == ("扫码枪换", "班后死机"), "8 cells: one cell left over"
    assert split_line(ENGLISH, 16) == ("Shift report", "totals differ from ERP")
    assert split_line("Scanner", 4) == ("", "Scanner"), "a word too long waits for line 2"
    assert split_line("导出 Excel 中文乱码", 8) == ("导出", "Excel 中文乱码")
    card = card_text(Issue(title=LONG_CHINESE, engagement="mes", number=7), 15)
    first, second = card.plain.split("\n")
    assert first == "P3 7 质检员无法"
    assert second == "查看不良品报表…", "cut with an ellipsis, within 15 cells"
    assert cell_len(second) <= 15


async def test_titles_wrap_under_id_and_severity_at_80x24(app, store: Store) -> None:
    svc.create_issue(store, Issue(title=ENGLISH, engagement="mes", module="Reports"))
    svc.create_issue(store, Issue(title=CHINESE, engagement="mes", severity=Severity.P1))
    add_issue(store, LONG_CHINESE, IssueStatus.WAITING)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(pilot)
        waiting = lines_of(cards(app, IssueStatus.WAITING))
        assert [line.rstrip() for line in waiting[:2]] == [
            " P3 3 质检员无法查",
            " 看不良品报表导出…",
        ]
        new = cards(app, IssueStatus.NEW)
        drawn = [line.rstrip() for line in lines_of(new)]
        # P1 first; the Chinese title wraps by character, the English one by word.
        assert drawn[:4] == [
            " P1 2 扫码枪换班后",
            " 死机",
            " P3 1 Shift report",
            " totals differ fr…",
        ]
        assert all(row.height == 2 for row in new.ordered_rows)
        # The columns keep their width: every line of every column is as wide as it.
        for table in app.screen.query(IssueCards):
            if table.region.width:
                assert {cell_len(line) for line in lines_of(table)} == {table.region.width}


async def test_the_highlighted_card_is_in_full_under_the_board(app, store: Store) -> None:
    svc.create_issue(store, Issue(title=ENGLISH, engagement="mes", module="Reports"))
    svc.create_issue(store, Issue(title=LONG_CHINESE, engagement="mes", reporter="王磊"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(pilot)
        assert card_line(app).startswith(f" ISS-1 P3 {ENGLISH} · Reports")
        await pilot.press("down")
        await settle(pilot)
        assert card_line(app).startswith(f" ISS-2 P3 {LONG_CHINESE} · 王磊")
        assert LONG_CHINESE not in "".join(lines_of(cards(app, IssueStatus.NEW))), "cut there"


LONG_ENGLISH = (
    "Label printer on line 3 prints blank labels after the shift change when the "
    "operator logs in again and the queue is not flushed"
)
"""128 characters: more than the line under the board at 80 columns."""


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_title_longer_than_the_screen_is_wide_is_still_read_whole(
    make_app, store: Store, lang: str
) -> None:
    """The line under the board wraps to a second line rather than cut the title, and
    is two lines for every card, so that a cursor move never changes its size."""
    svc.create_issue(store, Issue(title=ENGLISH, engagement="mes"))
    svc.create_issue(store, Issue(title=LONG_ENGLISH, engagement="mes", module="Labels"))
    svc.create_issue(store, Issue(title=LONG_CHINESE * 2, engagement="mes", reporter="王磊"))
    set_language(lang)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(pilot)
        line = app.screen.query_one("#card-line")
        assert line.region.height == 2
        for title in (LONG_ENGLISH, LONG_CHINESE * 2):
            await pilot.press("down")
            await settle(pilot)
            drawn = [row.strip() for row in lines_of(line)]
            assert title in " ".join(drawn) or title in "".join(drawn), drawn
            assert line.region.height == 2
    set_language("en")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_in_chinese_the_card_and_its_full_title(make_app, store: Store, size) -> None:
    svc.create_issue(store, Issue(title=LONG_CHINESE, engagement="mes", module="质量管理"))
    set_language("zh")
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await open_board(pilot)
        drawn = lines_of(cards(app, IssueStatus.NEW))
        assert drawn[0].startswith(" P3 1 质检员")
        assert card_line(app).startswith(f" ISS-1 P3 {LONG_CHINESE} · 质量管理")
        assert title_of(app.screen.query_one("#column-new")) == f"1 {CATALOGUE['New']}"
    set_language("en")


def add_issue(store: Store, title: str, status: IssueStatus) -> None:
    """An issue moved through the board up to `status`."""
    issue = svc.create_issue(store, Issue(title=title, engagement="mes"))
    for target in ISSUE_FLOW[1 : ISSUE_FLOW.index(status) + 1]:
        confirmed = Confirmation(by="Kovács Anna", method=ConfirmMethod.EMAIL, at=FROZEN_NOW)
        issue = svc.move(store, issue, target, confirmation=confirmed)


async def test_five_columns_with_two_line_cards_at_120x40(app, store: Store) -> None:
    for status in ISSUE_FLOW:
        add_issue(store, f"{ENGLISH} ({status.value})", status)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_board(pilot)
        columns = [c for c in app.screen.query(".issue-column") if c.display]
        assert len(columns) == 5, "Confirmed keeps its place while hidden"
        titles = [title_of(c) for c in columns]
        assert titles[:4] == ["1 New", "1 In progress", "1 Waiting on customer", "1 Resolved"]
        assert titles[4].startswith("Confirmed (v shows)")
        assert cards(app, IssueStatus.CONFIRMED).row_count == 0
        await pilot.press("right", "right", "right", "right")
        await settle(pilot)
        assert app.focused.id == "cards-resolved", "the hidden column is not a stop"
        await pilot.press("tab")
        await settle(pilot)
        assert app.focused.id != "cards-confirmed", "not for tab either"
        await pilot.press("v")
        await settle(pilot)
        assert title_of(columns[4]) == "1 Confirmed"
        for status in IssueStatus:
            drawn = lines_of(cards(app, status))
            assert drawn[0].strip() == f"P3 {ISSUE_FLOW.index(status) + 1} Shift report"
            assert drawn[1].strip().startswith("totals differ from")


@pytest.fixture
def redrawn(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[tuple[str, int]]]:
    """Every line a widget renders again, by widget (`render_line` is what Textual asks
    for a line that changed; unchanged lines come from its cache)."""
    lines: Counter[tuple[str, int]] = Counter()
    widget_line, table_line = Widget.render_line, DataTable.render_line

    def widget_render_line(self: Widget, y: int):
        lines[(self.id or type(self).__name__, y)] += 1
        return widget_line(self, y)

    def table_render_line(self: DataTable, y: int):
        lines[(self.id or type(self).__name__, y)] += 1
        return table_line(self, y)

    monkeypatch.setattr(Widget, "render_line", widget_render_line)
    monkeypatch.setattr(DataTable, "render_line", table_render_line)
    yield lines


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_cursor_move_redraws_two_cards(app, store: Store, redrawn, size) -> None:
    store.add_issues([Issue(f"{ENGLISH} {n}", "mes", module="Reports") for n in range(30)])
    async with app.run_test(size=size) as pilot:
        await open_board(pilot)
        for key, rows in (("down", [0, 1, 2, 3]), ("down", [2, 3, 4, 5]), ("up", [2, 3, 4, 5])):
            redrawn.clear()
            await pilot.press(key)
            await settle(pilot)
            card_line_rows = [("card-line", 0), ("card-line", 1)]  # its two lines
            assert sorted(redrawn) == sorted([("cards-new", y) for y in rows] + card_line_rows)
        redrawn.clear()
        app.screen.reload()  # as after a write elsewhere that left these cards as they were
        await settle(pilot)
        assert [line for line in redrawn if line[0].startswith("cards-")] == []


async def test_showing_confirmed_on_a_wide_screen_draws_one_column(
    app, store: Store, redrawn
) -> None:
    for n in range(20):
        add_issue(store, f"{ENGLISH} {n}", IssueStatus.CONFIRMED if n % 2 else IssueStatus.NEW)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_board(pilot)
        redrawn.clear()
        await pilot.press("v")
        await settle(pilot)
        assert cards(app, IssueStatus.CONFIRMED).row_count == 10
        tables = {widget for widget, _ in redrawn if widget.startswith("cards-")}
        assert tables == {"cards-confirmed"}, "the open columns are not drawn again"


async def test_keys_on_two_line_cards(app, store: Store) -> None:
    store.add_issues([Issue(f"{ENGLISH} {n}", "mes") for n in range(60)])
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(pilot)
        new = cards(app, IssueStatus.NEW)

        async def press(*keys: str) -> int:
            await pilot.press(*keys)
            await settle(pilot)
            selected = app.screen.selected()
            assert card_line(app).startswith(f" {selected.key} P3 {selected.title}")
            return new.cursor_row

        assert await press("down", "down") == 2
        assert await press("up") == 1
        page = await press("pagedown")
        assert 5 <= page <= 12, "a screen of two-line cards, not of lines"
        assert await press("pageup") == 1, "back where it was"
        assert await press("end") == 59, "the pages before the last card are loaded"
        assert await press("home") == 0
        await press("down")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, IssueForm))
        assert app.screen.query_one("#title").value == f"{ENGLISH} 1"
