"""Today (今日计划): the day's plan, carry-over, and the stand-up panel."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import partial
from typing import TYPE_CHECKING

from textual import on
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import ContentSwitcher, DataTable, Static

from sitedash.errors import InputError, StoreError
from sitedash.i18n import t, tn, weekday_name
from sitedash.models import DayNote, PlanItem, PlanStatus, replace
from sitedash.screens.base import SiteScreen
from sitedash.services import today as plan
from sitedash.services.timeutil import parse_day
from sitedash.widgets.plan_table import PlanTable
from sitedash.widgets.safe import literal

if TYPE_CHECKING:
    # Dialogs are imported when first opened: start-up pays only for the plan.
    from textual.widgets import TextArea

    from sitedash.modals.plan_item import PlanDraft
    from sitedash.services.overview import Problem
    from sitedash.storage.drafts import Draft

DAY = Binding.Group("Day", compact=True)
"""`[]` previous/next day share one footer label."""
NOTE_SAVE_DELAY = 0.8
"""Seconds of quiet typing after which stand-up notes are saved ("saved as you go")."""


class TodayScreen(SiteScreen):
    """The day shown (today by default) with its plan and stand-up."""

    MODE = "today"
    BINDINGS = [
        Binding("a", "add", "Add", id="today.add"),
        Binding("space", "toggle_done", "Done", id="today.done"),
        Binding("s", "start", "Doing", id="today.doing", show=False),
        Binding("e", "edit", "Edit", id="today.edit", show=False),
        Binding("x", "drop", "Drop", id="today.drop", show=False),
        Binding("delete", "delete", "Delete", id="today.delete", show=False),
        Binding("K,shift+up", "move(-1)", "Move up", id="today.up", show=False),
        Binding("J,shift+down", "move(1)", "Move down", id="today.down", show=False),
        Binding("c", "carry_pick", "Carry over", id="today.carry"),
        Binding("C", "carry_all", "Carry all over", id="today.carry_all", show=False),
        Binding(
            "left_square_bracket",
            "shift_day(-1)",
            "Prev day",
            id="today.prev",
            key_display="[",
            group=DAY,
        ),
        Binding(
            "right_square_bracket",
            "shift_day(1)",
            "Next day",
            id="today.next",
            key_display="]",
            group=DAY,
        ),
        Binding("t", "go_today", "Back to today", id="today.today", show=False),
        Binding("g", "goto_day", "Go to date", id="today.goto", show=False),
        Binding("u", "standup", "Stand-up", id="today.standup"),
        Binding("p", "plan", "Plan", id="today.plan", show=False),
        # Shown beside the views (`_show_view`): the footer has no room left at 80x24.
        Binding("y", "copy_standup", "Copy stand-up", id="today.copy_standup", show=False),
        Binding("escape", "focus_plan", "Back to the plan", id="today.escape"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.day: date = date.min
        self.items: list[PlanItem] = []
        self.candidates: list[PlanItem] = []
        self.carried_away: set[str] = set()
        """Items of the day shown that were carried on to a later day."""
        self.note_base: DayNote | None = None
        self._pending_note: dict[str, str] = {}
        self._note_timer: Timer | None = None
        self._engagement_id: str | None = None

    def compose_body(self) -> Iterable[Widget]:
        yield Static(id="day-bar")
        yield Static(id="today-views")
        with ContentSwitcher(id="today-switcher", initial="plan-view"):
            with Vertical(id="plan-view"):
                yield PlanTable(id="plan")
                yield Static(id="plan-empty")
            # The stand-up panel is built when first shown: its three TextAreas (and the
            # import of TextArea itself) are a noticeable part of start-up.
            yield Vertical(id="standup-view")

    def before_first_load(self) -> None:
        self._scan_waits = False
        self.day = self.app.today()
        self._engagement_id = self.app.engagement.id if self.app.engagement else None

    def after_first_load(self) -> None:
        self._show_view("plan-view")
        self.query_one(PlanTable).focus()

    # -- loading ------------------------------------------------------------------

    @property
    def engagement_id(self) -> str | None:
        return self.app.engagement.id if self.app.engagement else None

    def reload(self) -> None:
        if self.engagement_id != self._engagement_id:  # switched engagement: back to today
            self._flush_note()
            self._engagement_id = self.engagement_id
            self.day = self.app.today()
        try:
            self._load()
        except StoreError as error:
            self.app.report_error(error)

    def _load(self) -> None:
        table = self.query_one(PlanTable)
        engagement = self.engagement_id
        if engagement is None:
            self.items, self.candidates, self.carried_away = [], [], set()
            table.show([], set())
            self._show_day_bar()
            self._show_empty(
                t("No engagement yet: press {key} to create one.", key=self.app.key("engagements"))
            )
            return
        store = self.app.store
        self.items = store.plan_items(self.day, engagement)
        if self.app.starting:
            # Start-up paints the plan first: finding unfinished work reads every month
            # of history, which can wait until the plan is on the terminal (also when a
            # write noticed meanwhile reloads the plan).
            candidates, continued = list[PlanItem](), set[str]()
            if not self._scan_waits:
                self._scan_waits = True
                self.app.after_first_frame(self.reload)
        else:
            candidates, continued = plan.carry_over_state(store, engagement, self.day)
        # Carrying into the past makes no sense; past days show what was carried away.
        self.candidates = candidates if self.day >= self.app.today() else []
        self.carried_away = {i.id for i in self.items if i.id in continued}
        table.show(self.items, continued)
        self._show_day_bar()
        if self.items:
            self._show_empty("")
        elif self.candidates:
            self._show_empty(
                tn(
                    len(self.candidates),
                    "Nothing planned yet. Press {add} to add an item, or {carry} to carry "
                    "over {n} unfinished item.",
                    "Nothing planned yet. Press {add} to add an item, or {carry} to carry "
                    "over {n} unfinished items.",
                    add=self.key("today.add"),
                    carry=self.key("today.carry"),
                )
            )
        else:
            self._show_empty(
                t(
                    "Nothing planned for this day. Press {add} to add an item.",
                    add=self.key("today.add"),
                )
            )
        self._load_standup()
        self.refresh_bindings()

    def _show_empty(self, message: str) -> None:
        hint = self.query_one("#plan-empty", Static)
        hint.update(Content(message))
        hint.display = bool(message)

    def _show_day_bar(self) -> None:
        today = self.app.today()
        when = (
            t("today")
            if self.day == today
            else t("yesterday")
            if self.day == today - timedelta(1)
            else t("tomorrow")
            if self.day == today + timedelta(1)
            else ""
        )
        done = sum(1 for i in self.items if i.status is PlanStatus.DONE)
        counted = [i for i in self.items if i.status is not PlanStatus.DROPPED]
        # An item carried on to a later day is that day's work now, not this day's.
        left = sum(
            i.estimate_min for i in counted if i.status.unfinished and i.id not in self.carried_away
        )
        parts: list[str | tuple[str, str] | Content] = [
            (f"{weekday_name(self.day)} {self.day.isoformat()}", "bold"),
            f" {when}" if when else "",
            "  ·  " + t("{done}/{total} done", done=done, total=len(counted)),
        ]
        if left:
            parts.append("  ·  " + t("{left} left", left=plan.format_minutes(left)))
        if self.candidates:
            n, carry = len(self.candidates), self.key("today.carry")
            parts.append(("  ·  " + t("{n} to carry over ({key})", n=n, key=carry), "bold"))
        self.query_one("#day-bar", Static).update(Content.assemble(*parts))

    def _load_standup(self) -> None:
        engagement = self.engagement_id
        if engagement is None or not self.query("#standup"):
            return  # built and filled when first shown
        standup = plan.standup(self.app.store, engagement, self.day)
        self.query_one("#standup-yesterday", Static).update(
            _bulleted(
                plan.progress_heading(standup),
                [i.title for i in standup.progress],
                t("nothing recorded as done"),
            )
        )
        self.query_one("#standup-today", Static).update(
            _bulleted(t("Today's plan"), [i.title for i in standup.plan], t("nothing planned yet"))
        )
        problems = self.query_one("#standup-problems", Static)
        problems.update(_problems(standup.problems))
        problems.display = bool(standup.problems)
        shown = self.note_base
        for field in plan.NOTE_FIELDS:
            area: TextArea = self.query_one(f"#{field}")  # type: ignore[assignment]
            if shown is not None and area.text != getattr(shown, field):
                # Typed a moment ago, its Changed event perhaps not handled yet: unsaved.
                self._pending_note[field] = area.text
            if field in self._pending_note:
                continue  # never overwrite unsaved text
            value = getattr(standup.note, field)
            if area.text != value:
                area.load_text(value)
        # A field with unsaved text keeps the base it was edited from, so that its save
        # merges what another terminal added since instead of overwriting it.
        kept = {f: getattr(shown, f) for f in self._pending_note} if shown else {}
        self.note_base = replace(standup.note, **kept)
        if self._pending_note and self._note_timer is None:
            self._schedule_note_save()

    # -- the plan -----------------------------------------------------------------

    def selected(self) -> PlanItem | None:
        item_id = self.query_one(PlanTable).selected_id()
        return next((i for i in self.items if i.id == item_id), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        needs_item = {"edit", "toggle_done", "start", "drop", "delete", "move"}
        if action in needs_item and not self.items:
            return False  # hidden: nothing to act on (help and footer stay short)
        if action == "focus_plan":  # in the footer only where it is the way back
            switcher = self.query(ContentSwitcher)  # asked while composing too
            return bool(switcher) and switcher.first().current == "standup-view"
        if action == "copy_standup":
            return self.engagement_id is not None
        return not (action in {"carry_pick", "carry_all"} and not self.candidates)

    def action_add(self) -> None:
        if self.engagement_id is None:
            self.app.action_new_engagement()
            return
        from sitedash.modals.plan_item import PlanDraft

        draft = PlanDraft("", plan.Category.SUPPORT, 0, self.day.isoformat(), PlanStatus.TODO, "")
        self._open_form(draft, None)

    def action_edit(self) -> None:
        item = self.selected()
        if item is not None:
            self.edit_item(item)

    def edit_item(self, item: PlanItem) -> None:
        from sitedash.modals.plan_item import PlanDraft

        self._open_form(PlanDraft.from_item(item), item)

    def _open_form(self, draft: PlanDraft, item: PlanItem | None, error: str = "") -> None:
        from sitedash.modals.plan_item import PlanItemForm

        heading = t("New plan item") if item is None else t("Edit plan item")

        def done(result: PlanDraft | None) -> None:
            if result is not None:
                self._save_draft(result, item)

        form = PlanItemForm(draft, heading=heading, error=error)
        form.subject = item.id if item is not None else "new"
        self.app.push_screen(form, done)

    def _save_draft(self, draft: PlanDraft, item: PlanItem | None) -> None:
        engagement = self.engagement_id
        assert engagement is not None
        day = parse_day(draft.day)
        try:
            if item is None:
                created = plan.add_item(
                    self.app.store,
                    engagement,
                    day,
                    draft.title,
                    category=draft.category,
                    estimate_min=draft.estimate_min,
                    note=draft.note,
                )
                if draft.status is not PlanStatus.TODO:
                    plan.set_status(self.app.store, created, draft.status)
                new_id = created.id
            else:
                old_day = item.day
                changed = replace(
                    item,
                    title=draft.title,
                    category=draft.category,
                    estimate_min=draft.estimate_min,
                    day=day,
                    status=draft.status,
                    note=draft.note,
                )
                self.app.store.move_plan_item(changed, old_day)
                new_id = item.id
        except (InputError, StoreError) as error:
            self._open_form(draft, item, str(error))  # keep what was typed
            return
        # A new item joins the end of the plan and the cursor stays where it was, so
        # that `space` marks the item the engineer was on (issue 19); an edited one
        # keeps the cursor.
        table = self.query_one(PlanTable)
        was_on = table.selected_id() if item is None else new_id
        self.app.wrote()
        if day == self.day:
            table.select_id(was_on or new_id)
        else:
            self.say(t("Saved on {day}", day=day.isoformat()))

    def _set_status(self, status: PlanStatus, *, toggle_to: PlanStatus = PlanStatus.TODO) -> None:
        item = self.selected()
        if item is None:
            return
        new_status = toggle_to if item.status is status else status
        self.app.attempt(partial(plan.set_status, self.app.store, item, new_status))

    def action_toggle_done(self) -> None:
        self._set_status(PlanStatus.DONE)

    def action_start(self) -> None:
        self._set_status(PlanStatus.DOING)

    def action_drop(self) -> None:
        self._set_status(PlanStatus.DROPPED)

    def action_delete(self) -> None:
        item = self.selected()
        if item is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.app.attempt(partial(self.app.store.delete_plan_item, item))

        from sitedash.modals.confirm import ConfirmDialog

        self.app.push_screen(ConfirmDialog(t("Delete “{title}”?", title=item.title)), answered)

    def action_move(self, delta: int) -> None:
        table = self.query_one(PlanTable)
        index = table.cursor_row
        item = self.selected()
        if item is None:
            return
        if self.app.attempt(partial(plan.move_item, self.app.store, self.items, index, delta)):
            table.select_id(item.id)

    @on(DataTable.RowSelected, "#plan")
    def _row_chosen(self) -> None:
        self.action_edit()

    # -- days and carry-over ------------------------------------------------------

    def _show_day(self, day: date) -> None:
        self._flush_note()
        self.day = day
        self.reload()

    def action_shift_day(self, delta: int) -> None:
        self._show_day(self.day + timedelta(days=delta))

    def action_go_today(self) -> None:
        self._show_day(self.app.today())

    def action_goto_day(self) -> None:
        from sitedash.modals.prompt import PromptDialog

        def typed_day(text: str) -> date:
            return parse_day(text, self.app.today(), forward=False)

        def chosen(value: str | None) -> None:
            if value:
                self._show_day(typed_day(value))

        self.app.push_screen(
            PromptDialog(
                t("Go to date"), self.day.isoformat(), placeholder="YYYY-MM-DD", check=typed_day
            ),
            chosen,
        )

    def action_carry_pick(self) -> None:
        if not self.candidates:
            return

        def chosen(ids: list[str] | None) -> None:
            if ids:
                self._carry([i for i in self.candidates if i.id in set(ids)])

        from sitedash.modals.carry_over import CarryOverDialog

        self.app.push_screen(CarryOverDialog(self.candidates), chosen)

    def action_carry_all(self) -> None:
        self._carry(list(self.candidates))

    def _carry(self, items: list[PlanItem]) -> None:
        result: list[PlanItem] = []

        def carry() -> None:
            result.extend(plan.carry_over(self.app.store, items, self.day))

        if self.app.attempt(carry):
            self.say(
                tn(
                    len(result),
                    "Carried over {n} item to {day}",
                    "Carried over {n} items to {day}",
                    day=self.day.isoformat(),
                )
            )

    # -- stand-up notes, saved as you go --------------------------------------------

    @property
    def view(self) -> str:
        """ "plan-view" or "standup-view"."""
        return self.query_one(ContentSwitcher).current or "plan-view"

    def _show_view(self, view: str) -> None:
        self.query_one(ContentSwitcher).current = view
        parts: list[tuple[str, str] | str] = []
        for name, label, key in (
            # In the stand-up `p` is typed into the notes: escape goes back.
            ("plan-view", t("Plan"), "esc" if view == "standup-view" else "p"),
            ("standup-view", t("Stand-up"), "u"),
        ):
            parts += [(f" {label} ", "reverse bold" if name == view else "dim"), (key, "dim"), " "]
        # In the notes `y` is text: escape first (the plan view copies the same stand-up).
        parts += [
            (f" {t('copy for chat')} ", "dim"),
            ("esc y" if view == "standup-view" else "y", "dim"),
        ]
        self.query_one("#today-views", Static).update(Content.assemble(*parts))

    def action_copy_standup(self) -> None:
        """The stand-up of the day shown as plain text for chat, on the clipboard: Textual
        sends it to the terminal as OSC 52, which reaches the local clipboard over SSH
        where the terminal allows it (issue 19)."""
        engagement = self.app.engagement
        if engagement is None:
            return
        self._flush_note()  # what was typed a moment ago is part of it
        try:
            standup = plan.standup(self.app.store, engagement.id, self.day)
        except StoreError as error:
            self.app.report_error(error)
            return
        self.app.copy_to_clipboard(plan.standup_text(standup, engagement))
        self.say(
            t("Copied the stand-up of {day}: paste it into the chat", day=self.day.isoformat())
        )

    async def action_standup(self) -> None:
        if not self.query("#standup"):
            from sitedash.widgets.standup import StandupPanel

            await self.query_one("#standup-view").mount(StandupPanel(id="standup"))
        self._show_view("standup-view")
        self._load_standup()
        self.query_one("#blockers").focus()

    def action_plan(self) -> None:
        self.action_focus_plan()

    def action_focus_plan(self) -> None:
        self._flush_note()
        self._show_view("plan-view")
        self.query_one(PlanTable).focus()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        # By name, not @on(TextArea.Changed): TextArea is imported only with the panel.
        field = event.text_area.id
        if field not in plan.NOTE_FIELDS or self.note_base is None:
            return
        if (
            event.text_area.text == getattr(self.note_base, field)
            and field not in self._pending_note
        ):
            return  # a load, not an edit
        self._pending_note[field] = event.text_area.text
        self._schedule_note_save()

    def _schedule_note_save(self) -> None:
        if self._note_timer is not None:
            self._note_timer.stop()
        self._note_timer = self.set_timer(NOTE_SAVE_DELAY, self._flush_note)

    def _flush_note(self) -> None:
        if self._note_timer is not None:
            self._note_timer.stop()
            self._note_timer = None
        if not self._pending_note or self.note_base is None:
            return
        edits, base = dict(self._pending_note), self.note_base
        try:
            stored, merged = plan.save_note_fields(self.app.store, base, edits)
        except (InputError, StoreError) as error:
            self.app.report_error(error)  # the text stays in the editor, unsaved and pending
            return
        self._pending_note.clear()
        self.note_base = stored
        if merged:
            # Show what was stored (ours and the other terminal's lines together), so
            # the editor again matches the note it was loaded from.
            for field in edits:
                area: TextArea = self.query_one(f"#{field}")  # type: ignore[assignment]
                if area.text != getattr(stored, field):
                    area.load_text(getattr(stored, field))
            self.say(t("Merged a note added from another terminal"))
        self.app.wrote()

    def keep_unsaved(self) -> None:
        """The stand-up's text is saved at once; when the disk refuses, kept as a draft."""
        self._flush_note()
        if not self._pending_note or self.note_base is None:
            return
        from sitedash.storage.drafts import Draft

        base = self.note_base
        try:
            self.app.store.drafts.put(
                Draft(
                    key=f"standup:{base.engagement}:{base.day.isoformat()}",
                    label=t("the stand-up of {day}", day=base.day.isoformat()),
                    saved_at=self.app.clock(),
                    values=dict(self._pending_note),
                    mode="today",
                    form="standup",
                    subject=base.day.isoformat(),
                )
            )
        except StoreError as error:
            self.app.report_error(error)

    def reopen_draft(self, draft: Draft) -> bool:
        if draft.form == "PlanItemForm":
            if draft.subject == "new":
                self.action_add()
                return True
            item = next((i for i in self.items if i.id == draft.subject), None)
            if item is None:
                return False
            self.edit_item(item)
            return True
        if draft.form == "standup":
            self.call_later(self._restore_standup, draft)
            return True
        return False

    async def _restore_standup(self, draft: Draft) -> None:
        """Put a kept stand-up back in its editor (it saves from there as typed)."""
        if draft.subject != self.day.isoformat():
            self.day = parse_day(draft.subject)
            self.reload()
        await self.action_standup()
        for field, text in draft.values.items():
            if field in plan.NOTE_FIELDS and isinstance(text, str):
                area: TextArea = self.query_one(f"#{field}")  # type: ignore[assignment]
                area.load_text(text)
                self._pending_note[field] = text
        self._schedule_note_save()
        self.app.store.drafts.remove(draft.key)

    def on_screen_suspend(self) -> None:
        self._flush_note()

    def on_unmount(self) -> None:
        self._flush_note()


PROBLEM_STYLE = {"late": "bold red", "at_risk": "bold yellow", "triggered": "bold red"}
"""Late milestones red, at-risk ones amber, risks due a look red (services.overview)."""


def _problems(problems: list[Problem]) -> Content:
    """The stand-up's problems that milestones and risks raise (Engagement screen)."""
    parts: list[Content | tuple[str, str] | str] = [(t("Raised by milestones and risks"), "bold")]
    parts.append("\n")
    for problem in problems:
        parts.extend(["  • ", literal(problem.text, PROBLEM_STYLE[problem.concern]), "\n"])
    return Content.assemble(*parts)


def _bulleted(heading: str, lines: list[str], empty: str) -> Content:
    parts: list[Content | tuple[str, str] | str] = [(heading, "bold"), "\n"]
    if not lines:
        parts.append((f"  {empty}", "dim italic"))
    for line in lines:
        parts.extend(["  • ", literal(line), "\n"])
    return Content.assemble(*parts)
