"""Training (培训): sessions per audience tier, hands-on assessments, coverage, roster."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.widget import Widget
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from sitedash.errors import InputError, StoreError
from sitedash.i18n import t
from sitedash.models import Assessment, Attendance, Trainee, TrainingSession
from sitedash.screens.base import SiteScreen
from sitedash.services import training as svc
from sitedash.textsafe import clean_line
from sitedash.widgets.safe import cell, literal, t_literal
from sitedash.widgets.tables import SiteTable, move_to, row_key

if TYPE_CHECKING:
    from sitedash.storage.drafts import Draft

RESULT_STYLE = {
    Assessment.PASSED: "green",
    Assessment.AGAIN: "bold yellow",
    Assessment.ABSENT: "dim",
    None: "dim",
}
TABS = ("sessions-tab", "coverage-tab", "roster-tab")


class TrainingScreen(SiteScreen):
    """Sessions newest first with their attendees; the modules x audiences matrix."""

    MODE = "training"
    BINDINGS = [
        Binding("n,a", "new", "New", id="training.new"),
        Binding("e", "edit", "Edit", id="training.edit"),
        Binding("v", "view", "View all", id="training.view", show=False),
        Binding("p", "assess('passed')", "Passed", id="training.passed"),
        Binding("g", "assess('again')", "Retrain", id="training.again"),
        Binding("x", "assess('absent')", "Absent", id="training.absent"),
        Binding("t", "next_tab", "Next tab", id="training.tab"),
        Binding("delete", "delete", "Delete", id="training.delete", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sessions: list[TrainingSession] = []
        self.people: list[Trainee] = []
        self.coverage = svc.coverage([], [])
        self._attendees_of: str | None = None
        """The session whose attendees are listed (the cursor stays within it)."""

    def compose_body(self) -> Iterable[Widget]:
        with TabbedContent(id="training-tabs", initial="sessions-tab"):
            with TabPane(t("Sessions"), id="sessions-tab"):
                yield SiteTable(id="sessions", cursor_type="row", zebra_stripes=True)
                yield Static(id="session-detail")
                yield SiteTable(id="attendees", cursor_type="row", zebra_stripes=True)
            with TabPane(t("Coverage"), id="coverage-tab"):
                yield SiteTable(id="coverage", cursor_type="row", zebra_stripes=True)
                yield Static(id="to-train")
            with TabPane(t("Roster"), id="roster-tab"):
                yield SiteTable(id="roster", cursor_type="row", zebra_stripes=True)

    def after_first_load(self) -> None:
        self.query_one("#sessions", DataTable).focus()

    # -- loading --------------------------------------------------------------------

    def reload(self) -> None:
        engagement = self.app.engagement
        try:
            self.sessions = self.app.store.training_sessions(engagement.id) if engagement else []
            self.people = (
                svc.roster(self.app.store, engagement.id, self.sessions) if engagement else []
            )
        except StoreError as error:
            self.app.report_error(error)
            return
        self.coverage = svc.coverage(self.sessions, self.people)
        self._show_sessions()
        self._show_coverage()
        self._show_roster()
        self.refresh_bindings()

    def _show_sessions(self) -> None:
        table: DataTable[Text] = self.query_one("#sessions", DataTable)
        selected = row_key(table)
        table.clear(columns=True)
        table.add_column(t("Date"), width=10)
        table.add_column(t("Audience"), width=12)
        table.add_column(t("Topic"), width=max(self.app.size.width - 48, 12))
        table.add_column(t("Passed"), width=8)
        for session in self.sessions:
            passed = sum(1 for a in session.attendees if a.result is Assessment.PASSED)
            table.add_row(
                Text(session.day.isoformat()),
                cell(svc.tier_label(session.tier), "dim"),
                cell(session.topic),
                Text(f"{passed}/{len(session.attendees)}", justify="right"),
                key=session.id,
            )
        move_to(table, selected)
        if not self.sessions:
            self.query_one("#session-detail", Static).update(
                Content(
                    t(
                        "No training sessions yet. Press {key} to record one.",
                        key=self.key("training.new"),
                    )
                )
            )
            self._show_attendees(None)
        else:
            self._show_session(self.selected_session())

    def selected_session(self) -> TrainingSession | None:
        key = row_key(self.query_one("#sessions", DataTable))
        return next((s for s in self.sessions if s.id == key), None)

    def _show_session(self, session: TrainingSession | None) -> None:
        detail = self.query_one("#session-detail", Static)
        if session is None:
            detail.update("")
            self._show_attendees(None)
            return
        when = session.day.isoformat() + (f" {session.start_time}" if session.start_time else "")
        parts: list[Content | str | tuple[str, str]] = [
            literal(session.topic, "bold"),
            "\n",
            f"{when} · {svc.tier_label(session.tier)} · ",
            t_literal("modules: {modules}", modules=", ".join(session.modules) or "-"),
            " · ",
            t_literal("trainer: {trainer}", trainer=session.trainer or "-"),
            " · ",
            (t("hands-on"), "green") if session.hands_on else (t("no hands-on practice"), "yellow"),
        ]
        if session.materials:
            parts.extend(
                [
                    "\n",
                    t_literal(
                        "materials: {materials}",
                        materials=", ".join(
                            f"{svc.material_label(m.kind)}: {m.name}" for m in session.materials
                        ),
                    ),
                ]
            )
        detail.update(Content.assemble(*parts))
        self._show_attendees(session)

    def _show_attendees(self, session: TrainingSession | None) -> None:
        table: DataTable[Text] = self.query_one("#attendees", DataTable)
        # The same person in another session is another row: start at the top there.
        same_session = session is not None and session.id == self._attendees_of
        selected = row_key(table) if same_session else None
        self._attendees_of = session.id if session else None
        table.clear(columns=True)
        table.add_column(t("Attendee"), width=20)
        table.add_column(t("Role"), width=14)
        table.add_column(t("Assessment"), width=22)
        table.add_column(t("Score"), width=5)
        for attendee in session.attendees if session else []:
            table.add_row(
                cell(attendee.name, width=20),
                cell(attendee.role, "dim", width=14),
                Text(svc.result_label(attendee.result), style=RESULT_STYLE[attendee.result]),
                Text("" if attendee.score is None else f"{attendee.score:g}", justify="right"),
                key=svc.person_key(attendee.name),
            )
        move_to(table, selected)

    def _show_coverage(self) -> None:
        table: DataTable[Text] = self.query_one("#coverage", DataTable)
        selected = row_key(table)
        table.clear(columns=True)
        table.add_column(t("Module"), width=16)
        for tier in svc.TIERS:
            table.add_column(svc.tier_label(tier), width=16)
        for module in self.coverage.modules:
            row: list[Text] = [cell(module, width=16)]
            for tier in svc.TIERS:
                c = self.coverage.cell(module, tier)
                if not c.required:
                    row.append(Text("—", style="dim"))
                    continue
                people = len(c.passed) + len(c.to_train)
                text = f"{c.hands_on}/{c.sessions}× {len(c.passed)}/{people}"
                row.append(
                    Text(text + (" ⚠" if c.gap else " ✓"), style="bold red" if c.gap else "green")
                )
            table.add_row(*row, key=module.casefold())
        move_to(table, selected)
        self._show_to_train()

    def _show_to_train(self) -> None:
        key = row_key(self.query_one("#coverage", DataTable))
        module = next((m for m in self.coverage.modules if m.casefold() == key), None)
        target = self.query_one("#to-train", Static)
        if module is None:
            target.update(
                Content(
                    t(
                        "Record sessions with modules, or add people to the roster, "
                        "to see the coverage matrix."
                    )
                )
            )
            return
        parts: list[Content | str | tuple[str, str]] = [
            (t("Still to train in {module}", module=clean_line(module)), "bold"),
            "\n",
        ]
        for tier in svc.TIERS:
            c = self.coverage.cell(module, tier)
            if not c.required:
                continue
            parts.extend(
                [
                    f"  {svc.tier_label(tier)}: ",
                    literal(", ".join(c.to_train))
                    if c.to_train
                    else (t("everyone passed"), "green"),
                ]
            )
            if c.gap:
                parts.append(
                    (
                        "  "
                        + t(
                            "⚠ {n} of {need} hands-on sessions",
                            n=c.hands_on,
                            need=svc.MIN_HANDS_ON_SESSIONS,
                        ),
                        "bold red",
                    )
                )
            parts.append("\n")
        parts.append(
            (
                t(
                    "Cells: hands-on/held sessions, then passed / people of that "
                    "audience; ⚠ fewer than two hands-on sessions."
                ),
                "dim",
            )
        )
        target.update(Content.assemble(*parts))

    def _show_roster(self) -> None:
        table: DataTable[Text] = self.query_one("#roster", DataTable)
        selected = row_key(table)
        table.clear(columns=True)
        passed = svc.passed_modules(self.sessions)
        for label, width in (
            (t("Full name"), 18),
            (t("Audience"), 14),
            (t("Department"), 14),
            (t("Passed"), 26),
        ):
            table.add_column(label, width=width)
        for person in self.people:
            done = sorted(
                m
                for m in self.coverage.modules
                if m.casefold() in passed.get(svc.person_key(person.name), set())
            )
            table.add_row(
                cell(person.name, width=18),
                cell(svc.tier_label(person.tier), "dim"),
                cell(person.department, width=14),
                cell(", ".join(done), width=26),
                key=person.id,
            )
        move_to(table, selected)

    @on(DataTable.RowHighlighted, "#sessions")
    def _session_highlighted(self) -> None:
        self._show_session(self.selected_session())

    @on(DataTable.RowHighlighted, "#coverage")
    def _module_highlighted(self) -> None:
        self._show_to_train()

    # -- actions --------------------------------------------------------------------

    @property
    def active_tab(self) -> str:
        # The footer asks check_action about keys while the screen is still composing.
        tabs = self.query(TabbedContent)
        return tabs.first().active if tabs else ""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        focused = self.focused.id if self.focused else None
        if action == "assess":
            return bool(focused == "attendees" and self.selected_attendee())
        if action == "view":
            return self.active_tab == "sessions-tab" and bool(self.selected_session())
        if action in ("edit", "delete"):
            if self.active_tab == "sessions-tab":
                return bool(self.selected_session())
            if self.active_tab == "roster-tab":
                return bool(self.selected_trainee())
            return False
        return True

    def action_next_tab(self) -> None:
        tabs = self.query_one(TabbedContent)
        tabs.active = TABS[(TABS.index(tabs.active) + 1) % len(TABS)]
        first = {"sessions-tab": "#sessions", "coverage-tab": "#coverage", "roster-tab": "#roster"}[
            tabs.active
        ]
        self.query_one(first, DataTable).focus()
        self.refresh_bindings()

    def action_new(self) -> None:
        from sitedash.modals.training import new_session

        engagement = self.app.engagement
        if engagement is None:
            self.app.action_new_engagement()
        elif self.active_tab == "roster-tab":
            self._edit_trainee(Trainee("", engagement.id), is_new=True)
        else:
            self._edit_session(new_session(engagement.id, self.app.today()), is_new=True)

    def reopen_draft(self, draft: Draft) -> bool:
        if draft.form != "SessionForm" or self.app.engagement is None:
            return False
        if draft.subject == "new":
            self.action_new()
            return True
        session = next((s for s in self.sessions if s.id == draft.subject), None)
        if session is None:
            return False
        self._edit_session(session, is_new=False)
        return True

    def action_edit(self) -> None:
        if self.active_tab == "roster-tab":
            person = self.selected_trainee()
            if person is not None:
                self._edit_trainee(person, is_new=False)
            return
        session = self.selected_session()
        if session is not None:
            self._edit_session(session, is_new=False)

    def action_view(self) -> None:
        from sitedash.modals.training import SessionView

        session = self.selected_session()
        if session is not None:
            self.app.push_screen(SessionView(session))

    @on(DataTable.RowSelected)
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "attendees":
            self._edit_assessment()
        elif event.data_table.id in ("sessions", "roster"):
            self.action_edit()

    def _edit_session(self, session: TrainingSession, *, is_new: bool, error: str = "") -> None:
        from sitedash.modals.training import SessionForm

        old_day = None if is_new else session.day

        def saved(result: TrainingSession | None) -> None:
            if result is None:
                return
            try:
                svc.save_session(self.app.store, result, old_day)
            except (InputError, StoreError) as problem:
                self._edit_session(result, is_new=is_new, error=str(problem))
                return
            self.app.wrote()
            move_to(self.query_one("#sessions", DataTable), result.id)
            self._show_session(self.selected_session())

        self.app.push_screen(SessionForm(session, is_new=is_new, error=error), saved)

    def _edit_trainee(self, person: Trainee, *, is_new: bool) -> None:
        from sitedash.modals.training import TraineeForm

        def saved(result: Trainee | None) -> None:
            if result is not None:
                self.app.attempt(partial(self.app.store.save_trainee, result))

        self.app.push_screen(TraineeForm(person, is_new=is_new), saved)

    def selected_trainee(self) -> Trainee | None:
        key = row_key(self.query_one("#roster", DataTable))
        return next((p for p in self.people if p.id == key), None)

    def selected_attendee(self) -> Attendance | None:
        session = self.selected_session()
        key = row_key(self.query_one("#attendees", DataTable))
        if session is None:
            return None
        return next((a for a in session.attendees if svc.person_key(a.name) == key), None)

    def action_assess(self, result: str) -> None:
        session, attendee = self.selected_session(), self.selected_attendee()
        if session is None or attendee is None:
            return
        # On to the next attendee, as a register is marked: one key per person (issue
        # 19). By key, not row number: the write reloads the table.
        keys = [svc.person_key(a.name) for a in session.attendees]
        here = keys.index(svc.person_key(attendee.name))
        following = keys[here + 1] if here + 1 < len(keys) else None
        if (
            self.app.attempt(
                partial(svc.assess, self.app.store, session, attendee.name, Assessment(result))
            )
            and following is not None
        ):
            move_to(self.query_one("#attendees", DataTable), following)

    def _edit_assessment(self) -> None:
        from sitedash.modals.training import AssessmentForm

        session, attendee = self.selected_session(), self.selected_attendee()
        if session is None or attendee is None:
            return

        def saved(result: Attendance | None) -> None:
            if result is not None:
                self.app.attempt(
                    partial(
                        svc.assess,
                        self.app.store,
                        session,
                        attendee.name,
                        result.result,
                        result.score,
                        result.remark,
                    )
                )

        self.app.push_screen(AssessmentForm(attendee), saved)

    def action_delete(self) -> None:
        from sitedash.modals.confirm import ConfirmDialog

        if self.active_tab == "roster-tab":
            person = self.selected_trainee()
            if person is None:
                return
            question = t("Remove {name} from the roster? Their attendance stays.", name=person.name)
            remove = partial(svc.remove_from_roster, self.app.store, person, self.sessions)
        else:
            session = self.selected_session()
            if session is None:
                return
            question = t(
                "Delete the session “{topic}” of {day}?",
                topic=session.topic,
                day=session.day.isoformat(),
            )
            remove = partial(self.app.store.delete_training_session, session)

        def answered(yes: bool | None) -> None:
            if yes:
                self.app.attempt(remove)

        self.app.push_screen(ConfirmDialog(question), answered)
