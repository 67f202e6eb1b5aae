"""The one exception Markdown rules raise: a message and the 1-based source line."""

from __future__ import annotations


class MarkdownError(Exception):
    def __init__(self, line: int | None, message: str):
        self.line = line
        self.message = message
        super().__init__(f"{line}: {message}")


def line_of(token) -> int | None:
    return token.map[0] + 1 if token.map else None
