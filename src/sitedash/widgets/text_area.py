"""The multi-line text field of forms and the stand-up notes."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import TextArea


class NoteArea(TextArea):
    """A TextArea whose ctrl+a selects all, as in most editors and browsers, so that
    what is typed next replaces the text there (a form's template, last time's note)
    instead of landing in front of it: Textual's TextArea sends ctrl+a to the start of
    the line (issue 19). Home still goes to the start of the line."""

    BINDINGS = [
        Binding("ctrl+a", "select_all", "Select all", id="text.select_all", show=False),
    ]
