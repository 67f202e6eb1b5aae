"""The structure check behind ``dhr validate``.

Takes the parsed report (tokens from ``pipeline.report.md``), the section catalogue and the case;
produces an ``Outline`` (sections, recommendations) and a list of ``file:line`` problems:
an essential section missing (an error; any other missing section is a warning, each
with the line where it should go), sections repeated or after an appendix; sections out
of the profile's order (a warning, with the expected order); an equality and diversity
section that skips a protected characteristic; a recommendation without an action-plan
row, or a row for a recommendation that does not exist; and the writing warnings of
``pipeline.report.writing`` (typed numbers, skipped heading levels, uncaptioned tables,
images without alt text); and names copied from another review
(``pipeline.report.borrowed``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it.token import Token

from pipeline.case.folder import Case
from pipeline.common.errors import Problem
from pipeline.report.borrowed import borrowed_names
from pipeline.report.md import Catalogue
from pipeline.report.md.errors import line_of
from pipeline.report.writing import writing_warnings


@dataclass
class Section:
    key: str
    title: str
    number: str | None
    anchor: str
    line: int | None
    text: str = ""  # plain text of the section body, for content checks
    subsections: list[tuple[str, str]] = field(default_factory=list)  # (title, anchor)
    # token ranges [start, end) of the "::: summary" blocks' contents and the top-level
    # numbered lists, which the executive summary reuses
    summaries: list[tuple[int, int]] = field(default_factory=list)
    lists: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Recommendation:
    number: int
    text: str
    line: int | None
    tokens: list[Token] = field(default_factory=list)


@dataclass
class Outline:
    sections: list[Section]
    recommendations: list[Recommendation]
    catalogue: Catalogue | None = None  # the review's structure profile, once parsed
    tokens: list[Token] = field(default_factory=list)

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)


def outline(tokens: list[Token]) -> Outline:
    sections: list[Section] = []
    recs: list[Recommendation] = []
    current: Section | None = None
    list_depth = 0
    in_recs_list = False
    item_start: int | None = None
    summary_start: int | None = None
    list_start: int | None = None
    for i, token in enumerate(tokens):
        if token.type == "footnote_block_open":
            break
        if current is not None:
            if token.type == "container_summary_open" and token.level == 0:
                summary_start = i + 1
            elif token.type == "container_summary_close" and summary_start is not None:
                current.summaries.append((summary_start, i))
                summary_start = None
            elif token.type == "ordered_list_open" and token.level == 0:
                list_start = i
            elif token.type == "ordered_list_close" and token.level == 0 and \
                    list_start is not None:
                current.lists.append((list_start, i + 1))
                list_start = None
        if token.type == "heading_open" and token.tag == "h1":
            current = Section(
                key=token.meta["section"], title=token.meta["title"],
                number=token.meta.get("number"), anchor=token.attrGet("id") or "",
                line=line_of(token),
            )
            sections.append(current)
            continue
        if current is None:
            continue
        if token.type == "heading_open" and token.tag == "h2":
            current.subsections.append((tokens[i + 1].content, token.attrGet("id") or ""))
        if token.type == "inline":
            current.text += token.content + "\n"
        if current.key != "recommendations":
            continue
        if token.type == "ordered_list_open":
            list_depth += 1
            in_recs_list = in_recs_list or (list_depth == 1 and token.level == 0)
        elif token.type == "ordered_list_close":
            list_depth -= 1
        elif token.type == "list_item_open" and in_recs_list and list_depth == 1:
            item_start = i
        elif token.type == "list_item_close" and item_start is not None and list_depth == 1:
            body = tokens[item_start + 1 : i]
            text = " ".join(t.content for t in body if t.type == "inline")
            recs.append(Recommendation(len(recs) + 1, text, line_of(tokens[item_start]), body))
            item_start = None
    return Outline(sections, recs, tokens=tokens)


def check(doc: Outline, case: Case, catalogue: Catalogue, report: Path) -> list[Problem]:
    catalogue = doc.catalogue or catalogue
    problems: list[Problem] = []
    order = [spec.key for spec in catalogue.sections]
    titles = {spec.key: spec.title for spec in catalogue.sections}
    seen: dict[str, Section] = {}
    last_index = -1
    appendix_seen = False
    for section in doc.sections:
        if section.key == "appendix":
            appendix_seen = True
            continue
        if appendix_seen:
            problems.append(Problem(report, section.line,
                                    f"section '{section.title}' comes after an appendix; "
                                    "appendices go at the end"))
        if section.key in seen:
            problems.append(Problem(report, section.line,
                                    f"section '{titles[section.key]}' appears twice (first on "
                                    f"line {seen[section.key].line}); merge them"))
            continue
        seen[section.key] = section
        index = order.index(section.key)
        if index < last_index:
            before = titles[order[last_index]]
            present = {s.key for s in doc.sections}
            expected = [titles[k] for k in order if k in present]
            problems.append(Problem(report, section.line,
                                    f"section '{titles[section.key]}' is out of order; the "
                                    f"Home Office order puts it before '{before}' (expected "
                                    f"order: {'; '.join(expected)})", warning=True))
        last_index = max(last_index, index)
    groups = {key: group for group in catalogue.essential for key in group}
    end_line = _end_line(report)
    for index, key in enumerate(order):
        if key in seen:
            continue
        group = groups.get(key, ())
        if any(k in seen for k in group) or (group and group[0] != key):
            continue  # another section of its group tells the same part, or is named
        after = next((seen[k] for k in order[index + 1:] if k in seen), None)
        others = "".join(f" or '{titles[k]}'" for k in group[1:])
        problems.append(Problem(report, after.line if after else end_line,
                                f"missing {'essential ' if group else ''}section "
                                f"'{titles[key]}'{others}"
                                + (f" (it goes before '{after.title}')" if after else
                                   " (it goes at the end, before any appendix)"),
                                warning=not group))

    equality = seen.get("equality")
    if equality is not None:
        missing = [
            name for name, words in catalogue.protected_characteristics.items()
            if not any(re.search(rf"\b{re.escape(w)}\b", equality.text, re.I) for w in words)
        ]
        if missing:
            problems.append(Problem(report, equality.line,
                                    "the equality and diversity section does not discuss: "
                                    + ", ".join(missing)))

    recs_section = seen.get("recommendations")
    if recs_section is not None and not doc.recommendations:
        problems.append(Problem(report, recs_section.line,
                                "no recommendations found; write them as one numbered list "
                                "(1. ..., 2. ...) in this section"))
    covered = {a.recommendation for a in case.actions}
    for rec in doc.recommendations:
        if rec.number not in covered:
            problems.append(Problem(report, rec.line,
                                    f"recommendation {rec.number} has no row in "
                                    f"{case.action_plan_path.name}; add an action for it"))
    for action in case.actions:
        if action.recommendation > len(doc.recommendations):
            problems.append(Problem(case.action_plan_path, action.line,
                                    f"action for recommendation {action.recommendation}, but the "
                                    f"report has {len(doc.recommendations)} recommendation(s)"))
    return problems + borrowed_names(case, doc) + writing_warnings(doc.tokens, report)


def _end_line(report: Path) -> int | None:
    """Where a section missing from the end goes: the first appendix, else the last line."""
    try:
        lines = report.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for number, line in enumerate(lines, start=1):
        if line.casefold().startswith("# appendix"):
            return number
    return len(lines) or 1
