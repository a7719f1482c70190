"""What the app draws, read through Textual's public API.

Each widget shown renders its lines (`Widget.render_lines`), the lines the compositor
puts on the terminal; here they are kept widget by widget. Enough to check what text
is shown, in which colours, and that no control sequence is in it.
"""

from __future__ import annotations

from typing import Any

from textual.geometry import Region
from textual.strip import Strip


def drawn_lines(app: Any, *, stack: bool = False) -> list[Strip]:
    """The lines every widget of the shown screen draws (with `stack`, also the screens
    below a dialog), widget after widget."""
    screens = list(app.screen_stack) if stack else [app.screen]
    lines: list[Strip] = []
    for screen in screens:
        for widget in screen.walk_children(with_self=True):
            region = widget.region
            if not widget.display or region.area == 0:
                continue
            lines.extend(widget.render_lines(Region(0, 0, region.width, region.height)))
    return lines


def drawn_text(app: Any, *, stack: bool = False) -> str:
    """The characters drawn, one widget line per line."""
    return "\n".join(
        "".join(segment.text for segment in line if not segment.control)
        for line in drawn_lines(app, stack=stack)
    )


def notifications(app: Any) -> list[str]:
    """The notifications on screen (title and message of each toast shown); tests that
    read them run the app with `run_test(notifications=True)`."""
    return [str(toast.render()) for toast in app.screen.query("Toast")]


def footer_line(app: Any) -> str:
    """The footer line as drawn on the screen the engineer works on (under a dialog, if
    one is open): its keys, or the confirmation of a save shown in their place."""
    from sitedash.screens.base import SiteScreen
    from sitedash.widgets.footer import SiteFooter

    screen = next(s for s in reversed(app.screen_stack) if isinstance(s, SiteScreen))
    footer = screen.query_one(SiteFooter)
    region = footer.region
    [line] = footer.render_lines(Region(0, 0, region.width, 1))
    return "".join(segment.text for segment in line if not segment.control)
