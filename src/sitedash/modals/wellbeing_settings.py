"""Edit the reminder thresholds (the seeds' defaults: 4 h focus, 10 h days, 6 h sleep...)."""

from __future__ import annotations

from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, Static

from sitedash.i18n import t
from sitedash.modals.base import Dialog
from sitedash.models import WellbeingSettings
from sitedash.services.timeutil import InputError
from sitedash.services.today import format_minutes, parse_estimate
from sitedash.services.wellbeing import parse_quiet_hours, parse_sleep_hours
from sitedash.widgets.form import field_row, pair_row


def _minutes(value: str, what: str) -> int:
    minutes = parse_estimate(value)
    if minutes <= 0:
        raise InputError(t("{what} must be longer than zero", what=what))
    return minutes


def _months(value: str) -> tuple[int, ...]:
    try:
        months = tuple(sorted(int(part) for part in value.replace(" ", "").split(",") if part))
    except ValueError:
        raise InputError(t("bad months {text!r}: use e.g. 3,6", text=value)) from None
    if any(m <= 0 or m > 60 for m in months):
        raise InputError(t("rotation months must be between 1 and 60"))
    return months


class WellbeingSettingsForm(Dialog[WellbeingSettings | None]):
    BINDINGS = [Binding("ctrl+s", "save", "Save", id="form.save")]

    def __init__(self, settings: WellbeingSettings) -> None:
        super().__init__()
        self.settings = settings

    def compose(self) -> ComposeResult:
        s = self.settings
        with Vertical(classes="dialog form", id="wellbeing-form"):
            yield Static(t("Reminder settings"), classes="dialog-title", markup=False)
            yield pair_row(
                (
                    t("Break after"),
                    Input(format_minutes(s.break_after_min), id="break_after", compact=True),
                ),
                (
                    t("Break length"),
                    Input(format_minutes(s.break_min), id="break_min", compact=True),
                ),
            )
            yield pair_row(
                (
                    t("Long day at"),
                    Input(format_minutes(s.long_day_min), id="long_day", compact=True),
                ),
                (t("Min. sleep (h)"), Input(f"{s.min_sleep_hours:g}", id="sleep", compact=True)),
            )
            yield pair_row(
                (t("Walk"), Input(format_minutes(s.walk_min), id="walk", compact=True)),
                (
                    t("Rotation (months)"),
                    Input(",".join(map(str, s.rotation_months)), id="rotation", compact=True),
                ),
            )
            yield pair_row(
                (
                    t("Quiet hours"),
                    Input(s.quiet_hours, id="quiet", compact=True, placeholder="22:00-07:00"),
                ),
                (t("Snooze"), Input(format_minutes(s.snooze_min), id="snooze", compact=True)),
            )
            yield field_row(
                t("Bell"),
                Checkbox(
                    t("ring the terminal bell with a reminder"), s.bell, id="bell", compact=True
                ),
            )
            yield Static(id="dialog-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("Save"), id="save", variant="primary", compact=True)
                yield Button(t("Cancel"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.show_error("")
        self.query_one("#break_after", Input).focus()

    def on_input_submitted(self) -> None:
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.dismiss(None)

    def action_save(self) -> None:
        value = lambda name: self.query_one(f"#{name}", Input).value  # noqa: E731
        try:
            quiet = value("quiet").strip()
            if quiet:
                parse_quiet_hours(quiet)
            edited = replace(
                self.settings,
                break_after_min=_minutes(value("break_after"), t("the break interval")),
                break_min=_minutes(value("break_min"), t("the break")),
                long_day_min=_minutes(value("long_day"), t("the long day")),
                min_sleep_hours=parse_sleep_hours(value("sleep")),
                walk_min=_minutes(value("walk"), t("the walk")),
                rotation_months=_months(value("rotation")),
                quiet_hours=quiet,
                snooze_min=_minutes(value("snooze"), t("the snooze")),
                bell=self.query_one("#bell", Checkbox).value,
            )
        except InputError as error:
            self.show_error(str(error))
            return
        self.dismiss(edited)
