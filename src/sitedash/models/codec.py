"""One codec for every record: msgspec turns stored JSON documents into typed records and
back, validating types, enums, dates, ranges and required fields on the way in.

msgspec was chosen over cattrs and hand-written pairs because it validates and decodes in
C: a data file is checked whole on every read without slowing the shell commands, and
records are compact Structs (less memory per issue than slotted dataclasses). Records
declare their constraints as types (`Minutes`, `Stamp`, ...), so the rules live in one
place, next to the fields.

Limits on nesting depth and number size are enforced before any parser recurses, on
purpose: a hand-edited or crafted file must give one clear line, never a RecursionError
or a number too large to handle.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from functools import lru_cache
from typing import Annotated, Any, TypeVar, Union
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec
from msgspec import Meta, Struct

from sitedash.i18n import t

MAX_DEPTH = 8
"""Deepest nesting of arrays and objects a data file may have (sitedash writes 5)."""
MAX_NUMBER_DIGITS = 18
"""Longest number literal a data file may hold (sitedash's numbers are far shorter)."""

Minutes = Annotated[int, Meta(ge=0, le=100_000_000)]
Count = Annotated[int, Meta(ge=0, le=1_000_000_000)]
Position = Annotated[int, Meta(ge=-1_000_000_000, le=1_000_000_000)]
Revision = Annotated[int, Meta(ge=0, le=1_000_000_000_000)]
Stamp = Annotated[datetime, Meta(tz=True)]
"""A moment in time: always with its time zone (stored in UTC)."""

RecordType = TypeVar("RecordType", bound="Record")


@lru_cache(maxsize=64)
def is_time_zone(name: str) -> bool:
    """An IANA zone name this machine knows ("" means the machine's own zone)."""
    if not name:
        return True
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


_HHMM = re.compile(r"^([01]?\d|2[0-3]):[0-5]\d$")


def is_hhmm(text: str) -> bool:
    return bool(_HHMM.match(text))


def new_id() -> str:
    """A short random id for records that need one across partition files."""
    return uuid.uuid4().hex[:12]


class Record(Struct, dict=True):
    """Base of every stored record.

    `dict=True` lets the store attach the document a record was read from (its base) as
    a private attribute that is never encoded: a later save compares against it to merge
    what another terminal changed meanwhile (see storage.records).
    """


def encode(record: Struct) -> dict[str, Any]:
    """The JSON document of a record (dates as ISO strings, enums as their values)."""
    doc: dict[str, Any] = msgspec.to_builtins(record)
    return doc


def decode(cls: type[RecordType], doc: Any) -> RecordType:
    """A record from its document; raises `msgspec.ValidationError` when it is not one."""
    return msgspec.convert(doc, cls)


def from_stored(cls: type[RecordType], doc: Any, origin: object = None) -> RecordType:
    """A record from a document the store read (already validated), remembering the
    document as its base: a later save merges against it (storage.records)."""
    record = msgspec.convert(doc, cls)
    remember_base(record, doc, origin)
    return record


def remember_base(record: Record, doc: Any, origin: object = None) -> None:
    """Keep the stored document a record matches, for the next save's merge, and the
    data it was read from or saved to (`origin`, when the store says)."""
    record.__dict__["_base"] = dict(doc)  # `dict=True`: an attribute, not a field
    if origin is not None:
        record.__dict__["_origin"] = origin


def origin_of(record: Record) -> object:
    """Where the record's base was read or saved (None: not said)."""
    return record.__dict__.get("_origin")


def base_of(record: Record) -> dict[str, Any] | None:
    """The stored document the record was read as (None for a record built anew)."""
    base: dict[str, Any] | None = record.__dict__.get("_base")
    return base


def replace(record: RecordType, /, **changes: Any) -> RecordType:
    """A copy of `record` with some fields changed, keeping the base it was read from."""
    copy = msgspec.structs.replace(record, **changes)
    base = base_of(record)
    if base is not None:
        remember_base(copy, base, origin_of(record))
    return copy


class JSONLimitError(ValueError):
    """The JSON is nested too deeply or holds a number too large to be sitedash data."""


@lru_cache(maxsize=1)
def _bounded_decoder() -> msgspec.json.Decoder[Any]:
    """A decoder of plain JSON that refuses, in C and before building anything deeper,
    nesting beyond MAX_DEPTH and whole numbers beyond MAX_NUMBER_DIGITS digits.

    Built once per process (its type is a union nested MAX_DEPTH times: ~4 ms at 8).
    """
    whole = Annotated[int, Meta(ge=-(10**MAX_NUMBER_DIGITS), le=10**MAX_NUMBER_DIGITS)]
    leaf: Any = Union[str, bool, None, float, whole]  # noqa: UP007 (built at run time)
    level: Any = leaf
    for _ in range(MAX_DEPTH):
        inner = level
        level = Union[leaf, list[inner], dict[str, inner]]  # type: ignore[valid-type]  # noqa: UP007
    return msgspec.json.Decoder(level)


@lru_cache(maxsize=32)
def _schema_decoder(schema: type) -> msgspec.json.Decoder[Any]:
    return msgspec.json.Decoder(schema)


def load_json(raw: bytes, schema: type | None = None) -> Any:
    """Parse JSON within the limits; with `schema`, also validate it against that type.

    Raises JSONLimitError (too deep, a number too large), msgspec.DecodeError (not JSON)
    or msgspec.ValidationError (a record does not match `schema`).
    """
    try:
        data = _bounded_decoder().decode(raw)
    except msgspec.ValidationError as error:
        raise JSONLimitError(_limit_reason(error)) from None
    if schema is not None:
        _schema_decoder(schema).decode(raw)
    return data


def _limit_reason(error: msgspec.ValidationError) -> str:
    message = str(error)
    if "got `array`" in message or "got `object`" in message:
        return t("nested deeper than {limit} levels", limit=MAX_DEPTH)
    return t("a number has more than {limit} digits", limit=MAX_NUMBER_DIGITS)


def dump_json(data: Any) -> bytes:
    """Compact UTF-8 JSON (Chinese stays readable in the file)."""
    return msgspec.json.encode(data)


_PATH_TAIL = re.compile(r"^(?P<message>.*?)(?: - at `(?P<path>[^`]*)`)?$", re.DOTALL)
_PATH_PART = re.compile(r"\.(?P<name>\w+)|\[(?:(?P<index>\d+)|\.\.\.)\]")
_MISSING = re.compile(r"Object missing required field `(?P<field>[^`]+)`")
_EXPECTED = re.compile(r"Expected `(?P<want>[^`]+)`, got `(?P<got>[^`]+)`")
_ENUM = re.compile(r"Invalid enum value (?P<value>.+)")
_BOUND = re.compile(r"Expected `(?P<want>[^`]+)` (?P<op>>=|<=|>|<) (?P<bound>\S+)$")
_LENGTH = re.compile(r"Expected `(?P<want>[^`]+)` of length (?P<op>>=|<=) (?P<bound>\d+)$")
_FORMAT = re.compile(r"Invalid RFC3339 encoded (?P<kind>datetime|date|time)$")
_ZONE = re.compile(r"Expected `(?P<want>[^`]+)` (?P<has>with|without) a timezone component$")
_PATTERN = re.compile(r"Expected `(?P<want>[^`]+)` matching regex ")


def error_path(error: msgspec.ValidationError) -> tuple[list[str], str]:
    """The path of a validation error as parts (`['plan', '17', 'status']`) and its
    message without the path."""
    match = _PATH_TAIL.match(str(error))
    assert match is not None
    message, path = match.group("message"), match.group("path") or "$"
    parts = [m.group("name") or m.group("index") or "…" for m in _PATH_PART.finditer(path[1:])]
    missing = _MISSING.match(message)
    if missing:
        parts.append(missing.group("field"))
        message = t("is missing")
    return parts, message


def describe_problem(message: str, allowed: list[str] | None = None) -> str:
    """msgspec's message in plain words ("'blocked' is not one of todo, doing, ...")."""
    enum = _ENUM.match(message)
    if enum:
        value = enum.group("value")
        if allowed:
            return t("{value} is not one of {allowed}", value=value, allowed=", ".join(allowed))
        return t("{value} is unknown", value=value)
    expected = _EXPECTED.match(message)
    if expected:
        return t(
            "expected {wanted}, got {found}",
            wanted=_word(expected["want"]),
            found=_word(expected["got"]),
        )
    # A range, a length, a date format or a time zone a record type requires: said in
    # words of the current language, not msgspec's (`int` >= 0, RFC3339).
    bound = _BOUND.match(message)
    if bound:
        limit = bound["bound"].removesuffix(".0")
        wanted = _word(bound["want"])
        return {
            ">=": t("expected {wanted} of at least {limit}", wanted=wanted, limit=limit),
            "<=": t("expected {wanted} of at most {limit}", wanted=wanted, limit=limit),
            ">": t("expected {wanted} above {limit}", wanted=wanted, limit=limit),
            "<": t("expected {wanted} below {limit}", wanted=wanted, limit=limit),
        }[bound["op"]]
    length = _LENGTH.match(message)
    if length:
        n, shortest = length["bound"], length["op"] == ">="
        if length["want"] == "str":
            if shortest:
                return t("expected text of at least {n} characters", n=n)
            return t("expected text of at most {n} characters", n=n)
        if shortest:
            return t("expected at least {n} entries", n=n)
        return t("expected at most {n} entries", n=n)
    written = _FORMAT.match(message)
    if written:
        return {
            "datetime": t("not a date and time (e.g. 2026-11-25T08:30:00Z)"),
            "date": t("not a date (YYYY-MM-DD, e.g. 2026-11-25)"),
            "time": t("not a time (HH:MM, e.g. 08:30)"),
        }[written["kind"]]
    zone = _ZONE.match(message)
    if zone:
        if zone["has"] == "with":
            return t("expected a date and time with its UTC offset (e.g. 2026-11-25T08:30:00Z)")
        return t("expected a date and time without a UTC offset (e.g. 2026-11-25T08:30:00)")
    pattern = _PATTERN.match(message)
    if pattern:
        return t("{wanted} that is not in the form sitedash writes", wanted=_word(pattern["want"]))
    return message[:1].lower() + message[1:]


def _word(type_name: str) -> str:
    words = {
        "datetime": t("a date and time"),
        "date": t("a date"),
        "time": t("a time"),
        "str": t("text"),
        "int": t("a whole number"),
        "float": t("a number"),
        "bool": t("true or false"),
        "array": t("a list"),
        "object": t("an object"),
        "null": t("nothing (null)"),
    }
    return " | ".join(words.get(part, part) for part in type_name.split(" | "))
