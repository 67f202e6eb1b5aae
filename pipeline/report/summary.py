"""The executive summary: the overview report's own sources -> summary HTML (web, print).

Takes the parsed report and the case; produces the executive summary's parts in the
order ``templates/report/summary.yaml`` gives (review process, contributors, panel,
author, terms of reference, summary chronology, key issues, conclusions, lessons,
recommendations). Text comes from the report itself: the ``::: summary`` blocks a chair
marks in each section, the terms of reference list, and the recommendations with the
same numbers and words. A part with no marked text is left out and reported by
``summary_warnings`` (``dhr validate``), never invented.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import yaml
from markupsafe import escape

from pipeline.case.folder import Case
from pipeline.common.errors import Problem
from pipeline.common.templates import report_templates
from pipeline.report.parse import ParsedReport
from pipeline.report.structure import Section


@dataclass
class Part:
    title: str
    anchor: str
    html: str


@cache
def summary_spec() -> tuple[dict, ...]:
    data = yaml.safe_load((report_templates() / "summary.yaml").read_text(encoding="utf-8"))
    return tuple(data["parts"])


def _sections(parsed: ParsedReport, keys: list[str]) -> list[Section]:
    return [s for s in parsed.outline.sections if s.key in keys]


def summary_warnings(parsed: ParsedReport, case: Case) -> list[Problem]:
    problems = []
    for spec in summary_spec():
        if spec.get("take") != "summary":
            continue
        sections = _sections(parsed, spec["from"])
        if sections and not any(s.summaries for s in sections):
            names = ", ".join(f"'{s.title}'" for s in sections)
            problems.append(Problem(case.report_path, sections[0].line,
                                    f"no text for the executive summary's '{spec['title']}': "
                                    f"mark it in {names} with '::: summary' ... ':::'",
                                    warning=True))
    return problems


def summary_parts(parsed: ParsedReport, case: Case, media: str, inserts) -> list[Part]:
    md = parsed.md
    env = {"media": media, "plain_paragraphs": True, "no_footnotes": True,
           "inserts": {}, "footnote_bodies": {}}

    def render(ranges: list[tuple[int, int]]) -> str:
        return "".join(md.renderer.render(parsed.tokens[a:b], md.options, env)
                       for a, b in ranges)

    parts = []
    for number, spec in enumerate(summary_spec(), start=1):
        take, html = spec.get("take"), ""
        if "insert" in spec:
            html = _insert(spec["insert"], case, inserts)
        elif take in ("summary", "lists"):
            attribute = "summaries" if take == "summary" else "lists"
            html = render([r for s in _sections(parsed, spec["from"])
                           for r in getattr(s, attribute)])
        elif take == "recommendations":
            items = "".join(
                f'<li value="{r.number}">'
                + md.renderer.render([t for t in r.tokens if t.type == "inline"], md.options,
                                     env) + "</li>\n"
                for r in parsed.outline.recommendations)
            html = f'<ol class="recommendations">\n{items}</ol>\n'
        if html.strip():
            parts.append(Part(spec["title"], f"summary-{number}", html))
    return parts


def _insert(name: str, case: Case, inserts) -> str:
    if name == "chair":
        return (f"<p>The independent chair and author of the overview report is "
                f"{escape(case.chair_name)}.</p>\n<p>{escape(case.chair_statement)}</p>\n")
    return str(getattr(inserts, name)(case))
