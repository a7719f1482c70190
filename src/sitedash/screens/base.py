"""What every top-level screen shares: header, navigation, footer, live refresh."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.widget import Widget

from sitedash import keymap
from sitedash.ui.warmup import QuietStart, mark_styled
from sitedash.widgets.footer import SiteFooter
from sitedash.widgets.header import NavBar, SiteHeader
from sitedash.widgets.tables import SiteTable

if TYPE_CHECKING:
    from sitedash.app import SiteDash
    from sitedash.storage.drafts import Draft


class SiteScreen(QuietStart):
    """A top-level screen (one per mode) that reloads when the data changes.

    Data changes arrive on the app's `data_changed` signal, from our own writes and
    from other processes. A screen that is not shown only marks itself stale and
    reloads when it is shown again, so background screens cost nothing.
    """

    MODE: ClassVar[str] = ""
    KEY_PARTS: ClassVar[tuple[type[Widget], ...]] = (SiteTable,)
    """The widgets with keys of their own that have focus on this screen, one at a
    time: the keymap's conflicts are looked for in each (sitedash.keymap)."""
    LIVE: ClassVar[bool] = False
    """Reload with the work clock's tick while shown (what it shows moves with the clock)."""
    app: SiteDash

    def __init__(self) -> None:
        super().__init__()
        self._stale = False
        # A screen built while the app runs is styled as it mounts: without the mark
        # Textual restyles the whole app on its first visit (ui/warmup.py).
        self._first_screen = mark_styled(self)

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
        self.app.site_screens.add(self)
        if self.LIVE:
            self.app.work_clock.changed.subscribe(self, self._clock_ticked, immediate=True)
        if self.closing:
            return
        self.before_first_load()
        self.reload()
        self.after_first_load()

    def before_first_load(self) -> None:
        """Set up state the first `reload` needs; override."""

    def keep_unsaved(self) -> None:
        """Save or keep as a draft what is typed on the screen itself (not in a dialog),
        at once: the SSH link is dropping or the app is quitting. Override."""

    def reopen_draft(self, draft: Draft) -> bool:
        """Open the form `draft` came from (the app then fills it in); False when this
        screen has no such form. Override."""
        return False

    def after_first_load(self) -> None:
        """Focus, first notifications; override."""

    @property
    def closing(self) -> bool:
        """The app is ending: its screens' widgets are being taken down, so a tick, a
        write or a screen built in the background must not read into them."""
        return self.app.return_code is not None

    def _data_changed(self, _source: str) -> None:
        if self.closing:
            return
        # In the current mode's stack (perhaps under a dialog that is closing): reload now.
        if self in self.app.screen_stack:
            self.query_one(SiteHeader).update_header()
            self.query_one(NavBar).update_status()
            self.reload()
        else:
            self._stale = True

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual calls this before Screen's own handler (a subclass's handlers come
        # first). Switching modes, Textual restyles every widget of the screen it shows
        # (30-70 ms on these screens, on every switch). Nothing their CSS depends on
        # changes while a screen is hidden except the theme, and a theme change makes
        # switch_mode refresh the CSS first anyway (Textual skips the restyle when a
        # dialog closes for the same reason).
        event.refresh_styles = False
        if not self.closing:
            self._resumed()

    def on_screen_suspend(self) -> None:
        # A form or dialog opens over this screen (or another screen is shown).
        self.app.work_clock.dialog_opened()

    def _clock_ticked(self, _kind: str) -> None:
        if self.is_current and not self.closing:
            self.reload()  # hours and reminders move with the clock
        else:
            # Shown later, it shows what the header shows then, not what was due when
            # it was built (issue 19: a screen built in the background said "No
            # reminders waiting" beside the header's ⏰2 until the next tick, 30 s on).
            self._stale = True

    def _resumed(self) -> None:
        # The reminder tick only refreshes the bar of the stack on show.
        self.query_one(NavBar).update_status()
        # A reminder that came due while a form or dialog was open is shown now.
        self.app.work_clock.dialog_closed()
        if self._stale:
            self._stale = False
            self.query_one(SiteHeader).update_header()
            self.reload()

    def reload(self) -> None:
        """Read what the screen shows from the store; override."""

    def key(self, binding_id: str) -> str:
        """The key of one of this screen's bindings as the engineer has it (for hints)."""
        return keymap.key_label(self.app, binding_id, type(self))

    def say(self, message: str) -> None:
        """Confirm a save in the footer line (a toast would cover the table)."""
        self.query_one(SiteFooter).say(message)

    def on_key(self) -> None:
        # A confirmation stays until the engineer does something else: no timer.
        self.query_one(SiteFooter).clear_message()


def confirm(app: SiteDash, message: str) -> None:
    """Confirm `message` in the footer of the screen the engineer is working on (under
    a dialog, if one is open); a toast only where there is no footer."""
    for screen in reversed(app.screen_stack):
        if isinstance(screen, SiteScreen):
            screen.say(message)
            return
    app.notify(message, markup=False)
