"""One registry of report kinds in `reports/`: the CLI offers what it lists, a kind is
added with one entry, and the rules layer (`services/`) never imports `reports/`."""

from __future__ import annotations

import ast
import re
from datetime import date, datetime
from pathlib import Path

import pytest

from sitedash.cli import UsageError, build_parser, main
from sitedash.i18n import language
from sitedash.models import Engagement
from sitedash.reports import registry
from sitedash.reports.collect import rollup
from sitedash.reports.markdown import report_header
from sitedash.storage import Store
from tests.conftest import FROZEN_NOW, FrozenClock

SRC = Path(__file__).resolve().parents[2] / "src" / "sitedash"


# A kind of report defined here, as a module of its own would define it.
def render(
    store: Store,
    engagement: Engagement,
    day: date,
    *,
    engineer: str,
    now: datetime,
    fmt: str = "md",
) -> str:
    if fmt == "csv":
        return "day,minutes\n" + f"{day.isoformat()},60\n"
    head = report_header(
        "memo", engineer=engineer, engagement=engagement, start=day, end=day, now=now, counts={}
    )
    return head + "\n# Memo\n"


def file_name(engagement: Engagement, day: date) -> str:
    return f"memo-{engagement.id}-{day.isoformat()}.md"


MEMO = registry.ReportKind(
    "memo",
    __name__,
    lambda: "Memo",
    lambda: "Export memo",
    lambda: "A memo",
    formats=("md", "csv"),
)


def accepts(*argv: str) -> bool:
    try:
        build_parser().parse_args(list(argv))
    except UsageError:
        return False
    return True


def test_the_command_line_offers_the_registered_kinds() -> None:
    assert registry.names() == (
        "daily",
        "weekly",
        "retro",
        "acceptance",
        "timesheet",
        "faq",
        "customer",
        "checklist",
        "runbook",
        "handover",
    )
    for kind in registry.names():
        assert accepts("export", kind) and accepts("publish", "--kind", kind)
    assert not accepts("export", "memo") and not accepts("publish", "--kind", "memo")
    cli = (SRC / "cli.py").read_text(encoding="utf-8")
    assert '"retro", "acceptance"' not in cli, "the CLI keeps no copy of the list"


def test_every_kind_has_a_label_in_both_languages() -> None:
    for kind in registry.REPORT_KINDS:
        english = (kind.label(), kind.command(), kind.about())
        with language("zh"):
            chinese = (kind.label(), kind.command(), kind.about())
        assert all(english) and all(chinese)
        assert all(a != b for a, b in zip(english, chinese, strict=True)), kind.name
        module = kind.load()
        assert callable(module.render) and callable(module.file_name)


def test_a_kind_is_one_entry(tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Registered here and nowhere else: export, publish and collect all take it."""
    monkeypatch.setattr(registry, "REPORT_KINDS", (*registry.REPORT_KINDS, MEMO))
    assert accepts("export", "memo") and accepts("publish", "--kind", "memo")
    assert accepts("export", "memo", "--format", "csv")
    out = tmp_path / "out"
    out.mkdir()
    argv = ["--data-dir", str(store.data_dir), "export", "memo", "--out", str(out)]
    assert main(argv, clock=FrozenClock()) == 0
    assert main([*argv, "--format", "csv"], clock=FrozenClock()) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "memo-mes-2026-11-25.csv",
        "memo-mes-2026-11-25.md",
    ]
    assert (out / "memo-mes-2026-11-25.csv").read_text() == "day,minutes\n2026-11-25,60\n"
    text, read, skipped = rollup([out / "memo-mes-2026-11-25.md"], now=FROZEN_NOW)
    assert (read, skipped) == (1, 0), "collect reads a registered kind"
    assert "(1 report: Memo)" in text
    assert main([*argv[:4], "daily", "--format", "csv"], clock=FrozenClock()) == 2


def _imports(path: Path) -> list[str]:
    """Modules `path` imports at run time (not under `if TYPE_CHECKING:`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(node)
        for branch in ast.walk(tree)
        if isinstance(branch, ast.If) and "TYPE_CHECKING" in ast.unparse(branch.test)
        for node in ast.walk(branch)
    }
    names = []
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def test_services_never_import_reports_and_reports_never_import_the_ui() -> None:
    for path in sorted((SRC / "services").glob("*.py")):
        upward = [m for m in _imports(path) if m.startswith("sitedash.reports")]
        assert not upward, f"{path.name} imports {upward}: services sit below reports"
    ui = (
        "textual",
        "rich",
        "sitedash.app",
        "sitedash.screens",
        "sitedash.widgets",
        "sitedash.modals",
    )
    for path in sorted((SRC / "reports").glob("*.py")):
        upward = [m for m in _imports(path) if m.startswith(ui)]
        assert not upward, f"{path.name} imports {upward}"
    assert not (SRC / "services" / "exports.py").exists()


def test_the_readme_documents_every_front_matter_key(store: Store) -> None:
    """The front matter is the leads' interface: each key a kind writes is in the table."""
    from sitedash.reports.exports import render
    from sitedash.reports.frontmatter import parse_front_matter

    readme = (SRC.parents[1] / "README.md").read_text(encoding="utf-8")
    table = readme.split("### Front matter (schema 1)", 1)[1].split("The `counts` of each", 1)[0]
    documented = set(re.findall(r"`([a-z_0-9]+)`", table))
    engagement = store.engagement("mes")
    assert engagement is not None
    for kind in registry.names():
        text, _ = render(kind, store, engagement, FROZEN_NOW.date(), engineer="Li", now=FROZEN_NOW)
        missing = set(parse_front_matter(text)) - documented
        assert not missing, f"{kind}: {sorted(missing)} not in the README's front matter table"
