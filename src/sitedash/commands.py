"""The dashboard's commands in the palette (ctrl+p), as a Textual command `Provider`.

Only what makes sense now is offered, for the screen the palette was opened on: every
key of that screen that applies (so whoever forgets a key finds the action by name),
the screens, the work clock where its keys are not on screen, engagements, the
reports when there is an engagement to report on, theme, settings and help.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, NamedTuple, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from sitedash import keymap
from sitedash.i18n import t
from sitedash.reports.registry import REPORT_KINDS
from sitedash.widgets.header import SCREENS, screen_label
from sitedash.widgets.safe import binding_text

if TYPE_CHECKING:
    from textual.screen import Screen

    from sitedash.app import SiteDash


class Command(NamedTuple):
    """One palette entry."""

    title: str
    help: str
    callback: Callable[[], object]


class SiteCommands(Provider):
    """The dashboard's own palette commands (Textual's Theme, Quit, ... come from the
    app's `get_system_commands`)."""

    @property
    def dashboard(self) -> SiteDash:
        return cast("SiteDash", self.screen.app)

    def commands(self) -> Iterator[Command]:
        """Every command that applies now, in the order the palette lists them."""
        app = self.dashboard
        screen = self.screen
        listed = list(screen_commands(app, screen))
        yield from listed
        copy = t("Copy stand-up")
        if (
            getattr(screen, "MODE", "") == "today"
            and app.engagement is not None
            and all(c.title != copy for c in listed)
        ):
            # In the stand-up's notes `y` is text, so Textual leaves its key out above;
            # copying for chat stays a command there (issue 19).
            yield Command(
                copy,
                t(
                    "Key {key} on this screen",
                    key=keymap.key_label(app, "today.copy_standup", type(screen)),
                ),
                partial(app.run_action, "copy_standup", screen),
            )
        for number, mode in enumerate(SCREENS, 1):
            yield Command(
                t("Go to {screen}", screen=screen_label(mode)),
                t("Show the {screen} screen (key {key})", screen=screen_label(mode), key=number),
                partial(app.action_go, mode),
            )
        if getattr(screen, "MODE", "") != "wellbeing":  # there they are the screen's keys
            clock_commands = {
                "in": (t("Clock in"), t("Start or resume work on the work clock")),
                "out": (t("Clock out"), t("Stop the work clock for today")),
                "break": (t("Break"), t("Start a break on the work clock")),
                "walk": (t("Walk"), t("Start a walk on the work clock")),
            }
            clock = app.work_clock
            for action in clock.actions():
                title, help_text = clock_commands[action]
                yield Command(title, help_text, partial(clock.act, action))
            yield Command(
                t("Presenting"),
                t("Hold reminders back during a presentation or meeting (toggle)"),
                clock.toggle_presenting,
            )
        yield Command(
            t("Switch engagement"),
            t("Choose the engagement to work on ({key})", key=app.key("engagements")),
            app.action_engagements,
        )
        yield Command(
            t("New engagement"),
            t("Create an engagement: customer, site, time zones"),
            app.action_new_engagement,
        )
        if app.engagement is not None:
            yield Command(
                t("Edit engagement"),
                t("Customer, site, time zones, dates"),
                app.action_edit_engagement,
            )
            for kind in REPORT_KINDS:
                yield Command(kind.command(), kind.about(), partial(app.action_export, kind.name))
        yield Command(
            t("Light or dark theme"),
            t("Switch between a light and a dark theme (kept for next time)"),
            app.action_toggle_dark,
        )
        yield Command(
            t("Settings"),
            t("Your name, language, when the work day starts, your keys"),
            app.action_settings,
        )
        yield Command(
            t("Help"), t("Keys of this screen ({key})", key=app.key("help")), app.action_help
        )

    async def discover(self) -> Hits:
        for command in self.commands():
            yield DiscoveryHit(command.title, command.callback, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self.commands():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(command.title), command.callback, help=command.help
                )


def screen_commands(app: SiteDash, screen: Screen[object]) -> Iterator[Command]:
    """Every key of `screen` (the one below the palette) that applies now, as a command."""
    seen: set[str] = set()
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if (
            binding.id is None
            or not binding.description
            or active.node is app
            or not active.enabled
            or binding.action in seen
        ):
            continue
        seen.add(binding.action)
        yield Command(
            binding_text(binding),
            t("Key {key} on this screen", key=app.get_key_display(binding) or key),
            partial(app.run_action, binding.action, active.node),
        )
