"""Sign-off (验收 / 客户签字确认): deliverables, signatures, change requests, confirmations."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from sitedash.errors import InputError, StoreError
from sitedash.i18n import t
from sitedash.models import (
    AcceptanceItem,
    ChangeRequest,
    Decision,
    Feedback,
    Issue,
    IssueStatus,
    ItemStatus,
    Retro,
    SignOff,
    from_stored,
    replace,
)
from sitedash.screens.base import SiteScreen
from sitedash.services import review
from sitedash.services import signoff as svc
from sitedash.services.issues import method_label as confirm_method_label
from sitedash.storage import Store
from sitedash.widgets.safe import cell, literal
from sitedash.widgets.tables import SiteTable, move_to, refill, row_key

TABS = (
    "checklist-tab",
    "signoffs-tab",
    "changes-tab",
    "confirmations-tab",
    "feedback-tab",
    "retro-tab",
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
    """Resolved issues waiting for the customer, then the latest confirmations. Built
    from documents so years of confirmed issues cost nothing to skip."""
    docs = store.issue_docs(engagement, [IssueStatus.RESOLVED, IssueStatus.CONFIRMED])
    waiting = sorted(
        (d for d in docs if d["status"] == IssueStatus.RESOLVED.value), key=lambda d: -d["number"]
    )
    done = sorted(
        (d for d in docs if d["status"] == IssueStatus.CONFIRMED.value), key=lambda d: -d["number"]
    )[:CONFIRMATIONS_SHOWN]
    return [from_stored(Issue, d) for d in waiting + done]


STATUS = Binding.Group("Status", compact=True)
"""`<>` step a deliverable's status under one footer label."""


class SignOffScreen(SiteScreen):
    """Progress at the top; one tab per record kind."""

    MODE = "signoff"
    BINDINGS = [
        Binding("n,a", "new", "New", id="signoff.new"),
        Binding("e", "edit", "Edit / correct", id="signoff.edit"),
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
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[AcceptanceItem] = []
        self.records: list[SignOff] = []
        self.changes: list[ChangeRequest] = []
        self.issues: list[Issue] = []
        self.feedback: list[Feedback] = []
        self.retro = Retro("")

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
        yield Static(id="record-line", classes="detail-line")

    def after_first_load(self) -> None:
        self.query_one("#checklist", DataTable).focus()

    # -- loading --------------------------------------------------------------------

    def reload(self) -> None:
        engagement = self.app.engagement
        if engagement is None:
            self.items, self.records, self.changes, self.issues = [], [], [], []
            self.feedback, self.retro = [], Retro("")
        else:
            try:
                store = self.app.store
                self.items = store.acceptance_items(engagement.id)
                self.records = store.signoffs(engagement.id)
                self.changes = store.change_requests(engagement.id)
                self.issues = confirmations(store, engagement.id)
                self.feedback = store.all_feedback(engagement.id)
                self.retro = store.retro(engagement.id)
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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        tab = self.active_tab
        if action in ("step", "reject"):
            return bool(tab == "checklist-tab" and self.selected_item())
        if action == "template":
            return tab == "checklist-tab"
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
            }.get(tab)
            return bool(found and found())
        if action == "delete":
            found = {
                "checklist-tab": self.selected_item,
                "feedback-tab": self.selected_feedback,
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

    def _edit_item(self, item: AcceptanceItem, *, is_new: bool) -> None:
        from sitedash.modals.signoff import ItemForm

        def saved(result: AcceptanceItem | None) -> None:
            if result is not None:
                self.app.attempt(partial(self.app.store.save_acceptance_items, [result]))

        self.app.push_screen(ItemForm(item, is_new=is_new), saved)

    def action_step(self, delta: int) -> None:
        item = self.selected_item()
        if item is not None:
            self.app.attempt(
                partial(
                    self.app.store.save_acceptance_items,
                    [replace(item, status=svc.step(item, delta))],
                )
            )

    def action_reject(self) -> None:
        item = self.selected_item()
        if item is not None:
            self.app.attempt(
                partial(
                    self.app.store.save_acceptance_items,
                    [replace(item, status=ItemStatus.REJECTED)],
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
            self.notify(t("Added {n} standard deliverables", n=len(added)), markup=False)

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
