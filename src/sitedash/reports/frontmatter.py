"""Read the front matter sitedash writes (for `collect`), without a YAML dependency.

It reads the subset `markdown.front_matter` writes, which YAML 1.1, YAML 1.2 and JSON
all read the same way: `key: value` lines, one level of indented `key: value` lines
under a `key:`, and values that are double-quoted strings, whole numbers,
true/false/null, `{}` or a one-line `[...]` list of those. Plain dates (older exports)
and other plain text are read as strings.

Anyone can put a file in a reports folder, so the reader is bounded on purpose: it
reads at most `MAX_FRONT_MATTER_BYTES` from the start of a file and never the body,
numbers have at most `MAX_DIGITS` digits, and nothing nests deeper than one level.
Whatever it cannot read raises `NotAReport` with the reason, never anything else.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import IO, Any

from sitedash.i18n import t

MAX_FRONT_MATTER_BYTES = 256 * 1024
"""A daily report's front matter is about 1.5 KB; a year of weekly blockers fits."""
MAX_DIGITS = 18
"""Larger whole numbers are no sitedash figure (they would not fit 64 bits)."""

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_SINGLE_QUOTED = re.compile(r"'(?:[^']|'')*'")
_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)")  # YAML 1.1 reads 010 as octal: not ours
# A key is quoted, or one word (a key with spaces is no sitedash key). The two parts of
# each pattern never match the same character, so a long line is read in linear time.
_KEY = re.compile(r'("(?:[^"\\]|\\.)*"|[^\s:"#\[\]{},\'][^\s:]*)\s*:(?:\s+|$)')
_LIST_SEPARATOR = re.compile(r"\s*(,|\])\s*")


class NotAReport(ValueError):
    """The text does not open with front matter sitedash can read; the message says why."""


_NEEDS_DECODING = re.compile(r"[\\\x00-\x1f]")


def _string(token: str) -> str:
    if not _NEEDS_DECODING.search(token):  # most strings: no escape, nothing to check
        return token[1:-1]
    try:
        value = json.loads(token)
    except (ValueError, RecursionError):
        raise ValueError(t("a quoted text that cannot be read")) from None
    if not isinstance(value, str):
        raise ValueError(t("a quoted text that cannot be read"))
    return value


def _word(raw: str) -> Any:
    """A scalar that is not quoted: null, true, false, a whole number or plain text."""
    if raw in ("null", "~"):
        return None
    if raw in ("true", "false"):
        return raw == "true"
    if _INTEGER.fullmatch(raw):
        if len(raw.lstrip("-")) > MAX_DIGITS:
            raise ValueError(t("a number with more than {n} digits", n=MAX_DIGITS))
        return int(raw)
    if _SINGLE_QUOTED.fullmatch(raw):
        return raw[1:-1].replace("''", "'")
    if raw[0] in "[{&*!|>%@`'\"":
        raise ValueError(t("YAML that sitedash does not write ({start})", start=raw[0]))
    # Plain text, e.g. a date from an older export (2026-11-25); a comment ends it.
    return raw.split(" #", 1)[0].rstrip()


def _scalar_at(raw: str, position: int) -> tuple[Any, int]:
    """The scalar starting at `position` of a list, and where it ends."""
    if raw.startswith('"', position):
        match = _STRING.match(raw, position)
        if match is None:
            raise ValueError(t("a quoted text that is not closed"))
        return _string(match.group(0)), match.end()
    if raw[position] in "[{":
        raise ValueError(t("a list nested in a list"))
    end = position
    if raw.startswith("'", position):
        match = _SINGLE_QUOTED.match(raw, position)
        end = match.end() if match else len(raw)
    while end < len(raw) and raw[end] not in ",]":
        end += 1
    word = raw[position:end].strip()
    if not word:
        raise ValueError(t("an empty list item"))
    return _word(word), end


def _list(raw: str) -> list[Any]:
    """A one-line flow list of scalars (no recursion: nesting is refused)."""
    items: list[Any] = []
    position = 1
    while True:
        while position < len(raw) and raw[position] == " ":
            position += 1
        if position >= len(raw):
            raise ValueError(t("a list that is not closed"))
        if raw[position] == "]" and not items:
            position += 1
            break
        value, position = _scalar_at(raw, position)
        items.append(value)
        separator = _LIST_SEPARATOR.match(raw, position)
        if separator is None:
            raise ValueError(t("a list that is not closed"))
        position = separator.end()
        if separator.group(1) == "]":
            break
    if raw[position:].strip():
        raise ValueError(t("text after the end of a list"))
    return items


def parse_value(raw: str) -> Any:
    """One value as `front_matter` writes it (raises ValueError with the reason)."""
    raw = raw.strip()
    if raw.startswith('"'):
        match = _STRING.match(raw)
        if match is None or raw[match.end() :].strip():
            raise ValueError(t("a quoted text that is not closed"))
        return _string(raw)
    if raw == "{}":
        return {}
    if raw.startswith("{"):
        raise ValueError(t("a mapping on one line; sitedash writes one key per line"))
    if raw.startswith("["):
        return _list(raw)
    return _word(raw)


def _key(line: str, number: int) -> tuple[str, str]:
    match = _KEY.match(line)
    if match is None:
        raise NotAReport(t("line {n} of the front matter is not `key: value`", n=number))
    key = match.group(1)
    if key.startswith('"'):
        try:
            key = _string(key)
        except ValueError as error:
            raise NotAReport(t("line {n}: {reason}", n=number, reason=error)) from None
    return key.strip(), line[match.end() :]


# The lines sitedash writes most: a key and a whole number or a text without escapes.
_COMMON = re.compile(
    r'(  )?([A-Za-z_][A-Za-z0-9_-]*|"[^"\\\x00-\x1f]*"): '
    r'(?:(-?(?:0|[1-9][0-9]{0,17}))|"([^"\\\x00-\x1f]*)")'
)


def _fields(lines: Iterable[tuple[int, str]]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    mapping: dict[str, Any] | None = None
    opened = ""
    for number, line in lines:
        common = _COMMON.fullmatch(line)
        if common and (common.group(1) is None or mapping is not None):
            indented = common.group(1) is not None
            key = common.group(2).strip('"')
            target = mapping if indented and mapping is not None else fields
            if key in target:
                raise NotAReport(t("line {n}: {key!r} appears twice", n=number, key=key))
            number_text = common.group(3)
            target[key] = int(number_text) if number_text is not None else common.group(4)
            if not indented:
                _close(fields, opened, mapping)
                mapping = None
            continue
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0] == "\t" or (line[0] == " " and mapping is None):
            raise NotAReport(t("line {n} of the front matter is not `key: value`", n=number))
        indented = line[0] == " "
        key, raw = _key(line.lstrip(" "), number)
        target = mapping if indented and mapping is not None else fields
        if key in target:
            raise NotAReport(t("line {n}: {key!r} appears twice", n=number, key=key))
        if not raw.strip():
            if indented:
                raise NotAReport(t("line {n}: nested deeper than sitedash writes", n=number))
            _close(fields, opened, mapping)
            mapping = target[key] = {}
            opened = key
            continue
        try:
            target[key] = parse_value(raw)
        except ValueError as error:
            raise NotAReport(t("line {n}: {reason}", n=number, reason=error)) from None
        if not indented:
            _close(fields, opened, mapping)
            mapping = None
    _close(fields, opened, mapping)
    return fields


def _close(fields: dict[str, Any], key: str, mapping: dict[str, Any] | None) -> None:
    """`key:` with nothing under it is null, as YAML reads it (sitedash writes `{}`)."""
    if mapping is not None and not mapping:
        fields[key] = None


def parse_front_matter(text: str) -> dict[str, Any]:
    """The fields of the front matter at the start of `text`."""
    return _parse(iter(text.split("\n")))


_CLOSING = re.compile(rb"\n---[ \t]*\r?(?:\n|$)")


def read_front_matter(handle: IO[bytes]) -> dict[str, Any]:
    """The fields of the front matter at the start of a binary file, reading no more
    than the front matter and the block it ends in (at most `MAX_FRONT_MATTER_BYTES`):
    a report's body is never read."""
    data = handle.read(4096)
    first, newline, _ = data.partition(b"\n")
    if not newline:  # no line of its own in the first 4 KiB: not `---`
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as error:
            if error.start < len(data) - 3:  # not a character cut off by the 4 KiB
                raise NotAReport(t("not UTF-8 text")) from None
        raise NotAReport(t("no front matter (the file does not start with ---)"))
    try:
        opening = first.decode("utf-8")
    except UnicodeDecodeError:
        raise NotAReport(t("not UTF-8 text")) from None
    if opening.lstrip("\ufeff").strip() != "---":
        return parse_front_matter(opening)  # raises: no front matter
    while True:
        closing = _CLOSING.search(data, len(first))
        if closing is not None:
            data = data[: closing.end()]
            break
        if len(data) > MAX_FRONT_MATTER_BYTES:
            raise NotAReport(
                t(
                    "the front matter is larger than {kib} KiB",
                    kib=MAX_FRONT_MATTER_BYTES // 1024,
                )
            )
        more = handle.read(64 * 1024)
        if not more:
            break  # not closed: the parser says so
        data += more
    if len(data) > MAX_FRONT_MATTER_BYTES:
        raise NotAReport(
            t("the front matter is larger than {kib} KiB", kib=MAX_FRONT_MATTER_BYTES // 1024)
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise NotAReport(t("not UTF-8 text")) from None
    return parse_front_matter(text)


def _parse(lines: Iterator[str]) -> dict[str, Any]:
    first = next(lines, "").lstrip("\ufeff").rstrip("\r")
    if first.strip() != "---":
        raise NotAReport(t("no front matter (the file does not start with ---)"))
    body: list[tuple[int, str]] = []
    for number, line in enumerate(lines, 2):
        line = line.rstrip("\r")
        if line.rstrip() == "---":
            return _fields(body)
        body.append((number, line))
    raise NotAReport(t("the front matter is not closed with ---"))
