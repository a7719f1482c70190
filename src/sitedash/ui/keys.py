"""Keys go to the field that has focus when they are handled, however fast they arrive.

Textual hands a key to the widget that has focus when the app reads it, and handles
what the key means (a binding: Tab, `a` for a new item, enter to save) later, when the
key comes back up from that widget. Keys read together (a fast typist, a burst over SSH,
a pasted `T1<Tab>30m` from a terminal without bracketed paste) all went to the widget
focused before the first of them was handled: "T130m" in the title, nothing in the
estimate, or the first characters of a form's title typed into the table behind it.

The gate hands the app one key (or paste) at a time. The next waits until the one
before has been handled on every node it passed on its way up, and until what it set
off has happened: a form that opened has mounted and focused its first field, a form
saved by enter has closed. That is checked with `call_later` on each of those nodes
(each runs its messages in order), never with a clock, so no time window decides
where a key lands. Only Textual's public API is used.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import ScreenStackError

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode

Input = events.Key | events.Paste


class KeyGate:
    """Hands the app's keyboard input over in order, one at a time (see the module).

    `SiteDash.on_event` offers every key and paste the terminal sends; the gate either
    passes it on at once (`admit` returns True: the app dispatches it now) or keeps it
    until the input before it has settled, then dispatches it with `dispatch`.
    """

    def __init__(self, app: App[Any], dispatch: Callable[[Input], Awaitable[None]]) -> None:
        self.app = app
        self.dispatch = dispatch
        self.waiting: deque[Input] = deque()
        """Keys and pastes read while the one before them was being handled."""
        self.busy = False
        """True from a key's dispatch until it and what it set off have settled."""
        self._idle = asyncio.Event()
        self._idle.set()

    @property
    def settled(self) -> bool:
        """Nothing held back and nothing on its way."""
        return not self.busy and not self.waiting

    async def wait_settled(self) -> None:
        """Return once every key and paste read so far has been handled (for tests)."""
        await self._idle.wait()

    def admit(self, event: Input) -> bool:
        """True if `event` may be dispatched now; else it waits its turn."""
        if self.busy or self.waiting:
            self.waiting.append(event)
            return False
        self.busy = True
        self._idle.clear()
        return True

    def dispatched(self) -> None:
        """The admitted input was handed to the app: follow it up to the app."""
        self._climb(self._target(), self._settle)

    def _target(self) -> DOMNode:
        # Where Textual forwards input: the focused widget, else the screen.
        app = self.app
        try:
            return app.focused or app.screen
        except ScreenStackError:  # the app is closing: the input goes with it
            return app

    def _climb(self, node: DOMNode | None, then: Callable[[], object]) -> None:
        """Run `then` once `node` and each of its ancestors up to the app have run
        every message queued on them now (the order a key or a message bubbles in).

        A node that closes meanwhile still runs what was queued before it began to
        close; one that is closing refuses the callback (`call_later` returns False)
        and the climb goes on from its parent, so `then` always runs.
        """
        app = self.app
        if node is None or node is app:
            app.call_later(then)
            return
        parent = node.parent

        def step() -> None:
            self._climb(node.parent or parent, then)

        if not node.call_later(step):
            self._climb(parent, then)

    def _settle(self) -> None:
        """The input reached the app: now let what it set off happen (a form opening,
        saving, closing), until focus stays where it is for one more round."""
        before = self._where()

        async def check() -> None:
            if self._where() != before:
                self._settle()
            else:
                await self._release()

        self._climb(self._target(), check)

    def _where(self) -> tuple[DOMNode, DOMNode | None]:
        """The screen shown and the widget with focus (the app itself while closing)."""
        app = self.app
        try:
            return app.screen, app.focused
        except ScreenStackError:
            return app, None

    async def _release(self) -> None:
        if not self.waiting:
            self.busy = False
            self._idle.set()
            return
        await self.dispatch(self.waiting.popleft())
        self.dispatched()
