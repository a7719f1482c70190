"""The messages argparse prints (usage, errors, help headings), translated.

argparse looks its messages up through the module-level `_` (gettext); `install()`
points it at our catalogue so `sitedash --lang zh` is Chinese from usage to errors.
"""

from __future__ import annotations

import argparse

from sitedash.i18n import t


def install() -> None:
    argparse._ = argparse_text  # type: ignore[attr-defined]


def argparse_text(message: str) -> str:
    """`message` from argparse in the current language (others stay as they are)."""
    return _texts().get(message, message)


def _texts() -> dict[str, str]:
    # Literal t() calls, so the catalogue test sees every message. The %-placeholders
    # are argparse's own and stay in the translations.
    return {
        "usage: ": t("usage: "),
        "options": t("options"),
        "positional arguments": t("positional arguments"),
        "show this help message and exit": t("show this help message and exit"),
        "the following arguments are required: %s": t("the following arguments are required: %s"),
        "unrecognized arguments: %s": t("unrecognized arguments: %s"),
        "invalid choice: %(value)r (choose from %(choices)s)": t(
            "invalid choice: %(value)r (choose from %(choices)s)"
        ),
        "invalid %(type)s value: %(value)r": t("invalid %(type)s value: %(value)r"),
        "argument %(argument_name)s: %(message)s": t("argument %(argument_name)s: %(message)s"),
        "expected one argument": t("expected one argument"),
        "expected at least one argument": t("expected at least one argument"),
        "expected at most one argument": t("expected at most one argument"),
        "ambiguous option: %(option)s could match %(matches)s": t(
            "ambiguous option: %(option)s could match %(matches)s"
        ),
        "not allowed with argument %s": t("not allowed with argument %s"),
        "one of the arguments %s is required": t("one of the arguments %s is required"),
        "ignored explicit argument %r": t("ignored explicit argument %r"),
    }
