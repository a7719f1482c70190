"""Source-level guards: user-facing widgets never parse our strings as markup."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "sitedash"


def test_static_and_label_text_is_never_parsed_as_markup() -> None:
    """A str given to Static or Label is markup; a translation or a user's text holding
    `[x]` would vanish or run an action. Content objects are fine; strings need
    markup=False."""
    offenders = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (
                isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("Static", "Label")
            ):
                continue
            if not node.args:
                continue
            first = node.args[0]
            builds_content = isinstance(first, ast.Call) and getattr(
                first.func, "id", getattr(first.func, "attr", "")
            ) in ("literal", "Content", "assemble", "_bulleted", "history_text")
            has_markup_off = any(
                k.arg == "markup" and isinstance(k.value, ast.Constant) and k.value.value is False
                for k in node.keywords
            )
            if not builds_content and not has_markup_off:
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert offenders == []
