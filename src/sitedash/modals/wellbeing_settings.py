"""Edit the reminder thresholds (the seeds' defaults: 4 h focus, 10 h days, 6 h sleep...)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, Static

from sitedash.errors import InputError
from sitedash.i18n import t
from sitedash.modals.base import FormDialog
from sitedash.models import WellbeingSettings, replace
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


class WellbeingSettingsForm(FormDialog[WellbeingSettings]):
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
            yield from self.buttons()

    def build(self) -> WellbeingSettings:
        value = lambda name: self.query_one(f"#{name}", Input).value  # noqa: E731
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
        return edited
