"""The sitedash App: navigation (a mode per screen), global keys and the data signal.

Screens own their behaviour; the App only navigates, holds the store and the clock,
and tells screens when the data changed (ours or another process's writes). The work
clock and its reminders are `clockwork.WorkClock`, the palette's commands
`commands.SiteCommands`, keys are handed over one at a time by `ui.keys.KeyGate`, and
screens are built while the engineer is idle by `ui.warmup.BackgroundBuilder`.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import signal
from collections.abc import Callable, Iterable
from datetime import date, datetime
from functools import partial
from typing import TYPE_CHECKING, Any
from weakref import WeakSet

from textual import events
from textual.app import App, ScreenStackError, SystemCommand
from textual.binding import Binding
from textual.notifications import Notify
from textual.signal import Signal

from sitedash import keymap
from sitedash.clockwork import WorkClock
from sitedash.commands import SiteCommands
from sitedash.errors import EditConflict, InputError, StoreError
from sitedash.i18n import t
from sitedash.models import Engagement, Settings
from sitedash.paths import style
from sitedash.services import engagements as engagement_service
from sitedash.services import wellbeing
from sitedash.services.today import today_for
from sitedash.storage import Store, utc_now
from sitedash.textsafe import clean, clean_line
from sitedash.ui.keys import KeyGate
from sitedash.ui.warmup import BackgroundBuilder, CrashWithoutLocals, lazy_strip_caches
from sitedash.ui.wire import driver_for
from sitedash.widgets.header import SCREENS

if TYPE_CHECKING:
    from textual.driver import Driver
    from textual.screen import Screen

    from sitedash.modals.base import Drafting
    from sitedash.screens.base import SiteScreen
    from sitedash.storage.drafts import Draft

REMINDER_SECONDS = 30
"""How often reminders are checked; their thresholds are minutes apart."""
FIRST_REMINDER_CHECK = 2.0
"""Seconds after start-up for the first reminder check."""
PREWARM_START = 0.6
"""Seconds after start-up before building other screens: the first screen settles first."""
PREWARM_CHECK = 0.1
"""How often the app looks for an idle moment to build the next screen."""
PREWARM_IDLE = 0.3
"""Seconds without a key press that count as idle."""
PREWARM_READ_AHEAD = 0.02
"""Seconds of reading files ahead per idle step (a key waits for one step at most)."""
RESTART = "restart"
"""Returned by `run()` when the app should start again (the language changed)."""


def _today_screen() -> Screen:
    # Screens are imported when first shown: start-up only pays for Today.
    from sitedash.screens.today import TodayScreen

    return TodayScreen()


def _issues_screen() -> Screen:
    from sitedash.screens.issues import IssuesScreen

    return IssuesScreen()


def _wellbeing_screen() -> Screen:
    from sitedash.screens.wellbeing import WellbeingScreen

    return WellbeingScreen()


def _training_screen() -> Screen:
    from sitedash.screens.training import TrainingScreen

    return TrainingScreen()


def _signoff_screen() -> Screen:
    from sitedash.screens.signoff import SignOffScreen

    return SignOffScreen()


def _engagement_screen() -> Screen:
    from sitedash.screens.engagement import EngagementScreen

    return EngagementScreen()


class SiteDash(CrashWithoutLocals):
    """The dashboard. Build it with `make_app`, which the CLI and the tests share."""

    TITLE = "sitedash"
    # All stylesheets up front: a screen bringing its own CSS_PATH makes Textual re-parse
    # every stylesheet and restyle every node of every screen on its first visit.
    CSS_PATH = [
        style(f"{name}.tcss")
        for name in ("app", "today", "issues", "training", "signoff", "wellbeing", "engagement")
    ]
    MODES = {
        "today": _today_screen,
        "issues": _issues_screen,
        "training": _training_screen,
        "signoff": _signoff_screen,
        "wellbeing": _wellbeing_screen,
        "engagement": _engagement_screen,
    }
    DEFAULT_MODE = "today"
    COMMANDS = App.COMMANDS | {SiteCommands}
    # Number keys are not priority bindings: a focused Input or TextArea gets the digit
    # as text ("2 servers"). No ctrl+h/j/k/l anywhere: tmux users navigate panes with them.
    BINDINGS = [
        Binding(
            "ctrl+p",
            "command_palette",
            "Palette",
            id="app.palette",
            show=False,
            priority=True,
            tooltip="Open the command palette",
        ),
        Binding("1", "go('today')", "Today", id="go.today", show=False),
        Binding("2", "go('issues')", "Issues", id="go.issues", show=False),
        Binding("3", "go('training')", "Training", id="go.training", show=False),
        Binding("4", "go('signoff')", "Sign-off", id="go.signoff", show=False),
        Binding("5", "go('wellbeing')", "Wellbeing", id="go.wellbeing", show=False),
        Binding("6", "go('engagement')", "Engagement", id="go.engagement", show=False),
        Binding("E", "engagements", "Engagements", id="engagements", show=False),
        Binding("r", "answer_reminder", "Reminder", id="reminder", show=False),
        Binding("question_mark,f1", "help", "Help", id="help", key_display="?"),
        Binding("ctrl+q", "quit", "Quit", id="quit", show=False, priority=True),
    ]

    def __init__(
        self,
        store: Store,
        *,
        clock: Callable[[], datetime] = utc_now,
        poll_seconds: float = 1.0,
        prewarm: bool = False,
    ) -> None:
        super().__init__()
        lazy_strip_caches()  # before the first line is drawn (ui/warmup.py)
        self.store = store
        self.clock = clock
        self.poll_seconds = poll_seconds
        self.settings: Settings = store.settings()
        self.engagement: Engagement | None = engagement_service.active_engagement(
            store, self.settings
        )
        self.key_gate = KeyGate(self, self._dispatch_input)
        """Keys and pastes go to the app one at a time, each where focus is then."""
        self.data_changed: Signal[str] = Signal(self, "data-changed")
        """Published after every write, ours ("app") or another process's ("outside")."""
        self._revision = store.revision()
        self.work_clock = WorkClock(self)
        """The work clock and its reminders (sitedash/clockwork.py)."""
        self.warmup = BackgroundBuilder(
            self,
            [mode for mode in SCREENS if mode != self.DEFAULT_MODE] if prewarm else [],
            read_ahead=store.read_issue_files_ahead() if prewarm else None,
            idle_seconds=PREWARM_IDLE,
            read_ahead_seconds=PREWARM_READ_AHEAD,
        )
        """Builds the screens not shown yet while the engineer is idle (ui/warmup.py)."""
        self._after_first_frame: list[Callable[[], object]] | None = []
        """Work held back until the first frame is on the terminal; None once it is."""
        self.open_forms: WeakSet[Drafting[Any]] = WeakSet()
        """Dialogs with typed text open now, in any screen stack (their drafts)."""
        self.site_screens: WeakSet[SiteScreen] = WeakSet()
        """Every top-level screen built so far (the stand-up editor keeps unsaved text)."""
        self.awaiting_save: dict[str, Draft] = {}
        """What forms just saved held, by draft key, until their write has gone through."""
        self.saved_with: dict[str, str] = {}
        """Restored drafts (a clash's) that a form just saved carried, by the form's key."""
        self.restoring: dict[str, Draft] = {}
        """Drafts the engineer chose to restore, by the key of the form they go in: that
        form fills in without asking."""
        self.keymap_applied: dict[str, str] = {}
        """The settings' keymap as last given to Textual (sitedash/keymap.py)."""
        keymap.apply(self)  # the engineer's keys, before the first screen shows its keys

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver for this terminal, writing only the style codes a frame needs
        (sitedash/ui/wire.py: a quarter to a third fewer bytes per screen over SSH)."""
        return driver_for(super().get_driver_class())

    # -- data ---------------------------------------------------------------------

    def key(self, binding_id: str) -> str:
        """The key of one of the app's bindings as the engineer has it (for hints)."""
        return keymap.key_label(self, binding_id, type(self))

    def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.set_interval(self.poll_seconds, self.poll_store)
        self.work_clock.changed.subscribe(self, self._work_clock_changed, immediate=True)
        self.set_interval(REMINDER_SECONDS, self.work_clock.check)
        # Not during start-up: the first check reads weeks of sessions, and nothing is
        # lost by looking a moment after the first screen is up.
        self.set_timer(FIRST_REMINDER_CHECK, self.work_clock.check)
        if not self.warmup.done:
            self._warmup_timer = self.set_interval(PREWARM_CHECK, self._warm_up, pause=True)
            self.set_timer(PREWARM_START, self._warmup_timer.resume)
        self._install_hangup_handlers()
        if self.engagement is None and not self.store.engagements():
            # First run: everything hangs off an engagement, so start by creating one
            # (before any key is handled: what is typed at once goes into the form).
            self.action_new_engagement()
        else:
            self.after_first_frame(self.offer_drafts)

    # -- what was typed and not saved --------------------------------------------------

    def _install_hangup_handlers(self) -> None:
        """A dropped SSH link (SIGHUP) or `kill` (SIGTERM) keeps every form's text as a
        draft, restores the terminal and ends with 129 or 143. Run from the event loop
        (asyncio's handlers), never in the middle of a write."""
        try:
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGHUP, signal.SIGTERM):
                loop.add_signal_handler(signum, self._hung_up, signum)
        except (RuntimeError, NotImplementedError, ValueError):  # not the main thread
            return

    def _hung_up(self, signum: int) -> None:
        self.keep_unsaved_now()
        self.call_later(self.end, 128 + signum)

    async def end(self, return_code: int = 0, result: str | None = None) -> None:
        """End the app once no screen is half built in the background (its teardown
        would crash the exit and lose the status a hang-up or a quit should give)."""
        mounting = self.warmup.stop()
        if mounting is not None:
            await mounting
        self.exit(result, return_code=return_code)

    def keep_unsaved_now(self) -> None:
        """Write every open form's draft and the stand-up editor's text at once."""
        for form in list(self.open_forms):
            form.keep_draft()
        for screen in list(self.site_screens):
            screen.keep_unsaved()

    async def action_quit(self) -> None:
        """ctrl+q: what is typed in an open form is kept as a draft, then the app ends."""
        self.keep_unsaved_now()
        await self.end()

    def offer_drafts(self) -> None:
        """At start: what a hang-up, a quit or a clash with another terminal left unsaved
        is offered back, in the form it came from."""
        try:
            kept = self.store.drafts.all()
        except StoreError as error:
            self.report_error(error)
            return
        if not kept:
            return
        from sitedash.modals.drafts import DraftOffer

        def chosen(answer: tuple[str, Draft] | None) -> None:
            if answer is None:
                return
            choice, draft = answer
            if choice == "discard":
                self.store.drafts.remove(draft.key)
                self.call_later(self.offer_drafts)
            elif choice == "restore":
                self.restore_draft(draft)

        self.push_screen(DraftOffer(kept), chosen)

    def restore_draft(self, draft: Draft) -> None:
        """Open the form a draft came from, filled with what was typed."""
        draft = form_of(draft)
        self.restoring[f"{draft.form}:{draft.subject}"] = draft
        if draft.form == "EngagementForm":
            self._edit_engagement(self.store.engagement(draft.subject))
            return
        if draft.form == "SettingsForm":
            self.action_settings()
            return
        if draft.mode:
            self.switch_mode(draft.mode)

        def reopen() -> None:
            from sitedash.screens.base import SiteScreen

            screen = self.screen
            if not (isinstance(screen, SiteScreen) and screen.reopen_draft(draft)):
                self.restoring.pop(f"{draft.form}:{draft.subject}", None)
                self.notify(
                    t(
                        "Open “{form}” again on this screen: it offers your text back.",
                        form=draft.label,
                    ),
                    markup=False,
                    timeout=10,
                )

        self.call_after_refresh(reopen)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown | events.Paste):
            self.warmup.input_seen()
        if isinstance(event, events.Paste):
            # A paste reaches the field as typed and is drawn from there: escape
            # sequences in it (ESC]52 writes the clipboard) must not get that far.
            event.text = clean(event.text)
        if isinstance(event, events.Key | events.Paste) and not event.is_forwarded:
            # One at a time: each waits until the one before it has been handled
            # (a form it opened has its first field focused, a Tab has moved focus).
            if self.key_gate.admit(event):
                await super().on_event(event)
                self.key_gate.dispatched()
            return
        await super().on_event(event)

    async def _dispatch_input(self, event: events.Key | events.Paste) -> None:
        """Hand a key or paste the gate held back to Textual, as if it arrived now."""
        await super().on_event(event)

    def after_first_frame(self, callback: Callable[[], object]) -> None:
        """Run `callback` once the first frame is on the terminal (soon, if it is).

        For start-up work the engineer does not need to see first (a scan of months of
        history): scheduled "after refresh" while the app starts, it ran before the
        first frame and delayed it.
        """
        if self._after_first_frame is None:
            self.call_later(callback)
        else:
            self._after_first_frame.append(callback)

    @property
    def starting(self) -> bool:
        """True until the first frame is on the terminal."""
        return self._after_first_frame is not None

    def on_ready(self) -> None:
        # Textual sends Ready once the first screen is laid out; its first frame goes to
        # the terminal with the refresh that follows.
        self.call_after_refresh(self._first_frame_drawn)

    def _first_frame_drawn(self) -> None:
        waiting, self._after_first_frame = self._after_first_frame or [], None
        for callback in waiting:
            self.call_later(callback)

    def _warm_up(self) -> None:
        self.warmup.step()
        if self.warmup.done:
            self._warmup_timer.stop()
            # The screens are built and the engineer is idle (a step runs only then):
            # the full collection that building them has brought due happens now,
            # not in the first key that allocates a little more (issue 23: it landed
            # in the first visit to Issues and in `v` on the 20,000-issue board).
            gc.collect()

    def poll_store(self) -> None:
        """Notice writes by other processes (`sitedash add` in another terminal)."""
        revision = self.store.revision()
        if revision != self._revision:
            self._revision = revision
            self._reload_context()
            self.data_changed.publish("outside")

    def wrote(self) -> None:
        """Screens call this after they write, so every screen shows the new state."""
        self._saved_forms()
        self._revision = self.store.revision()
        self._reload_context()
        self.data_changed.publish("app")

    def wrote_quietly(self) -> None:
        """A write of ours that changes nothing on screen (the reminder state): noted,
        so that the poll does not take it for another process's and reload everything."""
        self._saved_forms()
        self._revision = self.store.revision()

    def _saved_forms(self) -> None:
        """The write of a form just saved went through: its drafts are no longer needed."""
        for key in [*self.awaiting_save, *self.saved_with.values()]:
            self.store.drafts.remove(key)
        self.awaiting_save.clear()
        self.saved_with.clear()

    def on_notify(self, event: Notify) -> None:
        # Runs before Textual's own handler adds the new toast: one toast at a time, the
        # newest (issue 19: two reminders took 14 of 24 rows).
        self.clear_notifications()
        self.work_clock.toast_replaced(event.notification)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer_reminder":
            return bool(self.work_clock.pending())
        return True

    def _work_clock_changed(self, _kind: str) -> None:
        with contextlib.suppress(ScreenStackError):  # the app is closing
            self.refresh_bindings()  # `r` answers a reminder only when one is waiting

    def _remember_theme(self, theme: object) -> None:
        """A theme chosen in the palette (Textual's "Theme" command) is kept for next time."""
        if self.settings.theme != self.theme:
            settings = self.store.settings()
            settings.theme = self.theme
            self.attempt(partial(self.store.save_settings, settings))

    def action_toggle_dark(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def _reload_context(self) -> None:
        try:
            self.settings = self.store.settings()
            self.engagement = engagement_service.active_engagement(self.store, self.settings)
            keymap.apply(self)  # changed in Settings, or in the file by hand
        except StoreError as error:
            self.report_error(error)

    @property
    def clock_context(self) -> wellbeing.ClockContext:
        """The site's time zone and when its work day starts (dates of records and the
        work clock)."""
        return wellbeing.ClockContext(
            self.engagement, self.settings.day_starts_at, self.hours_key()
        )

    def hours_key(self) -> str:
        """The Hours view's key as the engineer has it, shown as the footer shows keys
        (without importing the Wellbeing screen: the work clock asks at start-up)."""
        return keymap.custom_key_label(self, "wellbeing.hours") or wellbeing.HOURS_KEY

    def action_answer_reminder(self) -> None:
        from sitedash.modals.reminder import ReminderDialog

        clock = self.work_clock
        waiting = clock.pending()
        if not waiting:
            from sitedash.screens.base import confirm

            confirm(self, t("No reminders waiting."))
            return

        def answered(result: tuple[wellbeing.Reminder, str] | None) -> None:
            if result is not None:
                clock.answer(*result)

        self.push_screen(ReminderDialog(waiting, self.settings.wellbeing.snooze_min), answered)

    @property
    def engineer(self) -> str:
        return engagement_service.engineer_name(self.settings)

    def today(self) -> date:
        """The work day at the active engagement's site, now."""
        return today_for(self.engagement, self.clock(), self.settings.day_starts_at)

    def report_error(self, error: Exception) -> None:
        """A user mistake or a storage problem: one line, never markup, never a crash.
        What a form just saved holds stays a draft when its write failed."""
        message = clean_line(str(error))
        if self.awaiting_save and not isinstance(error, EditConflict):
            # The write of a form just saved failed: open it again with what it held.
            message = t("{error}; the form is open again with what you typed", error=message)
            kept, self.awaiting_save = list(self.awaiting_save.values()), {}
            self.saved_with.clear()
            for draft in kept:
                self.restore_draft(draft)
        self.notify(message, severity="error", markup=False, timeout=8)

    def attempt(self, action: Callable[[], object]) -> bool:
        """Run a write; on a bad input or storage error say so and return False."""
        try:
            action()
        except EditConflict as conflict:
            # Written, merged with another terminal's edit; this side's clashing values
            # are kept as a draft. Say so, and show what is stored now.
            self.report_error(conflict)
            self.wrote()
            return True
        except (InputError, StoreError) as error:
            self.report_error(error)
            return False
        finally:
            for notice in self.store.take_notices():
                self.notify(clean_line(notice), severity="warning", markup=False, timeout=8)
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
        self,
        engagement: Engagement | None,
        draft: Engagement | None = None,
        error: str = "",
        engineer: str | None = None,
    ) -> None:
        from sitedash.modals.engagement import EngagementForm

        # The first run also asks for the engineer's name (issue 19.3), prefilled from
        # the OS account's full name.
        if engagement is None and not self.settings.engineer and engineer is None:
            engineer = clean_line(engagement_service.default_engineer_name())
        form = EngagementForm(
            draft or engagement, error=error, is_new=engagement is None, engineer=engineer
        )

        def save(result: Engagement | None) -> None:
            if result is None:
                return
            try:
                if engagement is None:
                    engagement_service.save_new_engagement(
                        self.store, result, engineer=form.engineer_name
                    )
                else:
                    self.store.save_engagement(engagement_service.check_engagement(result))
            except (InputError, StoreError) as problem:
                # Reopen the form with what was typed: nothing the user typed is lost.
                self._edit_engagement(engagement, result, str(problem), form.engineer_name)
                return
            self.wrote()

        self.push_screen(form, save)

    def action_settings(self) -> None:
        from sitedash.modals.settings import SettingsForm

        def save(result: Settings | None) -> None:
            if result is None:
                return
            language_changed = result.lang != self.settings.lang
            if self.attempt(partial(self.store.save_settings, result)) and language_changed:
                self.call_later(self.end, 0, RESTART)

        def check(keys: dict[str, str]) -> str:
            return keymap.problem_line(keys, type(self))

        self.push_screen(SettingsForm(self.settings, engineer=self.engineer, check=check), save)

    def action_export(self, kind: str) -> None:
        """Export a report into the data dir's reports/ folder and say where it went.

        Rendering a retrospective reads the whole history: it runs in a thread so the
        keyboard stays responsive.
        """
        if self.engagement is None:
            self.report_error(
                InputError(
                    t("no engagement yet: press {key} to create one", key=self.key("engagements"))
                )
            )
            return
        self.run_worker(
            partial(self._export, kind, self.engagement, self.today()),
            thread=True,
            group="export",
            exit_on_error=False,
        )

    def _export(self, kind: str, engagement: Engagement, day: date) -> None:
        from sitedash.reports.exports import export_to_dir, kind_label

        try:
            path = export_to_dir(
                self.store, kind, engagement, day, engineer=self.engineer, now=self.clock()
            )
        except (InputError, StoreError) as error:
            self.call_from_thread(self.report_error, error)
            return
        self.call_from_thread(
            self.notify,
            t("{report} written to {path}", report=kind_label(kind), path=str(path)),
            markup=False,
            timeout=10,
        )

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(
                CommandPalette(placeholder=t("Search for commands…"), id="--command-palette")
            )

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's own commands (Theme, Quit, Keys, ...) in the user's language; the
        dashboard's come from `SiteCommands` (sitedash/commands.py)."""
        from sitedash.i18n.textual_texts import textual_text

        for command in super().get_system_commands(screen):  # Theme, Quit, Keys, ...
            if command.title == "Keys":
                # Textual's key panel shows binding descriptions as declared (English);
                # the help screen lists the same keys in the user's language.
                command = SystemCommand(command.title, command.help, self.action_help)
            yield SystemCommand(
                textual_text(command.title),
                textual_text(command.help),
                command.callback,
                command.discover,
            )


CONFLICT_FORMS = {
    "plan": ("today", "PlanItemForm"),
    "issue": ("issues", "IssueForm"),
    "training": ("training", "SessionForm"),
    "trainee": ("training", "TraineeForm"),
    "deliverable": ("signoff", "ItemForm"),
    "change": ("signoff", "ChangeForm"),
    "feedback": ("signoff", "FeedbackForm"),
    "retro": ("signoff", "RetroForm"),
    "uat": ("signoff", "UatCaseForm"),
    "engagement": ("", "EngagementForm"),
    "settings": ("", "SettingsForm"),
    "contact": ("engagement", "ContactForm"),
    "check": ("engagement", "CheckForm"),
    "milestone": ("engagement", "MilestoneForm"),
    "risk": ("engagement", "RiskForm"),
}
"""Where the record of a draft kept in a clash with another terminal (its store key,
`issue:12`) is edited: the screen and the form, which then fills in the kept values."""


def form_of(draft: Draft) -> Draft:
    """A draft with the screen and form to reopen it in (a clash's draft has only the
    record's key; a form's own draft has them already)."""
    if draft.form:
        return draft
    kind, _, subject = draft.key.partition(":")
    mode, form = CONFLICT_FORMS.get(kind, ("", ""))
    from msgspec.structs import replace

    return replace(draft, mode=mode, form=form, subject=subject or "new")


def make_app(
    store: Store,
    *,
    clock: Callable[[], datetime] = utc_now,
    poll_seconds: float = 1.0,
    prewarm: bool = False,
) -> SiteDash:
    """Build the app; the CLI and the tests share this one factory. The dashboard
    builds its other screens while idle (`prewarm`); tests build them when shown."""
    return SiteDash(store, clock=clock, poll_seconds=poll_seconds, prewarm=prewarm)
