"""The layers point one way: import-linter's contracts in pyproject.toml hold.

cli > app > screens/modals > widgets > reports/demo > services > storage > models/errors;
nothing below the interface imports Textual or Rich; only storage imports TinyDB.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert result.stdout.count(" KEPT") == 3, result.stdout[-2000:]
