"""A dialog base: escape to cancel, an error line that stays literal, and drafts.

Nothing the engineer typed is lost: a dialog with text fields keeps what was typed as a
draft in the data dir (written about a second after typing stops, and at once when the
SSH link drops, on SIGTERM and on ctrl+q), offers it back when the same form opens
again, and asks before escape throws a changed form away.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    RadioButton,
    RadioSet,
    Select,
    SelectionList,
    Static,
    Switch,
    TextArea,
)

from sitedash import keymap
from sitedash.errors import InputError, StoreError
from sitedash.i18n import t
from sitedash.widgets.safe import literal

if TYPE_CHECKING:
    from sitedash.app import SiteDash
    from sitedash.storage.drafts import Draft

ResultType = TypeVar("ResultType")

DRAFT_DELAY = 1.0
"""Seconds after the last change before a form's draft is written (a hang-up, SIGTERM or
ctrl+q writes it at once, so this only spares the disk while typing)."""

_FIELDS = (Input, TextArea, Select, Checkbox, Switch, SelectionList, RadioSet)
_SUBJECTS = (
    "issue",
    "session",
    "item",
    "change",
    "feedback",
    "case",
    "contact",
    "check",
    "milestone",
    "risk",
    "trainee",
    "attendee",
    "retro",
    "step",
    "watch",
    "runbook",
    "engagement",
    "settings",
)
"""Attributes under which forms keep the record they edit (see `Drafting.draft_subject`)."""


def field_values(screen: Widget) -> dict[str, Any]:
    """What the fields of a dialog hold, by widget id (JSON values)."""
    values: dict[str, Any] = {}
    for field in screen.query("*"):
        if not isinstance(field, _FIELDS) or not field.id:
            continue
        if isinstance(field, TextArea):
            values[field.id] = field.text
        elif isinstance(field, Input | Checkbox | Switch):
            values[field.id] = field.value
        elif isinstance(field, Select):
            values[field.id] = None if field.is_blank() else str(field.value)
        elif isinstance(field, SelectionList):
            values[field.id] = [str(v) for v in field.selected]
        elif isinstance(field, RadioSet):
            values[field.id] = field.pressed_index
    return values


def apply_values(screen: Widget, values: dict[str, Any]) -> None:
    """Put kept values back into a dialog's fields (those it still has)."""
    for field in screen.query("*"):
        if not isinstance(field, _FIELDS) or not field.id or field.id not in values:
            continue
        value = values[field.id]
        try:
            if isinstance(field, TextArea) and isinstance(value, str):
                field.load_text(value)
            elif (isinstance(field, Input) and isinstance(value, str)) or (
                isinstance(field, Checkbox | Switch) and isinstance(value, bool)
            ):
                field.value = value
            elif isinstance(field, Select) and isinstance(value, str):
                choices = {str(choice): choice for choice in getattr(field, "choices", ())}
                field.value = choices.get(value, value)  # a plain Select holds strings
            elif isinstance(field, SelectionList) and isinstance(value, list):
                field.deselect_all()
                for selection in value:
                    field.select(selection)
            elif isinstance(field, RadioSet) and isinstance(value, int) and value >= 0:
                buttons = list(field.query(RadioButton))
                if value < len(buttons):
                    buttons[value].value = True
        except Exception:  # a value the field no longer takes: leave the field as it is
            continue


class Dialog(ModalScreen[ResultType]):
    """Base of every dialog: escape cancels (returns None)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]
    app: SiteDash

    def key(self, binding_id: str) -> str:
        """The key of one of this dialog's bindings as the engineer has it (for labels)."""
        return keymap.key_label(self.app, binding_id, type(self))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def show_error(self, message: str) -> None:
        error = self.query_one("#dialog-error", Static)
        error.update(literal(message))
        error.display = bool(message)


class Drafting(Dialog[ResultType]):
    """A dialog whose typed text is kept as a draft until it is saved or discarded.

    The draft is keyed by the form and the record it edits (`draft_key`), so the same
    form opened again finds it. Escape on a changed form asks first.
    """

    subject: str | None = None
    """Which record the form edits; openers may set it, else `draft_subject` finds it."""
    keeps_drafts: bool = True
    """False for a one-word question (a date to jump to): nothing worth keeping or asking."""
    _draft_base: dict[str, Any] | None = None
    _draft_timer: Timer | None = None
    _draft_closed = False
    _restored_from: str | None = None
    """The key of a draft put into this form at start (a clash's draft has its own)."""
    _reopened_unsaved = False
    """Opened again by its screen with what a save that failed held: nothing of it is
    stored, so it counts as changed, and no older draft is offered over it."""

    def draft_subject(self) -> str:
        """The record the form edits ("new" for a new one), from the attributes forms
        keep it under; the dialog's title when none is found."""
        if self.subject is not None:
            return self.subject
        if getattr(self, "is_new", False):
            return "new"
        for name in _SUBJECTS:
            record = getattr(self, name, None)
            if record is None or isinstance(record, str | bool):
                continue
            if getattr(record, "number", None) == 0:
                return "new"  # numbered when first saved (ISS-n, CR-n, UAT-n)
            for attribute in ("number", "id", "engagement", "name"):
                value = getattr(record, attribute, None)
                if value not in (None, "", 0):
                    return str(value)
            return "new"
        titles = self.query(".dialog-title")
        return str(titles.first(Static).content) if titles else "new"

    def draft_key(self) -> str:
        return f"{type(self).__name__}:{self.draft_subject()}"

    def draft_label(self) -> str:
        titles = self.query(".dialog-title")
        return str(titles.first(Static).content) if titles else type(self).__name__

    def changed(self) -> bool:
        """Does any field hold something other than what the form opened with?"""
        return self._draft_base is not None and (
            self._reopened_unsaved or field_values(self) != self._draft_base
        )

    def start_drafting(self) -> None:
        """On mount, before any key reaches a field: remember what the fields hold, then
        (after the first refresh) offer a kept draft back."""
        if not self.keeps_drafts or self._draft_base is not None:
            return
        self._draft_base = field_values(self)
        self._reopened_unsaved = self.draft_key() in self.app.awaiting_save
        self.app.open_forms.add(self)
        self.app.awaiting_save.clear()  # saves of forms before this one have settled
        self.call_after_refresh(self._offer_kept)

    def _offer_kept(self) -> None:
        if not self.is_attached or self._draft_closed:
            return
        chosen = self.app.restoring.pop(self.draft_key(), None)
        if chosen is not None:  # the engineer chose it at start: fill in, do not ask
            self._restored_from = chosen.key
            apply_values(self, chosen.values)
            return
        if self._reopened_unsaved:
            # It holds what was just typed; a kept draft of it is older (the disk was
            # full when the save tried to keep the newest). Its own draft replaces it.
            self._schedule_draft()
            return
        kept = self.app.store.drafts.get(self.draft_key())
        if kept is None or kept.values == self._draft_base:
            return
        from sitedash.modals.confirm import ConfirmDialog

        when = kept.saved_at.astimezone().strftime("%Y-%m-%d %H:%M")

        def answered(restore: bool | None) -> None:
            if restore:
                apply_values(self, kept.values)
            else:
                self.app.store.drafts.remove(self.draft_key())

        question = (
            t("Restore what you typed here at {time}, unsaved?", time=when)
            if kept.reason == "unsaved"
            else t(
                "Restore your version, kept at {time} when another terminal changed it?",
                time=when,
            )
        )
        self.app.push_screen(ConfirmDialog(question), answered)

    def on_input_changed(self) -> None:
        self._schedule_draft()

    def on_text_area_changed(self) -> None:
        self._schedule_draft()

    def on_select_changed(self) -> None:
        self._schedule_draft()

    def on_checkbox_changed(self) -> None:
        self._schedule_draft()

    def on_selection_list_selected_changed(self) -> None:
        self._schedule_draft()

    def _schedule_draft(self) -> None:
        if self._draft_base is None or self._draft_closed:
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY, self.keep_draft)

    def keep_draft(self) -> None:
        """Write what the fields hold as this form's draft now (or remove the draft when
        they hold what the form opened with). A failing disk is said in one line."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        if self._draft_base is None or self._draft_closed:
            return
        drafts = self.app.store.drafts
        try:
            if self.changed():
                drafts.put(self.as_draft())
            else:
                drafts.remove(self.draft_key())
        except StoreError as error:
            self.app.report_error(error)

    def as_draft(self) -> Draft:
        """What the form holds now, as a draft it can be reopened from."""
        from sitedash.storage.drafts import Draft

        return Draft(
            key=self.draft_key(),
            label=self.draft_label(),
            saved_at=self.app.clock(),
            values=field_values(self),
            mode=self.app.current_mode or "",
            form=type(self).__name__,
            subject=self.draft_subject(),
        )

    def dismiss(self, result: Any = None) -> Any:
        """Closing the form: discarded (no result) ends its draft. Saved (a result):
        what it holds stays with the app until the write has gone through
        (`SiteDash.wrote`); when the write fails the app opens the form again with it
        (`SiteDash.report_error`), so a full disk or a refused write loses nothing."""
        if result is not None and self._draft_base is not None and self.changed():
            kept = self.as_draft()
            self.app.awaiting_save[kept.key] = kept
            with contextlib.suppress(StoreError):  # on a full disk it stays in memory
                self.app.store.drafts.put(kept)
        elif self._draft_base is not None:
            self.app.store.drafts.remove(self.draft_key())
        if self._restored_from is not None:
            if result is None:
                self.app.store.drafts.remove(self._restored_from)
            else:
                self.app.saved_with[self.draft_key()] = self._restored_from
        self._draft_closed = True
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self.app.open_forms.discard(self)
        return super().dismiss(result)

    def action_cancel(self) -> None:
        """Escape: an unchanged form closes at once; a changed one asks first."""
        if not self.keeps_drafts or not self.changed():
            self.dismiss(None)
            return
        from sitedash.modals.confirm import LeaveDialog

        def chosen(choice: str | None) -> None:
            if choice == "discard":
                self.dismiss(None)
            elif choice == "save":
                self.action_save()

        self.app.push_screen(LeaveDialog(), chosen)

    def action_save(self) -> None:
        """Dialogs that can save override this (FormDialog)."""


FormResult = TypeVar("FormResult")


class FormDialog(Drafting[FormResult | None]):
    """Enter in a field or ctrl+s saves, escape cancels; `build` returns the result or
    raises InputError, which is shown inline with everything typed kept."""

    BINDINGS = [Binding("ctrl+s", "save", "Save", id="form.save")]
    error = ""

    def buttons(self, label: str = "", variant: str = "primary") -> ComposeResult:
        """The error line and the Save (or `label`) and Cancel buttons."""
        yield Static(id="dialog-error", classes="dialog-error")
        with Horizontal(classes="dialog-buttons"):
            yield Button(
                label or t("Save ({key})", key=self.key("form.save")),
                id="save",
                variant=variant,  # type: ignore[arg-type]
                compact=True,
            )
            yield Button(t("Cancel"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.show_error(self.error)
        # Textual calls on_mount of every class in the MRO: subclasses do not override it.
        fields = self.query("Input, TextArea")
        if fields:
            fields.first().focus()
        self.start_drafting()

    def on_input_submitted(self) -> None:
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value

    def build(self) -> FormResult:
        raise NotImplementedError

    def action_save(self) -> None:
        try:
            result = self.build()
        except InputError as problem:
            self.show_error(str(problem))
            return
        self.dismiss(result)
