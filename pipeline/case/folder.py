"""The review folder: ``case.yaml``, ``report.md`` and ``action-plan.yaml``.

Takes a review folder; produces a validated ``Case`` (facts, action plan, report source)
or raises InputError naming the file and line. The confidential key is never read here:
see ``pipeline.case.key``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.case.schema import validate
from pipeline.common.dates import MONTHS, long_date
from pipeline.common.errors import InputError, Problem
from pipeline.common.yamlio import LocatedYaml, load_yaml

CASE_FILE = "case.yaml"
DEFAULT_FILES = {"report": "report.md", "action_plan": "action-plan.yaml"}
REVIEW_NAMES = {
    "DHR": "Domestic Homicide Review",
    "DARDR": "Domestic Abuse Related Death Review",
}
# Key files may sit beside a draft while a chair works, but they are never inputs.
NEVER_INPUT = ("key.yaml", "key.example.yaml")


@dataclass(frozen=True)
class Person:
    pseudonym: str
    role: str
    relationship: str
    age: int | None = None
    age_band: str | None = None
    sex: str | None = None
    ethnicity: str | None = None

    @property
    def age_text(self) -> str:
        if self.age is not None:
            return str(self.age)
        return self.age_band or "Unknown"


@dataclass(frozen=True)
class PanelMember:
    role: str
    agency: str
    name: str | None = None


@dataclass(frozen=True)
class Agency:
    name: str
    contributions: tuple[str, ...]


@dataclass(frozen=True)
class Action:
    recommendation: int
    scope: str
    action: str
    lead_agency: str
    target_date: str
    milestones: str = ""
    completion: str = ""
    status: str | None = None  # not-started | in-progress | complete (the register's)
    completed: str | None = None  # YYYY-MM
    line: int | None = None

    @property
    def target_month(self) -> str:
        return _month_text(self.target_date)


@dataclass
class Case:
    folder: Path
    doc: LocatedYaml
    id: str
    review_type: str
    partnerships: list[str]
    victim: str
    status: str
    version: str
    date: dt.date
    marking: str | None
    show_panel_names: bool
    people: list[Person]
    pseudonyms_chosen_by: str
    chair_name: str
    chair_statement: str
    panel: list[PanelMember]
    agencies: list[Agency]
    dates: dict[str, dt.date | list[dt.date] | None]
    publication: dict[str, str]
    region: str | None
    report_path: Path
    action_plan_path: Path
    actions: list[Action] = field(default_factory=list)

    @property
    def review_name(self) -> str:
        return REVIEW_NAMES[self.review_type]

    @property
    def title(self) -> str:
        return f"{self.review_name} into the death of {self.victim}"

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    @property
    def protective_marking(self) -> str | None:
        if self.marking is not None:
            return self.marking or None
        return "OFFICIAL-SENSITIVE – DRAFT" if self.is_draft else None

    def input_files(self) -> list[Path]:
        """Every file in the folder a build depends on (the key never is, nor anything in
        a hidden folder, such as the gate's cache in build/.cache/)."""
        return sorted(
            p for p in self.folder.rglob("*")
            if p.is_file() and p.name not in NEVER_INPUT
            and not any(part.startswith(".") for part in p.relative_to(self.folder).parts)
        )


def load_case(folder: Path) -> Case:
    folder = Path(folder)
    if not folder.exists():
        raise InputError.at(folder, None, "review folder not found")
    if not folder.is_dir():
        raise InputError.at(folder, None, "expected a review folder holding case.yaml")
    doc = load_yaml(folder / CASE_FILE)
    validate(doc, "case")
    data = doc.data
    files = {**DEFAULT_FILES, **data.get("files", {})}

    people = [Person(**p) for p in data["pseudonyms"]["people"]]
    problems = _check_people(doc, people, data["victim"])
    if problems:
        raise InputError(problems)

    dates: dict[str, dt.date | list[dt.date] | None] = {}
    for name, value in data["dates"].items():
        if isinstance(value, list):
            dates[name] = [_date(doc, ("dates", name, i), v) for i, v in enumerate(value)]
        else:
            dates[name] = None if value is None else _date(doc, ("dates", name), value)

    report = data["report"]
    case = Case(
        folder=folder,
        doc=doc,
        id=data["id"],
        review_type=data["review_type"],
        partnerships=list(data["partnerships"]),
        victim=data["victim"],
        status=report["status"],
        version=str(report["version"]),
        date=_date(doc, ("report", "date"), report["date"]),
        marking=report.get("marking"),
        show_panel_names=report.get("show_panel_names", False),
        people=people,
        pseudonyms_chosen_by=data["pseudonyms"]["chosen_by"],
        chair_name=data["chair"]["name"],
        chair_statement=data["chair"]["statement_of_independence"].strip(),
        panel=[PanelMember(**m) for m in data["panel"]],
        agencies=[Agency(a["name"], tuple(a["contributions"])) for a in data["agencies"]],
        dates=dates,
        publication=dict(data["publication"]),
        region=data.get("region"),
        report_path=folder / files["report"],
        action_plan_path=folder / files["action_plan"],
    )
    for key, path in (("report", case.report_path), ("action_plan", case.action_plan_path)):
        if not path.is_file():
            where = ("files", key) if key in data.get("files", {}) else ()
            line = doc.line(where) if where else None
            raise InputError.at(
                path if line is None else doc.path,
                line,
                f"{'file not found' if line is None else f'{key} file {path.name!r} not found'}"
                f"; a review folder needs {', '.join(DEFAULT_FILES.values())} beside case.yaml",
            )
    case.actions = load_action_plan(case.action_plan_path)
    return case


def load_action_plan(path: Path) -> list[Action]:
    doc = load_yaml(path)
    validate(doc, "action-plan")
    actions = []
    for i, row in enumerate(doc.data["actions"]):
        _month(doc, ("actions", i, "target_date"), row["target_date"])
        actions.append(Action(**row, line=doc.line(("actions", i))))
    return actions


def _check_people(doc: LocatedYaml, people: list[Person], victim: str) -> list[Problem]:
    problems = []
    seen: dict[str, int] = {}
    for i, person in enumerate(people):
        where = ("pseudonyms", "people", i)
        key = person.pseudonym.casefold()
        if key in seen:
            problems.append(Problem(doc.path, doc.line(where),
                                    f"pseudonym '{person.pseudonym}' is listed twice"))
        seen[key] = i
        if person.age is not None and person.age_band is not None:
            problems.append(Problem(doc.path, doc.line(where),
                                    "give either 'age' or 'age_band', not both"))
    victims = [p for p in people if p.role == "victim"]
    if victim.casefold() not in seen:
        problems.append(Problem(doc.path, doc.line(("victim",)),
                                f"victim '{victim}' is not in pseudonyms.people; add them there"))
    elif not any(p.pseudonym.casefold() == victim.casefold() for p in victims):
        problems.append(Problem(doc.path, doc.line(("victim",)),
                                f"'{victim}' is the victim but has a different role in "
                                "pseudonyms.people; set role: victim"))
    return problems


def _date(doc: LocatedYaml, where: tuple, value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise doc.error(where, f"'{value}' is not a real date (YYYY-MM-DD)") from None


def _month(doc: LocatedYaml, where: tuple, value: str) -> None:
    try:
        dt.date.fromisoformat(value + "-01")
    except ValueError:
        raise doc.error(where, f"'{value}' is not a real month (YYYY-MM)") from None


def _month_text(value: str) -> str:
    year, month = value.split("-")
    return f"{MONTHS[int(month) - 1]} {year}"


__all__ = ["MONTHS", "Case", "Person", "load_case", "long_date"]
