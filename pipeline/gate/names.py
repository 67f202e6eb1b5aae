"""The key's names, places and terms, found in every variant: one matcher for both the
redaction gate and the pseudonymiser.

Takes a ``Key`` and the name rules in ``redaction_rules/names.yaml``; ``KeyMatcher.find``
takes any text and produces ``KeyMatch``es: where a real identifier occurs, which key
entries it may belong to (a shared surname belongs to several), the variant (full name,
first name, surname, "SURNAME, Forename", initials, alias, a place's part), any title
before it and any possessive or plural ending after it.

Matching ignores case and diacritics ("Zoë" = "Zoe"), allows any run of spaces, line
breaks or commas between words (names broken across a line), and is whole-word, so an
alias "Val" never fires inside "approval". A name that is also an ordinary word ("Will",
"Hope") is ignored when the text has it in lower case.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path

import yaml

from pipeline.case.key import Key
from pipeline.common.templates import rules_dir


@dataclass(frozen=True)
class Entry:
    """One identifier in the key."""

    kind: str  # person | place | term
    real: str
    replacement: str  # the pseudonym, role label or replacement text
    role: str  # person role, or "place" / "term"


@dataclass(frozen=True)
class KeyMatch:
    start: int
    end: int
    text: str
    entries: tuple[Entry, ...]
    form: str  # full | first | surname | given | surname-first | initials | alias | part
    title: str = ""
    suffix: str = ""
    lowercase_word: bool = False  # a name that is also a word, written in lower case
    sentence_start: bool = False

    @property
    def ambiguous(self) -> bool:
        return len({(e.kind, e.real) for e in self.entries}) > 1


@dataclass(frozen=True)
class NameRules:
    titles: tuple[str, ...]
    name_words: frozenset[str]
    generic_words: frozenset[str]
    descriptive_words: frozenset[str] = frozenset()

    @cached_property
    def title_keys(self) -> frozenset[str]:
        """The titles, case-folded, for look-ups on hot paths."""
        return frozenset(t.casefold() for t in self.titles)

    @classmethod
    @cache
    def load(cls, path: Path | None = None) -> NameRules:
        data = yaml.safe_load((path or rules_dir() / "names.yaml").read_text("utf-8"))
        return cls(
            titles=tuple(data["titles"]),
            name_words=frozenset(w.casefold() for w in data["name_words"]),
            generic_words=frozenset(w.casefold() for w in data["generic_words"]),
            descriptive_words=frozenset(w.casefold() for w in data.get("descriptive_words",
                                                                       ())),
        )


WORDLISTS = ("/usr/share/dict/british-english", "/usr/share/dict/words")


@cache
def common_words() -> frozenset[str]:
    """Ordinary English words (the lower-case entries of Debian's wbritish list): a
    capitalised heading word such as "Panel" is not a name."""
    import os

    from pipeline.common.errors import InputError

    candidates = [os.environ["DHR_WORDLIST"]] if os.environ.get("DHR_WORDLIST") else WORDLISTS
    for candidate in candidates:
        path = Path(candidate)
        if path.is_file():
            words = path.read_text(encoding="utf-8", errors="replace").split()
            return frozenset(w for w in words if w.islower())
    raise InputError("no English word list found in " + ", ".join(candidates)
                     + "; run `make deps` (installs Debian's wbritish) or set DHR_WORDLIST")


_FOLD_EXTRA = str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D",
                             "ı": "i", "’": "'", "‘": "'"})


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Remove diacritics character by character, so offsets in the folded text are
    offsets in the original. Kept for the texts last folded: every layer of the gate folds
    the same segment, and most text is plain ASCII, which is returned as it is."""
    text = text.translate(_FOLD_EXTRA)
    if text.isascii():
        return text
    return "".join(c if c < "\x80" else _fold_char(c) for c in text)


@cache
def _fold_char(char: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFD", char)
                   if not unicodedata.combining(c))
    return base[0] if base else char


def normalise(text: str) -> str:
    return " ".join(re.split(r"[\s,]+", fold(text).casefold())).strip()


_SUFFIX = r"(?P<suffix>'s|s'|'|s|es)?"
_SEP = r"[\s,]+"


class KeyMatcher:
    def __init__(self, key: Key, rules: NameRules | None = None):
        self.rules = rules or NameRules.load()
        self.variants: dict[str, tuple[str, set[Entry]]] = {}
        for person in key.people:
            entry = Entry("person", person.real, person.pseudonym, person.role)
            self._add_person(entry, person.real, person.aliases)
        for kind, items in (("place", key.places), ("term", key.terms)):
            for item in items:
                self._add_place(Entry(kind, item.real, item.replacement, kind), item.real)
        allowed = {normalise(a) for a in key.allow}
        for name in allowed:
            self.variants.pop(name, None)
        self.pattern = self._compile()

    # -- building ---------------------------------------------------------------------

    def _strip_titles(self, words: list[str]) -> list[str]:
        while len(words) > 1 and words[0].rstrip(".").casefold() in self.rules.title_keys:
            words = words[1:]
        return words

    def _put(self, variant: str, form: str, entry: Entry) -> None:
        key = normalise(variant)
        if len(key.replace(" ", "").replace(".", "")) < 2:
            return
        if key in self.variants:
            self.variants[key][1].add(entry)
        else:
            self.variants[key] = (form, {entry})

    def _add_person(self, entry: Entry, real: str, aliases: tuple[str, ...]) -> None:
        words = self._strip_titles(real.split())
        self._put(" ".join(words), "full", entry)
        if len(words) >= 2:
            given, surname = words[:-1], words[-1]
            first = given[0]
            self._put(f"{first} {surname}", "full", entry)
            self._put(first, "first", entry)
            self._put(surname, "surname", entry)
            for middle in given[1:]:
                self._put(middle, "given", entry)
            for names in {first, " ".join(given)}:
                self._put(f"{surname}, {names}", "surname-first", entry)
            initials = [w[0].upper() for w in words]
            for letters in {tuple(initials), (initials[0], initials[-1])}:
                self._put(".".join(letters) + ".", "initials", entry)
                self._put(". ".join(letters) + ".", "initials", entry)
            self._put(f"{first[0]}. {surname}", "initials", entry)
            self._put(f"{first[0]}.{surname}", "initials", entry)
            if len(given) > 1:
                self._put(f"{first[0]}.{given[1][0]}. {surname}", "initials", entry)
        else:
            self._put(words[0], "first", entry)
        for alias in aliases:
            alias_words = self._strip_titles(alias.split())
            self._put(" ".join(alias_words), "alias", entry)

    def _add_place(self, entry: Entry, real: str) -> None:
        self._put(real, "full", entry)
        parts = [p.strip() for p in real.split(",") if p.strip()]
        for part in parts:
            self._put(part, "part", entry)
            words = part.split()
            # "14 Acacia Road" -> "Acacia Road"
            if len(words) > 1 and re.fullmatch(r"\d+[A-Za-z]?", words[0]):
                self._put(" ".join(words[1:]), "part", entry)
            distinctive = [w for w in words if w.casefold() not in self.rules.generic_words
                           and w.casefold() not in common_words()
                           and not re.search(r"\d", w) and len(w) >= 4]
            for word in distinctive:
                self._put(word, "part", entry)
            # "Brightwater Haulage Ltd" -> "Brightwater Haulage"
            while len(words) > 1 and words[-1].casefold().rstrip(".") in {"ltd", "limited",
                                                                            "plc", "llp"}:
                words = words[:-1]
                self._put(" ".join(words), "part", entry)

    def _compile(self) -> re.Pattern[str] | None:
        if not self.variants:
            return None
        alternatives = []
        for variant in sorted(self.variants, key=len, reverse=True):
            tokens = variant.split(" ")
            alternatives.append(_SEP.join(_token_pattern(t) for t in tokens))
        titles = "|".join(sorted((re.escape(t) for t in self.rules.titles), key=len,
                                 reverse=True))
        pattern = (
            # Whole words, and "_" separates words too ("DHR_Zajac_v0.3.docx").
            rf"(?<![^\W_])(?:(?P<title>(?:{titles})\.?(?:\s+\d{{2,6}})?)\s+)?"
            rf"(?P<name>{'|'.join(alternatives)}){_SUFFIX}(?![^\W_])"
        )
        return re.compile(pattern, re.IGNORECASE)

    # -- matching ---------------------------------------------------------------------

    def find(self, text: str) -> list[KeyMatch]:
        if self.pattern is None:
            return []
        folded = fold(text)
        matches = []
        for m in self.pattern.finditer(folded):
            name = m.group("name")
            key = normalise(name)
            found = self.variants.get(key)
            # From the original text: folding turned a curly apostrophe into a straight one.
            suffix = text[m.start("suffix"):m.end("suffix")] if m.group("suffix") else ""
            if found is None and suffix:
                continue
            if found is None:
                continue
            form, entries = found
            original = text[m.start("name"):m.end("name")]
            lowercase_word = (
                all(word in self.rules.name_words for word in key.split())
                and original.islower() and not m.group("title")
            )
            start = m.start("title") if m.group("title") else m.start("name")
            matches.append(KeyMatch(
                start=start, end=m.end(), text=text[start:m.end()],
                entries=tuple(sorted(entries, key=lambda e: (e.kind, e.real))),
                form=form, title=m.group("title") or "", suffix=suffix,
                lowercase_word=lowercase_word,
                sentence_start=_at_sentence_start(text, start),
            ))
        return matches


def _token_pattern(token: str) -> str:
    # Dots in initials may be followed by a space or not: "S.W." = "S. W.".
    return re.escape(token).replace(r"\.", r"\.\s?") if "." in token else re.escape(token)


def _at_sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t\"'“‘(")
    return not before or before[-1] in ".!?:\n#|*-"
