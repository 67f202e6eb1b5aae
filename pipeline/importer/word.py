"""``dhr import``: a chair's Word draft -> the review folder's ``report.md`` and ``images/``.

Takes a .docx and a review folder; produces ``report.md`` (written atomically) and the
pictures the draft holds in ``images/``, and an ``Imported`` record of what it did: each
level-1 heading and the Home Office section it was matched to (exact, synonym, the
review's own mapping, a close match, or none), typed numbers stripped, merged table
cells, images without alt text, hidden text (pandoc imports it as visible text, so it is
said), and the document properties that name people (reported, never copied). Tracked
changes and comments are never silently accepted or dropped: unless ``accept_changes`` is
given the import is refused with a list of them (paragraph, kind, author masked). The
conversion is pandoc's (``pipeline.importer.pandoc``), its tree written as report
Markdown by ``pipeline.importer.writer``. The same .docx gives the same bytes.
"""

from __future__ import annotations

import difflib
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from pipeline.common.errors import CheckFailed, InputError, Problem
from pipeline.common.fsutil import write_atomic
from pipeline.gate.output import mask
from pipeline.importer.pandoc import docx_tree
from pipeline.importer.writer import Writer
from pipeline.report.md import Catalogue
from pipeline.report.md.sections import normalise

REPORT = "report.md"
IMAGES = "images"
CLOSE_MATCH = 0.85  # difflib ratio above which a heading is taken as a misspelt title
# Document properties that hold people's names or their machines' paths.
PERSONAL_PROPERTIES = ("creator", "lastModifiedBy", "Company", "Manager", "Template",
                       "attachedTemplate")


@dataclass
class Heading:
    text: str  # as the chair wrote it, typed number removed
    section: str | None  # section title it matched, or None
    how: str  # exact, synonym, case.yaml, close match, appendix, unmatched
    written: str  # the heading as report.md has it


@dataclass
class Imported:
    report: Path
    images: list[Path] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)  # warnings to print
    dropped: int = 0  # paragraphs before the first heading (cover, contents)


def import_docx(source: Path, case_dir: Path, catalogue: Catalogue, force: bool = False,
                accept_changes: bool = False) -> Imported:
    data = _read(source)
    report = case_dir / REPORT
    if report.exists() and not force:
        raise InputError.at(report, None, "already exists; give --force to replace it with "
                                          f"the import of {source.name}")
    tree = docx_tree(source)
    blocks = tree["blocks"]
    first = next((i for i, b in enumerate(blocks) if b["t"] == "Header" and b["c"][0] == 1),
                 None)
    if first is None:
        raise InputError.at(source, None, "no level-1 heading (Word style 'Heading 1'); "
                                          "the report's sections must be Heading 1")
    writer = Writer(accept_changes)
    for block in blocks[:first]:
        writer.block(block)  # cover and contents: not imported, but changes still count
    written = writer.document(blocks[first:])
    if written.changes:
        problems = [Problem(source, None, f"paragraph {c.paragraph}: {_describe(c)}")
                    for c in written.changes]
        problems.append(Problem(source, None, "unresolved tracked changes or comments: "
                                "resolve them in Word, or give --accept-changes to accept "
                                "every change and keep comments as <!-- --> notes"))
        raise CheckFailed(problems)
    result = Imported(report, dropped=sum(1 for b in blocks[:first]
                                          if b["t"] in ("Para", "Plain", "Header")))
    markdown = written.markdown
    for _, text in written.headings:
        heading = _match(text, catalogue)
        if heading.written != text:
            markdown = markdown.replace(f"\n# {text}\n", f"\n# {heading.written}\n", 1)
            if markdown.startswith(f"# {text}\n"):
                markdown = f"# {heading.written}\n" + markdown[len(text) + 3:]
        result.headings.append(heading)
    result.images = _images(data, written.images, case_dir)
    write_atomic(report, markdown)
    result.notes += _notes(source, written, data)
    return result


def _read(source: Path) -> bytes:
    from pipeline.gate.docx import NotWord, read_docx

    if source.suffix.lower() != ".docx":
        raise InputError.at(source, None, "not a .docx file; save the draft from Word as "
                                          "Word Document (.docx)")
    try:
        data = source.read_bytes()
    except FileNotFoundError:
        raise InputError.at(source, None, "file not found") from None
    except OSError as exc:
        raise InputError.at(source, None, f"cannot read: {exc.strerror}") from None
    try:
        read_docx(data)
    except NotWord as exc:
        raise InputError.at(source, None, str(exc)) from None
    return data


def _describe(change) -> str:
    who = f" by {mask(change.author)}" if change.author else ""
    words = change.text if len(change.text) <= 60 else change.text[:57] + "..."
    return f"{'comment' if change.kind == 'comment' else 'tracked ' + change.kind}{who}: " \
           f"\"{words}\""


def _match(text: str, catalogue: Catalogue) -> Heading:
    wanted = normalise(text)
    for mapped, key in catalogue.mapped:
        if mapped == wanted:
            return Heading(text, catalogue.spec(key).title, "case.yaml", text)
    for spec in catalogue.sections:
        if wanted == normalise(spec.title):
            return Heading(text, spec.title, "exact", text)
        if wanted in {normalise(s) for s in spec.synonyms}:
            return Heading(text, spec.title, "synonym", text)
    if catalogue.is_appendix(text):
        return Heading(text, None, "appendix", text)
    names = {normalise(name): spec for spec in catalogue.sections
             for name in (spec.title, *spec.synonyms)}
    close = difflib.get_close_matches(wanted, list(names), n=1, cutoff=CLOSE_MATCH)
    if close:
        spec = names[close[0]]
        return Heading(text, spec.title, "close match", spec.title)
    return Heading(text, None, "unmatched", text)


def _images(data: bytes, images: list[tuple[str, str]], case_dir: Path) -> list[Path]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    members = set(archive.namelist())
    written: list[Path] = []
    for src, name in sorted(set(images)):
        member = str(PurePosixPath("word") / src)
        if member not in members:
            continue  # a linked (not embedded) picture: validate reports the missing file
        target = case_dir / IMAGES / name
        write_atomic(target, archive.read(member))
        written.append(target)
    return written


def _notes(source: Path, written, data: bytes) -> list[Problem]:
    from pipeline.gate.docx import read_docx

    notes = [Problem(source, None, message, warning=True) for message in written.merged]
    for paragraph in written.no_alt:
        notes.append(Problem(source, None, f"paragraph {paragraph}: image without alt text; "
                             "write what it shows in report.md", warning=True))
    if written.deep:
        notes.append(Problem(source, None, f"{written.deep} heading(s) below level 3 "
                             "written as level 3", warning=True))
    for piece in read_docx(data).pieces:
        if piece.where == "Word body: hidden text":
            notes.append(Problem(source, None, f"hidden text in Word paragraph "
                                 f"{piece.paragraph} ('{mask(piece.text.strip())}') is "
                                 "imported as visible text: delete it from report.md if it "
                                 "must not be published", warning=True))
            continue
        name = piece.where.rsplit(" ", 1)[-1]
        if piece.where.startswith(("Word core property", "Word app property",
                                   "Word attachedTemplate")) and (
                name in PERSONAL_PROPERTIES or "attachedTemplate" in piece.where):
            label = "template" if "attachedTemplate" in piece.where else name
            if name == "Template" and piece.text.casefold() in ("normal.dotm", "normal.dot"):
                continue  # Word's own default template names no one
            notes.append(Problem(source, None, f"document property '{label}' is "
                                 f"'{mask(piece.text)}': not copied into the review; clear "
                                 "it in Word (File > Info > Check for Issues > Inspect "
                                 "Document) before the file goes further", warning=True))
    return notes
