"""Copied text from another review: names in the shareable parts that belong to a different review.

Takes a loaded ``Case`` and its report ``Outline``; produces errors for every pseudonym of
another review (the shipped examples, and the review folders beside this one) that
appears in this review's briefing, its data-form answers or its executive summary text
(``::: summary`` blocks) and is not a pseudonym of this review. Those parts are the ones
officers copy from an earlier review to start a new one, and a wrong name there would
ship the other review's family in this one's documents.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import yaml

from pipeline.case.folder import Case
from pipeline.common.errors import Problem
from pipeline.common.templates import home
from pipeline.report.md.errors import line_of

SHARED_PARTS = ("briefing", "form")


def borrowed_names(case: Case, doc) -> list[Problem]:
    own = {p.pseudonym for p in case.people} | {case.victim}
    others = {name: review for name, review in _other_pseudonyms(case).items()
              if name not in own}
    if not others:
        return []
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(others, key=len,
                                                                     reverse=True)) + r")\b")
    problems = []
    for where, text in _case_texts(case.doc.data):
        for match in pattern.finditer(text):
            problems.append(Problem(case.doc.path, case.doc.line(where),
                                    _message(match.group(1), others, ".".join(map(str, where)))))
    for section in doc.sections:
        for start, end in section.summaries:
            for token in doc.tokens[start:end]:
                if token.type != "inline":
                    continue
                for match in pattern.finditer(token.content):
                    problems.append(Problem(case.report_path, line_of(token),
                                            _message(match.group(1), others,
                                                     "the executive summary")))
    return problems


def _message(name: str, others: dict[str, str], where: str) -> str:
    return (f"'{name}' in {where} is a pseudonym of review {others[name]}, not of this one; "
            "text copied from another review?")


def _case_texts(data: dict) -> Iterator[tuple[tuple, str]]:
    def walk(value, where: tuple):
        if isinstance(value, str):
            yield where, value
        elif isinstance(value, dict):
            for key, item in value.items():
                yield from walk(item, (*where, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from walk(item, (*where, index))

    for part in SHARED_PARTS:
        if isinstance(data.get(part), dict | list):
            yield from walk(data[part], (part,))


def _other_pseudonyms(case: Case) -> dict[str, str]:
    folders = {p.parent.resolve() for p in (home() / "examples").glob("*/case.yaml")}
    folders |= {p.parent.resolve() for p in case.folder.resolve().parent.glob("*/case.yaml")}
    names: dict[str, str] = {}
    for folder in sorted(folders):
        review_id, people = _pseudonyms(folder / "case.yaml")
        if review_id and review_id != case.id:
            for name in people:
                names.setdefault(name, review_id)
    return names


@cache
def _pseudonyms(path: Path) -> tuple[str | None, tuple[str, ...]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        people = data.get("pseudonyms", {}).get("people", [])
        names = [p["pseudonym"] for p in people if isinstance(p, dict) and p.get("pseudonym")]
        return data.get("id"), tuple(n for n in names if re.fullmatch(r"[A-Z][\w'-]+", n))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, AttributeError, TypeError):
        return None, ()
