"""Reusable widgets and the helpers that keep user text literal on screen."""
