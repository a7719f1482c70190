"""A footer that rebuilds once per burst of binding changes.

Textual's Footer recomposes on every bindings change, and a screen switch or a reload
changes bindings several times in a row; each rebuild re-mounts every key (the
benchmarks measured 6-8 rebuilds per first visit). Here a rebuild already scheduled
absorbs the ones that follow it, and nothing is rebuilt when the keys are the same.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen


class SiteFooter(Footer):
    """Footer with coalesced, change-only rebuilds."""

    _pending = False
    _shown: tuple[tuple[str, str, bool], ...] | None = None

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        if not self._pending:
            self._pending = True
            # Its keys follow the screen's first frame, as Textual's own footer's do in
            # a bare app: built before it, they held start-up's first frame back ~20 ms.
            when_drawn = getattr(screen, "when_drawn", None)
            if when_drawn is None:
                self.call_after_refresh(self._rebuild)
            else:  # rebuilt in the footer's own context: it binds its reactives there
                when_drawn(partial(self.call_later, self._rebuild))

    def _keys(self) -> tuple[tuple[str, str, bool], ...]:
        return tuple(
            (active.binding.key, active.binding.description, active.enabled)
            for active in self.screen.active_bindings.values()
            if active.binding.show
        )

    async def _rebuild(self) -> None:
        self._pending = False
        keys = self._keys()
        if keys != self._shown:
            self._shown = keys
            await self.recompose()
