"""Briefing text: plain text with '- ' list items -> paragraphs and lists; word counts.

Takes the strings of case.yaml's ``briefing:`` parts (or drafted ones); produces
``Block``s (a paragraph or a bulleted list), their text back, word counts and sentences. No I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WORD = re.compile(r"[0-9A-Za-z\u00c0-\u024f][\w'’.\u00c0-\u024f-]*")
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")


@dataclass(frozen=True)
class Block:
    """A paragraph (``items`` empty) or a bulleted list."""

    text: str = ""
    items: tuple[str, ...] = ()


def parse_text(text: str | None) -> list[Block]:
    """Paragraphs separated by blank lines; lines starting '- ' are list items. A line
    that follows a list item without a blank line continues it (wrapped YAML)."""
    blocks: list[Block] = []
    para: list[str] = []
    items: list[str] | None = None

    def flush() -> None:
        nonlocal para, items
        if para:
            blocks.append(Block(" ".join(para)))
        if items:
            blocks.append(Block(items=tuple(items)))
        para, items = [], None

    for raw in (text or "").split("\n"):
        line = " ".join(raw.split())
        if not line:
            flush()
        elif line[:2] in ("- ", "* ", "• "):
            if para:
                flush()
            items = (items or []) + [line[2:].strip()]
        elif items is not None:
            items[-1] += " " + line
        else:
            para.append(line)
    flush()
    return blocks


def blocks_text(blocks: list[Block]) -> str:
    out = []
    for block in blocks:
        out.append("\n".join(f"- {item}" for item in block.items) if block.items else block.text)
    return "\n\n".join(out)


def count_words(text: str) -> int:
    return len(WORD.findall(text))


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]
