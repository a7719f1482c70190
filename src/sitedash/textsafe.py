"""User text is data: strip terminal control sequences, escape it for Markdown.

Rich/Textual and Markdown both give meaning to characters a customer may type
(`[bold]`, `|`, `<script>`), and terminals act on escape sequences (`ESC]52` writes
the clipboard). Every screen, report and CLI message routes user text through here.
This module must not import textual, so that reports and the CLI stay light.
"""

from __future__ import annotations

import re

# Whole escape sequences first (CSI, OSC, DCS/SOS/PM/APC, two-byte ESC x), so that a
# stripped sequence does not leave its parameters behind as visible garbage.
_ESCAPE_SEQUENCE = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]            # CSI ... final byte
    | \x9b[0-?]*[ -/]*[@-~]            # 8-bit CSI
    | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])  # OSC, DCS, SOS, PM, APC (7- or 8-bit)
      .*? (?:\x07|\x1b\\|\x9c|$)      # ... up to BEL or ST (or the end of the text)
    | \x1b[ -/]*[0-~]                  # other ESC sequences (ESC c, ESC ( B, ...)
    """,
    re.VERBOSE | re.DOTALL,
)
# C0 controls except tab and newline, DEL, C1 controls; and the bidirectional
# embeddings, overrides and isolates, which can make text read as something else
# ("Trojan Source"). Right-to-left text itself needs none of them. Lone surrogates
# (undecodable bytes in a command-line argument, a `\ud800` escape in a data file) are no
# text at all: no UTF-8 file or terminal can carry them.
_BIDI = "\u202a-\u202e\u2066-\u2069"
_SURROGATES = "\ud800-\udfff"
_CONTROL = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{_BIDI}{_SURROGATES}]")
_CONTROL_SINGLE_LINE = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{_BIDI}{_SURROGATES}]")


def clean(text: str, *, multiline: bool = True) -> str:
    """Remove terminal escape sequences and control characters from user text.

    Newlines become `\\n` (a lone CR or CRLF too); tabs are kept. With `multiline=False`
    line breaks and tabs become single spaces, for titles and table cells.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ESCAPE_SEQUENCE.sub("", text)
    if multiline:
        return _CONTROL.sub("", text)
    text = text.replace("\n", " ").replace("\t", " ")
    return _CONTROL_SINGLE_LINE.sub("", text)


def clean_line(text: str) -> str:
    """One-line user text (titles, names): cleaned and trimmed."""
    return clean(text, multiline=False).strip()


# Markdown: characters that start emphasis, code, links, images, HTML, strikethrough or
# table cells anywhere in a line. `&` only matters before an entity name (`&amp;`).
_MD_INLINE = re.compile(r"[\\`*_\[\]<|~]|&(?=#?\w+;)")
# ... and those that only matter at the start of a line (headings, quotes, lists, rules).
_MD_LINE_START = re.compile(r"^([#>+\-=]|\d+(?=[.)]))")


# In table cells `>` is escaped too, so that our own `<br>` line breaks are the only
# `<br>` in a cell and the text reads back exactly (`md_unescape_cell`).
_MD_CELL = re.compile(r"[\\`*_\[\]<>|~]|&(?=#?\w+;)")


# Git forges link bare URLs, www. addresses and e-mail addresses (GFM autolinks); an
# escaped `:`, `.` or `@` renders the same and is not a link.
_AUTOLINK = re.compile(
    r"(?i)(?<=https)(:)(?=//)|(?<=http)(:)(?=//)|(?<=ftp)(:)(?=//)"
    r"|(?<=\bwww)(\.)|(?<=\w)(@)(?=\w)"
)


def _escape(text: str, pattern: re.Pattern[str] = _MD_INLINE) -> str:
    escaped = pattern.sub(lambda m: "\\" + m.group(0), text)
    return _AUTOLINK.sub(lambda m: "\\" + m.group(0), escaped)


def _escape_line(line: str) -> str:
    # Leading spaces would make an indented code block; a digit cannot be escaped,
    # so for "1." it is the "." that gets the backslash.
    line = _escape(line.replace("\t", " ").lstrip(" "))
    match = _MD_LINE_START.match(line)
    if match is None:
        return line
    if match.group(1)[0].isdigit():
        end = match.end()
        return line[:end] + "\\" + line[end:]
    return "\\" + line


def md_inline(text: str) -> str:
    """Escape user text for inline Markdown (list items, headings, front-matter-free text).

    Line breaks are flattened to spaces so a list item or heading stays one line;
    no link, image, HTML, code span or fence can be injected.
    """
    return _escape_line(clean(text, multiline=False).strip())


def md_cell(text: str) -> str:
    """Escape user text for one cell of a Markdown table.

    `|` is escaped and line breaks become `<br>` (our markup, never the user's: a
    user's own `<br>` comes out as `\\<br\\>`), so a cell never breaks its row.
    """
    lines = clean(text).strip().split("\n")
    return "<br>".join(_escape(line.replace("\t", " "), _MD_CELL) for line in lines)


def md_block(text: str) -> str:
    """Escape multi-line user text as Markdown, keeping its line breaks (hard breaks)."""
    lines = clean(text).strip().split("\n")
    return "  \n".join(_escape_line(line) for line in lines)


_MD_UNESCAPE = re.compile(r"\\([\\`*_\[\]<>|~&:.@])")


def md_unescape_cell(cell: str) -> str:
    """Invert `md_cell`, for tests and for `collect` reading our own tables back."""
    return "\n".join(_MD_UNESCAPE.sub(r"\1", part) for part in cell.split("<br>"))
