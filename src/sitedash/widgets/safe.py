"""User text on screen: always literal, never markup, never a terminal escape.

A plain `str` handed to `Static`, `Label`, `notify` or a DataTable cell is parsed as
Textual markup (FACTS.md): `[@click=app.quit]` would run an action. Screens build
their user-facing text with these helpers instead.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import BindingsMap
from textual.content import Content

from sitedash.i18n import t
from sitedash.textsafe import clean, clean_line

if TYPE_CHECKING:
    from textual.dom import DOMNode


def literal(text: str, style: str = "") -> Content:
    """User text as Content: control characters stripped, brackets shown as typed."""
    return Content.styled(clean(text), style) if style else Content(clean(text))


def cell(text: str, style: str = "", *, width: int | None = None) -> Text:
    """One-line user text for a DataTable cell, truncated with an ellipsis by cell width."""
    rich_text = Text(clean_line(text), style=style, no_wrap=True, overflow="ellipsis")
    if width is not None:
        rich_text.truncate(max(width, 1), overflow="ellipsis")
    return rich_text


def translate_bindings(node: DOMNode) -> None:
    """Translate the descriptions of a node's bindings into the current language.

    BINDINGS are class attributes, evaluated when the module is imported; translating
    the instance's copy lets one class serve both languages.
    """
    node._bindings = BindingsMap.from_keys(
        {
            key: [
                replace(
                    binding,
                    description=t(binding.description) if binding.description else "",
                    tooltip=t(binding.tooltip) if binding.tooltip else "",
                    group=replace(binding.group, description=t(binding.group.description))
                    if binding.group
                    else None,
                )
                for binding in bindings
            ]
            for key, bindings in node._bindings.key_to_bindings.items()
        }
    )


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
