"""The staged build: review folder -> ``build/<id>/``.

Takes a review folder; runs the stages in order and writes each stage's outputs
atomically. A stage is skipped when its inputs are unchanged since it last succeeded: its
stamp in ``build/<id>/.stamps/`` records a digest of the review's files, the templates,
the pipeline's own source and version. The PDF stage is also keyed on the print HTML it
is made from, so an edit that changes nothing printed (a chair's comment) does not
re-render the PDF.

Stages so far: validate (``pipeline.structure``), report HTML (``pipeline.render``),
report PDF (``pipeline.pdf``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .case import Case, load_case
from .errors import CheckFailed, Problem
from .fsutil import digest_files, write_atomic
from .render import catalogue, parse_report, render_report
from .structure import check
from .templates import report_templates

PACKAGE_DIR = Path(__file__).resolve().parent


@dataclass
class BuildResult:
    case: Case
    out_dir: Path
    built: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)


def validate_case(case_dir: Path) -> tuple[Case, list[Problem]]:
    """Load and check a review; input errors raise, structure problems are returned."""
    case = load_case(case_dir)
    parsed = parse_report(case)
    return case, check(parsed.outline, case, catalogue(), case.report_path)


def input_digest(case: Case) -> str:
    roots = {
        "case": (case.folder, case.input_files()),
        "templates": (report_templates(), report_templates().rglob("*")),
        "pipeline": (PACKAGE_DIR, [*PACKAGE_DIR.rglob("*.py"), *PACKAGE_DIR.rglob("*.json")]),
    }
    files = [
        (f"{name}/{path.relative_to(root).as_posix()}", path)
        for name, (root, paths) in roots.items() for path in paths if path.is_file()
    ]
    return digest_files(files, __version__)


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


def build_report(case_dir: Path, out_root: Path = Path("build"), force: bool = False,
                 pdf: bool = True) -> BuildResult:
    case = load_case(case_dir)
    out_dir = out_root / case.id
    result = BuildResult(case, out_dir)
    stamps = Stamps(out_dir)
    html_path, pdf_path = out_dir / "report.html", out_dir / "report.pdf"
    digest = input_digest(case)

    html_fresh = (not force and stamps.get("report-html").get("inputs") == digest
                  and html_path.is_file())
    pdf_fresh = (not pdf or (not force and stamps.get("report-pdf").get("inputs") == digest
                             and pdf_path.is_file()))
    if html_fresh and pdf_fresh:
        result.unchanged += [html_path] + ([pdf_path] if pdf else [])
        return result

    parsed = parse_report(case)
    problems = check(parsed.outline, case, catalogue(), case.report_path)
    if problems:
        raise CheckFailed(problems)
    rendered = render_report(case, parsed)
    if html_fresh:
        result.unchanged.append(html_path)
    else:
        write_atomic(html_path, rendered.web_html)
        stamps.put("report-html", inputs=digest)
        result.built.append(html_path)
    if pdf:
        _pdf_stage(case, rendered.print_html, pdf_path, stamps, digest, force, result)
    return result


def _pdf_stage(case: Case, print_html: str, pdf_path: Path, stamps: Stamps, digest: str,
               force: bool, result: BuildResult) -> None:
    from .pdf import html_to_pdf

    # The writer's own code is part of the key: a fix to it must re-render.
    html_digest = hashlib.sha256(
        print_html.encode("utf-8") + (PACKAGE_DIR / "pdf.py").read_bytes() + __version__.encode()
    ).hexdigest()
    if (not force and stamps.get("report-pdf").get("print_html") == html_digest
            and pdf_path.is_file()):
        stamps.put("report-pdf", inputs=digest, print_html=html_digest)
        result.unchanged.append(pdf_path)
        return
    data = html_to_pdf(print_html, case.folder, case.report_path)
    write_atomic(pdf_path, data)
    stamps.put("report-pdf", inputs=digest, print_html=html_digest)
    result.built.append(pdf_path)
