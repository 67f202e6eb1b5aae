"""The report renderer: case + report Markdown -> overview report HTML (web and print).

Takes a loaded ``Case`` and its ``ParsedReport`` (``pipeline.report.parse``); builds the
generated tables (pseudonyms, panel, contributors, action plan) and renders
``templates/report/report.html.j2`` twice: once for the web (self-contained HTML, linked
notes) and once for print (page rules, notes at the foot of the page), which
``pipeline.report.pdf`` turns into the PDF. Nothing here reads the clock: every date comes from
the case.
"""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it import MarkdownIt

from pipeline import __version__
from pipeline.case.folder import Case, long_date
from pipeline.common.templates import fonts, jinja_env, report_templates
from pipeline.report.md import (
    footnote_bodies,
    without_notes_list,
)
from pipeline.report.parse import ParsedReport, catalogue, parse_report
from pipeline.report.structure import Outline
from pipeline.report.summary import summary_parts

__all__ = ["ParsedReport", "catalogue", "parse_report", "render_action_plan",
           "render_report", "render_summary"]


@dataclass
class RenderedReport:
    web_html: str
    print_html: str
    outline: Outline


def render_report(case: Case, parsed: ParsedReport | None = None) -> RenderedReport:
    parsed = parsed or parse_report(case)
    inserts = _jinja().get_template("inserts.html.j2").module

    def insert(name: str):
        return lambda: str(getattr(inserts, name)(case))

    contents = [(s.number, s.title, s.anchor) for s in parsed.outline.sections]
    contents.append((None, "Appendix: Action Plan", "appendix-action-plan"))
    pages = {}
    for media in ("web", "print"):
        md_env = {"media": media, "inserts": {n: insert(n) for n in
                                              ("pseudonyms", "panel", "contributors")}}
        md_env["footnote_bodies"] = footnote_bodies(parsed.md, parsed.tokens, md_env)
        tokens = without_notes_list(parsed.tokens) if media == "print" else parsed.tokens
        body = parsed.md.renderer.render(tokens, parsed.md.options, md_env)
        pages[media] = _page("report.html.j2", case, parsed, media, "Overview Report",
                             "report-doc", contents, body=body)
    return RenderedReport(pages["web"], pages["print"], parsed.outline)


def render_summary(case: Case, parsed: ParsedReport) -> tuple[str, str]:
    """The executive summary, web and print (see ``pipeline.report.summary``)."""
    inserts = _jinja().get_template("inserts.html.j2").module
    pages = []
    for media in ("web", "print"):
        parts = summary_parts(parsed, case, media, inserts)
        contents = [(str(i), p.title, p.anchor) for i, p in enumerate(parts, start=1)]
        pages.append(_page("summary.html.j2", case, parsed, media, "Executive Summary",
                           "summary-doc", contents, parts=parts))
    return pages[0], pages[1]


def render_action_plan(case: Case, parsed: ParsedReport) -> tuple[str, str, str]:
    """The action plan on its own: web and print (landscape) HTML, and CSV for tracking."""
    import csv
    import io

    pages = [_page("action-plan.html.j2", case, parsed, media, "Action Plan",
                   "action-plan-doc", [], landscape=media == "print")
             for media in ("web", "print")]
    recommendations = {r.number: " ".join(r.text.replace("**", "").split())
                       for r in parsed.outline.recommendations}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Recommendation number", "Recommendation", "Scope", "Action to take",
                     "Lead agency", "Key milestones achieved", "Target date",
                     "Date of completion and outcome"])
    for action in sorted(case.actions, key=lambda a: a.recommendation):
        writer.writerow([action.recommendation, recommendations.get(action.recommendation, ""),
                         action.scope, action.action, action.lead_agency, action.milestones,
                         action.target_date, action.completion])
    return pages[0], pages[1], out.getvalue()


def _page(template: str, case: Case, parsed: ParsedReport, media: str, doc_title: str,
          doc_class: str, contents: list, landscape: bool = False, **extra) -> str:
    from pipeline.common.signposting import content_note_html, support_html

    # The action plan is a table for the Steering Group; the report and the summary are
    # what a family member reads, so they carry the content note and the Support box.
    signposts = None if doc_class == "action-plan-doc" else {
        "note": content_note_html(), "support": support_html()}
    return _jinja().get_template(template).render(
        case=case, media=media, doc_title=doc_title, doc_class=doc_class, contents=contents,
        landscape=landscape, fonts=fonts() if media == "print" else {}, signposts=signposts,
        **_context(case, parsed.outline), **extra,
    )


def _context(case: Case, doc: Outline) -> dict:
    recs = {r.number: r for r in doc.recommendations}
    rows = sorted(case.actions, key=lambda a: a.recommendation)
    return {
        "outline": doc,
        "marking": case.protective_marking,
        "report_date": long_date(case.date),
        "tool_version": __version__,
        "action_rows": [(a, recs.get(a.recommendation)) for a in rows],
        "recommendation_html": {
            n: MarkdownIt("commonmark").renderer.render(
                [t for t in r.tokens if t.type == "inline"], {}, {}
            ) for n, r in recs.items()
        },
    }


def _jinja():
    return jinja_env(report_templates())
