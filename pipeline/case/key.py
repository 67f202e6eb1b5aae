"""The confidential key: real names, places and terms, and what replaces them.

Takes the key file named by ``--key`` or the ``DHR_KEY`` environment variable; produces a
validated ``Key``. The key is read, never copied into the build or any published folder.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.case.schema import validate
from pipeline.common.errors import InputError
from pipeline.common.yamlio import load_yaml

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
    _refuse_conflicts(doc)
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


def _fold(text: str) -> str:
    # Case, accents and spacing ignored, as the gate's matcher ignores them ("Zoë" = "zoe").
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def _refuse_conflicts(doc) -> None:
    """A key that would publish a real name is refused, not trusted: two people with one
    pseudonym ("Anna was charged with Anna's murder"), a pseudonym that is someone's real
    name or alias, or an entry that is only spaces. Messages never show the real names."""
    data = doc.data
    for group, fields in (("people", ("real", "pseudonym")), ("places", ("real", "replacement")),
                          ("terms", ("real", "replacement"))):
        for i, item in enumerate(data.get(group) or []):
            for name in fields:
                if not str(item.get(name, "")).strip():
                    raise doc.error((group, i, name), f"{group} entry {i + 1}: '{name}' is empty")
            for j, alias in enumerate(item.get("aliases") or []):
                if not str(alias).strip():
                    raise doc.error((group, i, "aliases", j),
                                    f"{group} entry {i + 1}: an alias is empty")
    for j, name in enumerate(data.get("allow") or []):
        if not str(name).strip():
            raise doc.error(("allow", j), "an allow entry is empty")
    people = data.get("people") or []
    real_names: dict[str, int] = {}
    for i, person in enumerate(people):
        for variant in [person["real"], *(person.get("aliases") or [])]:
            real_names.setdefault(_fold(variant), i)
    seen: dict[str, int] = {}
    for i, person in enumerate(people):
        pseudonym = _fold(person["pseudonym"])
        if pseudonym in seen:
            first = seen[pseudonym]
            raise doc.error(("people", i, "pseudonym"),
                            f"people entry {i + 1} has the same pseudonym as entry "
                            f"{first + 1} (line {doc.line(('people', first, 'pseudonym'))}); "
                            "every person needs their own")
        seen[pseudonym] = i
        if pseudonym in real_names:
            other = real_names[pseudonym]
            whose = "its own" if other == i else f"entry {other + 1}'s"
            raise doc.error(("people", i, "pseudonym"),
                            f"people entry {i + 1}: the pseudonym is {whose} real name or "
                            "alias; choose another")
