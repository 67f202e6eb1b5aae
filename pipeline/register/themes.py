"""Themes across reviews: the briefing's themes library matched against the register.

Takes a ``Record``'s recommendations and lessons text; produces theme matches, each with
the words that matched kept as its reason (``"MARAC; DASH"``), so the Steering Group can
see why a review counts under a theme. The library is ``templates/briefing/themes.yaml``,
the one the 7-minute briefing uses: a theme added there is counted here too.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache

from pipeline.register.reviews import Record


@dataclass(frozen=True)
class Match:
    theme: str
    source: str  # "recommendation" or "lessons"
    number: int  # the recommendation's number; 0 for the lessons
    words: str  # the distinct words that matched, in the order they first occur


def library():
    from pipeline.briefing.briefing import library as briefing_library

    return briefing_library()


def library_digest() -> str:
    """Changes when the themes library does: every review's matches are then redone."""
    from pipeline.briefing.briefing import templates_dir

    return hashlib.sha256((templates_dir() / "themes.yaml").read_bytes()).hexdigest()


@cache
def _patterns() -> tuple:
    # Theme.pattern builds its expression on every use; built once here.
    return tuple((t.key, t.pattern) for t in library().themes)


def match_record(record: Record) -> list[Match]:
    texts = [("recommendation", r["number"], r["text"]) for r in record.recommendations]
    if record.lessons:
        texts.append(("lessons", 0, record.lessons))
    found = []
    for source, number, text in texts:
        for key, pattern in _patterns():
            words: list[str] = []
            for hit in pattern.finditer(text):
                word = " ".join(hit.group(0).split())
                if word.casefold() not in (w.casefold() for w in words):
                    words.append(word)
            if words:
                found.append(Match(key, source, number, "; ".join(words)))
    return found
