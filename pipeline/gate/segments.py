"""The gate's reading, as data: ``Segment`` (a piece of text and where it came from),
``Unreadable`` and ``Forbidden`` (files it cannot vouch for), ``Extraction`` (all of them
for one run), and the decoded view of a link target.

Takes nothing; ``pipeline.gate.extract`` and its readers (``pdf_read``, ``docx``) fill an
``Extraction``, and ``pipeline.gate.engine`` checks it.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from urllib.parse import unquote


@dataclass
class Segment:
    path: str
    text: str
    where: str  # "text", "comment", "attribute alt of <img>", "PDF page", ...
    line: int | None = None  # line of the segment's first character
    page: int | None = None
    line_starts: list[int] | None = None  # offsets of each line start, for text files
    marks: list[tuple[int, int]] | None = None  # (offset, source line), for HTML text

    def locate(self, offset: int) -> tuple[int | None, int | None]:
        """(line, column) of an offset in this segment, 1-based, where known."""
        if self.line_starts is not None:
            index = bisect_right(self.line_starts, offset) - 1
            return self.line + index, offset - self.line_starts[index] + 1
        if self.marks:
            index = bisect_right([m[0] for m in self.marks], offset) - 1
            return self.marks[max(index, 0)][1], None
        return self.line, None


@dataclass
class Unreadable:
    path: str
    message: str
    digest: str = ""  # what the file is: its content hash (or a zip member's CRC and sizes)


@dataclass
class Forbidden:
    path: str
    message: str
    digest: str = ""


def content_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Extraction:
    segments: list[Segment] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)
    forbidden: list[Forbidden] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    # A package repeats the same PDF in several places (each site, each bundle): what
    # was read from a file's bytes once is reused, under its new path.
    seen: dict[bytes, tuple[int, int, str]] = field(default_factory=dict)
    # ... and by a gate's earlier runs (the set's files, then their copies in packages):
    # content digest -> (the path it was read under, its segments). A gate owns it.
    read_before: dict[bytes, tuple[str, list[Segment]]] = field(default_factory=dict)
    # A package's own manifest.json says what it may publish (pseudonyms, chair,
    # agencies): zip path -> those names, allowed only inside that zip.
    publishable: dict[str, list[str]] = field(default_factory=dict)
    # ... and which findings its chair reviewed and accepted: zip path -> fingerprints.
    package_accepted: dict[str, dict[str, dict]] = field(default_factory=dict)


class FileError(Exception):
    """A command-line PATH that does not exist (the CLI exits 2: the command line is
    wrong). A file that exists but cannot be read is an ``Unreadable`` finding instead,
    so the other paths are still checked and the report is still complete."""


def url_view(url: str, display: str, out: Extraction, line: int | None,
              page: int | None = None, where: str = "link target") -> None:
    """Names in links hide behind %20, hyphens and dots: 'sarah-whitfield' -> words."""
    words = re.sub(r"[-_.+/=?&#:%]+", " ", unquote(unquote(url)))
    out.segments.append(Segment(display, words, f"{where} (decoded)", line=line, page=page))
