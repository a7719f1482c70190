"""How long the dashboard keeps a key waiting: `python benchmarks/stalls.py [--board]`.

Issue 9 asks that no work on the event loop blocks input for more than 50 ms. A probe
task sleeps 1 ms at a time beside the dashboard (headless, 120x36) and records how late
each wake-up is: a late wake-up is how long a key pressed at that moment would have
waited. Reported for the background building after start-up, a first switch to the
board, showing and hiding the Confirmed column, and Sign-off's tabs. Headless skips
writing frames, so these are the event loop's own stalls; noisy, run it a few times.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from data import clone, prepare


async def measure(directory: Path) -> list[tuple[str, float, int]]:
    from sitedash.app import make_app
    from sitedash.storage import Store

    def clock() -> datetime:
        return datetime.now(UTC)

    app = make_app(Store(directory, clock=clock), clock=clock, prewarm=True)
    wakes: list[tuple[float, float]] = []  # (lateness, when)

    async def probe() -> None:
        while True:
            began = time.perf_counter()
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            wakes.append((now - began - 0.001, now))

    rows: list[tuple[str, float, int]] = []

    def since(label: str, start: float) -> None:
        late = [lateness for lateness, when in wakes if when >= start]
        rows.append((label, max(late) * 1000, sum(1 for x in late if x > 0.05)))

    async with app.run_test(size=(120, 36)) as pilot:
        task = asyncio.create_task(probe())
        await pilot.pause(0.5)
        start = time.perf_counter()
        await pilot.pause(2.5)
        since("building the other screens while idle", start)
        for label, keys in (
            ("switch to the board (first visit)", ["2"]),
            ("show Confirmed (v)", ["v"]),
            ("hide Confirmed (v)", ["v"]),
            ("switch to Sign-off, two tab switches", ["4", "t", "t"]),
        ):
            start = time.perf_counter()
            for key in keys:
                await pilot.press(key)
                await pilot.pause(0.4)
            since(label, start)
        task.cancel()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--board", action="store_true", help="the 5,000-issue data")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sitedash-stalls-") as temp:
        data = prepare(Path(temp) / "templates")
        directory = clone(data.board if args.board else data.days730, Path(temp) / "run")
        rows = asyncio.run(measure(directory))
    print(f"{'what':<40} {'longest stall':>14} {'stalls > 50 ms':>15}")
    for label, longest, over in rows:
        print(f"{label:<40} {longest:>11.0f} ms {over:>15}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
