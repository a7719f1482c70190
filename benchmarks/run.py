"""sitedash performance benchmark: `python benchmarks/run.py [--quick]`.

Measures the figures of the performance issue in one run, prints a table and writes
`benchmarks/RESULTS.md` (with the machine and versions) so runs can be compared.
Every figure is the median of several repetitions (the machine may be shared). See
README.md in this directory for what each figure means and how it is taken.

Not part of the test suite: it takes a few minutes and its numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from data import Datasets, clone, prepare_in_child, sitedash_command
from harness import (
    COLUMNS,
    ROWS,
    PtySession,
    Settled,
    end_sessions_on_signals,
    now,
    python_env,
    stop_servers,
)

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
ANALYSIS_START = "<!-- analysis: kept when RESULTS.md is regenerated -->"
ANALYSIS_END = "<!-- /analysis -->"

SCREENS = {
    # mode: (key, screen class, label)
    "today": (b"1", "TodayScreen", "Today"),
    "issues": (b"2", "IssuesScreen", "Issues"),
    "training": (b"3", "TrainingScreen", "Training"),
    "signoff": (b"4", "SignOffScreen", "Sign-off"),
    "wellbeing": (b"5", "WellbeingScreen", "Wellbeing"),
    "engagement": (b"6", "EngagementScreen", "Engagement"),
}
EXPORT_KINDS = (
    "daily",
    "weekly",
    "retro",
    "acceptance",
    "faq",
    "customer",
    "checklist",
    "runbook",
    "handover",
)

# Targets from the issue (seconds, ratios, ...). Never loosen them: report the miss.
COLD_START_RATIO = 1.5
SWITCH_S = 0.100
ADD_GROWTH_RATIO = 1.3
WRITE_S = 0.020
EXPORT_S = 0.5
STATUS_S = 0.3
RSS_RATIO = 2.0
# Issue 23 (bytes over SSH, memory, five years, quick capture).
BYTES_CURSOR_RATIO = 1.5
"""A cursor move on the board: at most 1.5x a bare DataTable's cursor move."""
BYTES_SWITCH_RATIO = 1.5
"""A screen switch: at most 1.5x a bare app's mode switch."""
BYTES_CONFIRMED = 10_000
"""`v` on 5,000 issues: at most 10 KB written."""
MEMORY_RATIO = 1.5
"""Peak RSS after every screen on 730 days: at most 1.5x a plain app with one Static."""
MEMORY_BOARD_RATIO = 2.0
"""... and with 5,000 more issues: at most 2x."""
KIB_PER_ISSUE = 1.5
YEARS_COLD_RATIO = 1.5
"""Cold start on 1,825 days and with 20,000 issues: at most 1.5x the bare app."""
YEARS_EXPORT_RATIO = 1.15
"""`export daily|weekly` on 1,825 days against 30: at most 1.15x."""
LARGE_BOARD_S = 0.150
"""The 20,000-issue board: the first key 2 after 3 s idle, and `v`: under 150 ms."""
LARGE_BOARD_IDLE = 3.0
QUICK_RATIO = 4.0
"""`add plan`, `add issue`, `clock in`, `status`: at most 4x `python -c pass`."""
IDLE_BYTES_SECONDS = 30.0


@dataclass(frozen=True)
class Reps:
    """How many times each figure is repeated (medians are reported)."""

    cold: int
    switch_runs: int
    revisit_rounds: int
    process: int
    write: int

    @classmethod
    def for_mode(cls, quick: bool) -> Reps:
        if quick:
            return cls(cold=3, switch_runs=2, revisit_rounds=2, process=5, write=7)
        return cls(cold=9, switch_runs=5, revisit_rounds=3, process=11, write=25)


# -- results ------------------------------------------------------------------------


@dataclass
class Row:
    """One line of the results table."""

    figure: str
    label: str
    value: str
    spread: str = ""
    target: str = ""
    status: str = "info"


@dataclass
class Results:
    rows: list[Row] = field(default_factory=list)
    breakdown: list[tuple[str, str]] = field(default_factory=list)
    """(what, where the time went) lines measured by the run itself."""
    misses: list[str] = field(default_factory=list)

    def add(self, row: Row) -> None:
        self.rows.append(row)
        if row.status == "MISS":
            self.misses.append(f"({row.figure}) {row.label}: {row.value}, target {row.target}")
        print(f"  {row.figure:>3}  {row.label:<58} {row.value:>10}  {row.status}", flush=True)


def median(samples: Iterable[float]) -> float:
    return statistics.median(list(samples))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def mib(kib: float) -> str:
    return f"{kib / 1024:.1f} MiB"


def spread(samples: Sequence[float], fmt: Callable[[float], str]) -> str:
    return f"{fmt(min(samples))} – {fmt(max(samples))}, n={len(samples)}"


def check(value: float, limit: float) -> str:
    return "PASS" if value <= limit else "MISS"


def time_row(
    figure: str,
    label: str,
    samples: list[float],
    limit: float | None = None,
    *,
    strict: bool = False,
) -> Row:
    """A duration row; `strict` targets are "under" (<), the others "at most" (<=)."""
    value = median(samples)
    if limit is None:
        return Row(figure, label, ms(value), spread(samples, ms))
    ok = value < limit if strict else value <= limit
    sign = "<" if strict else "≤"
    return Row(
        figure,
        label,
        ms(value),
        spread(samples, ms),
        f"{sign} {ms(limit)}",
        "PASS" if ok else "MISS",
    )


def ratio_row(figure: str, label: str, value: float, limit: float) -> Row:
    return Row(figure, label, f"{value:.2f}x", "", f"≤ {limit:g}x", check(value, limit))


# -- what one measured window consists of --------------------------------------------


@dataclass
class Window:
    """One measurement (spawn or key press → settled), with where its time went."""

    settled: Settled
    built: float = 0.0
    """Import and construction of screens (a mode's first visit)."""
    reload: float = 0.0
    """sitedash's own `reload()` of the screens in the window (store reads, filling)."""
    composed: float = 0.0
    """From a screen's construction to its `on_mount`: compose and mount of its widgets."""
    gc: float = 0.0
    """Full garbage collections (generation 2) during the window."""
    gc_count: int = 0

    @classmethod
    def of(cls, settled: Settled) -> Window:
        window = cls(settled)
        built_at: float | None = None
        for event in settled.events:
            if event["e"] == "built":
                window.built += event["t1"] - event["t0"]
                built_at = event["t1"]
            elif event["e"] == "mounted" and built_at is not None:
                window.composed += event["t0"] - built_at
            elif event["e"] == "reload":
                window.reload += event["t1"] - event["t0"]
            elif event["e"] == "gc":
                window.gc += event["t1"] - event["t0"]
                window.gc_count += 1
        return window

    @property
    def total(self) -> float:
        return self.settled.to_settled

    @property
    def frames(self) -> int:
        """Frames written to the terminal in the window (one is the ideal)."""
        return sum(1 for event in self.settled.events if event["e"] == "paint")


def describe(windows: list[Window]) -> str:
    """Medians of the parts of a window, for the "where the time goes" list."""
    parts = [
        f"{ms(median(w.total for w in windows))} to settled "
        f"(first frame with content {ms(median(w.settled.to_first_ready for w in windows))})",
        f"frames {median(w.frames for w in windows):g}",
        f"event-loop CPU {ms(median(w.settled.cpu for w in windows))}",
        f"Textual rebuilt the footer {median(w.settled.footer_rebuilds for w in windows):g}×",
    ]
    if any(w.built for w in windows):
        parts.append(f"screen import + construction {ms(median(w.built for w in windows))}")
    if any(w.composed for w in windows):
        parts.append(f"compose + mount of its widgets {ms(median(w.composed for w in windows))}")
    if any(w.reload for w in windows):
        parts.append(f"sitedash reload() {ms(median(w.reload for w in windows))}")
    if any(w.gc_count for w in windows):
        hit = sum(1 for w in windows if w.gc_count)
        worst = max(w.gc for w in windows)
        parts.append(
            f"a full GC paused {hit} of {len(windows)} runs (up to {ms(worst)}, "
            f"median {ms(median(w.gc for w in windows))})"
        )
    return ", ".join(parts)


def totals(windows: list[Window]) -> list[float]:
    return [w.total for w in windows]


def written(windows: list[Window]) -> list[float]:
    """Bytes each window wrote to the terminal."""
    return [float(w.settled.written) for w in windows]


def kb(count: float) -> str:
    return f"{count / 1000:.1f} KB" if count >= 1000 else f"{count:.0f} B"


def bytes_row(figure: str, label: str, samples: list[float], limit: float | None = None) -> Row:
    value = median(samples)
    if limit is None:
        return Row(figure, label, kb(value), spread(samples, kb))
    return Row(figure, label, kb(value), spread(samples, kb), f"≤ {kb(limit)}", check(value, limit))


# -- (1) cold start and (6) memory -------------------------------------------------


WITHOUT: list[str] = []
"""Patches of sitedash/ui/warmup.py switched off for this run (`--without NAME`)."""


def sitedash_args(data_dir: Path, start_mode: str | None = None) -> list[str]:
    start = ["--start-mode", start_mode] if start_mode else []
    without = [arg for name in WITHOUT for arg in ("--without", name)]
    return ["sitedash", *without, *start, "--data-dir", str(data_dir), "--lang", "en"]


@dataclass
class ColdRun:
    window: Window
    rss_kib: int
    marks: dict[str, float]
    """Seconds from spawn to: interpreter up, imports done, Today built, Today loaded."""


AFTERMATH = 1.5
"""Seconds after start-up in which sitedash's first store poll (every second) happens and
the other screens are built in the background."""
BEFORE_FIRST_SWITCH = 2.5
"""Seconds after start-up before the first switch is measured: past the first reminder
check (2 s), which redraws the navigation bar when a reminder is due. Measured inside a
switch it made the figure depend on the time of day (the demo's work clock runs since
the morning, so in the daytime a break is due)."""


def cold_start(args: list[str], screen: str) -> ColdRun:
    with PtySession(args) as session:
        settled = session.settle(session.spawned, screen)
        after = session.quiesce(AFTERMATH)
        exited = session.quit()
    if exited.code != 0:
        if settled.frames and args[0] == "sitedash":
            # Measured, then crashed on the way out: keep the figure, report the crash.
            EXIT_CRASHES.append(last_error_line(session.tail()))
        else:
            raise RuntimeError(f"{args[0]} exited with {exited.code}:\n{session.tail()}")
    marks: dict[str, float] = {}
    for event in settled.events:
        if event["e"] in ("start", "imported", "built", "mounted"):
            marks[event["e"]] = event.get("t1", event.get("t", 0.0)) - session.spawned
    reloads = [e for e in after if e["e"] == "reload"]
    marks["idle reloads"] = len(reloads)
    marks["idle frames"] = sum(1 for e in after if e["e"] == "paint")
    marks["idle reload time"] = sum(e["t1"] - e["t0"] for e in reloads)
    return ColdRun(Window.of(settled), exited.max_rss_kb, marks)


EXIT_CRASHES: list[str] = []
"""The last error line of each dashboard that exited with an error after its cold start
was measured (on ctrl+q): reported as a missed target, never hidden."""


def last_error_line(tail: str) -> str:
    """The exception line of a Rich traceback in the app's last output, colours removed."""
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", tail)
    lines = [
        line.strip(" │") for line in text.splitlines() if "Error" in line or "NoMatches" in line
    ]
    return lines[-1] if lines else text.strip().splitlines()[-1][:200]


def bench_cold_start(data: Datasets, work: Path, reps: Reps, results: Results) -> int:
    """Figures 1 and 6 (start-up part); returns the bare app's median peak RSS in KiB."""
    bare: list[ColdRun] = []
    dash: list[ColdRun] = []
    static: list[float] = []
    for n in range(reps.cold):  # interleaved, so drift on a shared machine hits both
        progress(f"cold start {n + 1}/{reps.cold}")
        bare.append(cold_start(["bare"], "Screen"))
        dash.append(cold_start(sitedash_args(clone(data.days730, work / "cold")), "TodayScreen"))
        static.append(float(cold_start(["static"], "Screen").rss_kib))
    MEMORY["static"] = static
    for label, settled in (("settled", True), ("first content paint", False)):

        def pick(runs: list[ColdRun], settled: bool = settled) -> list[float]:
            return [r.window.total if settled else r.window.settled.to_first_ready for r in runs]

        what = "screen complete (settled)" if settled else "first paint of its content"
        results.add(time_row("1", f"bare app: spawn → {what}", pick(bare)))
        results.add(time_row("1", f"sitedash 730 d: spawn → Today {what}", pick(dash)))
        ratio = median(pick(dash)) / median(pick(bare))
        results.add(ratio_row("1", f"cold start ratio, {label}", ratio, COLD_START_RATIO))

    def mark(runs: list[ColdRun], name: str) -> str:
        values = [r.marks[name] for r in runs if name in r.marks]
        return ms(median(values)) if values else "–"

    results.breakdown.append(
        (
            "cold start, bare app",
            f"interpreter up at {mark(bare, 'start')}, textual imported at "
            f"{mark(bare, 'imported')}; " + describe([r.window for r in bare]),
        )
    )
    results.breakdown.append(
        (
            "cold start, sitedash 730 d",
            f"interpreter up at {mark(dash, 'start')}, sitedash.app and textual imported at "
            f"{mark(dash, 'imported')}, Today built at {mark(dash, 'built')}, mounted and "
            f"loaded at {mark(dash, 'mounted')}; " + describe([r.window for r in dash]),
        )
    )
    results.add(
        Row(
            "1",
            f"frames drawn in the {AFTERMATH:g} s after start-up, no input (other screens "
            "are built then)",
            f"{median(r.marks['idle frames'] for r in dash):g}",
        )
    )
    idle = median(r.marks["idle reloads"] for r in dash)
    idle_time = [r.marks["idle reload time"] for r in dash]
    if idle:
        results.breakdown.append(
            (
                f"sitedash 730 d, the {AFTERMATH:g} s after start-up with no input",
                f"reload() ran {idle:g}× ({ms(median(idle_time))}): the five screens "
                "built in the background load their data once each (a reload the store "
                "poll starts would be one more per screen)",
            )
        )
    bare_rss = median(r.rss_kib for r in bare)
    dash_rss = median(r.rss_kib for r in dash)
    results.add(Row("6", "peak RSS, bare app", mib(bare_rss)))
    results.add(Row("6", "peak RSS, sitedash 730 d, Today shown", mib(dash_rss)))
    results.add(ratio_row("6", "peak RSS ratio, Today shown", dash_rss / bare_rss, RSS_RATIO))
    return int(bare_rss)


# -- (2) screen switches -----------------------------------------------------------


def press_and_settle(session: PtySession, mode: str) -> Window:
    key, screen, _label = SCREENS[mode]
    return Window.of(session.settle(session.press(key), screen))


def switch_rows(
    label: str,
    first: list[Window],
    back: list[Window],
    steady: list[Window],
    results: Results,
    limit: float | None = SWITCH_S,
) -> None:
    """First visit, return (the first revisit after other screens were first shown, which
    pays Textual's CSS refresh) and steady revisits."""
    for kind, windows in (
        ("first visit", first),
        ("return after other screens", back),
        ("revisit", steady),
    ):
        if windows:
            results.add(time_row("2", f"{label}: {kind}", totals(windows), limit, strict=True))


def bench_switches(
    data: Datasets, work: Path, reps: Reps, bare_rss: float, results: Results
) -> None:
    """Figure 2 for the five screens (730-day dir), the bare-app reference, and the peak
    RSS after every screen was shown (figure 6)."""
    first: dict[str, list[Window]] = {m: [] for m in SCREENS}
    back: dict[str, list[Window]] = {m: [] for m in SCREENS}
    steady: dict[str, list[Window]] = {m: [] for m in SCREENS}
    bare: dict[str, list[Window]] = {"first": [], "back": [], "steady": []}
    rss: list[int] = []
    others = [m for m in SCREENS if m != "today"]
    for n in range(reps.switch_runs):
        progress(f"screen switches {n + 1}/{reps.switch_runs}")
        with PtySession(["bare-modes"]) as session:
            session.settle(session.spawned, "One")
            session.quiesce(BEFORE_FIRST_SWITCH)
            bare["first"].append(Window.of(session.settle(session.press(b"2"), "Two")))
            for round_ in range(reps.revisit_rounds):
                for key, screen in ((b"1", "One"), (b"2", "Two")):
                    kind = "back" if round_ == 0 else "steady"
                    bare[kind].append(Window.of(session.settle(session.press(key), screen)))
            session.quit()
        directory = clone(data.days730, work / "switch")
        with PtySession(sitedash_args(directory)) as session:
            session.settle(session.spawned, "TodayScreen")
            session.quiesce(BEFORE_FIRST_SWITCH)
            for mode in others:
                first[mode].append(press_and_settle(session, mode))
            for round_ in range(reps.revisit_rounds):
                for mode in SCREENS:
                    (back if round_ == 0 else steady)[mode].append(press_and_settle(session, mode))
            exited = session.quit()
        rss.append(exited.max_rss_kb)
        # Today is built at start-up; its first visit is measured from another screen.
        directory = clone(data.days730, work / "switch")
        with PtySession(sitedash_args(directory, start_mode="wellbeing")) as session:
            session.settle(session.spawned, "WellbeingScreen")
            session.quiesce(BEFORE_FIRST_SWITCH)
            first["today"].append(press_and_settle(session, "today"))
            session.quit()
    switch_rows(
        "reference: bare app, switch_mode",
        bare["first"],
        bare["back"],
        bare["steady"],
        results,
        limit=None,
    )
    for mode, (_key, _screen, label) in SCREENS.items():
        switch_rows(f"switch to {label}", first[mode], back[mode], steady[mode], results)
    for kind, windows in (("first visit", first), ("revisit", steady)):
        frames = [w.frames for mode in SCREENS for w in windows[mode]]
        results.add(
            Row(
                "2",
                f"frames per switch, {kind}, all screens (median, most)",
                f"{median(frames):g}, {max(frames)}",
            )
        )
    results.breakdown.append(("bare app, switch_mode, first visit", describe(bare["first"])))
    if bare["steady"]:
        results.breakdown.append(("bare app, switch_mode, revisit", describe(bare["steady"])))
    for mode, (_key, _screen, label) in SCREENS.items():
        results.breakdown.append((f"first visit of {label}", describe(first[mode])))
        if steady[mode]:
            results.breakdown.append((f"revisit of {label}", describe(steady[mode])))
    results.add(
        Row(
            "6",
            "peak RSS, sitedash 730 d, all six screens visited",
            mib(median(rss)),
            spread(rss, mib),
        )
    )
    ratio = median(rss) / bare_rss
    results.add(ratio_row("6", "peak RSS ratio, all six screens visited", ratio, RSS_RATIO))
    MEMORY["730"] = [float(r) for r in rss]
    switch_bytes(bare, first, steady, results)


MEMORY: dict[str, list[float]] = {}
"""Peak RSS (KiB) of runs that visited every screen, by data set, for figure 8."""


def switch_bytes(
    bare: dict[str, list[Window]],
    first: dict[str, list[Window]],
    steady: dict[str, list[Window]],
    results: Results,
) -> None:
    """Figure 7 for screen switches: bytes written per switch against the bare app's
    `switch_mode` between two trivial screens (a header, one line, a footer)."""
    for kind, ours, reference in (
        ("first visit", first, bare["first"]),
        ("revisit", steady, bare["steady"]),
    ):
        if not reference:
            continue
        floor = median(written(reference))
        results.add(bytes_row("7", f"reference: bare app, switch_mode, {kind}", written(reference)))
        worst = 0.0
        for mode, (_key, _screen, label) in SCREENS.items():
            if ours[mode]:
                value = median(written(ours[mode]))
                worst = max(worst, value)
                results.add(bytes_row("7", f"  switch to {label}, {kind}", written(ours[mode])))
        results.add(
            ratio_row(
                "7",
                f"screen switch bytes, {kind}: the largest screen / the bare app",
                worst / floor,
                BYTES_SWITCH_RATIO,
            )
        )


def bench_board(data: Datasets, work: Path, reps: Reps, results: Results) -> None:
    """Figure 2 for the issue board with 5,000 more issues (mostly confirmed, 300 open)."""
    first: list[Window] = []
    steady: list[Window] = []
    show_confirmed: list[Window] = []
    hide_confirmed: list[Window] = []
    cursor: list[Window] = []
    page: list[Window] = []
    rss: list[float] = []
    for n in range(reps.switch_runs):
        progress(f"issue board, 5,000 issues {n + 1}/{reps.switch_runs}")
        directory = clone(data.board, work / "board")
        with PtySession(sitedash_args(directory)) as session:
            session.settle(session.spawned, "TodayScreen")
            session.quiesce(BEFORE_FIRST_SWITCH)
            first.append(press_and_settle(session, "issues"))
            for _ in range(reps.revisit_rounds):
                press_and_settle(session, "today")
                steady.append(press_and_settle(session, "issues"))
            for into in (show_confirmed, hide_confirmed):
                into.append(Window.of(session.settle(session.press(b"v"), "IssuesScreen")))
            for key, into in ((DOWN, cursor), (PAGE_DOWN, page)):
                for _ in range(CURSOR_MOVES):
                    into.append(Window.of(session.settle(session.press(key), "IssuesScreen")))
            for mode in SCREENS:  # every screen, for the peak RSS of figure 8
                press_and_settle(session, mode)
            exited = session.quit()
        rss.append(float(exited.max_rss_kb))
    MEMORY["5000"] = rss
    switch_rows("switch to Issues, 5,000 issues", first, [], steady, results)
    table = bare_table_moves(reps)
    for label, ours, reference, limit in (
        ("Down", cursor, table[DOWN], BYTES_CURSOR_RATIO),
        ("PageDown", page, table[PAGE_DOWN], None),
    ):
        floor = median(written(reference))
        results.add(
            bytes_row("7", f"reference: a bare DataTable, cursor {label}", written(reference))
        )
        results.add(bytes_row("7", f"  board, 5,000 issues: cursor {label}", written(ours)))
        value = median(written(ours)) / floor
        if limit is None:
            results.add(Row("7", f"  cursor {label} bytes / the bare DataTable's", f"{value:.2f}x"))
        else:
            results.add(
                ratio_row("7", f"cursor {label} bytes / the bare DataTable's", value, limit)
            )
    results.add(
        bytes_row(
            "7", "board, 5,000 issues: show confirmed (v)", written(show_confirmed), BYTES_CONFIRMED
        )
    )
    results.add(
        bytes_row("7", "  board, 5,000 issues: hide confirmed (v)", written(hide_confirmed))
    )
    results.add(
        time_row(
            "2", "  board, 5,000 issues: show confirmed (v), no target", totals(show_confirmed)
        )
    )
    results.add(
        time_row(
            "2", "  board, 5,000 issues: hide confirmed (v), no target", totals(hide_confirmed)
        )
    )
    results.breakdown.append(("first visit of the board, 5,000 issues", describe(first)))
    results.breakdown.append(("revisit of the board, 5,000 issues", describe(steady)))
    results.breakdown.append(("board, 5,000 issues, show confirmed", describe(show_confirmed)))


DOWN = b"\x1b[B"
PAGE_DOWN = b"\x1b[6~"
CURSOR_MOVES = 5
"""Cursor moves measured per run (each settled before the next)."""


def bare_table_moves(reps: Reps) -> dict[bytes, list[Window]]:
    """The reference for a cursor move: a plain DataTable of 400 rows filling the
    terminal (`child.py bare-table`), moved as the board is."""
    moves: dict[bytes, list[Window]] = {DOWN: [], PAGE_DOWN: []}
    for n in range(reps.switch_runs):
        progress(f"bare DataTable cursor moves {n + 1}/{reps.switch_runs}")
        with PtySession(["bare-table"]) as session:
            session.settle(session.spawned, "Screen")
            session.quiesce(AFTERMATH)
            for key, into in moves.items():
                for _ in range(CURSOR_MOVES):
                    into.append(Window.of(session.settle(session.press(key), "Screen")))
            session.quit()
    return moves


# -- issue 23: five years, 20,000 issues, memory, idle output -----------------------


def bench_years(data: Datasets, work: Path, reps: Reps, results: Results) -> None:
    """Figure 9: cold start on 1,825 days and with 20,000 issues, against the bare app
    (interleaved); the exports' growth with history; the 20,000-issue board."""
    bare: list[ColdRun] = []
    years: list[ColdRun] = []
    large: list[ColdRun] = []
    for n in range(reps.cold):
        progress(f"cold start, five years and 20,000 issues {n + 1}/{reps.cold}")
        bare.append(cold_start(["bare"], "Screen"))
        years.append(cold_start(sitedash_args(clone(data.days1825, work / "cold")), "TodayScreen"))
        large.append(cold_start(sitedash_args(clone(data.board20k, work / "cold")), "TodayScreen"))
    floor = [r.window.total for r in bare]
    results.add(time_row("9", "bare app: spawn → screen complete (settled)", floor))
    for label, runs in (("1,825 days", years), ("20,000 issues", large)):
        samples = [r.window.total for r in runs]
        results.add(time_row("9", f"sitedash {label}: spawn → Today settled", samples))
        results.add(
            ratio_row(
                "9",
                f"cold start ratio, {label}",
                median(samples) / median(floor),
                YEARS_COLD_RATIO,
            )
        )
        results.breakdown.append(
            (f"cold start, sitedash {label}", describe([r.window for r in runs]))
        )
    bench_export_growth(data, work, reps, results)
    bench_large_board(data, work, reps, results)


def bench_export_growth(data: Datasets, work: Path, reps: Reps, results: Results) -> None:
    """`export daily` and `export weekly` on five years against 30 days, as whole
    processes and in-process (imports done, a fresh store each time), interleaved.

    Two comparisons: the demo's own 30 days, and the same five years with the history
    before the last 30 days removed, which holds exactly what the period does (the
    demo's five years also have more issues still open, which a report must list)."""
    command = sitedash_command()
    dirs = {
        "30": clone(data.days30, work / "export30"),
        "recent": clone(data.recent1825, work / "exportrecent"),
        "1825": clone(data.days1825, work / "export1825"),
    }
    labels = {
        "30": "30-day dir",
        "recent": "1,825 days without the history before the last 30",
        "1825": "1,825-day dir",
    }
    for kind in ("daily", "weekly"):
        progress(f"export {kind}: five years against 30 days")
        args = {
            name: [*command, "export", kind, "--data-dir", str(d), "--out", "-"]
            for name, d in dirs.items()
        }
        whole = run_interleaved(args, reps.process)
        by_dir = in_child("exports", kind, str(reps.write), *map(str, dirs.values()))
        inside = {name: by_dir[str(d)] for name, d in dirs.items()}
        for how, samples in (("whole process", whole), ("in-process", inside)):
            for name in dirs:
                results.add(time_row("9", f"`export {kind}`, {how}, {labels[name]}", samples[name]))
            for against in ("30", "recent"):
                results.add(
                    ratio_row(
                        "9",
                        f"`export {kind}` growth, {how}, 1,825 days / {labels[against]}",
                        median(samples["1825"]) / median(samples[against]),
                        YEARS_EXPORT_RATIO,
                    )
                )


def bench_large_board(data: Datasets, work: Path, reps: Reps, results: Results) -> None:
    """The 20,000-issue board: the first key 2 after 3 s of idle, then `v` (show
    Confirmed) and `v` again, as the engineer feels them; and the data loading alone
    (`services.issues.board` in-process), which is what the store can make fast."""
    first: list[Window] = []
    show: list[Window] = []
    hide: list[Window] = []
    rss: list[float] = []
    for n in range(reps.switch_runs):
        progress(f"issue board, 20,000 issues {n + 1}/{reps.switch_runs}")
        with PtySession(sitedash_args(clone(data.board20k, work / "large"))) as session:
            session.settle(session.spawned, "TodayScreen")
            session.quiesce(LARGE_BOARD_IDLE)
            first.append(press_and_settle(session, "issues"))
            show.append(Window.of(session.settle(session.press(b"v"), "IssuesScreen")))
            hide.append(Window.of(session.settle(session.press(b"v"), "IssuesScreen")))
            for mode in SCREENS:
                press_and_settle(session, mode)
            exited = session.quit()
        rss.append(float(exited.max_rss_kb))
    MEMORY["20000"] = rss
    for label, windows in (
        (f"first key 2 after {LARGE_BOARD_IDLE:g} s idle", first),
        ("show confirmed (v)", show),
        ("hide confirmed (v)", hide),
    ):
        results.add(
            time_row(
                "9", f"board, 20,000 issues: {label}", totals(windows), LARGE_BOARD_S, strict=True
            )
        )
        results.breakdown.append((f"board, 20,000 issues, {label}", describe(windows)))
    directory = clone(data.board20k, work / "largedata")
    loads = in_child("board", str(directory), str(reps.write))
    results.add(
        time_row("9", "  board data, 20,000 issues: first load (fresh store)", loads["open"])
    )
    results.add(
        time_row(
            "9",
            "  board data, 20,000 issues: show confirmed, first page of cards built",
            loads["confirmed"],
        )
    )


def bench_memory(data: Datasets, work: Path, reps: Reps, results: Results) -> None:
    """Figure 8: peak RSS after every screen was shown, against a plain Textual app
    with one Static (`child.py static`), and per issue; idle output (figure 7)."""
    static = MEMORY.get("static", [])
    for n in range(0 if static else reps.cold):
        progress(f"memory reference: a plain app with one Static {n + 1}/{reps.cold}")
        static.append(float(cold_start(["static"], "Screen").rss_kib))
    floor = median(static)
    results.add(
        Row("8", "reference: a plain Textual app with one Static", mib(floor), spread(static, mib))
    )
    for name, label, limit in (
        ("730", "730 days", MEMORY_RATIO),
        ("5000", "730 days + 5,000 issues", MEMORY_BOARD_RATIO),
        ("20000", "730 days + 20,000 issues", None),
    ):
        samples = MEMORY.get(name)
        if not samples:
            continue
        results.add(
            Row(
                "8",
                f"peak RSS, every screen shown, {label}",
                mib(median(samples)),
                spread(samples, mib),
            )
        )
        ratio = median(samples) / floor
        if limit is None:
            results.add(Row("8", f"  ratio to the plain app, {label}", f"{ratio:.2f}x"))
        else:
            results.add(ratio_row("8", f"peak RSS ratio, {label}", ratio, limit))
    for name, count in (("5000", 5_000), ("20000", 20_000)):
        if MEMORY.get(name) and MEMORY.get("730"):
            per_issue = (median(MEMORY[name]) - median(MEMORY["730"])) / count
            results.add(
                Row(
                    "8",
                    f"KiB per issue ({count:,} issues against none)",
                    f"{per_issue:.2f} KiB",
                    "",
                    f"≤ {KIB_PER_ISSUE:g} KiB",
                    check(per_issue, KIB_PER_ISSUE),
                )
            )
    bench_read_cache(data, work, reps, results)
    progress("idle output")
    with PtySession(sitedash_args(clone(data.days730, work / "idle"))) as session:
        session.settle(session.spawned, "TodayScreen")
        session.quiesce(AFTERMATH)
        idle = session.idle_output(IDLE_BYTES_SECONDS)
        session.quit()
    results.add(
        Row(
            "7",
            f"idle output on Today, {IDLE_BYTES_SECONDS:g} s without input",
            f"{idle / IDLE_BYTES_SECONDS:.0f} B/s",
        )
    )


def bench_read_cache(data: Datasets, work: Path, reps: Reps, results: Results) -> None:
    """Figure 8, the store's bounded read cache: what stays in memory after the
    retrospective read every file of five years, and what a second one costs."""
    progress("the read cache, five years")
    found = in_child("cache", str(clone(data.days1825, work / "cache")), str(reps.cold))
    for label in ("bounded", "unbounded"):
        budget = "the default budget" if label == "bounded" else "no budget (as before)"
        results.add(
            Row(
                "8",
                f"read cache, 1,825 days, {budget}: memory kept after `export retro`",
                mib(median(found[f"kept {label}"]) / 1024),
                f"{mib(median(found[f'cached {label}']) / 1024)} of files on disk kept parsed",
            )
        )
        again = found[f"again {label}"]
        results.add(time_row("8", f"  read cache, {budget}: a second retrospective", again))


def bench_quick_capture(data: Datasets, work: Path, reps: Reps, results: Results) -> None:
    """Figure 10: the quick commands as whole processes against `python -c pass`,
    interleaved in one loop: as a user runs them (handed to the quick-command server,
    `sitedash.launch`) and, for reference, each in a process of its own
    (`SITEDASH_SERVER=off`: what every command cost before the server, and what the
    first one after 15 idle minutes costs); and what importing costs (the record codec:
    msgspec and sitedash.models; the store; the command line), each a process against
    the same `python -c pass`."""
    command = sitedash_command()
    directory = clone(data.days730, work / "quick")
    dir_args = ["--data-dir", str(directory)]
    python = [sys.executable, "-c"]
    quick = {
        "add plan": ["add", "plan", *dir_args, "Benchmark item"],
        "add issue": ["add", "issue", *dir_args, "Benchmark issue"],
        "clock in": ["clock", "in", *dir_args],
        "status": ["status", *dir_args],
    }
    commands = {
        "python -c pass": [*python, "pass"],
        **{name: [*command, *args] for name, args in quick.items()},
        **{f"{name}, alone": [*command, *args] for name, args in quick.items()},
        "import msgspec": [*python, "import msgspec"],
        "import sitedash.models": [*python, "import sitedash.models"],
        "import sitedash.storage": [*python, "import sitedash.storage"],
        "import sitedash.cli": [*python, "import sitedash.cli"],
        "import sitedash.launch": [*python, "import sitedash.launch"],
    }
    before = {
        "clock in": [*command, "clock", "break", *dir_args],
        "clock in, alone": [*command, "clock", "break", *dir_args],
    }
    off = {"SITEDASH_SERVER": "off"}
    envs = {name: off for name in commands if name.endswith(", alone")}
    progress("quick capture")
    samples = run_interleaved(commands, reps.process, before=before, envs=envs)
    served = stop_servers()
    floor = median(samples["python -c pass"])
    results.add(time_row("10", "reference: `python -c pass`", samples["python -c pass"]))
    for name in quick:
        results.add(time_row("10", f"`sitedash {name}`, 730-day dir", samples[name]))
        results.add(
            ratio_row(
                "10",
                f"`sitedash {name}` / `python -c pass`",
                median(samples[name]) / floor,
                QUICK_RATIO,
            )
        )
    for name in quick:
        results.add(
            time_row(
                "10",
                f"  `sitedash {name}` in a process of its own (`SITEDASH_SERVER=off`), "
                f"{median(samples[name + ', alone']) / floor:.1f}x",
                samples[name + ", alone"],
            )
        )
    results.add(Row("10", "  quick-command servers stopped at the end", str(served)))
    for name in (
        "import msgspec",
        "import sitedash.models",
        "import sitedash.storage",
        "import sitedash.cli",
        "import sitedash.launch",
    ):
        cost = [max(0.0, x - floor) for x in samples[name]]
        results.add(time_row("10", f"  `{name}` (over `python -c pass`)", cost))
    build = [
        float(
            subprocess.run(
                [
                    sys.executable,
                    "-c",
                    "import time; from sitedash.models import codec; b = time.perf_counter();"
                    " codec._bounded_decoder(); print(time.perf_counter() - b)",
                ],
                capture_output=True,
                text=True,
                env=python_env(),
                check=True,
            ).stdout
        )
        for _ in range(reps.process)
    ]
    results.add(time_row("10", "  the bounded JSON decoder, built once per process", build))


def in_child(*args: str) -> dict[str, list[float]]:
    """An in-process measurement of `inprocess.py`, in a process of its own (so that
    this process stays small: see that module)."""
    done = subprocess.run(
        [sys.executable, str(HERE / "inprocess.py"), *args],
        capture_output=True,
        text=True,
        env=python_env(),
        check=True,
    )
    result: dict[str, list[float]] = json.loads(done.stdout)
    return result


def run_interleaved(
    commands: dict[str, list[str]],
    times: int,
    *,
    before: dict[str, list[str]] | None = None,
    envs: dict[str, dict[str, str]] | None = None,
) -> dict[str, list[float]]:
    """Wall time of whole processes, one of each per round, so drift on a shared machine
    hits all alike; one unmeasured round first. `before[name]` runs (unmeasured) before
    each run of `name`; `envs[name]` is added to its environment (and its `before`'s)."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for round_ in range(times + 1):
        for name, args in commands.items():
            env = {**python_env(), **(envs or {}).get(name, {})}
            if before and name in before:
                subprocess.run(before[name], capture_output=True, env=env)
            begin = now()
            done = subprocess.run(args, capture_output=True, text=True, env=env)
            elapsed = now() - begin
            if done.returncode != 0:
                raise RuntimeError(f"{name} failed ({done.returncode}): {done.stderr.strip()}")
            if round_:
                samples[name].append(elapsed)
    return samples


# -- whole processes: (3) add plan, (4) exports, (5) status ------------------------


@dataclass
class Process:
    seconds: list[float]
    code: int
    stderr: str


def run_process(args: list[str], times: int) -> Process:
    """Wall time of whole processes, spawn to exit (stdout read and discarded), after one
    unmeasured run that fills the bytecode and file caches."""
    subprocess.run(args, capture_output=True, env=python_env())
    seconds: list[float] = []
    code, stderr = 0, ""
    for _ in range(times):
        begin = now()
        done = subprocess.run(args, capture_output=True, text=True, env=python_env())
        seconds.append(now() - begin)
        code, stderr = done.returncode, done.stderr.strip()
        if code != 0:
            break
    return Process(seconds, code, stderr)


def bench_processes(data: Datasets, work: Path, reps: Reps, results: Results) -> None:
    command = sitedash_command()
    floor = run_process([sys.executable, "-c", "pass"], reps.process)
    results.add(time_row("–", "reference for 3–5: `python -c pass`", floor.seconds))
    version_run = run_process([*command, "--version"], reps.process)
    results.add(time_row("–", "reference for 3–5: `sitedash --version`", version_run.seconds))

    progress("sitedash add plan")
    adds: dict[str, list[float]] = {}
    for name, template in (("730", data.days730), ("30", data.days30)):
        directory = clone(template, work / f"add{name}")
        done = run_process(
            [*command, "add", "plan", "--data-dir", str(directory), "Benchmark item"],
            reps.process,
        )
        if done.code != 0:
            raise RuntimeError(f"sitedash add plan failed: {done.stderr}")
        adds[name] = done.seconds
        results.add(time_row("3", f"`sitedash add plan`, {name}-day dir", done.seconds))
    results.add(
        ratio_row(
            "3",
            "`sitedash add plan` growth, 730-day / 30-day",
            median(adds["730"]) / median(adds["30"]),
            ADD_GROWTH_RATIO,
        )
    )
    bench_store_writes(data, work, reps, results)

    progress("exports")
    directory = clone(data.days730, work / "export")
    for kind in EXPORT_KINDS:
        done = run_process(
            [*command, "export", kind, "--data-dir", str(directory), "--out", "-"], reps.process
        )
        label = f"`sitedash export {kind}`, 730-day dir"
        if done.code == 2 and "not available" in done.stderr:
            results.add(Row("4", label, "not available", "", f"< {ms(EXPORT_S)}", "n/a"))
        elif done.code != 0:
            results.add(
                Row(
                    "4",
                    label,
                    f"failed ({done.code})",
                    done.stderr[:80],
                    f"< {ms(EXPORT_S)}",
                    "MISS",
                )
            )
        else:
            results.add(time_row("4", label, done.seconds, EXPORT_S, strict=True))

    progress("status")
    done = run_process([*command, "status", "--data-dir", str(directory)], reps.process)
    if done.code != 0:
        raise RuntimeError(f"sitedash status failed: {done.stderr}")
    results.add(
        time_row("5", "`sitedash status`, 730-day dir", done.seconds, STATUS_S, strict=True)
    )


def bench_store_writes(data: Datasets, work: Path, reps: Reps, results: Results) -> None:
    """One `Store.add_plan_items` of one item, in-process, as the dashboard writes: the
    store is open and has read today's plan (as the Today screen does) before."""
    from sitedash.demo import MES
    from sitedash.models import PlanItem
    from sitedash.storage import Store

    progress("in-process writes")
    for name, template in (("730", data.days730), ("30", data.days30)):
        directory = clone(template, work / f"write{name}")
        store = Store(directory)
        today = datetime.now(UTC).date()
        store.plan_items(today, MES)
        samples = []
        for n in range(reps.write):
            item = PlanItem(
                title=f"Benchmark write {n}", day=today, engagement=MES, position=99 + n
            )
            begin = time.perf_counter()
            store.add_plan_items([item])
            samples.append(time.perf_counter() - begin)
        limit = WRITE_S if name == "730" else None
        results.add(
            time_row(
                "3",
                f"in-process `Store.add_plan_items`, {name}-day dir",
                samples,
                limit,
                strict=True,
            )
        )
    # The first write of each day also takes the daily backup (storage.Store.backup). Set
    # up as a real day: yesterday's snapshot holds every file, one month file changed since.
    first: dict[str, list[float]] = {}
    for name, template in (("730", data.days730), ("30", data.days30)):
        first[name] = []
        for n in range(max(3, reps.write // 5)):
            directory = clone(template, work / f"backup{name}")
            shutil.rmtree(directory / "backups")
            today = datetime.now(UTC).date()
            yesterday = Store(directory, clock=lambda: datetime.now(UTC) - timedelta(days=1))
            yesterday.backup()
            yesterday.add_plan_items([PlanItem(title="Late", day=today, engagement=MES)])
            store = Store(directory)
            item = PlanItem(title=f"First write {n}", day=today, engagement=MES, position=99)
            begin = time.perf_counter()
            store.add_plan_items([item])
            first[name].append(time.perf_counter() - begin)
        results.add(
            time_row(
                "3",
                f"  the first write of a day (daily backup), {name}-day dir",
                first[name],
                WRITE_S,
                strict=True,
            )
        )
    growth = median(first["730"]) / median(first["30"])
    results.add(
        Row(
            "3",
            "  first write of a day, growth 730-day / 30-day",
            f"{growth:.2f}x",
            "",
            "(no target)",
        )
    )


def warm_up(data: Datasets, work: Path) -> None:
    """One unmeasured pass over every interactive scenario, so that the first measured
    repetition does not pay for compiling bytecode or reading files from disk."""
    import sitedash

    progress("warming up (bytecode and file caches)")
    package = Path(sitedash.__file__).parent
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(package)], env=python_env(), check=True
    )
    cold_start(["bare"], "Screen")
    cold_start(["static"], "Screen")
    cold_start(["bare-table"], "Screen")
    with PtySession(["bare-modes"]) as session:
        session.settle(session.spawned, "One")
        session.settle(session.press(b"2"), "Two")
        session.quit()
    with PtySession(sitedash_args(clone(data.board, work / "warm"))) as session:
        session.settle(session.spawned, "TodayScreen")
        for mode in (*SCREENS, "today"):
            press_and_settle(session, mode)
        press_and_settle(session, "issues")
        session.settle(session.press(b"v"), "IssuesScreen")
        session.quit()


# -- the report -----------------------------------------------------------------------


def machine() -> list[tuple[str, str]]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass

    def ver(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"

    commit = "unknown"
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=HERE,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "src"],
            cwd=HERE,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        commit = head + (" + uncommitted changes in src/" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        pass
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        ("date", datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")),
        ("CPU", f"{model}, {os.cpu_count()} cores"),
        ("load average at start (1/5/15 min)", load),
        ("OS", platform.platform()),
        ("Python", platform.python_version()),
        ("sitedash", f"{ver('sitedash')} ({commit})"),
        ("textual / rich / tinydb", f"{ver('textual')} / {ver('rich')} / {ver('tinydb')}"),
        ("terminal", f"pseudo-terminal {COLUMNS}x{ROWS}, TERM=xterm-256color, truecolor"),
    ]


FIGURE_ORDER = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "–")


def table(rows: list[Row]) -> list[str]:
    """The results by figure number (in the order measured within a figure)."""
    lines = [
        "| # | figure | median | min – max | target | result |",
        "|---|---|---:|---|---|---|",
    ]
    for row in sorted(rows, key=lambda r: FIGURE_ORDER.index(r.figure)):
        lines.append(
            f"| {row.figure} | {row.label} | {row.value} | {row.spread} | "
            f"{row.target} | {row.status} |"
        )
    return lines


def kept_analysis(path: Path) -> str:
    """The hand-written analysis of an earlier RESULTS.md, kept across regenerations."""
    if not path.exists():
        return "(none yet: write why each miss happens here; it is kept on the next run)"
    text = path.read_text(encoding="utf-8")
    match = re.search(
        re.escape(ANALYSIS_START) + r"\n(.*?)\n" + re.escape(ANALYSIS_END), text, re.DOTALL
    )
    return match.group(1).strip() if match else "(none yet)"


def markdown(
    results: Results,
    about: list[tuple[str, str]],
    reps: Reps,
    quick: bool,
    seconds: float,
    analysis: str,
) -> str:
    lines = ["# sitedash benchmark results", ""]
    lines.append(
        "Generated by `python benchmarks/run.py"
        + (" --quick" if quick else "")
        + "`; see `benchmarks/README.md` for what each figure means."
    )
    lines.append("")
    lines += ["| machine | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in about]
    lines.append(
        f"| repetitions | cold start {reps.cold} × 2 apps, switch runs "
        f"{reps.switch_runs} (revisit rounds {reps.revisit_rounds}), processes "
        f"{reps.process}, in-process writes {reps.write}; suite took {seconds:.0f} s |"
    )
    lines += ["", "## Results", ""]
    lines += table(results.rows)
    lines += [
        "",
        "Targets: (1) ≤ 1.5x the bare app; (2) < 100 ms each; (3) 730/30 ≤ 1.3 and "
        "an in-process write < 20 ms on the 730-day dir; (4) < 0.5 s each; "
        '(5) < 0.3 s; (6) ≤ 2x the bare app. `n/a`: the command exits with "not '
        'available in this version yet"; it is measured as soon as it works. '
        "Issue 23: (7) bytes written: a board cursor move ≤ 1.5x a bare DataTable's, a "
        "screen switch ≤ 1.5x a bare app's mode switch, `v` ≤ 10 KB on 5,000 issues; "
        "(8) peak RSS after every screen ≤ 1.5x a plain Textual app with one Static on "
        "730 days, ≤ 2x with 5,000 issues, ≤ 1.5 KiB per issue; (9) cold start ≤ 1.5x "
        "the bare app on 1,825 days and with 20,000 issues, `export daily|weekly` on "
        "1,825 days ≤ 1.15x 30 days, the 20,000-issue board's first key 2 and `v` "
        "< 150 ms; (10) `add plan`, `add issue`, `clock in`, `status` ≤ 4x `python -c pass`.",
        "",
    ]
    lines += ["## Missed targets", ""]
    lines += [f"- {m}" for m in results.misses] or ["- none"]
    lines += ["", "## Where the time goes (measured by this run)", ""]
    lines += [f"- **{what}**: {detail}" for what, detail in results.breakdown]
    lines += [
        "",
        "## Why, and what to do (analysis; kept across runs, update by hand)",
        "",
        ANALYSIS_START,
        analysis,
        ANALYSIS_END,
        "",
    ]
    return "\n".join(lines)


def progress(message: str) -> None:
    print(f"… {message}", file=sys.stderr, flush=True)


SECTIONS = ("start", "switches", "board", "processes", "years", "quick", "memory")
"""Groups of figures: 1 and 6; 2, 6 and 7 (switches); 2, 7 and 8 (the 5,000-issue
board); 3-5; 9 (five years, 20,000 issues); 10 (quick capture); 8 (memory against a
plain app, after the board and switch groups) and idle output."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (a smoke run)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="Markdown file to write")
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        help="where to generate the data (default: a temporary directory)",
    )
    parser.add_argument(
        "--without",
        action="append",
        default=[],
        metavar="PATCH",
        help="switch off a patch of sitedash/ui/warmup.py (background, styled, quiet-start, "
        "steady-scrollbars, lazy-strip-caches) or the compacted output of "
        "sitedash/ui/wire.py (compact) to measure what it buys; repeatable",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        choices=SECTIONS,
        help="run only these groups of figures (repeatable): " + ", ".join(SECTIONS),
    )
    args = parser.parse_args(argv)
    end_sessions_on_signals()
    WITHOUT[:] = args.without
    reps = Reps.for_mode(args.quick)
    about = machine()
    if args.without:
        about.append(("patches of ui/warmup.py switched off", ", ".join(args.without)))
    if args.only:
        about.append(("groups run (`--only`)", ", ".join(args.only)))
    started = time.monotonic()
    results = Results()
    with tempfile.TemporaryDirectory(prefix="sitedash-bench-", dir=args.data) as temp:
        root = Path(temp)
        progress(f"generating data in {root}")
        data = prepare_in_child(root / "templates")
        work = root / "work"
        work.mkdir()
        warm_up(data, work)
        wanted = set(args.only) or set(SECTIONS)
        if "start" in wanted or "switches" in wanted:
            bare_rss = bench_cold_start(data, work, reps, results)
            if "switches" in wanted:
                bench_switches(data, work, reps, bare_rss, results)
        if "board" in wanted:
            bench_board(data, work, reps, results)
        if "years" in wanted:
            bench_years(data, work, reps, results)
        if "quick" in wanted:
            bench_quick_capture(data, work, reps, results)
        if "memory" in wanted:
            bench_memory(data, work, reps, results)
        if "processes" in wanted:  # last: its in-process writes grow this process
            bench_processes(data, work, reps, results)
        stop_servers()  # the quick-command server the measured commands started
    results.add(
        Row(
            "–",
            "dashboard runs that exited with an error on ctrl+q after being measured",
            str(len(EXIT_CRASHES)),
            "; ".join(sorted(set(EXIT_CRASHES))),
            "0",
            "MISS" if EXIT_CRASHES else "PASS",
        )
    )
    seconds = time.monotonic() - started
    about.append(("load average at end", " / ".join(f"{x:.2f}" for x in os.getloadavg())))
    text = markdown(results, about, reps, args.quick, seconds, kept_analysis(args.out))
    args.out.write_text(text, encoding="utf-8")
    print()
    print("\n".join(table(results.rows)))
    print(f"\n{len(results.misses)} target(s) missed; written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
