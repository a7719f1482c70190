"""SiteFooter: the screen's keys in one line, as Textual's footer shows them."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen

from sitedash.widgets.footer import SiteFooter

DAY = Binding.Group("Day")


class Keys(Screen[None]):
    BINDINGS = [
        Binding("a", "add", "Add"),
        Binding("left_square_bracket", "day(-1)", "Previous day", group=DAY),
        Binding("right_square_bracket", "day(1)", "Next day", group=DAY),
        Binding("d", "done", "Done"),
        Binding("x", "hidden", "Hidden", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.pressed: list[str] = []
        self.done_allowed: bool | None = None

    def compose(self) -> ComposeResult:
        yield SiteFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.done_allowed if action == "done" else True

    def action_add(self) -> None:
        self.pressed.append("add")

    def action_day(self, step: int) -> None:
        self.pressed.append(f"day {step:+d}")

    def action_done(self) -> None:
        self.pressed.append("done")


class KeysApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.bells = 0

    def get_default_screen(self) -> Screen[None]:
        return Keys()

    def bell(self) -> None:
        self.bells += 1


def line(app: App[None]) -> str:
    return app.screen.query_one(SiteFooter).render().plain


async def test_keys_groups_and_the_palette_key_are_drawn_as_textual_draws_them() -> None:
    app = KeysApp()
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        drawn = line(app)
        assert drawn.startswith(" a Add  [] Day  d Done ")
        assert drawn.endswith("▏^p palette ^q Quit ") and len(drawn) == 60
        assert "Hidden" not in drawn


async def test_a_click_presses_the_key_and_a_disabled_key_rings() -> None:
    app = KeysApp()
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(SiteFooter)
        drawn = line(app)
        await pilot.click(footer, offset=(drawn.index("Add"), 0))
        await pilot.click(footer, offset=(drawn.index("]"), 0))
        await pilot.click(footer, offset=(drawn.index("Done"), 0))
        assert app.screen.pressed == ["add", "day +1"]
        assert app.bells == 1, "Done is disabled (check_action gave None)"
        assert [i.enabled for i in footer.items] == [True, True, False]


async def test_redrawn_only_when_the_keys_change() -> None:
    app = KeysApp()
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        screen = app.screen
        footer = screen.query_one(SiteFooter)
        refreshes: list[object] = []
        original = footer.refresh
        footer.refresh = lambda *a, **k: (refreshes.append(a), original(*a, **k))[1]  # type: ignore[method-assign]
        screen.refresh_bindings()
        await pilot.pause()
        assert refreshes == []
        screen.done_allowed = True
        screen.refresh_bindings()
        await pilot.pause()
        assert len(refreshes) == 1 and all(i.enabled for i in footer.items)


async def test_a_narrow_terminal_cuts_the_keys_and_keeps_the_palette() -> None:
    app = KeysApp()
    async with app.run_test(size=(24, 5)) as pilot:
        await pilot.pause()
        drawn = line(app)
        assert drawn == " a …▏^p palette ^q Quit "
        footer = app.screen.query_one(SiteFooter)
        await pilot.click(footer, offset=(drawn.index("…"), 0))  # nothing under the cut
        assert app.screen.pressed == [] and app.bells == 0


async def test_a_confirmation_too_long_to_share_the_line_is_shown_whole() -> None:
    """The palette and quit keys make way for a confirmation that would be cut beside
    them, and come back with the next key."""
    app = KeysApp()
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(SiteFooter)
        footer.say("Short and sweet")
        assert line(app).startswith(" ✓ Short and sweet ")
        assert line(app).endswith("▏^p palette ^q Quit "), "room for both: both shown"
        said = "UAT-1 failed: i opens an issue from it, l links one"
        footer.say(said)
        assert line(app).rstrip() == f" ✓ {said}" and len(line(app)) == 60
        footer.clear_message()
        assert line(app).endswith("▏^p palette ^q Quit ")
