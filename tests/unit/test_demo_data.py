"""The demo dataset reads as a real engineer's days."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from sitedash import demo
from sitedash.storage import Store
from tests.conftest import FrozenClock


@pytest.mark.parametrize("seed", [7, 1, 2, 3])
def test_no_demo_day_plans_the_same_item_twice(tmp_path: Path, seed: int) -> None:
    """Issue 19: the demo planned "Set up user roles and permissions for shift leads"
    twice on one day (drawn twice, or drawn again beside a carried-over copy)."""
    today = date(2026, 12, 7)
    store = Store(tmp_path / "demo", clock=FrozenClock())
    demo.generate(store, today=today, days=120, seed=seed)
    checked = 0
    for engagement in store.engagements():
        items = store.plan_items_between(today - timedelta(days=130), today, engagement.id)
        checked += len(items)
        twice = [key for key, n in Counter((i.day, i.title) for i in items).items() if n > 1]
        assert twice == [], twice
    assert checked > 200, "the demo has months of plans to check"
