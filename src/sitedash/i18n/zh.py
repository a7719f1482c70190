"""Simplified Chinese catalogue: English message -> 中文."""

CATALOGUE: dict[str, str] = {}
