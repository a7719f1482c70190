"""The compacted terminal output (sitedash/ui/wire.py) draws the same screen in fewer bytes.

An independent model of a terminal (the cells, the cursor and the SGR state, written
from ECMA-48, not from wire.py) replays frames as Rich and Textual write them, and the
same frames compacted; every cell must look the same, and the style left at the end of
each write must be the same. Hypothesis generates the frames."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import get_character_cell_size
from rich.color import ColorSystem
from rich.style import Style as RichStyle
from textual.driver import Driver
from textual.drivers.headless_driver import HeadlessDriver
from textual.drivers.linux_driver import LinuxDriver

from sitedash.app import SiteDash
from sitedash.ui import wire
from sitedash.ui.wire import SgrCompactor, compact_driver, driver_for

ROWS, COLUMNS = 6, 24
SHOWN_ON_SPACE = {"underline", "underline2", "reverse", "strike", "overline", "frame"}


@dataclass
class Pen:
    """The SGR state, kept as a dict of attribute -> value, as ECMA-48 describes it."""

    attrs: dict[str, object] = field(default_factory=dict)

    def sgr(self, parameters: str) -> None:
        if ":" in parameters:  # sub-parameters: kept whole, as an opaque attribute
            self.attrs[f"opaque {parameters}"] = True
            return
        codes = [int(c) if c else 0 for c in parameters.split(";")] if parameters else [0]
        names = {
            1: "bold",
            2: "dim",
            3: "italic",
            4: "underline",
            5: "blink",
            6: "blink2",
            7: "reverse",
            8: "conceal",
            9: "strike",
            21: "underline2",
            51: "frame",
            52: "frame",
            53: "overline",
        }
        off = {
            22: ("bold", "dim"),
            23: ("italic",),
            24: ("underline", "underline2"),
            25: ("blink", "blink2"),
            27: ("reverse",),
            28: ("conceal",),
            29: ("strike",),
            54: ("frame",),
            55: ("overline",),
        }
        i = 0
        while i < len(codes):
            code = codes[i]
            i += 1
            if code == 0:
                self.attrs.clear()
            elif code in names:
                self.attrs[names[code]] = code
            elif code in off:
                for name in off[code]:
                    self.attrs.pop(name, None)
            elif 30 <= code <= 37 or 90 <= code <= 97:
                self.attrs["fg"] = code
            elif 40 <= code <= 47 or 100 <= code <= 107:
                self.attrs["bg"] = code
            elif code in (39, 49, 59):
                self.attrs.pop({39: "fg", 49: "bg", 59: "ul"}[code], None)
            elif code in (38, 48, 58):
                width = 1 if codes[i] == 5 else 3
                self.attrs[{38: "fg", 48: "bg", 58: "ul"}[code]] = tuple(codes[i : i + 1 + width])
                i += 1 + width
            else:
                self.attrs[f"code {code}"] = True

    def look(self, char: str) -> tuple[str, tuple[tuple[str, object], ...]]:
        """What a cell drawn with this pen shows: a space shows only its background and
        the attributes that draw on it."""
        attrs = dict(self.attrs)
        if char == " " and not SHOWN_ON_SPACE & attrs.keys():
            attrs = {k: v for k, v in attrs.items() if k == "bg" or k.startswith(("code", "op"))}
        if not {"underline", "underline2"} & attrs.keys():
            attrs.pop("ul", None)
        if "frame" in attrs:  # 51 and 52 are switched off together; keep which one
            attrs["frame"] = self.attrs["frame"]
        return char, tuple(sorted(attrs.items(), key=lambda kv: kv[0]))


class Screen:
    """A terminal of ROWS x COLUMNS cells."""

    def __init__(self) -> None:
        blank = Pen().look(" ")
        self.cells = [[blank] * COLUMNS for _ in range(ROWS)]
        self.pen = Pen()
        self.saved: tuple[int, int, dict[str, object]] | None = None
        self.row = self.column = 0

    def feed(self, data: str) -> None:
        for match in re.finditer(
            r"\x1b\[([0-9;:]*)m|\x1b\[([0-9]*);?([0-9]*)H|\x1b\[K|\x1b([78])"
            r"|\x1b\][^\x07]*\x07|\x1b\[\?[0-9]+[hl]|(\r)|(\n)|([^\x1b\r\n])",
            data,
        ):
            sgr, row, column, save, cr, lf, char = (
                match.group(1),
                match.group(2),
                match.group(3),
                match.group(4),
                match.group(5),
                match.group(6),
                match.group(7),
            )
            text = match.group()
            if sgr is not None:
                self.pen.sgr(sgr)
            elif row is not None:
                self.row, self.column = int(row or 1) - 1, int(column or 1) - 1
            elif text == "\x1b[K":  # erase to the end of the line in the background colour
                bg = Pen({"bg": self.pen.attrs["bg"]} if "bg" in self.pen.attrs else {})
                for x in range(self.column, COLUMNS):
                    self.cells[self.row][x] = bg.look(" ")
            elif save == "7":
                self.saved = (self.row, self.column, dict(self.pen.attrs))
            elif save == "8" and self.saved:
                self.row, self.column, attrs = self.saved
                self.pen = Pen(dict(attrs))
            elif cr:
                self.column = 0
            elif lf:
                self.row += 1
                assert self.row < ROWS, "a frame never feeds the last line"
            elif char:
                width = get_character_cell_size(char)
                self.cells[self.row][self.column] = self.pen.look(char)
                if width == 2:
                    self.cells[self.row][self.column + 1] = ("", ())
                self.column += width


COLOURS = st.one_of(
    st.none(),
    st.sampled_from(["red", "bright_green", "color(33)", "#121212", "#1e1e1e", "#e0e0e0"]),
)
STYLES = st.builds(
    RichStyle,
    color=COLOURS,
    bgcolor=COLOURS,
    bold=st.none() | st.booleans(),
    dim=st.none() | st.booleans(),
    italic=st.none() | st.booleans(),
    underline=st.none() | st.booleans(),
    reverse=st.none() | st.booleans(),
    strike=st.none() | st.booleans(),
    overline=st.none() | st.booleans(),
)
TEXT = st.text(alphabet=" ab▕·问题", min_size=1, max_size=4)
RAW = st.sampled_from(
    [
        "\x1b[1m",  # a style change without a reset before it
        "\x1b[22;39m",
        "\x1b[10m",  # a code the compactor does not follow
        "\x1b[4:3m",  # sub-parameters
        "\x1b[38;5;300m",  # out of range
        "\x1b[m",
        "\x1b7\x1b[4;7mz\x1b8",  # save, draw, restore: the pen and the cursor come back
        "\x1b[K",
        "\x1b]8;;https://example.com\x07",
        "\x1b[?1049h",
    ]
)


@st.composite
def frames(draw: st.DrawFn) -> list[str]:
    """Writes as Textual makes them: lines placed with a cursor move, each a run of
    styled segments ending in a reset, a line feed between lines, now and then an
    escape of another kind; split into one or more writes."""
    parts: list[str] = ["\x1b[?2026h"]
    rows = draw(st.lists(st.integers(0, ROWS - 1), min_size=1, max_size=ROWS, unique=True))
    for index, row in enumerate(sorted(rows)):
        parts.append(f"\x1b[{row + 1};{draw(st.integers(1, 4))}H")
        cells = 0
        for _ in range(draw(st.integers(0, 5))):
            if draw(st.integers(0, 6)) == 0:
                parts.append(draw(RAW))
            text = draw(TEXT)
            if cells + sum(get_character_cell_size(c) for c in text) > COLUMNS - 4:
                break
            cells += sum(get_character_cell_size(c) for c in text)
            parts.append(draw(STYLES).render(text, color_system=ColorSystem.TRUECOLOR))
        if index < len(rows) - 1 and row < ROWS - 1:
            parts.append("\r\n")
    parts.append("\x1b[?2026l")
    cuts = sorted(draw(st.lists(st.integers(1, len(parts) - 1), max_size=3, unique=True)))
    return ["".join(parts[a:b]) for a, b in zip([0, *cuts], [*cuts, len(parts)], strict=True)]


@given(st.lists(frames(), min_size=1, max_size=3))
@settings(max_examples=300, deadline=None)
def test_compacted_frames_draw_the_same_cells_and_leave_the_same_style(
    writes: list[list[str]],
) -> None:
    original, compacted = Screen(), Screen()
    compactor = SgrCompactor()
    for frame in writes:
        for data in frame:
            original.feed(data)
            shorter = compactor.compact(data)
            compacted.feed(shorter)
            assert len(shorter) <= len(data) + 8  # at most a reset where the state was lost
            assert compacted.cells == original.cells
            assert compacted.pen.attrs == original.pen.attrs


def test_segments_of_one_style_become_one_run_and_a_change_sends_only_what_differs() -> None:
    base = "\x1b[38;2;224;224;224;48;2;30;30;30m"
    bold = "\x1b[1;38;2;224;224;224;48;2;30;30;30m"
    frame = f"\x1b[1;1H{base}ab\x1b[0m{base}cd\x1b[0m{bold}e\x1b[0m"
    compactor = SgrCompactor()
    assert compactor.compact(frame) == (
        f"\x1b[1;1H{base}ab\x1b[0;38;2;224;224;224;48;2;30;30;30mcd\x1b[1me\x1b[0m"
    ), "before its first reset the terminal's style is not known: a full reset"
    assert compactor.compact(frame) == f"\x1b[1;1H{base}abcd\x1b[1me\x1b[0m"


def test_what_it_remembers_stays_bounded_over_a_long_session() -> None:
    """Animated colours would otherwise add styles for as long as the dashboard runs."""
    compactor = primed()
    for value in range(SgrCompactor.CACHED):
        colour = f"38;2;{value % 256};{value // 256 % 256};7"
        assert compactor.compact(f"\x1b[{colour}mx\x1b[0m") == f"\x1b[{colour}mx\x1b[0m"
    assert len(compactor._after) <= SgrCompactor.CACHED + 2
    assert len(compactor._moves) <= SgrCompactor.CACHED + 2


def primed() -> SgrCompactor:
    """A compactor that knows the terminal's style (after the first frame's reset)."""
    compactor = SgrCompactor()
    assert compactor.compact("\x1b[0m") == "\x1b[0m"
    return compactor


def test_spaces_keep_the_foreground_they_do_not_show() -> None:
    text = "\x1b[38;2;224;224;224;48;2;18;18;18mab\x1b[0m"
    blank = "\x1b[48;2;18;18;18m  \x1b[0m"
    compactor = primed()
    assert compactor.compact(text + blank + text) == (
        "\x1b[38;2;224;224;224;48;2;18;18;18mab  ab\x1b[0m"
    )


def test_a_line_of_the_board_keeps_only_its_background_changes() -> None:
    """A line of the issue board as Textual 8.2 writes it (issue 23), compacted."""
    card = "\x1b[38;2;224;224;224;48;2;30;30;30m"
    gutter = "\x1b[38;2;224;224;224;48;2;18;18;18m \x1b[0m"
    line = "\x1b[7;1H" + (card + " P3 361 Shift report  \x1b[0m" + gutter) * 5
    compacted = primed().compact(line)
    switch = "\x1b[48;2;18;18;18m \x1b[48;2;30;30;30m"
    assert (
        compacted
        == ("\x1b[7;1H" + card + switch.join([" P3 361 Shift report  "] * 5))
        + "\x1b[48;2;18;18;18m \x1b[0m"
    )
    assert len(compacted) < 0.65 * len(line)


class Recorder(Driver):
    """A driver that keeps what it is given to write."""

    def __init__(self) -> None:
        self.written: list[str] = []

    def write(self, data: str) -> None:
        self.written.append(data)

    def start_application_mode(self) -> None: ...

    def stop_application_mode(self) -> None: ...

    def disable_input(self) -> None: ...


def test_the_compact_driver_writes_through_its_base_compacted() -> None:
    driver = compact_driver(Recorder)()
    assert isinstance(driver, Recorder)
    style = "\x1b[1;31m"
    driver.write(f"\x1b[0m{style}a\x1b[0m{style}b\x1b[0m")
    assert driver.written == ["\x1b[0;1;31mab\x1b[0m"]


def test_the_dashboard_runs_on_the_compact_terminal_driver_and_tests_on_the_headless_one(
    make_app: object,
) -> None:
    app = make_app()  # type: ignore[operator]
    assert isinstance(app, SiteDash)
    driver = app.get_driver_class()
    assert issubclass(driver, LinuxDriver) and driver is not LinuxDriver
    assert driver.write is not LinuxDriver.write
    assert driver_for(HeadlessDriver) is HeadlessDriver
    wire.ENABLED = False
    try:
        assert app.get_driver_class() is LinuxDriver
    finally:
        wire.ENABLED = True
