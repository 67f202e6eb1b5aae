"""`make eval`: how well the redaction gate finds what it must, on fictional data.

Prints recall per kind of identifier on the evaluation drafts (tests/eval/draft-*.md,
gold in draft-*.gold.yaml), blocking false positives per 10,000 words of the clean
published-style report, and whether every kind of leaking or hostile artefact is caught.
Prints figures; asserts nothing. `--show` lists misses and false positives (the data is
invented, so showing it leaks nothing).
"""

from __future__ import annotations

import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "tests" / "eval"
sys.path.insert(0, str(EVAL))

from artefacts import build_artefacts  # noqa: E402

from pipeline.case.key import load_key  # noqa: E402
from pipeline.gate.engine import Finding, Gate  # noqa: E402
from pipeline.gate.names import normalise  # noqa: E402

GROUPS = {
    "key identifiers": ("key-name", "key-place", "key-term"),
    "structured identifiers": ("nhs", "nino", "postcode", "address", "phone", "email", "dob",
                               "crime-ref", "cad", "pnc", "hospital", "vehicle", "social",
                               "court"),
    "people and places not in the key": ("ner-person", "ner-place"),
}
TARGETS = {"key identifiers": 1.0, "structured identifiers": 0.99,
           "people and places not in the key": 0.90}


def overlaps(gold: dict, finding: Finding) -> bool:
    if finding.line != gold["line"] or finding.accepted:
        return False
    a, b = normalise(gold["text"]), normalise(finding.text)
    if not a or not b:
        return False
    return a in b or b in a or bool(set(a.split()) & {w for w in b.split() if len(w) > 2})


def drafts(show: bool) -> dict[str, list[int]]:
    gate = Gate(load_key(EVAL / "eval-key.example.yaml"))
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # gold, found, blocked
    for draft in sorted(EVAL.glob("draft-*.md")):
        gold = yaml.safe_load(draft.with_suffix(".gold.yaml").read_text(encoding="utf-8"))
        findings = gate.check([draft]).findings
        for item in gold:
            hits = [f for f in findings if overlaps(item, f)]
            row = tally[item["kind"]]
            row[0] += 1
            row[1] += bool(hits)
            row[2] += any(f.severity == "block" for f in hits)
            if show and not hits:
                print(f"  miss {draft.name}:{item['line']} {item['kind']} "
                      f"{item['position']}: {item['text']!r}")
    return tally


CLEAN = [(EVAL / "clean-report.md", EVAL / "clean-key.example.yaml"),
         (ROOT / "examples/example-dhr-anna/report.md",
          ROOT / "examples/example-dhr-anna/key.example.yaml")]


def clean(report: Path, key: Path, show: bool) -> tuple[int, int, int]:
    """Blocking findings in a clean text, without any reviewed exception."""
    gate = Gate(load_key(key))
    findings = gate.check([report]).findings
    blocking = [f for f in findings if f.blocking]
    warnings = [f for f in findings if f.severity == "warn"]
    if show:
        for f in blocking:
            print(f"  false positive {report.name}:{f.line} {f.rule}: {f.text!r}")
    words = len(report.read_text(encoding="utf-8").split())
    return words, len(blocking), len(warnings)


def artefacts() -> list[tuple[str, bool]]:
    gate = Gate(load_key(EVAL / "eval-key.example.yaml"))
    with tempfile.TemporaryDirectory() as tmp:
        results = []
        for kind, path, rule in build_artefacts(Path(tmp)):
            findings = gate.check([path]).findings
            results.append((kind, any(f.rule == rule and f.blocking for f in findings)))
        return results


def main() -> None:
    show = "--show" in sys.argv
    tally = drafts(show)
    print(f"{'kind':<14}{'planted':>9}{'found':>7}{'blocked':>9}{'recall':>9}")
    for kind in sorted(tally):
        gold, found, blocked = tally[kind]
        print(f"{kind:<14}{gold:>9}{found:>7}{blocked:>9}{found / gold:>9.1%}")
    print()
    for group, kinds in GROUPS.items():
        gold = sum(tally[k][0] for k in kinds)
        found = sum(tally[k][1] for k in kinds)
        ok = "meets" if gold and found / gold >= TARGETS[group] else "BELOW"
        print(f"{group:<36} recall {found}/{gold} = {found / max(gold, 1):.1%} "
              f"({ok} target {TARGETS[group]:.0%})")
    total_words = total_blocking = 0
    for report, key in CLEAN:
        words, blocking, warnings = clean(report, key, show)
        total_words += words
        total_blocking += blocking
        print(f"clean text {report.relative_to(ROOT)}: {words} words, {blocking} blocking "
              f"false positive(s), {warnings} warning(s)")
    rate = total_blocking / total_words * 10_000
    print(f"blocking false positives: {rate:.2f} per 10,000 words "
          f"({'meets' if rate <= 2 else 'ABOVE'} target 2)")
    results = artefacts()
    caught = sum(ok for _, ok in results)
    print(f"leaking and hostile artefacts caught: {caught}/{len(results)}")
    for kind, ok in results:
        if not ok:
            print(f"  NOT CAUGHT: {kind}")


if __name__ == "__main__":
    main()
