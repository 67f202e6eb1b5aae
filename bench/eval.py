"""`make eval`: how well the redaction gate finds what it must, on fictional data.

Three evaluation sets, each reported apart and then together: the first set
(tests/eval/: draft-*.md with gold in draft-*.gold.yaml, a clean published-style report),
the blind set (tests/eval/blind/, written by someone who never saw the gate's rules, since
used to improve the gate) and the second blind set (tests/eval/blind2/, written blind
again after that, and not tuned on: its pseudonyms are an allow list, not a key).
For each: recall per kind and per group (key identifiers, structured identifiers, people
and places not in the key, people by the origin of their name where the gold says it),
and blocking false positives per 10,000 words of each clean text. Then whether every kind
of leaking or hostile artefact is caught. Prints figures; asserts nothing. `--show` lists
misses and false positives (the data is invented, so showing it leaks nothing);
`--set first|blind|blind2` runs one set.
"""

from __future__ import annotations

import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
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
                               "court", "marac", "national-id"),
    "people not in the key": ("ner-person",),
    "places and premises not in the key": ("ner-place",),
}
TARGETS = {"key identifiers": 1.0, "structured identifiers": 0.99,
           "people not in the key": 0.97, "places and premises not in the key": 0.90}
FP_TARGET = 2.0  # blocking false positives per 10,000 words of each clean text


@dataclass(frozen=True)
class EvalSet:
    name: str
    folder: Path
    key: Path  # the key, or a .txt allow list of the pseudonyms and the chair
    clean: tuple[tuple[Path, Path], ...]  # (text, its key or allow list)


SETS = (
    EvalSet("first", EVAL, EVAL / "eval-key.example.yaml",
            ((EVAL / "clean-report.md", EVAL / "clean-key.example.yaml"),
             (ROOT / "examples/example-dhr-anna/report.md",
              ROOT / "examples/example-dhr-anna/key.example.yaml"))),
    EvalSet("blind", EVAL / "blind", EVAL / "blind" / "key.example.yaml",
            ((EVAL / "blind" / "clean-report.md", EVAL / "blind" / "clean-key.example.yaml"),
             (EVAL / "blind" / "clean-other.md",
              EVAL / "blind" / "clean-other-key.example.yaml"))),
    EvalSet("blind2", EVAL / "blind2", EVAL / "blind2" / "allow.txt",
            ((EVAL / "blind2" / "clean.md", EVAL / "blind2" / "allow.txt"),)),
)


def gate_for_eval(key: Path) -> Gate:
    if key.suffix == ".txt":
        names = [line.strip() for line in key.read_text(encoding="utf-8").splitlines()]
        return Gate(None, [n for n in names if n and not n.startswith("#")])
    return Gate(load_key(key))


def overlaps(gold: dict, finding: Finding) -> bool:
    if finding.line != gold["line"] or finding.accepted:
        return False
    a, b = normalise(gold["text"]), normalise(finding.text)
    if not a or not b:
        return False
    return a in b or b in a or bool(set(a.split()) & {w for w in b.split() if len(w) > 2})


Tally = dict[str, list[int]]  # kind -> [gold, found, blocked]


def drafts(eval_set: EvalSet, show: bool) -> tuple[Tally, Tally]:
    """Recall per kind, and for people per origin."""
    gate = gate_for_eval(eval_set.key)
    tally: Tally = defaultdict(lambda: [0, 0, 0])
    origins: Tally = defaultdict(lambda: [0, 0, 0])
    for draft in sorted(eval_set.folder.glob("draft-*.md")):
        gold = yaml.safe_load(draft.with_suffix(".gold.yaml").read_text(encoding="utf-8"))
        findings = gate.check([draft]).findings
        for item in gold:
            hits = [f for f in findings if overlaps(item, f)]
            rows = [tally[item["kind"]]]
            if item.get("origin"):
                rows.append(origins[item["origin"]])
            for row in rows:
                row[0] += 1
                row[1] += bool(hits)
                row[2] += any(f.severity == "block" for f in hits)
            if show and not any(f.severity == "block" for f in hits):
                what = "miss" if not hits else "warn only"
                print(f"  {what} {eval_set.name}/{draft.name}:{item['line']} {item['kind']} "
                      f"{item['position']}{' ' + item['origin'] if item.get('origin') else ''}"
                      f": {item['text']!r}")
    return tally, origins


def clean(report: Path, key: Path, show: bool) -> tuple[int, int, int]:
    """Blocking findings in a clean text, without any reviewed exception."""
    gate = gate_for_eval(key)
    findings = gate.check([report]).findings
    blocking = [f for f in findings if f.blocking]
    warnings = [f for f in findings if f.severity == "warn"]
    if show:
        for f in blocking:
            print(f"  false positive {report.relative_to(ROOT)}:{f.line} {f.rule}: {f.text!r}")
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


def report_recall(title: str, tally: Tally, origins: Tally) -> None:
    print(f"== {title}")
    print(f"{'kind':<14}{'planted':>9}{'found':>7}{'blocked':>9}{'recall':>9}")
    for kind in sorted(tally):
        gold, found, blocked = tally[kind]
        print(f"{kind:<14}{gold:>9}{found:>7}{blocked:>9}{blocked / gold:>9.1%}")
    print()
    for group, kinds in GROUPS.items():
        gold = sum(tally[k][0] for k in kinds if k in tally)
        blocked = sum(tally[k][2] for k in kinds if k in tally)
        if not gold:
            continue
        ok = "meets" if blocked / gold >= TARGETS[group] else "BELOW"
        print(f"{group:<36} recall {blocked}/{gold} = {blocked / gold:.1%} "
              f"({ok} target {TARGETS[group]:.0%})")
    if origins:
        print("people not in the key, by origin of the name (blocked/planted): " + ", ".join(
            f"{o} {row[2]}/{row[0]}" for o, row in sorted(origins.items())))
    print()


def main() -> None:
    show = "--show" in sys.argv
    only = sys.argv[sys.argv.index("--set") + 1] if "--set" in sys.argv else None
    total: Tally = defaultdict(lambda: [0, 0, 0])
    total_origins: Tally = defaultdict(lambda: [0, 0, 0])
    chosen = [s for s in SETS if only in (None, s.name) and s.key.is_file()]
    for eval_set in chosen:
        tally, origins = drafts(eval_set, show)
        report_recall(f"{eval_set.name} set: {eval_set.folder.relative_to(ROOT)} "
                      "(recall counts blocking findings)", tally, origins)
        for source, target in ((tally, total), (origins, total_origins)):
            for kind, row in source.items():
                target[kind] = [a + b for a, b in zip(target[kind], row, strict=True)]
        for report, key in eval_set.clean:
            words, blocking, warnings = clean(report, key, show)
            rate = blocking / words * 10_000
            print(f"clean text {report.relative_to(ROOT)}: {words} words, {blocking} blocking "
                  f"false positive(s) = {rate:.2f} per 10,000 words "
                  f"({'meets' if rate <= FP_TARGET else 'ABOVE'} target {FP_TARGET:g}), "
                  f"{warnings} warning(s)")
        print()
    if len(chosen) > 1:
        report_recall("all sets together", total, total_origins)
    results = artefacts()
    caught = sum(ok for _, ok in results)
    print(f"leaking and hostile artefacts caught: {caught}/{len(results)}")
    for kind, ok in results:
        if not ok:
            print(f"  NOT CAUGHT: {kind}")


if __name__ == "__main__":
    main()
