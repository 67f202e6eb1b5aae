"""What the gate reads: every file -> the text segments that would be published.

Takes paths (a review folder, a folder, Markdown, HTML, text, PDF or zip files);
produces ``Segment``s, each a piece of text with where it came from: a source line, a
PDF page, a metadata field, a bookmark, an annotation, a form field, an attachment, an
HTML attribute or comment, a link target, a file name inside a package. Nothing is
trusted: a zip member that escapes the archive or would expand past a sane size, an
encrypted or corrupt PDF, a file that is not what its name says are reported as
``Unreadable`` (the gate blocks on what it cannot vouch for). Archives are read in
memory, never extracted to disk.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from bisect import bisect_right
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from pipeline.gate.pdf_read import MAX_DEPTH, read_pdf
from pipeline.gate.segments import (
    Extraction,
    FileError,
    Forbidden,
    Segment,
    Unreadable,
    content_digest,
    url_view,
)

MAX_MEMBER = 200 * 1024 * 1024  # bytes one zip member may expand to
MAX_TOTAL = 1024 * 1024 * 1024  # bytes a whole package may expand to
MAX_RATIO = 200  # expansion ratio that marks a zip bomb
REVEAL_MARKER = "dhr-check-revealed-output"  # written into every --reveal report


TEXT_SUFFIXES = {".md", ".markdown", ".txt", ".yaml", ".yml", ".csv", ".json", ".xml",
                 ".sarif", ".css"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".ico", ".emf", ".wmf",
                  ".bmp", ".tif", ".tiff"}
DRAFT_SUFFIXES = {".docx", ".doc", ".odt", ".rtf", ".md", ".markdown", ".pages"}
KEY_NAME = re.compile(r"(^|[-_.])key([-_.].*)?\.ya?ml$", re.I)
SKIP_IN_REVIEW = {"gate-accepted.yaml"}


# -- entry points -----------------------------------------------------------------------

def extract(path: Path, out: Extraction) -> None:
    """Extract one command-line PATH. Errors about PATH itself raise FileError."""
    if not path.exists():
        raise FileError(f"{path}: not found")
    if path.is_dir():
        review = (path / "case.yaml").is_file()
        for child in sorted(path.rglob("*")):
            relative = child.relative_to(path)
            if not child.is_file() or any(p.startswith(".") for p in relative.parts):
                continue
            if review and (KEY_NAME.search(child.name) or child.name in SKIP_IN_REVIEW):
                continue  # the key may sit beside a draft; it is never published
            _file(child.read_bytes(), str(child), out, depth=0, package=not review)
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        out.checked.append(str(path))
        out.unreadable.append(Unreadable(str(path), f"cannot read: {exc.strerror}",
                                         f"unread:{path.name}"))
        return
    _file(data, str(path), out, depth=0, package=False)


def _type_problem(name: str, data: bytes) -> str | None:
    suffix = PurePosixPath(name).suffix.lower()
    if suffix == ".pdf" and not data.startswith(b"%PDF"):
        return "named .pdf but is not a PDF"
    if suffix == ".zip" and not data.startswith(b"PK"):
        return "named .zip but is not a zip archive"
    if suffix == ".docx" and not data.startswith(b"PK"):
        return "named .docx but is not a Word document"
    if suffix in TEXT_SUFFIXES | HTML_SUFFIXES:
        if data.startswith((b"%PDF", b"PK\x03\x04")):
            return f"named {suffix} but is a {'PDF' if data.startswith(b'%PDF') else 'zip'}"
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return f"named {suffix} but is not UTF-8 text"
        return None
    if suffix in IMAGE_SUFFIXES or suffix in {".pdf", ".zip"} or suffix in DRAFT_SUFFIXES:
        return None
    return f"unknown file type '{suffix or name}'; the gate reads Markdown, HTML, text, PDF and zip"


def _file(data: bytes, display: str, out: Extraction, depth: int, package: bool) -> None:
    name = PurePosixPath(display.split("!")[-1]).name
    suffix = PurePosixPath(name).suffix.lower()
    out.checked.append(display)
    out.segments.append(Segment(display, _name_text(name), "file name"))
    if package:
        if KEY_NAME.search(name):
            out.forbidden.append(Forbidden(display, "a key file must never be published",
                                           content_digest(data)))
        elif suffix in DRAFT_SUFFIXES:
            out.forbidden.append(Forbidden(display, f"a {suffix} draft must never be published",
                                           content_digest(data)))
    problem = _type_problem(name, data)
    if problem:
        out.unreadable.append(Unreadable(display, problem, content_digest(data)))
        return
    if suffix in IMAGE_SUFFIXES:
        out.images.append(display)
        if suffix == ".svg":
            _text(data.decode("utf-8", "replace"), display, out)
        return
    # Each distinct content is read once, whichever package or bundle it was copied
    # into: the copy's segments are the first's, under its own path (so a finding names
    # every place it ships). A content that was unreadable or forbidden is read again.
    digest = hashlib.sha256(suffix.encode() + b"\0" + data).digest()
    if digest in out.seen:
        start, end, first = out.seen[digest]
        out.segments += [replace(s, path=display + s.path[len(first):])
                         for s in out.segments[start:end]]
        return
    if digest in out.read_before:
        first, segments = out.read_before[digest]
        out.segments += [replace(s, path=display + s.path[len(first):]) for s in segments]
        return
    start = len(out.segments)  # this file's own name is not copied
    problems = len(out.unreadable) + len(out.forbidden)
    unreadable = len(out.unreadable)
    _content(data, display, suffix, out, depth, package)
    # An unreadable file is known by its bytes, so accepting one never accepts another.
    for problem in out.unreadable[unreadable:]:
        if problem.path == display and not problem.digest:
            problem.digest = content_digest(data)
    if len(out.unreadable) + len(out.forbidden) == problems:
        out.seen[digest] = (start, len(out.segments), display)
        if suffix != ".zip":  # a package's manifest allows names only inside it: read it
            out.read_before[digest] = (display, out.segments[start:])


def _content(data: bytes, display: str, suffix: str, out: Extraction, depth: int,
             package: bool) -> None:
    if suffix == ".pdf":
        read_pdf(data, display, out, depth, _file)
    elif suffix == ".zip":
        _zip(data, display, out, depth)
    elif suffix == ".docx":  # pipeline.gate.docx, handed what it needs (no import circle)
        from pipeline.gate.docx import extract_into

        extract_into(data, display, out, depth, segment=Segment, unreadable=Unreadable,
                     url_view=url_view, read_file=_file, max_depth=MAX_DEPTH)
    elif suffix in HTML_SUFFIXES:
        text = data.decode("utf-8")
        _marker(text, display, out, package)
        _html(text, display, out)
    elif suffix in TEXT_SUFFIXES or suffix in DRAFT_SUFFIXES - {".docx", ".doc", ".odt",
                                                                  ".rtf", ".pages"}:
        text = data.decode("utf-8")
        _marker(text, display, out, package)
        _text(text, display, out)
    else:
        out.unreadable.append(Unreadable(display, "cannot read a file of this type",
                                         content_digest(data)))


def _marker(text: str, display: str, out: Extraction, package: bool) -> None:
    if REVEAL_MARKER in text:
        out.forbidden.append(Forbidden(display, "a gate report made with --reveal holds the "
                                                "identifying text it found",
                                       content_digest(text.encode("utf-8"))))


def _name_text(name: str) -> str:
    return re.sub(r"[-_.+]+", " ", unquote(name))


# -- text and Markdown --------------------------------------------------------------------

_URL = re.compile(r"(?:https?://|www\.)[^\s)\]>\"']+|\]\(([^)\s]+)")


def _text(text: str, display: str, out: Extraction) -> None:
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    out.segments.append(Segment(display, text, "text", line=1, line_starts=starts))
    for match in _URL.finditer(text):
        url = match.group(1) or match.group(0)
        line = bisect_right(starts, match.start()) if starts else 1
        url_view(url, display, out, line)


# -- HTML ---------------------------------------------------------------------------------

CHUNK = 2000  # characters of HTML text per segment, cut at a block boundary
BLOCK_TAGS = {"p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
              "section", "article", "header", "footer", "nav", "main", "aside", "table",
              "caption", "dt", "dd", "dl", "ul", "ol", "br", "hr", "blockquote", "figure",
              "figcaption", "pre", "title", "body", "head", "html", "details", "summary"}
URL_ATTRS = {"href", "src", "action", "cite", "poster", "data", "srcset", "xlink:href"}


class _HtmlText(HTMLParser):
    def __init__(self, display: str, out: Extraction):
        super().__init__(convert_charrefs=True)
        self.display, self.out = display, out
        self.pieces: list[str] = []
        self.marks: list[tuple[int, int]] = []  # (offset in text, source line)
        self.length = 0
        self.skip = 0  # inside <style>

    def _append(self, text: str, line: int) -> None:
        self.marks.append((self.length, line))
        self.pieces.append(text)
        self.length += len(text)

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        for name, value in attrs:
            if not value:
                continue
            self.out.segments.append(
                Segment(self.display, value, f"attribute {name} of <{tag}>", line=line))
            if name in URL_ATTRS:
                url_view(value, self.display, self.out, line,
                          where=f"attribute {name} of <{tag}>")
        if tag == "style":
            self.skip += 1
        if tag in BLOCK_TAGS:
            self._append("\n", line)

    def handle_endtag(self, tag):
        if tag == "style":
            self.skip = max(0, self.skip - 1)
        if tag in BLOCK_TAGS:
            self._append("\n", self.getpos()[0])

    def handle_data(self, data):
        if not self.skip:
            self._append(data, self.getpos()[0])

    def handle_comment(self, data):
        self.out.segments.append(
            Segment(self.display, data, "HTML comment", line=self.getpos()[0]))

    def handle_pi(self, data):
        self.handle_comment(data)


def _html(text: str, display: str, out: Extraction) -> None:
    parser = _HtmlText(display, out)
    parser.feed(text)
    parser.close()
    joined = "".join(parser.pieces)
    # Visible text in chunks that end at block boundaries, so a name split only by inline
    # tags (<em>Sarah</em> Whitfield) stays whole; each chunk keeps its source lines.
    marks, chunk_start = [], 0
    for index, (offset, line) in enumerate(parser.marks):
        marks.append((offset - chunk_start, line))
        end = parser.marks[index + 1][0] if index + 1 < len(parser.marks) else len(joined)
        if (joined[offset:end] == "\n" and end - chunk_start > CHUNK) or end == len(joined):
            chunk = joined[chunk_start:end]
            if chunk.strip():
                out.segments.append(Segment(display, chunk, "text", line=marks[0][1],
                                            marks=marks))
            marks, chunk_start = [], end


# -- zip ----------------------------------------------------------------------------------

def _zip(data: bytes, display: str, out: Extraction, depth: int) -> None:
    if depth >= MAX_DEPTH:
        out.unreadable.append(Unreadable(display, "archives nested too deep",
                                         content_digest(data)))
        return
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        out.unreadable.append(Unreadable(display, f"corrupt zip: {exc}", content_digest(data)))
        return
    total = 0
    for info in infos:
        if info.is_dir():
            continue
        inner = f"{display}!{info.filename}"
        total += info.file_size
        content = _member(archive, info, inner, total, out)
        if content is None:
            # Not read, but its name is still checked: a member named after a person is
            # a leak whether or not its content can be read.
            out.checked.append(inner)
            out.segments.append(Segment(inner, _name_text(PurePosixPath(
                info.filename.replace("\\", "/")).name), "file name"))
            continue
        if info.filename == "manifest.json":
            _manifest_names(content, display, out)
        _file(content, inner, out, depth + 1, package=True)


def _manifest_names(content: bytes, display: str, out: Extraction) -> None:
    import json

    try:
        manifest = json.loads(content.decode("utf-8"))
    except ValueError:
        return  # not a manifest dhr wrote: nothing is allowed from it
    if not isinstance(manifest, dict):
        return
    names = manifest.get("may_publish")
    if isinstance(names, list) and all(isinstance(n, str) for n in names):
        out.publishable[display] = names
    accepted = manifest.get("accepted_findings")
    if isinstance(accepted, list):
        out.package_accepted[display] = {
            str(a["fingerprint"]): {"reason": str(a.get("reason", "")),
                                    "accepted_by": f"{a.get('accepted_by', '')} (in the "
                                                   "package's manifest)"}
            for a in accepted if isinstance(a, dict) and a.get("fingerprint")}


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, inner: str, total: int,
            out: Extraction) -> bytes | None:
    """A member's bytes, or None (and an ``Unreadable``) when it must not be read."""
    # A member not read is known by what the archive says of it: its CRC and sizes.
    member = f"crc:{info.CRC:08x}:{info.file_size}:{info.compress_size}"
    parts = PurePosixPath(info.filename.replace("\\", "/")).parts
    if info.filename.startswith(("/", "\\")) or ".." in parts or re.match(r"^[A-Za-z]:",
                                                                       info.filename):
        out.unreadable.append(Unreadable(inner, "member path escapes the archive; not read",
                                         member))
        return None
    if info.flag_bits & 0x1:
        out.unreadable.append(Unreadable(inner, "encrypted zip member", member))
        return None
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > MAX_MEMBER or total > MAX_TOTAL or (
            ratio > MAX_RATIO and info.file_size > 1024 * 1024):
        out.unreadable.append(Unreadable(inner, "member would expand past a sane size "
                                                "(a zip bomb?); not read", member))
        return None
    try:
        with archive.open(info) as handle:
            content = handle.read(MAX_MEMBER + 1)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
        out.unreadable.append(Unreadable(inner, f"corrupt zip member: {exc}", member))
        return None
    if len(content) > MAX_MEMBER:
        out.unreadable.append(Unreadable(inner, "member expands past a sane size", member))
        return None
    return content
