"""The engineer's settings: name (on reports), language, when the work day starts."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Select, Static

from sitedash.i18n import t
from sitedash.modals.base import FormDialog
from sitedash.models import Settings, replace
from sitedash.services.timeutil import parse_hhmm
from sitedash.textsafe import clean_line


class SettingsForm(FormDialog[Settings]):
    """Your name (on reports), the language, when the work day starts."""

    def __init__(self, settings: Settings, *, engineer: str) -> None:
        super().__init__()
        self.settings = settings
        self.engineer = engineer

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form", id="settings-form"):
            yield Static(t("Settings"), classes="dialog-title", markup=False)
            yield Label(t("Your name (on reports)"), markup=False)
            yield Input(self.engineer, id="engineer")
            yield Label(t("Language (restarts the dashboard)"), markup=False)
            yield Select(
                [(t("From the locale"), ""), ("English", "en"), ("简体中文", "zh")],
                value=self.settings.lang or "",
                allow_blank=False,
                id="lang",
            )
            yield Label(t("The work day starts at (site time)"), markup=False)
            yield Input(self.settings.day_starts_at, id="day_starts_at", placeholder="04:00")
            yield from self.buttons()

    def build(self) -> Settings:
        return replace(
            self.settings,
            engineer=clean_line(self.value("engineer")),
            lang=str(self.query_one("#lang", Select).value or ""),
            day_starts_at=parse_hhmm(self.value("day_starts_at")).strftime("%H:%M"),
        )
