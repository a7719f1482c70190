"""The work clock and its reminders: one object with a signal of its own.

It clocks the engineer in and out, checks on the app's tick which reminders are due
(a break, a walk, a long day, too little sleep), shows each once per crossing without
ever taking the keyboard, and remembers what was answered across restarts. Whoever
shows the clock or the reminders (the navigation bar, the Wellbeing screen, the app's
`r` key) listens to `changed`.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from textual.app import ScreenStackError
from textual.content import Content
from textual.notifications import Notification, Notify
from textual.screen import ModalScreen
from textual.signal import Signal

from sitedash.i18n import t, tn
from sitedash.services import wellbeing
from sitedash.services.timeutil import InputError
from sitedash.services.today import format_minutes
from sitedash.storage import StoreError

if TYPE_CHECKING:
    from sitedash.app import SiteDash


REMINDER_TOAST_SECONDS = 10
"""How long a reminder's toast stays; it waits in the header's ⏰ count after that."""


class WorkClock:
    """The work clock and the reminders of one dashboard (see the module)."""

    def __init__(self, app: SiteDash) -> None:
        self.app = app
        self.state = wellbeing.ReminderState.from_doc(app.store.reminder_state())
        """What each reminder did: fired, snoozed until, dismissed (kept in the store)."""
        self.due: list[wellbeing.Reminder] = []
        """Reminders whose threshold has passed, answered or not (see `pending`)."""
        self.presenting = False
        """Presenting or in a meeting: reminders wait until this is switched off."""
        self.toast: Notification | None = None
        """The reminder's toast last shown."""
        self.status = Content("")
        """The navigation bar's summary as of the last check (`summary`)."""
        self.changed: Signal[str] = Signal(app, "work-clock-changed")
        """Published after each check of the reminders ("tick"): what the clock and the
        reminders show may have moved (hours worked, a reminder due or answered)."""

    # -- reminders ----------------------------------------------------------------

    def pending(self) -> list[wellbeing.Reminder]:
        """Reminders due and not answered: what `r` offers."""
        return wellbeing.pending(self.due, self.state)

    def held(self) -> bool:
        """Presenting, or a training session running now: never interrupt the customer."""
        if self.presenting:
            return True
        from sitedash.services.training import in_progress

        app = self.app
        try:
            return in_progress(app.store, app.engagement, app.clock())
        except StoreError:
            return False

    def check(self) -> None:
        """Fire due reminders as notifications: once per crossing, never taking focus."""
        app = self.app
        if app.return_code is not None:  # ending: nothing to remind of, no screen to show
            return
        now = app.clock()
        context = app.clock_context
        try:
            sessions = wellbeing.recent_sessions(app.store, now)
            health = [app.store.health(context.day_of(now))]
        except StoreError as error:
            app.report_error(error)
            return
        self.due = wellbeing.due_reminders(
            sessions,
            health,
            app.settings.wellbeing,
            now,
            context.site,
            app.settings.day_starts_at,
            app.engagement,
        )
        before = self.state.to_doc()
        self.state.prune(context.day_of(now), now)
        self._show_due(now)
        if self.state.to_doc() != before:
            self._save_state()
        self.status = self.summary()  # once for every navigation bar
        self.changed.publish("tick")

    def dialog_opened(self) -> None:
        """A form or dialog opened (or another screen was shown): a reminder's toast
        still up would cover it, so it goes; the reminder stays in the ⏰ count."""
        if self.toast is not None and not self.toast.has_expired:
            self.app.clear_notifications()
        self.toast = None

    def toast_replaced(self, notification: Notification) -> None:
        """A new toast replaced the one shown (one at a time): when it is not the
        reminder's, a dialog opening must not clear it (an error saying a save failed)."""
        if notification is not self.toast:
            self.toast = None

    def dialog_closed(self) -> None:
        """A form or dialog closed: show a reminder that waited for it (from what the last
        check found due, without reading the weeks of sessions again)."""
        before = self.state.to_doc()
        self._show_due(self.app.clock())
        if self.state.to_doc() != before:
            self._save_state()

    def _show_due(self, now: datetime) -> None:
        """Show what is due and not shown yet as one toast of at most three lines.

        Never over a form or dialog: what is due waits in the header's ⏰ count and is
        shown when it closes. Several due at once are one toast and the count (a
        toast each covered half the screen), and a reminder is shown once per crossing.
        """
        app = self.app
        settings = app.settings.wellbeing
        try:
            if isinstance(app.screen, ModalScreen):
                return
        except ScreenStackError:  # the app is closing: a check queued before still runs
            return
        try:
            quiet = wellbeing.in_quiet_hours(now, app.clock_context.site, settings.quiet_hours)
        except InputError:
            quiet = False
        firing = wellbeing.to_fire(self.due, self.state, now, quiet=quiet, held=self.held())
        if not firing:
            return
        others = len(self.pending()) - 1
        key = app.key("reminder")
        hint = (
            tn(
                others,
                "{key} answers it · {n} more waits",
                "{key} answers it · {n} more wait",
                key=key,
            )
            if others > 0
            else t("{key} answers it", key=key)
        )
        # As App.notify does, keeping the notification: a dialog opening hides it.
        self.toast = Notification(
            f"⏰ {firing[0].message} ({hint})",
            severity="warning",
            timeout=REMINDER_TOAST_SECONDS,
            markup=False,
        )
        app.post_message(Notify(self.toast))
        if settings.bell:
            app.bell()
        wellbeing.mark_fired(self.state, firing, now)

    def answer(self, reminder: wellbeing.Reminder, answer: str) -> None:
        """The engineer answered `reminder`: later (snooze), not today (dismiss), or
        already did (done: a break or walk taken off the clock is credited)."""
        app = self.app
        now = app.clock()
        if answer == "snooze":
            wellbeing.snooze(self.state, reminder, now, app.settings.wellbeing.snooze_min)
        else:
            wellbeing.dismiss(self.state, reminder)
        if answer == "done" and reminder.kind in ("break", "walk"):
            settings = app.settings.wellbeing
            app.attempt(
                partial(
                    wellbeing.credit_break,
                    app.store,
                    app.clock_context,
                    settings.break_min if reminder.kind == "break" else settings.walk_min,
                    wellbeing.SessionKind.BREAK
                    if reminder.kind == "break"
                    else wellbeing.SessionKind.WALK,
                )
            )
        self._save_state()
        self.check()
        app.data_changed.publish("app")

    def _save_state(self) -> None:
        try:
            self.app.store.save_reminder_state(self.state.to_doc())
        except StoreError as error:
            self.app.report_error(error)
            return
        # Our own write: without this the poll would take it for another process's
        # and reload every screen.
        self.app.wrote_quietly()

    # -- the clock ------------------------------------------------------------------

    def summary(self) -> Content:
        """`▶ 2h15m · ⏰ break due` for the navigation bar."""
        app = self.app
        now = app.clock()
        try:
            sessions = wellbeing.recent_sessions(app.store, now, days=3)
        except StoreError:
            return Content("")
        current = wellbeing.open_session(sessions)
        worked = wellbeing.minutes_on(sessions, app.clock_context.day_of(now), now)
        parts: list[tuple[str, str] | str] = []
        if current is None:
            parts.append((t("off the clock"), "dim"))
        else:
            glyph = "▶" if current.kind is wellbeing.SessionKind.WORK else "☕"
            parts.append((f"{glyph} {format_minutes(int(worked)) or '0m'}", "bold"))
        if self.presenting:
            parts.append(("  " + t("presenting"), "bold magenta"))
        waiting = self.pending()
        if waiting:
            parts.append((f"  ⏰{len(waiting)} r", "bold yellow"))  # r answers; help says so
        return Content.assemble(*parts)

    def actions(self) -> list[str]:
        """The clock actions that make sense now: no clocking in while working, no
        clocking out or pausing while off the clock."""
        app = self.app
        try:
            current = wellbeing.open_session(wellbeing.recent_sessions(app.store, app.clock()))
        except StoreError:
            return []
        if current is None:
            return ["in"]
        if current.kind is wellbeing.SessionKind.WORK:
            return ["out", "break", "walk"]
        return ["in", "out"]

    def act(self, action: str) -> None:
        """Clock in, out, take a break or a walk, now (keys on Wellbeing, and the palette).
        Without an engagement the clock runs in this machine's time zone."""
        app = self.app
        if app.attempt(partial(wellbeing.clock, app.store, app.clock_context, action)):
            self.check()

    def toggle_presenting(self) -> None:
        self.presenting = not self.presenting
        from sitedash import keymap
        from sitedash.screens.base import confirm
        from sitedash.screens.wellbeing import WellbeingScreen

        key = keymap.key_label(self.app, "wellbeing.presenting", WellbeingScreen)
        confirm(
            self.app,
            t("Presenting: reminders wait until you switch this off ({key}).", key=key)
            if self.presenting
            else t("Reminders are back on."),
        )
        self.app.data_changed.publish("app")
        if not self.presenting:
            self.check()
