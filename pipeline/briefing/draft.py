"""Drafting from the report: parsed report tokens -> plain text by section, and a first
draft of any briefing part case.yaml leaves empty (``DRAFT_SOURCES`` says where from).

Takes the report's markdown-it tokens and the review's themes; produces strings in the
briefing's plain-text form, within a word limit, whole sentences or list items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it.token import Token

from pipeline.briefing.text import count_words, sentences
from pipeline.briefing.themes import Theme

# Where an empty part is drafted from: a report section (catalogue key), a subheading, or
# the review's themes. Shown in the draft so the officer knows what to check.
DRAFT_SOURCES = {
    "background": "the report's Introduction",
    "why_it_matters": "the review's themes (templates/briefing/themes.yaml)",
    "what_happened": "the report's Conclusions",
    "what_we_found": "the report's Lessons to be Learned",
    "good_practice": "the report's 'Good practice' heading",
    "what_you_should_do": "the report's Recommendations",
}
MIN_ITEM_WORDS = 16  # a drafted list item shorter than this says nothing



@dataclass
class ReportText:
    """Plain text of the report by section: paragraphs, list items and subheadings."""

    blocks: dict[str, list[tuple[str, str, str | None]]] = field(default_factory=dict)
    # section key -> [(kind: 'p' | 'li' | 'h', text, current subheading)]

    def all_text(self) -> str:
        return "\n".join(text for key, rows in self.blocks.items() if key != "appendix"
                         for _, text, _ in rows)


def plain(inline: Token) -> str:
    out = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline", "dhr_pseudonym"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
    return " ".join("".join(out).split())


def report_text(tokens: list[Token]) -> ReportText:
    result = ReportText()
    section: str | None = None
    sub: str | None = None
    lists = 0
    for i, token in enumerate(tokens):
        if token.type == "footnote_block_open":
            break
        if token.type == "heading_open":
            title = plain(tokens[i + 1])
            if token.tag == "h1":
                section, sub = token.meta.get("section"), None
                result.blocks.setdefault(section, [])
            elif section is not None:
                sub = title
                result.blocks[section].append(("h", title, sub))
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            lists += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists -= 1
        elif token.type == "paragraph_open" and section is not None:
            text = plain(tokens[i + 1])
            if text:
                result.blocks[section].append(("li" if lists == 1 else "p" if not lists
                                               else "li2", text, sub))
    return result


def _fit_sentences(paragraphs: list[str], limit: int) -> str:
    """Whole sentences from the start, while they fit; paragraphs kept."""
    kept: list[str] = []
    used = 0
    for para in paragraphs:
        current: list[str] = []
        for sentence in sentences(para):
            n = count_words(sentence)
            if used + n > limit:
                break
            current.append(sentence)
            used += n
        else:
            kept.append(" ".join(current))
            continue
        if current:
            kept.append(" ".join(current))
        break
    return "\n\n".join(kept)


def _shorten(item: str, n: int) -> str:
    if count_words(item) <= n:
        return item
    first = sentences(item)[0]
    if count_words(first) <= n:
        return first
    words = item.split()
    cut = words[:n]
    while count_words(" ".join(cut)) > n:
        cut.pop()
    for j in range(len(cut) - 1, int(len(cut) * 0.6), -1):
        if cut[j].endswith((",", ";", ":")):
            cut = cut[:j + 1]
            break
    return " ".join(cut).rstrip(",;:") + "…"


def _item(text: str) -> str:
    """A list item from a report list: capital first letter, no trailing ';' or 'and'."""
    text = re.sub(r"(?:[;,]|;? and| or)$", "", text.strip()).strip()
    return text[:1].upper() + text[1:]


def _fit_items(items: list[str], limit: int) -> str:
    """A bulleted list: every item if they fit, else each shortened to a fair share."""
    items = [_item(i) for i in items]
    if sum(count_words(i) for i in items) > limit:
        share = max(MIN_ITEM_WORDS, limit // max(len(items), 1))
        items = [_shorten(i, share) for i in items]
    kept: list[str] = []
    used = 0
    for item in items:
        n = count_words(item)
        if used + n > limit:
            if not kept:  # one long item: its opening words are still a start
                kept.append(_shorten(item, limit))
            break
        kept.append(item)
        used += n
    return "\n".join(f"- {i}" for i in kept)


def draft_part(key: str, text: ReportText, themes: list[Theme], limit: int) -> str:
    """Draft one part from the report (or the themes); '' when there is nothing to use."""
    def rows(section: str, kinds: tuple[str, ...]) -> list[str]:
        return [t for kind, t, _ in text.blocks.get(section, []) if kind in kinds]

    if key == "background":
        return _fit_sentences(rows("introduction", ("p",)), limit)
    if key == "what_happened":
        return _fit_sentences(rows("conclusions", ("p",)), limit)
    if key == "why_it_matters":
        return _fit_sentences([" ".join(t.why_it_matters for t in themes)], limit)
    if key == "what_we_found":
        headings = rows("lessons", ("h",))
        if headings:
            return _fit_items(headings, limit)
        return _fit_items([sentences(p)[0] for p in rows("lessons", ("p",))], limit)
    if key == "good_practice":
        for blocks in text.blocks.values():
            found = [(kind, t) for kind, t, sub in blocks
                     if sub and "good practice" in sub.casefold() and kind != "h"]
            if not found:
                continue
            items = [t for kind, t in found if kind == "li"]
            if items:
                return _fit_items(items, limit)
            return _fit_sentences([t for _, t in found], limit)
        return ""
    if key == "what_you_should_do":
        return _fit_items(rows("recommendations", ("li",)), limit)
    raise ValueError(key)
