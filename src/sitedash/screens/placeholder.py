"""An honest stand-in for screens that later releases build."""

from __future__ import annotations

from collections.abc import Iterable

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from sitedash.i18n import t
from sitedash.screens.base import SiteScreen
from sitedash.widgets.header import screen_label


class NotBuiltScreen(SiteScreen):
    """Says plainly that this screen is not built yet, and where to go instead."""

    def __init__(self, mode: str) -> None:
        self.MODE = mode
        super().__init__()

    def compose_body(self) -> Iterable[Widget]:
        yield Static(
            Content(
                t(
                    "The {screen} screen is not built yet in this version.",
                    screen=screen_label(self.MODE),
                )
                + "\n\n"
                + t("Press 1 for Today, ? for help, ctrl+p for all commands.")
            ),
            id="not-built",
        )
