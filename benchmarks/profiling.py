"""Profile one benchmark scenario in the real pty: `python benchmarks/profiling.py SCENARIO`.

Scenarios: `cold` (spawn to the settled Today screen), `switch MODE` (a key press to the
settled screen, first visit), `revisit MODE` (after every screen was shown twice) and
`confirmed` (press v on the board with 5,000 issues). The data is generated as in
`run.py`. The report is pyinstrument's wall-clock tree when pyinstrument is importable
(e.g. `PYTHONPATH=/path/to/pyinstrument`; it is not a dependency), else a cProfile dump
to read with `python -m pstats`.
"""

from __future__ import annotations

import argparse
import signal
import tempfile
from pathlib import Path

from child import PROFILE_ENV
from data import clone, prepare
from harness import PtySession, end_sessions_on_signals
from run import SCREENS, press_and_settle, sitedash_args


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", choices=("cold", "switch", "revisit", "confirmed"))
    parser.add_argument("mode", nargs="?", default="issues", choices=tuple(SCREENS))
    parser.add_argument("--board", action="store_true", help="use the 5,000-issue data")
    parser.add_argument("--out", type=Path, default=None, help="report file")
    args = parser.parse_args(argv)
    end_sessions_on_signals()
    out = args.out or Path(tempfile.gettempdir()) / f"sitedash-profile-{args.scenario}.txt"
    with tempfile.TemporaryDirectory(prefix="sitedash-profile-") as temp:
        data = prepare(Path(temp) / "templates")
        board = args.board or args.scenario == "confirmed"
        directory = clone(data.board if board else data.days730, Path(temp) / "run")
        env = {PROFILE_ENV: str(out)}
        if args.scenario == "cold":
            env[PROFILE_ENV + "_AT_START"] = "1"
        start_mode = "wellbeing" if args.scenario == "switch" and args.mode == "today" else None
        with PtySession(sitedash_args(directory, start_mode), env=env) as session:
            first = SCREENS[start_mode or "today"][1]
            session.settle(session.spawned, first)
            if args.scenario == "revisit":
                for _ in range(2):
                    for mode in SCREENS:
                        press_and_settle(session, mode)
            if args.scenario == "confirmed":
                press_and_settle(session, "issues")
            if args.scenario != "cold":
                session.send_signal(signal.SIGUSR1)
            if args.scenario == "confirmed":
                session.settle(session.press(b"v"), "IssuesScreen")
            elif args.scenario != "cold":
                press_and_settle(session, args.mode)
            session.send_signal(signal.SIGUSR2)
            session.wait_event("profiled")
            session.quit()
    print(f"profile written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
