"""Wellbeing (健康与工时): the work clock, this week's hours, sleep, rotation, reminders."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import partial

from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from sitedash.i18n import t, weekday_name
from sitedash.models import DayHealth, SessionKind, WellbeingSettings, WorkSession
from sitedash.screens.base import SiteScreen
from sitedash.services import wellbeing
from sitedash.services.engagements import days_on_site
from sitedash.services.today import format_minutes
from sitedash.storage import StoreError
from sitedash.widgets.safe import t_literal

BAR_CELLS = 24
"""Width of a 12-hour bar in the week chart."""


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
    ]

    def compose_body(self) -> Iterable[Widget]:
        yield Static(id="clock-line")
        with Horizontal(id="charts"):
            yield Static(id="week-chart")
            yield Static(id="sleep-chart")
        yield Static(id="today-line")
        yield Static(id="site-line")
        yield Static(id="reminder-line")
        yield Static(id="settings-line")

    def reload(self) -> None:
        app = self.app
        now = app.clock()
        context = app.clock_context
        today = context.day_of(now)
        try:
            sessions = app.store.sessions_between(today - timedelta(days=35), today)
            sleep = app.store.health_between(today - timedelta(days=6), today)
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

    def _show_clock(
        self, sessions: list[WorkSession], settings: WellbeingSettings, now: datetime
    ) -> None:
        current = wellbeing.open_session(sessions)
        site = self.app.clock_context.site
        if current is None:
            line = Content.assemble(
                (t("Off the clock."), "bold"),
                " ",
                t("Press i to clock in: only tracked time counts."),
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
                minutes=format_minutes(int(sum(b.minutes(now) for b in breaks))) or "0m",
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
                t("Set the engagement's start date (E) to see days on site and rotation dates.")
            )
        else:
            rotations = [
                t("{months} months: {day}", months=m, day=d.isoformat())
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
                parts.append(f"⏰ {reminder.message}  ")
            parts.append((t("(r to answer)"), "dim"))
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

    # -- actions --------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clock":
            return parameters[0] in self.app.work_clock.actions()
        return True

    def action_clock(self, action: str) -> None:
        self.app.work_clock.act(action)

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
                t("Energy or mood today, in a few words"), self.app.store.health(today).energy
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
