"""Shared fixtures, built in layers: empty store -> store with an engagement -> app."""

from __future__ import annotations

import asyncio
import unicodedata
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from textual import events
from textual.keys import KEY_NAME_REPLACEMENTS

from sitedash.i18n import set_language
from sitedash.models import Engagement
from sitedash.services.engagements import save_new_engagement
from sitedash.storage import Store

# 09:30 in Győr (UTC+1 in November): a working morning at the site.
FROZEN_NOW = datetime(2026, 11, 25, 8, 30, tzinfo=UTC)
TODAY = date(2026, 11, 25)


CHARACTERS = {"tab": "\t", "enter": "\r", "escape": "\x1b", "space": " ", "ctrl+s": "\x13"}


def key_event(key: str) -> events.Key:
    """The Key event the terminal driver makes of `key`: one character ("T", "3",
    " ") or a key name ("tab", "enter", "ctrl+s"), as `pilot.press` takes them."""
    if len(key) == 1:
        name = key
        if not key.isalnum():
            name = unicodedata.name(key).lower().replace("-", "_").replace(" ", "_")
        return events.Key(KEY_NAME_REPLACEMENTS.get(name, name), key)
    return events.Key(key, CHARACTERS.get(key))


def burst(app: object, keys: Iterable[str]) -> None:
    """Send `keys` together, as one read from the terminal delivers them: all queued on
    the app before it handles the first (`pilot.press` waits after every key)."""
    for key in keys:
        app.post_message(key_event(key))  # type: ignore[attr-defined]


def palette(app: object) -> dict[str, Callable[[], object]]:
    """The palette's commands for the screen shown, by title: Textual's own (Theme,
    Quit, ...) and the dashboard's (`SiteCommands`), as ctrl+p offers them."""
    from sitedash.commands import SiteCommands

    screen = app.screen  # type: ignore[attr-defined]
    found = {c.title: c.callback for c in app.get_system_commands(screen)}  # type: ignore[attr-defined]
    found.update((c.title, c.callback) for c in SiteCommands(screen).commands())
    return found


async def settle(pilot: object, timeout: float = 60.0) -> None:
    """Wait until every key and paste sent so far has been handled (the app's key gate
    is empty), then until the screen has caught up."""
    await asyncio.wait_for(pilot.app.key_gate.wait_settled(), timeout)  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


async def wait_until(pilot: object, condition: Callable[[], object], timeout: float = 60.0) -> None:
    """Let the app run until `condition()` holds; a generous timeout only ends a hang."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, f"not met within {timeout} s"
        await pilot.pause(0.02)  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _sealed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the machine running the tests out of them."""
    monkeypatch.setenv("SITEDASH_DATA_DIR", str(tmp_path / "default-data"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    # A `sitedash` run as a process runs in it, and starts no quick-command server that
    # would outlive the test (tests/cli/test_server.py starts its own and stops it).
    monkeypatch.setenv("SITEDASH_SERVER", "off")
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "xdg-runtime"))
    monkeypatch.setenv("TEXTUAL_ANIMATION", "none")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.delenv("LANGUAGE", raising=False)
    set_language("en")


class FrozenClock:
    """A clock tests can move forward by hand."""

    def __init__(self, now: datetime = FROZEN_NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def empty_store(data_dir: Path, clock: FrozenClock) -> Store:
    return Store(data_dir, clock=clock)


@pytest.fixture
def engagement() -> Engagement:
    return Engagement(
        id="mes",
        name="MES roll-out",
        customer="Danube Precision",
        site="Győr",
        site_tz="Europe/Budapest",
        hq_tz="Asia/Shanghai",
        start=date(2026, 9, 1),
    )


@pytest.fixture
def store(empty_store: Store, engagement: Engagement) -> Store:
    save_new_engagement(empty_store, engagement)
    return empty_store


@pytest.fixture
def make_app(store: Store, clock: FrozenClock) -> Callable[[], object]:
    from sitedash.app import make_app

    return lambda: make_app(store, clock=clock, poll_seconds=0.2)


@pytest.fixture
def app(make_app: Callable[[], object]) -> object:
    return make_app()
