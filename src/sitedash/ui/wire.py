"""Fewer bytes per frame over SSH: the terminal output without redundant style codes.

Rich ends every styled segment with a reset (`ESC[0m`) and starts the next one with its
whole style (`ESC[38;2;224;224;224;48;2;36;47;56m`), even where the two segments look
the same. On the issue board that was 20 KB of a 26 KB screen switch; over a site VPN
bytes are what the engineer waits for. `CompactDriver` is Textual's own driver for the
platform, handed each write with only the style changes the terminal needs: nothing
between two segments of one style, only what differs otherwise (`ESC[1m` to add bold),
a reset where that is shorter. Every cell looks as before: the same character and style,
but for a space's foreground colour, bold or italic, which a space does not show
(tests/ui/test_wire.py replays both through a model terminal on generated frames).

It goes through Textual's public API only: `App.get_driver_class` and `Driver.write`.
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from textual.driver import Driver


class Style(NamedTuple):
    """What SGR sets: attribute codes (1 bold, 3 italic, ...) and three colours, each
    kept as the parameters that set it ("31", "38;5;9", "38;2;1;2;3")."""

    flags: frozenset[int] = frozenset()
    fg: str | None = None
    bg: str | None = None
    underline_colour: str | None = None


ENABLED = True
"""Only the benchmark switches compacting off (`benchmarks/run.py --without compact`)."""

UNKNOWN = None
"""The terminal's style is not known (before the first write, after an escape this
module does not read): the next text is preceded by a full reset."""

_FLAGS = frozenset({1, 2, 3, 4, 5, 6, 7, 8, 9, 21, 51, 52, 53})
_OFF: dict[int, frozenset[int]] = {
    22: frozenset({1, 2}),
    23: frozenset({3}),
    24: frozenset({4, 21}),
    25: frozenset({5, 6}),
    27: frozenset({7}),
    28: frozenset({8}),
    29: frozenset({9}),
    54: frozenset({51, 52}),
    55: frozenset({53}),
}
"""Each code that switches attributes off, with the attributes it switches off."""
_OFF_CODE = {flag: code for code, flags in _OFF.items() for flag in flags}
_SHOWN_ON_BLANKS = frozenset({4, 7, 9, 21, 51, 52, 53})
"""Attributes a space shows (lines, frames, reverse video); a space shows no foreground
colour, bold, dim, italic or blink otherwise."""
_HIDDEN_ON_BLANKS = _FLAGS - _SHOWN_ON_BLANKS

_TOKEN = re.compile(
    r"\x1b\[(?P<sgr>[0-9;]*)m"
    # Cursor moves, carriage return and line feed, synchronized output and cursor
    # visibility paint nothing and leave the style alone: a style change can wait past
    # them. (A line feed on the bottom line would scroll, painting the new line in the
    # background colour; Textual's full-screen frames place every line with a cursor
    # move and never feed the last one.)
    r"|(?P<move>\x1b\[[0-9]*(?:;[0-9]*)?H|[\r\n]|\x1b\[\?(?:2026|25)[hl])"
    # Any other escape (CSI, OSC, DCS/APC/PM/SOS, two-byte) is passed on as it is.
    r"|(?P<escape>\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|[P^_X][^\x1b]*(?:\x1b\\)?|.)?)"
    r"|(?P<blank> +)(?![^\x1b\r\n])"
    r"|(?P<text>[^\x1b\r\n]+)",
    re.DOTALL,
)


def apply_sgr(style: Style | None, parameters: str) -> Style | None:
    """The style after `ESC[{parameters}m` on `style`; None when this module cannot
    follow it (a code it does not know, or a change to a style it does not know)."""
    codes = parameters.split(";") if parameters else ["0"]
    flags = set(style.flags) if style is not None else None
    fg = bg = ul = None
    if style is not None:
        fg, bg, ul = style.fg, style.bg, style.underline_colour
    index = 0
    while index < len(codes):
        text = codes[index] or "0"
        if not text.isdigit():
            return UNKNOWN
        code = int(text)
        index += 1
        if code == 0:
            flags, fg, bg, ul = set(), None, None, None
            continue
        if flags is None:
            return UNKNOWN
        if code in _FLAGS:
            flags.add(code)
        elif code in _OFF:
            flags -= _OFF[code]
        elif 30 <= code <= 37 or 90 <= code <= 97:
            fg = text
        elif 40 <= code <= 47 or 100 <= code <= 107:
            bg = text
        elif code == 39:
            fg = None
        elif code == 49:
            bg = None
        elif code == 59:
            ul = None
        elif code in (38, 48, 58):
            kind = codes[index] if index < len(codes) else ""
            width = {"5": 1, "2": 3}.get(kind)
            if width is None or index + 1 + width > len(codes):
                return UNKNOWN
            values = codes[index + 1 : index + 1 + width]
            if not all(value.isdigit() and int(value) <= 255 for value in values):
                return UNKNOWN
            colour = ";".join((text, kind, *values))
            index += 1 + width
            if code == 38:
                fg = colour
            elif code == 48:
                bg = colour
            else:
                ul = colour
        else:
            return UNKNOWN
    if flags is None:
        return UNKNOWN
    return Style(frozenset(flags), fg, bg, ul)


def _codes(style: Style) -> list[str]:
    codes = [str(flag) for flag in sorted(style.flags)]
    codes.extend(colour for colour in (style.fg, style.bg, style.underline_colour) if colour)
    return codes


def transition(before: Style | None, after: Style) -> str:
    """The shortest SGR sequence that takes the terminal from `before` to `after`."""
    if before == after:
        return ""
    full = "\x1b[" + ";".join(["0", *_codes(after)]) + "m"
    if before is None:
        return full
    changes: list[str] = []
    gone = before.flags - after.flags
    cleared: set[int] = set()
    for code in sorted({_OFF_CODE[flag] for flag in gone}):
        changes.append(str(code))
        cleared |= _OFF[code]
    for flag in sorted(after.flags - (before.flags - cleared)):
        changes.append(str(flag))
    for was, now, off in (
        (before.fg, after.fg, "39"),
        (before.bg, after.bg, "49"),
        (before.underline_colour, after.underline_colour, "59"),
    ):
        if was != now:
            changes.append(now or off)
    incremental = "\x1b[" + ";".join(changes) + "m"
    return incremental if len(incremental) < len(full) else full


def blank_style(terminal: Style, wanted: Style) -> Style:
    """The style closest to `terminal` in which spaces look as they do in `wanted`."""
    if wanted.flags & _SHOWN_ON_BLANKS:
        return wanted
    return Style(
        terminal.flags & _HIDDEN_ON_BLANKS,
        terminal.fg,
        wanted.bg,
        terminal.underline_colour,
    )


class SgrCompactor:
    """Rewrites terminal output with the fewest style codes that draw the same cells.

    It remembers the style the terminal has between writes; each write ends with the
    style the original would have left, so nothing written later inherits a style.
    """

    def __init__(self) -> None:
        self.terminal: Style | None = UNKNOWN
        """The style the terminal has now (UNKNOWN until a full reset was sent)."""
        self._after: dict[tuple[Style | None, str], Style | None] = {}
        self._moves: dict[tuple[Style | None, Style], str] = {}

    CACHED = 4096
    """Styles and changes remembered at most (animated colours would add without end)."""

    def compact(self, data: str) -> str:
        out: list[str] = []
        wanted = self.terminal
        terminal = self.terminal
        after, moves = self._after, self._moves
        if len(after) > self.CACHED or len(moves) > self.CACHED:
            after.clear()
            moves.clear()
        for match in _TOKEN.finditer(data):
            kind = match.lastgroup
            if kind == "sgr":
                parameters = match.group("sgr")
                key = (wanted, parameters)
                try:
                    style = after[key]
                except KeyError:
                    style = after[key] = apply_sgr(wanted, parameters)
                if style is UNKNOWN:
                    # Not followed: bring the terminal up to date, then pass it on.
                    if wanted is not UNKNOWN and wanted != terminal:
                        out.append(transition(terminal, wanted))
                    out.append(match.group())
                    wanted = terminal = UNKNOWN
                else:
                    wanted = style
            elif kind == "move":
                out.append(match.group())
            elif kind == "blank" and terminal is not UNKNOWN and wanted is not UNKNOWN:
                # Spaces look the same in any foreground colour, bold or not: keep the
                # terminal's, so that the next text often needs no change at all.
                target = blank_style(terminal, wanted)
                if target != terminal:
                    out.append(transition(terminal, target))
                    terminal = target
                out.append(match.group())
            else:
                if wanted is not UNKNOWN and wanted != terminal:
                    pair = (terminal, wanted)
                    try:
                        out.append(moves[pair])
                    except KeyError:
                        out.append(moves.setdefault(pair, transition(terminal, wanted)))
                    terminal = wanted
                out.append(match.group())
                if kind == "escape":
                    # It may save, restore or reset the style: assume nothing after it.
                    wanted = terminal = UNKNOWN
        if wanted is not UNKNOWN and wanted != terminal:
            out.append(transition(terminal, wanted))
            terminal = wanted
        self.terminal = terminal
        return "".join(out)


def compact_driver(base: type[Driver]) -> type[Driver]:
    """`base` (Textual's driver for this platform) writing compacted output."""

    class CompactDriver(base):  # type: ignore[valid-type,misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.compactor = SgrCompactor()

        def write(self, data: str) -> None:
            super().write(self.compactor.compact(data))

    CompactDriver.__name__ = CompactDriver.__qualname__ = f"Compact{base.__name__}"
    return CompactDriver


def driver_for(base: type[Driver]) -> type[Driver]:
    """The driver the dashboard runs with: Textual's terminal driver compacted, any other
    (headless for tests, a driver chosen with TEXTUAL_DRIVER, Windows) as it is."""
    if sys.platform == "win32" or not ENABLED:
        return base
    from textual.drivers.linux_driver import LinuxDriver

    return compact_driver(base) if base is LinuxDriver else base
