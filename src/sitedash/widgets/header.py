"""The top of every screen: engagement, the two clocks, and the six screens by number."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from sitedash.i18n import t, weekday_name
from sitedash.services.timeutil import zone
from sitedash.widgets.safe import literal

if TYPE_CHECKING:
    from sitedash.app import SiteDash

SCREENS = ("today", "issues", "training", "signoff", "wellbeing", "engagement")
"""The six screens, in the order of their number keys."""


def screen_label(mode: str) -> str:
    return {
        "today": t("Today"),
        "issues": t("Issues"),
        "training": t("Training"),
        "signoff": t("Sign-off"),
        "wellbeing": t("Wellbeing"),
        "engagement": t("Engagement"),
    }[mode]


def clocks_text(now: datetime, site_tz: str | None, hq_tz: str | None) -> str:
    """`site 15:32 Wed · HQ 22:32 Wed`: the time difference the engineer juggles."""
    site = now.astimezone(zone(site_tz))
    hq = now.astimezone(zone(hq_tz))
    day_shift = (hq.date() - site.date()).days
    shift = f" {day_shift:+d}d" if day_shift else ""
    return t(
        "site {site} · HQ {hq}",
        site=f"{site:%H:%M} {weekday_name(site.date())}",
        hq=f"{hq:%H:%M}{shift}",
    )


def show(static: Static, content: Content) -> None:
    """Update `static` only when its text or styles change. Every update re-lays out the
    bar and sends a frame: the 10 s clock tick and the 30 s reminder tick would otherwise
    redraw the header and the navigation bar for nothing (a frame over SSH each time)."""
    shown = static.content
    if isinstance(shown, Content) and shown.is_same(content):
        return
    static.update(content)


class SiteHeader(Horizontal):
    """Engagement name on the left, site and HQ clocks on the right; ticks every 10 s."""

    app: SiteDash

    def compose(self) -> ComposeResult:
        yield Static(id="header-engagement")
        yield Static(id="header-clocks")

    def on_mount(self) -> None:
        self.update_header()
        self.set_interval(10, self.update_header)

    def update_header(self) -> None:
        engagement = self.app.engagement
        if engagement is None:
            hint = t("no engagement (press {key})", key=self.app.key("engagements"))
            title = Content.assemble(("sitedash", "bold"), " · ", hint)
            clocks = clocks_text(self.app.clock(), None, None)
        else:
            title = Content.assemble(
                ("sitedash", "bold"),
                " · ",
                literal(engagement.name),
                (" · " if engagement.customer else ""),
                literal(engagement.customer),
            )
            clocks = clocks_text(self.app.clock(), engagement.site_tz, engagement.hq_tz)
        show(self.query_one("#header-engagement", Static), title)
        show(self.query_one("#header-clocks", Static), Content(clocks))


class NavBar(Horizontal):
    """`1 Today  2 Issues ...` with the current screen highlighted, and on the right the
    work clock and any reminder waiting for an answer.

    It has no timer of its own: the work clock's tick refreshes every bar, shown or not
    (a hidden screen is not drawn, and when it is shown its bar is up to date: the switch
    is one frame), and a screen refreshes its bar when it is shown again.
    """

    app: SiteDash

    def __init__(self, current: str, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.current = current

    def compose(self) -> ComposeResult:
        yield Static(id="nav-screens")
        yield Static(id="nav-status")

    def on_mount(self) -> None:
        self.update_status()
        self.app.work_clock.changed.subscribe(self, self._clock_changed, immediate=True)

    def on_resize(self) -> None:
        self._show_screens()

    def _screens(self, named: int) -> Content:
        """Every screen by number; the current one and the first `named` also by name."""
        parts: list[Content | tuple[str, str] | str] = []
        for number, mode in enumerate(SCREENS, 1):
            if mode == self.current:
                parts.append((f" {number} {screen_label(mode)} ", "reverse bold"))
            else:
                label = f" {number} {screen_label(mode)} " if number <= named else f" {number} "
                parts.append((label, "dim"))
        return Content.assemble(*parts)

    def _show_screens(self) -> None:
        """As many names as fit beside the clock, the first screens' first (80 columns in
        English with the clock running drop the last one's); the current one is never
        cut."""
        status = self.query_one("#nav-status", Static).content
        used = status.cell_length if isinstance(status, Content) else 0
        room = self.size.width - used - 1  # `size` is inside the padding already
        for named in range(len(SCREENS), -1, -1):
            screens = self._screens(named)
            if not self.size.width or screens.cell_length <= room:
                break
        show(self.query_one("#nav-screens", Static), screens)

    def _clock_changed(self, _kind: str) -> None:
        show(self.query_one("#nav-status", Static), self.app.work_clock.status)
        self._show_screens()  # a longer status (a reminder due) leaves less room

    def update_status(self) -> None:
        show(self.query_one("#nav-status", Static), self.app.work_clock.summary())
        self._show_screens()
