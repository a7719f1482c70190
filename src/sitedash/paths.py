"""Where sitedash keeps its data and finds its styles, resolved lazily (never at import)."""

from __future__ import annotations

import os
from pathlib import Path

ENV_DATA_DIR = "SITEDASH_DATA_DIR"
REPORTS_ROOT = "reports"
"""The team repository's reports: every engineer writes only under
`reports/<engineer-id>/<yyyy>/` (`sitedash publish`), and `collect` checks it."""


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Return the data dir: `--data-dir`, else `$SITEDASH_DATA_DIR`, else the platform's.

    Nothing is created here; the store creates the dir (0700) when it opens.
    """
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(ENV_DATA_DIR)
    if from_env:
        return Path(from_env).expanduser()
    # Imported here: platformdirs is only needed when no dir was given.
    from platformdirs import user_data_dir

    return Path(user_data_dir("sitedash", appauthor=False))


def styles_dir() -> Path:
    """Return the directory holding the app's .tcss files.

    In a wheel they ship as `sitedash/styles` (hatchling force-include); in an editable
    install or a source checkout they live in the repository's top-level `styles/`.
    """
    package = Path(__file__).resolve().parent
    installed = package / "styles"
    if installed.is_dir():
        return installed
    checkout = package.parent.parent / "styles"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"sitedash styles not found in {installed} or {checkout}")


def style(name: str) -> Path:
    """Absolute path of one stylesheet, so subclasses and tests find it too."""
    return styles_dir() / name
