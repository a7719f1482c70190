"""One translation layer for the interface, the CLI and the reports.

Messages are written in English in the code (`t("Add item")`); the Chinese catalogue
maps each English message to its translation. A test checks that every `t("...")`
literal in the source has a translation and that the catalogue has nothing unused.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from datetime import date

LANGUAGES = ("en", "zh")
_current = "en"


def language_from_locale() -> str:
    """ "zh" when the POSIX locale asks for Chinese, else "en"."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(variable, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def choose_language(cli: str | None, setting: str | None) -> str:
    """`--lang` wins, then the saved setting, then the locale."""
    for candidate in (cli, setting):
        if candidate in LANGUAGES:
            return candidate
    return language_from_locale()


def language_in(argv: Sequence[str]) -> str | None:
    """`--lang` read from a command line ahead of parsing it, so the help and argparse's
    complaints (and the quick-command client's one message) use it."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
    _current = lang


def current_language() -> str:
    return _current


def weekday_name(day: date) -> str:
    """Short weekday name in the current language (not the C library's locale)."""
    return (t("Mon"), t("Tue"), t("Wed"), t("Thu"), t("Fri"), t("Sat"), t("Sun"))[day.weekday()]


def t(message: str, /, **values: object) -> str:
    """Translate `message` into the current language and fill in `{name}` values."""
    if _current == "zh":
        from sitedash.i18n.zh import CATALOGUE

        message = CATALOGUE.get(message, message)
    return message.format(**values) if values else message


def tn(count: int, singular: str, plural: str, /, **values: object) -> str:
    """`singular` when `count` is one, else `plural`, translated and filled in.

    English says "1 day" and "2 days"; Chinese has one form for both (its catalogue
    maps each to the same text). `{n}` is `count` unless given. Both messages are
    literals, so the catalogue test finds them.
    """
    message = singular if count == 1 else plural
    if _current == "zh":
        from sitedash.i18n.zh import CATALOGUE

        message = CATALOGUE.get(message, message)
    return message.format(**{"n": count, **values})


@contextlib.contextmanager
def language(lang: str) -> Iterator[None]:
    """Use `lang` for the duration of a block (a report exported in another language)."""
    global _current
    previous = _current
    set_language(lang)
    try:
        yield
    finally:
        _current = previous
