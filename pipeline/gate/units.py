"""The units the gate's language model reads: sentences, each without what stands
around it in one form of the report and not in another.

Takes a segment's text; gives (offset, sentence) pairs, each sentence a slice of the
text, for ``pipeline.gate.engine``'s NER pass.
"""

from __future__ import annotations

import re

# A sentence ends at . ! or ? after a word of two or more small letters or digits (not an
# initial, "Dr." or "Mrs.", nor "et al."), before a capital or a paragraph or heading
# number (a PDF page runs its paragraphs together: "... killed. 1.2 In the ..."); at a
# blank line; where a line starts a list item or a numbered paragraph; and between the
# values of a JSON file or the cells of a CSV row. An author's "Kingston, P. (2019)" stays
# in one piece, so a citation is still seen as one.
_SENTENCE_END = re.compile(
    r"(?<=[a-z0-9)\]][a-z0-9)\]][.!?])(?<!Mrs\.)(?<!Prof\.)(?<!\bal\.)(?<!\bnos\.)"
    r"[\"”’)]?\s+(?=[\"“‘(\[]?[A-Z]|\d+(?:\.\d+)*\s+[A-Z])|\n\s*\n"
    # a list item or a numbered paragraph starts on a line of its own (an <li>, a <p>)
    r"|\n[ \t]*(?=[-*+•]\s|\d+\.\s|\d+(?:\.\d+)+\s+[\"“(]?[A-Z])"
    # "text": "value", ... and 1,"cell","cell": quoted values, one unit each
    r"|\"[ \t]*[,:\]}][\s,:\[\]{}]*\"?|(?:(?<![^\n])|(?<=[,\[{]))[ \t]*\"")

# What stands around a sentence in one form of the report and not in another: a table
# cell's bars, a list's or heading's marker, a paragraph number, spaces. None of it can be
# a name, and the sentence without it is the same text in Markdown, HTML and PDF.
_CELL = re.compile(r"(?:^|\s)\|(?=\s|$)")
_LEAD = re.compile(r"\A(?:\s|[-*+>#•]+\s|:::\s*\w*\s|\d+(?:\.\d+)*\.?\s|Table:\s"
                   r"|\[\^[^\]\s]+\]:\s)+")
_TRAIL = re.compile(r"(?:\s+:::)+\s*\Z")


def sentences(text: str):
    """The units the language model reads: sentences, so the same sentence gets the
    same answer wherever it stands (the report's source, its HTML paragraph, a PDF page
    where its lines are wrapped) and the answer is cached once for all of them."""
    start = 0
    for left, right in [*_ends(text), (len(text), len(text))]:
        if left < start:
            continue
        yield from _trimmed(text, start, left)
        start = right


def _ends(text: str) -> list[tuple[int, int]]:
    """Where units end: the pattern's ends, and the end of a short line (a heading, a
    table cell) before a full one that starts with a capital or a number, as on a PDF
    page, where a heading runs into the paragraph after it."""
    ends = [(m.start(), m.end()) for m in _SENTENCE_END.finditer(text)]
    lines = [(m.start(), m.end()) for m in _LINE.finditer(text)]
    if len(lines) > 2:
        full = max(b - a for a, b in lines) * SHORT
        ends += [(b, b + 1) for (a, b), (c, d) in zip(lines, lines[1:], strict=False)
                 if b - a < full <= d - c and _STARTS.match(text, c)]
        ends.sort()
    return ends


# A line shorter than this share of the longest is a heading or a cell, not wrapped prose.
SHORT = 0.6
_LINE = re.compile(r"[^\n]+")
_STARTS = re.compile(r"[ \t]*[\"“(]?[A-Z0-9]")


def _trimmed(text: str, start: int, end: int):
    """The pieces of ``text[start:end]`` between table bars, each without what leads or
    trails it (see ``_LEAD``)."""
    piece = text[start:end]
    cells = [0, *(m.end() for m in _CELL.finditer(piece))]
    bars = [m.start() for m in _CELL.finditer(piece)] + [len(piece)]
    for left, right in zip(cells, bars, strict=True):
        cell = piece[left:right]
        lead = _LEAD.match(cell)
        skip = lead.end() if lead else 0
        cell = _TRAIL.sub("", cell[skip:]).rstrip()
        if re.search(r"[A-Z]", cell):
            yield start + left + skip, cell
