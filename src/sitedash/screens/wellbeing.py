"""Wellbeing (健康与工时): the work clock, this week's hours, sleep, rotation, reminders,
and the Hours view, where a day's sessions are listed and corrected."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from textual import on
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import ContentSwitcher, DataTable, Static

from sitedash.errors import StoreError
from sitedash.i18n import t, tn, weekday_name
from sitedash.models import DayHealth, SessionKind, WellbeingSettings, WorkSession
from sitedash.screens.base import SiteScreen
from sitedash.services import wellbeing
from sitedash.services.engagements import days_on_site
from sitedash.services.timeutil import InputError
from sitedash.services.today import format_minutes
from sitedash.widgets.safe import t_literal
from sitedash.widgets.session_table import SessionTable

if TYPE_CHECKING:
    from sitedash.modals.session import SessionDraft

BAR_CELLS = 24
"""Width of a 12-hour bar in the week chart."""
DAY = Binding.Group("Day", compact=True)
"""`[]` previous/next day share one footer label."""
CLOCK_VIEW, HOURS_VIEW = "clock-view", "hours-view"
HOURS_ONLY = {"add", "edit", "delete", "shift_day", "go_today", "clock_view"}
"""Keys of the Hours view (a day's sessions)."""
CLOCK_ONLY = {"presenting", "sleep", "energy", "settings", "hours_view"}
"""Keys of the clock view (charts, sleep, reminders); the footer has room for one view's."""


def bar(minutes: float, limit_min: int) -> Content:
    """A horizontal bar of block characters; past the long-day limit it turns red."""
    eighths = round(min(minutes, 12 * 60) / (12 * 60) * BAR_CELLS * 8)
    full, rest = divmod(eighths, 8)
    text = "█" * full + (" ▏▎▍▌▋▊▉"[rest] if rest else "")
    style = "bold red" if minutes >= limit_min else "green"
    return Content.styled(text.ljust(BAR_CELLS + 1), style)


class WellbeingScreen(SiteScreen):
    """Hours are counted only while clocked in; reminders never take the keyboard."""

    MODE = "wellbeing"
    LIVE = True
    BINDINGS = [
        Binding("i", "clock('in')", "Clock in", id="wellbeing.in"),
        Binding("o", "clock('out')", "Clock out", id="wellbeing.out"),
        Binding("b", "clock('break')", "Break", id="wellbeing.break"),
        Binding("w", "clock('walk')", "Walk", id="wellbeing.walk", show=False),
        Binding("p", "presenting", "Presenting", id="wellbeing.presenting"),
        Binding("s", "sleep", "Sleep", id="wellbeing.sleep"),
        Binding("m", "energy", "Energy note", id="wellbeing.energy", show=False),
        Binding("S", "settings", "Reminder settings", id="wellbeing.settings", show=False),
        Binding("h", "hours_view", "Hours", id="wellbeing.hours"),
        Binding("a", "add", "Add", id="wellbeing.add"),
        Binding("e", "edit", "Edit", id="wellbeing.edit", show=False),
        Binding("x,delete", "delete", "Delete", id="wellbeing.delete", show=False),
        Binding(
            "left_square_bracket",
            "shift_day(-1)",
            "Prev day",
            id="wellbeing.prev",
            key_display="[",
            group=DAY,
        ),
        Binding(
            "right_square_bracket",
            "shift_day(1)",
            "Next day",
            id="wellbeing.next",
            key_display="]",
            group=DAY,
        ),
        Binding("t", "go_today", "Back to today", id="wellbeing.today", show=False),
        Binding("c,escape", "clock_view", "Clock", id="wellbeing.clock_view"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.day: date | None = None
        """The work day the Hours view shows; None follows today."""
        self.sessions: list[WorkSession] = []
        """The recorded sessions of that day, as shown."""

    def compose_body(self) -> Iterable[Widget]:
        yield Static(id="clock-line")
        yield Static(id="wellbeing-views")
        with ContentSwitcher(id="wellbeing-switcher", initial=CLOCK_VIEW):
            with Vertical(id=CLOCK_VIEW):
                with Horizontal(id="charts"):
                    yield Static(id="week-chart")
                    yield Static(id="sleep-chart")
                yield Static(id="today-line")
                yield Static(id="site-line")
                yield Static(id="reminder-line")
                yield Static(id="settings-line")
            # The Hours view is built when first shown: its table is most of what a
            # first visit of the screen would cost otherwise (about 15 ms of CPU).
            yield Vertical(id=HOURS_VIEW)

    def after_first_load(self) -> None:
        self._show_view(CLOCK_VIEW)

    @property
    def view(self) -> str:
        switcher = self.query(ContentSwitcher)  # asked while composing too
        return (switcher.first().current if switcher else None) or CLOCK_VIEW

    def shown_day(self) -> date:
        return self.day or self.app.clock_context.day_of(self.app.clock())

    def reload(self) -> None:
        app = self.app
        now = app.clock()
        context = app.clock_context
        today = context.day_of(now)
        day = self.shown_day()
        try:
            sessions = app.store.sessions_between(today - timedelta(days=35), today)
            sleep = app.store.health_between(today - timedelta(days=6), today)
            self.sessions = (
                wellbeing.day_sessions(app.store, day)
                if day != today
                else wellbeing.recorded(s for s in sessions if s.day == today)
            )
        except StoreError as error:
            app.report_error(error)
            return
        settings = app.settings.wellbeing
        self._show_clock(sessions, settings, now)
        self._show_week(sessions, settings, today, now)
        self._show_sleep(sleep, settings, today)
        self._show_today(sessions, sleep, settings, today, now)
        self._show_site(settings, today)
        self._show_reminders()
        self._show_settings(settings)
        self._show_hours(day, today, now, settings)
        self.refresh_bindings()

    def _show_clock(
        self, sessions: list[WorkSession], settings: WellbeingSettings, now: datetime
    ) -> None:
        current = wellbeing.open_session(sessions)
        site = self.app.clock_context.site
        if current is None:
            line = Content.assemble(
                (t("Off the clock."), "bold"),
                " ",
                t(
                    "Press {key} to clock in: only tracked time counts.",
                    key=self.key("wellbeing.in"),
                ),
            )
        else:
            since = current.start.astimezone(site).strftime("%H:%M")
            parts: list[str | tuple[str, str]] = [
                (f"▶ {wellbeing.kind_label(current.kind)}", "bold"),
                " " + t("since {time}", time=since),
            ]
            stretch = wellbeing.focus_stretch(sessions, now, settings.break_min)
            if stretch is not None:
                focus = int((now - stretch).total_seconds() // 60)
                left = settings.break_after_min - focus
                parts.append("  ·  " + t("focus {focus}", focus=format_minutes(focus) or "0m"))
                parts.append(
                    (
                        "  ·  "
                        + (
                            t("break in {left}", left=format_minutes(left))
                            if left > 0
                            else t("break due")
                        ),
                        "bold yellow" if left <= 0 else "",
                    )
                )
            line = Content.assemble(*parts)
        if self.app.work_clock.presenting:
            line = Content.assemble(
                line, ("  ·  " + t("presenting: reminders held"), "bold magenta")
            )
        self.query_one("#clock-line", Static).update(line)

    def _show_week(
        self, sessions: list[WorkSession], settings: WellbeingSettings, today: date, now: datetime
    ) -> None:
        monday = wellbeing.week_start(today)
        week = wellbeing.week_minutes(sessions, today, now)
        parts: list[Content | str | tuple[str, str]] = [(t("This week"), "bold"), "\n"]
        for offset, minutes in enumerate(week):
            day = monday + timedelta(days=offset)
            label = f"{weekday_name(day)} {day.day:>2} "
            parts.extend(
                [
                    (label, "bold" if day == today else "dim"),
                    bar(minutes, settings.long_day_min),
                    format_minutes(int(minutes)) or ("·" if day <= today else ""),
                    "\n",
                ]
            )
        parts.append(t("Total {total}", total=format_minutes(int(sum(week))) or "0m"))
        self.query_one("#week-chart", Static).update(Content.assemble(*parts))

    def _show_sleep(self, sleep: list[DayHealth], settings: WellbeingSettings, today: date) -> None:
        logged = {h.day: h.sleep_hours for h in sleep}
        parts: list[str | tuple[str, str]] = [(t("Sleep, last 7 nights"), "bold"), "\n"]
        for offset in range(6, -1, -1):
            day = today - timedelta(days=offset)
            hours = logged.get(day)
            label = f"{weekday_name(day)} {day.day:>2}  "
            if hours is None:
                parts.extend([(label, "dim"), ("-", "dim"), "\n"])
            elif hours < settings.min_sleep_hours:
                parts.extend(
                    [
                        label,
                        (
                            f"{hours:g} h  " + t("below {n} h", n=f"{settings.min_sleep_hours:g}"),
                            "bold red",
                        ),
                        "\n",
                    ]
                )
            else:
                parts.extend([label, f"{hours:g} h", "\n"])
        parts.append((t("s: log last night"), "dim"))
        self.query_one("#sleep-chart", Static).update(Content.assemble(*parts))

    def _show_today(
        self,
        sessions: list[WorkSession],
        health: list[DayHealth],
        settings: WellbeingSettings,
        today: date,
        now: datetime,
    ) -> None:
        breaks = [s for s in sessions if s.day == today and s.kind is SessionKind.BREAK]
        walked = wellbeing.minutes_on(sessions, today, now, SessionKind.WALK)
        energy = next((h.energy for h in health if h.day == today), "")
        parts: list[Content | str | tuple[str, str]] = [
            (t("Today"), "bold"),
            "  ",
            t(
                "breaks: {n} ({minutes})",
                n=len(breaks),
                minutes=format_minutes(sum(wellbeing.whole_minutes(b, now) for b in breaks))
                or "0m",
            ),
            "  ·  ",
            (
                t(
                    "walk {done} of {goal}",
                    done=format_minutes(int(walked)) or "0m",
                    goal=format_minutes(settings.walk_min),
                ),
                "green" if walked >= settings.walk_min else "",
            ),
        ]
        if energy:
            parts.extend(["  ·  ", t_literal("energy: {note}", note=energy)])
        self.query_one("#today-line", Static).update(Content.assemble(*parts))

    def _show_site(self, settings: WellbeingSettings, today: date) -> None:
        engagement = self.app.engagement
        days = days_on_site(engagement, today) if engagement else None
        if engagement is None or days is None:
            line = Content(
                t(
                    "Set the engagement's start date ({key}) to see days on site and "
                    "rotation dates.",
                    key=self.app.key("engagements"),
                )
            )
        else:
            rotations = [
                tn(
                    m,
                    "{months} month: {day}",
                    "{months} months: {day}",
                    months=m,
                    day=d.isoformat(),
                )
                for m, d in zip(
                    settings.rotation_months,
                    wellbeing.rotation_dates(engagement, settings),
                    strict=False,
                )
            ]
            line = Content.assemble(
                (t("On site"), "bold"),
                "  ",
                t(
                    "day {n} since {start}",
                    n=days,
                    start=engagement.start.isoformat() if engagement.start else "",
                ),
                "  ·  " + t("rotation at {dates}", dates=", ".join(rotations)),
            )
        self.query_one("#site-line", Static).update(line)

    def _show_reminders(self) -> None:
        waiting = self.app.work_clock.pending()
        if not waiting:
            line = Content.styled(t("No reminders waiting."), "dim")
        else:
            parts: list[str | tuple[str, str]] = [(t("Reminders"), "bold yellow"), " "]
            for reminder in waiting:
                # Headlines: three whole messages took four lines and pushed the
                # settings off an 80x24 screen (issue 19); `r` shows them in full.
                parts.append(f"⏰ {reminder.headline}  ")
            parts.append((t("({key} to answer)", key=self.app.key("reminder")), "dim"))
            line = Content.assemble(*parts)
        self.query_one("#reminder-line", Static).update(line)

    def _show_settings(self, settings: WellbeingSettings) -> None:
        self.query_one("#settings-line", Static).update(
            Content.styled(
                t(
                    "Break after {after} ({length}) · warn at {day} · sleep ≥ {sleep} h · "
                    "walk {walk} · quiet {quiet} · bell {bell}  (S to change)",
                    after=format_minutes(settings.break_after_min),
                    length=format_minutes(settings.break_min),
                    day=format_minutes(settings.long_day_min),
                    sleep=f"{settings.min_sleep_hours:g}",
                    walk=format_minutes(settings.walk_min),
                    quiet=settings.quiet_hours or t("none"),
                    bell=t("on") if settings.bell else t("off"),
                ),
                "dim",
            )
        )

    def _show_hours(
        self, day: date, today: date, now: datetime, settings: WellbeingSettings
    ) -> None:
        """The Hours view: the day's totals, then its sessions (once it is built)."""
        if not self.query(SessionTable):
            return
        when = (
            t("today")
            if day == today
            else t("yesterday")
            if day == today - timedelta(days=1)
            else ""
        )
        worked = wellbeing.worked_by_day(self.sessions, [day], now)[day]
        parts: list[str | tuple[str, str]] = [
            (f"{weekday_name(day)} {day.isoformat()}", "bold"),
            f" {when}" if when else "",
            "  ·  " + wellbeing.day_totals(self.sessions, day, now),
        ]
        over = worked - settings.regular_day_min
        if over > 0:
            parts.append(
                (
                    "  ·  "
                    + t(
                        "{over} over {regular}",
                        over=format_minutes(over),
                        regular=format_minutes(settings.regular_day_min),
                    ),
                    "bold yellow",
                )
            )
        self.query_one("#hours-day-bar", Static).update(Content.assemble(*parts))
        context = self.app.clock_context
        self.query_one(SessionTable).show(
            self.sessions, now, partial(wellbeing.site_of, context=context)
        )
        empty = self.query_one("#hours-empty", Static)
        empty.update(
            Content(
                t(
                    "No sessions on this day. Press {add} to add one, or {clock_in} to clock in.",
                    add=self.key("wellbeing.add"),
                    clock_in=self.key("wellbeing.in"),
                )
            )
            if not self.sessions
            else Content.styled(
                t("enter: edit · {delete}: delete", delete=self.key("wellbeing.delete"))
                + (
                    ""
                    if day == today
                    else " · " + t("{key}: today", key=self.key("wellbeing.today"))
                ),
                "dim",
            )
        )

    def _show_view(self, view: str) -> None:
        self.query_one(ContentSwitcher).current = view
        parts: list[tuple[str, str] | str] = []
        for name, label, key in ((CLOCK_VIEW, t("Clock"), "c"), (HOURS_VIEW, t("Hours"), "h")):
            parts += [(f" {label} ", "reverse bold" if name == view else "dim"), (key, "dim"), " "]
        self.query_one("#wellbeing-views", Static).update(Content.assemble(*parts))
        if view == HOURS_VIEW:
            # The view becomes visible on the next refresh; a hidden widget cannot take focus.
            self.call_after_refresh(self.query_one(SessionTable).focus)
        self.refresh_bindings()

    # -- actions --------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clock":
            return parameters[0] in self.app.work_clock.actions()
        if action in HOURS_ONLY and self.view != HOURS_VIEW:
            return False
        if action in CLOCK_ONLY and self.view != CLOCK_VIEW:
            return False
        if action in {"edit", "delete"}:
            return self.selected() is not None
        if action == "go_today":
            return self.day is not None
        return True

    async def action_hours_view(self) -> None:
        if not self.query(SessionTable):
            await self.query_one(f"#{HOURS_VIEW}").mount_all(
                [
                    Static(id="hours-day-bar"),
                    SessionTable(id="hours-sessions"),
                    Static(id="hours-empty"),
                ]
            )
            self.reload()
        self._show_view(HOURS_VIEW)

    def action_clock_view(self) -> None:
        self._show_view(CLOCK_VIEW)

    def action_shift_day(self, delta: int) -> None:
        day = self.shown_day() + timedelta(days=delta)
        self._go_to(day)

    def action_go_today(self) -> None:
        self._go_to(None)

    def _go_to(self, day: date | None) -> None:
        today = self.app.clock_context.day_of(self.app.clock())
        self.day = None if day == today else day
        self.reload()

    def selected(self) -> WorkSession | None:
        tables = self.query(SessionTable)  # asked while composing too
        session_id = tables.first().selected_id() if tables else None
        return next((s for s in self.sessions if s.id == session_id), None)

    # -- the work clock ---------------------------------------------------------------

    def action_clock(self, action: str, typed: str = "", error: str = "") -> None:
        """Ask when (enter alone: now), then clock by the rules the shell uses too."""
        from sitedash.modals.session import ClockTimeForm

        titles = {
            "in": (t("Clock in at (enter: now)"), t("Clock in")),
            "out": (t("Clock out at (enter: now)"), t("Clock out")),
            "break": (t("Break from (enter: now)"), t("Break")),
            "walk": (t("Walk from (enter: now)"), t("Walk")),
        }
        question, label = titles[action]
        app = self.app

        def answered(text: str | None) -> None:
            if text is not None:
                self._clock_at(action, text)

        app.push_screen(
            ClockTimeForm(
                question,
                label,
                typed,
                check=lambda text: wellbeing.parse_at(text, app.clock_context, app.clock()),
                error=error,
            ),
            answered,
        )

    def _clock_at(self, action: str, text: str) -> None:
        app = self.app
        context = app.clock_context
        try:
            at = wellbeing.parse_at(text, context, app.clock()) if text else None
            result = wellbeing.clock(app.store, context, action, at)
        except InputError as error:
            self.action_clock(action, text, str(error))  # refused: ask again, text kept
            return
        except StoreError as error:
            app.report_error(error)
            return
        app.wrote()
        app.work_clock.check()
        self.say(result.message)

    # -- sessions by hand ------------------------------------------------------------

    def action_add(self) -> None:
        from sitedash.modals.session import SessionDraft

        self._open_form(SessionDraft(SessionKind.WORK, "", "", ""), None)

    def action_edit(self) -> None:
        from sitedash.modals.session import SessionDraft

        session = self.selected()
        if session is None:
            return
        site = wellbeing.site_of(session, self.app.clock_context)
        start = wellbeing.form_time(session.start, site)
        end = wellbeing.form_time(session.end, site) if session.end else ""
        self._open_form(SessionDraft.of(session, start, end), session, shown=(start, end))

    @on(DataTable.RowSelected, "#hours-sessions")
    def _row_chosen(self) -> None:
        self.action_edit()

    def _open_form(
        self,
        draft: SessionDraft,
        session: WorkSession | None,
        error: str = "",
        shown: tuple[str, str] = ("", ""),
    ) -> None:
        """`shown`: the times the form opened with, for an edit. A time left as shown is
        kept as recorded (with its seconds), not read again from its minutes."""
        from sitedash.modals.session import SessionForm

        day = self.shown_day()
        heading = (
            t("New session on {day}", day=f"{weekday_name(day)} {day.isoformat()}")
            if session is None
            else t("Edit session of {day}", day=f"{weekday_name(day)} {day.isoformat()}")
        )

        def done(result: SessionDraft | None) -> None:
            if result is not None:
                self._save_draft(result, session, shown)

        self.app.push_screen(SessionForm(draft, heading=heading, error=error), done)

    def _save_draft(
        self, draft: SessionDraft, session: WorkSession | None, shown: tuple[str, str]
    ) -> None:
        app = self.app
        context = app.clock_context
        try:
            if session is None:
                saved = wellbeing.add_session(
                    app.store,
                    context,
                    self.shown_day(),
                    draft.kind,
                    draft.start,
                    draft.end,
                    draft.note,
                )
            else:
                saved = wellbeing.edit_session(
                    app.store,
                    context,
                    session,
                    kind=draft.kind,
                    start_text=None if draft.start == shown[0] else draft.start,
                    end_text=None if draft.end == shown[1] else draft.end,
                    note=draft.note,
                )
        except InputError as error:
            # Refused: the reason, and everything typed kept.
            self._open_form(draft, session, str(error), shown)
            return
        except StoreError as error:
            app.report_error(error)
            return
        app.wrote()
        app.work_clock.check()
        if saved.day != self.shown_day():
            self.say(t("Saved on {day}", day=saved.day.isoformat()))
        else:
            self.query_one(SessionTable).select_id(saved.id)

    def action_delete(self) -> None:
        session = self.selected()
        if session is None:
            return
        from sitedash.modals.confirm import ConfirmDialog

        description = wellbeing.describe(
            session, wellbeing.site_of(session, self.app.clock_context), session.day
        )

        def answered(yes: bool | None) -> None:
            if yes and self.app.attempt(partial(wellbeing.remove_session, self.app.store, session)):
                self.app.work_clock.check()

        self.app.push_screen(ConfirmDialog(t("Delete {session}?", session=description)), answered)

    # -- sleep, energy, presenting, settings ------------------------------------------

    def action_presenting(self) -> None:
        self.app.work_clock.toggle_presenting()

    def action_sleep(self) -> None:
        from sitedash.modals.prompt import PromptDialog

        today = self.app.clock_context.day_of(self.app.clock())

        def logged(value: str | None) -> None:
            if value:
                self.app.attempt(partial(wellbeing.log_sleep, self.app.store, today, value))

        current = self.app.store.health(today).sleep_hours
        self.app.push_screen(
            PromptDialog(
                t("Hours slept last night (an earlier night: YYYY-MM-DD 7.5)"),
                f"{current:g}" if current is not None else "",
                placeholder="7.5",
                check=lambda v: wellbeing.parse_sleep_entry(v, today),
            ),
            logged,
        )

    def action_energy(self) -> None:
        from sitedash.modals.prompt import PromptDialog

        today = self.app.clock_context.day_of(self.app.clock())

        def noted(value: str | None) -> None:
            if value is not None:
                self.app.attempt(partial(wellbeing.note_energy, self.app.store, today, value))

        self.app.push_screen(
            PromptDialog(
                t("Energy or mood today, in a few words"),
                self.app.store.health(today).energy,
                keep_draft=True,
            ),
            noted,
        )

    def action_settings(self) -> None:
        from sitedash.modals.wellbeing_settings import WellbeingSettingsForm

        def saved(result: WellbeingSettings | None) -> None:
            if result is None:
                return
            settings = self.app.settings
            settings.wellbeing = result
            if self.app.attempt(partial(self.app.store.save_settings, settings)):
                self.app.work_clock.check()

        self.app.push_screen(WellbeingSettingsForm(self.app.settings.wellbeing), saved)
