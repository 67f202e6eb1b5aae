"""The form's specification: ``templates/form/fields.yaml`` -> ``Spec``.

Takes the fields file (every field of the Home Office data-collection form: its section,
type, vocabulary and where a derived answer comes from); gives the ``Spec`` that
``pipeline.form.answers`` fills in and ``pipeline.form.pdf`` lays out, and the form's
shared constants (Unknown, yes/no/unknown, age bands).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from pipeline.common.errors import Problem
from pipeline.common.templates import home

FORM_DIR = "form"
UNKNOWN = "Unknown"
YES_NO = ("Yes", "No", UNKNOWN)
PERSON_SECTIONS = ("victims", "perpetrators")
AGE_BANDS = ((16, "Under 16"), (20, "16-19"), (25, "20-24"), (35, "25-34"), (45, "35-44"),
             (55, "45-54"), (65, "55-64"))


def warning(path, line: int | None, message: str) -> Problem:
    """A problem that is reported but does not fail ``dhr validate``."""
    return Problem(path, line, message, warning=True)


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    type: str
    values: tuple[str, ...] = ()
    derive: str | None = None
    required: bool = False
    crosscheck: str | None = None
    override: bool = False  # a derived answer the form: section may replace
    report: dict[str, tuple[str, ...]] = field(default_factory=dict)
    keywords: dict[str, tuple[str, ...]] = field(default_factory=dict)
    inverse: dict[str, str] = field(default_factory=dict)
    timescales: tuple[str, ...] = ()  # how the report's Timescales section names this date

    @property
    def choices(self) -> tuple[str, ...]:
        return YES_NO if self.type == "yes_no" else self.values


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    role: str | None
    fields: tuple[Field, ...]

    def field(self, key: str) -> Field | None:
        return next((f for f in self.fields if f.key == key), None)


@dataclass(frozen=True)
class Spec:
    sections: tuple[Section, ...]
    ignore: tuple[str, ...]

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)


def form_templates() -> Path:
    return home() / "templates" / "form"


@cache
def load_spec(path: Path | None = None) -> Spec:
    path = path or form_templates() / "fields.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    sections = []
    for sec in data["sections"]:
        fields = []
        for raw in _flatten(sec["fields"]):
            values, report, keywords, inverse = [], {}, {}, {}
            for item in raw.get("values", []):
                if isinstance(item, dict):
                    value = item["value"]
                    report[value] = tuple(item.get("report", ()))
                    keywords[value] = tuple(item.get("keywords", ()))
                    inverse[value] = item.get("inverse", value)
                else:
                    value = str(item)
                values.append(value)
            fields.append(Field(raw["key"], raw["label"], raw["type"], tuple(values),
                                raw.get("derive"), bool(raw.get("required")),
                                raw.get("crosscheck"), bool(raw.get("override")), report,
                                keywords, inverse, tuple(raw.get("timescales", ()))))
        sections.append(Section(sec["key"], sec["title"], sec.get("person_role"),
                                tuple(fields)))
    return Spec(tuple(sections), tuple(data.get("crosscheck_ignore", ())))


def _flatten(items: list) -> list[dict]:
    out: list[dict] = []
    for item in items:
        out += _flatten(item) if isinstance(item, list) else [item]
    return out
