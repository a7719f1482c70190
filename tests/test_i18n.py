"""The Chinese catalogue matches the source: every message is translated, nothing is stale.

Message ids are read from the source with `ast`, not by running it: the literal first
argument of `t("...")`, and the description (and tooltip) of `Binding(...)`, which
`binding_text` translates when a key is shown. A message built at runtime cannot be read
this way, so `t()` takes literals only.
"""

from __future__ import annotations

import ast
import string
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from sitedash.i18n import language, t
from sitedash.i18n.zh import CATALOGUE

SRC = Path(__file__).resolve().parent.parent / "src" / "sitedash"

# The places allowed to translate a variable: binding descriptions (collected above) and
# t_literal, whose callers pass literals.
DYNAMIC_T_ALLOWED = (Path("widgets/safe.py"), ("binding_text", "group_text", "t_literal"))
TRANSLATING = ("t", "t_literal")
"""Functions whose first argument is a message id (t_literal: widgets/safe.py)."""
PLURAL = "tn"
"""`tn(count, singular, plural, ...)`: its second and third arguments are message ids."""


def _source_files() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(SRC.rglob("*.py")):
        yield path.relative_to(SRC), ast.parse(path.read_text(encoding="utf-8"), str(path))


def _calls_to(tree: ast.AST, name: str) -> Iterator[ast.Call]:
    """Calls to `name(...)` or `something.name(...)`."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if (isinstance(func, ast.Name) and func.id == name) or (
                isinstance(func, ast.Attribute) and func.attr == name
            ):
                yield node


def _string(node: ast.expr | None) -> str | None:
    """The value of a string literal (adjacent literals are already one Constant)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _binding_texts(call: ast.Call) -> list[ast.expr | None]:
    """`Binding(key, action, description, ...)` or `description=`; and `tooltip=`."""
    description = _keyword(call, "description")
    if description is None and len(call.args) > 2:
        description = call.args[2]
    return [description, _keyword(call, "tooltip")]


@cache
def source_messages() -> dict[str, list[str]]:
    """Every message id in the source -> where it is used (`file:line`)."""
    found: dict[str, list[str]] = {}
    for path, tree in _source_files():
        nodes: list[ast.expr | None] = [
            call.args[0]
            for name in TRANSLATING
            for call in _calls_to(tree, name)
            if isinstance(call.func, ast.Name) and call.args
        ]
        for call in _calls_to(tree, PLURAL):
            if isinstance(call.func, ast.Name):
                nodes += call.args[1:3]
        for call in _calls_to(tree, "Binding"):
            nodes += _binding_texts(call)
        for call in _calls_to(tree, "Group"):  # Binding.Group("Day"): a footer label
            nodes += call.args[:1]
        for node in nodes:
            message = _string(node)
            if message:
                assert node is not None
                found.setdefault(message, []).append(f"{path}:{node.lineno}")
    return found


def _placeholders(message: str) -> set[str]:
    """`{name!r:>5}` -> `name!r:>5`: the name, the conversion and the format spec."""
    return {
        f"{name}!{conversion or ''}:{spec or ''}"
        for _, name, spec, conversion in string.Formatter().parse(message)
        if name is not None
    }


def _sample_values(message: str) -> dict[str, object]:
    names = {name for _, name, _, _ in string.Formatter().parse(message) if name}
    return {name.split(".")[0].split("[")[0]: 1 for name in names}


def test_the_collector_finds_messages() -> None:
    """Guards the collector itself: if it found nothing, every test below would pass."""
    messages = source_messages()
    assert "Save" in messages  # a Binding description
    assert "Issues" in messages  # a t() literal
    assert len(messages) > 100


def test_every_message_has_a_translation() -> None:
    """A message missing from the catalogue shows up in English on a Chinese screen.
    The failure lists the missing ids, ready to paste into sitedash/i18n/zh.py."""
    messages = source_messages()
    missing = sorted(set(messages) - set(CATALOGUE))
    assert not missing, "Untranslated messages (add them to sitedash/i18n/zh.py):\n" + "\n".join(
        f"    {message!r}: ...,  # {messages[message][0]}" for message in missing
    )


def test_every_translation_is_used() -> None:
    """A stale entry is dead weight, and usually means the English text was reworded
    and the new wording is untranslated."""
    stale = sorted(set(CATALOGUE) - set(source_messages()))
    assert not stale, "Catalogue entries no longer in the source (remove them):\n" + "\n".join(
        f"    {message!r}" for message in stale
    )


def test_translations_keep_the_placeholders() -> None:
    """`t()` fills the same `{values}` in both languages: a placeholder renamed, dropped,
    added or given another conversion (`!r`) raises KeyError or loses information."""
    wrong = []
    for message, translation in sorted(CATALOGUE.items()):
        if not translation.strip():
            wrong.append(f"{message!r}: empty translation")
        elif _placeholders(translation) != _placeholders(message):
            wrong.append(f"{message!r}: {translation!r}")
        else:
            values = _sample_values(message)
            for lang in ("en", "zh"):
                with language(lang):
                    try:
                        t(message, **values)
                    except (KeyError, IndexError, ValueError) as error:
                        wrong.append(f"{message!r} ({lang}): {error!r}")
    assert not wrong, "Placeholders differ or do not format:\n" + "\n".join(wrong)


def test_t_is_only_called_with_literals() -> None:
    """A message built at runtime (f-string, variable, `+`) cannot be found by the tests
    above, so it would silently stay in English. Only binding_text and group_text pass a
    variable: the binding descriptions they translate are collected separately."""
    offenders = []
    for path, tree in _source_files():
        allowed: set[ast.AST] = set()
        if path == DYNAMIC_T_ALLOWED[0]:
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef) and node.name in DYNAMIC_T_ALLOWED[1]:
                    allowed.update(ast.walk(node))
        offenders += [
            f"{path}:{call.lineno}"
            for name in TRANSLATING
            for call in _calls_to(tree, name)
            if isinstance(call.func, ast.Name)
            and call not in allowed
            and (not call.args or _string(call.args[0]) is None)
        ]
        offenders += [
            f"{path}:{call.lineno}"
            for call in _calls_to(tree, PLURAL)
            if isinstance(call.func, ast.Name)
            and (len(call.args) < 3 or None in (_string(a) for a in call.args[1:3]))
        ]
    assert offenders == [], "t() called with a non-literal message:\n" + "\n".join(offenders)


def _plural_pairs() -> list[tuple[str, str]]:
    pairs = []
    for _path, tree in _source_files():
        for call in _calls_to(tree, PLURAL):
            if isinstance(call.func, ast.Name) and len(call.args) >= 3:
                one, other = _string(call.args[1]), _string(call.args[2])
                if one is not None and other is not None:
                    pairs.append((one, other))
    return pairs


def test_plurals_say_one_thing_in_both_forms() -> None:
    """Issue 19: "1 days", "1 sessions". The singular and the plural of a `tn` call
    fill the same values, differ in English, and read the same in Chinese (which has
    no plural form)."""
    pairs = _plural_pairs()
    assert len(pairs) >= 10, "the collector finds the plural messages"
    wrong = [
        (one, other)
        for one, other in pairs
        if one == other
        or _placeholders(one) != _placeholders(other)
        or CATALOGUE.get(one) != CATALOGUE.get(other)
    ]
    assert wrong == []


def test_plural_forms_are_chosen_by_the_count() -> None:
    from sitedash.i18n import tn

    assert tn(1, "{n} day", "{n} days") == "1 day"
    assert tn(2, "{n} day", "{n} days") == "2 days"
    assert tn(0, "{n} day", "{n} days") == "0 days"
    with language("zh"):
        assert tn(1, "{n} day", "{n} days") == "1 天"
        assert tn(3, "{n} day", "{n} days") == "3 天"


def test_translations_add_no_square_brackets() -> None:
    """Some widgets parse strings as Textual markup: a `[` or `]` the English does not
    have could swallow text, or run an action, on the Chinese screen only."""
    added = [
        message
        for message, translation in sorted(CATALOGUE.items())
        if translation.count("[") > message.count("[")
        or translation.count("]") > message.count("]")
    ]
    assert added == []


def test_translations_break_lines_like_the_english() -> None:
    """Error messages and labels are one line: a translation has a line break only
    where the English has one."""
    assert [m for m, zh in sorted(CATALOGUE.items()) if zh.count("\n") != m.count("\n")] == []
