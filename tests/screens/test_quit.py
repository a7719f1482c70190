"""Quitting while a screen is still being built in the background, or while the work
clock ticks: nothing reads into widgets that are being taken down (a benchmark saw a
NoMatches crash on ctrl+q right after start, twice in about forty cold starts)."""

from __future__ import annotations

import pytest
from textual import events

from sitedash.screens.base import SiteScreen


@pytest.mark.parametrize("key", list("123456"))
async def test_a_screen_whose_widgets_are_going_does_not_load_into_them(app, key: str) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(key)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SiteScreen) and not screen.closing
        app.exit()
        assert screen.closing
        await screen.remove_children()  # as the app's teardown does, before the screen
        # What may still arrive: the background builder's mount, a resume, a tick.
        screen.on_mount()
        screen.on_screen_resume(events.ScreenResume())
        app.work_clock.check()
        app.data_changed.publish("test")
    assert app.return_code == 0
