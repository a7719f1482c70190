"""The team's set-up as documented: the example CI workflows are valid YAML and their
`sitedash` commands work; the README gives the five steps; `.ci/run` checks for git."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
import yaml

from sitedash.cli import build_parser, main
from sitedash.reports.frontmatter import parse_front_matter
from sitedash.reports.markdown import front_matter
from tests.conftest import FrozenClock

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO / "docs" / "examples").glob("*.yml"))


def commands(workflow: Path) -> list[list[str]]:
    """Every `sitedash ...` command line in a workflow's scripts."""
    found = []
    for line in workflow.read_text(encoding="utf-8").splitlines():
        match = re.search(r"(?:run:|-)\s+(sitedash .*)$", line)
        if match:
            found.append(shlex.split(match.group(1)))
    return found


def test_there_is_a_workflow_for_github_and_one_for_gitlab() -> None:
    assert [p.name for p in EXAMPLES] == ["rollup-github-actions.yml", "rollup-gitlab-ci.yml"]
    github = yaml.safe_load(EXAMPLES[0].read_text(encoding="utf-8"))
    trigger = github.get("on", github.get(True))  # YAML 1.1 reads the key `on` as true
    assert trigger["push"]["paths"] == ["reports/**"]
    assert github["permissions"] == {"contents": "write"}
    steps = github["jobs"]["rollup"]["steps"]
    assert "git push --quiet" in steps[-1]["run"] and "push --force" not in steps[-1]["run"]
    gitlab = yaml.safe_load(EXAMPLES[1].read_text(encoding="utf-8"))
    assert gitlab["rollup"]["artifacts"]["paths"][0] == "ROLLUP.md"


@pytest.mark.parametrize("workflow", EXAMPLES, ids=lambda p: p.name)
def test_the_workflow_commands_run(
    workflow: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run the workflow's `sitedash` commands in a checkout with reports in it."""
    found = commands(workflow)
    assert found and all(cmd[:2] == ["sitedash", "collect"] for cmd in found)
    checkout = tmp_path / "checkout"
    report = checkout / "reports" / "anna" / "2026" / "daily-mes-2026-11-24.md"
    report.parent.mkdir(parents=True)
    report.write_text(
        front_matter(
            {
                "sitedash_report": 1,
                "kind": "daily",
                "engineer": "Anna",
                "engagement": "mes",
                "period_start": date(2026, 11, 24),
                "period_end": date(2026, 11, 24),
                "counts": {},
            }
        ),
        encoding="utf-8",
    )
    monkeypatch.chdir(checkout)
    for cmd in found:
        build_parser().parse_args(cmd[1:])
        assert main(cmd[1:], clock=FrozenClock()) == 0
        assert main(cmd[1:], clock=FrozenClock()) == 0, "it runs again on the next push"
    rollup = parse_front_matter((checkout / "ROLLUP.md").read_text(encoding="utf-8"))
    assert rollup["kind"] == "rollup" and rollup["counts"]["reports"] == 1


def test_the_readme_gives_the_team_set_up_in_five_steps() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    part = readme.split("### The team's set-up: publish over git", 1)[1].split("\n## ", 1)[0]
    steps = re.findall(r"^(\d)\. \*\*(.+?)\*\*", part, flags=re.MULTILINE)
    assert [n for n, _ in steps] == ["1", "2", "3", "4", "5"]
    assert [title for _, title in steps] == [
        "Create the repository",
        "Each engineer, once",
        "The lead's clone",
        "The workflow",
        "Who may write where",
    ]
    for needed in ("publish --setup", "collect", "--pull", *(p.name for p in EXAMPLES)):
        assert needed in part, needed


def test_ci_run_says_so_when_git_is_missing(tmp_path: Path) -> None:
    """On a copy of the repository's CI script (it empties `.venv` when it runs)."""
    (tmp_path / ".ci").mkdir()
    shutil.copy2(REPO / ".ci" / "run", tmp_path / ".ci" / "run")
    shutil.copy2(REPO / "README.md", tmp_path / "README.md")
    (tmp_path / ".venv").mkdir()
    tools = tmp_path / "bin"
    tools.mkdir()
    for tool in ("bash", "dirname", "sed", "grep"):
        found = shutil.which(tool)
        assert found, tool
        os.symlink(found, tools / tool)
    result = subprocess.run(
        [str(tools / "bash"), str(tmp_path / ".ci" / "run")],
        env={"PATH": str(tools)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "git is not installed" in result.stderr
    assert (tmp_path / ".venv").is_dir(), "it stopped before touching anything"
