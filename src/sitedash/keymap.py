"""The engineer's keymap: binding ids -> keys, kept in Settings (as Posting's `keymap`).

Every Binding of the dashboard has an `id=`; `App.set_keymap` gives them the keys the
settings name. A key given to two bindings that are active together is a conflict, and
an id that names no binding is a typing mistake: both are said at start in one line,
for every screen at once (Textual itself notices a clash only on the screen shown, at
each key press).
"""

from __future__ import annotations

import importlib
import pkgutil
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from textual.binding import Binding, BindingsMap
from textual.keys import KEY_NAME_REPLACEMENTS

from sitedash.i18n import t

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from sitedash.app import SiteDash


def normal_key(key: str) -> str:
    """A key as Textual names it in a binding: `?` -> `question_mark`, `K` stays."""
    key = key.strip()
    if len(key) == 1 and not key.isalnum():
        name = unicodedata.name(key, key).lower().replace("-", "_").replace(" ", "_")
        return KEY_NAME_REPLACEMENTS.get(name, name)
    return key


def keys_of(text: str) -> list[str]:
    """The keys of a binding or keymap entry (`"n,ctrl+k"`), as Textual names them."""
    return [normal_key(key) for key in text.split(",") if key.strip()]


def bindings_of(cls: type[DOMNode]) -> list[Binding]:
    """The bindings a class has, its bases' included, merged as Textual merges them: a
    class's binding on a key replaces its base's on that key (IssueCards' home)."""
    keys: dict[str, list[Binding]] = {}
    for klass in reversed(cls.__mro__):
        declared = klass.__dict__.get("BINDINGS")
        if declared:
            keys.update(BindingsMap(declared).key_to_bindings)
    return [binding for bound in keys.values() for binding in bound]


@dataclass(frozen=True, slots=True)
class Context:
    """Classes whose bindings are active together (the app, a screen, a part of it)."""

    name: str
    classes: tuple[type[DOMNode], ...]

    def bindings(self) -> Iterator[Binding]:
        for cls in self.classes:
            yield from bindings_of(cls)


def contexts(app_class: type[DOMNode]) -> list[Context]:
    """Where bindings meet: the app with each screen and the part of it that has focus
    (a board column, an Engagement tab, a table), and the app with each dialog and, in
    a form, the field that has focus (a TextArea's ctrl+z is not free for the form)."""
    # Imported here: screens and dialogs are loaded lazily at start-up, and a check is
    # only needed when the engineer has a keymap.
    from textual.screen import ModalScreen
    from textual.widgets import Input, TextArea

    from sitedash import modals, screens
    from sitedash.modals.base import Drafting
    from sitedash.screens.base import SiteScreen
    from sitedash.widgets.tables import SiteTable

    for package in (screens, modals):
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            importlib.import_module(module.name)
    found: list[Context] = []
    for screen in _subclasses(SiteScreen):
        for part in screen.KEY_PARTS:
            # A part that is not a table itself (an Engagement tab) holds one.
            inner = () if issubclass(part, SiteTable) else (SiteTable,)
            found.append(Context(screen.MODE or screen.__name__, (app_class, screen, part, *inner)))
    for dialog in _subclasses(ModalScreen):
        if not dialog.__module__.startswith("sitedash."):
            continue
        found.append(Context(dialog.__name__, (app_class, dialog)))
        if issubclass(dialog, Drafting):
            for field in (Input, TextArea):
                found.append(Context(dialog.__name__, (app_class, dialog, field)))
    return found


_T = TypeVar("_T")


def _subclasses(cls: type[_T]) -> Iterator[type[_T]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def known_ids(found: Iterable[Context]) -> set[str]:
    return {b.id for context in found for b in context.bindings() if b.id}


def problems(keymap: dict[str, str], found: list[Context]) -> list[str]:
    """What is wrong with `keymap`: ids no binding has, and keys it gives to a binding
    that another binding active at the same time also has. Clashes between the
    dashboard's own bindings (none: a test says so) are not the keymap's doing."""
    if not keymap:
        return []
    said: list[str] = []
    unknown = sorted(set(keymap) - known_ids(found))
    if unknown:
        said.append(t("no binding has the id {ids}", ids=", ".join(unknown)))
    seen: set[tuple[str, frozenset[str]]] = set()
    for context in found:
        by_key: dict[str, dict[str, Binding]] = {}
        for binding in context.bindings():
            who = binding.id or f"{binding.action}"
            keys = keys_of(keymap[binding.id]) if binding.id in keymap else keys_of(binding.key)
            for key in keys:
                by_key.setdefault(key, {})[who] = binding
        for key, bound in by_key.items():
            ids = frozenset(bound)
            if len(ids) > 1 and ids & set(keymap) and (key, ids) not in seen:
                seen.add((key, ids))
                said.append(
                    t("{key} is bound to {ids} at once", key=key, ids=", ".join(sorted(ids)))
                )
    return said


SHOWN_PROBLEMS = 2
"""Problems named in the line; a key taken on every screen would otherwise make one
line of ten clashes, more than a toast of three lines shows."""


def problem_line(keymap: dict[str, str], app_class: type[DOMNode]) -> str:
    """One line for the start-up notice and the Settings form, "" when the keymap is
    fine: the first problems, and how many more there are."""
    found = problems(keymap, contexts(app_class))
    if not found:
        return ""
    shown = "; ".join(found[:SHOWN_PROBLEMS])
    if len(found) > SHOWN_PROBLEMS:
        shown = t("{problems}; {n} more", problems=shown, n=len(found) - SHOWN_PROBLEMS)
    return t("Keymap: {problems}", problems=shown)


def key_label(app: SiteDash, binding_id: str, owner: type[DOMNode]) -> str:
    """The key that runs binding `binding_id` now, shown as the footer shows keys: the
    engineer's keymap first, else the binding's own first key. Hints name it ("Press a
    to add an item"), so a remapped key is the one they say. `owner` declares the
    binding (a screen; the app for the global ones)."""
    custom = custom_key_label(app, binding_id)
    if custom is not None:
        return custom
    declared = _declared(owner, binding_id)
    return app.get_key_display(declared) if declared is not None else binding_id


def custom_key_label(app: SiteDash, binding_id: str) -> str | None:
    """The engineer's own key for `binding_id`, shown as the footer shows keys; None
    when the keymap leaves the binding its key."""
    first = app.settings.first_key(binding_id)
    return app.get_key_display(Binding(normal_key(first), "")) if first else None


def _declared(owner: type[DOMNode], binding_id: str) -> Binding | None:
    for binding in bindings_of(owner):
        if binding.id == binding_id:
            return binding
    return None


def apply(app: SiteDash) -> None:
    """Give the bindings the keys the settings name, and say in one line what is wrong
    with them (once the first frame is up: finding out loads every screen's keys)."""
    keymap = dict(app.settings.keymap)
    if keymap == app.keymap_applied:
        return
    app.keymap_applied = keymap
    app.set_keymap(keymap)
    if keymap:

        def report() -> None:
            line = problem_line(keymap, type(app))
            if line:
                app.notify(line, severity="warning", markup=False, timeout=15)

        app.after_first_frame(report)
