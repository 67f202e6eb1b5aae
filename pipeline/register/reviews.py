"""One review folder -> the plain facts the register keeps about it.

Takes the folders given to ``dhr register``; finds every review under them (a folder with
``case.yaml``), fingerprints its source files, and reads a changed one into a ``Record``:
dates, the people as roles, age bands, sex, ethnicity and relationship (never names),
the recommendations (number, text, addressed agency), the lessons text and the action
plan. A review before its report exists (only ``case.yaml``) is read too, with no
recommendations. Bad input raises ``InputError`` (``file:line: message``). The key is
never read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

from pipeline.case.folder import CASE_FILE, DEFAULT_FILES, NEVER_INPUT, load_case
from pipeline.case.schema import validate
from pipeline.common.errors import InputError
from pipeline.common.yamlio import LocatedYaml, load_yaml

# Bump when what a Record holds changes: every review is then read again.
RECORD_VERSION = 1
CATEGORY_FROM_CASE_TYPE = {"Intimate partner": "intimate-partner", "Familial": "familial",
                           "Parricide": "familial", "Homicide-suicide": "intimate-partner",
                           "Suicide": "suicide"}
_AGENCY = re.compile(r"^\s*\*\*(.+?)\*\*")
_MARKUP = re.compile(r"\*\*|__|(?<!\w)[*_](?!\s)|(?<!\s)[*_](?!\w)|`")


@dataclass
class Record:
    id: str
    folder: str
    digest: str
    review_type: str
    category: str
    district: str
    partnership: str
    region: str
    victim: str
    report_status: str
    publication_decision: str
    dates: dict[str, str | None]
    people: list[dict] = field(default_factory=list)
    recommendations: list[dict] = field(default_factory=list)
    lessons: str = ""
    actions: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def find_reviews(roots: list[Path]) -> list[Path]:
    """Every review folder under ``roots``, sorted; a review inside a review (none should
    be) is not looked for."""
    found: set[Path] = set()
    for root in roots:
        if not root.exists():
            raise InputError.at(root, None, "folder not found")
        if (root / CASE_FILE).is_file():
            found.add(root)
            continue
        if not root.is_dir():
            raise InputError.at(root, None, "expected a folder of review folders")
        found.update(p.parent for p in root.rglob(CASE_FILE)
                     if not any(part.startswith(".") for part in p.relative_to(root).parts))
    return sorted(found)


def fingerprint(folder: Path) -> str:
    """SHA-256 over the review's own source files (names and bytes); the key never."""
    sha = hashlib.sha256(f"record {RECORD_VERSION}\n".encode())
    for name in (CASE_FILE, *DEFAULT_FILES.values()):
        path = folder / name
        if path.is_file() and name not in NEVER_INPUT:
            data = path.read_bytes()
            sha.update(f"{name}\0{len(data)}\0".encode())
            sha.update(data)
    return sha.hexdigest()


def read_review(folder: Path, digest: str) -> Record:
    has_report = (folder / DEFAULT_FILES["report"]).is_file()
    has_plan = (folder / DEFAULT_FILES["action_plan"]).is_file()
    if has_report or has_plan:
        return _full(folder, digest)
    return _early(folder, digest)


def _early(folder: Path, digest: str) -> Record:
    """Only case.yaml: a review between notification and its first draft."""
    doc = load_yaml(folder / CASE_FILE)
    validate(doc, "case")
    data = doc.data
    dates: dict[str, str | None] = {}
    for name, value in data["dates"].items():
        if name == "panel_meetings":
            for i, v in enumerate(value):
                _check_date(doc, ("dates", name, i), v)
            dates["first_panel"] = min(value) if value else None
            dates["last_panel"] = max(value) if value else None
        else:
            dates[name] = None if value is None else _check_date(doc, ("dates", name), value)
    dates["report"] = _check_date(doc, ("report", "date"), data["report"]["date"])
    people = [_person(p) for p in data["pseudonyms"]["people"]]
    return _record(folder, digest, doc, dates, people)


def _full(folder: Path, digest: str) -> Record:
    case = load_case(folder)
    dates: dict[str, str | None] = {}
    for name, value in case.dates.items():
        if isinstance(value, list):
            dates["first_panel"] = min(value).isoformat() if value else None
            dates["last_panel"] = max(value).isoformat() if value else None
        else:
            dates[name] = value.isoformat() if value else None
    dates["report"] = case.date.isoformat()
    people = [_person(asdict(p)) for p in case.people]
    record = _record(folder, digest, case.doc, dates, people)
    tokens = _parser().parse(_wanted_sections(_read(case.report_path)), {})
    from pipeline.report.structure import outline

    doc = outline(tokens)
    for rec in doc.recommendations:
        match = _AGENCY.match(rec.text)
        record.recommendations.append({
            "number": rec.number, "text": _plain(rec.text),
            "agency": _plain(match.group(1)) if match else "", "line": rec.line,
        })
    lessons = doc.section("lessons")
    record.lessons = lessons.text.strip() if lessons else ""
    numbers = {r["number"] for r in record.recommendations}
    for position, action in enumerate(case.actions, start=1):
        if action.recommendation not in numbers:
            raise InputError.at(case.action_plan_path, action.line,
                                f"action for recommendation {action.recommendation}, but "
                                f"the report has {len(numbers)} recommendation(s)")
        record.actions.append({
            "position": position, "recommendation": action.recommendation,
            "scope": action.scope, "action": action.action.strip(),
            "lead_agency": action.lead_agency, "milestones": action.milestones.strip(),
            "target_date": action.target_date, "completion": action.completion.strip(),
            "given_status": action.status, "completed": action.completed,
            "line": action.line,
        })
    return record


def _record(folder: Path, digest: str, doc: LocatedYaml, dates: dict, people: list) -> Record:
    data = doc.data
    category = data.get("category")
    if category is None:
        types = ((data.get("form") or {}).get("incident") or {}).get("case_type") or []
        types = [types] if isinstance(types, str) else types
        category = next((CATEGORY_FROM_CASE_TYPE[t] for t in types
                         if t in CATEGORY_FROM_CASE_TYPE), "unknown")
    return Record(
        id=data["id"], folder=folder.as_posix(), digest=digest,
        review_type=data["review_type"], category=category,
        district=data.get("district") or "Not recorded",
        partnership=data["partnerships"][0], region=data.get("region") or "Not recorded",
        victim=data["victim"], report_status=data["report"]["status"],
        publication_decision=data["publication"]["decision"], dates=dates, people=people,
    )


def _person(raw: dict) -> dict:
    """A person as the register keeps them: no pseudonym, an age band, the form's words
    for the relationship."""
    from pipeline.form.answers import age_band

    band = raw.get("age_band") or (age_band(raw["age"]) if raw.get("age") is not None
                                   else "Unknown")
    return {"role": raw["role"], "age_band": band, "sex": raw.get("sex") or "unknown",
            "ethnicity": raw.get("ethnicity") or "Unknown",
            "relationship": _relationship(raw["role"], raw.get("relationship") or "")}


def _relationship(role: str, text: str) -> str:
    if role == "victim":
        return "Victim"
    field_ = _relationship_field()
    return (field_ and _match_relationship(field_, text)) or "Other or unknown"


@cache
def _relationship_field():
    from pipeline.form.spec import load_spec

    # The perpetrators' block: its words describe a person's relation to the victim.
    return next((s.field("relationship") for s in load_spec().sections
                 if s.key == "perpetrators" and s.field("relationship")), None)


def _match_relationship(f, text: str) -> str | None:
    from pipeline.form.answers import relationship_from_text

    return relationship_from_text(f, text)


WANTED = ("lessons", "recommendations")
_H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$")
_NOTE = re.compile(r"^\[\^[^\]]+\]:")


def _wanted_sections(source: str) -> str:
    """The report with every line outside the Lessons and Recommendations sections (and
    footnote definitions, which their text may cite) blanked: parsing a whole report for
    two sections was most of the register's time. Blank lines keep the line numbers."""
    catalogue = _catalogue()
    keep = False
    note = False
    out = []
    for line in source.split("\n"):
        heading = _H1.match(line)
        if heading:
            spec = catalogue.match(heading.group(1))
            keep = spec is not None and spec.key in WANTED
        if _NOTE.match(line):
            note = True
        elif note and line and not line.startswith((" ", "\t")):
            note = False
        out.append(line if keep or note else "")
    return "\n".join(out)


@cache
def _catalogue():
    from pipeline.report.render import catalogue

    return catalogue()


@cache
def _parser():
    from pipeline.report.md import make_parser

    return make_parser(_catalogue())


def _read(path: Path) -> str:
    from pipeline.common.fsutil import read_text

    return read_text(path)


def _plain(text: str) -> str:
    return " ".join(_MARKUP.sub("", text).split())


def _check_date(doc: LocatedYaml, where: tuple, value: str) -> str:
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise doc.error(where, f"'{value}' is not a real date (YYYY-MM-DD)") from None
