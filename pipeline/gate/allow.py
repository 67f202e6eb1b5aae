"""What may be published, as phrases found in text.

Takes ``redaction_rules/allow.yaml`` (agencies, national bodies, county-level places,
helplines, legislation, researchers) and a review's own names; produces ``Allow``: the
spans of allowed phrases in a text (case and accents ignored), the single words a
detected name may be made of, and the digits of allowed numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import yaml

from pipeline.common.templates import rules_dir
from pipeline.gate.names import fold, normalise


@cache
def shared_allow(path: Path | None = None) -> tuple[str, ...]:
    data = yaml.safe_load((path or rules_dir() / "allow.yaml").read_text("utf-8"))
    return tuple(str(item) for group in data.values() for item in group or ())


class Allow:
    """Phrases that may be published, found in text as spans (case and accents ignored),
    and single words a detected name may be made of (pseudonyms, allowed names)."""

    def __init__(self, phrases: Iterable[str]):
        phrases = sorted({p.strip() for p in phrases if p and p.strip()}, key=len,
                         reverse=True)
        self.phrases = phrases
        self.key = frozenset(phrases)  # two allow lists of the same phrases judge alike
        self.words = {w for p in phrases for w in normalise(p).split()}
        alternatives = [r"[\s,]+".join(re.escape(w) for w in normalise(p).split())
                        for p in phrases]
        self.regex = re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?:'s)?(?!\w)",
                                re.I) if alternatives else None
        self.digits = {re.sub(r"\D", "", p) for p in phrases if re.search(r"\d{3}", p)}

    def spans(self, text: str) -> list[tuple[int, int]]:
        if self.regex is None:
            return []
        return [m.span() for m in self.regex.finditer(fold(text))]
