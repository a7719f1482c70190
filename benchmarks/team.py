"""The team's figures: `python benchmarks/team.py [--quick]`.

- `sitedash collect` over 50 engineers x 1 year of daily reports (12,500 files),
  whole process: under 10 s, with memory flat in the number of files (the same run over
  2,500 files for comparison, and the bytes of report bodies it did not keep);
- `sitedash publish` to a repository on local disk (so: without the network), whole
  process: under 1 s.

Writes `benchmarks/TEAM.md`. Not part of the test suite (its numbers depend on the
machine); uses only the standard library, git and sitedash.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sitedash.reports.markdown import front_matter

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "TEAM.md"
COLLECT_S = 10.0
PUBLISH_S = 1.0
ENGINEERS = 50
YEAR = date(2026, 1, 1)
BODY_LINES = 60


def working_days(count: int) -> list[date]:
    days, day = [], YEAR
    while len(days) < count:
        if day.weekday() != 6:
            days.append(day)
        day += timedelta(days=1)
    return days


def write_team(root: Path, days_per_engineer: int, seed: int = 7) -> tuple[int, int]:
    """Daily reports as sitedash writes them; returns (files, bytes)."""
    rng = random.Random(seed)
    files = size = 0
    days = working_days(days_per_engineer)
    for n in range(ENGINEERS):
        name = f"Engineer {n:02d}"
        folder = root / "reports" / f"engineer-{n:02d}"
        for day in days:
            worked = rng.randint(300, 700)
            fields = {
                "sitedash_report": 1,
                "kind": "daily",
                "engineer": name,
                "engagement": f"site-{n % 20}",
                "engagement_name": f"MES roll-out, site {n % 20}",
                "customer": "Danube Precision Kft.",
                "period_start": day,
                "period_end": day,
                "generated_at": datetime.combine(day, datetime.min.time(), UTC).replace(hour=19),
                "language": "en",
                "counts": {
                    "planned": 5,
                    "done": 4,
                    "unfinished": 1,
                    "dropped": 0,
                    "estimate_done_min": 300,
                    "blockers": 1,
                    "issues_opened": 1,
                    "issues_resolved": 1,
                    "issues_confirmed": 0,
                    "open_p1_p2": 2,
                    "trainings": rng.randint(0, 1),
                    "trained_people": rng.randint(0, 8),
                    "worked_min": worked,
                    "breaks": 2,
                },
                "open_by_severity": {"P1": 1, "P2": 1, "P3": 3, "P4": 0},
                "issues_by_status": {
                    "new": 1,
                    "in_progress": 2,
                    "waiting": 1,
                    "resolved": 1,
                    "confirmed": 9,
                },
                "worked_by_day": {day.isoformat(): worked},
                "blockers": ["Need the customer's DBA to open port 1433"],
                "open_p1_opened": {"ISS-3": day - timedelta(days=rng.randint(0, 6))},
                "pending_changes_since": [(day - timedelta(days=9)).isoformat()],
                "rotation_due": date(2026, 9, 1),
            }
            body = "\n".join(
                f"| Item {i} | configure | 1h | line {i} of the day's work |"
                for i in range(BODY_LINES)
            )
            text = front_matter(fields) + f"\n\n# Daily report · {day}\n\n" + body + "\n"
            path = folder / str(day.year) / f"daily-site-{n % 20}-{day.isoformat()}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            files += 1
            size += len(text.encode("utf-8"))
    return files, size


def measure(argv: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall time (s) and peak RSS (KiB) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{argv} failed: {proc.stderr.read().decode() if proc.stderr else ''}")
    return elapsed, usage.ru_maxrss


def sitedash(*args: str) -> list[str]:
    return [sys.executable, "-m", "sitedash", *args]


def git(*args: str, cwd: Path | None = None) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one repetition of each")
    args = parser.parse_args()
    reps = 1 if args.quick else 3
    work = Path(tempfile.mkdtemp(prefix="sitedash-team-bench-"))
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SITEDASH_", "GIT_"))},
        "LANG": "en_US.UTF-8",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": str(work / "gitconfig"),
    }
    (work / "gitconfig").write_text("[user]\n\tname = Bench\n\temail = bench@example.invalid\n")
    rows: list[tuple[str, str, str, str]] = []
    try:
        sizes = {}
        for days in (50, 250):
            root = work / f"team-{days}"
            sizes[days] = write_team(root, days)
            for since in (["--since", "2026-12-01"], []):
                times, rss = [], []
                for _ in range(reps):
                    out = work / "rollup.md"
                    out.unlink(missing_ok=True)
                    elapsed, peak = measure(
                        sitedash("collect", str(root), *since, "--out", str(out)), env
                    )
                    times.append(elapsed)
                    rss.append(peak)
                files, size = sizes[days]
                label = f"collect {files:,} files ({size / 2**20:.0f} MiB)" + (
                    " --since" if since else ""
                )
                best = statistics.median(times)
                rows.append(
                    (
                        label,
                        f"{best:.2f} s",
                        f"{max(rss) / 1024:.1f} MiB peak RSS",
                        "PASS" if days < 250 or best < COLLECT_S else "MISS",
                    )
                )
        baseline, baseline_rss = measure(
            [sys.executable, "-c", "import sitedash.reports.collect"], env
        )
        small, large = (r for r in rows if "--since" not in r[0])
        rows.append(
            (
                "memory growth, 2,500 to 12,500 files (no --since)",
                "",
                f"{float(large[2].split()[0]) - float(small[2].split()[0]):+.1f} MiB "
                f"for {(sizes[250][1] - sizes[50][1]) / 2**20:.0f} MiB more report text",
                "",
            )
        )
        # publish: a demo engineer, a bare repository on this disk (no network).
        bare = work / "team.git"
        git("init", "--quiet", "--bare", "--initial-branch=main", str(bare))
        data = work / "engineer"
        subprocess.run(
            sitedash("demo-data", str(data), "--days", "60"),
            env=env,
            check=True,
            capture_output=True,
        )
        subprocess.run(
            sitedash("--data-dir", str(data), "publish", "--setup", str(bare)),
            env=env,
            check=True,
            capture_output=True,
        )
        times = []
        for _ in range(max(reps, 3)):
            elapsed, _ = measure(sitedash("--data-dir", str(data), "publish"), env)
            times.append(elapsed)
        best = statistics.median(times)
        rows.append(
            (
                "publish (daily, local bare repository)",
                f"{best:.2f} s",
                "",
                "PASS" if best < PUBLISH_S else "MISS",
            )
        )
        rows.append(
            (
                "reference: a process that imports sitedash.reports.collect",
                f"{baseline:.2f} s",
                f"{baseline_rss / 1024:.1f} MiB peak RSS",
                "",
            )
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    lines = [
        "# Team figures (benchmarks/team.py)",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node()}: "
        f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{'quick' if args.quick else f'median of {reps}'}. Whole processes, wall time; "
        "peak RSS from wait4. Targets: collect of 12,500 files < "
        f"{COLLECT_S:.0f} s, publish < {PUBLISH_S:.0f} s plus the network.",
        "",
        "| figure | time | memory | target |",
        "|---|---|---|---|",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows),
        "",
    ]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
