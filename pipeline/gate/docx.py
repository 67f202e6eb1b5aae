"""What the gate reads in a Word file: a .docx (bytes) -> ``Piece``s of text, each with its place.

Takes the bytes of a .docx; produces ``Piece``s (text, where, paragraph) for every place
Word keeps text a reader of the page may never see, and the embedded files to read in
turn. The places are those Word's Document Inspector lists: the body, headers and footers,
footnotes and endnotes, comments and their authors, tracked insertions **and deletions**
and their authors, hidden text, alt text and image names, hyperlink and template targets,
field codes, embedded files, custom XML, and the core, app and custom properties.

python-docx opens the package (it checks it is a Word document and gives the parts by
relationship); lxml reads each part's XML directly, because no library exposes deleted
text, hidden runs, custom XML or app properties. Nothing here knows about names: the gate
(``pipeline.gate.engine``) checks the pieces like any other text.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
NS = {"w": W, "wp": WP, "pic": PIC}
# Word parts whose paragraphs are text a reader sees (or can make visible), by file name
# stem, with how a finding names the place.
TEXT_PARTS = {"document": "Word body", "header": "Word header", "footer": "Word footer",
              "footnotes": "Word footnote", "endnotes": "Word endnote",
              "comments": "Word comment", "commentsExtended": "Word comment",
              "glossary": "Word building block"}
PROPERTY_PARTS = {"docProps/core.xml": "Word core property",
                  "docProps/app.xml": "Word app property",
                  "docProps/custom.xml": "Word custom property"}
AUTHOR_ATTRS = ("author", "initials", "userId", "providerId")
MAX_PART = 50 * 1024 * 1024  # bytes one XML part may expand to


@dataclass(frozen=True)
class Piece:
    text: str
    where: str
    paragraph: int | None = None  # 1-based, within its part


@dataclass
class WordContents:
    pieces: list[Piece] = field(default_factory=list)
    links: list[Piece] = field(default_factory=list)  # targets, to read decoded as well
    embedded: list[tuple[str, bytes]] = field(default_factory=list)  # (member name, bytes)
    problems: list[str] = field(default_factory=list)


class NotWord(Exception):
    """The bytes are not a readable Word document."""


def extract_into(data: bytes, display: str, out, depth: int, *, segment, unreadable,
                 url_view, read_file, max_depth: int) -> None:
    """The gate's hook (``pipeline.gate.extract``): the pieces become its segments (a
    paragraph is a line), link targets are also read decoded, and embedded files are read
    in turn. The gate's own types and readers are passed in, so this module imports none
    of it."""
    try:
        word = read_docx(data)
    except NotWord as exc:
        out.unreadable.append(unreadable(display, str(exc)))
        return
    for piece in word.pieces:
        starts = [0] + [i + 1 for i, c in enumerate(piece.text) if c == "\n"]
        out.segments.append(segment(display, piece.text, piece.where, line=piece.paragraph,
                                    line_starts=starts if piece.paragraph else None))
    for link in word.links:
        url_view(link.text, display, out, link.paragraph, where=link.where)
    out.unreadable += [unreadable(display, problem) for problem in word.problems]
    for name, content in word.embedded:
        inner = f"{display}!{name}"
        if depth >= max_depth:
            out.unreadable.append(unreadable(inner, "embedded too deep"))
        else:  # read, not judged as a published file: the .docx itself is
            read_file(content, inner, out, depth + 1, package=False)


def read_docx(data: bytes) -> WordContents:
    """Every place in a .docx that can hold identifying text. Raises ``NotWord``."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise NotWord(f"corrupt Word file: {exc}") from None
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        raise NotWord("not a Word document (no word/document.xml)")
    _check_opens(data)
    out = WordContents()
    for name in sorted(names):
        info = archive.getinfo(name)
        if info.is_dir():
            continue
        if info.file_size > MAX_PART:
            out.problems.append(f"{name}: part would expand past a sane size; not read")
            continue
        content = archive.read(info)
        path = PurePosixPath(name)
        if name.endswith(".rels"):
            _relationships(content, name, out)
        elif name.startswith("word/") and path.suffix == ".xml" and _text_place(path):
            _paragraphs(_parse(content, name, out), _text_place(path), out)
        elif name in PROPERTY_PARTS:
            _properties(_parse(content, name, out), PROPERTY_PARTS[name], out)
        elif name.startswith("customXml/") and path.suffix == ".xml":
            root = _parse(content, name, out)
            if root is not None:
                text = " ".join(_all_text(root))
                if text.strip():
                    out.pieces.append(Piece(text, f"Word custom XML ({path.name})"))
        elif name == "word/people.xml":
            root = _parse(content, name, out)
            if root is not None:
                _authors(root, "Word reviewer", out)
        elif name.startswith(("word/media/", "word/embeddings/")):
            out.pieces.append(Piece(path.name, "Word embedded file name"))
            out.embedded.append((name, content))
    return out


def _check_opens(data: bytes) -> None:
    """python-docx refuses what Word would refuse (wrong main part type, broken package)."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, ValueError, KeyError, etree.XMLSyntaxError) as exc:
        raise NotWord(f"not a readable Word document: {exc}") from None


def _text_place(path: PurePosixPath) -> str | None:
    stem = path.stem.rstrip("0123456789")
    return TEXT_PARTS.get(stem)


def _parse(content: bytes, name: str, out: WordContents):
    # resolve_entities=False and no network: a hostile part cannot pull anything in.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        out.problems.append(f"{name}: corrupt XML: {exc}")
        return None


def _paragraphs(root, place: str | None, out: WordContents) -> None:
    if root is None or place is None:
        return
    visible: list[str] = []
    for number, paragraph in enumerate(root.iter(f"{{{W}}}p"), start=1):
        if paragraph.getparent() is not None and _inside_paragraph(paragraph):
            continue  # a text box's paragraph is read with its own (outer) paragraph
        text = "".join(_run_text(paragraph, deleted=False))
        visible.append(text)
        for kind, tag in (("insertion", "ins"), ("deletion", "del")):
            for change in paragraph.iter(f"{{{W}}}{tag}"):
                changed = "".join(_run_text(change, deleted=kind == "deletion"))
                if changed.strip():
                    out.pieces.append(Piece(changed, f"{place}: tracked {kind}", number))
        hidden = "".join(t for run in paragraph.iter(f"{{{W}}}r") if _hidden(run)
                         for t in _run_text(run, deleted=False))
        if hidden.strip():
            out.pieces.append(Piece(hidden, f"{place}: hidden text", number))
        codes = " ".join(t.text or "" for t in paragraph.iter(f"{{{W}}}instrText"))
        if codes.strip():
            out.pieces.append(Piece(codes, f"{place}: field code", number))
            out.links.append(Piece(codes, f"{place}: field code", number))
        for doc_pr in paragraph.iter(f"{{{WP}}}docPr", f"{{{PIC}}}cNvPr"):
            for attr, label in (("descr", "alt text"), ("title", "alt text title"),
                                ("name", "image name")):
                value = doc_pr.get(attr)
                if value:
                    out.pieces.append(Piece(value, f"{place}: {label}", number))
    if any(t.strip() for t in visible):
        # One piece per part, paragraphs on their own lines, so a finding's line is its
        # paragraph and a name split across runs stays whole.
        out.pieces.append(Piece("\n".join(visible), place, 1))
    _authors(root, place, out)


def _inside_paragraph(paragraph) -> bool:
    parent = paragraph.getparent()
    while parent is not None:
        if parent.tag == f"{{{W}}}p":
            return True
        parent = parent.getparent()
    return False


def _run_text(element, deleted: bool) -> Iterator[str]:
    """Text of the runs under ``element``; ``deleted`` reads w:delText (what a tracked
    deletion still holds) instead of w:t."""
    wanted = f"{{{W}}}delText" if deleted else f"{{{W}}}t"
    for node in element.iter(wanted, f"{{{W}}}tab", f"{{{W}}}br", f"{{{W}}}cr"):
        if node.tag == wanted:
            yield node.text or ""
        elif not deleted:
            yield " "


def _hidden(run) -> bool:
    vanish = run.find("w:rPr/w:vanish", NS)
    return vanish is not None and vanish.get(f"{{{W}}}val", "true") not in ("0", "false")


def _authors(root, place: str, out: WordContents) -> None:
    seen: set[str] = set()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for attr in AUTHOR_ATTRS:
            value = element.get(f"{{{W}}}{attr}") or element.get(
                f"{{http://schemas.microsoft.com/office/word/2012/wordml}}{attr}")
            if value and value not in seen:
                seen.add(value)
                out.pieces.append(Piece(value, f"{place}: {attr}"))


def _properties(root, place: str, out: WordContents) -> None:
    if root is None:
        return
    for element in root.iter():
        if not isinstance(element.tag, str) or not (element.text or "").strip():
            continue
        name = etree.QName(element).localname
        parent = element.getparent()
        if parent is not None and etree.QName(parent).localname == "property":
            name = parent.get("name", name)  # custom properties: the value under its name
            out.pieces.append(Piece(name, f"{place} name"))
        out.pieces.append(Piece(element.text.strip(), f"{place} {name}"))


def _relationships(content: bytes, name: str, out: WordContents) -> None:
    """External targets: hyperlinks, the attached template's path, linked images."""
    root = _parse(content, name, out)
    if root is None:
        return
    for rel in root:
        if rel.get("TargetMode") != "External":
            continue
        kind = (rel.get("Type") or "").rsplit("/", 1)[-1] or "link"
        piece = Piece(rel.get("Target") or "", f"Word {kind} target ({PurePosixPath(name).name})")
        out.pieces.append(piece)
        out.links.append(piece)


def _all_text(root) -> Iterator[str]:
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        yield from (v for v in element.attrib.values())
        if element.text and element.text.strip():
            yield element.text.strip()
