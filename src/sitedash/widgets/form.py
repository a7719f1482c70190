"""Compact form rows that fit a dialog at 80x24: a label on the left, a field on the right."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Label, Select
from textual.widgets.select import NoSelection

from sitedash.errors import InputError
from sitedash.i18n import t

T = TypeVar("T")


def field_row(label: str, *widgets: Widget) -> Horizontal:
    """`Label  [field]` or, with several widgets, `Label  [a]  Label2 [b]`."""
    return Horizontal(Label(label, classes="field-label", markup=False), *widgets, classes="field")


def pair_row(first: tuple[str, Widget], second: tuple[str, Widget]) -> Horizontal:
    """Two short fields on one line."""
    return Horizontal(
        Label(first[0], classes="field-label", markup=False),
        first[1],
        Label(second[0], classes="field-label second", markup=False),
        second[1],
        classes="field",
    )


class ChoiceSelect(Select[T]):
    """A drop-down that knows its choices, so a kept draft can choose one again."""

    def __init__(self, options: Iterable[tuple[str, T]], value: T, widget_id: str) -> None:
        listed = list(options)
        super().__init__(listed, value=value, allow_blank=False, compact=True, id=widget_id)
        self.choices: list[T] = [choice for _, choice in listed]


def choice_select(options: Iterable[tuple[str, T]], value: T, widget_id: str) -> Select[T]:
    """A compact drop-down that always holds one of `options` (read it with `chosen`)."""
    return ChoiceSelect(options, value, widget_id)


def chosen(select: Select[T]) -> T:
    """The value of a Select that cannot be blank (typed, for the forms)."""
    value = select.value
    if isinstance(value, NoSelection):  # only if allow_blank were set by mistake
        raise InputError(t("choose a value from the list"))
    return value
