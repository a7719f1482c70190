"""User text is data: terminal escapes removed, Markdown specials escaped reversibly."""

from __future__ import annotations

import re

import pytest

from sitedash.textsafe import clean, clean_line, md_block, md_cell, md_inline, md_unescape_cell


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\x1b]52;c;ZXZpbA==\x07b", "ab"),  # clipboard write
        ("a\x1b]0;pwned\x1b\\b", "ab"),  # window title, ST-terminated
        ("a\x1b[2Jb\x1b[31mc", "abc"),  # clear screen, colour
        ("a\x9b31mb", "ab"),  # 8-bit CSI
        ("a\x00b\x08c\x7fd", "abcd"),
        ("line1\r\nline2\rline3", "line1\nline2\nline3"),
        ("tab\tkept", "tab\tkept"),
        ("中文 emoji 🚀 עברית", "中文 emoji 🚀 עברית"),
    ],
)
def test_clean(raw: str, expected: str) -> None:
    assert clean(raw) == expected


def test_clean_line_flattens() -> None:
    assert clean_line(" a\nb\tc ") == "a b c"


def test_inline_markdown_cannot_inject() -> None:
    hostile = "[click](http://evil) ![img](x.png) <script>x</script> `code` **b** &amp;"
    escaped = md_inline(hostile)
    # Every character that could open a link, image, tag, code span, emphasis or entity
    # is preceded by a backslash.
    assert not re.search(r"(?<!\\)[\[\]<`*&]", escaped), escaped
    assert md_inline("# not a heading") == "\\# not a heading"
    assert md_inline("1. not a list") == "1\\. not a list"


@pytest.mark.parametrize(
    "text",
    [
        "a | b",
        "two\nlines",
        "[bold]x[/]",
        "C:\\path\\file",
        "<br>",
        "```fence",
        "中文|表格",
        "~~s~~",
    ],
)
def test_table_cells_never_break_and_round_trip(text: str) -> None:
    escaped = md_cell(text)
    assert "\n" not in escaped
    assert "|" not in escaped.replace("\\|", "")
    assert md_unescape_cell(escaped) == text


def test_blocks_keep_line_breaks_but_not_structure() -> None:
    assert md_block("first\n# second\n> quote") == "first  \n\\# second  \n\\> quote"


def test_no_autolink_and_no_bidi_override_reaches_a_report() -> None:
    text = "see https://evil.example/pay, www.evil.com or boss@evil.com"
    for escaped in (md_cell(text), md_inline(text)):
        assert "https://" not in escaped and "www." not in escaped and "s@e" not in escaped
    assert md_unescape_cell(md_cell(text)) == text, "the text reads back as typed"
    assert clean("invoice\u202egnp.exe") == "invoicegnp.exe", "no right-to-left override"
    assert clean("שלום مرحبا") == "שלום مرحبا", "right-to-left text itself is kept"
