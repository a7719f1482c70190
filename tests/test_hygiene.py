"""Source-level guards: user-facing widgets never parse our strings as markup."""

from __future__ import annotations

import ast
import re
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


def test_every_text_area_selects_all_with_ctrl_a() -> None:
    """Forms and the stand-up build NoteArea, whose ctrl+a selects all (issue 19), never
    Textual's TextArea, whose ctrl+a goes to the start of the line."""
    built = [
        f"{path.relative_to(SRC)}:{number}"
        for path in sorted(SRC.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"(?<![\w.])TextArea\(", line)
    ]
    assert built == [], f"use sitedash.widgets.text_area.NoteArea: {built}"
    uses = [p for p in SRC.rglob("*.py") if "NoteArea(" in p.read_text(encoding="utf-8")]
    assert len(uses) >= 6, "the forms and the stand-up build NoteArea"
