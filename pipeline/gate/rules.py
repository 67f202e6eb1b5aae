"""Pattern rules of the redaction gate, declared as data in ``redaction_rules/patterns.yaml``.

Takes text; produces ``RuleHit``s: structured UK identifiers (NHS and National Insurance
numbers, postcodes, addresses, phones, emails, dates of birth, police, court and hospital
references, vehicle registrations, social-media handles) and the rule-based finders of
titled or role-named people and named institutions. Each hit carries its explanation:
the rule, its pattern, the score and any context word that raised it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from pipeline.common.errors import InputError
from pipeline.common.templates import rules_dir

BLOCK_AT = 0.5
WARN_AT = 0.3


def nhs_mod11(value: str) -> bool:
    digits = [int(c) for c in value if c.isdigit()]
    if len(digits) != 10:
        return False
    total = sum(d * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == digits[9]


def uk_phone(value: str) -> bool:
    digits = re.sub(r"\D", "", value)
    if digits.startswith("44"):
        digits = "0" + digits[2:].removeprefix("0")
    return len(digits) in (10, 11) and digits.startswith("0") and digits[1] in "123789"


def pesel(value: str) -> bool:
    """Polish PESEL: 11 digits, weights 1 3 7 9 repeating, a valid month field."""
    digits = [int(c) for c in value if c.isdigit()]
    if len(digits) != 11:
        return False
    total = sum(d * w for d, w in zip(digits[:10], (1, 3, 7, 9, 1, 3, 7, 9, 1, 3),
                                      strict=True))
    month = digits[2] * 10 + digits[3]
    return (10 - total % 10) % 10 == digits[10] and month % 20 in range(1, 13)


def romanian_cnp(value: str) -> bool:
    """Romanian CNP: 13 digits, sex/century digit 1-8, weights 279146358279 mod 11."""
    digits = [int(c) for c in value if c.isdigit()]
    if len(digits) != 13 or not 1 <= digits[0] <= 8:
        return False
    total = sum(d * w for d, w in zip(digits[:12], (2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9),
                                      strict=True))
    check = total % 11
    return (1 if check == 10 else check) == digits[12]


def lithuanian_code(value: str) -> bool:
    """Lithuanian asmens kodas: 11 digits, first 1-6, two-pass mod 11 check digit."""
    digits = [int(c) for c in value if c.isdigit()]
    if len(digits) != 11 or not 1 <= digits[0] <= 6:
        return False
    first = sum(d * w for d, w in zip(digits[:10], (1, 2, 3, 4, 5, 6, 7, 8, 9, 1),
                                      strict=True)) % 11
    if first == 10:
        first = sum(d * w for d, w in zip(digits[:10], (3, 4, 5, 6, 7, 8, 9, 1, 2, 3),
                                          strict=True)) % 11
        first = 0 if first == 10 else first
    return first == digits[10]


def national_id(value: str) -> bool:
    return pesel(value) or romanian_cnp(value) or lithuanian_code(value)


def reference(value: str) -> bool:
    """A labelled reference: at least four digits, and not a bare year or date."""
    digits = sum(c.isdigit() for c in value)
    if digits < 4 or len(value) > 32:
        return False
    return not re.fullmatch(r"(?:19|20)\d{2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}", value)


VALIDATORS: dict[str, Callable[[str], bool]] = {
    "nhs_mod11": nhs_mod11, "uk_phone": uk_phone, "national_id": national_id,
    "reference": reference}


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    entity: str
    message: str
    regex: re.Pattern[str]
    score: float
    validator: str | None = None
    valid_score: float = 0.0
    context: tuple[str, ...] = ()
    context_score: float = 0.0
    window: int = 40
    same_sentence: bool = False  # the context word must be in the match's sentence
    severity: str | None = None
    examples_find: tuple[str, ...] = ()
    examples_pass: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleHit:
    rule: Rule
    start: int
    end: int
    score: float
    context_word: str | None

    @property
    def severity(self) -> str:
        if self.rule.severity:
            return self.rule.severity
        return "block" if self.score >= BLOCK_AT else "warn"


@cache
def load_rules(path: Path | None = None) -> tuple[Rule, ...]:
    path = path or rules_dir() / "patterns.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rules = []
    for spec in data["rules"]:
        flags = re.IGNORECASE if "ignorecase" in spec.get("flags", ()) else 0
        try:
            regex = re.compile(spec["pattern"], flags)
        except re.error as exc:
            raise InputError.at(path, None, f"rule {spec['id']}: bad pattern: {exc}") from None
        if spec.get("validator") and spec["validator"] not in VALIDATORS:
            raise InputError.at(path, None, f"rule {spec['id']}: unknown validator")
        examples = spec.get("examples", {})
        rules.append(Rule(
            id=spec["id"], kind=spec["kind"], entity=spec["entity"], message=spec["message"],
            regex=regex, score=float(spec.get("score", 0.0)), validator=spec.get("validator"),
            valid_score=float(spec.get("valid_score", 0.0)),
            context=tuple(w.casefold() for w in spec.get("context", ())),
            context_score=float(spec.get("context_score", 0.0)),
            window=int(spec.get("window", 40)), severity=spec.get("severity"),
            same_sentence=bool(spec.get("same_sentence", False)),
            examples_find=tuple(examples.get("find", ())),
            examples_pass=tuple(examples.get("pass", ())),
        ))
    return tuple(rules)


def apply_rules(text: str, rules: tuple[Rule, ...] | None = None) -> list[RuleHit]:
    hits = []
    for rule in rules or load_rules():
        for match in rule.regex.finditer(text):
            span = match.span("id") if "id" in rule.regex.groupindex else match.span()
            value = text[span[0]:span[1]]
            score = rule.score
            if rule.validator:
                if not VALIDATORS[rule.validator](value):
                    if not rule.context or rule.valid_score <= rule.score:
                        continue  # a labelled rule whose value fails its check
                    score = 0.0
                else:
                    score = rule.valid_score
            context_word = None
            if rule.context:
                before = text[max(0, span[0] - rule.window):span[0]].casefold()
                if rule.same_sentence:
                    before = re.split(r"[.!?]\s+(?=[A-Z\d])|\n\s*\n", before)[-1]
                context_word = next((w for w in rule.context
                                     if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", before)),
                                    None)
                if context_word:
                    score = max(score, rule.context_score)
            if score >= WARN_AT:
                hits.append(RuleHit(rule, span[0], span[1], score, context_word))
    return hits
