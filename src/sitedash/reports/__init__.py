"""Markdown reports for leads. No module here imports textual."""
