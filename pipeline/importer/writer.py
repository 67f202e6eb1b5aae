"""Pandoc's document tree of a Word file -> the report Markdown ``dhr`` reads.

Takes the JSON AST pandoc makes from a .docx (read with ``--track-changes=all``, so
insertions, deletions and comments arrive as marked spans); produces the Markdown text
and what was found on the way: tracked changes and comments (with the paragraph they
are in), images (Word's media name and the alt text), merged table cells, typed numbers
stripped, level-1 headings. Pandoc's own Markdown writer is not used because the report
dialect is narrower (pipe tables with ``Table:`` above, ``[^n]`` notes, no raw HTML,
numbers left to the renderer) and because every dropped thing must be reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

# Numbers chairs type because Word does not number for them: "2.1", "1.", "a)", "(iv)",
# "Section 3:". The renderer numbers sections and paragraphs, so a typed one prints twice.
TYPED_NUMBER = re.compile(
    r"^(?:section\s+)?(?:\d+(?:\.\d+)*\.?|\(?[a-z]\)|\(?[ivx]{1,5}\)|\(\d+\)|\d+\))\s*[:.\-–]?\s+",
    re.I)
HEADING_NUMBER = re.compile(r"^(?:section\s+)?\d+(?:\.\d+)*\.?\s*[:.\-–]?\s+", re.I)
MAX_LEVEL = 3


@dataclass
class Change:
    kind: str  # "insertion", "deletion", "comment"
    paragraph: int
    author: str
    text: str


@dataclass
class Written:
    markdown: str = ""
    changes: list[Change] = field(default_factory=list)
    images: list[tuple[str, str]] = field(default_factory=list)  # (Word media path, file name)
    no_alt: list[int] = field(default_factory=list)  # paragraphs with an image without alt
    merged: list[str] = field(default_factory=list)
    stripped: int = 0  # typed numbers removed
    headings: list[tuple[int, str]] = field(default_factory=list)  # (index in blocks, text)
    deep: int = 0  # headings below level 3, written as level 3
    notes: int = 0


class Writer:
    """One document: blocks in, Markdown out. ``accept`` accepts tracked changes and turns
    comments into ``<!-- -->`` notes; otherwise they are recorded and kept as they read."""

    def __init__(self, accept: bool):
        self.accept = accept
        self.out = Written()
        self.paragraph = 0
        self.notes: list[str] = []
        self.pending_comments: list[str] = []
        self.tables = 0

    # -- blocks -------------------------------------------------------------------------

    def document(self, blocks: list[dict]) -> Written:
        chunks = [c for c in (self.block(b) for b in blocks) if c.strip()]
        text = "\n\n".join(chunks)
        if self.notes:
            text += "\n\n" + "\n".join(f"[^{n}]: {body}" for n, body in
                                       enumerate(self.notes, start=1))
        self.out.markdown = text.strip() + "\n"
        self.out.notes = len(self.notes)
        return self.out

    def block(self, block: dict) -> str:
        kind, content = block["t"], block.get("c")
        if kind in ("Para", "Plain"):
            self.paragraph += 1
            text = self.inlines(content).strip()
            text, changed = _strip_number(text, TYPED_NUMBER)
            self.out.stripped += changed
            return self._with_comments(_escape_start(text))
        if kind == "Header":
            self.paragraph += 1
            level, _, inlines = content
            text, changed = _strip_number(self.inlines(inlines).strip(), HEADING_NUMBER)
            self.out.stripped += changed
            if level == 1:
                self.out.headings.append((self.paragraph, text))
            if level > MAX_LEVEL:
                self.out.deep += 1
                level = MAX_LEVEL
            return self._with_comments(f"{'#' * level} {text}")
        if kind == "BulletList":
            return "\n".join(self._item("- ", item) for item in content)
        if kind == "OrderedList":
            return "\n".join(self._item(f"{n}. ", item)
                             for n, item in enumerate(content[1], start=1))
        if kind == "Table":
            return self.table(content)
        if kind == "Figure":
            _, caption, body = content
            parts = [self.block(b) for b in body]
            caption_text = " ".join(self.inlines(b["c"]) for b in caption[1]
                                    if b["t"] in ("Para", "Plain"))
            if caption_text.strip():
                parts.append(_escape_start(caption_text.strip()))
            return "\n\n".join(p for p in parts if p.strip())
        if kind == "BlockQuote":
            inner = "\n\n".join(self.block(b) for b in content)
            return "\n".join(f"> {line}" if line else ">" for line in inner.splitlines())
        if kind == "Div":
            return "\n\n".join(c for c in (self.block(b) for b in content[1]) if c.strip())
        if kind == "LineBlock":
            self.paragraph += 1
            return "\\\n".join(self.inlines(line) for line in content)
        if kind == "CodeBlock":
            return "\n".join("    " + line for line in content[1].splitlines())
        if kind == "DefinitionList":
            return "\n\n".join(
                f"**{self.inlines(term)}** " + " ".join(self.block(b) for d in defs for b in d)
                for term, defs in content)
        if kind == "HorizontalRule":
            return ""
        return ""  # RawBlock: pandoc makes none from .docx

    def _item(self, marker: str, blocks: list[dict]) -> str:
        lines = "\n\n".join(c for c in (self.block(b) for b in blocks) if c.strip())
        indent = " " * len(marker)
        body = "\n".join((indent + line) if line else "" for line in lines.splitlines())
        return marker + body[len(indent):]

    def _with_comments(self, text: str) -> str:
        if not self.pending_comments:
            return text
        notes = "\n".join(f"<!-- Comment: {c} -->" for c in self.pending_comments)
        self.pending_comments = []
        return f"{text}\n{notes}" if text else notes

    def table(self, content: list) -> str:
        self.tables += 1
        _, caption, specs, head, bodies, foot = content
        caption_text = " ".join(self.inlines(b["c"]) for b in caption[1]
                                if b["t"] in ("Para", "Plain")).strip()
        caption_text = re.sub(r"^Table\s+\d+\s*[:.\-–]\s*", "", caption_text, flags=re.I)
        rows = [r for r in head[1]]
        for body in bodies:
            rows += body[2] + body[3]
        rows += foot[1]
        width = len(specs)
        grid: list[list[str]] = []
        pending: dict[int, int] = {}  # column -> rows still covered by a row span above
        for r, row in enumerate(rows, start=1):
            cells, column = [], 0
            for cell in row[1]:
                while pending.get(column):
                    pending[column] -= 1
                    cells.append("")
                    column += 1
                _, _, rowspan, colspan, blocks = cell
                if rowspan > 1 or colspan > 1:
                    self.out.merged.append(
                        f"table {self.tables}, row {r}, column {column + 1}: merged across "
                        f"{rowspan} row(s) and {colspan} column(s); the text is kept in the "
                        "first cell and the others are left empty (merged cells are an "
                        "accessibility failure: split them in Word)")
                text = " ".join(self._cell(b) for b in blocks).strip()
                cells.append(text.replace("|", "\\|"))
                for extra in range(colspan):
                    if rowspan > 1:
                        pending[column + extra] = rowspan - 1
                cells += [""] * (colspan - 1)
                column += colspan
            while len(cells) < width:
                cells.append("")
                if pending.get(len(cells) - 1):
                    pending[len(cells) - 1] -= 1
            grid.append(cells)
        if not grid:
            return ""
        lines = [_row(grid[0]), _row(["---"] * width)] + [_row(r) for r in grid[1:]]
        table = "\n".join(lines)
        return f"Table: {caption_text}\n\n{table}" if caption_text else table

    def _cell(self, block: dict) -> str:
        if block["t"] in ("Para", "Plain"):
            return self.inlines(block["c"]).strip()
        if block["t"] in ("BulletList", "OrderedList"):
            items = block["c"] if block["t"] == "BulletList" else block["c"][1]
            return "; ".join(" ".join(self._cell(b) for b in item) for item in items)
        return ""

    # -- inlines ------------------------------------------------------------------------

    def inlines(self, items: list[dict]) -> str:
        return "".join(self.inline(i) for i in items)

    def inline(self, item: dict) -> str:
        kind, content = item["t"], item.get("c")
        if kind == "Str":
            return _escape(content)
        if kind in ("Space", "SoftBreak"):
            return " "
        if kind == "LineBreak":
            return "\\\n"
        if kind == "Emph":
            return _wrap("*", self.inlines(content))
        if kind == "Strong":
            return _wrap("**", self.inlines(content))
        if kind in ("Underline", "SmallCaps", "Strikeout", "Superscript", "Subscript"):
            return self.inlines(content)
        if kind == "Quoted":
            left, right = ("“", "”") if content[0]["t"] == "DoubleQuote" else ("‘", "’")
            return left + self.inlines(content[1]) + right
        if kind == "Code":
            return "`" + content[1].replace("`", "'") + "`"
        if kind == "Link":
            _, text, (url, _) = content
            label = self.inlines(text).strip() or _escape(url)
            return f"[{label}](<{url}>)" if url and not url.startswith("#") else label
        if kind == "Image":
            _, alt, (src, _) = content
            name = PurePosixPath(src).name
            self.out.images.append((src, name))
            alt_text = self.inlines(alt).strip()
            if not alt_text:
                self.out.no_alt.append(self.paragraph)
            return f"![{alt_text}](images/{name})"
        if kind == "Note":
            body = " ".join(self.block(b) for b in content).replace("\n", " ").strip()
            self.notes.append(body)
            return f"[^{len(self.notes)}]"
        if kind == "Span":
            return self.span(content)
        if kind == "Math":
            return _escape(content[1])
        if kind == "Cite":
            return self.inlines(content[1])
        return ""  # RawInline: pandoc makes none from .docx

    def span(self, content: list) -> str:
        (_, classes, attrs), inner = content
        attrs = dict(attrs)
        text = self.inlines(inner)
        author = attrs.get("author", "")
        for kind in ("insertion", "deletion"):
            if kind in classes:
                if not self.accept:
                    self.out.changes.append(Change(kind, self.paragraph, author,
                                                   _plain(text)))
                    return text if kind == "insertion" else ""
                return text if kind == "insertion" else ""
        if "comment-start" in classes:
            body = _plain(text)
            if self.accept:
                self.pending_comments.append(body.replace("--", "–"))
            else:
                self.out.changes.append(Change("comment", self.paragraph, author, body))
            return ""
        if "comment-end" in classes:
            return ""
        return text


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(c or " " for c in cells) + " |"


def _wrap(mark: str, text: str) -> str:
    stripped = text.strip()
    if not stripped:
        return text
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    return f"{lead}{mark}{stripped}{mark}{trail}"


def _plain(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", " ".join(text.split()))


_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


def _escape(text: str) -> str:
    text = _SPECIAL.sub(r"\\\1", text)
    return text.replace("@[", "@\\[")


def _escape_start(text: str) -> str:
    """What Markdown would read as structure at a line start: '#', '>', '- ', '1. ', ':::'."""
    if text.startswith("Table:"):
        return "Table\\:" + text[6:]
    number = re.match(r"^(\d+)([.)])(?=\s)", text)
    if number:  # a backslash before a digit escapes nothing: escape the dot
        return f"{number.group(1)}\\{number.group(2)}{text[number.end():]}"
    if re.match(r"^(#|>|[-+*]\s|:::|\||=+\s*$|-{3,}\s*$)", text):
        return "\\" + text
    return text


def _strip_number(text: str, pattern: re.Pattern) -> tuple[str, int]:
    match = pattern.match(text)
    if not match or not text[match.end():].strip():
        return text, 0
    rest = text[match.end():]
    return rest[0].upper() + rest[1:] if pattern is HEADING_NUMBER else rest, 1
