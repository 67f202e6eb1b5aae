"""The confidential key: real names, places and terms, and what replaces them.

Takes the key file named by ``--key`` or the ``DHR_KEY`` environment variable; produces a
validated ``Key``. The key is read, never copied into the build or any published folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.case.schema import validate
from pipeline.case.yamlio import load_yaml
from pipeline.common.errors import InputError

ENV_VAR = "DHR_KEY"


@dataclass(frozen=True)
class KeyPerson:
    real: str
    pseudonym: str
    role: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Replacement:
    real: str
    replacement: str


@dataclass
class Key:
    path: Path
    people: list[KeyPerson] = field(default_factory=list)
    places: list[Replacement] = field(default_factory=list)
    terms: list[Replacement] = field(default_factory=list)
    allow: list[str] = field(default_factory=list)


def resolve_key_path(option: str | Path | None) -> Path | None:
    value = option or os.environ.get(ENV_VAR)
    return Path(value) if value else None


def load_key(path: Path) -> Key:
    if not path.exists():
        raise InputError.at(path, None, f"key file not found (given by --key or ${ENV_VAR})")
    doc = load_yaml(path)
    if doc.data is None or not isinstance(doc.data, dict):
        raise InputError.at(path, 1, "a key file is a mapping with people, places, terms, allow")
    validate(doc, "key", conceal=True)
    data = doc.data
    return Key(
        path=path,
        people=[
            KeyPerson(p["real"], p["pseudonym"], p["role"], tuple(p.get("aliases", ())))
            for p in data.get("people", [])
        ],
        places=[Replacement(p["real"], p["replacement"]) for p in data.get("places", [])],
        terms=[Replacement(t["real"], t["replacement"]) for t in data.get("terms", [])],
        allow=list(data.get("allow", [])),
    )
