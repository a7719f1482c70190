"""Every screen in English and in Chinese at 80x24: labels in the language, nothing
cut off the edge, and terminals without true colour."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sitedash import demo
from sitedash.app import make_app
from sitedash.cli import main
from sitedash.i18n import set_language
from sitedash.services import today as plan
from sitedash.storage import Store
from tests.conftest import FROZEN_NOW, TODAY, FrozenClock, palette
from tests.drawn import drawn_lines

SCREENS = {
    "en": ["Today", "Issues", "Training", "Sign-off", "Wellbeing", "Engagement"],
    "zh": ["今日", "问题", "培训", "验收", "健康", "项目"],
}
FOOTER = {  # a key label each screen shows in its footer
    "en": ["Add", "Filter", "Next tab", "Next tab", "Break", "Copy phone"],
    "zh": None,  # filled from the catalogue, so wording changes do not break the test
}


@pytest.fixture
def demo_store(tmp_path) -> Store:
    store = Store(tmp_path / "demo", clock=FrozenClock())
    demo.generate(store, today=TODAY, days=20, now=FROZEN_NOW)
    # The widest footer: something to carry over on Today (a key only shown then).
    plan.add_item(store, demo.MES, TODAY - timedelta(days=1), "left over")
    return store


def footer_labels(lang: str) -> list[str]:
    if lang == "en":
        return FOOTER["en"]
    from sitedash.i18n.zh import CATALOGUE

    return [CATALOGUE[label] for label in FOOTER["en"]]


def assert_fits(app) -> None:
    """No widget reaches past the 80 columns, and every footer key is fully visible
    (the footer scrolls sideways rather than wrap, hiding the last keys)."""
    for widget in app.screen.query("*"):
        if widget.display and widget.region.width:
            assert widget.region.right <= 80, f"{widget!r} ends at {widget.region.right}"
    from sitedash.widgets.footer import SiteFooter

    footer = app.screen.query_one(SiteFooter)
    line = footer.render().plain
    assert "…" not in line, f"footer keys cut: {line!r}"
    for item in footer.items:  # every key and label drawn in full
        assert item.description in line and all(shown in line for _, shown in item.keys)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_every_screen_in_each_language(demo_store: Store, lang: str) -> None:
    set_language(lang)
    app = make_app(demo_store, clock=FrozenClock())
    async with app.run_test(size=(80, 24)) as pilot:
        for number, (label, key_label) in enumerate(
            zip(SCREENS[lang], footer_labels(lang), strict=True), 1
        ):
            await pilot.press(str(number))
            await pilot.pause()
            drawn = app.export_screenshot().replace("&#160;", " ")
            assert f" {number} {label} " in drawn
            assert key_label in drawn, f"{key_label!r} missing on screen {number}"
            assert_fits(app)
        await pilot.press("1", "question_mark")
        await pilot.pause()
        drawn = app.export_screenshot().replace("&#160;", " ")
        assert ("Keys on this screen" in drawn) == (lang == "en")
        if lang == "zh":  # Textual's own keys (cursor, copy, focus) are translated too
            from textual.widgets import DataTable

            table = app.screen.query_one(DataTable)
            actions = [table.get_row_at(r)[1].plain for r in range(table.row_count)]
            english = [a for a in actions if not any("\u4e00" <= ch <= "\u9fff" for ch in a)]
            assert english == [], english
            await pilot.press("escape")
            await pilot.pause()
            titles = list(palette(app))
            assert "主题" in titles and "Theme" not in titles and "Keys" not in titles
            assert "命令面板" in app.export_screenshot(), "the footer's palette key"
    set_language("en")


def drawn_in(app, system: str) -> str:
    """The screen as a terminal with `system` colours receives it (escape codes and all)."""
    import io

    from rich.console import Console
    from rich.segment import Segment
    from rich.style import Style
    from textual.strip import Strip

    console = Console(
        width=80, height=24, file=io.StringIO(), force_terminal=True, color_system=system
    )

    def fresh(style: Style | None) -> Style | None:
        # A real process has one colour system; tests share styles, which cache their
        # escape codes: start afresh.
        if style is None:
            return None
        return Style(
            color=style.color,
            bgcolor=style.bgcolor,
            bold=style.bold,
            dim=style.dim,
            italic=style.italic,
            underline=style.underline,
            reverse=style.reverse,
        )

    return "\n".join(
        Strip([Segment(s.text, fresh(s.style)) for s in line if not s.control]).render(console)
        for line in drawn_lines(app)
    )


async def test_terminals_without_true_colour(demo_store: Store, monkeypatch) -> None:
    import textual.constants

    for system, theme in (("256", "textual-dark"), ("standard", "textual-light")):
        # Textual reads TEXTUAL_COLOR_SYSTEM once, at import: set what it read.
        monkeypatch.setattr(textual.constants, "COLOR_SYSTEM", system)
        app = make_app(demo_store, clock=FrozenClock())
        async with app.run_test(size=(80, 24)) as pilot:
            assert app.console.color_system == system
            app.theme = theme
            for key, label in zip("123456", SCREENS["en"], strict=True):
                await pilot.press(key)
                await pilot.pause()
                output = drawn_in(app, system)
                assert "\x1b[38;2;" not in output and "\x1b[48;2;" not in output, "no 24-bit"
                assert label in output and "\x1b[" in output, "still drawn, still coloured"
                assert_fits(app)


def test_cli_messages_in_both_languages(demo_store: Store, capsys) -> None:
    args = ["--data-dir", str(demo_store.data_dir), "add", "plan", "x", "--date", "soon"]
    assert main(["--lang", "en", *args]) == 2
    english = capsys.readouterr().err
    assert main(["--lang", "zh", *args]) == 2
    chinese = capsys.readouterr().err
    assert "YYYY-MM-DD" in english and "YYYY-MM-DD" in chinese
    assert english != chinese and any("\u4e00" <= ch <= "\u9fff" for ch in chinese)
    assert main(["--lang", "zh", "--data-dir", str(demo_store.data_dir), "status"]) == 0
    assert any("\u4e00" <= ch <= "\u9fff" for ch in capsys.readouterr().out)

    # argparse's own messages, storage errors and collect's reasons too.
    data = ["--data-dir", str(demo_store.data_dir)]
    assert main(["--lang", "zh", *data, "add"]) == 2
    assert "缺少以下参数:KIND" in capsys.readouterr().err
    (demo_store.data_dir / "sitedash.json").write_bytes(b"")
    assert main(["--lang", "zh", *data, "status"]) == 2
    assert "文件是空的" in capsys.readouterr().err
    (demo_store.data_dir / "notes.md").write_text("no front matter here")
    assert (
        main(["--lang", "zh", "collect", str(demo_store.data_dir / "notes.md"), "--out", "-"]) == 0
    )
    assert "没有 front matter" in capsys.readouterr().out
    set_language("en")
