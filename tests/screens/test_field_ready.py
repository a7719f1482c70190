"""Issue 19, point 5: the small things an engineer hits in a day, each checked on what
is drawn at 80x24 and what is stored, in English and in Chinese."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from sitedash.i18n import set_language, t, tn
from sitedash.models import PlanStatus
from sitedash.services import today as plan
from sitedash.storage import Store
from sitedash.widgets.plan_table import PlanTable
from tests.conftest import TODAY, settle
from tests.drawn import drawn_text


@pytest.fixture(params=["en", "zh"])
def lang(request: pytest.FixtureRequest) -> Iterator[str]:
    set_language(request.param)
    yield request.param
    set_language("en")


def day_bar(app) -> str:
    return str(app.screen.query_one("#day-bar").render())


async def test_items_carried_on_to_a_later_day_are_not_left_today(
    app, store: Store, lang: str
) -> None:
    moved = plan.add_item(store, "mes", TODAY, "Migrate BOMs", estimate_min=90)
    plan.add_item(store, "mes", TODAY, "Print labels", estimate_min=30)
    plan.carry_over(store, [moved], TODAY + timedelta(days=1))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        drawn = drawn_text(app)
        assert t("{left} left", left="30m") in drawn, drawn
        assert t("{left} left", left="2h") not in drawn
        assert "→" in drawn, "the carried item still shows where it went"
        await pilot.press("right_square_bracket")  # tomorrow: the carried copy is left there
        await settle(pilot)
        assert t("{left} left", left="1h30m") in day_bar(app)


async def test_home_and_end_move_to_the_first_and_last_row(app, store: Store, lang: str) -> None:
    for title in ("Install server", "Configure routing", "Train key users"):
        plan.add_item(store, "mes", TODAY, title)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(PlanTable)
        await pilot.press("end")
        await settle(pilot)
        assert table.cursor_row == 2
        await pilot.press("home")
        await settle(pilot)
        assert table.cursor_row == 0
        await pilot.press("space")
        await settle(pilot)
        stored = {i.title: i.status for i in store.plan_items(TODAY, "mes")}
        assert stored["Install server"] is PlanStatus.DONE
        assert stored["Train key users"] is PlanStatus.TODO
        assert "✓" in table.get_row_at(0)[0].plain


def test_counted_nouns_agree_with_their_count(lang: str) -> None:
    one = tn(1, "Carried over {n} item to {day}", "Carried over {n} items to {day}", day="D")
    two = tn(2, "Carried over {n} item to {day}", "Carried over {n} items to {day}", day="D")
    if lang == "en":
        assert (one, two) == ("Carried over 1 item to D", "Carried over 2 items to D")
    else:
        assert (one, two) == ("已将 1 项顺延到 D", "已将 2 项顺延到 D")


@pytest.mark.parametrize("width", [80, 100, 120])
async def test_the_navigation_names_every_screen_that_fits_beside_the_clock(
    app, lang: str, width: int
) -> None:
    """At 80 columns in English beside "off the clock" the bar dropped every other
    screen's name; it now drops names from the last screen back, only as many as it must,
    and never cuts the line."""
    from rich.cells import cell_len
    from textual.widgets import Static

    from sitedash.widgets.header import SCREENS, screen_label

    async with app.run_test(size=(width, 24)) as pilot:
        await settle(pilot)
        nav = app.screen.query_one("#nav")
        screens = str(nav.query_one("#nav-screens", Static).render())
        status = str(nav.query_one("#nav-status", Static).render())
        assert t("off the clock") in status
        named = [mode for mode in SCREENS if f" {screen_label(mode)} " in screens]
        assert named[0] == "today" and named == list(SCREENS)[: len(named)], screens
        for number in range(1, len(SCREENS) + 1):
            assert f" {number} " in screens, screens
        shown = nav.query_one("#nav-screens", Static)
        assert cell_len(screens) <= shown.size.width, "the bar is cut"
        assert cell_len(screens) + cell_len(status) <= nav.size.width
        if width >= 100 or lang == "zh":
            assert named == list(SCREENS), screens
        else:
            assert len(named) >= len(SCREENS) - 1, screens


async def test_the_navigation_refits_when_the_clock_status_changes(app, clock) -> None:
    """Clocking in or a reminder coming due changes the status beside the names without
    the screen being shown again: the names are fitted again each time."""
    from rich.cells import cell_len
    from textual.widgets import Static

    from sitedash.widgets.header import SCREENS, screen_label

    def bar() -> tuple[list[str], int, int]:
        nav = app.screen.query_one("#nav")
        screens = str(nav.query_one("#nav-screens", Static).render())
        status = str(nav.query_one("#nav-status", Static).render())
        named = [mode for mode in SCREENS if f" {screen_label(mode)} " in screens]
        return named, cell_len(screens) + cell_len(status), nav.size.width

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        named, used, width = bar()
        assert len(named) == len(SCREENS) - 1 and used <= width  # beside "off the clock"
        app.work_clock.act("in")
        await settle(pilot)
        named, used, width = bar()
        assert named == list(SCREENS) and used <= width, "room for every name again"
        clock.now += timedelta(hours=4, minutes=1)
        app.work_clock.check()  # a break is due: the status grows
        await settle(pilot)
        named, used, width = bar()
        assert "⏰" in str(app.screen.query_one("#nav-status", Static).render())
        assert len(named) < len(SCREENS) and used <= width, "the names made room"
