"""Compatibility of sitedash/ui/warmup.py with the installed Textual: the one test module
allowed to touch Textual's private API.

Each test names the private attribute it checks; when a Textual release renames or
changes one, the failure says which, and what depends on it. Re-measure with
`benchmarks/run.py` before moving the pin in pyproject.toml.
"""

from __future__ import annotations

import inspect

import pytest
import textual
from rich.text import Text
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import DataTable, Static

from sitedash.storage import Store
from sitedash.ui import warmup
from sitedash.ui.warmup import PRIVATE_API, SteadyScrollbars, mark_styled
from sitedash.widgets.header import SCREENS
from tests.conftest import FrozenClock, wait_until
from tests.drawn import drawn_text

CLASSES = {"App": App, "Screen": Screen, "DataTable": DataTable}


def changed(api: str, what: str) -> str:
    return (
        f"Textual {textual.__version__} changed {api}: sitedash/ui/warmup.py relies on it "
        f"({what}). Re-measure with benchmarks/run.py and adapt or drop the patch."
    )


def test_textual_is_the_minor_version_warmup_was_measured_on() -> None:
    assert textual.__version__.startswith("8.2."), changed(
        "its version", "every patch was measured on 8.2"
    )


class Page(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Static("a page", id="line")


class Pages(App[None]):
    MODES = {"one": Page, "two": Page}
    DEFAULT_MODE = "one"


@pytest.mark.parametrize(
    ("owner", "name"), [(owner, name) for owner, names in PRIVATE_API.items() for name in names]
)
async def test_every_private_name_is_there(owner: str, name: str) -> None:
    app = Pages()
    async with app.run_test(size=(80, 24)):
        if owner == "Strip":  # slots: a class attribute each, set by __init__
            assert name in Strip.__slots__, changed(f"Strip.{name}", "it is gone")
            return
        target = app if owner == "App" else app.screen if owner == "Screen" else DataTable
        assert hasattr(target, name), changed(f"{owner}.{name}", "it is gone")


async def test_init_mode_builds_a_mode_without_showing_it() -> None:
    """App._init_mode, App._screen_stacks (BackgroundBuilder)."""
    app = Pages()
    async with app.run_test(size=(80, 24)) as pilot:
        assert set(app._screen_stacks) == {"one"}, changed("App._screen_stacks", "built modes")
        await app._init_mode("two")
        await pilot.pause()
        [built] = app._screen_stacks["two"]
        assert built.is_mounted and not built.is_current, changed(
            "App._init_mode", "builds a mode's screen, mounted and hidden"
        )
        built._refresh_layout(app.size)
        update = built._compositor.render_update(full=True)
        assert "a page" in "".join(s.text for line in update.strips for s in line), changed(
            "Screen._refresh_layout / Screen._compositor.render_update", "draws off screen"
        )
        assert app.screen.query_one("#line"), "the shown screen is untouched"


async def test_a_marked_screen_is_not_restyled_on_its_first_visit(monkeypatch) -> None:
    """App._css_update_count, Screen._css_update_count (mark_styled): switch_mode
    restyles the app when a screen's count differs from the app's."""
    app = Pages()
    async with app.run_test(size=(80, 24)) as pilot:
        app.refresh_css(animate=False)  # the screen shown is up to date
        await pilot.pause()
        screen = Page()
        assert screen._css_update_count != app._css_update_count, changed(
            "Screen._css_update_count", "a new screen counts as not styled"
        )
        assert not mark_styled(screen), "not the app's first screen"
        assert screen._css_update_count == app._css_update_count
        app.add_mode("three", lambda: screen)
        restyles: list[bool] = []
        monkeypatch.setattr(app, "refresh_css", lambda *a, **k: restyles.append(True))
        await app.switch_mode("three")
        await pilot.pause()
        assert restyles == [], changed("App.switch_mode's _css_update_count check", "skipped")
        unmarked = Page()
        app.add_mode("four", lambda: unmarked)
        await app.switch_mode("four")
        await pilot.pause()
        assert restyles, changed("App._css_update_count", "an unmarked screen is restyled")


@pytest.mark.parametrize("quiet", [True, False], ids=["quiet-start", "without it"])
async def test_the_start_up_render_happens_inside_a_batch(
    store: Store, clock: FrozenClock, monkeypatch, quiet: bool
) -> None:
    """App._batch_count, Screen._compositor_refresh (QuietStart): at start-up Textual
    renders the dashboard's first screen inside its batch, where the frame is thrown
    away; QuietStart leaves that render out. Should Textual stop rendering there, the
    patch has nothing left to do: drop it."""
    from sitedash.app import make_app

    if not quiet:
        monkeypatch.setattr(warmup, "DISABLED", {"quiet-start"})
    in_batch: list[bool] = []
    render = Screen._compositor_refresh

    def recorded(self: Screen[object]) -> None:
        if getattr(self.app, "starting", False):
            in_batch.append(self.app._batch_count > 0)
        render(self)

    monkeypatch.setattr(Screen, "_compositor_refresh", recorded)
    assert "_compositor_refresh" in inspect.getsource(Screen._refresh_layout), changed(
        "Screen._refresh_layout", "draws through _compositor_refresh"
    )
    app = make_app(store, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: not app.starting)
        if quiet:
            assert True not in in_batch, "a start-up render inside the batch got through"
        else:
            assert True in in_batch, changed(
                "App._batch_count / Screen._compositor_refresh",
                "the first screen is rendered inside the start-up batch",
            )


async def test_a_layout_passes_the_table_its_sizes() -> None:
    """ScrollView._size_updated (SteadyScrollbars): every layout hands a table its size,
    virtual size and container size; with rows beyond the pane the virtual sizes differ."""
    seen: list[tuple[object, ...]] = []

    class Table(SteadyScrollbars):
        def _size_updated(self, size, virtual_size, container_size, layout=True) -> bool:  # type: ignore[no-untyped-def]
            seen.append((size, virtual_size, container_size, layout))
            return super()._size_updated(size, virtual_size, container_size, layout)

    assert "layout" in inspect.signature(ScrollView._size_updated).parameters, changed(
        "ScrollView._size_updated", "its signature"
    )

    class OneTable(App[None]):
        def compose(self) -> ComposeResult:
            yield Table()

        def on_mount(self) -> None:
            table = self.query_one(Table)
            table.add_column("Issue", width=30)
            table.add_rows([Text(f"ISS-{n}")] for n in range(100))

    app = OneTable()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        seen.clear()
        app.screen.refresh(layout=True)
        await pilot.pause()
        assert seen, changed("ScrollView._size_updated", "called on every layout")
        size, virtual_size, _container, _layout = seen[-1]
        table = app.query_one(Table)
        assert table.virtual_size != virtual_size, changed(
            "ScrollView._size_updated", "a table's own virtual size differs from the layout's"
        )
        assert size == table.size


async def test_the_builder_builds_every_screen_of_the_dashboard(
    store: Store, clock: FrozenClock
) -> None:
    from sitedash.app import make_app

    app = make_app(store, clock=clock, prewarm=True)
    app.warmup.clock = lambda: 1e9  # always idle
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.warmup.done)
        assert set(app._screen_stacks) == set(SCREENS)
        counts = {stack[0]._css_update_count for stack in app._screen_stacks.values()}
        assert counts == {app._css_update_count}, "every screen counts as styled"


def test_every_patch_can_be_switched_off_for_the_benchmark() -> None:
    assert set(warmup.PATCHES) == {
        "background",
        "styled",
        "quiet-start",
        "steady-scrollbars",
        "lazy-strip-caches",
    }
    assert set() == warmup.DISABLED, "only the benchmark switches patches off"


async def test_a_crash_report_shows_no_local_variables() -> None:
    """Textual's `_fatal_error` prints locals (stored data); ours does not. Fails when a
    Textual release renames what the override relies on."""
    import inspect

    from textual.app import App as TextualApp

    from sitedash.ui.warmup import CrashWithoutLocals

    assert "show_locals=True" in inspect.getsource(TextualApp._fatal_error), changed(
        "App._fatal_error", "it no longer prints locals: CrashWithoutLocals can go"
    )

    reports: list[object] = []
    SECRET = "dANUBE pRECISION"  # the value only exists at run time, swapped

    class Crashing(CrashWithoutLocals):
        def on_mount(self) -> None:
            stored = SECRET.swapcase()  # noqa: F841 (a local holding stored data)
            raise RuntimeError("boom")

        def _fatal_error(self) -> None:
            super()._fatal_error()
            reports.extend(self._exit_renderables)  # printed and cleared at exit

    app = Crashing()
    with pytest.raises(RuntimeError):
        async with app.run_test(size=(80, 24)):
            pass
    printed = "".join(segment.text for report in reports for segment in report.segments)
    assert "RuntimeError" in printed and "boom" in printed
    assert SECRET.swapcase() not in printed, "a local variable's value was printed"


@pytest.mark.parametrize("mode", ["training", "signoff", "engagement"])
async def test_a_hang_up_while_a_screen_is_built_ends_with_its_status(
    store: Store, clock: FrozenClock, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hang-up arrives while the builder's screen is mounting its widgets (a probe
    among them sends it): the app ends once that screen is mounted, with 129, instead
    of taking the screen down half mounted (Textual's `Tabs` then looked for a removed
    tab and the exit crashed with status 1, about one hang-up in ten under load)."""
    import signal

    from textual.widget import Widget

    from sitedash.app import make_app
    from sitedash.screens.base import SiteScreen

    class HangUp(Widget):
        def on_mount(self) -> None:
            self.app._hung_up(signal.SIGHUP)  # as the event loop's signal handler does

    compose = SiteScreen.compose

    def with_probe(screen: SiteScreen):  # type: ignore[no-untyped-def]
        if mode == screen.MODE:
            yield HangUp()
        yield from compose(screen)

    app = make_app(store, clock=clock, prewarm=True)
    idle = False
    app.warmup.clock = lambda: 1e9 if idle else app.warmup.last_input  # its timer waits
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: "Today" in drawn_text(app))
        monkeypatch.setattr(SiteScreen, "compose", with_probe)
        app.warmup.waiting = [mode]
        idle = True
        await wait_until(pilot, lambda: app.warmup.step() or app.return_code is not None)
    assert app.return_code == 129


def test_strips_make_their_caches_when_first_used() -> None:
    """Strip.__slots__ and its seven caches (lazy-strip-caches): the patch is in place,
    a new line holds no cache, and every operation that uses one gives what Textual's
    own eager caches give, the first time and from the cache."""
    from rich.segment import Segment
    from rich.style import Style

    assert warmup.lazy_strip_caches(), changed("Strip.__slots__", "the patch is not installed")
    assert Strip.__init__ is warmup._strip_init
    segments = [Segment("Győr ", Style(bold=True)), Segment("扫描枪", Style(color="red"))]
    line = Strip(segments)
    made = [name for name in warmup.STRIP_CACHES if _is_set(line, name)]
    assert made == [], "a new line made its caches"
    eager = Strip.__new__(Strip)
    warmup.textual_strip_init(eager, segments)
    assert all(_is_set(eager, name) for name in warmup.STRIP_CACHES), "Textual's own init"

    def uses(strip: Strip) -> list[object]:
        return [
            strip.crop(2, 7).text,
            [part.text for part in strip.divide([2, 4, 11])],
            strip.apply_style(Style(italic=True)),
            strip.crop_extend(0, 14, None),
            strip.adjust_cell_length(14),
            strip.extend_cell_length(14),
            strip.apply_offsets(1, 2),
            strip.simplify(),
        ]

    for _ in range(2):  # made, then served from the cache
        assert uses(line) == uses(eager)
    assert all(_is_set(line, name) for name in ("_crop_cache", "_divide_cache", "_style_cache"))
    assert line.crop(2, 7) is line.crop(2, 7), "the cache serves the second crop"
    with pytest.raises(AttributeError):
        line.no_such_attribute  # noqa: B018  (an unknown name still raises)


def _is_set(line: Strip, name: str) -> bool:
    """Whether a slot holds a value (without making it through __getattr__)."""
    descriptor = getattr(Strip, name)
    try:
        descriptor.__get__(line, Strip)
    except AttributeError:
        return False
    return True
