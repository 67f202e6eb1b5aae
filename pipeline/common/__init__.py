"""Shared by every stage.

Takes nothing of its own; gives the library's exceptions (``errors``), file helpers for
strict reading, atomic writes and digests (``fsutil``), and where templates, rules and fonts
live, with the one Jinja2 set-up (``templates``).
"""
