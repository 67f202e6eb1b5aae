"""The pseudonymiser: a draft written with real names -> the text every later stage uses.

Takes a review folder and the confidential key; produces ``build/<id>/source/``, a copy
of the review folder whose ``report.md`` and ``action-plan.yaml`` have every real
identifier from the key replaced (never written back over the source), and
``build/<id>/pseudonymise-log.txt``, the chair's change log, masked as the gate masks.

Names are found by the gate's own matcher (``pipeline.gate.names``), so every variant the
gate recognises is replaced: "Sarah's" -> "Anna's", "SARAH" -> "ANNA", "Mrs Whitfield" ->
"Anna" (or "Mrs Anna" with ``pseudonymise: {titles: keep}`` in case.yaml), "Dr Testwood"
-> "the GP", "14 Acacia Road" -> "the family home", with sentence case at the start of a
sentence. What cannot be decided is reported, not guessed: a variant that fits more
than one person, a surname in the plural (which family member?), a name that is also an
ordinary word at the start of a sentence, a name inside a link target or file name. The
chair resolves each in the source, for instance with a marker: ``[[Anna]]`` or
``[[Anna|Mrs Whitfield]]``. Running it on its own output changes nothing.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from pipeline.case.folder import Case
from pipeline.case.key import Key
from pipeline.case.markers import MARKER
from pipeline.common.errors import CheckFailed, Problem
from pipeline.common.fsutil import read_text, write_atomic
from pipeline.common.yamlio import load_yaml
from pipeline.gate.names import KeyMatch, KeyMatcher, NameRules
from pipeline.gate.output import mask

SOURCE_DIR = "source"
LOG_FILE = "pseudonymise-log.txt"
APOSTROPHES = "'’"

# Link targets and bare URLs: a name inside one cannot be replaced without breaking it.
_PROTECTED = re.compile(r"\]\(\s*<?([^)\s>]+)|<(https?://[^>\s]+)>|(https?://[^\s)\]>\"']+)")


@dataclass
class Change:
    line: int
    form: str
    original: str
    replacement: str
    pseudonym: str


@dataclass
class TextResult:
    text: str
    changes: list[Change] = field(default_factory=list)
    unresolved: list[tuple[int, str]] = field(default_factory=list)  # (line, message)


class Pseudonymiser:
    def __init__(self, key: Key, titles: str = "drop", reveal: bool = False):
        self.matcher = KeyMatcher(key)
        self.rules = NameRules.load()
        self.titles = titles
        self.reveal = reveal
        self.known = {p.pseudonym.casefold() for p in key.people} | {
            r.replacement.casefold() for r in (*key.places, *key.terms)}

    def _show(self, text: str) -> str:
        return text if self.reveal else mask(text)

    def text(self, text: str, first_line: int = 1) -> TextResult:
        protected = [m.span(m.lastindex) for m in _PROTECTED.finditer(text)]
        markers = [m.span() for m in MARKER.finditer(text)]
        result = TextResult(text)
        out, pos = [], 0

        def line_of(offset: int) -> int:
            return first_line + text.count("\n", 0, offset)

        for marker in MARKER.finditer(text):
            if marker.group(1).strip().casefold() not in self.known:
                result.unresolved.append((line_of(marker.start()),
                                          f"marker [[{marker.group(1)}]] names no pseudonym "
                                          "or replacement in the key"))
        for match in self.matcher.find(text):
            if match.lowercase_word or _inside(match.start, match.end, markers):
                continue
            line = line_of(match.start)
            shown = self._show(" ".join(match.text.split()))
            if _inside(match.start, match.end, protected, overlap=True):
                result.unresolved.append((line, f"cannot replace \"{shown}\" inside a link "
                                                "target or file name; change it by hand"))
                continue
            problem = self._undecidable(match, text)
            if problem:
                result.unresolved.append((line, f"ambiguous: \"{shown}\" {problem}; resolve "
                                                "it in the source, e.g. [[Pseudonym]]"))
                continue
            replacement = self._replacement(match, text)
            out.append(text[pos:match.start])
            out.append(replacement)
            pos = match.end
            result.changes.append(Change(line, match.form, match.text, replacement,
                                         match.entries[0].replacement))
        out.append(text[pos:])
        joined = "".join(out)
        # Markers have done their work: the rendered text carries the pseudonym alone.
        result.text = MARKER.sub(lambda m: m.group(1).strip(), joined)
        return result

    def _undecidable(self, match: KeyMatch, text: str) -> str | None:
        replacements = {e.replacement for e in match.entries}
        if len(replacements) > 1:
            names = ", ".join(sorted(replacements))
            return f"fits more than one person or place ({names})"
        if match.form == "surname" and match.suffix.rstrip(APOSTROPHES) in ("s", "es"):
            return "is a family name in the plural; say which people are meant"
        core = text[match.start:match.end]
        words = core.split()
        if (len(words) == 1 and not match.title and match.sentence_start
                and words[0].rstrip(APOSTROPHES + "s").casefold() in self.rules.name_words):
            return "may be the ordinary word at the start of a sentence"
        return None

    def _replacement(self, match: KeyMatch, text: str) -> str:
        entry = match.entries[0]
        base = entry.replacement
        if match.title and entry.kind == "person" and entry.role != "professional" \
                and self.titles == "keep":
            base = f"{match.title.split()[0]} {base}"
        name = text[match.start:match.end - len(match.suffix)]
        letters = [c for c in name if c.isalpha()]
        if len(letters) > 1 and all(c.isupper() for c in letters) and not match.title \
                and match.form != "initials":
            base = base.upper()
        elif match.sentence_start and base[:1].islower():
            base = base[0].upper() + base[1:]
        suffix = match.suffix
        if suffix and suffix[0] in APOSTROPHES:
            apostrophe = suffix[0]
            base += apostrophe if base.endswith("s") and suffix == apostrophe else \
                f"{apostrophe}s"
        return base


def _inside(start: int, end: int, spans: list[tuple[int, int]], overlap: bool = False) -> bool:
    if overlap:
        return any(start < e and s < end for s, e in spans)
    return any(s <= start and end <= e for s, e in spans)


# -- the stage --------------------------------------------------------------------------

@dataclass
class Outcome:
    source_dir: Path
    log_path: Path
    changes: dict[str, list[Change]]
    counts: Counter


def pseudonymise_case(case: Case, key: Key, out_dir: Path, reveal: bool = False) -> Outcome:
    """Write build/<id>/source/ and the log, or raise CheckFailed listing what the chair
    must resolve (nothing is written then)."""
    settings = case.doc.data.get("pseudonymise", {}) or {}
    worker = Pseudonymiser(key, titles=settings.get("titles", "drop"), reveal=reveal)
    report = read_text(case.report_path)
    report_result = worker.text(report)
    plan_text, plan_changes, plan_unresolved = _yaml_strings(case.action_plan_path, worker)

    unresolved = [Problem(case.report_path, line, message)
                  for line, message in report_result.unresolved]
    unresolved += [Problem(case.action_plan_path, line, message)
                   for line, message in plan_unresolved]
    if unresolved:
        raise CheckFailed(unresolved)

    source_dir = out_dir / SOURCE_DIR
    _copy_review(case, source_dir)
    write_atomic(source_dir / case.report_path.name, report_result.text)
    write_atomic(source_dir / case.action_plan_path.name, plan_text)
    changes = {case.report_path.name: report_result.changes,
               case.action_plan_path.name: plan_changes}
    counts = Counter(c.pseudonym for cs in changes.values() for c in cs)
    log_path = out_dir / LOG_FILE
    write_atomic(log_path, _log(changes, counts, worker))
    return Outcome(source_dir, log_path, changes, counts)


def _yaml_strings(path: Path, worker: Pseudonymiser):
    """Pseudonymise every string in a YAML file; the output is re-dumped (it is
    build-internal), so quoting can never be broken by a replacement."""
    doc = load_yaml(path)
    changes: list[Change] = []
    unresolved: list[tuple[int, str]] = []

    def walk(value, where):
        if isinstance(value, dict):
            return {k: walk(v, (*where, k)) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, (*where, i)) for i, v in enumerate(value)]
        if isinstance(value, str):
            result = worker.text(value, first_line=doc.line(where) or 1)
            changes.extend(result.changes)
            unresolved.extend(result.unresolved)
            return result.text
        return value

    data = walk(doc.data, ())
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), changes, \
        unresolved


def _copy_review(case: Case, target: Path) -> None:
    """Everything a build reads (case.yaml, images ...), never the key."""
    for path in case.input_files():
        relative = path.relative_to(case.folder)
        destination = target / relative
        if path in (case.report_path, case.action_plan_path):
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        if not destination.exists() or destination.read_bytes() != path.read_bytes():
            shutil.copyfile(path, destination)


def _log(changes: dict[str, list[Change]], counts: Counter, worker: Pseudonymiser) -> str:
    lines = ["Pseudonymisation log: every replacement made, with its line and the variant",
             "that matched. Real names are masked" + (" (revealed: local use only)."
                                                      if worker.reveal else "."), ""]
    for name, items in changes.items():
        for change in items:
            lines.append(f"{name}:{change.line}: {change.form}: "
                         f"\"{worker._show(' '.join(change.original.split()))}\" -> "
                         f"\"{change.replacement}\"")
    lines += ["", "Replacements per person, place or term:"]
    for pseudonym, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {pseudonym}: {count}")
    lines.append(f"  total: {sum(counts.values())}")
    return "\n".join(lines) + "\n"

