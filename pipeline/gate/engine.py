"""The redaction gate: find every identifying detail in what would be published.

Takes paths (review folders, folders, Markdown/HTML/text files, PDFs, zip packages), the
confidential key (optional: without it only patterns and NER run), the review's facts
(pseudonyms, chair and agencies may be published) and the shared allow list in
``redaction_rules/allow.yaml``; produces ``Finding``s, each with its explanation (rule,
pattern, score, context word), a fingerprint for reviewed exceptions, and ``block`` or
``warn`` severity. Layers, in priority order where they overlap: the key's names in
every variant (``pipeline.gate.names``); pattern rules (``pipeline.gate.rules``) and the
people layer for names not in the key (``pipeline.gate.people``); NER
(``pipeline.gate.ner``, Presidio with spaCy). The place policy (``pipeline.gate.places``)
clears counties, authorities, public bodies and large towns; inside a package, what its
manifest says it may publish is allowed and its chair's accepted findings are accepted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from pipeline.case.key import Key
from pipeline.common.errors import InputError
from pipeline.gate.allow import Allow, shared_allow
from pipeline.gate.exceptions import ACCEPTED_FILE, load_accepted, review_allow
from pipeline.gate.extract import Extraction, FileError, Segment, extract
from pipeline.gate.finding import FILE_RULES, Finding, GateResult, problem_finding
from pipeline.gate.names import KeyMatcher, NameRules, normalise
from pipeline.gate.people import PeopleFinder, forenames, word_forenames
from pipeline.gate.places import PlacePolicy
from pipeline.gate.rules import apply_rules
from pipeline.gate.units import sentences
from pipeline.gate.words import CITATION, base, cited, common, inside, place_then_allowed

# ACCEPTED_FILE, load_accepted and review_allow live in pipeline.gate.exceptions, Allow
# in pipeline.gate.allow, Finding in pipeline.gate.finding; they are imported here for
# the callers that import them from the engine.
__all__ = ["ACCEPTED_FILE", "FILE_RULES", "Allow", "Finding", "Gate", "GateResult",
           "load_accepted", "review_allow", "shared_allow"]
# Rules whose finding is a place or an organisation, so the place policy may clear it.
PLACE_RULES = ("village-name", "named-institution")
SEVERITIES = ("block", "warn")


class Gate:
    def __init__(self, key: Key | None = None, allow: Iterable[str] = (), ner: bool = True,
                 ner_cache=None):
        self.key = key
        self.matcher = KeyMatcher(key) if key and (key.people or key.places or key.terms) \
            else None
        extra = list(allow)
        if key:
            extra += key.allow + [p.pseudonym for p in key.people]
        self.allow = Allow([*shared_allow(), *extra])
        self._allow_phrases = [*shared_allow(), *extra]
        self._package_allow: list[tuple[str, Allow]] = []
        # The allow list of the segment being judged (a package's own, or the run's).
        self._current = self.allow
        self.names = NameRules.load()
        self.places = PlacePolicy.load()
        self._finders: dict[int, PeopleFinder] = {}
        # What was found in a text, kept for this gate's later checks: the packager reads
        # the set's files first, then the same files again inside every package.
        self._seen_segments: dict[tuple, list[Finding]] = {}
        self._seen_units: dict[tuple, list[Finding]] = {}
        self._read: dict[bytes, tuple[str, list[Segment]]] = {}  # Extraction.read_before
        self.use_ner = ner
        self.ner_cache = ner_cache

    def check(self, paths: Iterable[Path], accepted: dict[str, dict] | None = None) -> GateResult:
        out = Extraction(read_before=self._read)
        for path in paths:
            try:
                extract(Path(path), out)
            except FileError as exc:
                raise InputError(str(exc)) from None
        # Inside a package, what its own manifest says it may publish is allowed too.
        self._package_allow = [(f"{path}!", Allow([*self._allow_phrases, *names]))
                               for path, names in out.publishable.items()]
        findings = self.check_extraction(out)
        for finding in findings:
            if accepted and finding.fingerprint in accepted:
                finding.accepted = accepted[finding.fingerprint]
                continue
            for package, exceptions in out.package_accepted.items():
                # Only inside the package whose manifest carries them, and never for a
                # file the gate could not read.
                if finding.path.startswith(f"{package}!") and \
                        finding.rule not in FILE_RULES and finding.fingerprint in exceptions:
                    finding.accepted = exceptions[finding.fingerprint]
        return GateResult(findings, out.checked)

    def check_extraction(self, out: Extraction) -> list[Finding]:
        findings: list[Finding] = []
        findings += [problem_finding(u) for u in out.unreadable]
        findings += [problem_finding(f) for f in out.forbidden]
        for image in out.images:
            findings.append(Finding(image, None, None, None, "", "IMAGE", "image-not-read",
                                    "warn", 0.3, "image content is not read; check it by eye "
                                    "(its alt text is checked)", "image", "file"))
        # The model reads in its own process while the other layers look here.
        pending = self._ner_start(out.segments) if self.use_ner else None
        per_segment = self._segments(out.segments)
        if pending:
            self._ner(out.segments, per_segment, *pending)
        for found in per_segment:
            findings += _dedupe(found)
        findings.sort(key=lambda f: (f.path, f.page or 0, f.line or 0, f.column or 0, f.rule))
        return findings

    # ---- layers ----

    def _allow_for(self, path: str) -> Allow:
        for prefix, allow in self._package_allow:
            if path.startswith(prefix):
                return allow
        return self.allow

    def _segments(self, segments: list[Segment]) -> list[list[Finding]]:
        """The key, pattern and people layers for every segment. A package repeats the
        same text in every copy of a file: what was found in one segment is moved to each
        other segment with the same text, the same kind of place in the file and the same
        allowed phrases, in this check or an earlier one of this gate, instead of being
        looked for again."""
        seen = self._seen_segments
        out = []
        for segment in segments:
            memo = (segment.text, segment.where, self._allow_for(segment.path).key)
            if memo in seen:
                out.append([_moved(f, segment) for f in seen[memo]])
            else:
                found = self._segment(segment)
                seen[memo] = [_moved(f, segment) for f in found]  # never what a check marks
                out.append(found)
        return out

    def _segment(self, segment: Segment) -> list[Finding]:
        text = segment.text
        allow = self._current = self._allow_for(segment.path)
        allowed = allow.spans(text)
        found = []
        if self.matcher:
            for m in self.matcher.find(text):
                if m.lowercase_word:
                    continue
                single_word = " " not in normalise(text[m.start:m.end]) and not m.title
                word_like = single_word and base(normalise(m.text)) in self.names.name_words
                severity = "warn" if word_like and m.sentence_start else "block"
                first = m.entries[0]
                rule = {"person": "key-name", "place": "key-place", "term": "key-term"}[
                    first.kind]
                roles = sorted({e.role for e in m.entries})
                message = (f"{'real name' if first.kind == 'person' else first.kind} from the "
                           f"key ({', '.join(roles)}; variant: {m.form})"
                           + ("; it fits more than one entry" if m.ambiguous else ""))
                found.append(self._finding(segment, m.start, m.end, rule, rule,
                                           {"person": "PERSON", "place": "LOCATION",
                                            "term": "ORGANIZATION"}[first.kind],
                                           severity, 1.0 if severity == "block" else 0.4,
                                           message, {"variant": m.form,
                                                     "replace_with": [e.replacement for e in
                                                                      m.entries]}, 0))
        places = self.places.spans(text)
        for hit in apply_rules(text):
            if inside(hit.start, hit.end, allowed):
                continue
            if hit.rule.id in PLACE_RULES and inside(hit.start, hit.end, places):
                continue  # a county, authority, large town or public body: publishable
            value = text[hit.start:hit.end]
            if hit.rule.kind == "phone" and re.sub(r"\D", "", value) in allow.digits:
                continue
            if self._allowed_name(value) and hit.rule.entity in ("PERSON", "ORGANIZATION",
                                                                 "LOCATION"):
                continue
            if self._ordinary_name(hit.rule, value):
                continue
            explanation = {"pattern": hit.rule.regex.pattern}
            if hit.context_word:
                explanation["context"] = hit.context_word
            found.append(self._finding(segment, hit.start, hit.end, hit.rule.id,
                                       hit.rule.kind, hit.rule.entity, hit.severity,
                                       hit.score, hit.rule.message, explanation, 1))
        # A file name is lower case ("glenys-parfitt-notes"): read it capitalised, which
        # keeps every offset.
        named = text
        if segment.where == "file name":
            stem = text.rsplit(" ", 1)[0] if " " in text else ""  # not the extension
            named = " ".join(w.capitalize() for w in stem.split(" ")) + text[len(stem):]
            named = named[:len(stem)] + " " * (len(text) - len(stem))
        for person in self._people(allow).find(named):
            value = text[person.start:person.end]
            if inside(person.start, person.end, allowed) or self._allowed_name(value):
                continue
            if inside(person.start, person.end, places) or cited(text, person.end):
                continue
            explanation = {"layer": "the people layer (pipeline/gate/people.py, "
                                    "redaction_rules/forenames.txt and surnames.txt)"}
            if person.context:
                explanation["context"] = person.context
            found.append(self._finding(segment, person.start, person.end, person.rule,
                                       "ner-person", "PERSON", "block", person.score,
                                       person.message, explanation, 1))
        return found

    def _people(self, allow: Allow) -> PeopleFinder:
        finder = self._finders.get(id(allow))
        if finder is None:
            # The review's pseudonyms are not told apart from its other allowed names;
            # a single allowed word that is a given name or an ordinary word ("Anna",
            # "Ruth", "Mark") is taken for one, an agency ("Cafcass") is not.
            single = [p for p in allow.phrases if " " not in p and p[:1].isupper()
                      and not p.isupper()]
            pseudonyms = [p for p in single if (base(p) in forenames() or common(p))
                          and base(p) not in self.places.areas]
            if self.key:
                pseudonyms += [p.pseudonym for p in self.key.people]
            finder = self._finders[id(allow)] = PeopleFinder(
                allow.words, pseudonyms, self.names.titles)
        return finder

    def _ner_start(self, segments: list[Segment]):
        """The units the model reads, sent to it; gives them and what waits for its hits."""
        from pipeline.gate.ner import start as begin

        units: list[tuple[int, int, str]] = []  # (segment index, offset, text)
        for index, segment in enumerate(segments):
            if not segment.text.strip():
                continue
            if segment.where == "file name":
                # "sarah-whitfield-notes.txt": the model needs capitals to see a name; the
                # extension is left out. capitalize() keeps every offset.
                stem = segment.text.rsplit(" ", 1)[0] if " " in segment.text else ""
                if stem.strip():
                    units.append((index, 0, " ".join(w.capitalize() for w in
                                                     stem.split(" "))))
                continue
            for start, unit in sentences(segment.text):
                units.append((index, start, unit))
        return units, begin([u[2] for u in units], self.ner_cache)

    def _ner(self, segments: list[Segment], per_segment: list[list[Finding]],
             units: list[tuple[int, int, str]], hits_of) -> None:
        results = hits_of()
        judged = self._seen_units  # a unit's findings, for its copies
        for (index, offset, unit), hits in zip(units, results, strict=True):
            segment = segments[index]
            self._current = self._allow_for(segment.path)
            memo = (unit, offset, segment.where, self._current.key)
            if memo in judged:
                per_segment[index] += [_moved(f, segment) for f in judged[memo]]
                continue
            judged[memo] = mine = []
            allowed = self._current.spans(unit)
            places = self.places.spans(unit) if hits else []
            for hit in hits:
                value = unit[hit.start:hit.end]
                if inside(hit.start, hit.end, allowed) or self._allowed_name(value):
                    continue
                if inside(hit.start, hit.end, places):
                    # The small model calls "Wirral", "Sefton" or "Hywel Dda" a person as
                    # often as a place: a hit wholly inside a publishable area or body
                    # is that area or body ("Sam Hastings" is not wholly inside one).
                    continue
                if hit.entity == "LOCATION" and place_then_allowed(hit.start, hit.end, unit,
                                                                    places, allowed):
                    continue
                if CITATION.match(unit, hit.end):
                    continue  # an author cited as "Kingston, P. (2019)": published work
                severity, score, kind, message = self._judge_ner(hit.entity, value, hit.score)
                if severity is None:
                    continue
                found = self._finding(segment, offset + hit.start, offset + hit.end,
                                      f"ner-{hit.entity.lower()}", kind, hit.entity, severity,
                                      score, message, {"recogniser": "SpacyRecognizer",
                                                       "model_label": hit.label}, 2)
                per_segment[index].append(found)
                mine.append(_moved(found, segment))  # never what a check marks

    def _judge_ner(self, entity: str, value: str, score: float):
        """Decide what an NER hit means. The small model calls many capitalised words
        names; only words that are neither allowed, ALL CAPS (acronyms, markings),
        initials, titles nor ordinary English words make a hit count. Several ordinary
        words together only warn ("Grace Brown" may be a name)."""
        candidates = self._name_words(value)
        unusual = [w for w in candidates if not common(w)]
        if entity == "PERSON":
            if unusual and len(candidates) >= 2:
                return "block", score, "ner-person", "a person's name (named-entity model)"
            if unusual and self._people(self._current).surname_like(unusual[0]):
                return "block", score, "ner-person", \
                    "a person's name (named-entity model; a known family name)"
            if unusual:
                return "warn", 0.45, "ner-person", \
                    "possibly a person's name (named-entity model)"
            if len(candidates) >= 2:
                return "warn", 0.35, "ner-person", \
                    "possibly a person's name made of ordinary words (named-entity model)"
            return None, 0, "", ""
        if entity == "ORGANIZATION" and 2 <= len(candidates) == len(value.split()) <= 3 \
                and (base(candidates[0]) in forenames() or
                     base(candidates[0]) in word_forenames()) \
                and not common(candidates[-1]):
            # The small model calls many a person an organisation ("contact lead Faith
            # Idowu"): a forename and an unusual family name, and nothing else, is a person.
            return "block", min(score, 0.7), "ner-person", \
                "a person's name (named-entity model, which took it for an organisation)"
        if entity == "LOCATION" and unusual:
            return "block", min(score, 0.7), "ner-place", "a named place (named-entity model)"
        if entity == "FACILITY" and unusual:
            return "warn", 0.4, "ner-place", "possibly a named building or facility " \
                "(named-entity model)"
        return None, 0, "", ""

    def _ordinary_name(self, rule, value: str) -> bool:
        """A rule-found name or place made only of ordinary or allowed words is not a
        leak ("Mr Will Smith" aside, which the key must then name)."""
        if rule.entity != "PERSON" and rule.id not in ("village-name", "named-institution"):
            return False
        if rule.id == "village-name":  # its first word (Lower, New ...) is ordinary by design
            value = value.split(None, 1)[1] if " " in value else ""
        if rule.id == "named-institution":
            # "Sunflower Day Nursery" is made of ordinary words and is still someone's
            # nursery; only a description ("the District General Hospital") is not.
            plain = self.names.generic_words | self.names.descriptive_words
            return all(base(w) in plain for w in self._name_words(value))
        return all(common(w) for w in self._name_words(value))

    def _name_words(self, value: str) -> list[str]:
        titles = self.names.title_keys
        return [w for w in re.findall(r"[\w'’-]+", value)
                if w[:1].isupper() and not w.isupper() and len(w.strip("'’")) > 2
                and w.casefold() not in titles and base(w) not in self._current.words]

    def _allowed_name(self, value: str) -> bool:
        """A detected name made only of allowed words (pseudonyms, allowed names, titles,
        role words) is not a leak."""
        titles = self.names.title_keys
        words = [w for w in re.split(r"[\s,]+", normalise(value)) if w]
        words = [re.sub(r"('s|')$", "", w) for w in words]
        return bool(words) and all(w in self._current.words or w.rstrip(".") in titles
                                   for w in words)

    def _finding(self, segment: Segment, start: int, end: int, rule: str, kind: str,
                 entity: str, severity: str, score: float, message: str, explanation: dict,
                 priority: int) -> Finding:
        line, column = segment.locate(start)
        if segment.where != "text":
            message = f"{message}, in {segment.where}"
        explanation = {"rule": rule, "score": round(score, 2), **explanation}
        # The JSON shape is fixed, so the explanation also travels in the message.
        why = [f"score {score:.2f}"]
        if "recogniser" in explanation:
            why.insert(0, f"recogniser {explanation['recogniser']}")
        elif "layer" in explanation:
            why.insert(0, f"{rule} in {explanation['layer']}")
        elif "pattern" in explanation:
            why.insert(0, f"pattern {rule} in redaction_rules/patterns.yaml")
        if explanation.get("context"):
            why.append(f"context word '{explanation['context']}'")
        message = f"{message} [{'; '.join(why)}]"
        return Finding(segment.path, line, segment.page, column,
                       " ".join(segment.text[start:end].split()), entity, rule, severity,
                       round(score, 2), message, kind, segment.where, explanation,
                       start=start, end=end, priority=priority)


def _moved(finding: Finding, segment: Segment) -> Finding:
    """A finding made for one segment, for another with the same text."""
    line, column = segment.locate(finding.start)
    # a reviewed exception is decided for each finding by the check that reports it
    return replace(finding, path=segment.path, line=line, page=segment.page, column=column,
                   accepted=None, explanation=dict(finding.explanation))


def _dedupe(found: list[Finding]) -> list[Finding]:
    """Where findings overlap, keep the strongest layer, then the longest."""
    kept: list[Finding] = []
    for f in sorted(found, key=lambda f: (f.priority, -(f.end - f.start), f.start)):
        if not any(f.start < k.end and k.start < f.end for k in kept):
            kept.append(f)
    return kept
