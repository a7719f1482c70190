"""The keys of the screen at the bottom, drawn as one line of text, which also
confirms a save ("✓ Logged ISS-31") until the next key.

Textual's Footer mounts a widget per key and rebuilds them all whenever the keys change
(25-50 ms per rebuild on these screens, then two more layout passes while the new keys
are sized; a Sign-off tab switch paid it every time). One line of text costs well under
a millisecond to draw and needs no layout. It looks like Textual's footer, keys stay
clickable, and it is redrawn only when the keys shown change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import groupby
from typing import NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget

from sitedash.textsafe import clean_line
from sitedash.widgets.safe import binding_text, group_text

DIM = Style(dim=True)
SEPARATOR = "▏"
"""Between the screen's keys and the palette key on the right, as in Textual's footer."""


@dataclass(frozen=True, slots=True)
class FooterItem:
    """One entry of the line: a key and what it does, or a group such as `[] Day`."""

    keys: tuple[tuple[str, str], ...]
    """(key, how it is shown) for each key of the entry."""
    description: str
    enabled: bool = True
    grouped: bool = False


def footer_items(
    bindings: Iterable[tuple[Binding, bool]], display: Callable[[Binding], str]
) -> list[FooterItem]:
    """The entries for `bindings` (binding, enabled) in order, as Textual's Footer shows
    them: one per action, and the actions of a `Binding.Group` as one entry. `display`
    is how a key is shown (`App.get_key_display`)."""
    by_action: dict[str, list[tuple[Binding, bool]]] = {}
    for binding, enabled in bindings:
        by_action.setdefault(binding.action, []).append((binding, enabled))
    items: list[FooterItem] = []
    for group, actions in groupby(by_action.values(), lambda found: found[0][0].group):
        members = [found[0] for found in actions]
        if group is not None and len(members) > 1:
            keys = tuple((binding.key, display(binding)) for binding, _ in members)
            enabled = any(on for _, on in members)
            items.append(FooterItem(keys, group_text(group), enabled, grouped=True))
        else:
            for binding, enabled in members:
                items.append(
                    FooterItem(((binding.key, display(binding)),), binding_text(binding), enabled)
                )
    return items


class SiteFooter(Widget):
    """The screen's keys, and the command palette's and quit keys on the right.

    A save is confirmed here (`say`), in place of the screen's keys until the next
    key: a toast would cover the table, often the very line that was saved.
    """

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "footer--key",
        "footer--description",
        "footer--separator",
        "footer--message",
    }
    RIGHT_ACTIONS = ("command_palette", "quit")
    """Shown on the right of every screen, whatever keys they are bound to (issue 19:
    how to quit was only at the end of the help)."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[FooterItem] = []
        self.right: list[FooterItem] = []
        self.message = ""
        """A confirmation shown instead of the keys until the next key ("" for none)."""
        self._targets: list[Target] = []

    def say(self, message: str) -> None:
        """Show `message` (one line of text, never markup) until the next key."""
        message = clean_line(message)
        if message != self.message:
            self.message = message
            self.refresh()

    def clear_message(self) -> None:
        if self.message:
            self.message = ""
            self.refresh()

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self.bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Read the keys again; redraw only when what is shown changes."""
        if not self.app.app_focus or screen is not self.screen:
            return  # as Textual's footer: keys are not reshuffled while unfocused
        active = screen.active_bindings
        shown: list[tuple[Binding, bool]] = []
        right: dict[str, tuple[Binding, bool]] = {}
        for _node, binding, enabled, _tooltip in active.values():
            if binding.action in self.RIGHT_ACTIONS:
                # By action, not key: the keymap may have moved them (first key wins).
                right.setdefault(binding.action, (binding, enabled))
            elif binding.show:
                shown.append((binding, enabled))
        if not self.app.ENABLE_COMMAND_PALETTE:
            right.pop("command_palette", None)
        display = self.app.get_key_display
        items = footer_items(shown, display)
        right_items = footer_items(
            [right[action] for action in self.RIGHT_ACTIONS if action in right], display
        )
        if items != self.items or right_items != self.right:
            self.items, self.right = items, right_items
            self.refresh()

    def render(self) -> Text:
        key_style = self.get_component_rich_style("footer--key")
        description_style = self.get_component_rich_style("footer--description")
        right, right_targets = Text(no_wrap=True, end=""), list[Target]()
        if self.right:
            right.append(SEPARATOR, self.get_component_rich_style("footer--separator"))
        for item in self.right:
            right_targets += add_item(right, item, key_style, description_style, padded=False)
        room = self.size.width - right.cell_len
        left, left_targets = Text(no_wrap=True, end=""), list[Target]()
        if self.message:
            left.append(f" ✓ {self.message} ", self.get_component_rich_style("footer--message"))
            if left.cell_len > room:
                # A confirmation is read whole ("UAT-1 failed: i opens an issue from it, l
                # links an existing one"): the palette and quit keys make way until the
                # next key brings them back.
                right, right_targets, room = Text(no_wrap=True, end=""), [], self.size.width
        else:
            for item in self.items:
                left_targets += add_item(left, item, key_style, description_style)
            if left.cell_len > room:  # one space between keys rather than cut the last
                left, left_targets = Text(" ", no_wrap=True, end=""), []
                for item in self.items:
                    left_targets += add_item(left, item, key_style, description_style, padded=False)
        if left.cell_len > room:  # narrower than the keys: cut, never wrap
            left.truncate(max(room - 1, 0))
            left.append("…", description_style)
        left.append(" " * max(room - left.cell_len, 0))
        offset = left.cell_len
        self._targets = [t for t in left_targets if t.end <= room] + [
            Target(t.start + offset, t.end + offset, t.key, t.enabled) for t in right_targets
        ]
        return Text.assemble(left, right, no_wrap=True, end="")

    def on_click(self, event: events.Click) -> None:
        """A click on a key presses it (a disabled one rings the bell), as in Textual."""
        for target in self._targets:
            if target.start <= event.x < target.end:
                if target.enabled:
                    self.app.simulate_key(target.key)
                else:
                    self.app.bell()
                return


class Target(NamedTuple):
    """The columns [start, end) of the line where a click presses `key`."""

    start: int
    end: int
    key: str
    enabled: bool


def add_item(
    text: Text, item: FooterItem, key_style: Style, description_style: Style, *, padded: bool = True
) -> list[Target]:
    """Append ` a Add ` (the key padded, the description after) or ` [] Day ` (a group)
    to `text`; returns where each of its keys can be clicked."""
    if not item.enabled:
        key_style, description_style = key_style + DIM, description_style + DIM
    begin = text.cell_len
    targets: list[Target] = []
    if item.grouped:
        text.append(" " if padded else "")
        for key, shown in item.keys:
            before = text.cell_len
            text.append(shown, key_style)
            targets.append(Target(before, text.cell_len, key, item.enabled))
        text.append(" " if padded else "")
    else:
        shown = item.keys[0][1]
        text.append(f" {shown} " if padded else shown, key_style)
    if item.description:
        text.append(
            f"{item.description} " if padded else f" {item.description} ", description_style
        )
    if not item.grouped:
        targets.append(Target(begin, text.cell_len, item.keys[0][0], item.enabled))
    return targets
