"""A finding of the redaction gate, and the result of a run.

Takes what a layer found (or a file the gate could not read); produces ``Finding``s with
their explanation, severity and fingerprint for reviewed exceptions, and ``GateResult``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from pipeline.gate.extract import Forbidden, Unreadable
from pipeline.gate.names import normalise

FILE_RULES = ("unreadable", "forbidden-file")


@dataclass
class Finding:
    path: str
    line: int | None
    page: int | None
    column: int | None
    text: str
    entity_type: str
    rule: str
    severity: str
    score: float
    message: str
    kind: str  # evaluation category: key-name, nhs, ner-person, ...
    where: str  # the part of the file: text, PDF metadata /Author, HTML comment ...
    explanation: dict = field(default_factory=dict)
    accepted: dict | None = None
    start: int = 0
    end: int = 0
    priority: int = 0
    subject: str = ""  # an unreadable or forbidden file: its content digest
    fixed_fingerprint: str = ""  # kept when a report masks the path it was made from

    @property
    def fingerprint(self) -> str:
        if self.fixed_fingerprint:
            return self.fixed_fingerprint
        if self.rule in FILE_RULES:
            # A file the gate could not vouch for is known by its own bytes and name: a
            # chair who accepted one encrypted PDF has not accepted every zip bomb.
            member = self.path.rsplit("!", 1)[-1].replace("\\", "/")
            member = member if "!" in self.path else PurePosixPath(member).name
            raw = f"{self.rule}\0{self.subject or self.path}\0{member}\0{self.message}"
        else:
            # The rule and the text, not the place: accepting "this text is safe" in the
            # source carries over to the rendered HTML and PDF, and survives edits
            # elsewhere.
            raw = f"{self.rule}\0{normalise(self.text)}"
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]

    @property
    def blocking(self) -> bool:
        return self.severity == "block" and self.accepted is None


@dataclass
class GateResult:
    findings: list[Finding]
    checked: list[str]

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.blocking]


# -- the gate -------------------------------------------------------------------------


def problem_finding(problem: Unreadable | Forbidden) -> Finding:
    if isinstance(problem, Unreadable):
        return Finding(problem.path, None, None, None, "", "UNREADABLE", "unreadable", "block",
                       1.0, f"cannot be read, so cannot be vouched for: {problem.message}",
                       "artefact", "file", subject=problem.digest)
    return Finding(problem.path, None, None, None, "", "FORBIDDEN_FILE", "forbidden-file",
                   "block", 1.0, problem.message, "artefact", "file", subject=problem.digest)
