"""The dashboard loads only what it shows (issue 23, memory): every screen shown on demo
data, in a fresh interpreter, leaves out the modules that only a form or a markup
string would need. Each is resident memory for the whole session: Rich's emoji table
is 0.8 MiB, the TextArea and its document model 0.5 MiB."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PROBE = """
import asyncio, json, sys
from datetime import UTC, datetime
from sitedash import demo
from sitedash.app import make_app
from sitedash.storage import Store
from sitedash.widgets.header import SCREENS

store = Store(sys.argv[1])
demo.generate(store, today=datetime.now(UTC).date(), days=30)
if len(sys.argv) > 2:  # the control: a draft left by a hang-up is offered at start
    from sitedash.storage.drafts import Draft
    store.drafts.put(Draft(key="issue:new", label="the new issue",
                           saved_at=datetime.now(UTC), values={"title": "half typed"}))


async def main() -> list[str]:
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        for mode in SCREENS:
            await app.switch_mode(mode)
            await pilot.pause()
        await pilot.pause()
    return sorted(sys.modules)


print(json.dumps(asyncio.run(main())))
"""

NOT_LOADED = ("rich._emoji_codes", "textual.widgets._text_area")


def loaded(data_dir: Path, *extra: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(data_dir), *extra],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr
    modules: list[str] = json.loads(done.stdout.splitlines()[-1])
    return modules


def test_every_screen_shown_loads_no_emoji_table_and_no_form_widgets(tmp_path: Path) -> None:
    modules = loaded(tmp_path / "data")
    assert "sitedash.screens.engagement" in modules, "the probe showed every screen"
    assert [m for m in NOT_LOADED if m in modules] == []


def test_the_probe_sees_a_form_load_its_widgets(tmp_path: Path) -> None:
    """The control: a draft offered at start opens a dialog, which loads the forms."""
    modules = loaded(tmp_path / "data", "with-draft")
    assert "textual.widgets._text_area" in modules
