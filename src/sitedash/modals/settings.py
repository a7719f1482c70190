"""The engineer's settings: name (on reports), language, when the work day starts, and
the keymap (binding id = keys)."""

from __future__ import annotations

import re
from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Select, Static, TextArea

from sitedash.errors import InputError
from sitedash.i18n import t
from sitedash.modals.base import FormDialog
from sitedash.models import Settings, replace
from sitedash.models.settings import check_keymap
from sitedash.services.timeutil import parse_hhmm
from sitedash.textsafe import clean_line

_KEYMAP_LINE = re.compile(r"^(?P<id>[^\s=:]+)\s*[=:]\s*(?P<keys>\S.*)$")


def parse_keymap(text: str) -> dict[str, str]:
    """The form's lines, `today.add = n` (or `today.add: n, ctrl+k`), as a keymap; a
    blank line or one starting with # is skipped."""
    keymap: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = _KEYMAP_LINE.match(line)
        if match is None:
            raise InputError(
                t("keymap line {n}: write a binding id, =, and its keys: today.add = n", n=number)
            )
        keymap[match["id"]] = ",".join(k.strip() for k in match["keys"].split(","))
    try:
        check_keymap(keymap)
    except ValueError as error:
        raise InputError(str(error)) from None
    return keymap


def keymap_text(keymap: dict[str, str]) -> str:
    """The keymap as the form shows it, one `id = keys` a line."""
    return "\n".join(f"{binding_id} = {keys}" for binding_id, keys in sorted(keymap.items()))


class SettingsForm(FormDialog[Settings]):
    """Your name (on reports), the language, when the work day starts, your keys.

    `check` says in one line what is wrong with a keymap ("" when nothing: ids no
    binding has, keys two bindings share, sitedash.keymap); a keymap with problems is
    refused with the text kept.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        engineer: str,
        check: Callable[[dict[str, str]], str] = lambda keymap: "",
    ) -> None:
        super().__init__()
        self.settings = settings
        self.engineer = engineer
        self.check = check

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
            yield Label(
                t("Keys: a binding id = its keys, one a line (? lists the ids)"), markup=False
            )
            yield TextArea(
                keymap_text(self.settings.keymap),
                id="keymap",
                classes="form-text",
                soft_wrap=False,
                placeholder="today.add = n",
            )
            yield from self.buttons()

    def build(self) -> Settings:
        keymap = parse_keymap(self.query_one("#keymap", TextArea).text)
        said = self.check(keymap)
        if said:  # refused here, with the text kept, rather than reported at every start
            raise InputError(said)
        return replace(
            self.settings,
            engineer=clean_line(self.value("engineer")),
            lang=str(self.query_one("#lang", Select).value or ""),
            day_starts_at=parse_hhmm(self.value("day_starts_at")).strftime("%H:%M"),
            keymap=keymap,
        )
