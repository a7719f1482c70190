"""The command line in-process, as the CLI tests run it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sitedash.cli import main
from tests.conftest import FrozenClock

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(data_dir: Path, clock: FrozenClock, capsys: pytest.CaptureFixture[str]) -> Run:
    """`sitedash --data-dir DATA ARGS...` in-process at the frozen clock: (status, stdout,
    stderr). `data=False` leaves `--data-dir` out."""

    def runner(*args: str, data: bool = True) -> tuple[int, str, str]:
        argv = (["--data-dir", str(data_dir)] if data else []) + list(args)
        status = main(argv, clock=clock)
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return runner
