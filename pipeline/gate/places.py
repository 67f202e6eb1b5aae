"""The place policy: which named places and public bodies may be published.

Takes ``redaction_rules/places.yaml`` (nations, regions, counties, authorities, police
force areas, Welsh health boards, patterns for NHS bodies, suffixes that make an area a
public body, and the partnership's own towns, which stay blocked) and
``redaction_rules/places-towns.txt`` (towns and cities of the United Kingdom of 15,000
people or more); produces ``PlacePolicy.spans(text)``: where the text names such a place
or body. The gate drops a place or organisation finding that lies wholly inside one.

Names are looked up as word sequences in a set (not one regular expression of a
thousand alternatives), so a 30,000-word report costs a few milliseconds.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

from pipeline.common.templates import rules_dir
from pipeline.gate.names import fold

_WORD = re.compile(r"[A-Za-z][\w'’.-]*|&")
MAX_WORDS = 6


def _key(words: list[str]) -> str:
    return " ".join(_word_key(w) for w in words)


def _word_key(word: str) -> str:
    word = word.casefold().replace("’", "'")
    return (word[:-2] if word.endswith("'s") else word).rstrip(".")


class PlacePolicy:
    def __init__(self, areas: set[str], bodies: set[str], patterns: list[re.Pattern[str]]):
        self.areas = areas  # "cheshire", "avon and somerset", "luton" ...
        self.bodies = bodies  # "cheshire police", "wirral council" ...
        self.patterns = patterns

    @classmethod
    @cache
    def load(cls, folder: Path | None = None) -> PlacePolicy:
        folder = folder or rules_dir()
        data = yaml.safe_load((folder / "places.yaml").read_text(encoding="utf-8"))
        towns = [line.strip() for line in
                 (folder / "places-towns.txt").read_text(encoding="utf-8").splitlines()
                 if line.strip() and not line.startswith("#")]
        excluded = {_key(n.split()) for n in data["own_area_excluded"]}
        countries = [line.strip() for line in (folder / data["countries_and_languages_file"])
                     .read_text(encoding="utf-8").splitlines()
                     if line.strip() and not line.startswith("#")]
        names = [*data["nations_and_regions"], *data["counties"], *data["authorities"],
                 *towns, *countries]
        areas = {_key(fold(n).split()) for n in names} - excluded
        force_areas = {_key(fold(n).split()) for n in data["police_force_areas"]}
        bodies = {_key(fold(n).split()) for n in data["welsh_health_boards"]}
        for area in areas | force_areas:
            for suffix in data["area_body_suffixes"]:
                bodies.add(f"{area} {_key(suffix.split())}")
            for prefix in data["area_body_prefixes"]:
                bodies.add(f"{_key(prefix.split())} {area}")
        patterns = [re.compile(p) for p in data["public_body_patterns"]]
        return cls(areas, bodies, patterns)

    @property
    def _starts(self) -> dict[str, int]:
        """First word of each name -> the most words a name starting with it has."""
        if not hasattr(self, "_starts_cache"):
            starts: dict[str, int] = {}
            for name in self.areas | self.bodies:
                words = name.split(" ")
                starts[words[0]] = max(starts.get(words[0], 0), len(words))
            self._starts_cache = starts
        return self._starts_cache

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Spans of allowed places and bodies, longest first at each word."""
        folded = fold(text)
        words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(folded)]
        keys: dict[int, str] = {}

        def key_of(index: int) -> str:  # only words a name may start or continue from
            if index not in keys:
                keys[index] = _key([words[index][2]])
            return keys[index]

        starts = self._starts
        out: list[tuple[int, int]] = []
        i = 0
        while i < len(words):
            found = 0
            longest = starts.get(key_of(i), 0) if folded[words[i][0]].isupper() else 0
            for n in range(min(longest, len(words) - i), 0, -1):
                chunk = words[i:i + n]
                # words of one name are separated by spaces or hyphens only
                if any(folded[a[1]:b[0]].strip(" -") for a, b in zip(chunk, chunk[1:],
                                                                      strict=False)):
                    continue
                key = " ".join(key_of(j) for j in range(i, i + n))
                if key in self.bodies or key in self.areas:
                    found = n
                    break
            if found:
                out.append((words[i][0], _trim(folded, words[i + found - 1][1])))
                i += found
            else:
                i += 1
        for pattern in self.patterns:
            out += [m.span() for m in pattern.finditer(folded)]
        return out


def _trim(text: str, end: int) -> int:
    return end - 1 if text[end - 1:end] == "." else end
