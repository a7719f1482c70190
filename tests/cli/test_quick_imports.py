"""Quick capture stays quick: the commands a shell runs between tasks load neither
Textual, Rich, report code nor the dashboard's services (issue 23). Each runs in a
fresh interpreter, as a shell runs it, and reports the modules it loaded."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sitedash.storage import Store

PROBE = """
import json, sys
from sitedash.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""

QUICK = {
    "add plan": ["add", "plan", "Install MES client on line 3"],
    "add issue": ["add", "issue", "Scanner freezes after shift change"],
    "clock in": ["clock", "in"],
    "status": ["status"],
}

FORBIDDEN = (
    "textual",
    "rich",
    "sitedash.app",
    "sitedash.screens",
    "sitedash.modals",
    "sitedash.widgets",
    "sitedash.ui",
    "sitedash.reports.",  # a renderer; the registry (plain data) is allowed below
    "sitedash.services.overview",
    "sitedash.services.signoff",
    "sitedash.services.templates",
    "sitedash.services.training",
    "sitedash.demo",
)
ALLOWED = ("sitedash.reports.registry",)


def forbidden(module: str) -> bool:
    """`sitedash.reports.` forbids the package's modules; `textual` the package and its
    modules."""
    for name in FORBIDDEN:
        if name.endswith("."):
            if module.startswith(name):
                return True
        elif module == name or module.startswith(name + "."):
            return True
    return False


def loaded(data_dir: Path, args: list[str]) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "--data-dir", str(data_dir), "--lang", "en", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["code"] == 0, done.stderr
    modules: list[str] = result["modules"]
    return modules


@pytest.mark.parametrize("command", sorted(QUICK))
def test_a_quick_command_loads_no_interface_or_report_code(store: Store, command: str) -> None:
    modules = loaded(store.data_dir, QUICK[command])
    assert "sitedash.storage" in modules and "sitedash.cli" in modules, "the probe ran"
    heavy = [m for m in modules if m not in ALLOWED and forbidden(m)]
    assert heavy == [], f"{command} loaded {heavy}"


def test_the_probe_sees_what_the_dashboards_commands_load(store: Store) -> None:
    """The control: an export loads its renderer, which the quick commands must not."""
    modules = loaded(store.data_dir, ["export", "daily", "--out", "-"])
    assert "sitedash.reports.daily" in modules
