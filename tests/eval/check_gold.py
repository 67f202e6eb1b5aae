"""Consistency check for the redaction-gate evaluation set (not a pytest module).

Run from the repository root:  python tests/eval/check_gold.py

Checks, for each draft-N.md / draft-N.gold.yaml pair:
  * every gold entry's text is on its line (a line-wrapped name: the first word ends that
    line and the rest starts the next line); kinds and positions are from the fixed lists;
  * the set as a whole has at least 100 entries, every kind at least 3 times and every
    position at least once;
  * no key-name/key-place/key-term word, and nothing that looks like a structured identifier,
    is left in a draft without a gold entry covering it;
and for clean-report.md: that it contains no word from clean-key.example.yaml and no
structured identifier (the public National Domestic Abuse Helpline number is allowed).
Exits non-zero on any problem.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
KINDS = [
    "key-name", "key-place", "key-term", "nhs", "nino", "postcode", "address", "phone",
    "email", "dob", "crime-ref", "cad", "pnc", "hospital", "vehicle", "social", "court",
    "ner-person", "ner-place",
]
POSITIONS = [
    "body", "heading", "table", "footnote", "list", "alt-text", "link-url", "link-text",
    "comment", "front-matter",
]
TITLES = {"dr", "mr", "mrs", "ms", "miss", "pc", "ltd"}
PATTERNS = {
    "nhs": r"\b\d{3}[ -]?\d{3}[ -]?\d{4}\b",
    "nino": r"\b[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b",
    "postcode": r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b",
    "phone": r"(?:\+44 ?|\(?0)\(?\d{3,4}\)? ?\d{3}[ -]?\d{3,4}\b",
    "email": r"[\w.+-]+@[\w-]+\.[\w.]+",
    "crime-ref": r"\b\d{2}/\d{5,7}/\d{2}\b",
    "pnc": r"\b\d{2,4}/\d{5,7}[A-Z]\b",
    "vehicle": r"\b[A-Z]{2}\d{2} ?[A-Z]{3}\b",
    "handle": r"(?<![\w.])@\w{3,}",
    "court": r"\b(?:[A-Z]{2}\d{2}[A-Z]\d{5}|T\d{8}|ZZ\d{8})\b",
}
HELPLINE = "0808 2000 247"
# ordinary words inside key places/terms: only the distinctive words are checked
GENERIC = {
    "house", "close", "lane", "primary", "school", "surgery", "refuge", "freight", "nether",
    "road", "medical", "centre", "street", "great", "sons", "joinery", "allotment", "society",
    "flat",
}


def fold(s: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)
    ).lower()


def key_words(key_path: Path) -> set[str]:
    key = yaml.safe_load(key_path.read_text(encoding="utf-8"))
    words: set[str] = set()
    for p in key.get("people", []):
        for name in [p["real"], *p.get("aliases", [])]:
            words.update(w for w in re.findall(r"[^\W\d_]+", fold(name)) if w not in TITLES)
    for group in ("places", "terms"):
        for item in key.get(group, []):
            for w in re.findall(r"[^\W\d_]+", fold(item["real"])):
                if len(w) > 3 and w not in GENERIC:
                    words.add(w)
    return words


def check_draft(md: Path, gold: Path, words: set[str], problems: list[str]) -> list[dict]:
    lines = md.read_text(encoding="utf-8").split("\n")
    entries = yaml.safe_load(gold.read_text(encoding="utf-8"))
    offsets = [0]
    for ln in lines:
        offsets.append(offsets[-1] + len(ln) + 1)
    text = "\n".join(lines)
    covered: list[tuple[int, int]] = []
    for i, e in enumerate(entries):
        where = f"{gold.name}[{i}] line {e.get('line')}"
        if set(e) != {"line", "text", "kind", "position"}:
            problems.append(f"{where}: fields {sorted(e)}")
            continue
        if e["kind"] not in KINDS or e["position"] not in POSITIONS:
            problems.append(f"{where}: bad kind/position {e['kind']}/{e['position']}")
        n, t = e["line"], e["text"]
        if not 1 <= n <= len(lines):
            problems.append(f"{where}: line out of range")
            continue
        line = lines[n - 1]
        if t in line:
            for m in re.finditer(re.escape(t), line):
                covered.append((offsets[n - 1] + m.start(), offsets[n - 1] + m.end()))
            continue
        first, _, rest = t.partition(" ")
        nxt = lines[n] if n < len(lines) else ""
        if rest and line.rstrip().endswith(first) and nxt.lstrip().startswith(rest):
            start = offsets[n - 1] + len(line.rstrip()) - len(first)
            covered.append((start, offsets[n] + len(nxt) - len(nxt.lstrip()) + len(rest)))
            continue
        problems.append(f"{where}: {t!r} not found on line: {line[:80]!r}")

    def is_covered(a: int, b: int) -> bool:
        return any(s <= a and b <= e for s, e in covered)

    folded = fold(text)
    if len(folded) != len(text):
        problems.append(f"{md.name}: accent folding changed the text length")
    for w in sorted(words):
        for m in re.finditer(rf"(?<![^\W_]){re.escape(w)}(?![^\W_])", folded):
            if not is_covered(m.start(), m.end()):
                n = text.count("\n", 0, m.start()) + 1
                problems.append(f"{md.name} line {n}: key word {w!r} not annotated")
    for kind, pat in PATTERNS.items():
        for m in re.finditer(pat, text):
            start = m.start() + (m.group().startswith("(") and ")" not in m.group())
            if not is_covered(start, m.end()):
                n = text.count("\n", 0, m.start()) + 1
                problems.append(f"{md.name} line {n}: unannotated {kind}-like {m.group()!r}")
    return entries


def check_clean(md: Path, words: set[str], problems: list[str]) -> None:
    text = md.read_text(encoding="utf-8")
    folded = fold(text)
    for w in sorted(words):
        for m in re.finditer(rf"(?<![^\W_]){re.escape(w)}(?![^\W_])", folded):
            n = text.count("\n", 0, m.start()) + 1
            problems.append(f"{md.name} line {n}: key word {w!r} present")
    scrubbed = text.replace(HELPLINE, "")
    for kind, pat in PATTERNS.items():
        for m in re.finditer(pat, scrubbed):
            problems.append(f"{md.name}: {kind}-like {m.group()!r}")


def main() -> int:
    problems: list[str] = []
    words = key_words(HERE / "eval-key.example.yaml")
    entries: list[dict] = []
    for md in sorted(HERE.glob("draft-*.md")):
        entries += check_draft(md, md.with_suffix(".gold.yaml"), words, problems)
    kinds = Counter(e["kind"] for e in entries)
    positions = Counter(e["position"] for e in entries)
    if len(entries) < 100:
        problems.append(f"only {len(entries)} gold entries (need >= 100)")
    problems += [f"kind {k!r} planted {kinds[k]} times (< 3)" for k in KINDS if kinds[k] < 3]
    problems += [f"position {p!r} never used" for p in POSITIONS if not positions[p]]
    check_clean(HERE / "clean-report.md", key_words(HERE / "clean-key.example.yaml"), problems)
    words_clean = len((HERE / "clean-report.md").read_text(encoding="utf-8").split())
    print(f"{len(entries)} gold entries; clean report {words_clean} words")
    print("kinds:", dict(sorted(kinds.items())))
    print("positions:", dict(sorted(positions.items())))
    for p in problems:
        print("PROBLEM:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
