"""The people layer of the redaction gate: names the small NER model misses.

Takes text and what the review may publish (allowed words, pseudonyms); produces
``PersonHit``s for people named but not in the key, whatever their origin:

- ``forename-surname``: a known given name followed by a capitalised word that is not an
  ordinary English word ("Kofi Mensah", "Małgorzata Wiśniewska", "Seán Ó Briain");
- ``pseudonym-surname``: a pseudonym followed by such a word ("Anna Whitfield", when
  only "Anna" is a pseudonym: the surname is very likely real);
- ``role-name``: a capitalised name after a role word ("a friend, Kofi, said", "her
  neighbour Ifeoma");
- ``list-name``: two or more unusual capitalised words opening a list item;
- ``known-forename``: a known given name on its own, not an ordinary word.

Given and family names come from ``redaction_rules/forenames.txt`` and ``surnames.txt``
(faker's name lists of many origins, MIT; see tools/build_names.py), looked up with
case and accents folded. Surname particles (Mac, Ó, Ní, De, Van der, El-, bin ...) and
hyphens are part of a name. Ordinary English words (Debian's wbritish), titles and
allowed words are never a name here; the engine then drops hits inside allowed phrases
and publishable places, as for every layer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.common.templates import rules_dir
from pipeline.gate.names import common_words, fold

# A word: letters (any alphabet), inner apostrophes and hyphens ("O'Neill", "El-Sayed").
_TOKEN = re.compile(r"[^\W\d_](?:[\w'’]|-(?=[^\W\d_]))*")
PARTICLES = {"de", "da", "do", "dos", "das", "del", "della", "di", "du", "la", "le", "van",
             "von", "der", "den", "ter", "bin", "binti", "ibn", "bint", "abu", "al", "el",
             "o", "ó", "ní", "ni", "nic", "mac", "mc", "ap", "ferch", "y", "e"}
ROLES = ("friend", "friends", "neighbour", "neighbours", "neighbor", "colleague",
         "colleagues", "co-worker", "coworker", "partner", "ex-partner", "boyfriend",
         "girlfriend", "ex-boyfriend", "ex-girlfriend", "husband", "ex-husband", "wife",
         "ex-wife", "fiancé", "fiancée", "fiance", "fiancee", "son", "daughter", "brother",
         "sister", "mother", "father", "mum", "dad", "stepfather", "stepmother", "stepson",
         "stepdaughter", "cousin", "aunt", "uncle", "niece", "nephew", "grandmother",
         "grandfather", "grandson", "granddaughter", "landlord", "landlady", "employer",
         "manager", "supervisor", "flatmate", "housemate", "lodger", "carer", "witness",
         "visitor", "worker", "teacher", "midwife", "nurse", "gp", "doctor", "officer",
         "counsellor", "therapist", "advocate", "idva", "isva", "solicitor", "caseworker",
         "child", "baby", "classmate", "acquaintance", "relative", "volunteer", "pastor",
         "imam", "priest", "vicar", "owner", "tenant", "associate", "named", "called")
_ROLE_BEFORE = re.compile(r"(?i)(?<![\w-])(?:" + "|".join(re.escape(r) for r in ROLES)
                          + r")(?:'s)?\s*[,(:]?\s*$")
# Dotted initials after a role word: "a neighbour (V.K.)". One letter ("Mr B") is how
# reports pseudonymise; two or more are a real person's initials.
_ROLE_INITIALS = re.compile(r"(?i:(?<![\w-])(?:" + "|".join(re.escape(r) for r in ROLES)
                            + r")\s*[,(:]?\s*)(?P<id>[A-Z]\.\s?[A-Z]\.(?:\s?[A-Z]\.)?)")
_LIST_START = re.compile(r"(?:^|\n)[ \t]*(?:[-*+•]|\d{1,2}[.)])[ \t]+$")
# Capitalised words that are never a person here, though name lists carry some of them
# (April, June, Christian, Roma ...): the calendar, festivals, religions and the ONS
# ethnic groups the data form prints.
NOT_NAMES = {"january", "february", "march", "april", "may", "june", "july", "august",
             "september", "october", "november", "december", "monday", "tuesday",
             "wednesday", "thursday", "friday", "saturday", "sunday", "christmas", "easter",
             "ramadan", "eid", "diwali", "hanukkah", "vaisakhi", "passover", "lent",
             "advent", "boxing", "halloween", "covid", "christian", "muslim", "hindu",
             "sikh", "jewish", "buddhist", "catholic", "protestant", "anglican",
             "methodist", "baptist", "orthodox", "islam", "roma", "gypsy", "traveller",
             "asian", "african", "caribbean", "arab", "indian", "pakistani",
             "bangladeshi", "chinese", "irish", "british", "english", "welsh", "scottish",
             "mixed", "white", "black", "other", "god", "jesus", "christ", "allah"}
SURNAME_ENDINGS = ("ska", "ski", "cka", "cki", "dzka", "dzki", "wicz", "czyk", "enko",
                   "escu", "eanu", "ović", "ovic", "evic", "ević", "opoulos", "akis", "idis",
                   "auskas", "iene", "aite", "ytė", "ute", "ova", "eva", "sson", "sen")


@dataclass(frozen=True)
class PersonHit:
    start: int
    end: int
    rule: str
    score: float
    message: str
    context: str | None = None


def _key(word: str) -> str:
    return re.sub(r"['’]s$", "", fold(word)).casefold()


@cache
def _names(file: str) -> frozenset[str]:
    path = rules_dir() / file
    return frozenset(_key(line.strip()) for line in path.read_text("utf-8").splitlines()
                     if line.strip() and not line.startswith("#"))


def forenames() -> frozenset[str]:
    return _names("forenames.txt")


def word_forenames() -> frozenset[str]:
    return _names("forenames-words.txt")


def surnames() -> frozenset[str]:
    return _names("surnames.txt")


class PeopleFinder:
    def __init__(self, allowed_words: Iterable[str], pseudonyms: Iterable[str],
                 titles: Iterable[str], folder: Path | None = None):
        self.allowed = {_key(w) for w in allowed_words}
        self.pseudonyms = {_key(p) for p in pseudonyms if p and " " not in p.strip()}
        self.titles = {t.casefold().rstrip(".") for t in titles}
        self.forenames = forenames()
        self.word_forenames = word_forenames()
        self.surnames = surnames()
        self.common = common_words()

    # -- word classes ---------------------------------------------------------------

    def _ordinary(self, word: str) -> bool:
        key = _key(word)
        parts = [p for p in key.split("-") if p]
        return all(p in self.common for p in parts)

    def _unusual(self, word: str) -> bool:
        """Could be part of a name: capitalised, not ALL CAPS, not an ordinary word,
        a title or an allowed word."""
        key = _key(word)
        return (word[:1].isupper() and not (word.isupper() and len(word) > 1)
                and key not in NOT_NAMES and key not in self.titles and key not in self.allowed
                and not self._ordinary(word) and len(key) > 1)

    def _forename(self, word: str) -> bool:
        return self._unusual(word) and _key(word) in self.forenames

    def surname_like(self, word: str) -> bool:
        key = _key(word)
        return key in self.surnames or key.endswith(SURNAME_ENDINGS)

    # -- finding --------------------------------------------------------------------

    def _runs(self, text: str) -> list[list[re.Match[str]]]:
        """Runs of capitalised words (particles allowed inside), separated only by one
        space, a line break or a hyphen."""
        runs: list[list[re.Match[str]]] = []
        current: list[re.Match[str]] = []
        for match in _TOKEN.finditer(text):
            word = match.group()
            gap = text[current[-1].end():match.start()] if current else ""
            joined = bool(current) and gap in (" ", "\n", "-", " \n", "\n ")
            capital = word[:1].isupper()
            particle = word.casefold() in PARTICLES
            if current and joined and (capital or particle):
                current.append(match)
                continue
            if current:
                runs.append(current)
            current = [match] if capital else []
        if current:
            runs.append(current)
        # a run never ends on a particle ("Kofi and" is not a name)
        return [r[:max(i + 1 for i, m in enumerate(r) if m.group()[:1].isupper())]
                for r in runs]

    def find(self, text: str) -> list[PersonHit]:
        hits = []
        for run in self._runs(text):
            words = [m.group() for m in run]
            # titles are the title rule's business; skip them at the front
            while words and _key(words[0]).rstrip(".") in self.titles:
                run, words = run[1:], words[1:]
            if not words:
                continue
            hit = self._judge(text, run, words)
            if hit:
                hits.append(hit)
        hits += [PersonHit(m.start("id"), m.end("id"), "role-name", 0.8,
                           "a person's initials beside their role", None)
                 for m in _ROLE_INITIALS.finditer(text)]
        hits += self._listed(text)
        return hits

    def _listed(self, text: str) -> list[PersonHit]:
        """A given name that is also a word ("Lee") is a name when it sits in a list of
        names: "Kasia, Lee, Rachel and ..."."""
        hits = []
        for match in re.finditer(r"(?<=[,;] )([A-Z][a-z]+)(?=(?:,| and| &) [A-Z])", text):
            word = match.group(1)
            if _key(word) not in self.word_forenames or _key(word) in self.allowed:
                continue
            before = re.search(r"([^\W\d_][\w'’-]*)[,;] $", text[:match.start()])
            after = re.match(r"(?:,| and| &) ([^\W\d_][\w'’-]*)", text[match.end():])
            neighbours = [m.group(1) for m in (before, after) if m]
            if len(neighbours) == 2 and all(self._name_like(n) for n in neighbours):
                hits.append(PersonHit(match.start(), match.end(), "listed-name", 0.7,
                                      "a given name among other names"))
        return hits

    def _name_like(self, word: str) -> bool:
        key = _key(word)
        return word[:1].isupper() and (key in self.pseudonyms or key in self.forenames
                                       or key in self.word_forenames)

    def _judge(self, text: str, run: list[re.Match[str]], words: list[str]) -> PersonHit | None:
        start, end = run[0].start(), run[-1].end()
        before = text[max(0, start - 40):start]
        first, rest = words[0], [w for w in words[1:] if w[:1].isupper()]
        role = _ROLE_BEFORE.search(before)
        if rest and _key(first) in self.pseudonyms and not self._unusual(first):
            tail = [w for w in rest if self._unusual(w)]
            if tail and self._unusual(rest[0]):
                # "Anna Whitfield": the pseudonym is published, the surname is not.
                first_end = run[1].start() if len(run) > 1 else end
                return PersonHit(first_end, end, "pseudonym-surname", 0.8,
                                 "a capitalised word after a pseudonym: very likely a "
                                 "real surname", first)
        if not any(self._unusual(w) for w in words):
            return None
        if rest and self._forename(first) and any(self._unusual(w) for w in rest):
            return PersonHit(start, end, "forename-surname", 0.85,
                             "a person's name (known given name and a surname)")
        if role and self._unusual(first):
            return PersonHit(start, end, "role-name", 0.8,
                             "a person named beside their role or relationship",
                             role.group().strip(" ,(:"))
        if len(words) >= 2 and _LIST_START.search(text[max(0, start - 8):start]) and \
                all(self._unusual(w) or w.casefold() in PARTICLES for w in words[:2]):
            return PersonHit(start, end, "list-name", 0.7,
                             "a name opening a list item")
        if rest and self._unusual(first) and any(self.surname_like(w) and self._unusual(w)
                                                 for w in rest):
            return PersonHit(start, end, "forename-surname", 0.75,
                             "a person's name (a known family name)")
        if len(words) == 1 and self._forename(first):
            return PersonHit(start, end, "known-forename", 0.6,
                             "a known given name, not a pseudonym")
        return None
