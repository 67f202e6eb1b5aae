"""The Home Office data-collection form: the review's facts -> the form's answers.

Takes a loaded ``Case``; produces ``FormAnswers``: every field of
``templates/form/fields.yaml`` answered either from a fact case.yaml already records
(dates, pseudonyms, region: one fact, entered once) or from case.yaml's ``form:`` section.
An answer outside its field's vocabulary raises InputError located at its case.yaml line
(exit 2, like every other vocabulary error); unanswered required fields come back as
warnings (``Problem.warning``), which ``dhr validate`` prints with a ``warning:`` prefix and which
do not fail it. A missing answer is "Unknown", never "No".

``pipeline.form.pdf`` writes the PDF (AcroForm), JSON and CSV and reads a filled PDF back;
``pipeline.form.check`` cross-checks the answers with the report.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from typing import Any

from pipeline.case.folder import Case, Person
from pipeline.common.errors import InputError, Problem
from pipeline.form.spec import (
    AGE_BANDS,
    PERSON_SECTIONS,
    UNKNOWN,
    Field,
    Section,
    Spec,
    load_spec,
    warning,
)

# ---------------------------------------------------------------------------- answers

@dataclass
class PersonAnswers:
    role: str
    number: int
    person: Person
    values: dict[str, Any]


@dataclass
class FormAnswers:
    case: Case
    spec: Spec
    incident: dict[str, Any]
    victims: list[PersonAnswers]
    perpetrators: list[PersonAnswers]
    process: dict[str, Any]

    def scopes(self):
        """(section, scope name, values, person or None) for every block of the form."""
        yield self.spec.section("incident"), "incident", self.incident, None
        for key in PERSON_SECTIONS:
            for p in getattr(self, key):
                yield self.spec.section(key), f"{p.role}{p.number}", p.values, p
        yield self.spec.section("process"), "process", self.process, None

    def as_dict(self) -> dict:
        """Every answer, missing ones as Unknown: the JSON output."""
        out: dict[str, Any] = {"form": "Home Office DHR data-collection form", "version": 1,
                               "id": self.case.id, "review_type": self.case.review_type}
        for section, _, values, person in self.scopes():
            shown = {f.key: shown_value(f, values.get(f.key)) for f in section.fields}
            if person is None:
                out[section.key] = shown
            else:
                out.setdefault(section.key, []).append(shown)
        out.setdefault("victims", [])
        out.setdefault("perpetrators", [])
        return out


def shown_value(f: Field, value: Any) -> Any:
    """The answer as the outputs show it: a missing answer is Unknown, never No."""
    if f.type == "flags":
        value = value or {}
        return {flag: value.get(flag, UNKNOWN) for flag in f.values}
    if f.type == "multiple":
        return list(value) if value else [UNKNOWN]
    if value is None:
        return UNKNOWN
    return list(value) if isinstance(value, (list, tuple)) else value


def collect(case: Case) -> tuple[FormAnswers, list[Problem]]:
    """The form's answers for ``case``, and its unanswered required fields as warnings.

    Raises InputError (exit 2) for answers outside a vocabulary, unknown fields, a fact
    given twice, or a person who is not a victim or perpetrator in pseudonyms.people.
    """
    spec = load_spec()
    doc = case.doc
    raw = doc.data.get("form")
    errors: list[Problem] = []
    warnings: list[Problem] = []

    def err(where: tuple, message: str) -> None:
        errors.append(Problem(doc.path, doc.line(where), message))

    given = raw or {}
    people = {role: [p for p in case.people if p.role == role]
              for role in ("victim", "perpetrator")}
    answers = FormAnswers(case, spec, {}, [], [], {})
    for key in ("incident", "process"):
        section = spec.section(key)
        values = _derive_all(section, case, None, people, err)
        _answers(section, given.get(key) or {}, ("form", key), values, err)
        setattr(answers, key, values)
    for key in PERSON_SECTIONS:
        section = spec.section(key)
        role = section.role
        block = given.get(key) or {}
        index = {p.pseudonym.casefold(): p for p in people[role]}
        for name in block:
            if str(name).casefold() not in index:
                listed = ", ".join(p.pseudonym for p in people[role]) or "none"
                err(("form", key, name),
                    f"'form.{key}.{name}': '{name}' is not a {role} in pseudonyms.people "
                    f"({role}s there: {listed}); add them there with role: {role}")
        by_name = {str(n).casefold(): v for n, v in block.items()}
        for number, person in enumerate(people[role], 1):
            values = _derive_all(section, case, person, people, err)
            name = next((n for n in block if str(n).casefold() == person.pseudonym.casefold()),
                        person.pseudonym)
            _answers(section, by_name.get(person.pseudonym.casefold()) or {},
                     ("form", key, name), values, err)
            getattr(answers, key).append(PersonAnswers(role, number, person, values))
    if errors:
        raise InputError(sorted(errors, key=lambda p: (p.line or 0, p.message)))

    if raw is None:
        missing = sum(1 for s, _, v, _ in answers.scopes() for f in s.fields
                      if f.required and _unanswered(f, v.get(f.key)))
        warnings.append(warning(doc.path, doc.line(()),
                                    f"no 'form:' section: the data-collection form has "
                                    f"{missing} unanswered required field(s), which read "
                                    "Unknown; add a 'form:' section (README: 'The "
                                    "data-collection form')"))
        return answers, warnings
    for section, _, values, entry in answers.scopes():
        person = entry.person if entry else None
        base = ("form", section.key) + ((_given_name(given, section.key, person),)
                                        if person else ())
        for f in section.fields:
            missing = _unanswered(f, values.get(f.key))
            if not (f.required and missing):
                continue
            dotted = ".".join(str(p) for p in (*base, f.key))
            if f.derive:
                where = _derive_source(f, person, case)
                msg = (f"'{dotted}' ({f.label}) is not answered and reads Unknown; it is "
                       f"taken from '{where}' in case.yaml: record it there")
            elif f.type == "flags":
                msg = (f"'{dotted}' ({f.label}) has no answer for: {', '.join(missing)}; "
                       "they read Unknown (answer Yes, No or Unknown)")
            else:
                msg = (f"'{dotted}' ({f.label}) is not answered and reads Unknown; "
                       f"answer one of: {', '.join(f.choices) or 'free text'}")
            warnings.append(warning(doc.path, doc.line(base), msg))
    return answers, warnings


def _given_name(given: dict, key: str, person: Person) -> str:
    block = given.get(key) or {}
    return next((str(n) for n in block if str(n).casefold() == person.pseudonym.casefold()),
                person.pseudonym)


def _unanswered(f: Field, value: Any) -> Any:
    if f.type == "flags":
        return [flag for flag in f.values if flag not in (value or {})]
    return value is None or value == []


def _derive_source(f: Field, person: Person | None, case: Case) -> str:
    if person is not None:
        i = case.people.index(person)
        return f"pseudonyms.people[{i + 1}].{f.derive}"
    return {"death_month": "dates.death", "multiple_victims": "pseudonyms.people"}.get(
        f.derive or "", f.derive or "")


def _answers(section: Section, given: Any, where: tuple, values: dict, err) -> None:
    if not isinstance(given, dict):
        err(where, f"'{'.'.join(map(str, where))}' should be a mapping of field: answer")
        return
    for key, answer in given.items():
        f = section.field(str(key))
        here = (*where, key)
        dotted = ".".join(map(str, here))
        if f is None:
            known = ", ".join(x.key for x in section.fields if not x.derive or x.override)
            err(here, f"unknown field '{key}' in '{'.'.join(map(str, where))}'; "
                      f"known fields: {known}")
            continue
        if f.derive and not f.override:
            err(here, f"'{dotted}' ({f.label}) is taken from what case.yaml records "
                      f"elsewhere ('{f.derive}'); record it there, not in the form")
            continue
        value = normalise(f, answer, lambda msg, sub=None, h=here: err(
            h if sub is None else (*h, sub), msg), dotted)
        if value is not None:
            values[f.key] = value


def normalise(f: Field, answer: Any, err, dotted: str) -> Any:
    """One answer checked against its field's vocabulary; None after reporting an error."""
    if f.type in ("single", "yes_no"):
        return _choice(f, answer, err, dotted)
    if f.type == "multiple":
        items = answer if isinstance(answer, list) else [answer]
        picked = [_choice(f, item, lambda msg, i=i: err(msg, i), dotted)
                  for i, item in enumerate(items)] if isinstance(answer, list) else [
            _choice(f, answer, err, dotted)]
        if any(p is None for p in picked):
            return None
        return [v for v in f.values if v in picked]
    if f.type == "flags":
        if isinstance(answer, list):
            answer = {item: "Yes" for item in answer}
        if not isinstance(answer, dict):
            err(f"'{dotted}' ({f.label}) should be a mapping of flag: Yes, No or Unknown; "
                f"flags: {', '.join(f.values)}")
            return None
        out = {}
        yes_no = Field(f.key, f.label, "yes_no")
        for flag, value in answer.items():
            name = _match(f.values, flag)
            if name is None:
                err(f"'{flag}' is not a flag of '{dotted}' ({f.label}); "
                    f"use one of: {', '.join(f.values)}", flag)
                continue
            checked = _choice(yes_no, value, lambda msg, k=flag: err(msg, k), f"{dotted}.{name}")
            if checked is not None:
                out[name] = checked
        return out if len(out) == len(answer) else None
    if f.type in ("month", "date"):
        text = str(answer)
        pattern = r"\d{4}-\d{2}" if f.type == "month" else r"\d{4}-\d{2}-\d{2}"
        try:
            if not re.fullmatch(pattern, text):
                raise ValueError
            dt.date.fromisoformat(text + ("-01" if f.type == "month" else ""))
        except ValueError:
            shape = "a month written YYYY-MM" if f.type == "month" else "a date YYYY-MM-DD"
            err(f"'{dotted}' ({f.label}) is '{text}'; expected {shape}")
            return None
        return text
    if isinstance(answer, list) and all(isinstance(a, str) and a.strip() for a in answer):
        return list(answer)
    if not isinstance(answer, str) or not answer.strip():
        err(f"'{dotted}' ({f.label}) should be text")
        return None
    return answer.strip()


def _choice(f: Field, answer: Any, err, dotted: str) -> str | None:
    if isinstance(answer, bool):  # YAML reads yes/no as booleans
        answer = "Yes" if answer else "No"
    value = _match(f.choices, answer)
    if value is None:
        err(f"'{answer}' is not allowed for '{dotted}' ({f.label}); "
            f"use one of: {', '.join(f.choices)}")
    return value


def _match(values: tuple[str, ...], answer: Any) -> str | None:
    text = " ".join(str(answer).split()).casefold()
    return next((v for v in values if v.casefold() == text), None)


# --------------------------------------------------------------------------- derived

def _derive_all(section: Section, case: Case, person: Person | None,
                people: dict[str, list[Person]], err) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for f in section.fields:
        if not f.derive:
            continue
        value = _derive(f, case, person, people)
        if value is None:
            continue
        if f.type in ("single", "yes_no"):
            matched = _match(f.choices, value)
            if matched is None:
                source = _derive_source(f, person, case)
                where = ("pseudonyms", "people", case.people.index(person), f.derive) \
                    if person else tuple(source.split("."))
                err(where, f"'{value}' in '{source}' is outside the data-collection form's "
                           f"vocabulary for {f.label}; use one of: {', '.join(f.choices)}")
                continue
            value = matched
        values[f.key] = value
    return values


def _derive(f: Field, case: Case, person: Person | None,
            people: dict[str, list[Person]]) -> Any:
    how = f.derive or ""
    if how == "partnerships":
        return list(case.partnerships)
    if how == "agencies":
        return [a.name for a in case.agencies]
    if how == "region":
        return case.region
    if how == "death_month":
        death = case.dates["death"]
        return death.strftime("%Y-%m") if death else None  # type: ignore[union-attr]
    if how == "multiple_victims":
        return "Yes" if len(people["victim"]) > 1 else "No"
    if how.startswith("dates."):
        value = case.dates.get(how.removeprefix("dates."))
        return value.isoformat() if value else None  # type: ignore[union-attr]
    if person is None:
        raise ValueError(f"fields.yaml: unknown derivation {how!r}")
    if how == "pseudonym":
        return person.pseudonym
    if how == "age_band":
        return age_band(person.age) if person.age is not None else person.age_band
    if how == "sex":
        return person.sex.capitalize() if person.sex else None
    if how == "ethnicity":
        return person.ethnicity
    if how == "relationship":
        own = relationship_from_text(f, person.relationship)
        if own or person.role != "victim" or len(people["perpetrator"]) != 1:
            return own
        theirs = relationship_from_text(f, people["perpetrator"][0].relationship)
        return f.inverse.get(theirs, theirs) if theirs else None
    raise ValueError(f"fields.yaml: unknown derivation {how!r}")


def age_band(age: int) -> str:
    return next((band for limit, band in AGE_BANDS if age < limit), "65+")


def relationship_from_text(f: Field, text: str) -> str | None:
    for value, words in f.keywords.items():
        for word in words:
            if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text, re.IGNORECASE):
                return value
    return None


# --------------------------------------------------------------------------- outputs

def to_json(answers: FormAnswers) -> str:
    return json.dumps(answers.as_dict(), indent=2, ensure_ascii=False) + "\n"


def to_csv(answers: FormAnswers) -> str:
    """One row per victim and perpetrator; the incident and process answers on every row."""
    data = answers.as_dict()
    spec = answers.spec
    person_fields = [f for f in spec.section("perpetrators").fields]
    columns = ["id", "role", "number"]
    columns += _columns("", person_fields)
    for key in ("incident", "process"):
        columns += _columns(f"{key}.", spec.section(key).fields)
    rows = []
    for key in PERSON_SECTIONS:
        for number, person in enumerate(data[key], 1):
            row = {"id": answers.case.id, "role": key[:-1], "number": str(number)}
            row.update(_cells("", person_fields, person))
            for part in ("incident", "process"):
                row.update(_cells(f"{part}.", spec.section(part).fields, data[part]))
            rows.append(row)
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _columns(prefix: str, fields: list[Field] | tuple[Field, ...]) -> list[str]:
    cols = []
    for f in fields:
        if f.type == "flags":
            cols += [f"{prefix}{f.key}: {flag}" for flag in f.values]
        else:
            cols.append(f"{prefix}{f.key}")
    return cols


def _cells(prefix: str, fields, values: dict) -> dict[str, str]:
    cells = {}
    for f in fields:
        if f.key not in values:
            continue  # a victim has no verdict
        value = values[f.key]
        if f.type == "flags":
            cells.update({f"{prefix}{f.key}: {flag}": v for flag, v in value.items()})
        else:
            cells[f"{prefix}{f.key}"] = "; ".join(value) if isinstance(value, list) else value
    return cells
