"""The styles ship in the wheel and load from an installed and from an editable copy."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import sitedash
from sitedash.paths import styles_dir

REPO = Path(__file__).resolve().parent.parent
STYLES = sorted(p.name for p in (REPO / "styles").glob("*.tcss"))

# Start the real app on a throw-away store and check that rules from both our app.tcss
# and a screen's .tcss were applied.
PROBE = """
import asyncio, sys, tempfile
from pathlib import Path
import sitedash
from sitedash.app import make_app
from sitedash.paths import styles_dir
from sitedash.storage import Store
from sitedash.services.engagements import save_new_engagement
from sitedash.models import Engagement

async def main():
    store = Store(Path(tempfile.mkdtemp()) / "data")
    save_new_engagement(store, Engagement(id="x", name="x"))
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        nav = app.screen.query_one("#nav")
        bar = app.screen.query_one("#day-bar")
        print(sitedash.__file__)
        print(styles_dir())
        print(nav.styles.height, bar.styles.height, nav.styles.padding)

asyncio.run(main())
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(REPO)],
        check=True,
        timeout=300,
    )
    [built] = out.glob("sitedash-*.whl")
    return built


def test_the_wheel_contains_every_stylesheet(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert STYLES, "the repository has stylesheets"
    for name in STYLES:
        assert f"sitedash/styles/{name}" in names


def test_an_installed_copy_loads_its_styles_from_elsewhere(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        timeout=300,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    module, styles, heights = result.stdout.strip().splitlines()[-3:]
    assert module.startswith(str(target)), "the installed copy was imported, not the checkout"
    assert Path(styles) == target / "sitedash" / "styles"
    assert heights == "1 1 Spacing(top=0, right=1, bottom=0, left=1)"


def test_the_editable_install_loads_the_repository_styles() -> None:
    # The README installs the test extra editable (`pip install -e`): the package is the
    # checkout's src/, and the styles come from the top-level styles/ directory.
    assert Path(sitedash.__file__).resolve().is_relative_to(REPO / "src")
    assert styles_dir() == REPO / "styles"
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=REPO.parent, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "1 1 Spacing(top=0, right=1, bottom=0, left=1)"


def test_the_readme_quick_start_is_two_commands_and_ci_runs_the_second() -> None:
    readme = (REPO / "README.md").read_text()
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```\n(.+?)\n```", quick_start)
    assert len(commands) == 2
    opens, tests = commands
    assert "sitedash --demo" in opens
    assert ".[test]" in tests and "pytest" in tests
    ci = (REPO / ".ci" / "run").read_text()
    assert "test-command" in ci and "README.md" in ci
    marked = readme.split("<!-- test-command -->", 1)[1].split("<!-- /test-command -->", 1)[0]
    assert tests in marked


def test_domain_layers_never_import_textual() -> None:
    probe = (
        "import sys\n"
        "import sitedash.cli, sitedash.storage, sitedash.models, sitedash.textsafe\n"
        "import sitedash.services.today, sitedash.services.engagements, sitedash.demo\n"
        "import sitedash.reports.exports, sitedash.reports.daily\n"
        "from sitedash.cli import main\n"
        "assert main(['export', 'daily']) == 2\n"
        "leaked = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(leaked)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
