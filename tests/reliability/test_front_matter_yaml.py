"""Front matter that any YAML 1.1 or 1.2 reader accepts, for any user text: every
export kind, read by PyYAML (YAML 1.1, pure Python and libyaml), by JSON (a YAML 1.2
reader reads JSON as JSON), and by `collect`, gives the same values."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sitedash.reports import registry
from sitedash.reports.exports import render
from sitedash.reports.frontmatter import parse_front_matter, read_front_matter
from sitedash.reports.inbox import Report, load
from sitedash.reports.markdown import front_matter, yaml_string
from sitedash.storage import Store
from sitedash.textsafe import clean_line
from tests.conftest import FROZEN_NOW, TODAY, FrozenClock
from tests.reliability.test_properties import FIELDS, fill_engagement

NONCHARACTERS = [chr(c) for c in range(0xFDD0, 0xFDF0)] + [
    chr(plane * 0x10000 + low) for plane in range(17) for low in (0xFFFE, 0xFFFF)
]
TROUBLE = [
    "\u2028",
    "\u2029",
    "\x85",
    "\ufeff",
    "\u202e",
    "\u2066",
    "\u200f",
    "\x00",
    "\x1b",
    "\x7f",
    "\x9b",
    "\t",
    "\r",
    "\n",
    "\n---\n",
    "---",
    "...",
    ": ",
    ":",
    "&anchor ",
    "*alias",
    "!!python/object:os.system",
    "!tag ",
    "# comment",
    " #",
    "'",
    '"',
    "\\",
    "\\u0041",
    "{a: 1}",
    "[1, 2]",
    "- item",
    "? key",
    "| block",
    "> fold",
    "%YAML 1.1",
    "@",
    "`",
    "yes",
    "No",
    "off",
    "~",
    "null",
    "1e3",
    "0x1F",
    "0o17",
    ".inf",
    "2026-11-25",
    "12:30:00",
    "  ",
    "中文",
    "🚀",
]
surrogates = st.integers(0xD800, 0xDFFF).map(chr)
anything = st.characters(exclude_categories=())  # every code point, surrogates too
hostile = st.lists(
    st.one_of(st.sampled_from(TROUBLE + NONCHARACTERS), surrogates, anything, st.text(max_size=3)),
    max_size=12,
).map("".join)
# Printable characters YAML 1.2 allows raw in a quoted scalar (c-printable, no BOM).
YAML12_PRINTABLE = re.compile(
    "[\t\n\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*"
)


def block_of(report: str) -> str:
    """The YAML between the opening and the closing `---` line."""
    lines = report.split("\n")
    assert lines[0] == "---"
    end = lines.index("---", 1)
    return "\n".join(lines[1:end])


def every_reader(report: str, path: Path) -> dict[str, Any]:
    """Read the front matter every way; all must agree. Returns the values."""
    block = block_of(report)
    assert YAML12_PRINTABLE.fullmatch(block), "a character YAML does not allow raw"
    assert not re.search(r"[\u2028\u2029\x85\r]", block), "a line break YAML would fold"
    pure = yaml.load(block, Loader=yaml.SafeLoader)
    assert yaml.safe_load(block) == pure
    if yaml.__with_libyaml__:
        assert yaml.load(block, Loader=yaml.CSafeLoader) == pure
    # Each key and value is JSON: what a YAML 1.2 reader (a superset of JSON) reads.
    for line in block.split("\n"):
        stripped = line.strip()
        if stripped.startswith('"'):
            _, end = json.JSONDecoder().raw_decode(stripped)
        else:
            end = stripped.index(":")
            assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", stripped[:end]), line
        rest = stripped[end:]
        assert rest == ":" or rest.startswith(": "), line
        if rest != ":":
            json.loads(rest[2:])
    path.write_text(report, encoding="utf-8")
    with path.open("rb") as handle:
        collected = read_front_matter(handle)
    assert collected == pure, "collect reads other values than PyYAML"
    assert parse_front_matter(report) == pure
    return pure


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries(FIELDS), hostile, hostile)
def test_every_export_kind_is_read_alike_by_pyyaml_json_and_collect(
    v: dict[str, str], engineer: str, blocker: str
) -> None:
    v = {**v, "blockers": v["blockers"] + "\n" + blocker, "customer": v["customer"] + engineer}
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "data", clock=FrozenClock())
        fill_engagement(store, v)
        engagement = store.engagement("e")
        assert engagement is not None
        for kind in registry.names():
            report, _ = render(kind, store, engagement, TODAY, engineer=engineer, now=FROZEN_NOW)
            report.encode("utf-8")  # the whole report is UTF-8 (no lone surrogate)
            values = every_reader(report, Path(folder) / f"{kind}.md")
            assert values["kind"] == kind
            assert values["engineer"] == clean_line(engineer)
            assert values["customer"] == clean_line(v["customer"])
            assert values["engagement_name"] == clean_line(v["name"])
            if clean_line(engineer):
                loaded = load(Path(folder) / f"{kind}.md")
                assert isinstance(loaded, Report), loaded
                assert loaded.fields == values


figures = st.integers(-(10**18) + 1, 10**18 - 1)


@given(st.dictionaries(hostile, st.one_of(hostile, figures, st.booleans()), max_size=5))
def test_any_keys_and_values_are_read_alike(fields: dict[str, Any]) -> None:
    cleaned = [clean_line(key) for key in fields]
    assume(len(set(cleaned)) == len(cleaned))  # two keys that clean alike are one key
    written = front_matter(
        {"fields": fields, **{f"k{n}": v for n, v in enumerate(fields.values())}}
    )
    with tempfile.TemporaryDirectory() as folder:
        values = every_reader(written, Path(folder) / "x.md")
    expected = {
        clean_line(k): clean_line(v) if isinstance(v, str) else v for k, v in fields.items()
    }
    assert values.get("fields") == (expected or {})


@given(hostile)
def test_one_string_reads_back_as_its_cleaned_text(text: str) -> None:
    written = yaml_string(text)
    assert "\n" not in written
    assert yaml.safe_load(written) == clean_line(text) == json.loads(written)
