"""What every top-level screen shares: header, navigation, footer, live refresh."""

from __future__ import annotations

import gc
from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import ComposeResult, ScreenStackError
from textual.screen import Screen
from textual.widget import Widget

from sitedash.widgets.footer import SiteFooter
from sitedash.widgets.header import NavBar, SiteHeader
from sitedash.widgets.safe import translate_bindings

if TYPE_CHECKING:
    from sitedash.app import SiteDash


class SiteScreen(Screen[None]):
    """A top-level screen (one per mode) that reloads when the data changes.

    Data changes arrive on the app's `data_changed` signal, from our own writes and
    from other processes. A screen that is not shown only marks itself stale and
    reloads when it is shown again, so background screens cost nothing.
    """

    MODE: ClassVar[str] = ""
    LIVE: ClassVar[bool] = False
    """Reload with the app's reminder tick while shown (what it shows moves with the clock)."""
    app: SiteDash

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)
        self._stale = False
        self._first_screen = False
        # Every stylesheet loads with the app and Textual styles each widget as it
        # mounts, so a screen built while the app runs is styled with the current CSS.
        # Without this mark Textual re-parses every stylesheet and restyles the whole
        # app on every screen's first visit (~100 ms on the 730-day benchmark), and at
        # start-up (~15 ms: the next widget class's CSS then re-parses all of it once
        # more); a theme change since still triggers it.
        app = self.app
        try:
            current = app.screen
        except ScreenStackError:  # the first screen of the app: see `compose`
            self._first_screen = True
            self._css_update_count = app._css_update_count
            return
        if current._css_update_count == app._css_update_count:
            self._css_update_count = app._css_update_count

    def compose(self) -> ComposeResult:
        if self._first_screen:
            # Textual styled this screen before it was in the app's screen stack, so
            # the colours its widgets inherit were wrong (text in its background
            # colour). Restyling it and the app before any widget mounts is all of the
            # skipped start-up refresh that mattered (every frame is the same).
            self.app.stylesheet.update_nodes([self.app, self])
        yield SiteHeader(id="header")
        yield NavBar(self.MODE, id="nav")
        yield from self.compose_body()
        yield SiteFooter()

    def compose_body(self) -> Iterable[Widget]:
        return ()

    def on_mount(self) -> None:
        # Textual calls on_mount of every class in the MRO, so subclasses do not define
        # their own: they use the two hooks around the first load.
        # Immediate: code right after a write (e.g. moving the cursor) sees the new rows.
        self.app.data_changed.subscribe(self, self._data_changed, immediate=True)
        self.before_first_load()
        self.reload()
        self.after_first_load()
        # What a screen builds on its first load lives as long as the app: move it out
        # of the cyclic collector's way (full collections paused switches 100-150 ms).
        self.call_after_refresh(gc.freeze)

    def before_first_load(self) -> None:
        """Set up state the first `reload` needs; override."""

    def after_first_load(self) -> None:
        """Focus, first notifications; override."""

    def _data_changed(self, _source: str) -> None:
        # In the current mode's stack (perhaps under a dialog that is closing): reload now.
        if self in self.app.screen_stack:
            self.query_one(SiteHeader).update_header()
            self.query_one(NavBar).update_status()
            self.reload()
        else:
            self._stale = True

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual calls this before Screen's own handler (one handler per class, the
        # `_on_` one first, so no `on_screen_resume` here). Switching modes, Textual
        # restyles every widget of the screen it shows (30-70 ms on these screens, on
        # every switch). Nothing their CSS depends on changes while a screen is hidden
        # except the theme, and a theme change makes switch_mode refresh the CSS first
        # anyway (Textual skips the restyle when a dialog closes for the same reason).
        event.refresh_styles = False
        self._resumed()

    def _compositor_refresh(self) -> None:
        # At start-up Textual lays the first screen out and draws it inside its start-up
        # batch, then throws the frame away: a full render for nothing (~15 ms) that
        # also held the end of start-up back. Left dirty, the screen is drawn by its
        # update timer once the batch ends. (Not during a mode switch's 50 ms hold:
        # there the early render is what makes the frame quick when it ends.)
        batch: int = getattr(self.app, "_batch_count", 0)  # Textual's private counter
        if batch and self.app.starting and self.is_current:
            return
        super()._compositor_refresh()

    def _resumed(self) -> None:
        # The reminder tick only refreshes the bar of the stack on show.
        self.query_one(NavBar).update_status()
        if self._stale:
            self._stale = False
            self.query_one(SiteHeader).update_header()
            self.reload()

    def reload(self) -> None:
        """Read what the screen shows from the store; override."""
