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


VALIDATORS: dict[str, Callable[[str], bool]] = {"nhs_mod11": nhs_mod11, "uk_phone": uk_phone}


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
                score = rule.valid_score if VALIDATORS[rule.validator](value) else 0.0
            context_word = None
            if rule.context:
                before = text[max(0, span[0] - rule.window):span[0]].casefold()
                context_word = next((w for w in rule.context
                                     if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", before)),
                                    None)
                if context_word:
                    score = max(score, rule.context_score)
            if score >= WARN_AT:
                hits.append(RuleHit(rule, span[0], span[1], score, context_word))
    return hits
