"""The Today screen, driven by keys as an engineer would."""

from __future__ import annotations

from datetime import timedelta

from sitedash.models import PlanItem, PlanStatus
from sitedash.widgets.plan_table import PlanTable
from tests.conftest import TODAY


def titles_on_screen(app) -> list[str]:
    table = app.screen.query_one(PlanTable)
    return [table.get_row_at(row)[1].plain for row in range(table.row_count)]


async def test_add_item_by_keys(app, store):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a", *"Install MES server", "enter")
        await pilot.pause()
        assert [i.title for i in store.plan_items(TODAY, "mes")] == ["Install MES server"]
        assert titles_on_screen(app) == ["Install MES server"]
        await pilot.press("a", *"Configure routing", "enter")
        await pilot.pause()
        table = app.screen.query_one(PlanTable)
        assert table.cursor_row == 1, "the cursor follows the new item"
