"""The publication set's documents, each declared once.

Takes nothing; gives ``DOCUMENTS``: for each document its title, the short name used in
published file names, the files the build writes for it (with their format) and the
submission bundles that carry it. The build renders what is declared here, the packager
copies it, ``dhr outputs`` lists it for the gate, and a site profile names documents by
these keys. Adding a document or a format is one entry here and its renderer in
``pipeline.build.stages``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Output:
    file: str     # relative to build/<id>/
    format: str   # as a reader sees it: HTML, PDF, CSV

    @property
    def suffix(self) -> str:
        return Path(self.file).suffix


@dataclass(frozen=True)
class Document:
    key: str
    title: str
    slug: str
    outputs: tuple[Output, ...]
    bundles: tuple[str, ...] = ()
    needs: str | None = None  # the case.yaml section without which it is not built
    # which stage renders it: "set" (parsed with the report, HTML then PDF from its print
    # HTML), "form" or "briefing"
    renderer: str = "set"

    def output(self, fmt: str) -> Output | None:
        return next((o for o in self.outputs if o.format == fmt), None)


def _doc(key: str, title: str, slug: str, files: list[tuple[str, str]],
         bundles: tuple[str, ...] = (), needs: str | None = None) -> Document:
    return Document(key, title, slug, tuple(Output(f, fmt) for f, fmt in files), bundles,
                    needs, needs or "set")


DOCUMENTS: dict[str, Document] = {d.key: d for d in (
    _doc("report", "Overview report", "overview-report",
         [("report.html", "HTML"), ("report.pdf", "PDF")],
         ("home-office", "da-commissioner")),
    _doc("summary", "Executive summary", "executive-summary",
         [("summary.html", "HTML"), ("summary.pdf", "PDF")],
         ("home-office", "da-commissioner")),
    _doc("action-plan", "Action plan", "action-plan",
         [("action-plan.html", "HTML"), ("action-plan.pdf", "PDF"),
          ("action-plan.csv", "CSV")],
         ("home-office", "da-commissioner")),
    _doc("briefing", "7-minute briefing", "7-minute-briefing",
         [("briefing.html", "HTML"), ("briefing.pdf", "PDF")],
         ("da-commissioner",), needs="briefing"),
    _doc("form", "Home Office data-collection form", "data-collection-form",
         [("form/form.pdf", "PDF")], ("home-office",), needs="form"),
)}

# What each submission bundle takes of its documents' formats: the QA panel reads PDFs.
BUNDLE_FORMATS = {"home-office": ("PDF", "CSV"), "da-commissioner": ("HTML", "PDF", "CSV")}


def rendered_by(renderer: str) -> list[Document]:
    return [d for d in DOCUMENTS.values() if d.renderer == renderer]
