"""No private Textual name outside the one module allowed to use them.

Textual's private API changes without notice (8.0 rewrote the path from `_batch_count`
to `_compositor_refresh` once). Only `sitedash/ui/warmup.py` may use it, each use
checked by `tests/ui/test_warmup.py`; everything else, tests included, uses Textual's
public API.

"Private Textual name" means: a name with one leading underscore that a Textual class
we use defines (a method, a class attribute, or an attribute its methods set on `self`),
found in the source of every Textual class in the MRO of a class the code imports or
defines. The check finds
- one of our classes defining a name a Textual class in its MRO defines (overriding
  `_size_updated`, or shadowing Textual's state by accident);
- such a name read or written as an attribute (`app._compositor`) or passed to
  `getattr`/`setattr`/`hasattr`, unless it is also a name of one of our own classes
  that no Textual base defines (a form's `_value` helper is not `Input._value`);
- imports from Textual's private modules (`textual.widgets._toast`).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import sys
import textwrap
from functools import cache
from pathlib import Path
from types import ModuleType

import sitedash

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "sitedash"
TESTS = ROOT / "tests"
ALLOWED = {SRC / "ui" / "warmup.py", TESTS / "ui" / "test_warmup.py"}
"""The module that may use Textual's private API, and its compatibility test."""
_PRIVATE_MODULE = re.compile(r"^textual(\.\w+)*\._\w+")


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _modules() -> list[ModuleType]:
    """Every sitedash module and every test module, imported."""
    names = [
        info.name
        for info in pkgutil.walk_packages(sitedash.__path__, "sitedash.")
        if not info.name.endswith("__main__")  # runs the command line
    ]
    modules = [importlib.import_module(name) for name in names]
    for path in sorted(TESTS.rglob("*.py")):
        dotted = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        modules.append(sys.modules.get(dotted) or importlib.import_module(dotted))
    return modules


@cache
def _own_names(cls: type, *, runtime: bool = True) -> frozenset[str]:
    """The private names a class defines: in its body and on `self` (from its source),
    and with `runtime` what the class holds (Textual's metaclass adds a few to every
    subclass, so our classes are read from their source only)."""
    names = {name for name in vars(cls) if _private(name)} if runtime else set()
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    except (OSError, TypeError, IndentationError):
        return names
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == cls.__name__:
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    names.add(item.name)
                elif isinstance(item, ast.Assign):
                    names.update(t.id for t in item.targets if isinstance(t, ast.Name))
                elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    names.add(item.target.id)
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "self"
            and isinstance(node.ctx, ast.Store)
            and _private(node.attr)
        ):
            names.add(node.attr)
    return frozenset(name for name in names if _private(name))


def _textual_classes(cls: type) -> list[type]:
    return [base for base in cls.__mro__ if base.__module__.split(".")[0] == "textual"]


@cache
def textual_private_names() -> dict[str, str]:
    """Private name -> the Textual class that defines it, for every Textual class in
    the MRO of a class our code imports or defines."""
    classes: set[type] = set()
    for module in _modules():
        for value in vars(module).values():
            if isinstance(value, type):
                classes.update(_textual_classes(value))
    found: dict[str, str] = {}
    for cls in sorted(classes, key=lambda c: c.__qualname__):
        for name in _own_names(cls):
            found.setdefault(name, cls.__qualname__)
    return found


@cache
def our_classes() -> list[type]:
    """Every class defined in sitedash or the tests (Textual subclasses or not)."""
    seen: dict[int, type] = {}
    for module in _modules():
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == module.__name__:
                seen[id(value)] = value
    return list(seen.values())


def overrides() -> list[str]:
    """Our classes defining a private name that a Textual class in their MRO defines."""
    found = []
    for cls in our_classes():
        if Path(inspect.getfile(cls)).resolve() in ALLOWED:
            continue
        textual = {name for base in _textual_classes(cls) for name in _own_names(base)}
        found += [
            f"{cls.__module__}.{cls.__qualname__} defines {name}"
            for name in sorted(_own_names(cls, runtime=False) & textual)
        ]
    return found


@cache
def our_names() -> set[str]:
    """Private names our own classes define that no Textual base of theirs defines."""
    names: set[str] = set()
    for cls in our_classes():
        textual = {name for base in _textual_classes(cls) for name in _own_names(base)}
        names |= _own_names(cls, runtime=False) - textual
    return names


def _module_aliases(tree: ast.Module) -> set[str]:
    """Names bound to modules other than Textual's (`os` in `os._exit`)."""
    aliases = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] != "textual":
                    aliases.add((alias.asname or alias.name).split(".")[0])
    return aliases


def uses_in(path: Path) -> list[str]:
    """`path:line: what` for every private Textual name the file uses."""
    names = {name: cls for name, cls in textual_private_names().items() if name not in our_names()}
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    modules = _module_aliases(tree)
    where = path.relative_to(ROOT)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in names:
            if isinstance(node.value, ast.Name) and node.value.id in modules:
                continue
            found.append(f"{where}:{node.lineno}: .{node.attr} ({names[node.attr]})")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in {"getattr", "setattr", "hasattr", "delattr"} and len(node.args) > 1:
                name = node.args[1]
                if isinstance(name, ast.Constant) and name.value in names:
                    found.append(f"{where}:{node.lineno}: {node.func.id} {name.value!r}")
        elif isinstance(node, ast.ImportFrom) and node.module:
            if _PRIVATE_MODULE.match(node.module) or (
                node.module.split(".")[0] == "textual"
                and any(_private(alias.name) for alias in node.names)
            ):
                found.append(f"{where}:{node.lineno}: imports from {node.module}")
        elif isinstance(node, ast.Import):
            found += [
                f"{where}:{node.lineno}: imports {alias.name}"
                for alias in node.names
                if _PRIVATE_MODULE.match(alias.name)
            ]
    return found


def test_the_check_knows_textuals_private_names() -> None:
    """The check must see the names it exists for, or it proves nothing."""
    names = textual_private_names()
    for name in ("_compositor", "_screen_stacks", "_display", "_batch_count", "_size_updated"):
        assert name in names, name
    assert uses_in(SRC / "ui" / "warmup.py"), "the allowed module is where they are"
    from sitedash.ui.warmup import SteadyScrollbars

    assert "_size_updated" in _own_names(SteadyScrollbars), "an override is seen"


def test_no_private_textual_name_outside_warmup() -> None:
    files = [*SRC.rglob("*.py"), *TESTS.rglob("*.py")]
    found = [use for path in sorted(files) if path not in ALLOWED for use in uses_in(path)]
    found += overrides()
    assert found == [], "private Textual API outside ui/warmup.py:\n" + "\n".join(found)
