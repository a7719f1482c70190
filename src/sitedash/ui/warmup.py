"""The one module that uses Textual's private API: what still buys its milliseconds.

Everything else in sitedash uses Textual's public API only (tests/test_private_api.py
fails on a private Textual name anywhere else). Each use below says what it buys,
measured with `benchmarks/run.py --without NAME` on Textual 8.2.8, 2026-12-07: three
`--quick` runs of each interleaved on a shared 2-core machine, medians (the README's
"Performance" section has the table); tests/ui/test_warmup.py fails naming the attribute when a
Textual release changes it, and pyproject.toml pins Textual to that minor version.
A patch that bought less than 10 ms was dropped. What Textual would need to change
for the rest to go is in the README ("Performance").

Each patch can be switched off by name (`DISABLED`) so that the benchmark measures
what it buys: `benchmarks/run.py --without NAME`.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import App, ScreenStackError
from textual.cache import FIFOCache
from textual.screen import Screen
from textual.strip import Strip
from textual.widgets import DataTable

if TYPE_CHECKING:
    from rich.segment import Segment
    from textual.geometry import Size

PATCHES = ("background", "styled", "quiet-start", "steady-scrollbars", "lazy-strip-caches")
"""The patches by name (see each one below)."""
DISABLED: set[str] = set()
"""Patches switched off: only the benchmark sets this (`--without NAME`)."""

STRIP_CACHES = {
    "_divide_cache": 4,
    "_crop_cache": 16,
    "_style_cache": 16,
    "_filter_cache": 4,
    "_line_length_cache": 4,
    "_crop_extend_cache": 4,
    "_offsets_cache": 4,
}
"""The seven caches Textual's `Strip.__init__` makes for every line, and each one's size
("lazy-strip-caches")."""

PRIVATE_API: dict[str, tuple[str, ...]] = {
    "App": (
        "_init_mode",
        "_screen_stacks",
        "_css_update_count",
        "_batch_count",
        "_fatal_error",
        "_exit_renderables",
        "_close_messages_no_wait",
    ),
    "Screen": ("_refresh_layout", "_compositor", "_compositor_refresh", "_css_update_count"),
    "DataTable": ("_size_updated",),
    "Strip": tuple(STRIP_CACHES),
}
"""Every private Textual name used here, by class: tests/ui/test_warmup.py checks each."""


def enabled(patch: str) -> bool:
    return patch not in DISABLED


# -- "background": screens built while the engineer is idle ---------------------------


class BackgroundBuilder:
    """Builds the screens not shown yet while no key is being pressed ("background").

    A screen's first visit composes, styles, lays out and draws it; built and drawn
    beforehand, the first switch costs about what a revisit does. Textual has no public
    way to build a mode's screen without showing it: `App._init_mode` is what
    `switch_mode` calls on a first visit, `App._screen_stacks` says which modes have
    their screen, and `Screen._refresh_layout` + `Screen._compositor.render_update`
    lay a hidden screen out and render it once. One step per idle moment, so a key
    pressed meanwhile waits for one step at most, never for all four screens.

    Buys: first visits of Training 163 -> 90 ms, Sign-off 264 -> 90 ms, the
    5,000-issue board 342 -> 89 ms, Issues 180 -> 140 ms.
    Off, or if Textual changes these names, screens are built when first shown.
    """

    def __init__(
        self,
        app: App[Any],
        modes: list[str],
        *,
        read_ahead: Iterator[None] | None = None,
        idle_seconds: float = 0.3,
        read_ahead_seconds: float = 0.02,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.waiting = list(modes) if enabled("background") else []
        """Modes still to build, in order."""
        self.read_ahead = read_ahead if self.waiting else None
        """Before the board is built: its files read into the store's cache, step by step."""
        self.idle_seconds = idle_seconds
        self.read_ahead_seconds = read_ahead_seconds
        self.clock = clock
        self.last_input = clock()
        self.built: str | None = None
        """The screen built last, to be laid out and drawn at the next idle moment."""
        self.mounting: Awaitable[Any] | None = None
        """The mount of the screen built last, until the app ends (see `stop`)."""

    @property
    def done(self) -> bool:
        return not self.waiting and self.built is None

    def stop(self) -> Awaitable[Any] | None:
        """Build nothing more: the app is ending. Returns the mount of the screen built
        last, to be awaited before the app's teardown starts: a screen whose widgets are
        still mounting when it is taken down crashes the exit (Textual's `Tabs` looks
        for a tab already removed), which turned a hang-up into exit status 1."""
        self.waiting.clear()
        self.read_ahead = None
        self.built = None
        mounting, self.mounting = self.mounting, None
        return mounting

    def input_seen(self) -> None:
        """A key, paste or click: the engineer is busy, wait for the next idle moment."""
        self.last_input = self.clock()

    def step(self) -> None:
        """One step of background work, if the engineer is idle (called by a timer)."""
        if self.done or self.clock() - self.last_input < self.idle_seconds:
            return
        app = self.app
        try:
            if app.screen._css_update_count != app._css_update_count:
                # The stylesheet changed (a theme chosen from the palette): bring the
                # screen shown up to date first, so the screens built next count as
                # styled (`mark_styled`).
                app.refresh_css(animate=False)
                return
            stacks = app._screen_stacks
            if self.built is not None:
                # Second step, at the next idle moment: lay it out and draw it once
                # off screen, so the first switch finds every widget sized and its
                # lines rendered (one frame, as a revisit).
                stack = stacks.get(self.built, [])
                if stack and not stack[0].is_current:
                    stack[0]._refresh_layout(app.size)
                    stack[0]._compositor.render_update(full=True)
                self.built = None
                return
            if self.read_ahead is not None and "issues" not in stacks:
                deadline = self.clock() + self.read_ahead_seconds
                for _ in self.read_ahead:
                    if self.clock() >= deadline:
                        return
                self.read_ahead = None
                return
            while self.waiting:
                mode = self.waiting.pop(0)
                if mode not in stacks:  # not shown yet
                    self.mounting = app._init_mode(mode)
                    self.built = mode
                    return
        except Exception:  # Textual changed, or the store failed: build when shown
            self.waiting.clear()
            self.built = None


# -- "styled": a screen built while the app runs counts as styled -----------------------


def mark_styled(screen: Screen[Any]) -> bool:
    """Mark `screen` as styled with the app's current stylesheet ("styled").

    Every stylesheet loads with the app and Textual styles each widget as it mounts, so
    a screen built while the app runs is styled with the current CSS. Without this mark
    (`Screen._css_update_count` equal to `App._css_update_count`) Textual re-parses
    every stylesheet and restyles the whole app on each screen's first visit; a theme
    change since still triggers it. Returns True for the app's first screen, which
    Textual styles before it is in the screen stack: its caller restyles it with the
    app before its widgets mount (public `Stylesheet.update_nodes`).

    Buys: first visits 17-45 ms each (Training 129 -> 90 ms, Sign-off 135 -> 90 ms),
    the return to Wellbeing 97 -> 55 ms, ~65 ms of cold start, and five frames drawn
    while the other screens are built in the background.
    """
    app = screen.app
    try:
        current = app.screen
    except ScreenStackError:
        first = True
    else:
        first = False
    if not enabled("styled"):
        return False
    try:
        if first or current._css_update_count == app._css_update_count:
            screen._css_update_count = app._css_update_count
    except AttributeError:  # Textual changed: the screen is restyled on its first visit
        return False
    return first


# -- "quiet-start": no frame rendered at start-up only to be thrown away ---------------


class QuietStart(Screen[Any]):
    """A screen that renders nothing inside Textual's start-up batch ("quiet-start").

    At start-up Textual lays the first screen out and renders it inside a batch
    (`App._batch_count`), where the frame is thrown away, then renders it again. Left
    dirty, the screen is drawn once by its update timer when the batch ends. (Not
    during a mode switch's hold: there the early render makes the frame quick.)

    Buys: cold start 12 ms to settled and 36 ms to the first content frame; with the
    second core busy (paired runs) 75 and 68 ms.
    """

    def _compositor_refresh(self) -> None:
        app = self.app
        starting = getattr(app, "starting", False)
        batch = getattr(app, "_batch_count", 0)
        if enabled("quiet-start") and batch and starting and self.is_current:
            return
        super()._compositor_refresh()


# -- "steady-scrollbars": a long table drawn once per switch, not twice -----------------


class SteadyScrollbars(DataTable[Text]):
    """A DataTable that re-sizes its scrollbars only when its size or rows change
    ("steady-scrollbars").

    Textual's ScrollView compares the virtual size the layout passes with the table's
    own (a table sets its own from its rows, so for a table longer than its pane they
    never match): every layout re-sized the scrollbars, sent the table a Resize and
    queued a repaint that went out as a second frame after a screen switch.
    `ScrollView._size_updated` is where that happens.

    Buys: the first visit of the 5,000-issue board 144 -> 89 ms, Training 107 -> 90 ms,
    revisits of both 4-8 ms.
    """

    _laid_out_as: tuple[Size, Size, Size] | None = None

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        if enabled("steady-scrollbars"):
            laid_out_as = (size, self.virtual_size, container_size)
            if laid_out_as == self._laid_out_as:
                return False
            self._laid_out_as = laid_out_as
        return super()._size_updated(size, virtual_size, container_size, layout)


# -- "lazy-strip-caches": a line's caches made when first used -------------------------

_STRIP_OWN_SLOTS = ("_segments", "_cell_length", "_render_cache", "_link_ids", "_cell_count")
"""The rest of `Strip.__slots__`, set by `Strip.__init__` as it does."""

textual_strip_init: Callable[..., None] = Strip.__init__
"""Textual's own `Strip.__init__`, as this module found it (the test compares lines built
both ways)."""


def _strip_init(self: Strip, segments: Iterable[Segment], cell_length: int | None = None) -> None:
    self._segments = list(segments)
    self._cell_length = cell_length
    self._render_cache = None
    self._link_ids = None
    self._cell_count = None


def _strip_cache(self: Strip, name: str) -> FIFOCache[Any, Any]:
    size = STRIP_CACHES.get(name)
    if size is None:
        raise AttributeError(name)
    cache: FIFOCache[Any, Any] = FIFOCache(size)
    setattr(self, name, cache)
    return cache


def lazy_strip_caches() -> bool:
    """Make a `Strip`'s seven caches when one is first used, not with every line
    ("lazy-strip-caches"). Returns whether the patch is in place.

    Every line Textual draws is a `Strip` that makes seven `FIFOCache`s (a dict each)
    as it is built, for crops, divisions, styles and filters of that line. Few are
    ever used: after every screen was shown on 730 days, 3,912 strips held 27,566
    caches; made when first used, they are 2,379. A slot left unset raises
    AttributeError, so Python asks `__getattr__`, which makes the cache then. Only
    installed when `Strip.__slots__` is the one measured (Textual 8.2).

    Buys: peak memory after every screen on 730 days 60.2 -> 56.8 MiB, with 5,000
    issues 65.4 -> 62.1 MiB (`--quick` runs with and without it); the cost, a failed
    attribute lookup the first time a line is cropped or divided, moved no time figure.
    """
    if not enabled("lazy-strip-caches"):
        return False
    if Strip.__init__ is _strip_init:
        return True
    if set(getattr(Strip, "__slots__", ())) != {*STRIP_CACHES, *_STRIP_OWN_SLOTS}:
        return False  # Textual changed Strip: keep its own __init__
    if "__getattr__" in vars(Strip):
        return False
    Strip.__init__ = _strip_init  # type: ignore[method-assign]
    Strip.__getattr__ = _strip_cache  # type: ignore[attr-defined]
    return True


# -- not a speed-up: a crash report that never prints stored data ---------------------


class CrashWithoutLocals(App[Any]):
    """Textual's crash report, without the local variables of each frame.

    Textual prints an unhandled exception with `show_locals=True`: the locals of the
    frames that were reading or writing hold the engineer's data (a customer's issue,
    the contents of a data file), which would then sit in the terminal's scrollback, a
    screenshot or a bug report. There is no public switch for it: `App._fatal_error`
    builds the traceback; this is that method with `show_locals=False` (the rest as in
    Textual 8.2: it rings, queues the report for printing after the terminal is
    restored with `_exit_renderables`, and closes with `_close_messages_no_wait`).
    """

    def _fatal_error(self) -> None:
        import rich
        from rich.segment import Segments
        from rich.traceback import Traceback

        self.bell()
        traceback = Traceback(show_locals=False, width=None, suppress=[rich])
        self._exit_renderables.append(
            Segments(self.console.render(traceback, self.console.options))
        )
        self._close_messages_no_wait()
