"""The store's bounded read cache (issue 23, memory): reading years of history keeps only
the budget's worth of files parsed; the answers are those of a store that keeps
everything; a transaction's unwritten data is never forgotten; a file another process
changed is read again; threads reading while another writes see whole states."""

from __future__ import annotations

import gc
import shutil
import subprocess
import sys
import threading
import tracemalloc
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from sitedash import demo
from sitedash.demo import MES
from sitedash.models import Issue, PlanItem
from sitedash.reports.daily import daily_report
from sitedash.reports.retro import retro_report
from sitedash.reports.weekly import weekly_report
from sitedash.storage import Store
from tests.conftest import FROZEN_NOW, TODAY, FrozenClock

DAYS = 730
SMALL = 64 * 1024
"""A budget far below two years of data (about 1.5 MB on disk)."""
EVERYTHING = 1 << 40


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("cache-history") / "data"
    demo.generate(Store(data, clock=FrozenClock()), today=TODAY, days=DAYS, now=FROZEN_NOW)
    return data


@pytest.fixture
def data(history: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "copy"
    shutil.copytree(history, copy)
    return copy


def store_with(data: Path, budget: int, *, read_only: bool = True) -> Store:
    store = Store(data, clock=FrozenClock(), read_only=read_only)
    store.CACHE_BYTES = budget  # the instance's budget (the class keeps the default)
    return store


def read_everything(store: Store) -> list[object]:
    """Every record of every file: the plan, work sessions, health, issues, training,
    and the reports that read years of history."""
    engagement = store.engagement(MES)
    assert engagement is not None
    start, end = TODAY - timedelta(days=DAYS + 40), TODAY
    answers: list[object] = [
        store.all_plan_items(),
        store.sessions_between(start, end),
        store.health_between(start, end),
        store.issues(),
        store.training_sessions(),
        retro_report(store, engagement, TODAY, engineer="E", now=FROZEN_NOW),
    ]
    for day in (TODAY, TODAY - timedelta(days=200), TODAY - timedelta(days=600)):
        answers.append(daily_report(store, engagement, day, engineer="E", now=FROZEN_NOW))
        answers.append(weekly_report(store, engagement, day, engineer="E", now=FROZEN_NOW))
    return answers


def data_bytes(data: Path) -> int:
    return sum(p.stat().st_size for p in data.glob("*/*.json") if p.parent.name != "index")


def test_reading_years_of_history_keeps_only_the_budget_parsed(data: Path) -> None:
    assert data_bytes(data) > 20 * SMALL, "the history must be far larger than the budget"
    bounded = store_with(data, SMALL)
    read_everything(bounded)
    assert 0 < bounded.cached_bytes() <= SMALL
    unbounded = store_with(data, EVERYTHING)
    read_everything(unbounded)
    assert unbounded.cached_bytes() > 10 * SMALL  # the control: without a budget all stays


def retained_after(read: Callable[[], object]) -> int:
    """Bytes still allocated after `read()` returned and its answer was dropped."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        read()
        gc.collect()
        return tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()


def test_memory_kept_after_reading_years_is_bounded(data: Path) -> None:
    bounded = store_with(data, SMALL)
    unbounded = store_with(data, EVERYTHING)
    kept_bounded = retained_after(lambda: read_everything(bounded))
    kept_unbounded = retained_after(lambda: read_everything(unbounded))
    # Parsed JSON takes a few times its size on disk; the index and the store's own
    # objects come on top. Everything parsed would be several megabytes.
    assert kept_bounded < 2_000_000, kept_bounded
    assert kept_unbounded > 3 * kept_bounded, (kept_bounded, kept_unbounded)


def test_answers_equal_those_of_a_store_that_keeps_everything(data: Path) -> None:
    expected = read_everything(store_with(data, EVERYTHING))
    tiny = store_with(data, 1)  # forgets every file but the last one read
    assert read_everything(tiny) == expected
    assert read_everything(tiny) == expected, "asked again, after everything was forgotten"


def test_a_transactions_unwritten_data_is_never_forgotten(data: Path) -> None:
    store = store_with(data, 1, read_only=False)
    old_day = TODAY - timedelta(days=400)
    issue = Issue(title="Label printer offline", engagement=MES)
    with store.transaction():
        store.add_plan_items([PlanItem(title="Pending item", day=old_day, engagement=MES)])
        store.add_issues([issue])
        read_everything(store)  # every other file read, and forgotten, after the write
        assert "Pending item" in {i.title for i in store.plan_items(old_day, MES)}
        assert store.issue(issue.number) is not None
    fresh = Store(data, read_only=True)
    assert "Pending item" in {i.title for i in fresh.plan_items(old_day, MES)}
    stored = fresh.issue(issue.number)
    assert stored is not None and stored.title == "Label printer offline"


WRITER = """
import sys
from datetime import date
from pathlib import Path
from sitedash.models import PlanItem
from sitedash.storage import Store

store = Store(Path(sys.argv[1]))
day = date.fromisoformat(sys.argv[2])
store.add_plan_items([PlanItem(title=sys.argv[3], day=day, engagement=sys.argv[4])])
"""


def write_in_another_process(data: Path, day: object, title: str) -> None:
    subprocess.run(
        [sys.executable, "-c", WRITER, str(data), str(day), title, MES], check=True, timeout=120
    )


@pytest.mark.parametrize("budget", [SMALL, EVERYTHING], ids=["forgotten", "still-cached"])
def test_a_file_another_process_changed_is_read_again(data: Path, budget: int) -> None:
    store = store_with(data, budget)
    old_day = TODAY - timedelta(days=300)
    before = [i.title for i in store.plan_items(old_day, MES)]
    read_everything(store)  # with the small budget, the old month is forgotten by now
    store.plan_items(TODAY, MES)  # this month is the most recently used either way
    write_in_another_process(data, old_day, "From the other terminal")
    write_in_another_process(data, TODAY, "Also from the other terminal")
    after = [i.title for i in store.plan_items(old_day, MES)]
    assert sorted(after) == sorted([*before, "From the other terminal"])
    assert "Also from the other terminal" in {i.title for i in store.plan_items(TODAY, MES)}


def test_readers_in_threads_see_whole_states_while_a_writer_adds(data: Path) -> None:
    """The app's exports read in worker threads while its screens read and write: with a
    budget that forgets at every read, a reader never sees an issue count go down, never
    an error, and at the end every issue is there."""
    store = store_with(data, 2 * 1024, read_only=False)
    start = len(store.issues())
    added = 40
    seen: list[list[int]] = [[], []]
    errors: list[BaseException] = []
    done = threading.Event()

    def reader(counts: list[int]) -> None:
        try:
            while not done.is_set():
                counts.append(len(store.issues()))
                store.all_plan_items(MES)  # churns the cache
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=reader, args=(counts,)) for counts in seen]
    for thread in threads:
        thread.start()
    try:
        for n in range(added):
            store.add_issues([Issue(title=f"Issue {n}", engagement=MES)])
    finally:
        done.set()
        for thread in threads:
            thread.join(timeout=120)
    assert not errors, errors
    for counts in seen:
        assert counts, "each reader read at least once"
        assert counts == sorted(counts), "a reader saw an issue disappear"
        assert start <= counts[0] and counts[-1] <= start + added
    assert len(store.issues()) == start + added
    assert len(Store(data, read_only=True).issues()) == start + added
