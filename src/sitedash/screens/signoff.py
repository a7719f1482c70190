"""Sign-off (验收 / 客户签字确认): deliverables, signatures, change requests, confirmations,
feedback, the retro, and the UAT cases the customer runs."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from sitedash.errors import EditConflict, InputError, StoreError
from sitedash.i18n import t, tn
from sitedash.models import (
    AcceptanceItem,
    ChangeRequest,
    Decision,
    Engagement,
    Feedback,
    Issue,
    IssueStatus,
    ItemStatus,
    Retro,
    SignOff,
    UatCase,
    UatResult,
    from_stored,
    replace,
)
from sitedash.screens.base import SiteScreen
from sitedash.services import review, uat
from sitedash.services import signoff as svc
from sitedash.services.issues import method_label as confirm_method_label
from sitedash.services.issues import parse_issue_key
from sitedash.storage import Store
from sitedash.textsafe import clean_line
from sitedash.widgets.safe import cell, literal
from sitedash.widgets.tables import SiteTable, move_to, refill, row_key
from sitedash.widgets.uat import UatPanel, case_line

if TYPE_CHECKING:
    from sitedash.storage.drafts import Draft

RecordT = TypeVar("RecordT")

TABS = (
    "checklist-tab",
    "signoffs-tab",
    "changes-tab",
    "confirmations-tab",
    "feedback-tab",
    "retro-tab",
    "uat-tab",
)
STATUS_STYLE = {
    ItemStatus.NOT_STARTED: "dim",
    ItemStatus.IN_PROGRESS: "yellow",
    ItemStatus.DELIVERED: "cyan",
    ItemStatus.ACCEPTED: "bold green",
    ItemStatus.REJECTED: "bold red",
}
DECISION_STYLE = {
    Decision.PENDING: "bold yellow",
    Decision.APPROVED: "green",
    Decision.REJECTED: "red",
    Decision.DEFERRED: "dim",
}


CONFIRMATIONS_SHOWN = 200
"""Most recent confirmations listed; every resolved issue still waiting is listed."""


def confirmations(store: Store, engagement: str) -> list[Issue]:
    """Resolved issues waiting for the customer, then the latest confirmations. The
    confirmations are found in the store's index and only the latest are read, so
    years of confirmed issues cost nothing to skip (issue 23)."""
    docs = store.issue_docs(engagement, [IssueStatus.RESOLVED])
    waiting = sorted(docs, key=lambda d: -d["number"])
    latest = sorted((row[0] for row in store.confirmed_rows(engagement)), reverse=True)
    done = [store.issue_doc(number) for number in latest[:CONFIRMATIONS_SHOWN]]
    return [from_stored(Issue, d) for d in waiting + [d for d in done if d is not None]]


def _by_id(records: Sequence[RecordT], wanted: str) -> RecordT | None:
    return next((r for r in records if getattr(r, "id", None) == wanted), None)


STATUS = Binding.Group("Status", compact=True)
"""`<>` step a deliverable's status under one footer label."""
RESULT = Binding.Group("Result", compact=True)
"""`pfb` record a UAT case's result under one footer label."""


class SignOffScreen(SiteScreen):
    """Progress at the top; one tab per record kind."""

    MODE = "signoff"
    BINDINGS = [
        Binding("n,a", "new", "New", id="signoff.new"),
        Binding("e", "edit", "Edit/correct", id="signoff.edit"),
        Binding(
            "less_than_sign",
            "step(-1)",
            "Status ←",
            id="signoff.previous",
            key_display="<",
            group=STATUS,
        ),
        Binding(
            "greater_than_sign",
            "step(1)",
            "Status →",
            id="signoff.next",
            key_display=">",
            group=STATUS,
        ),
        Binding("x", "reject", "Rejected", id="signoff.reject", show=False),
        Binding("t", "next_tab", "Next tab", id="signoff.tab"),
        Binding("T", "template", "Add standard items", id="signoff.template", show=False),
        Binding("delete", "delete", "Delete", id="signoff.delete", show=False),
        Binding("p", "result('pass')", "Pass", id="signoff.uat.pass", group=RESULT),
        Binding("f", "result('fail')", "Fail", id="signoff.uat.fail", group=RESULT),
        Binding("b", "result('blocked')", "Blocked", id="signoff.uat.blocked", group=RESULT),
        Binding("i", "open_issue", "Issue", id="signoff.uat.issue"),
        Binding("l", "link_issue", "Link issue", id="signoff.uat.link", show=False),
        Binding("F", "export_faq", "Export FAQ", id="signoff.faq", show=False),
        Binding(
            "C", "export_customer", "Export customer status", id="signoff.customer", show=False
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[AcceptanceItem] = []
        self.records: list[SignOff] = []
        self.changes: list[ChangeRequest] = []
        self.issues: list[Issue] = []
        self.feedback: list[Feedback] = []
        self.retro = Retro("")
        self.cases: list[UatCase] = []
        self.issue_status: dict[int, IssueStatus] = {}
        """Where the issues linked to UAT cases stand."""

    def compose_body(self) -> Iterable[Widget]:
        yield Static(id="progress")
        with TabbedContent(id="signoff-tabs", initial="checklist-tab"):
            with TabPane(t("Checklist"), id="checklist-tab"):
                yield SiteTable(id="checklist", cursor_type="row", zebra_stripes=True)
            with TabPane(t("Sign-offs"), id="signoffs-tab"):
                yield SiteTable(id="signoffs", cursor_type="row", zebra_stripes=True)
            with TabPane(t("Changes"), id="changes-tab"):
                yield SiteTable(id="changes", cursor_type="row", zebra_stripes=True)
            with TabPane(t("Confirmations"), id="confirmations-tab"):
                yield SiteTable(id="confirmations", cursor_type="row", zebra_stripes=True)
            with TabPane(t("Feedback"), id="feedback-tab"):
                yield SiteTable(id="feedback", cursor_type="row", zebra_stripes=True)
            with TabPane(t("Retro"), id="retro-tab"), VerticalScroll(id="retro"):
                yield Static(id="retro-text")
            with TabPane(t("UAT"), id="uat-tab"):
                yield UatPanel(id="uat-panel")
        yield Static(id="record-line", classes="detail-line")

    def after_first_load(self) -> None:
        self.query_one("#checklist", DataTable).focus()

    # -- loading --------------------------------------------------------------------

    def reload(self) -> None:
        engagement = self.app.engagement
        if engagement is None:
            self.items, self.records, self.changes, self.issues = [], [], [], []
            self.feedback, self.retro = [], Retro("")
            self.cases, self.issue_status = [], {}
        else:
            try:
                store = self.app.store
                self.items = store.acceptance_items(engagement.id)
                self.records = store.signoffs(engagement.id)
                self.changes = store.change_requests(engagement.id)
                self.issues = confirmations(store, engagement.id)
                self.feedback = store.all_feedback(engagement.id)
                self.retro = store.retro(engagement.id)
                self.cases = store.uat_cases(engagement.id)
                self.issue_status = linked_status(store, self.cases)
            except StoreError as error:
                self.app.report_error(error)
                return
        summary = svc.progress(self.items, self.changes, self.issues)
        self.query_one("#progress", Static).update(
            Content.assemble((t("Acceptance"), "bold"), "  ", summary.summary())
        )
        width = self.app.size.width
        refill(
            self.query_one("#checklist", DataTable),
            [(t("Deliverable"), max(width - 52, 16)), (t("Status"), 12), (t("Evidence"), 30)],
            (
                (
                    i.id,
                    [
                        cell(i.name),
                        Text(svc.item_status_label(i.status), style=STATUS_STYLE[i.status]),
                        cell(i.evidence, "dim"),
                    ],
                )
                for i in self.items
            ),
        )
        superseded = svc.superseded_ids(self.records)
        refill(
            self.query_one("#signoffs", DataTable),
            [
                (t("Subject"), max(width - 60, 14)),
                (t("Signer"), 16),
                (t("Date"), 10),
                (t("Method"), 10),
                (t("State"), 12),
            ],
            (
                (
                    r.id,
                    [
                        cell(svc.subject_label(r), "dim strike" if r.id in superseded else ""),
                        cell(r.signer),
                        Text(r.day.isoformat() if r.day else "-"),
                        Text(svc.method_label(r.method)),
                        Text(t("superseded"), style="dim")
                        if r.id in superseded
                        else Text(t("correction") if r.supersedes else t("valid"), style="green"),
                    ],
                )
                for r in self.records
            ),
        )
        refill(
            self.query_one("#changes", DataTable),
            [
                (t("CR"), 5),
                (t("Request"), max(width - 55, 14)),
                (t("Requester"), 14),
                (t("Decision"), 25),
            ],
            (
                (
                    c.id,
                    [
                        Text(c.key),
                        cell(c.request),
                        cell(c.requester),
                        Text(svc.decision_label(c.decision), style=DECISION_STYLE[c.decision]),
                    ],
                )
                for c in self.changes
            ),
        )
        refill(
            self.query_one("#confirmations", DataTable),
            [
                (t("Issue"), 8),
                (t("Title"), max(width - 56, 14)),
                (t("Confirmed by"), 16),
                (t("Method"), 10),
                (t("Reference"), 14),
            ],
            (
                (
                    str(i.number),
                    [
                        Text(i.key),
                        cell(i.title),
                        cell(
                            i.confirmation.by if i.confirmation else t("waiting"),
                            "" if i.confirmation else "bold yellow",
                        ),
                        Text(confirm_method_label(i.confirmation.method) if i.confirmation else ""),
                        cell(i.confirmation.reference if i.confirmation else ""),
                    ],
                )
                for i in self.issues
            ),
        )
        self._show_review(width)
        self.query_one(UatPanel).show(self.cases, self.uat_report(), width)
        self._show_record_line()
        self.refresh_bindings()

    @on(DataTable.RowHighlighted)
    @on(TabbedContent.TabActivated)
    def _show_record_line(self) -> None:
        """The highlighted record in full: the columns cut role, reference, impact and
        notes, and a correction must be told apart from what it corrects."""
        line = self.query_one("#record-line", Static)
        tab = self.active_tab
        parts: list[Content | str | tuple[str, str]] = []
        if tab == "checklist-tab" and (item := self.selected_item()):
            parts = [literal(item.name, "bold"), " · ", literal(item.evidence or "-")]
            if item.note:
                parts += [" · ", literal(item.note, "italic")]
        elif tab == "signoffs-tab" and (record := self.selected_record()):
            parts = [literal(record.signer, "bold")]
            if record.role:
                parts += [" (", literal(record.role), ")"]
            parts += [" · ", literal(record.reference or "-")]
            by_id = {r.id: r for r in self.records}
            corrected = next((r for r in self.records if r.supersedes == record.id), None)
            if record.supersedes and (old := by_id.get(record.supersedes)):
                day = old.day.isoformat() if old.day else "-"
                parts += ["  ", (t("corrects the record of {day}", day=day), "green")]
            if corrected is not None:
                day = corrected.day.isoformat() if corrected.day else "-"
                parts += ["  ", (t("corrected by the record of {day}", day=day), "dim")]
        elif tab == "changes-tab" and (change := self.selected_change()):
            impact = " / ".join(x for x in (change.scope, change.schedule, change.cost) if x)
            parts = [literal(change.key, "bold"), " ", literal(impact or "-")]
            if change.decided_by:
                decided = change.decided_on.isoformat() if change.decided_on else "-"
                parts += [" · ", literal(f"{change.decided_by} {decided}")]
            if change.phase:
                parts += [" · ", literal(change.phase)]
        elif tab == "feedback-tab" and (feedback := self.selected_feedback()):
            parts = [literal(feedback.text)]
        elif tab == "uat-tab" and (case := self.selected_case()):
            parts = [case_line(case, self.issue_status)]
        line.update(Content.assemble(*parts))
        self.refresh_bindings()  # `e` applies to some rows only (not a superseded one)

    def _show_review(self, width: int) -> None:
        refill(
            self.query_one("#feedback", DataTable),
            [
                (t("Date"), 10),
                (t("Category"), 10),
                (t("Said by"), 14),
                (t("Feedback"), max(width - 48, 14)),
                ("1-5", 3),
            ],
            (
                (
                    f.id,
                    [
                        Text(f.day.isoformat()),
                        Text(review.category_label(f.category)),
                        cell(f.source),
                        cell(f.text),
                        Text("" if f.satisfaction is None else str(f.satisfaction)),
                    ],
                )
                for f in reversed(self.feedback)
            ),
        )
        parts: list[Content | str | tuple[str, str]] = []
        for name in Retro.FIELDS:
            text = getattr(self.retro, name)
            parts += [
                (review.retro_label(name), "bold"),
                "\n",
                literal(text) if text.strip() else (t("not written yet"), "dim"),
                "\n\n",
            ]
        parts.append((t("e: edit · the retrospective report adds the facts"), "dim"))
        self.query_one("#retro-text", Static).update(Content.assemble(*parts))

    # -- selection ------------------------------------------------------------------

    @property
    def active_tab(self) -> str:
        # The footer asks check_action about keys while the screen is still composing.
        tabs = self.query(TabbedContent)
        return tabs.first().active if tabs else ""

    def _selected(self, table_id: str, records: list) -> object | None:
        key = row_key(self.query_one(f"#{table_id}", DataTable))
        return next((r for r in records if r.id == key), None)

    def selected_item(self) -> AcceptanceItem | None:
        return self._selected("checklist", self.items)  # type: ignore[return-value]

    def selected_record(self) -> SignOff | None:
        return self._selected("signoffs", self.records)  # type: ignore[return-value]

    def selected_change(self) -> ChangeRequest | None:
        return self._selected("changes", self.changes)  # type: ignore[return-value]

    def selected_feedback(self) -> Feedback | None:
        return self._selected("feedback", self.feedback)  # type: ignore[return-value]

    def selected_case(self) -> UatCase | None:
        return self._selected("uat", self.cases)  # type: ignore[return-value]

    def uat_report(self) -> AcceptanceItem | None:
        """The UAT report on the checklist, if it is there."""
        return next((i for i in self.items if i.template == uat.UAT_REPORT), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        tab = self.active_tab
        if action in ("step", "reject"):
            return bool(tab == "checklist-tab" and self.selected_item())
        if action == "template":
            return tab == "checklist-tab"
        if action in ("result", "link_issue"):
            return bool(tab == "uat-tab" and self.selected_case())
        if action == "open_issue":
            case = self.selected_case() if tab == "uat-tab" else None
            return case is not None and case.result in (UatResult.FAIL, UatResult.BLOCKED)
        if action in ("export_faq", "export_customer"):
            return self.app.engagement is not None
        if action == "new":
            return tab != "confirmations-tab"
        if action == "edit" and tab == "signoffs-tab":
            # A superseded record was corrected already: correct the newest one.
            record = self.selected_record()
            return record is not None and record.id not in svc.superseded_ids(self.records)
        if action == "edit":
            found = {
                "checklist-tab": self.selected_item,
                "signoffs-tab": self.selected_record,
                "changes-tab": self.selected_change,
                "feedback-tab": self.selected_feedback,
                "retro-tab": lambda: True,
                "uat-tab": self.selected_case,
            }.get(tab)
            return bool(found and found())
        if action == "delete":
            found = {
                "checklist-tab": self.selected_item,
                "feedback-tab": self.selected_feedback,
                "uat-tab": self.selected_case,
            }.get(tab)
            return bool(found and found())
        return True

    # -- actions --------------------------------------------------------------------

    def action_next_tab(self) -> None:
        tabs = self.query_one(TabbedContent)
        tabs.active = TABS[(TABS.index(tabs.active) + 1) % len(TABS)]
        self.query_one(f"#{tabs.active.removesuffix('-tab')}").focus()
        self.refresh_bindings()

    def action_new(self) -> None:
        engagement = self.app.engagement
        if engagement is None:
            self.app.action_new_engagement()
            return
        tab = self.active_tab
        if tab == "checklist-tab":
            position = max((i.position for i in self.items), default=-1) + 1
            self._edit_item(AcceptanceItem("", engagement.id, position=position), is_new=True)
        elif tab == "signoffs-tab":
            self._sign(SignOff("", engagement.id, "", day=self.app.today()), supersedes=None)
        elif tab == "changes-tab":
            self._edit_change(ChangeRequest("", engagement.id, day=self.app.today()))
        elif tab == "feedback-tab":
            self._edit_feedback(Feedback("", engagement.id, self.app.today()), is_new=True)
        elif tab == "retro-tab":
            self._edit_retro()
        elif tab == "uat-tab":
            position = max((c.position for c in self.cases), default=-1) + 1
            self._edit_case(UatCase("", engagement.id, position=position), is_new=True)

    _DRAFT_TABS = {
        "ItemForm": "checklist-tab",
        "ChangeForm": "changes-tab",
        "FeedbackForm": "feedback-tab",
        "RetroForm": "retro-tab",
        "UatCaseForm": "uat-tab",
    }

    def reopen_draft(self, draft: Draft) -> bool:
        tab = self._DRAFT_TABS.get(draft.form)
        if tab is None or self.app.engagement is None:
            return False
        self.query_one(TabbedContent).active = tab
        if draft.subject == "new" or tab == "retro-tab":
            self.action_new()
            return True
        if tab == "checklist-tab" and (item := _by_id(self.items, draft.subject)):
            self._edit_item(item, is_new=False)
        elif tab == "changes-tab" and (change := _by_id(self.changes, draft.subject)):
            self._edit_change(change)
        elif tab == "feedback-tab" and (said := _by_id(self.feedback, draft.subject)):
            self._edit_feedback(said, is_new=False)
        elif tab == "uat-tab" and (case := _by_id(self.cases, draft.subject)):
            self._edit_case(case, is_new=False)
        else:
            return False
        return True

    def action_edit(self) -> None:
        tab = self.active_tab
        if tab == "checklist-tab" and (item := self.selected_item()):
            self._edit_item(item, is_new=False)
        elif tab == "signoffs-tab" and (record := self.selected_record()):
            self._sign(record, supersedes=record.id)
        elif tab == "changes-tab" and (change := self.selected_change()):
            self._edit_change(change)
        elif tab == "feedback-tab" and (said := self.selected_feedback()):
            self._edit_feedback(said, is_new=False)
        elif tab == "retro-tab":
            self._edit_retro()
        elif tab == "uat-tab" and (case := self.selected_case()):
            self._edit_case(case, is_new=False)

    def _edit_feedback(self, feedback: Feedback, *, is_new: bool) -> None:
        from sitedash.modals.signoff import FeedbackForm

        def saved(result: Feedback | None) -> None:
            if result is not None:
                self.app.attempt(partial(self.app.store.save_feedback, result))
                move_to(self.query_one("#feedback", DataTable), result.id)

        self.app.push_screen(FeedbackForm(feedback, is_new=is_new), saved)

    def _edit_retro(self) -> None:
        from sitedash.modals.signoff import RetroForm

        def saved(result: Retro | None) -> None:
            if result is not None:
                self.app.attempt(partial(self.app.store.save_retro, result))

        if self.app.engagement is not None:
            self.app.push_screen(
                RetroForm(replace(self.retro, engagement=self.app.engagement.id)), saved
            )

    @on(DataTable.RowSelected)
    def _row_chosen(self) -> None:
        self.action_edit()

    def _edit_item(self, item: AcceptanceItem, *, is_new: bool, error: str = "") -> None:
        from sitedash.modals.signoff import ItemForm

        def saved(result: AcceptanceItem | None) -> None:
            if result is not None:
                self._save_or_reopen(
                    partial(svc.save_items, self.app.store, [result], self.key("signoff.edit")),
                    lambda error: self._edit_item(result, is_new=is_new, error=error),
                )

        self.app.push_screen(
            ItemForm(
                item,
                is_new=is_new,
                uat_line=t("UAT ({line})", line=uat.tally(self.cases).line()),
                error=error,
            ),
            saved,
        )

    def action_step(self, delta: int) -> None:
        item = self.selected_item()
        if item is not None:
            self.app.attempt(
                partial(
                    svc.save_items,
                    self.app.store,
                    [replace(item, status=svc.step(item, delta))],
                    self.key("signoff.edit"),
                )
            )

    def action_reject(self) -> None:
        item = self.selected_item()
        if item is not None:
            self.app.attempt(
                partial(
                    svc.save_items,
                    self.app.store,
                    [replace(item, status=ItemStatus.REJECTED)],
                    self.key("signoff.edit"),
                )
            )

    def action_template(self) -> None:
        engagement = self.app.engagement
        if engagement is None:
            return
        added: list[AcceptanceItem] = []
        if self.app.attempt(
            lambda: added.extend(svc.add_standard_checklist(self.app.store, engagement.id))
        ):
            self.say(
                tn(len(added), "Added {n} standard deliverable", "Added {n} standard deliverables")
            )

    def _sign(self, record: SignOff, *, supersedes: str | None, error: str = "") -> None:
        """The sign-off form, filled from `record`; `supersedes`: the record corrected."""
        from sitedash.modals.signoff import SignOffForm

        def saved(result: SignOff | None) -> None:
            if result is None:
                return
            try:
                svc.record_signoff(self.app.store, result)
            except (InputError, StoreError) as problem:
                # The form comes back with what was typed: nothing typed is lost.
                self._sign(result, supersedes=supersedes, error=str(problem))
                return
            self.app.wrote()
            move_to(self.query_one("#signoffs", DataTable), result.id)  # the new record

        self.app.push_screen(
            SignOffForm(record, self.items, supersedes=supersedes, error=error), saved
        )

    def _edit_change(self, change: ChangeRequest, error: str = "") -> None:
        from sitedash.modals.signoff import ChangeForm

        def saved(result: ChangeRequest | None) -> None:
            if result is None:
                return
            try:
                svc.save_change(self.app.store, result)
            except (InputError, StoreError) as problem:
                self._edit_change(result, str(problem))
                return
            self.app.wrote()

        self.app.push_screen(ChangeForm(change, error=error), saved)

    def action_delete(self) -> None:
        from sitedash.modals.confirm import ConfirmDialog

        case = self.selected_case()
        if self.active_tab == "uat-tab" and case is not None:

            def delete_case(yes: bool | None) -> None:
                if yes:
                    self.app.attempt(partial(self.app.store.delete_uat_case, case))

            self.app.push_screen(
                ConfirmDialog(t("Delete {key} “{title}”?", key=case.key, title=case.title)),
                delete_case,
            )
            return
        said = self.selected_feedback()
        if self.active_tab == "feedback-tab" and said is not None:

            def delete_feedback(yes: bool | None) -> None:
                if yes:
                    self.app.attempt(partial(self.app.store.delete_feedback, said))

            self.app.push_screen(ConfirmDialog(t("Delete this feedback?")), delete_feedback)
            return
        item = self.selected_item()
        if item is None or self.active_tab != "checklist-tab":
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.app.attempt(partial(self.app.store.delete_acceptance_item, item))

        self.app.push_screen(
            ConfirmDialog(t("Remove “{name}” from the checklist?", name=item.name)), answered
        )

    # -- UAT ------------------------------------------------------------------------

    def _save_or_reopen(self, save: Callable[[], object], reopen: Callable[[str], None]) -> bool:
        """Run a form's save; a mistake brings the form back with what was typed and the
        error. A save merged with another terminal's edit was written: it is said, not
        offered again (a second save would write it twice)."""
        try:
            save()
        except EditConflict as conflict:
            self.app.report_error(conflict)
        except (InputError, StoreError) as problem:
            reopen(str(problem))
            return False
        finally:
            for notice in self.app.store.take_notices():  # a skipped backup, say
                self.notify(clean_line(notice), severity="warning", markup=False, timeout=8)
        self.app.wrote()
        return True

    def _edit_case(self, case: UatCase, *, is_new: bool, error: str = "") -> None:
        from sitedash.modals.uat import UatCaseForm

        def saved(result: UatCase | None) -> None:
            if result is not None and self._save_or_reopen(
                partial(uat.save_case, self.app.store, result),
                lambda error: self._edit_case(result, is_new=is_new, error=error),
            ):
                move_to(self.query_one("#uat", DataTable), result.id)

        self.app.push_screen(UatCaseForm(case, is_new=is_new, error=error), saved)

    def action_result(self, result: str) -> None:
        """Record the selected case's run today; a failure says how to open its issue."""
        case = self.selected_case()
        if case is None:
            return
        outcome = UatResult(result)
        if not self.app.attempt(
            partial(uat.set_result, self.app.store, case, outcome, self.app.today())
        ):
            return
        if outcome is UatResult.FAIL and not case.issues:
            self.say(
                t(
                    "{key} failed: {issue} opens an issue from it, {link} links an existing one",
                    key=case.key,
                    issue=self.key("signoff.uat.issue"),
                    link=self.key("signoff.uat.link"),
                )
            )

    def action_open_issue(self) -> None:
        case = self.selected_case()
        if case is not None:
            self._open_issue(case, uat.issue_draft(case))

    def _open_issue(self, case: UatCase, draft: Issue, error: str = "") -> None:
        """The issue form, prefilled from the failed case; saving links the issue (an
        error brings the form back with what was typed)."""
        from sitedash.modals.issue import IssueForm

        def saved(result: Issue | None) -> None:
            if result is not None and self._save_or_reopen(
                partial(uat.open_issue, self.app.store, case, result),
                lambda error: self._open_issue(case, result, error),
            ):
                self.say(t("{issue} opened from {key}", issue=result.key, key=case.key))

        self.app.push_screen(IssueForm(draft, is_new=True, error=error), saved)

    def action_link_issue(self) -> None:
        from sitedash.modals.prompt import PromptDialog

        case = self.selected_case()
        if case is None:
            return
        store = self.app.store

        def existing(text: str) -> int:
            number = parse_issue_key(text)
            if store.issue(number) is None:
                raise InputError(t("ISS-{n} does not exist", n=number))
            return number

        def linked(text: str | None) -> None:
            if text:
                self.app.attempt(partial(uat.link_issue, store, case, parse_issue_key(text)))

        self.app.push_screen(
            PromptDialog(
                t("Link an issue to {key}", key=case.key), placeholder="ISS-12", check=existing
            ),
            linked,
        )

    # -- exports for the customer and the FAQ deliverable ----------------------------

    def action_export_customer(self) -> None:
        self.app.action_export("customer")

    def action_export_faq(self) -> None:
        """Export the FAQ into the reports folder and point the FAQ deliverable at it.
        Rendering reads every issue: it runs in a thread, as the other exports do."""
        engagement = self.app.engagement
        if engagement is None:
            return
        self.run_worker(
            partial(self._export_faq, engagement, self.app.today()),
            thread=True,
            group="export",
            exit_on_error=False,
        )

    def _export_faq(self, engagement: Engagement, day: date) -> None:
        from sitedash.reports.exports import export_to_dir

        app = self.app
        try:
            path = export_to_dir(
                app.store, "faq", engagement, day, engineer=app.engineer, now=app.clock()
            )
        except (InputError, StoreError) as error:
            app.call_from_thread(app.report_error, error)
            return
        app.call_from_thread(self._faq_written, engagement.id, path)

    def _faq_written(self, engagement: str, path: Path) -> None:
        pointed: list[AcceptanceItem] = []
        if not self.app.attempt(
            lambda: pointed.extend(svc.point_faq_at(self.app.store, engagement, str(path)))
        ):
            return
        message = (
            t("FAQ written to {path}; the FAQ deliverable points at it", path=str(path))
            if pointed
            else t(
                "FAQ written to {path}; no FAQ deliverable on the checklist ({key} adds it)",
                path=str(path),
                key=self.key("signoff.template"),
            )
        )
        self.notify(message, markup=False, timeout=10)


def linked_status(store: Store, cases: Iterable[UatCase]) -> dict[int, IssueStatus]:
    """The status of every issue a case links to (a deleted one is left out)."""
    statuses: dict[int, IssueStatus] = {}
    for number in sorted({n for case in cases for n in case.issues}):
        issue = store.issue(number)
        if issue is not None:
            statuses[number] = issue.status
    return statuses
