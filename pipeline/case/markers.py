"""Pseudonym markers in a review's sources: ``[[Anna]]`` and ``[[Anna|Mrs Whitfield]]``.

Takes nothing; gives the one pattern that both the pseudonymiser (which resolves markers
into the pseudonym) and the report's Markdown rule (which renders them) read.
"""

from __future__ import annotations

import re

MARKER = re.compile(r"\[\[([^\[\]|\n]+)(?:\|([^\[\]\n]*))?\]\]")
