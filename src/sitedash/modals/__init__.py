"""Dialogs. They collect input and return it (`dismiss(value)`); the caller writes."""
