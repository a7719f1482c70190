"""The engineer's settings: name (on reports), language, when the work day starts."""

from __future__ import annotations

from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from sitedash.i18n import t
from sitedash.modals.base import Dialog
from sitedash.models import Settings
from sitedash.services.timeutil import InputError, parse_hhmm
from sitedash.textsafe import clean_line


class SettingsForm(Dialog[Settings | None]):
    BINDINGS = [Binding("ctrl+s", "save", "Save", id="form.save")]

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
            yield Static(id="dialog-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("Save"), id="save", variant="primary")
                yield Button(t("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self.show_error("")
        self.query_one("#engineer", Input).focus()

    def on_input_submitted(self) -> None:
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.dismiss(None)

    def action_save(self) -> None:
        try:
            name = clean_line(self.query_one("#engineer", Input).value)
            day_start = parse_hhmm(self.query_one("#day_starts_at", Input).value)
        except InputError as error:
            self.show_error(str(error))
            return
        self.dismiss(
            replace(
                self.settings,
                engineer=name,
                lang=str(self.query_one("#lang", Select).value or ""),
                day_starts_at=day_start.strftime("%H:%M"),
            )
        )
