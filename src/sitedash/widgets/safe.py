"""User text on screen: always literal, never markup, never a terminal escape.

A plain `str` handed to `Static`, `Label`, `notify` or a DataTable cell is parsed as
Textual markup (FACTS.md): `[@click=app.quit]` would run an action. Screens build
their user-facing text with these helpers instead.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.content import Content

from sitedash.i18n import t
from sitedash.textsafe import clean, clean_line


def literal(text: str, style: str = "") -> Content:
    """User text as Content: control characters stripped, brackets shown as typed."""
    return Content.styled(clean(text), style) if style else Content(clean(text))


def cell(text: str, style: str = "", *, width: int | None = None) -> Text:
    """One-line user text for a DataTable cell, truncated with an ellipsis by cell width."""
    rich_text = Text(clean_line(text), style=style, no_wrap=True, overflow="ellipsis")
    if width is not None:
        rich_text.truncate(max(width, 1), overflow="ellipsis")
    return rich_text


def binding_text(binding: Binding) -> str:
    """What a key does, in the current language, for the footer, help and palette.

    BINDINGS are class attributes, evaluated when the module is imported, so their
    descriptions stay English message ids and are translated when shown: ours (they
    carry an id) through the catalogue, Textual's own through `textual_text`.
    """
    if not binding.description:
        return ""
    if binding.id is None:
        from sitedash.i18n.textual_texts import textual_text

        return textual_text(binding.description)
    return t(binding.description)


def group_text(group: Binding.Group) -> str:
    """A footer group's label (`[] Day`) in the current language."""
    return t(group.description)


def t_literal(message: str, /, style: str = "", **values: str) -> Content:
    """Translate `message` and fill its `{placeholders}` with user text kept literal.

    A translation needs the whole sentence ("modules: {modules}"), not fragments joined
    at run time; the values still go in as text, never as markup.
    """
    marked = t(message, **{name: f"\x00{name}\x00" for name in values})
    parts: list[Content] = []
    for index, piece in enumerate(marked.split("\x00")):
        if index % 2:
            parts.append(literal(values[piece], style))
        elif piece:
            parts.append(Content.styled(piece, style) if style else Content(piece))
    return Content.assemble(*parts)
