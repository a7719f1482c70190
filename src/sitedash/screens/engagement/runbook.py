"""The go-live runbook (上线与切换): the low-traffic window and the rollback criteria on a
line above, then the cutover steps, the rollback steps and the watch roster in one
table; planned times in site time with HQ time beside them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from sitedash import keymap
from sitedash.i18n import t, tn
from sitedash.models import Runbook, RunbookStep, StepPhase, StepState, Watch
from sitedash.screens.engagement.base import ContentPart, EngagementPart
from sitedash.services import runbook as plan
from sitedash.widgets.header import show
from sitedash.widgets.safe import cell, literal

if TYPE_CHECKING:
    from sitedash.models import Engagement
    from sitedash.storage import Store

Entry = RunbookStep | Watch
STATE_STYLE = {StepState.PLANNED: "", StepState.DONE: "green", StepState.FAILED: "bold red"}


class RunbookPart(EngagementPart[Entry]):
    """Cutover steps, rollback steps, then the watch roster."""

    TAB = "runbook-tab"
    BINDINGS = [
        Binding("space", "mark('done')", "Done", id="runbook.done"),
        Binding("x", "mark('failed')", "Failed", id="runbook.failed"),
        Binding("a,n", "new", "Add", id="runbook.new"),
        Binding("w", "new_watch", "Watch", id="runbook.watch"),
        Binding("g", "window", "Window", id="runbook.window", show=False),  # set once: help
        Binding("e", "edit", "Edit", id="runbook.edit", show=False),
        Binding("T", "template", "Add standard steps", id="runbook.template", show=False),
        Binding("delete", "delete", "Delete", id="runbook.delete", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.runbook = Runbook("")
        self.steps: list[RunbookStep] = []

    @classmethod
    def title(cls) -> str:
        return t("Runbook")

    def compose(self) -> Iterable[Widget]:
        yield Static(id="runbook-frame")
        yield from super().compose()

    def load(self, store: Store, engagement: Engagement) -> list[Entry]:
        self.runbook = store.runbook(engagement.id)
        self.steps = store.runbook_steps(engagement.id)
        watches: list[Entry] = list(store.watches(engagement.id))
        return [*self.steps, *watches]

    def refresh_records(
        self, store: Store, engagement: Engagement | None, today: date, now: datetime
    ) -> None:
        super().refresh_records(store, engagement, today, now)
        show(self.query_one("#runbook-frame", Static), self._frame())

    def _frame(self) -> Content:
        """ "Window Tue 22:00 – 06:00+1 · HQ 05:00 – 13:00 · Roll back if: …"."""
        engagement = self.engagement
        if engagement is None:
            return Content("")
        runbook = self.runbook
        parts: list[Content | str | tuple[str, str]] = []
        if runbook.window_start is not None:
            parts += [
                (t("Window"), "bold"),
                " ",
                _short_span(runbook, engagement),
            ]
        else:
            key = keymap.key_label(self.app, "runbook.window", type(self))
            parts.append((t("No window yet ({key})", key=key), "dim"))
        criteria = plan.criteria(runbook)
        if criteria:
            parts += [" · ", (t("Roll back if:"), "bold"), " ", literal("; ".join(criteria))]
        return Content.assemble(*parts)

    def columns(self, width: int) -> list[tuple[str, int]]:
        owners = (r.owner if isinstance(r, RunbookStep) else r.who for r in self.records)
        owner = self.fitted(t("Owner"), owners, 8, 14)
        return [
            ("#", 3),
            (t("Site"), 10),
            (t("HQ"), 7),
            (t("Step"), max(width - 45 - owner, 14)),
            (t("Owner"), owner),
            (t("State"), 9),
        ]

    def rows(self) -> Iterable[tuple[str, list[Text]]]:
        engagement = self.engagement
        if engagement is None:
            return
        for record in self.records:
            if isinstance(record, RunbookStep):
                yield record.id, self._step_row(record, engagement)
            else:
                yield record.id, self._watch_row(record, engagement)

    def _times(self, start: datetime | None, engagement: Engagement) -> list[Text]:
        if start is None:
            return [Text("-", style="dim"), Text("-", style="dim")]
        hq = plan.in_hq(start, engagement)
        return [Text(plan.day_clock(start)), Text(plan.clock(hq, start.date()), style="dim")]

    def _step_row(self, step: RunbookStep, engagement: Engagement) -> list[Text]:
        style = STATE_STYLE[step.state]
        state = plan.STATE_MARK[step.state]
        if step.at is not None:
            when = plan.site_wall(step.at, engagement)
            state += " " + plan.clock(when, step.start.date() if step.start else when.date())
        else:
            state += " " + plan.state_label(step.state)
        return [
            Text(
                plan.step_label(step, self.steps), style="bold red" if _rollback(step) else "bold"
            ),
            *self._times(step.start, engagement),
            cell(step.title, "dim" if step.state is StepState.DONE else ""),
            cell(step.owner),
            Text(state, style=style, no_wrap=True, overflow="ellipsis"),
        ]

    def _watch_row(self, watch: Watch, engagement: Engagement) -> list[Text]:
        until = ""
        if watch.end is not None:
            reference = watch.start.date() if watch.start else watch.end.date()
            until = "–" + plan.clock(watch.end, reference)
        return [
            Text("W", style="bold cyan"),
            *self._times(watch.start, engagement),
            cell(t("watch: {duty}", duty=watch.duty or "-"), "cyan"),
            cell(watch.who),
            Text(until, no_wrap=True, overflow="ellipsis"),
        ]

    def summary(self) -> list[ContentPart]:
        """The cutover's progress while go-live is ahead or under way."""
        runbook, engagement = self.runbook, self.engagement
        if engagement is None or runbook.window_start is None:
            return []
        last = (runbook.window_end or runbook.window_start).date()
        if self.today > last:
            return []
        done = plan.progress(self.steps)
        text = t(
            "Go-live {when}: {done}/{n} done",
            when=plan.day_clock(runbook.window_start),
            done=done.done,
            n=done.steps,
        )
        if done.failed:
            text += ", " + t("{n} failed", n=done.failed)
        return [(text, "bold red" if done.failed else "bold")]

    def detail(self, record: Entry) -> list[ContentPart]:
        engagement = self.engagement
        assert engagement is not None
        if isinstance(record, Watch):
            parts: list[ContentPart] = [
                literal(record.who, "bold"),
                " · ",
                plan.span(record.start, record.end),
                " · ",
                t("HQ {time}", time=plan.hq_span(record.start, record.end, engagement)),
            ]
            for value in (record.contact, record.duty):
                if value.strip():
                    parts += [" · ", literal(value)]
            return parts
        parts = [
            literal(record.title, "bold"),
            " · ",
            plan.phase_label(record.phase),
        ]
        if record.owner.strip():
            parts += [" · ", literal(record.owner)]
        if record.duration_min:
            parts += [" · ", t("takes {time}", time=plan.duration_label(record))]
        parts += [" · ", (plan.done_label(record, engagement), STATE_STYLE[record.state])]
        if record.note.strip():
            parts += [" · ", literal(record.note, "italic")]
        return parts

    def empty_hint(self) -> str:
        return t("g: window and rollback criteria · T: the standard steps · a: a step · w: a watch")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "mark":
            return isinstance(self.selected(), RunbookStep)
        return super().check_action(action, parameters)

    # -- actions ---------------------------------------------------------------------

    def action_mark(self, state: str) -> None:
        """space: done now (again: planned); x: failed now (again: planned)."""
        step = self.selected()
        if isinstance(step, RunbookStep):
            self.save(partial(plan.mark, self.app.store, step, StepState(state), self.app.clock()))

    def action_new(self) -> None:
        if self.no_engagement():
            return
        assert self.engagement is not None
        current = self.selected()
        phase = current.phase if isinstance(current, RunbookStep) else StepPhase.CUTOVER
        same = [s for s in self.steps if s.phase is phase]
        timed = [s for s in same if s.start is not None]
        start = None
        if timed:  # after the last timed step of its part
            last = timed[-1]
            assert last.start is not None
            start = last.start + timedelta(minutes=last.duration_min)
        elif phase is StepPhase.CUTOVER:
            start = self.runbook.window_start
        step = RunbookStep(
            "",
            self.engagement.id,
            phase=phase,
            start=start,
            position=plan.next_position(self.steps, phase),
        )
        self._open_step(step, is_new=True)

    def action_new_watch(self) -> None:
        if self.no_engagement():
            return
        assert self.engagement is not None
        self._open_watch(
            Watch("", self.engagement.id, start=self.runbook.window_start), is_new=True
        )

    def action_edit(self) -> None:
        record = self.selected()
        if isinstance(record, RunbookStep):
            self._open_step(record, is_new=False)
        elif isinstance(record, Watch):
            self._open_watch(record, is_new=False)

    def _open_step(self, step: RunbookStep, *, is_new: bool) -> None:
        from sitedash.modals.runbook import StepForm

        assert self.engagement is not None

        def saved(result: RunbookStep | None) -> None:
            if result is not None:
                self.save(partial(self.app.store.save_runbook_steps, [result]), select=result.id)

        form = StepForm(step, self.engagement, self.runbook, self.app.today(), is_new=is_new)
        self.app.push_screen(form, saved)

    def _open_watch(self, watch: Watch, *, is_new: bool) -> None:
        from sitedash.modals.runbook import WatchForm

        assert self.engagement is not None

        def saved(result: Watch | None) -> None:
            if result is not None:
                self.save(partial(self.app.store.save_watch, result), select=result.id)

        form = WatchForm(watch, self.engagement, self.runbook, self.app.today(), is_new=is_new)
        self.app.push_screen(form, saved)

    def action_window(self) -> None:
        from sitedash.modals.runbook import RunbookForm

        if self.no_engagement():
            return
        assert self.engagement is not None

        def saved(result: Runbook | None) -> None:
            if result is not None:
                self.save(partial(self.app.store.save_runbook, result))

        self.app.push_screen(RunbookForm(self.runbook, self.engagement, self.app.today()), saved)

    def action_template(self) -> None:
        if self.no_engagement():
            return
        assert self.engagement is not None
        engagement = self.engagement
        added: list[RunbookStep] = []
        if self.app.attempt(lambda: added.extend(plan.add_standard(self.app.store, engagement))):
            self.say(tn(len(added), "Added {n} standard step", "Added {n} standard steps"))

    def action_delete(self) -> None:
        record = self.selected()
        if isinstance(record, RunbookStep):
            self.confirm_delete(
                t("Delete the step “{title}”?", title=record.title),
                partial(self.app.store.delete_runbook_step, record),
            )
        elif isinstance(record, Watch):
            self.confirm_delete(
                t("Delete {who}'s watch shift?", who=record.who),
                partial(self.app.store.delete_watch, record),
            )


def _rollback(step: RunbookStep) -> bool:
    return step.phase is StepPhase.ROLLBACK


def _short_span(runbook: Runbook, engagement: Engagement) -> str:
    """ "Tue 22:00 – 06:00+1 · HQ 05:00+1 – 13:00+1" (HQ relative to the site's day)."""
    start, end = runbook.window_start, runbook.window_end
    assert start is not None
    site = plan.day_clock(start) + (f" – {plan.clock(end, start.date())}" if end else "")
    hq = plan.clock(plan.in_hq(start, engagement), start.date())
    if end is not None:
        hq += f" – {plan.clock(plan.in_hq(end, engagement), start.date())}"
    return f"{site} · " + t("HQ {time}", time=hq)
