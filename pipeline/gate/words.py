"""Tests on words and spans that the gate's layers share.

Takes a word, a text and offsets; gives whether a word is ordinary English, whether a
name is cited as an author, whether a span lies inside others, and whether a "place" the
model found is a publishable area run into the allowed words after it.
"""

from __future__ import annotations

import re

from pipeline.gate.names import common_words


def base(word: str) -> str:
    word = word.casefold().replace("’", "'")
    return word[:-2] if word.endswith("'s") else word


# What follows an author's name in a reference: initials, co-authors, "et al.", the year.
CITATION = re.compile(
    r"(?:['’]s)?(?:,?\s*(?:[A-Z]\.\s*)+)?"
    r"(?:(?:,|\s+and|\s*&)\s+[A-Z][\w'’-]+(?:,?\s*(?:[A-Z]\.\s*)+)?)*"
    r"(?:,?\s+et\s+al\.?)?,?\s*\(?(?:19|20)\d{2}[a-z]?\b"
)


def cited(text: str, end: int) -> bool:
    """An author cited as "Kingston, P. (2019)" or "... and Kingston[^9]": published work."""
    return bool(CITATION.match(text, end)) or text.startswith("[^", end)


PREFIXES = {"multi", "non", "co", "inter", "pre", "post", "anti", "sub", "ex", "self", "re"}


def common(word: str) -> bool:
    """An ordinary English word (hyphenated: every part ordinary or a prefix)."""
    parts = [p for p in base(word).split("-") if p]
    return bool(parts) and all(p in common_words() or p in PREFIXES for p in parts)


def inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def place_then_allowed(start: int, end: int, unit: str, places: list[tuple[int, int]],
                        allowed: list[tuple[int, int]]) -> bool:
    """A "place" that is a publishable area and then only allowed words: "In Plymouth
    Yetunde worked", where the model runs the town into the pseudonym after it. Never the
    other way round: in "Sam Hastings" the pseudonym comes first and the rest may be a
    real family name that happens to be a town."""
    lead = max((e for s, e in places if s == start and e < end), default=None)
    if lead is None:
        return False
    rest = unit[lead:end]
    words = [(lead + m.start(), lead + m.end()) for m in re.finditer(r"[^\W\d_][\w'’-]*", rest)]
    return bool(words) and all(inside(a, b, allowed) for a, b in words)
