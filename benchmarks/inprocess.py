"""In-process measurements, run in a process of their own so that the benchmark's own
process stays small: a child's peak RSS (`wait4`) counts the pages it shared with its
parent after the fork, so a parent that had read 20,000 issues would inflate every
memory figure measured after it.

    python inprocess.py exports KIND ROUNDS DIR...   # `sitedash export KIND` via cli.main
    python inprocess.py board DIR ROUNDS             # services.issues.board, fresh store
    python inprocess.py cache DIR ROUNDS             # the store's read cache, bounded or not

Prints one JSON object: seconds per run, by directory (exports) or by step (board).
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import time


def exports(kind: str, rounds: int, dirs: list[str]) -> dict[str, list[float]]:
    """Each round runs the export once per directory (interleaved), a fresh store each
    time, as the command does; the first round (files read from disk) is dropped."""
    from sitedash.cli import main

    samples: dict[str, list[float]] = {d: [] for d in dirs}
    sink = io.StringIO()
    for round_ in range(rounds + 1):
        for directory in dirs:
            argv = ["export", kind, "--data-dir", directory, "--out", "-", "--lang", "en"]
            begin = time.perf_counter()
            with contextlib.redirect_stdout(sink):
                code = main(argv)
            elapsed = time.perf_counter() - begin
            if code != 0:
                raise SystemExit(f"export {kind} failed in {directory}")
            if round_:
                samples[directory].append(elapsed)
            sink.seek(0)
            sink.truncate()
    return samples


def board(directory: str, rounds: int) -> dict[str, list[float]]:
    """The board's data as the Issues screen loads it: the first load of a fresh store
    (the open columns), then `v` (the Confirmed column and the first page of its cards,
    40, built)."""
    from sitedash.demo import MES
    from sitedash.services.issues import IssueFilter
    from sitedash.services.issues import board as load
    from sitedash.storage import Store

    samples: dict[str, list[float]] = {"open": [], "confirmed": []}
    for _ in range(rounds):
        store = Store(directory, read_only=True)
        begin = time.perf_counter()
        load(store, MES, IssueFilter())
        middle = time.perf_counter()
        for column in load(store, MES, IssueFilter(show_confirmed=True)).values():
            column[:40]
        end = time.perf_counter()
        samples["open"].append(middle - begin)
        samples["confirmed"].append(end - middle)
    return samples


def cache(directory: str, rounds: int) -> dict[str, list[float]]:
    """What the store's bounded read cache buys (issue 23, memory): the memory still
    held after the retrospective (it reads every month and every issue of the history)
    and a second retrospective on the same store, with the default budget and with an
    unbounded one. Bytes are those traced by tracemalloc after a full collection."""
    import gc
    import tracemalloc
    from datetime import UTC, datetime

    from sitedash.demo import MES
    from sitedash.reports.retro import retro_report
    from sitedash.storage import Store

    samples: dict[str, list[float]] = {}
    for _ in range(rounds):
        for label, budget in (("bounded", Store.CACHE_BYTES), ("unbounded", 1 << 40)):
            store = Store(directory, read_only=True)
            store.CACHE_BYTES = budget
            engagement = store.engagement(MES)
            assert engagement is not None
            now = datetime.now(UTC)
            gc.collect()
            tracemalloc.start()
            before = tracemalloc.get_traced_memory()[0]
            retro_report(store, engagement, now.date(), engineer="E", now=now)
            gc.collect()
            kept = tracemalloc.get_traced_memory()[0] - before
            tracemalloc.stop()
            begin = time.perf_counter()
            retro_report(store, engagement, now.date(), engineer="E", now=now)
            again = time.perf_counter() - begin
            samples.setdefault(f"kept {label}", []).append(float(kept))
            samples.setdefault(f"cached {label}", []).append(float(store.cached_bytes()))
            samples.setdefault(f"again {label}", []).append(again)
    return samples


def main(argv: list[str]) -> int:
    if argv[:1] == ["exports"]:
        result = exports(argv[1], int(argv[2]), argv[3:])
    elif argv[:1] == ["board"]:
        result = board(argv[1], int(argv[2]))
    elif argv[:1] == ["cache"]:
        result = cache(argv[1], int(argv[2]))
    else:
        raise SystemExit(__doc__)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
