"""The sitedash App: modes (one per screen), global keys, the palette and data signals.

Screens own their behaviour; the App only navigates, holds the store and the clock,
and tells screens when the data changed (ours or another process's writes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from functools import partial
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.signal import Signal

from sitedash.i18n import t
from sitedash.models import Engagement, Settings
from sitedash.paths import style
from sitedash.services import engagements as engagement_service
from sitedash.services.timeutil import InputError
from sitedash.services.today import today_for
from sitedash.storage import Store, StoreError, utc_now
from sitedash.widgets.header import SCREENS, screen_label
from sitedash.widgets.safe import translate_bindings

if TYPE_CHECKING:
    from textual.screen import Screen

RESTART = "restart"
"""Returned by `run()` when the app should start again (the language changed)."""


def _today_screen() -> Screen:
    # Screens are imported when first shown: start-up only pays for Today.
    from sitedash.screens.today import TodayScreen

    return TodayScreen()


def _issues_screen() -> Screen:
    from sitedash.screens.issues import IssuesScreen

    return IssuesScreen()


def _not_built(mode: str) -> Callable[[], Screen]:
    def build() -> Screen:
        from sitedash.screens.placeholder import NotBuiltScreen

        return NotBuiltScreen(mode)

    return build


class SiteDash(App[str | None]):
    """The dashboard. Build it with `make_app`, which the CLI and the tests share."""

    TITLE = "sitedash"
    CSS_PATH = [style("app.tcss")]
    MODES = {
        "today": _today_screen,
        "issues": _issues_screen,
        "training": _not_built("training"),
        "signoff": _not_built("signoff"),
        "wellbeing": _not_built("wellbeing"),
    }
    DEFAULT_MODE = "today"
    # Number keys are not priority bindings: a focused Input or TextArea gets the digit
    # as text ("2 servers"). No ctrl+h/j/k/l anywhere: tmux users navigate panes with them.
    BINDINGS = [
        Binding("1", "go('today')", "Today", id="go.today", show=False),
        Binding("2", "go('issues')", "Issues", id="go.issues", show=False),
        Binding("3", "go('training')", "Training", id="go.training", show=False),
        Binding("4", "go('signoff')", "Sign-off", id="go.signoff", show=False),
        Binding("5", "go('wellbeing')", "Wellbeing", id="go.wellbeing", show=False),
        Binding("E", "engagements", "Engagements", id="engagements"),
        Binding("question_mark,f1", "help", "Help", id="help", key_display="?"),
        Binding("ctrl+q", "quit", "Quit", id="quit", show=False, priority=True),
    ]

    def __init__(
        self, store: Store, *, clock: Callable[[], datetime] = utc_now, poll_seconds: float = 1.0
    ) -> None:
        super().__init__()
        translate_bindings(self)
        self.store = store
        self.clock = clock
        self.poll_seconds = poll_seconds
        self.settings: Settings = store.settings()
        self.engagement: Engagement | None = engagement_service.active_engagement(
            store, self.settings
        )
        self.data_changed: Signal[str] = Signal(self, "data-changed")
        """Published after every write, ours ("app") or another process's ("outside")."""
        self._revision = store.revision()

    # -- data ---------------------------------------------------------------------

    def on_mount(self) -> None:
        self.set_interval(self.poll_seconds, self.poll_store)
        if self.engagement is None and not self.store.engagements():
            # First run: everything hangs off an engagement, so start by creating one.
            self.call_after_refresh(self.action_new_engagement)

    def poll_store(self) -> None:
        """Notice writes by other processes (`sitedash add` in another terminal)."""
        revision = self.store.revision()
        if revision != self._revision:
            self._revision = revision
            self._reload_context()
            self.data_changed.publish("outside")

    def wrote(self) -> None:
        """Screens call this after they write, so every screen shows the new state."""
        self._revision = self.store.revision()
        self._reload_context()
        self.data_changed.publish("app")

    def _reload_context(self) -> None:
        try:
            self.settings = self.store.settings()
            self.engagement = engagement_service.active_engagement(self.store, self.settings)
        except StoreError as error:
            self.report_error(error)

    @property
    def engineer(self) -> str:
        return engagement_service.engineer_name(self.settings)

    def today(self) -> date:
        """The work day at the active engagement's site, now."""
        return today_for(self.engagement, self.clock(), self.settings.day_starts_at)

    def report_error(self, error: Exception) -> None:
        """A user mistake or a storage problem: one line, never markup, never a crash."""
        self.notify(str(error), severity="error", markup=False, timeout=8)

    def attempt(self, action: Callable[[], object]) -> bool:
        """Run a write; on a bad input or storage error say so and return False."""
        try:
            action()
        except (InputError, StoreError) as error:
            self.report_error(error)
            return False
        self.wrote()
        return True

    # -- navigation and global actions ----------------------------------------

    def action_go(self, mode: str) -> None:
        self.switch_mode(mode)

    def action_help(self) -> None:
        from sitedash.modals.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_engagements(self) -> None:
        from sitedash.modals.engagement import EngagementPicker

        def chosen(choice: str | None) -> None:
            if choice == EngagementPicker.NEW:
                self.action_new_engagement()
            elif choice:
                self.attempt(partial(engagement_service.switch_engagement, self.store, choice))

        self.push_screen(EngagementPicker(self.store.engagements(), self.engagement), chosen)

    def action_new_engagement(self) -> None:
        self._edit_engagement(None)

    def action_edit_engagement(self) -> None:
        if self.engagement is None:
            self.action_new_engagement()
        else:
            self._edit_engagement(self.engagement)

    def _edit_engagement(
        self, engagement: Engagement | None, draft: Engagement | None = None, error: str = ""
    ) -> None:
        from sitedash.modals.engagement import EngagementForm

        def save(result: Engagement | None) -> None:
            if result is None:
                return
            try:
                if engagement is None:
                    engagement_service.save_new_engagement(self.store, result)
                else:
                    self.store.save_engagement(engagement_service.check_engagement(result))
            except (InputError, StoreError) as problem:
                # Reopen the form with what was typed: nothing the user typed is lost.
                self._edit_engagement(engagement, result, str(problem))
                return
            self.wrote()

        self.push_screen(
            EngagementForm(draft or engagement, error=error, is_new=engagement is None), save
        )

    def action_settings(self) -> None:
        from sitedash.modals.settings import SettingsForm

        def save(result: Settings | None) -> None:
            if result is None:
                return
            language_changed = result.lang != self.settings.lang
            if self.attempt(partial(self.store.save_settings, result)) and language_changed:
                self.exit(RESTART)

        self.push_screen(SettingsForm(self.settings, engineer=self.engineer), save)

    def action_export_daily(self) -> None:
        from sitedash.services.exports import export_to_dir

        if self.engagement is None:
            self.report_error(InputError(t("no engagement yet: press E to create one")))
            return
        try:
            path = export_to_dir(
                self.store,
                "daily",
                self.engagement,
                self.today(),
                engineer=self.engineer,
                now=self.clock(),
            )
        except (InputError, StoreError) as error:
            self.report_error(error)
            return
        self.notify(t("Daily report written to {path}", path=str(path)), markup=False, timeout=10)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for number, mode in enumerate(SCREENS, 1):
            yield SystemCommand(
                t("Go to {screen}", screen=screen_label(mode)),
                t("Show the {screen} screen (key {key})", screen=screen_label(mode), key=number),
                partial(self.action_go, mode),
            )
        yield SystemCommand(
            t("Switch engagement"),
            t("Choose the engagement to work on (E)"),
            self.action_engagements,
        )
        yield SystemCommand(
            t("New engagement"),
            t("Create an engagement: customer, site, time zones"),
            self.action_new_engagement,
        )
        if self.engagement is not None:
            yield SystemCommand(
                t("Edit engagement"),
                t("Contacts, dates, time zones, checklist"),
                self.action_edit_engagement,
            )
            yield SystemCommand(
                t("Export daily report"),
                t("Write today's daily report as Markdown"),
                self.action_export_daily,
            )
        yield SystemCommand(
            t("Settings"), t("Your name, language, when the work day starts"), self.action_settings
        )
        yield SystemCommand(t("Help"), t("Keys of this screen (?)"), self.action_help)


def make_app(
    store: Store, *, clock: Callable[[], datetime] = utc_now, poll_seconds: float = 1.0
) -> SiteDash:
    """Build the app; the CLI and the tests share this one factory."""
    return SiteDash(store, clock=clock, poll_seconds=poll_seconds)
