"""The stand-up panel: what was done and what is planned beside the engineer's notes."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Label, Static

from sitedash.i18n import t
from sitedash.widgets.text_area import NoteArea


class StandupPanel(Horizontal):
    """Yesterday's progress, today's plan and the problems the plan raises by itself
    (late or at-risk milestones, risks due a look; derived), and three notes saved as
    typed: problems met / help needed, resources to coordinate, the customer's daily
    sync."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="standup-derived"):
            # First: what needs saying at the stand-up (hidden when there is nothing).
            yield Static(id="standup-problems")
            yield Static(id="standup-yesterday")
            yield Static(id="standup-today")
        with Vertical(id="standup-notes"):
            yield Label(t("Problems met / help needed"), markup=False)
            yield NoteArea(id="blockers", classes="note")
            yield Label(t("Resources to coordinate"), markup=False)
            yield NoteArea(id="resources", classes="note")
            yield Label(t("Customer daily sync (15 min) and notes"), markup=False)
            yield NoteArea(id="sync_note", classes="note")
