"""The staged build: review folder -> ``build/<id>/``.

Takes a review folder; runs the stages in order and writes each stage's outputs
atomically. A stage is skipped when its inputs are unchanged since it last succeeded: its
stamp in ``build/<id>/.stamps/`` records a digest of the review's files, the templates,
the pipeline's own source and version. The PDF stage is also keyed on the print HTML it
is made from, so an edit that changes nothing printed (a chair's comment) does not
re-render the PDF.

Stages so far: pseudonymise, when a key is given (``pipeline.pseudonymise.replace``, then the
redaction gate on its output), validate (``pipeline.report.structure``), the HTML of the report,
executive summary (``pipeline.report.summary``) and action plan, with the plan's CSV
(``pipeline.report.render``), and each document's tagged PDF (``pipeline.report.pdf``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import __version__
from pipeline.case.folder import Case, load_case
from pipeline.common.errors import CheckFailed, Problem
from pipeline.common.fsutil import digest_files, write_atomic
from pipeline.report.render import (
    catalogue,
    parse_report,
    render_action_plan,
    render_report,
    render_summary,
)
from pipeline.report.structure import check
from pipeline.common.signposting import signposting_files
from pipeline.common.templates import home, report_templates

PACKAGE_DIR = Path(__file__).resolve().parents[1]


@dataclass
class BuildResult:
    case: Case
    out_dir: Path
    built: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # replacements per pseudonym


def validate_case(case_dir: Path) -> tuple[Case, list[Problem]]:
    """Load and check a review; input errors raise, structure problems and warnings
    (``Problem.warning``) are returned."""
    from pipeline.report.summary import summary_warnings

    case = load_case(case_dir)
    parsed = parse_report(case)
    problems = check(parsed.outline, case, catalogue(), case.report_path)
    problems += summary_warnings(parsed, case)
    problems += _form_problems(case, parsed)
    return case, problems


def _form_problems(case: Case, parsed) -> list[Problem]:
    """The data-collection form: vocabulary errors raise; unanswered required fields and
    disagreements with the report are warnings (``pipeline.form.check``)."""
    from pipeline.form.check import form_problems

    return form_problems(case, parsed)


def input_digest(case: Case, *extra: str) -> str:
    roots = {
        "case": (case.folder, case.input_files()),
        "templates": (report_templates(), report_templates().rglob("*")),
        "pipeline": (PACKAGE_DIR, [*PACKAGE_DIR.rglob("*.py"), *PACKAGE_DIR.rglob("*.json")]),
        # the content note and Support box every document prints
        "signposting": (home() / "templates", signposting_files()),
    }
    files = [
        (f"{name}/{path.relative_to(root).as_posix()}", path)
        for name, (root, paths) in roots.items() for path in paths if path.is_file()
    ]
    return digest_files(files, __version__, *extra)


class Stamps:
    def __init__(self, out_dir: Path):
        self.dir = out_dir / ".stamps"

    def get(self, stage: str) -> dict:
        try:
            return json.loads((self.dir / f"{stage}.json").read_text())
        except (FileNotFoundError, ValueError):
            return {}

    def put(self, stage: str, **values: str) -> None:
        write_atomic(self.dir / f"{stage}.json", json.dumps(values, sort_keys=True))


DOCUMENTS = ("report", "summary", "action-plan")


def build_report(case_dir: Path, out_root: Path = Path("build"), force: bool = False,
                 pdf: bool = True, key_path: Path | None = None,
                 reveal: bool = False, marking: str | None = None) -> BuildResult:
    """Build the publication set: overview report, executive summary and action plan,
    each as HTML and tagged PDF, and the action plan as CSV. ``marking`` overrides the
    protective marking (a draft package's "DRAFT – NOT FOR PUBLICATION")."""
    case = load_case(case_dir)
    out_dir = out_root / case.id
    result = BuildResult(case, out_dir)
    stamps = Stamps(out_dir)
    if key_path is not None:
        case = pseudonymise_stage(case, key_path, out_root, stamps, force, reveal, result)
    if marking is not None:
        case.marking = marking
    result.case = case
    digest = input_digest(case, marking or "")
    html_outputs = [out_dir / f"{name}.html" for name in DOCUMENTS] + [
        out_dir / "action-plan.csv"]
    pdf_outputs = [out_dir / f"{name}.pdf" for name in DOCUMENTS] if pdf else []

    html_fresh = (not force and stamps.get("html").get("inputs") == digest
                  and all(p.is_file() for p in html_outputs))
    pdf_fresh = not force and all(
        stamps.get(f"pdf-{p.stem}").get("inputs") == digest and p.is_file()
        for p in pdf_outputs)
    if html_fresh and pdf_fresh:
        result.unchanged += html_outputs + pdf_outputs
    else:
        _render_set(case, out_dir, stamps, digest, force, html_fresh, html_outputs,
                    pdf_outputs, result)
    if pdf:
        form_stage(case, out_dir, stamps, force, result)
        briefing_stage(case, out_dir, stamps, force, result)
    return result


def _render_set(case: Case, out_dir: Path, stamps: Stamps, digest: str, force: bool,
                html_fresh: bool, html_outputs: list[Path], pdf_outputs: list[Path],
                result: BuildResult) -> None:
    """Validate, then render the report, summary and action plan (HTML, CSV, PDFs)."""
    parsed = parse_report(case)
    problems = [p for p in check(parsed.outline, case, catalogue(), case.report_path)
                if not p.warning]
    if problems:
        raise CheckFailed(problems)
    report = render_report(case, parsed)
    summary_web, summary_print = render_summary(case, parsed)
    plan_web, plan_print, plan_csv = render_action_plan(case, parsed)
    documents = {"report": (report.web_html, report.print_html),
                 "summary": (summary_web, summary_print),
                 "action-plan": (plan_web, plan_print)}
    if html_fresh:
        result.unchanged += html_outputs
    else:
        for name, (web, _) in documents.items():
            write_atomic(out_dir / f"{name}.html", web)
        write_atomic(out_dir / "action-plan.csv", plan_csv)
        stamps.put("html", inputs=digest)
        result.built += html_outputs
    for path in pdf_outputs:
        _pdf_stage(case, documents[path.stem][1], path, stamps, digest, force, result)


def briefing_stage(case: Case, out_dir: Path, stamps: Stamps, force: bool,
                   result: BuildResult) -> None:
    """The 7-minute briefing (``pipeline.briefing.briefing``): briefing.pdf, .html, .txt, the
    fillable briefing-action-plan.pdf and a PNG of page 1, for a review whose case.yaml
    has a ``briefing:`` section (``dhr briefing`` builds it always, or writes a draft)."""
    if "briefing" not in case.doc.data:
        return
    from pipeline.briefing.briefing import build_briefing

    files, written = build_briefing(case, out_dir, stamps, force)
    (result.built if written else result.unchanged).extend(files)


def form_stage(case: Case, out_dir: Path, stamps: Stamps, force: bool,
               result: BuildResult) -> None:
    """The Home Office data-collection form in build/<id>/form/ (``pipeline.form.pdf``),
    for a review whose case.yaml has a ``form:`` section (``dhr form`` builds it always)."""
    if "form" not in case.doc.data:
        return
    from pipeline.form.pdf import build_form

    files, written = build_form(case, out_dir, stamps, force)
    (result.built if written else result.unchanged).extend(files)


def pseudonymise_stage(case: Case, key_path: Path, out_root: Path, stamps: Stamps,
                       force: bool, reveal: bool, result: BuildResult) -> Case:
    """Pseudonymise into build/<id>/source/, gate the result, and hand back the review as
    it is there: every later stage reads only pseudonymised text."""
    from pipeline.gate.engine import ACCEPTED_FILE, Gate, load_accepted, review_allow
    from pipeline.gate.output import text as gate_text
    from pipeline.case.key import load_key
    from pipeline.gate.ner import NerCache
    from pipeline.pseudonymise.replace import LOG_FILE, SOURCE_DIR, pseudonymise_case

    out_dir = out_root / case.id
    source_dir = out_dir / SOURCE_DIR
    key = load_key(key_path)  # validated even when the stage is skipped
    digest = digest_files(
        [("key", key_path), *((f"case/{p.relative_to(case.folder).as_posix()}", p)
                              for p in case.input_files()),
         *((f"rules/{p.name}", p) for p in (PACKAGE_DIR.parent / "redaction_rules").glob("*")),
         *((f"pipeline/{p.name}", p) for p in PACKAGE_DIR.rglob("*.py"))],
        __version__,
    )
    if (not force and stamps.get("pseudonymise").get("inputs") == digest
            and (source_dir / case.report_path.name).is_file()):
        result.unchanged.append(source_dir / case.report_path.name)
        return load_case(source_dir)
    outcome = pseudonymise_case(case, key, out_dir, reveal=reveal)
    cache = NerCache(out_root / ".cache" / "ner.json")
    gate = Gate(key, review_allow(case.folder, sources=True), ner_cache=cache)
    accepted_file = case.folder / ACCEPTED_FILE
    accepted = load_accepted(accepted_file) if accepted_file.is_file() else {}
    checked = gate.check([source_dir / case.report_path.name,
                          source_dir / case.action_plan_path.name], accepted)
    cache.save()
    if checked.blocking:
        lines = gate_text(checked, reveal).splitlines()
        raise CheckFailed([Problem(None, None, line) for line in lines
                           if not line.startswith("#")])
    stamps.put("pseudonymise", inputs=digest)
    result.built += [source_dir / case.report_path.name, out_dir / LOG_FILE]
    result.counts = outcome.counts
    return load_case(source_dir)


def _pdf_stage(case: Case, print_html: str, pdf_path: Path, stamps: Stamps, digest: str,
               force: bool, result: BuildResult) -> None:
    from pipeline.report.pdf import html_to_pdf

    stage = f"pdf-{pdf_path.stem}"
    # The writer's own code is part of the key: a fix to it must re-render.
    html_digest = hashlib.sha256(
        print_html.encode("utf-8") + b"".join(p.read_bytes() for p in sorted((PACKAGE_DIR / "report").glob("pdf*.py"))) + __version__.encode()
    ).hexdigest()
    if (not force and stamps.get(stage).get("print_html") == html_digest
            and pdf_path.is_file()):
        stamps.put(stage, inputs=digest, print_html=html_digest)
        result.unchanged.append(pdf_path)
        return
    data = html_to_pdf(print_html, case.folder, case.report_path)
    write_atomic(pdf_path, data)
    stamps.put(stage, inputs=digest, print_html=html_digest)
    result.built.append(pdf_path)
