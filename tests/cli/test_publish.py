"""`sitedash publish` and `collect --pull` with real git: a bare repository on disk,
engineers' clones publishing (at the same time, offline, again), a lead's clone."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from sitedash.cli import main
from sitedash.models import Engagement
from sitedash.reports import publish as publish_module
from sitedash.services import gitrepo
from sitedash.services import today as plan
from sitedash.services.engagements import save_new_engagement
from sitedash.services.identity import person_id
from sitedash.storage import Store
from tests.conftest import FROZEN_NOW, FrozenClock


@pytest.fixture(autouse=True)
def _git_sealed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No user or system git config: no identity, no hooks, no signing from the machine."""
    config = tmp_path / "gitconfig"
    config.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"):
        monkeypatch.delenv(name, raising=False)


def git(*args: str, cwd: Path | None = None) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True, timeout=120
    )
    return result.stdout.strip()


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    bare = tmp_path / "team.git"
    git("init", "--quiet", "--bare", "--initial-branch=main", str(bare))
    return bare


def files_on(bare: Path) -> list[str]:
    return git("--git-dir", str(bare), "ls-tree", "-r", "--name-only", "main").splitlines()


def engineer(tmp_path: Path, name: str, clock: FrozenClock, *, item: str = "Install MES") -> Path:
    """An engineer's data dir: their name set, an engagement, a done plan item."""
    data = tmp_path / person_id(name)
    store = Store(data, clock=clock)
    settings = store.settings()
    settings.engineer = name
    store.save_settings(settings)
    save_new_engagement(store, Engagement(id="mes", name="MES roll-out", site_tz="UTC"))
    plan.add_item(store, "mes", clock().date(), item)
    return data


def sitedash(
    data: Path, *args: str, clock: FrozenClock, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    status = main(["--data-dir", str(data), *args], clock=clock)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def one_line_error(result: tuple[int, str, str], *fragments: str) -> None:
    status, _out, err = result
    assert status == 2, err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    for fragment in fragments:
        assert fragment in err, err


def process(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`sitedash` in a process of its own (the real clock)."""
    return subprocess.run(
        [sys.executable, "-m", "sitedash", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_setup_and_publish_write_only_the_engineers_file(
    tmp_path: Path, remote: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = FrozenClock()
    anna = engineer(tmp_path, "Győri Anna", clock)
    status, out, _ = sitedash(anna, "publish", "--setup", str(remote), clock=clock, capsys=capsys)
    assert status == 0 and "team-reports" in out
    assert (anna / "team-reports" / ".git").is_dir()
    status, out, err = sitedash(anna, "publish", clock=clock, capsys=capsys)
    assert status == 0, err
    daily = "reports/gyori-anna/2026/daily-mes-2026-11-25.md"
    assert out.strip() == f"Published {daily}"
    status, out, _ = sitedash(anna, "publish", "--kind", "weekly", clock=clock, capsys=capsys)
    weekly = "reports/gyori-anna/2026/weekly-mes-2026-W48.md"
    assert out.strip() == f"Published {weekly}"
    assert files_on(remote) == [daily, weekly]
    log = git("--git-dir", str(remote), "log", "--format=%s|%an", "main").splitlines()
    assert log == [
        "Weekly review for 2026-W48 (mes)|Győri Anna",
        "Daily report for 2026-11-25 (mes)|Győri Anna",
    ]
    shown = git("--git-dir", str(remote), "show", f"main:{daily}")
    assert "| Install MES |" in shown and 'engineer: "Győri Anna"' in shown


def test_publishing_a_period_again_replaces_the_file_and_history_keeps_both(
    tmp_path: Path, remote: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = FrozenClock()
    anna = engineer(tmp_path, "Anna", clock)
    sitedash(anna, "publish", "--setup", str(remote), clock=clock, capsys=capsys)
    assert sitedash(anna, "publish", clock=clock, capsys=capsys)[0] == 0
    plan.add_item(Store(anna, clock=clock), "mes", clock().date(), "Train line leads")
    clock.now += timedelta(hours=8)
    assert sitedash(anna, "publish", clock=clock, capsys=capsys)[0] == 0
    path = "reports/anna/2026/daily-mes-2026-11-25.md"
    assert files_on(remote) == [path]
    commits = git("--git-dir", str(remote), "log", "--format=%H", "main", "--", path).split()
    assert len(commits) == 2
    newer = git("--git-dir", str(remote), "show", f"{commits[0]}:{path}")
    older = git("--git-dir", str(remote), "show", f"{commits[1]}:{path}")
    assert "Train line leads" in newer and "Train line leads" not in older


def test_a_push_race_is_settled_by_rebase_never_by_force(
    tmp_path: Path,
    remote: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Bela pushes between Anna's pull and Anna's push: Anna's push is rejected, she
    pulls again (rebase) and pushes; nothing is lost and no merge commit appears."""
    clock = FrozenClock()
    anna = engineer(tmp_path, "Anna", clock)
    bela = engineer(tmp_path, "Bela", clock)
    for data in (anna, bela):
        assert sitedash(data, "publish", "--setup", str(remote), clock=clock, capsys=capsys)[0] == 0
    real_pull = gitrepo.pull_rebase
    calls: list[str] = []

    def pull_then_bela_pushes(repo: Path, name: str, config: list[str]) -> str | None:
        offline = real_pull(repo, name, config)
        calls.append(repo.parent.name)
        if len(calls) == 1:  # Bela, in a process of his own, wins the race
            result = process(bela, "publish")
            assert result.returncode == 0 and "Published" in result.stdout, result.stderr
        return offline

    monkeypatch.setattr(gitrepo, "pull_rebase", pull_then_bela_pushes)
    status, out, err = sitedash(anna, "publish", clock=clock, capsys=capsys)
    assert status == 0 and out.startswith("Published"), err
    assert calls == ["anna", "anna"], "Anna's first push was rejected and retried"
    assert sorted(path.split("/")[1] for path in files_on(remote)) == ["anna", "bela"]
    assert git("--git-dir", str(remote), "rev-list", "--merges", "main") == ""
    assert len(git("--git-dir", str(remote), "rev-list", "main").split()) == 2


def test_two_engineers_publishing_at_the_same_time_lose_nothing(
    tmp_path: Path, remote: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = FrozenClock()
    clones = [engineer(tmp_path, name, clock) for name in ("Anna", "Bela")]
    for data in clones:
        assert sitedash(data, "publish", "--setup", str(remote), clock=clock, capsys=capsys)[0] == 0
    script = "; ".join(
        f"{sys.executable} -m sitedash --data-dir {{data}} publish --kind {kind} || exit 1"
        for kind in ("daily", "weekly", "acceptance")
    )
    running = [
        subprocess.Popen(
            ["sh", "-c", script.format(data=data)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for data in clones
    ]
    outputs = [proc.communicate(timeout=600) for proc in running]
    for proc, (out, err) in zip(running, outputs, strict=True):
        assert proc.returncode == 0, err
        assert out.count("Published") == 3, out
    published = files_on(remote)
    assert len(published) == 6
    assert {path.split("/")[1] for path in published} == {"anna", "bela"}
    assert git("--git-dir", str(remote), "rev-list", "--merges", "main") == ""


def test_offline_publishes_wait_and_the_next_one_pushes_them(
    tmp_path: Path, remote: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = FrozenClock()
    anna = engineer(tmp_path, "Anna", clock)
    sitedash(anna, "publish", "--setup", str(remote), clock=clock, capsys=capsys)
    away = remote.with_name("unreachable.git")
    remote.rename(away)  # the network is gone
    status, out, _ = sitedash(anna, "publish", "--date", "2026-11-24", clock=clock, capsys=capsys)
    assert status == 0
    assert "Committed reports/anna/2026/daily-mes-2026-11-24.md; not pushed (" in out
    assert out.strip().endswith("1 report waits for the next publish")
    status, out, _ = sitedash(anna, "publish", clock=clock, capsys=capsys)
    assert out.strip().endswith("2 reports wait for the next publish")
    status, out, _ = sitedash(anna, "status", clock=clock, capsys=capsys)
    assert status == 0 and out.strip().endswith(" · 2 reports not pushed")
    away.rename(remote)  # back online
    status, out, _ = sitedash(anna, "publish", "--kind", "weekly", clock=clock, capsys=capsys)
    assert out.strip() == "Published reports/anna/2026/weekly-mes-2026-W48.md"
    assert len(files_on(remote)) == 3
    status, out, _ = sitedash(anna, "status", clock=clock, capsys=capsys)
    assert "not pushed" not in out


def test_a_lead_collects_from_a_third_clone(
    tmp_path: Path, remote: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = FrozenClock()
    anna = engineer(tmp_path, "Anna", clock)
    bela = engineer(tmp_path, "Bela", clock)
    for data in (anna, bela):
        sitedash(data, "publish", "--setup", str(remote), clock=clock, capsys=capsys)
        assert sitedash(data, "publish", "--date", "2026-11-24", clock=clock, capsys=capsys)[0] == 0
    lead = tmp_path / "lead"
    git("clone", "--quiet", str(remote), str(lead))
    assert sitedash(anna, "publish", clock=clock, capsys=capsys)[0] == 0  # after the clone
    rollup = tmp_path / "ROLLUP.md"
    status, _, err = sitedash(
        tmp_path / "no-data",
        "collect",
        str(lead / "reports"),
        "--pull",
        "--since",
        "7d",
        "--out",
        str(rollup),
        clock=clock,
        capsys=capsys,
    )
    assert status == 0, err
    assert "Read 3 reports, skipped 0" in err, "the pull brought Anna's newest report"
    text = rollup.read_text(encoding="utf-8")
    assert "## Anna · MES roll-out" in text and "## Bela · MES roll-out" in text
    assert "Period covered: 2026-11-24 to 2026-11-25 (2 reports" in text
    assert not (tmp_path / "no-data").exists(), "collect needs no data dir"


def lead_collects(
    tmp_path: Path,
    remote: Path,
    *args: str,
    clock: FrozenClock,
    capsys: pytest.CaptureFixture[str],
) -> tuple[str, str]:
    """The lead clones the team repository and rolls it up: (stderr, the roll-up)."""
    lead = tmp_path / "lead"
    git("clone", "--quiet", str(remote), str(lead))
    rollup = tmp_path / "ROLLUP.md"
    status, _, err = sitedash(
        tmp_path / "no-data",
        "collect",
        str(lead / "reports"),
        *args,
        "--out",
        str(rollup),
        clock=clock,
        capsys=capsys,
    )
    assert status == 0, err
    return err, rollup.read_text(encoding="utf-8")


def test_a_report_in_another_engineers_folder_counts_for_no_one(
    tmp_path: Path, remote: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bela copies his daily into Anna's folder and pushes it by hand: the roll-up does
    not credit Anna with it (she did not report), nor count it twice for Bela."""
    clock = FrozenClock()
    anna = engineer(tmp_path, "Anna", clock)
    bela = engineer(tmp_path, "Bela", clock)
    for data in (anna, bela):
        sitedash(data, "publish", "--setup", str(remote), clock=clock, capsys=capsys)
    day = "2026-11-24"
    assert sitedash(anna, "publish", "--date", "2026-11-23", clock=clock, capsys=capsys)[0] == 0
    assert sitedash(bela, "publish", "--date", day, clock=clock, capsys=capsys)[0] == 0
    clone = bela / "team-reports"
    git("pull", "--quiet", cwd=clone)
    name = f"daily-mes-{day}.md"
    misplaced = clone / "reports" / "anna" / "2026" / name
    misplaced.write_bytes((clone / "reports" / "bela" / "2026" / name).read_bytes())
    git("add", ".", cwd=clone)
    git("-c", "user.name=Bela", "-c", "user.email=b@x", "commit", "-qm", "mine", cwd=clone)
    git("push", "--quiet", cwd=clone)
    err, text = lead_collects(tmp_path, remote, "--since", "2026-11-23", clock=clock, capsys=capsys)
    assert "Read 2 reports, skipped 1" in err
    assert "in anna's folder of the team repository, but Bela's report" in text
    not_reported = text.split("## Not reported", 1)[1].split("\n## ", 1)[0]
    assert "| Anna | 2026-11-23 (Daily report) | 1 | 2026-11-24 |" in not_reported


def test_a_hand_edited_name_still_finds_its_own_folder(
    tmp_path: Path, remote: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A name with a tab and trailing spaces (Settings edited by hand): the report names
    the engineer as one clean line, its folder is that name's, and the roll-up counts
    it (the folder check must not skip an engineer's own report)."""
    clock = FrozenClock()
    anna = engineer(tmp_path, "Anna", clock)
    store = Store(anna, clock=clock)
    settings = store.settings()
    settings.engineer = "李伟\t (Li Wei)  "  # a CJK name: its folder id carries a hash
    store.save_settings(settings)
    sitedash(anna, "publish", "--setup", str(remote), clock=clock, capsys=capsys)
    assert sitedash(anna, "publish", "--date", "2026-11-24", clock=clock, capsys=capsys)[0] == 0
    folder = person_id("李伟  (Li Wei)")  # the name as the report's front matter says it
    assert files_on(remote) == [f"reports/{folder}/2026/daily-mes-2026-11-24.md"]
    err, _ = lead_collects(tmp_path, remote, clock=clock, capsys=capsys)
    assert "Read 1 report, skipped 0" in err, err


def test_collect_pull_fails_in_one_line(
    tmp_path: Path, remote: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = FrozenClock()
    plain = tmp_path / "plain"
    plain.mkdir()
    one_line_error(
        sitedash(tmp_path, "collect", str(plain), "--pull", clock=clock, capsys=capsys),
        "is not in a git clone",
    )
    lead = tmp_path / "lead"
    git("clone", "--quiet", str(remote), str(lead))
    remote.rename(remote.with_name("gone.git"))
    one_line_error(
        sitedash(tmp_path, "collect", str(lead), "--pull", clock=clock, capsys=capsys),
        "--pull in",
        "git pull failed",
    )


def test_without_git_one_line_says_so(
    tmp_path: Path,
    remote: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = FrozenClock()
    anna = engineer(tmp_path, "Anna", clock)
    sitedash(anna, "publish", "--setup", str(remote), clock=clock, capsys=capsys)
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    for args in (("publish",), ("publish", "--setup", str(remote)), ("collect", ".", "--pull")):
        one_line_error(sitedash(anna, *args, clock=clock, capsys=capsys), "git is not installed")
    status, out, _ = sitedash(anna, "status", clock=clock, capsys=capsys)
    assert status == 0 and out.startswith("MES roll-out")


def test_publish_needs_a_clone_and_a_name_and_sets_up_once(
    tmp_path: Path, remote: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = FrozenClock()
    anna = engineer(tmp_path, "Anna", clock)
    one_line_error(
        sitedash(anna, "publish", clock=clock, capsys=capsys),
        "no team repository yet",
        "publish --setup",
    )
    sitedash(anna, "publish", "--setup", str(remote), clock=clock, capsys=capsys)
    one_line_error(
        sitedash(anna, "publish", "--setup", str(remote), clock=clock, capsys=capsys),
        "already set up",
    )
    one_line_error(
        sitedash(
            anna, "publish", "--setup", str(tmp_path / "nowhere.git"), clock=clock, capsys=capsys
        ),
        "already set up",
    )
    store = Store(anna, clock=clock)
    settings = store.settings()
    settings.engineer = ""
    store.save_settings(settings)
    one_line_error(sitedash(anna, "publish", clock=clock, capsys=capsys), "needs your name")
    assert git("--git-dir", str(remote), "for-each-ref") == "", "nothing was pushed"
    bela = engineer(tmp_path, "Bela", clock)
    one_line_error(
        sitedash(
            bela, "publish", "--setup", str(tmp_path / "nowhere.git"), clock=clock, capsys=capsys
        ),
        "git clone failed",
    )
    assert not (bela / "team-reports").exists(), "a failed clone leaves nothing"


def test_another_engineers_folder_is_never_touched(
    tmp_path: Path, remote: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = FrozenClock()
    anna = engineer(tmp_path, "Anna", clock)
    bela = engineer(tmp_path, "Bela", clock)
    for data in (bela, anna):
        sitedash(data, "publish", "--setup", str(remote), clock=clock, capsys=capsys)
    sitedash(bela, "publish", clock=clock, capsys=capsys)
    clone = anna / "team-reports"
    git("pull", "--quiet", cwd=clone)
    bela_file = clone / "reports/bela/2026/daily-mes-2026-11-25.md"
    original = bela_file.read_text(encoding="utf-8")
    bela_file.write_text("edited by hand in Anna's clone\n")  # never committed
    (clone / "reports" / "bela" / "stray.md").write_text("stray\n")
    status, _, err = sitedash(anna, "publish", clock=clock, capsys=capsys)
    assert status == 0, err
    changed = git("--git-dir", str(remote), "show", "--name-only", "--format=", "main")
    assert changed.splitlines() == ["reports/anna/2026/daily-mes-2026-11-25.md"]
    assert git(
        "--git-dir", str(remote), "show", "main:reports/bela/2026/daily-mes-2026-11-25.md"
    ) == (original.rstrip("\n"))
    assert "reports/bela/stray.md" not in files_on(remote)
    assert bela_file.read_text() == "edited by hand in Anna's clone\n", "the local edit is kept"


def test_a_link_committed_into_the_team_repository_is_not_written_through(
    tmp_path: Path, remote: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Someone commits `reports/anna` as a link to Anna's home: her publish refuses."""
    clock = FrozenClock()
    anna = engineer(tmp_path, "Anna", clock)
    sitedash(anna, "publish", "--setup", str(remote), clock=clock, capsys=capsys)
    outside = tmp_path / "home"
    (outside / "2026").mkdir(parents=True)
    clone = anna / "team-reports"
    (clone / "reports").mkdir()
    os.symlink(outside, clone / "reports" / "anna")
    one_line_error(sitedash(anna, "publish", clock=clock, capsys=capsys), "symbolic link")
    assert list((outside / "2026").iterdir()) == []


def test_the_year_folder_comes_from_the_report_not_the_date_given(tmp_path: Path) -> None:
    assert publish_module.period_of("weekly-mes-2026-W01.md", FROZEN_NOW.date()) == (
        "2026",
        "2026-W01",
    )
    assert publish_module.period_of("daily-x-1-2025-12-31.md", FROZEN_NOW.date()) == (
        "2025",
        "2025-12-31",
    )
