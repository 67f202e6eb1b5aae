"""Writing warnings for ``dhr validate``: what renders, but not as the chair meant.

Takes the parsed report's tokens and its path; produces ``Problem`` warnings (never
errors), each with its line: a paragraph or subheading that starts with a number the chair
typed ("2.1 ...", "a) ...", which the renderer's own numbering would print as "3.4 2.1 ..."),
a heading that skips a level (# then ###), a table without a ``Table:`` caption, an
image without alt text (rendered as decorative, which hides it from screen readers), and
an image the build does not copy beside the HTML.
"""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it.token import Token

from pipeline.common.errors import Problem
from pipeline.report.md.errors import line_of

TYPED = re.compile(r"^(?:\d+(?:\.\d+)+\.?|\(?[a-h]\)|\(?(?:i|ii|iii|iv|v|vi)\)|\(\d+\))\s+")


def writing_warnings(tokens: list[Token], report: Path) -> list[Problem]:
    problems: list[Problem] = []
    level = 0
    in_notes = False
    for i, token in enumerate(tokens):
        if token.type == "footnote_block_open":
            in_notes = True
        line = line_of(token)
        if token.type == "heading_open":
            depth = int(token.tag[1])
            if depth > level + 1 and level:
                problems.append(Problem(report, line, f"heading level {depth} follows level "
                                        f"{level}: a level is skipped (use "
                                        f"{'#' * (level + 1)})", warning=True))
            level = depth
            if depth > 1:
                _typed(tokens[i + 1], report, line, "subheading", problems)
        elif token.type == "paragraph_open" and not in_notes and not token.hidden:
            _typed(tokens[i + 1], report, line, "paragraph", problems)
        elif token.type == "table_open" and not token.meta.get("caption"):
            problems.append(Problem(report, line, "table without a caption; write "
                                    "'Table: what it shows' on the line above it",
                                    warning=True))
        if token.type == "inline":
            for child in token.children or []:
                if child.type != "image":
                    continue
                if not child.children and not child.content:
                    problems.append(Problem(report, line, "image without alt text; write "
                                            "![what it shows](file)", warning=True))
                problems.append(Problem(
                    report, line, f"image '{child.attrGet('src')}' is not copied into build/: "
                    "the PDFs include it, but report.html only links to it in the review "
                    "folder, so the HTML shows nothing once published", warning=True))
    return problems


def _typed(inline: Token, report: Path, line: int | None, what: str,
           problems: list[Problem]) -> None:
    match = TYPED.match(inline.content or "")
    if match:
        problems.append(Problem(report, line, f"{what} starts with a typed number "
                                f"'{match.group(0).strip()}'; the renderer numbers "
                                "paragraphs and sections, so delete it", warning=True))
