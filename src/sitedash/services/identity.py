"""Stable, readable ids made from people's and places' names (folder names in the team
repository, ids in files): ASCII, lower case, the same name always giving the same id.

Accented letters keep their ASCII base (Győr -> gyor, Łódź -> lodz); letters with no
ASCII base (CJK, Cyrillic, ...) cannot be spelt without a dictionary, so the id gets a
short hash of the name instead: "李伟" -> "u" + 8 hex digits, "李伟 (Li Wei)" ->
"li-wei-" + 6 hex digits, so two names that differ only there stay apart.
"""

from __future__ import annotations

import re
import unicodedata

from sitedash.textsafe import clean_line

MAX_SLUG = 32
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
# Latin letters that Unicode does not decompose into an ASCII letter and a mark.
_LATIN = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "ł": "l",
        "ı": "i",
        "þ": "th",
        "ŋ": "n",
        "ħ": "h",
    }
)


def ascii_base(text: str) -> tuple[str, bool]:
    """`text` lower-cased with accents dropped, and whether some letter or digit had no
    ASCII base at all (and was dropped)."""
    decomposed = unicodedata.normalize("NFKD", clean_line(text).lower().translate(_LATIN))
    kept: list[str] = []
    lost = False
    for char in decomposed:
        if char.isascii():
            kept.append(char)
        elif unicodedata.combining(char):
            continue  # the accent of the letter before it
        elif char.isalnum():
            lost = True
            kept.append(" ")
        else:
            kept.append(" ")
    return "".join(kept), lost


def slug(text: str, *, limit: int = MAX_SLUG) -> str:
    """ASCII words of `text` joined by `-` (may be empty): "Győr plant" -> "gyor-plant"."""
    base, _ = ascii_base(text)
    return _NOT_SLUG.sub("-", base).strip("-")[:limit].strip("-")


def short_hash(text: str, digits: int) -> str:
    normal = unicodedata.normalize("NFC", clean_line(text)).casefold()
    import hashlib  # rarely needed: not loaded by every command (issue 23)

    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:digits]


def person_id(name: str) -> str:
    """A stable id for a person's name, safe as a folder name: "Győri Anna" ->
    "gyori-anna", "李伟" -> "u" + 8 hex digits, "李伟 (Li Wei)" -> "li-wei-" + 6."""
    base, lost = ascii_base(name)
    words = _NOT_SLUG.sub("-", base).strip("-")
    if not words:
        return "u" + short_hash(name, 8)
    words = words[: MAX_SLUG - 7].strip("-") if lost else words[:MAX_SLUG].strip("-")
    return f"{words}-{short_hash(name, 6)}" if lost else words
