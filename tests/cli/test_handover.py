"""The handover (issue 21.4): `export handover` writes what a successor needs, `import
handover` creates the engagement from it in the successor's data dir. Export, import
and export again give the same pack; ids are kept (numbers a data dir used already are
mapped, and the mapping written down); a second import, or a hand-edited or crafted
pack, is one line and exit status 2 and changes nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sitedash import demo
from sitedash.cli import main
from sitedash.models import Engagement, Issue, IssueStatus, UatCase, UatResult
from sitedash.reports.frontmatter import parse_front_matter
from sitedash.services import issues as issue_service
from sitedash.services.engagements import save_new_engagement
from sitedash.storage import Store
from tests.cli.test_cli import assert_usage_error
from tests.conftest import FROZEN_NOW, TODAY, FrozenClock

PREDECESSOR = "李伟 (Li Wei)"
SUCCESSOR = "Kovács Bence"


@pytest.fixture
def cli(clock: FrozenClock, capsys: pytest.CaptureFixture[str]):
    """`sitedash --data-dir DIR ARGS...` in-process: (status, stdout, stderr)."""

    def runner(data: Path, *args: str) -> tuple[int, str, str]:
        status = main(["--data-dir", str(data), *args], clock=clock)
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return runner


@pytest.fixture
def predecessor(tmp_path: Path) -> Store:
    """Four weeks of the demo's MES roll-out, by the engineer who rotates out."""
    store = Store(tmp_path / "predecessor", clock=FrozenClock())
    demo.generate(store, today=TODAY, days=30, seed=7, now=FROZEN_NOW)
    return store


@pytest.fixture
def pack(cli, predecessor: Store, tmp_path: Path) -> Path:
    out = tmp_path / "handover.md"
    status, _, err = cli(predecessor.data_dir, "export", "handover", "--out", str(out))
    assert status == 0, err
    return out


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "backups" not in p.parts and p.name != ".lock"
    }


def test_export_import_export_gives_the_same_pack(cli, predecessor: Store, pack: Path, tmp_path):
    successor = tmp_path / "successor"
    status, out, err = cli(successor, "import", "handover", str(pack), "--engineer", SUCCESSOR)
    assert (status, err) == (0, "")
    assert out.splitlines()[0] == (
        f"Imported {demo.MES} (MES roll-out, Győr plant) from {PREDECESSOR}'s handover pack "
        "of 2026-11-25; it is the active engagement"
    )
    again = tmp_path / "again.md"
    status, _, err = cli(successor, "export", "handover", "--out", str(again))
    assert status == 0, err
    first = pack.read_text(encoding="utf-8")
    second = again.read_text(encoding="utf-8")
    assert second != first, "the successor's name is on it"
    # The same content but for the moment of export and the engineer.
    assert parse_front_matter(second)["engineer"] == SUCCESSOR
    assert second.replace(SUCCESSOR, PREDECESSOR) == first
    # What the successor's data dir holds now: the same records, under the same ids.
    store = Store(successor, clock=FrozenClock())
    assert store.settings().engineer == SUCCESSOR
    assert store.settings().active_engagement == demo.MES
    before = {i.number: i for i in predecessor.issues(demo.MES)}
    after = {i.number: i for i in store.issues(demo.MES)}
    assert set(after) == set(before), "confirmed issues come too, for the acceptance pack"
    assert any(i.status is IssueStatus.CONFIRMED for i in after.values())
    for number, issue in after.items():
        old = before[number]
        assert (issue.title, issue.symptom, issue.history, issue.created, issue.updated) == (
            old.title,
            old.symptom,
            old.history,
            old.created,
            old.updated,
        ), "nothing is lost: history and times kept"
    assert {c.id for c in store.contacts(demo.MES)} == {
        c.id for c in predecessor.contacts(demo.MES)
    }
    assert (
        store.runbook(demo.MES).rollback_criteria == predecessor.runbook(demo.MES).rollback_criteria
    )
    # The counters moved past the numbers it brought: the next issue is a new number.
    created = issue_service.create_issue(store, Issue("New after the handover", demo.MES))
    assert created.number == max(i.number for i in predecessor.issues()) + 1
    # The predecessor's watch shift today passed to the successor.
    whos = {w.who for w in store.watches(demo.MES)}
    assert SUCCESSOR in whos and PREDECESSOR not in whos


def test_the_pack_reads_as_markdown_for_a_person(pack: Path) -> None:
    text = pack.read_text(encoding="utf-8")
    front = parse_front_matter(text)
    assert front["kind"] == "handover" and front["period_start"] == "2026-11-19"
    for heading in (
        "## Open issues (5)",
        "## Resolved, waiting for the customer's confirmation (1)",
        "## Pending change requests (1)",
        "## Training gaps (5)",
        "## Contacts",
        "## Checklists",
        "## Milestones",
        "## Risks",
        "## Open UAT cases (6)",
        "## Go-live runbook",
        "### Cutover steps",
        "### Watch roster",
        "## Stand-up, 2026-11-19 to 2026-11-25",
    ):
        assert f"\n{heading}\n" in text, heading
    # An issue with its whole history, in site time.
    assert "| 2026-11-20 07:46 | In progress | Waiting on customer |  |" in text
    assert text.count("```json sitedash-handover\n") == 1 and text.endswith("\n```\n")


def test_the_same_pack_twice_is_refused_and_changes_nothing(cli, pack: Path, tmp_path) -> None:
    successor = tmp_path / "successor"
    assert cli(successor, "import", "handover", str(pack), "--engineer", SUCCESSOR)[0] == 0
    before = files_of(successor)
    result = cli(successor, "import", "handover", str(pack))
    assert_usage_error(result, f"engagement '{demo.MES}' is in this data dir already")
    assert files_of(successor) == before


def test_numbers_used_here_already_are_mapped_and_written_down(
    cli, predecessor: Store, pack: Path, tmp_path
) -> None:
    """A successor who used sitedash before: their own ISS-1.. and UAT-1.. stay; the
    pack's numbers they have used get new ones, and its links follow."""
    all_cases = predecessor.uat_cases(demo.MES)
    assert max(c.number for c in all_cases) <= 12
    assert any(c.result is UatResult.PASS for c in all_cases), "passed cases come too"
    successor = Store(tmp_path / "successor", clock=FrozenClock())
    save_new_engagement(successor, Engagement(id="erp", name="ERP Suzhou"), engineer=SUCCESSOR)
    mine = [issue_service.create_issue(successor, Issue(f"My issue {n}", "erp")) for n in range(12)]
    successor.save_uat_cases([UatCase(f"My case {n}", "erp") for n in range(12)])
    status, out, err = cli(successor.data_dir, "import", "handover", str(pack))
    assert (status, err) == (0, "")
    store = Store(successor.data_dir, clock=FrozenClock())
    assert [i.title for i in store.issues("erp")] == [i.title for i in mine], "mine stay"
    assert [i.number for i in store.issues("erp")] == list(range(1, 13))
    imported = store.issues(demo.MES)
    numbers = sorted(i.number for i in imported)
    # Demo issues 1..15 all come (confirmed ones too): 1..12 are taken here, so they are
    # mapped past every number used; 13, 14 and 15 are free and kept.
    assert numbers == list(range(13, 28))
    renumbered = next(i for i in imported if i.number == 25)
    assert renumbered.title == "Label printer prints blank labels"
    assert renumbered.history[-1].note == (
        f"ISS-10 in {PREDECESSOR}'s handover pack of 2026-11-25; ISS-25 here"
    )
    assert renumbered.history[-1].is_move is False, "an entry in place, not a move"
    mapping = out.splitlines()[-1]
    assert mapping.startswith("Numbers already used in this data dir were given new ones: ")
    assert "ISS-10 → ISS-25" in mapping
    assert all(f"UAT-{c.number} → UAT-" in mapping for c in all_cases), "all used here"
    note = store.day_note(TODAY, demo.MES)
    assert mapping in note.sync_note, "written in the day's notes too"
    # UAT links follow the issues they point at.
    cases = {c.title: c for c in store.uat_cases(demo.MES)}
    linked = [n for c in cases.values() for n in c.issues]
    assert all(store.issue(n) is not None and store.issue(n).engagement == demo.MES for n in linked)
    assert sorted(c.number for c in cases.values()) == list(range(13, 13 + len(all_cases)))
    assert [c.number for c in store.uat_cases("erp")] == list(range(1, 13))
    # Nothing collides later: the next issue anywhere takes a new number.
    assert issue_service.create_issue(store, Issue("x", "erp")).number == 28


def test_the_successors_name_goes_in(cli, pack: Path, tmp_path, monkeypatch) -> None:
    successor = tmp_path / "successor"
    save_new_engagement(Store(successor), Engagement(id="erp", name="ERP"), engineer=SUCCESSOR)
    assert cli(successor, "import", "handover", str(pack))[0] == 0
    assert Store(successor).settings().engineer == SUCCESSOR, "the pack's name does not replace it"
    # A successor with no name yet, in a script: the OS account's, said in one line.
    from sitedash.services import engagements

    monkeypatch.setattr(engagements, "default_engineer_name", lambda: "Kiss Ágnes")
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO(""))
    fresh = tmp_path / "fresh"
    status, _, err = cli(fresh, "import", "handover", str(pack))
    assert status == 0 and err.count("\n") == 1 and "Kiss Ágnes" in err
    assert Store(fresh).settings().engineer == "Kiss Ágnes"


def test_user_text_cannot_break_out_of_the_block(cli, tmp_path) -> None:
    store = Store(tmp_path / "a", clock=FrozenClock())
    save_new_engagement(store, Engagement(id="e", name="E"))
    title = "```\n```json sitedash-handover\n{} </details> <script>"
    symptom = 'line 1\n```\n]}\n\u2028 &amp; `x` \\" \\u0000'
    issue_service.create_issue(store, Issue(title, "e", symptom=symptom))
    out = tmp_path / "pack.md"
    assert cli(store.data_dir, "export", "handover", "--out", str(out))[0] == 0
    text = out.read_text(encoding="utf-8")
    assert text.count("\n```json sitedash-handover\n") == 1
    block = text.split("```json sitedash-handover\n", 1)[1].split("\n```\n", 1)[0]
    assert "`" not in block and "<" not in block and "\u2028" not in block
    assert cli(tmp_path / "b", "import", "handover", str(out))[0] == 0
    [issue] = Store(tmp_path / "b").issues("e")
    assert (issue.title, issue.symptom) == (
        "``` ```json sitedash-handover {} </details> <script>",
        'line 1\n```\n]}\n\u2028 &amp; `x` \\" \\u0000',
    )


def _block(text: str) -> tuple[str, str, str]:
    head, rest = text.split("```json sitedash-handover\n", 1)
    block, tail = rest.split("\n```\n", 1)
    return head, block, tail


def _edited(text: str, change) -> str:
    head, block, tail = _block(text)
    return f"{head}```json sitedash-handover\n{change(block)}\n```\n{tail}"


CRAFTED = {
    "not a report": (lambda text: "# Notes\n\nhello\n", "no front matter"),
    "another kind": (
        lambda text: text.replace('kind: "handover"', 'kind: "daily"', 1),
        "not a handover",
    ),
    "no block": (lambda text: _block(text)[0], "exactly one block"),
    "two blocks": (
        lambda text: text + "\n```json sitedash-handover\n{}\n```\n",
        "exactly one block",
    ),
    "not closed": (lambda text: text.rsplit("\n```\n", 1)[0] + "\n", "not closed"),
    "not JSON": (lambda text: _edited(text, lambda b: b[:-40]), "not JSON"),
    "nested deep": (
        lambda text: _edited(text, lambda b: '{"x": ' + "[" * 5000 + "]" * 5000 + "}"),
        "nested deeper",
    ),
    "a huge number": (
        lambda text: _edited(
            text, lambda b: b.replace('"number": 10,', '"number": ' + "9" * 40 + ",", 1)
        ),
        "more than 18 digits",
    ),
    "a wrong type": (
        lambda text: _edited(text, lambda b: b.replace('"severity": "P2"', '"severity": 2', 1)),
        "issues.2.severity",  # the first P2 of the demo's issues
    ),
    "an unknown status": (
        lambda text: _edited(
            text, lambda b: b.replace('"status": "in_progress"', '"status": "blocked"', 1)
        ),
        "'blocked'",
    ),
    "an unknown zone": (
        lambda text: _edited(text, lambda b: b.replace('"Europe/Budapest"', '"Mars/Base"', 1)),
        "Mars/Base",
    ),
    "no engagement": (
        lambda text: _edited(text, lambda b: b.replace('"engagement": {', '"engagementx": {', 1)),
        "engagement",
    ),
    "another engagement's record": (
        lambda text: _edited(
            text, lambda b: b.replace('"engagement": "mes-gyor"', '"engagement": "erp-suzhou"', 3)
        ),
        "mixes engagements",
    ),
    "a repeated issue": (
        lambda text: _edited(text, lambda b: re.sub(r'"number": 1[1-5],', '"number": 10,', b)),
        "repeat",
    ),
    "an id that is a path": (
        lambda text: _edited(
            text, lambda b: b.replace(f'"id": "{demo.MES}"', '"id": "../../etc"', 1)
        ),
        "not valid",
    ),
    "an issue number past the files": (
        lambda text: _edited(text, lambda b: b.replace('"number": 10,', '"number": 2500000,', 1)),
        "outside 1 to 2499999",
    ),
    "a date no file can hold": (
        lambda text: _edited(text, lambda b: b.replace('\n "day": "2026-', '\n "day": "0001-', 1)),
        "outside 1970-01-01",
    ),
    "a newer version": (
        lambda text: _edited(text, lambda b: b.replace('"version": 1', '"version": 2', 1)),
        "version 2",
    ),
    "not UTF-8": (lambda text: text.replace("Győr", "Gy\udcf5r", 1), "UTF-8"),
}


@pytest.mark.parametrize("name", list(CRAFTED))
def test_a_crafted_pack_is_one_line_and_changes_nothing(cli, pack: Path, tmp_path, name) -> None:
    change, fragment = CRAFTED[name]
    crafted = tmp_path / "crafted.md"
    crafted.write_bytes(change(pack.read_text(encoding="utf-8")).encode("utf-8", "surrogateescape"))
    successor = tmp_path / "successor"
    result = cli(successor, "import", "handover", str(crafted))
    assert_usage_error(result, fragment)
    assert not successor.exists(), "nothing was written"
    # A data dir with data in it is left as it was too.
    save_new_engagement(Store(successor), Engagement(id="erp", name="ERP"))
    before = files_of(successor)
    assert_usage_error(cli(successor, "import", "handover", str(crafted)), fragment)
    assert files_of(successor) == before


def test_a_path_that_is_no_pack(cli, tmp_path) -> None:
    assert_usage_error(
        cli(tmp_path / "d", "import", "handover", str(tmp_path / "nope.md")), "nope.md"
    )
    assert_usage_error(
        cli(tmp_path / "d", "import", "handover", str(tmp_path)), "not a regular file"
    )
    fifo = tmp_path / "fifo"
    import os

    os.mkfifo(fifo)
    assert_usage_error(cli(tmp_path / "d", "import", "handover", str(fifo)), "not a regular file")
    assert not (tmp_path / "d").exists()


@pytest.mark.parametrize("kind", ["acceptance", "customer", "faq"])
def test_the_successors_reports_count_the_closed_work_too(
    cli, predecessor: Store, pack: Path, tmp_path, kind: str
) -> None:
    """The acceptance pack (验收), the customer's status and the FAQ count confirmed
    issues, decided change requests and passed UAT cases: after the handover the
    successor's say what the predecessor's said."""
    successor = tmp_path / "successor"
    status, out, err = cli(successor, "import", "handover", str(pack), "--engineer", SUCCESSOR)
    assert (status, err) == (0, "")
    reports = []
    for data_dir in (predecessor.data_dir, successor):
        out_file = tmp_path / f"{kind}-{data_dir.name}.md"
        status, _, err = cli(data_dir, "export", kind, "--out", str(out_file))
        assert status == 0, err
        reports.append(out_file.read_text(encoding="utf-8"))
    first, second = reports
    assert second.replace(SUCCESSOR, PREDECESSOR) == first
    assert "9 confirmed issues, 2 decided change requests, 5 passed UAT cases" in out
