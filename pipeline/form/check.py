"""Cross-checks between the data-collection form and the overview report.

Takes ``FormAnswers`` (``pipeline.form.answers``) and the parsed report
(``pipeline.report.render``);
produces warnings (``Problem.warning``), which ``dhr validate`` prints and which do not fail it:

- a cause of death, context flag or relationship the form gives that the report never
  mentions, and (for fields marked ``crosscheck: both`` in fields.yaml) one the report
  mentions that the form does not give; what counts as a mention is the ``report``
  patterns in fields.yaml, after removing ``crosscheck_ignore`` text (tool names such as
  DASH, statutory definitions that list every kind of abuse);
- an age the report states for a victim or perpetrator that disagrees with case.yaml;
- a date in the report's Timescales section, or the month of death, that disagrees with
  the dates the form takes from case.yaml.

Appendices and footnotes are not searched: a glossary defines terms without saying
they happened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from markdown_it.token import Token

from pipeline.case.folder import MONTHS, long_date
from pipeline.common.errors import Problem
from pipeline.form.answers import FormAnswers, age_band, warning
from pipeline.report.md.errors import line_of
from pipeline.report.render import ParsedReport

NUMBER_WORDS = {w: i for i, w in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty"))}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
NUMBER = r"(\d{1,3}|[a-z]+(?:-[a-z]+)?)"  # digits or words; _number() reads them
MONTH = "|".join(MONTHS)
LONG_DATE = re.compile(rf"\b(\d{{1,2}}) ({MONTH}) (\d{{4}})\b")
# "death on 20 February" is often the date of something else ("notified of the death on").
DEATH_MONTH = re.compile(
    rf"\b(?:death\s+in|(?:died|was killed)\s+(?:in|on))\s+(?:\d{{1,2}} )?({MONTH}) (\d{{4}})\b")


@dataclass
class Passage:
    line: int | None
    section: str
    text: str


def crosscheck(answers: FormAnswers, parsed: ParsedReport) -> list[Problem]:
    case = answers.case
    passages = _passages(parsed.tokens, answers.spec.ignore)
    warnings: list[Problem] = []
    has_form = "form" in case.doc.data
    for section, _, values, entry in answers.scopes():
        person = entry.person if entry else None
        for f in section.fields:
            if not f.crosscheck or not f.report or (not has_form and not f.derive):
                continue
            given = _positive(f.type, values.get(f.key))
            mentions = {v: _first(passages, pats) for v, pats in f.report.items() if pats}
            mentions = {v: m for v, m in mentions.items() if m is not None}
            where = _where(answers, section.key, person, f)
            for value in given:
                if f.report.get(value) and value not in mentions:
                    who = f" for {person.pseudonym}" if person else ""
                    warnings.append(warning(
                        case.doc.path, case.doc.line(where),
                        f"the form gives {f.label}{who}: {value} "
                        f"('{'.'.join(map(str, where))}'), but the report never mentions it; "
                        "check the form or the report"))
            if f.crosscheck != "both":
                continue
            for value, (passage, found) in mentions.items():
                if value in given:
                    continue
                answer = (values.get(f.key) or {}).get(value, "Unknown") \
                    if f.type == "flags" else "not given"
                warnings.append(warning(
                    case.report_path, passage.line,
                    f"the report mentions {value.lower()} ('{found}'), but the form's "
                    f"{f.label} has {value}: {answer} ('form.{section.key}.{f.key}'); "
                    "check the form or the report"))
    warnings += _ages(answers, passages)
    warnings += _dates(answers, passages)
    return warnings


def _positive(kind: str, value: Any) -> list[str]:
    if kind == "flags":
        return [k for k, v in (value or {}).items() if v == "Yes"]
    if kind == "multiple":
        return list(value or [])
    return [value] if isinstance(value, str) else []


def _where(answers: FormAnswers, section: str, person, f) -> tuple:
    case = answers.case
    if f.derive and person is not None:
        given = ((case.doc.data.get("form") or {}).get(section) or {})
        name = next((n for n in given if str(n).casefold() == person.pseudonym.casefold()), None)
        if name is not None and f.key in (given[name] or {}):
            return ("form", section, name, f.key)
        return ("pseudonyms", "people", case.people.index(person), f.derive)
    if person is not None:
        return ("form", section, person.pseudonym, f.key)
    return ("form", section, f.key)


def _passages(tokens: list[Token], ignore: tuple[str, ...]) -> list[Passage]:
    out = []
    section = ""
    for i, token in enumerate(tokens):
        if token.type == "footnote_block_open":
            break
        if token.type == "heading_open" and token.tag == "h1":
            section = token.meta.get("section", "")
            continue
        if token.type != "inline" or section in ("", "appendix"):
            continue
        if i and tokens[i - 1].type == "heading_open" and tokens[i - 1].tag == "h1":
            continue
        text = token.content
        for pattern in ignore:
            text = _compiled(pattern).sub(" ", text)
        out.append(Passage(line_of(token), section, text))
    return out


@cache
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


def _first(passages: list[Passage], patterns: tuple[str, ...]):
    for passage in passages:
        for pattern in patterns:
            match = _compiled(pattern).search(passage.text)
            if match:
                return passage, match.group(0)
    return None


def _number(text: str) -> int | None:
    text = text.casefold()
    if text.isdigit():
        return int(text)
    if text in NUMBER_WORDS:
        return NUMBER_WORDS[text]
    tens, _, unit = text.partition("-")
    if tens in TENS and (not unit or unit in NUMBER_WORDS and NUMBER_WORDS[unit] < 10):
        return TENS[tens] + (NUMBER_WORDS[unit] if unit else 0)
    return None


def _ages(answers: FormAnswers, passages: list[Passage]) -> list[Problem]:
    warnings = []
    case = answers.case
    for entry in answers.victims + answers.perpetrators:
        person = entry.person
        name = re.escape(person.pseudonym)
        patterns = (rf"\b{name}, (?:a|an) {NUMBER}-year-old\b",
                    rf"\b{name} was {NUMBER} years old\b",
                    rf"\b{name} was {NUMBER} when (?:she|he|they) (?:died|was killed)\b")
        for passage in passages:
            for pattern in patterns:
                for match in re.finditer(pattern, passage.text, re.IGNORECASE):
                    age = _number(match.group(1))
                    if age is None:
                        continue
                    band = entry.values.get("age_band")
                    if person.age is not None and age != person.age:
                        said = f"case.yaml gives {person.age}"
                    elif person.age is None and band not in (None, "Unknown") \
                            and age_band(age) != band:
                        said = f"the form's age band is {band}"
                    else:
                        continue
                    warnings.append(warning(
                        case.report_path, passage.line,
                        f"the report gives {person.pseudonym}'s age as {age} "
                        f"('{match.group(0)}'), but {said}; check pseudonyms.people in "
                        "case.yaml or the report"))
    return warnings


def _dates(answers: FormAnswers, passages: list[Passage]) -> list[Problem]:
    warnings = []
    case = answers.case
    death = answers.incident.get("death_month")
    for passage in passages:
        if passage.section not in ("introduction", "timescales", "background"):
            continue
        for match in DEATH_MONTH.finditer(passage.text):
            month = f"{match.group(2)}-{MONTHS.index(match.group(1)) + 1:02d}"
            if death and month != death:
                warnings.append(warning(
                    case.report_path, passage.line,
                    f"the report gives the death as {match.group(1)} {match.group(2)} "
                    f"('{match.group(0)}'), but case.yaml dates.death is in "
                    f"{MONTHS[int(death[5:]) - 1]} {death[:4]}; check one of them"))
    fields = [f for f in answers.spec.section("process").fields if f.timescales]
    for passage in passages:
        if passage.section != "timescales":
            continue
        for sentence in re.split(r"(?<=[.;])\s+", passage.text):
            dates = {long_date_of(m) for m in LONG_DATE.finditer(sentence)}
            if not dates:
                continue
            matched = [f for f in fields
                       if any(re.search(p, sentence, re.IGNORECASE) for p in f.timescales)]
            values = {f.key: answers.process.get(f.key) for f in matched}
            for f in matched:
                value = values[f.key]
                others = {values[k] for k in values if k != f.key}
                unexplained = sorted(d for d in dates if d not in others)
                if value in dates or not unexplained:
                    continue
                shown = ", ".join(long_date(_iso(d)) for d in unexplained)
                form = long_date(_iso(value)) if value else "empty"
                warnings.append(warning(
                    case.report_path, passage.line,
                    f"the report's Timescales give {shown} for {f.label.lower()}, but "
                    f"case.yaml {f.derive} is {form}; check one of them"))
    return warnings


def long_date_of(match: re.Match) -> str:
    day, month, year = match.groups()
    return f"{year}-{MONTHS.index(month) + 1:02d}-{int(day):02d}"


def _iso(text: str):
    import datetime as dt

    return dt.date.fromisoformat(text)


def form_problems(case, parsed: ParsedReport) -> list[Problem]:
    """What ``dhr validate`` reports about the form: vocabulary errors raise InputError;
    unanswered required fields and disagreements with the report come back as warnings."""
    from pipeline.form.answers import collect

    answers, warnings = collect(case)
    return warnings + crosscheck(answers, parsed)
