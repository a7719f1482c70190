"""The process the benchmark starts in a pseudo-terminal: the bare app or the real dashboard.

Both are started the same way (`python child.py bare|sitedash ...` under the same pty,
environment and terminal size), so the cold-start and memory ratios compare like with
like. The child reports what the parent cannot see from the terminal output: one JSON line
per paint (when Textual hands a frame to its driver) and whether the screen painted holds
its real content yet. Times are CLOCK_MONOTONIC, which is system-wide on Linux, so the
parent can subtract them from its own timestamps (process spawn, key written to the pty).

Nothing here changes what the app does; it only wraps methods to take timestamps:

* `App._display` (every frame written to the terminal, with the event loop's CPU time),
* `Footer.recompose` (Textual rebuilding the footer) and full garbage collections,
* `SiteScreen.on_mount` (the screen's first load) and each screen's `reload()`,
* the `MODES` factories (import + construction of a screen on its first visit).

`--start-mode MODE` only changes sitedash's `DEFAULT_MODE`, so that Today's first visit can
be measured from another screen. `--without PATCH` switches a patch of
`sitedash/ui/warmup.py` off, to measure what it buys.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from typing import Any

REPORT_FD_ENV = "SITEDASH_BENCH_REPORT_FD"
"""The parent passes the write end of a pipe; one JSON object per line goes there."""
PROFILE_ENV = "SITEDASH_BENCH_PROFILE"
"""Set by `profiling.py`: profile the main thread between SIGUSR1 and SIGUSR2 into this file."""


def _now() -> float:
    return time.clock_gettime(time.CLOCK_MONOTONIC)


_STARTED = _now()
_FD = int(os.environ.get(REPORT_FD_ENV, "-1"))


def emit(event: str, **fields: Any) -> None:
    """Send one event to the parent (a no-op when run by hand without the pipe)."""
    if _FD < 0:
        return
    line = json.dumps({"e": event, **fields}, separators=(",", ":")) + "\n"
    os.write(_FD, line.encode())


def _gc_hook() -> None:
    """Report full (generation 2) garbage collections: with the many objects a Textual
    app holds they pause the event loop long enough to show in a switch."""
    import gc

    started: list[float] = []

    def callback(phase: str, info: dict[str, int]) -> None:
        if info.get("generation") != 2:
            return
        if phase == "start":
            started[:] = [_now()]
        elif started:
            emit("gc", t0=started[0], t1=_now(), collected=info.get("collected", 0))

    gc.callbacks.append(callback)


def _install_profiler(path: str) -> None:
    """Profile between SIGUSR1 and SIGUSR2 (sent by `profiling.py`): pyinstrument's wall-clock
    sampling when it is importable, else cProfile. Signal handlers run on the main thread,
    which is the one running Textual's event loop."""
    import signal

    state: dict[str, Any] = {}

    def start(_signum: int, _frame: Any) -> None:
        try:
            from pyinstrument import Profiler

            profiler: Any = Profiler(interval=0.0005, async_mode="disabled")
        except ImportError:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        else:
            profiler.start()
        state["profiler"] = profiler

    def stop(_signum: int, _frame: Any) -> None:
        profiler = state.pop("profiler", None)
        if profiler is None:
            return
        if hasattr(profiler, "output_text"):
            session = profiler.stop()
            session.save(path + ".pyisession")  # re-render with `pyinstrument --load`
            text = profiler.output_text(unicode=True, color=False, show_all=True)
            with open(path, "w", encoding="utf-8") as out:
                out.write(text)
        else:
            profiler.disable()
            profiler.dump_stats(path)
        emit("profiled", path=path)

    signal.signal(signal.SIGUSR1, start)
    signal.signal(signal.SIGUSR2, stop)
    if os.environ.get(PROFILE_ENV + "_AT_START"):
        start(0, None)


def _paint_hook(app_class: Any, ready: Callable[[Any, Any], bool]) -> None:
    """Wrap `_display` so that every frame sent to the terminal is reported, with the CPU
    time the main thread (Textual's event loop) has used so far."""
    original = app_class._display

    def _display(self: Any, screen: Any, renderable: Any) -> None:
        original(self, screen, renderable)
        if renderable is None or self._batch_count:
            return  # nothing was written (Textual skips these too)
        emit(
            "paint",
            t=_now(),
            cpu=time.thread_time(),
            screen=type(screen).__name__,
            ready=ready(self, screen),
        )

    app_class._display = _display


def _footer_hook() -> None:
    """Report each `Footer.recompose`: Textual rebuilds the footer's keys on every bindings
    refresh, and on screens with many bindings that is a large part of a switch."""
    from textual.widgets import Footer

    original = Footer.recompose

    async def recompose(self: Any) -> None:
        begin = _now()
        await original(self)
        emit("footer", t0=begin, t1=_now(), keys=len(self.children))

    Footer.recompose = recompose  # type: ignore[method-assign]


def _line_shown(_app: Any, screen: Any) -> bool:
    """The bare apps' content: their one line of text is mounted."""
    return any(w.id == "line" and w.is_mounted for w in screen.query("Static"))


def run_bare() -> int:
    """The baseline: a header, one line of text and a footer, nothing else."""
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Static

    class BareApp(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Static("A bare Textual app: one line of text.", id="line")
            yield Footer()

    emit("imported", t=_now())
    _paint_hook(BareApp, _line_shown)
    _footer_hook()
    BareApp().run()
    return 0


def run_bare_modes() -> int:
    """The baseline for switches: two modes of header, one line of text and footer,
    switched with the keys 1 and 2 exactly as sitedash switches (`App.switch_mode`)."""
    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.screen import Screen
    from textual.widgets import Footer, Header, Static

    class Page(Screen[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Static(f"{type(self).__name__}: one line of text.", id="line")
            yield Footer()

    class One(Page):
        pass

    class Two(Page):
        pass

    class BareModes(App[None]):
        MODES = {"one": One, "two": Two}
        DEFAULT_MODE = "one"
        BINDINGS = [Binding("1", "switch_mode('one')"), Binding("2", "switch_mode('two')")]

    emit("imported", t=_now())
    _paint_hook(BareModes, _line_shown)
    _footer_hook()
    BareModes().run()
    return 0


def run_static() -> int:
    """The memory reference: a plain Textual app with one Static and nothing else (no
    header, no footer), the least any Textual dashboard holds."""
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class StaticApp(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("A plain Textual app: one Static.", id="line")

    emit("imported", t=_now())
    _paint_hook(StaticApp, _line_shown)
    StaticApp().run()
    return 0


TABLE_ROWS = 400


def run_bare_table() -> int:
    """The reference for a cursor move: a plain `DataTable` filling the screen, rows of
    the board's card width and text (a severity, a number, a title), moved with Down
    and PageDown as the board's cards are."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    class TableApp(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable(id="line", cursor_type="row", zebra_stripes=True)

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_column("card", width=COLUMNS_OF_CARDS)
            for n in range(TABLE_ROWS):
                table.add_row(f"P3 {1000 + n} Production: problem {n} reported on line 2")
            table.focus()

    def shown(_app: Any, screen: Any) -> bool:
        return any(t.is_mounted and t.row_count for t in screen.query("DataTable"))

    emit("imported", t=_now())
    _paint_hook(TableApp, shown)
    TableApp().run()
    return 0


COLUMNS_OF_CARDS = 40


def run_sitedash(argv: list[str]) -> int:
    """The real dashboard through its real entry point (`sitedash.cli.main`)."""
    from sitedash.ui import warmup, wire

    while argv[:1] == ["--without"]:  # a patch of ui/warmup.py (or compact) switched off
        if argv[1] == "compact":
            wire.ENABLED = False
        else:
            warmup.DISABLED.add(argv[1])
        argv = argv[2:]
    start_mode = None
    if argv[:1] == ["--start-mode"]:
        start_mode, argv = argv[1], argv[2:]
    from sitedash.app import SiteDash
    from sitedash.screens.base import SiteScreen

    emit("imported", t=_now())

    def ready(_app: Any, screen: Any) -> bool:
        return bool(getattr(screen, "_bench_loaded", False))

    _paint_hook(SiteDash, ready)
    _footer_hook()

    original_mount = SiteScreen.__dict__["on_mount"]

    def on_mount(self: Any) -> None:
        reload = self.reload
        screen = type(self).__name__

        def timed_reload() -> None:
            begin = _now()
            reload()
            emit("reload", screen=screen, t0=begin, t1=_now())

        self.reload = timed_reload  # every later reload (data changed, filters) is timed too
        begin = _now()
        original_mount(self)
        self._bench_loaded = True
        emit("mounted", screen=screen, t0=begin, t1=_now())

    SiteScreen.on_mount = on_mount  # type: ignore[method-assign]

    def timed_factory(mode: str, factory: Any) -> Callable[[], Any]:
        def build() -> Any:
            begin = _now()
            screen = factory()
            emit("built", mode=mode, screen=type(screen).__name__, t0=begin, t1=_now())
            return screen

        return build

    SiteDash.MODES = {mode: timed_factory(mode, f) for mode, f in SiteDash.MODES.items()}
    if start_mode:
        SiteDash.DEFAULT_MODE = start_mode
    from sitedash.cli import main

    return main(argv)


def entry() -> int:
    emit("start", t=_STARTED)
    _gc_hook()
    if os.environ.get(PROFILE_ENV):
        _install_profiler(os.environ[PROFILE_ENV])
    kind, rest = sys.argv[1], sys.argv[2:]
    if kind == "bare":
        code = run_bare()
    elif kind == "bare-modes":
        code = run_bare_modes()
    elif kind == "static":
        code = run_static()
    elif kind == "bare-table":
        code = run_bare_table()
    elif kind == "sitedash":
        code = run_sitedash(rest)
    else:
        raise SystemExit(
            "usage: child.py bare | bare-modes | static | bare-table | "
            f"sitedash [--start-mode MODE] ARGS (got {kind})"
        )
    emit("exit", t=_now(), code=code)
    return code


if __name__ == "__main__":
    raise SystemExit(entry())
