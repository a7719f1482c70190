"""Every report kind on a fixed dataset (fixed seed and clock), checked against golden
files a reviewer can read as Markdown. Regenerate with SITEDASH_UPDATE_GOLDEN=1."""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest

from sitedash import demo
from sitedash.reports.exports import KINDS, render
from sitedash.reports.frontmatter import parse_front_matter
from sitedash.storage import Store
from tests.conftest import FROZEN_NOW, TODAY, FrozenClock

GOLDEN = Path(__file__).resolve().parent.parent / "golden"


@pytest.fixture
def demo_store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "demo", clock=FrozenClock())
    demo.generate(store, today=TODAY, days=30, seed=7, now=FROZEN_NOW)
    return store


def rendered(store: Store, kind: str, now=FROZEN_NOW) -> str:
    engagement = store.engagement(demo.MES)
    text, _ = render(kind, store, engagement, TODAY, engineer="李伟 (Li Wei)", now=now)
    return text


_RECORD_ID = re.compile(r'"([0-9a-f]{12})"')


def stable_ids(text: str) -> str:
    """Record ids are random (uuid4) in the demo too: the handover pack embeds them, so
    its golden file names them by first appearance (`id-1`, `id-2`, ...)."""
    names: dict[str, str] = {}
    for found in _RECORD_ID.findall(text):
        names.setdefault(found, f"id-{len(names) + 1}")
    for found, name in names.items():
        text = text.replace(found, name)
    return text


@pytest.mark.parametrize("kind", KINDS)
def test_report_matches_its_golden_file(demo_store: Store, kind: str) -> None:
    text = stable_ids(rendered(demo_store, kind))
    golden = GOLDEN / f"{kind}.md"
    if os.environ.get("SITEDASH_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8"), (
        f"{kind} report changed; review the diff and regenerate with SITEDASH_UPDATE_GOLDEN=1"
    )


@pytest.mark.parametrize("kind", KINDS)
def test_two_exports_differ_only_in_generated_at(demo_store: Store, kind: str) -> None:
    first = rendered(demo_store, kind).splitlines()
    again = Store(demo_store.data_dir, clock=FrozenClock())  # fresh caches, same data
    second = rendered(again, kind, now=FROZEN_NOW).splitlines()
    assert first == second
    later = rendered(again, kind, now=FROZEN_NOW + timedelta(seconds=1)).splitlines()
    differing = [a for a, b in zip(first, later, strict=True) if a != b]
    assert differing == ['generated_at: "2026-11-25T08:30:00+00:00"']


@pytest.mark.parametrize("kind", KINDS)
def test_the_readme_lists_every_count(demo_store: Store, kind: str) -> None:
    """The front matter is the leads' interface: its `counts` keys are documented."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith(f"| {kind} | `"))
    documented = re.findall(r"`([a-z_0-9]+)`", row)
    counts = parse_front_matter(rendered(demo_store, kind))["counts"]
    assert documented == list(counts)
