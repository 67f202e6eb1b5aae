"""The build: review folder -> ``build/<id>/``, the one place that chains the stages.

Takes a review folder (and the key); runs, each only when ``pipeline.build.graph`` says its
inputs changed: pseudonymise (with a key; the redaction gate on its output), validate and
the HTML of the documents in ``pipeline.common.documents`` (report, summary, action plan
and its CSV), each document's tagged PDF, the data-collection form and the 7-minute
briefing. The PDF renders, the form and the briefing run side by side on the machine's
cores. Every output is written atomically; a stage that is not run this time
(``--no-pdf``) removes what it wrote before unless it is still current, so nothing stale
sits beside a fresh file.

While any gate before release is open (``pipeline.case.gates``) the whole set is marked
DRAFT – NOT FOR PUBLICATION, so the packager can ship a draft package from these same
files instead of rendering a second, differently marked set.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.build.graph import Stage, Stamps
from pipeline.build.jobs import job, parallel, run_jobs
from pipeline.case.folder import Case, load_case
from pipeline.case.gates import DRAFT_MARKING, open_gates
from pipeline.common.documents import rendered_by
from pipeline.common.errors import CheckFailed, Problem
from pipeline.common.fsutil import write_atomic
from pipeline.common.templates import fonts
from pipeline.pseudonymise.replace import LOG_FILE, SOURCE_DIR

# The documents rendered with the report (pipeline.common.documents): one HTML stage for
# their web files, one PDF stage each.
HTML_FILES = tuple(o.file for d in rendered_by("set") for o in d.outputs if o.format != "PDF")
PDF_DOCUMENTS = tuple(d.key for d in rendered_by("set") if d.output("PDF"))
FORM_FILES = ("form/form.pdf", "form/form.json", "form/form.csv")
MARKUP_FILES = ("case.yaml", "report.md", "action-plan.yaml")
# The content note and Support box every document prints (pipeline.common.signposting)
SIGNPOSTING = ("templates/signposting.yaml", "templates/sites", "templates/common")


@dataclass
class BuildResult:
    case: Case
    out_dir: Path
    built: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # replacements per pseudonym
    key: object = None  # the loaded key, when one was given (read once per command)


def validate_case(case_dir: Path) -> tuple[Case, list[Problem]]:
    """Load and check a review; input errors raise, structure problems and warnings
    (``Problem.warning``) are returned."""
    return _validated(load_case(case_dir))


def _validated(case: Case, parsed=None) -> tuple[Case, list[Problem]]:
    from pipeline.form.check import form_problems
    from pipeline.report.render import catalogue, parse_report
    from pipeline.report.structure import check
    from pipeline.report.summary import summary_warnings

    parsed = parsed or parse_report(case)
    problems = check(parsed.outline, case, catalogue(), case.report_path)
    problems += summary_warnings(parsed, case)
    problems += form_problems(case, parsed)
    return case, problems


def _sources(case: Case) -> list[tuple[str, Path]]:
    return [(f"case/{p.relative_to(case.folder).as_posix()}", p) for p in case.input_files()]


def _assets(case: Case) -> list[tuple[str, Path]]:
    """The review's files a rendered page embeds (images), not its text."""
    return [f for f in _sources(case) if f[1].name not in MARKUP_FILES]


def _fonts() -> list[tuple[str, Path]]:
    return [(f"font/{k}", Path(url.removeprefix("file://"))) for k, url in fonts().items()]


def stages_for(case: Case, out_dir: Path, print_digests: dict[str, str]) -> dict[str, Stage]:
    """Every stage after pseudonymisation, as the graph sees it. The PDFs depend on the
    print HTML they are made from (its digest), not on the report's source, so an edit
    that changes nothing printed (a chair's comment) re-renders no PDF. The form and the
    briefing are built for a review whose case.yaml has their section."""
    marking = case.marking or ""
    # the HTML stage validates first (structure, summary, form answers): it runs that code
    stages = {"html": Stage("html", [out_dir / f for f in HTML_FILES], _sources(case),
                            [marking], ("pipeline.report.render", "pipeline.report.structure",
                                        "pipeline.report.summary", "pipeline.form.check"),
                            ("templates/report", "templates/form/fields.yaml",
                             *SIGNPOSTING))}
    for doc in PDF_DOCUMENTS:
        stages[f"pdf-{doc}"] = Stage(
            f"pdf-{doc}", [out_dir / f"{doc}.pdf"], [*_assets(case), *_fonts()],
            [print_digests.get(doc, "")], ("pipeline.report.pdf",))
    if "form" in case.doc.data:
        stages["form"] = form_stage(case, out_dir)
    if "briefing" in case.doc.data:
        stages["briefing"] = briefing_stage(case, out_dir)
    return stages


def form_stage(case: Case, out_dir: Path) -> Stage:
    return Stage("form", [out_dir / f for f in FORM_FILES], _sources(case),
                 [case.marking or ""], ("pipeline.form.pdf",), ("templates/form",))


def briefing_stage(case: Case, out_dir: Path) -> Stage:
    from pipeline.briefing.render import OUTPUTS, PREVIEW

    outputs = [out_dir / f for f in OUTPUTS]
    if shutil.which("pdftoppm"):
        outputs.append(out_dir / PREVIEW)
    return Stage("briefing", outputs, [*_sources(case), *_fonts()], [case.marking or ""],
                 ("pipeline.briefing.render",),
                 ("templates/briefing", "templates/report", *SIGNPOSTING))


def outputs(case_dir: Path, out_root: Path = Path("build")) -> list[Path]:
    """Every file the build writes for a review (``dhr outputs``: what the gate checks)."""
    case = load_case(case_dir)
    return [p for stage in stages_for(case, out_root / case.id, {}).values()
            for p in stage.outputs]


def _prepared(case_dir: Path | Case, out_root: Path, key_path: Path | None, force: bool,
              reveal: bool, key=None) -> tuple[Case, Stamps, BuildResult]:
    """The review as every stage after pseudonymisation reads it: pseudonymised (with a
    key) and gated, marked DRAFT – NOT FOR PUBLICATION while a gate before release is
    open. ``case_dir``: the folder, or the review already loaded from it; ``key``: the
    key already loaded from ``key_path``."""
    case, stamps, result, gate = _pseudonymised(case_dir, out_root, key_path, force, reveal,
                                                key)
    gate()
    return case, stamps, result


def _pseudonymised(case_dir: Path | Case, out_root: Path, key_path: Path | None,
                   force: bool, reveal: bool,
                   key=None) -> tuple[Case, Stamps, BuildResult, Callable[[], None]]:
    """As ``_prepared``, with the redaction gate on the pseudonymised source handed back
    to run before anything made from it is written."""
    case = case_dir if isinstance(case_dir, Case) else load_case(case_dir)
    out_dir = out_root / case.id
    result = BuildResult(case, out_dir, key=key)
    stamps = Stamps(out_dir)
    gate: Callable[[], None] = lambda: None  # noqa: E731
    if key_path is not None:
        case, gate = pseudonymised(case, key_path, out_root, stamps, force, reveal, result)
    if open_gates(case):
        case.marking = DRAFT_MARKING
    result.case = case
    return case, stamps, result, gate


Meanwhile = Callable[[list[Path]], None]


def build_report(case_dir: Path | Case, out_root: Path = Path("build"), force: bool = False,
                 pdf: bool = True, key_path: Path | None = None, reveal: bool = False,
                 key=None, meanwhile: Meanwhile | None = None) -> BuildResult:
    """Build the publication set; with ``pdf`` False only the HTML and CSV.
    ``meanwhile(paths)`` is called here, in this process, with each batch of files as it
    is written (the HTML first), while the renders go on in the workers: the packager
    reads them with the gate meanwhile. The renders start while the redaction gate reads
    the pseudonymised source; nothing is written until it has passed."""
    case, stamps, result, gate = _pseudonymised(case_dir, out_root, key_path, force, reveal,
                                                key)
    try:
        html, write_html = _html_stage(case, result.out_dir, stamps, force, result)
    except BaseException:
        gate()  # a leak is told before anything else that is wrong
        raise
    stages = stages_for(case, result.out_dir, html.print_digests())
    later = [s for name, s in stages.items() if name != "html"]

    def barrier() -> None:
        gate()
        write_html()

    _run_later(later, case, html, stamps, force, pdf, result, meanwhile,
               stages["html"].outputs, barrier)
    return result


def build_one(which: str, case_dir: Path, out_root: Path = Path("build"),
              force: bool = False, key_path: Path | None = None) -> BuildResult:
    """``dhr form`` and ``dhr briefing``: that stage alone, whatever case.yaml holds."""
    case, stamps, result = _prepared(case_dir, out_root, key_path, force, False)
    stage = {"form": form_stage, "briefing": briefing_stage}[which](case, result.out_dir)
    _run_later([stage], case, None, stamps, force, True, result)
    return result


def draft_briefing(case_dir: Path, out_root: Path = Path("build"),
                   key_path: Path | None = None):
    """``dhr briefing --draft``: build/<id>/briefing-draft.yaml, never over case.yaml."""
    from pipeline.briefing.editable import write_draft

    case, _, result = _prepared(case_dir, out_root, key_path, False, False)
    return write_draft(case, result.out_dir)


def _run_later(later: list[Stage], case: Case, html: _Html | None, stamps: Stamps,
               force: bool, pdf: bool, result: BuildResult,
               meanwhile: Meanwhile | None = None, ready: list[Path] | None = None,
               barrier: Callable[[], None] = lambda: None) -> None:
    """Run the stale stages in ``later``; ``barrier`` runs once they are under way and
    before any file is written."""
    stale = [s for s in later if not stamps.fresh(s, force)]
    result.unchanged += [p for s in later if s not in stale for p in s.outputs]
    if not pdf:
        barrier()
        for stage in stale:
            result.removed += stamps.discard(stage)
        return

    if not parallel(len(stale)):
        meanwhile = None  # nothing renders beside it: the caller reads the files later

    def finished(stage: Stage, files: dict[Path, bytes]) -> None:
        for path, data in files.items():
            write_atomic(path, data)
        stamps.done(stage)
        result.built += stage.outputs
        if meanwhile is not None:
            meanwhile(stage.outputs)

    fresh = [p for s in later if s not in stale for p in s.outputs]
    first = [*(ready or []), *fresh]
    run_jobs([(s, job(s, case, html.print_html if html else None)) for s in stale], finished,
             barrier, (lambda: meanwhile(first)) if meanwhile is not None and first else None)


class _Html:
    """The HTML stage's product: written files, and the print HTML behind each PDF
    (rendered again only when a PDF must be made and the HTML stage was fresh)."""

    def __init__(self, case: Case, digests: dict[str, str], printed: dict[str, str]):
        self.case, self.digests, self.printed = case, digests, printed

    def print_digests(self) -> dict[str, str]:
        return self.digests

    def print_html(self, doc: str) -> str:
        if not self.printed:
            self.printed = _render_html(self.case)[1]
        return self.printed[doc]


def _render_html(case: Case) -> tuple[dict[str, str | bytes], dict[str, str]]:
    """Validate, then render every document's web HTML (and the plan's CSV) and print
    HTML."""
    from pipeline.report.render import (
        parse_report,
        render_action_plan,
        render_report,
        render_summary,
    )

    parsed = parse_report(case)
    _, problems = _validated(case, parsed)
    errors = [p for p in problems if not p.warning]
    if errors:
        raise CheckFailed(errors)
    report = render_report(case, parsed)
    summary_web, summary_print = render_summary(case, parsed)
    plan_web, plan_print, plan_csv = render_action_plan(case, parsed)
    web = {"report.html": report.web_html, "summary.html": summary_web,
           "action-plan.html": plan_web, "action-plan.csv": plan_csv}
    printed = {"report": report.print_html, "summary": summary_print,
               "action-plan": plan_print}
    return web, printed


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _html_stage(case: Case, out_dir: Path, stamps: Stamps, force: bool,
                result: BuildResult) -> tuple[_Html, Callable[[], None]]:
    """The web and print HTML, and what writes the web files (when the gate allows)."""
    stage = stages_for(case, out_dir, {})["html"]
    if stamps.fresh(stage, force):
        result.unchanged += stage.outputs
        return _Html(case, stamps.get("html").get("print", {}), {}), lambda: None
    web, printed = _render_html(case)
    digests = {doc: _sha(html) for doc, html in printed.items()}

    def write() -> None:
        for name, data in web.items():
            write_atomic(out_dir / name, data)
        stamps.done(stage, print=digests)
        result.built += stage.outputs

    return _Html(case, digests, printed), write


# -- pseudonymisation --------------------------------------------------------------------

def pseudonymise_stage(case: Case, key_path: Path, out_root: Path, stamps: Stamps,
                       force: bool, reveal: bool, result: BuildResult) -> Case:
    """Pseudonymise into build/<id>/source/, gate the result, and hand back the review as
    it is there: every later stage reads only pseudonymised text."""
    case, gate = pseudonymised(case, key_path, out_root, stamps, force, reveal, result)
    gate()
    return case


def pseudonymised(case: Case, key_path: Path, out_root: Path, stamps: Stamps, force: bool,
                  reveal: bool, result: BuildResult) -> tuple[Case, Callable[[], None]]:
    """Pseudonymise into build/<id>/source/; hand back the review as it is there and the
    redaction gate on it, which raises ``CheckFailed`` on a leak (and does nothing when
    the stage was fresh). The caller runs the gate before writing anything made from the
    review."""
    from pipeline.case.key import load_key
    from pipeline.gate.ner import warm
    from pipeline.gate.output import text as gate_text
    from pipeline.gate.setup import gate_for
    from pipeline.pseudonymise.replace import pseudonymise_case

    out_dir = out_root / case.id
    source_dir = out_dir / SOURCE_DIR
    # validated even when the stage is skipped
    key = result.key = result.key or load_key(key_path)
    stage = Stage("pseudonymise",
                  [source_dir / case.report_path.name, source_dir / case.action_plan_path.name,
                   out_dir / LOG_FILE],
                  [("key", key_path), *_sources(case)], [str(reveal)],
                  ("pipeline.pseudonymise.replace", "pipeline.gate.setup"),
                  ("redaction_rules",))
    if stamps.fresh(stage, force):
        result.unchanged.append(stage.outputs[0])
        return load_case(source_dir), lambda: None
    warm()  # the gate below reads with the language model: it loads meanwhile
    outcome = pseudonymise_case(case, key, out_dir, reveal=reveal)

    def gate() -> None:
        checked = gate_for([case], key=key, out_root=out_root).check(
            [source_dir / case.report_path.name, source_dir / case.action_plan_path.name])
        if checked.blocking:
            lines = gate_text(checked, reveal).splitlines()
            raise CheckFailed([Problem(None, None, line) for line in lines
                               if not line.startswith("#")])
        stamps.done(stage)
        result.built += [stage.outputs[0], out_dir / LOG_FILE]
        result.counts = outcome.counts

    return load_case(source_dir), gate
