"""The UAT case dialog of the Sign-off screen: what to test, what should happen, what did."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Label, Select, Static, TextArea

from sitedash.i18n import t
from sitedash.modals.base import FormDialog
from sitedash.models import UatCase, UatResult, replace
from sitedash.services import uat
from sitedash.services.timeutil import parse_day
from sitedash.widgets.form import choice_select, chosen, field_row, pair_row
from sitedash.widgets.text_area import NoteArea


class UatCaseForm(FormDialog[UatCase]):
    """Every field of a case; the screen saves it (and reopens the form on an error)."""

    def __init__(self, case: UatCase, *, is_new: bool, error: str = "") -> None:
        super().__init__()
        self.case, self.is_new, self.error = case, is_new, error

    def compose(self) -> ComposeResult:
        c = self.case
        heading = t("New UAT case") if self.is_new or not c.number else c.key
        with Vertical(classes="dialog form", id="uat-form"):
            yield Static(heading, classes="dialog-title", markup=False)
            with VerticalScroll():
                yield field_row(t("Title"), Input(c.title, id="title", compact=True))
                yield pair_row(
                    (
                        t("Module"),
                        Input(
                            c.module, id="module", compact=True, placeholder=t("e.g. Production")
                        ),
                    ),
                    (
                        t("Result"),
                        choice_select(
                            [(uat.result_label(r), r) for r in uat.RESULTS], c.result, "result"
                        ),
                    ),
                )
                yield pair_row(
                    (t("Tester"), Input(c.tester, id="tester", compact=True)),
                    (
                        t("Date"),
                        Input(
                            c.day.isoformat() if c.day else "",
                            id="day",
                            compact=True,
                            placeholder="YYYY-MM-DD",
                        ),
                    ),
                )
                yield Label(t("Steps"), markup=False)
                yield NoteArea(c.steps, id="steps", classes="form-text", compact=True)
                yield Label(t("Expected result"), markup=False)
                yield NoteArea(c.expected, id="expected", classes="form-text", compact=True)
                yield Label(t("Actual result (becomes the symptom of an issue)"), markup=False)
                yield NoteArea(c.actual, id="actual", classes="form-text", compact=True)
                yield field_row(
                    t("Issues"),
                    Input(
                        uat.issue_keys(c.issues),
                        id="issues",
                        compact=True,
                        placeholder="ISS-3, ISS-7",
                    ),
                )
            yield from self.buttons()

    _auto_dated = False

    @on(Select.Changed, "#result")
    def _ran_today(self, event: Select.Changed) -> None:
        """A result dates the run today unless a date is there already; back to not run
        takes that date away again."""
        day = self.query_one("#day", Input)
        if event.value != UatResult.NOT_RUN and not day.value.strip():
            day.value = self.app.today().isoformat()
            self._auto_dated = True
        elif event.value == UatResult.NOT_RUN and self._auto_dated:
            day.value = ""
            self._auto_dated = False

    def build(self) -> UatCase:
        day = self.value("day").strip()
        return uat.check_case(
            replace(
                self.case,
                title=self.value("title"),
                module=self.value("module"),
                result=chosen(self.query_one("#result", Select)),
                tester=self.value("tester"),
                day=parse_day(day, self.app.today(), forward=False) if day else None,
                steps=self.query_one("#steps", TextArea).text,
                expected=self.query_one("#expected", TextArea).text,
                actual=self.query_one("#actual", TextArea).text,
                issues=uat.parse_issue_list(self.value("issues")),
            )
        )
