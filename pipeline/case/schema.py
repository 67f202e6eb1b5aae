"""Schema validation with messages a publication officer can act on.

Takes a LocatedYaml and the name of a JSON Schema in ``pipeline/schemas/``; raises an
InputError with one ``file:line: message`` problem per violation, or returns nothing.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import jsonschema

from pipeline.common.errors import InputError, Problem
from pipeline.common.yamlio import LocatedYaml

MAX_LISTED = 12
HIDDEN = "<value hidden>"


@cache
def load_schema(name: str) -> dict[str, Any]:
    text = resources.files("pipeline.case").joinpath("schemas", f"{name}.schema.json").read_text()
    return json.loads(text)


def validate(doc: LocatedYaml, schema_name: str, conceal: bool = False) -> None:
    """``conceal``: never repeat the file's values in a message (the confidential key)."""
    schema = load_schema(schema_name)
    validator = jsonschema.Draft202012Validator(schema)
    problems = []
    for error in validator.iter_errors(doc.data):
        where = tuple(error.absolute_path)
        if conceal and error.validator != "additionalProperties":  # field names are safe
            error.instance = HIDDEN
        problems.append(Problem(doc.path, doc.line(where), _message(error, where)))
    if problems:
        problems.sort(key=lambda p: (p.line or 0, p.message))
        raise InputError(problems)


def _dotted(where: tuple) -> str:
    out = ""
    for part in where:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the top level"


def _allowed(values: list) -> str:
    shown = ", ".join(str(v) for v in values[:MAX_LISTED])
    return shown + (", ..." if len(values) > MAX_LISTED else "")


def _message(error: jsonschema.ValidationError, where: tuple) -> str:
    field = _dotted(where)
    kind = error.validator
    if kind == "required":
        missing = error.message.split("'")[1]
        return f"missing required field '{_dotted((*where, missing))}'; add it"
    if kind == "enum":
        return (
            f"'{error.instance}' is not allowed for '{field}'; "
            f"use one of: {_allowed(error.validator_value)}"
        )
    if kind == "const":
        return f"'{field}' must be {error.validator_value!r}"
    if kind == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        known = ", ".join(sorted(error.schema.get("properties", {})))
        return f"unknown field '{', '.join(map(str, extra))}' in '{field}'; known fields: {known}"
    hint = error.schema.get("x-hint")
    if kind in ("pattern", "anyOf", "format") and hint:
        return f"'{field}' is '{error.instance}'; expected {hint}"
    if kind == "type":
        wanted = error.validator_value
        wanted = " or ".join(wanted) if isinstance(wanted, list) else wanted
        return f"'{field}' should be {_article(wanted)} {wanted}, not {_describe(error.instance)}"
    if kind == "minItems":
        return f"'{field}' needs at least {error.validator_value} item(s)"
    if kind == "minLength":
        return f"'{field}' is empty; fill it in"
    if kind == "uniqueItems":
        return f"'{field}' lists the same value twice"
    if kind in ("minimum", "maximum"):
        return f"'{field}' is {error.instance}, outside the allowed range"
    if error.instance == HIDDEN:
        return f"'{field}' is not valid here ({kind})"
    return f"'{field}': {error.message}"


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _describe(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"'{value}'"
