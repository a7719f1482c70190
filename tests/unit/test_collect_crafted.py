"""`collect` survives any file: crafted reports go under "Skipped files" with the reason,
the good ones beside them are still rolled up, and the roll-up is always written."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from sitedash.cli import main
from sitedash.reports.collect import rollup
from sitedash.reports.frontmatter import (
    MAX_FRONT_MATTER_BYTES,
    NotAReport,
    parse_front_matter,
    read_front_matter,
)
from sitedash.reports.markdown import front_matter
from tests.conftest import FROZEN_NOW, FrozenClock
from tests.unit.test_daily_report import section

GOOD = {
    "sitedash_report": 1,
    "kind": "daily",
    "engineer": "Anna",
    "engagement": "mes",
    "engagement_name": "MES",
    "period_start": "2026-11-24",
    "period_end": "2026-11-24",
    "generated_at": "2026-11-24T18:00:00+00:00",
    "counts": {"worked_min": 480, "trainings": 1},
    "worked_by_day": {"2026-11-24": 480},
}
HEAD = (
    '---\nsitedash_report: 1\nkind: "daily"\nengineer: "x"\nengagement: "y"\n'
    'period_start: "2026-11-01"\nperiod_end: "2026-11-01"\n'
)
DEPTH = 100_000
CRAFTED = {
    # deep
    "deep-list.md": HEAD + "counts: {}\nblockers: " + "[" * DEPTH + "]" * DEPTH + "\n---\n",
    "deep-map.md": HEAD
    + "counts: {}\n"
    + "".join(f"{' ' * n}k{n}:\n" for n in range(500))
    + "---\n",
    "deep-flow-map.md": HEAD + "counts: " + "{a: " * 10_000 + "}" * 10_000 + "\n---\n",
    # huge
    "huge-int.md": HEAD + "counts:\n  done: " + "9" * 50_000 + "\n---\n",
    "huge-negative.md": HEAD + "counts:\n  done: -" + "9" * 30 + "\n---\n",
    "huge-front.md": HEAD + 'customer: "' + "x" * (MAX_FRONT_MATTER_BYTES + 10) + '"\n---\n',
    "huge-line.md": "-" * 2_000_000,
    "many-lines.md": HEAD + "counts: {}\n" + "# comment\n" * 100_000 + "---\n",
    # wrongly typed
    "kind-list.md": HEAD.replace('kind: "daily"', 'kind: ["daily"]') + "counts: {}\n---\n",
    "engineer-map.md": HEAD.replace('engineer: "x"', "engineer:\n  name: 1") + "counts: {}\n---\n",
    "counts-negative.md": HEAD + "counts:\n  done: -1\n---\n",
    "counts-bool.md": HEAD + "counts:\n  done: true\n---\n",
    "period-number.md": HEAD.replace('period_start: "2026-11-01"', "period_start: 20261101")
    + "counts: {}\n---\n",
    "period-backwards.md": HEAD.replace('period_end: "2026-11-01"', 'period_end: "2026-10-01"')
    + "counts: {}\n---\n",
    "p1-text.md": HEAD + 'counts: {}\nopen_p1_opened: "ISS-1"\n---\n',
    "p1-notdate.md": HEAD + 'counts: {}\nopen_p1_opened:\n  ISS-1: "soon"\n---\n',
    "changes-map.md": HEAD + "counts: {}\npending_changes_since: {}\n---\n",
    "rotation-bad.md": HEAD + 'counts: {}\nrotation_due: "2026-13-45"\n---\n',
    "risks-map.md": HEAD + "counts: {}\nopen_risks:\n  a: 1\n---\n",
    "schema-text.md": '---\nsitedash_report: "1"\nkind: "daily"\n---\n',
    "schema-float.md": '---\nsitedash_report: 1.0\nkind: "daily"\n---\n',
    "schema-2.md": '---\nsitedash_report: 2\nkind: "daily"\n---\n',
    "kind-unknown.md": HEAD.replace('"daily"', '"monthly"') + "counts: {}\n---\n",
    "empty-engineer.md": HEAD.replace('engineer: "x"', 'engineer: "  "') + "counts: {}\n---\n",
    # YAML that sitedash never writes, with meanings a reader could act on
    "anchor.md": HEAD + "counts: &a {}\n---\n",
    "tag.md": HEAD + "counts: {}\ncustomer: !!python/object:os.system [echo]\n---\n",
    "twice.md": HEAD + "counts: {}\ncounts: {}\n---\n",
    "tabs.md": HEAD + "counts:\n\tdone: 1\n---\n",
    "block-list.md": HEAD + "counts: {}\nblockers:\n  - a\n---\n",
    "unclosed-quote.md": HEAD + 'counts: {}\ncustomer: "abc\n---\n',
    "bad-escape.md": HEAD + 'counts: {}\ncustomer: "\\x"\n---\n',
    "nan.md": HEAD + "counts:\n  done: NaN\n---\n",
    # long lines made to make a careless pattern backtrack (quadratic time)
    "long-spaces.md": HEAD + "a" + " " * 250_000 + "x\n---\n",
    "long-key.md": HEAD + "a" * 250_000 + "\n---\n",
    "long-backslashes.md": HEAD + 'customer: "' + "\\\\" * 120_000 + "\n---\n",
    "long-list.md": HEAD + "blockers: [" + '"a", ' * 40_000 + "\n---\n",
    "empty.md": "",
    "bom-only.md": "\ufeff",
}


def expected_reason(name: str) -> str:
    return {
        "deep-list.md": "line 9: a list nested in a list",
        "deep-map.md": "line 10: nested deeper than sitedash writes",
        "deep-flow-map.md": "line 8: a mapping on one line; sitedash writes one key per line",
        "huge-int.md": "line 9: a number with more than 18 digits",
        "huge-negative.md": "line 9: a number with more than 18 digits",
        "huge-front.md": "the front matter is larger than 256 KiB",
        "huge-line.md": "no front matter (the file does not start with ---)",
        "many-lines.md": "the front matter is larger than 256 KiB",
        "anchor.md": "line 8: YAML that sitedash does not write (&)",
        "tag.md": "line 9: YAML that sitedash does not write (!)",
        "twice.md": "line 9: 'counts' appears twice",
        "tabs.md": "line 9 of the front matter is not `key: value`",
        "block-list.md": "line 10 of the front matter is not `key: value`",
        "unclosed-quote.md": "line 9: a quoted text that is not closed",
        "bad-escape.md": "line 9: a quoted text that cannot be read",
        "empty.md": "no front matter (the file does not start with ---)",
        "long-spaces.md": "line 8 of the front matter is not `key: value`",
        "long-key.md": "line 8 of the front matter is not `key: value`",
        "long-backslashes.md": "line 8: a quoted text that is not closed",
        "long-list.md": "line 8: a list that is not closed",
        "bom-only.md": "no front matter (the file does not start with ---)",
    }.get(name, "")


def shown_reasons(text: str) -> dict[str, str]:
    rows = section(text, "Skipped files").splitlines()[2:]
    reasons = {}
    for row in rows:
        path, reason = row.strip("| ").split(" | ")[:2]
        reasons[Path(path.replace("\\_", "_")).name] = reason.replace("\\", "")
    return reasons


def test_every_crafted_file_is_skipped_with_its_reason(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, content in CRAFTED.items():
        (folder / name).write_text(content, encoding="utf-8")
    (folder / "good.md").write_text(front_matter(GOOD) + "\n# Daily\n", encoding="utf-8")
    text, read, skipped = rollup([folder], now=FROZEN_NOW)
    assert (read, skipped) == (1, len(CRAFTED))
    reasons = shown_reasons(text)
    assert set(reasons) == set(CRAFTED)
    for name in CRAFTED:
        wanted = expected_reason(name)
        if wanted:
            assert reasons[name] == f"not a sitedash report: {wanted}", name
        else:
            assert reasons[name], name
    field_of = {
        "kind-list.md": "kind",
        "engineer-map.md": "engineer",
        "counts-negative.md": "counts",
        "counts-bool.md": "counts",
        "p1-text.md": "open_p1_opened",
        "p1-notdate.md": "open_p1_opened",
        "changes-map.md": "pending_changes_since",
        "rotation-bad.md": "rotation_due",
        "risks-map.md": "open_risks",
        "empty-engineer.md": "engineer",
    }
    for name, field in field_of.items():
        assert reasons[name] == f"{field} is not what a sitedash report writes", name
    assert reasons["period-number.md"] == "bad period dates"
    assert reasons["period-backwards.md"] == "bad period dates"
    assert reasons["schema-2.md"] == "unknown report schema 2; this sitedash reads 1"
    assert reasons["schema-text.md"] == "unknown report schema '1'; this sitedash reads 1"
    assert reasons["kind-unknown.md"] == "unknown report kind 'monthly'"
    assert "## Anna · MES" in text, "the good report beside them is rolled up"
    assert "Hours: 8h on 1 day" in section(text, "Anna · MES")


def test_the_reader_never_reads_past_the_front_matter(tmp_path: Path) -> None:
    """A 2 MB body is never read: the reader stops at the closing `---`."""
    report = tmp_path / "big.md"
    body = "x" * 2_000_000
    report.write_text(front_matter(GOOD) + "\n" + body, encoding="utf-8")
    with report.open("rb") as handle:
        assert read_front_matter(handle)["engineer"] == "Anna"
        assert handle.tell() < 64 * 1024
    broken = tmp_path / "bytes.md"
    broken.write_bytes(b"---\nkind: \xff\n---\n")
    with broken.open("rb") as handle, pytest.raises(NotAReport, match="not UTF-8"):
        read_front_matter(handle)


def test_a_fifo_socket_or_device_never_blocks_the_roll_up(tmp_path: Path) -> None:
    """Named `*.md` or given by name, a FIFO is skipped without being opened for a
    blocking read (nothing ever writes to it here: a blocking open would hang)."""
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "pipe.md")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "sock.md"))
    (folder / "good.md").write_text(front_matter(GOOD), encoding="utf-8")
    result: dict[str, object] = {}
    worker = threading.Thread(
        target=lambda: result.update(
            out=rollup([folder, folder / "pipe.md", "/dev/zero"], now=FROZEN_NOW)
        ),
        daemon=True,
    )
    worker.start()
    worker.join(timeout=120)
    server.close()
    assert not worker.is_alive(), "collect blocked on a FIFO or a device"
    text, read, _skipped = result["out"]  # type: ignore[misc]
    assert read == 1
    reasons = shown_reasons(text)
    assert reasons["pipe.md"] == "not a regular file"
    assert reasons["sock.md"] == "unreadable: No such device or address"
    assert reasons["zero"] == "not a regular file"


def test_links_out_of_the_given_paths_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.md"
    secret.write_text(front_matter({**GOOD, "engineer": "Secret"}), encoding="utf-8")
    (outside / "more").mkdir()
    (outside / "more" / "other.md").write_text(
        front_matter({**GOOD, "engineer": "Other"}), encoding="utf-8"
    )
    folder = tmp_path / "in"
    (folder / "anna").mkdir(parents=True)
    own = folder / "anna" / "day.md"
    own.write_text(front_matter(GOOD), encoding="utf-8")
    (folder / "link-out.md").symlink_to(secret)
    (folder / "dir-out").symlink_to(outside / "more")
    (folder / "link-in.md").symlink_to(own)  # inside: the same report, read once
    (folder / "dir-in").symlink_to(folder / "anna")
    (folder / "dangling.md").symlink_to(tmp_path / "nowhere.md")
    text, read, _ = rollup([folder], now=FROZEN_NOW)
    assert read == 1, "the report linked from inside is read once, the outside ones never"
    assert "Secret" not in text.replace(str(tmp_path), "") and "Other" not in text
    reasons = shown_reasons(text)
    assert reasons["link-out.md"] == "a link to a file outside the given paths"
    assert reasons["dir-out"] == "a link to a folder outside the given paths"
    assert reasons["dangling.md"] == "a link to a file outside the given paths"
    assert "link-in.md" not in reasons and "dir-in" not in reasons
    # A path the lead names is theirs to name, link or not.
    text, read, _ = rollup([folder / "link-out.md"], now=FROZEN_NOW)
    assert read == 1 and "## Secret · MES" in text


def test_an_unreadable_folder_is_a_skipped_entry_not_a_crash(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    locked = folder / "locked"
    locked.mkdir(parents=True)
    (locked / "day.md").write_text(front_matter(GOOD), encoding="utf-8")
    (folder / "good.md").write_text(front_matter(GOOD), encoding="utf-8")
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):  # root reads it anyway: then it is read
            text, read, skipped = rollup([folder], now=FROZEN_NOW)
            assert (read, skipped) == (2, 0)
        else:
            text, read, skipped = rollup([folder], now=FROZEN_NOW)
            assert (read, skipped) == (1, 1)
            assert shown_reasons(text)["locked"] == "unreadable: Permission denied"
    finally:
        locked.chmod(0o700)


def test_a_path_that_does_not_exist_is_one_line_and_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.md"
    good.write_text(front_matter(GOOD), encoding="utf-8")
    out = tmp_path / "rollup.md"
    code = main(
        ["collect", str(good), str(tmp_path / "mistyped"), "--out", str(out)], clock=FrozenClock()
    )
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "mistyped does not exist" in err
    assert not out.exists(), "no roll-up from a mistyped command"


def test_an_empty_path_is_one_line_and_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`sitedash collect "$DIR"` with DIR unset: an empty path, not the working directory
    (which read every report under it and exited 0)."""
    (tmp_path / "stray.md").write_text(front_matter(GOOD), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "rollup.md"
    for empty in ("", "  "):
        code = main(["collect", empty, "--out", str(out)], clock=FrozenClock())
        err = capsys.readouterr().err
        assert code == 2
        assert err.count("\n") == 1 and "an empty path" in err
        assert not out.exists()


def test_the_command_line_writes_the_roll_up_whatever_it_finds(tmp_path: Path) -> None:
    """In a real process (no in-process state to help it): every crafted file at once."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name, content in CRAFTED.items():
        (folder / name).write_text(content, encoding="utf-8")
    out = tmp_path / "rollup.md"
    result = subprocess.run(
        [sys.executable, "-m", "sitedash", "collect", str(folder), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert f"skipped {len(CRAFTED)}" in result.stderr
    assert parse_front_matter(out.read_text(encoding="utf-8"))["counts"]["skipped"] == len(CRAFTED)
