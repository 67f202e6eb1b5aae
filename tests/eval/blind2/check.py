#!/usr/bin/env python3
"""Consistency check for the blind2 evaluation set (python3 + PyYAML only).

Checks, for draft-a and draft-b:
  * every gold entry has line/text/kind/position, kind and position are from the lists,
    ner-person entries have an origin and no other kind has one;
  * every gold `text` occurs on its `line` (a name wrapped across a line break is
    accepted when it starts on `line` and continues at the start of the next line,
    the two parts joined by one space);
  * spans never overlap (entries on the same line are given distinct,
    non-overlapping occurrences);
  * the position label agrees with where the span sits (front matter, heading,
    table row, list item, footnote definition, HTML comment, image alt text,
    link text, link URL, otherwise body);
  * no allow.txt name is annotated as a ner-person / ner-place leak;
  * structured identifiers are from never-issued / test ranges.
For clean.md: no email address, no telephone number except 0808 2000 247,
no 999 NHS number, QQ NI number or ZZ99 postcode; every allow.txt entry occurs
in at least one text.
Prints counts by kind, position and origin, and word counts.
Exit status 0 when everything passes.
"""

import collections
import os
import re
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
DRAFTS = ["draft-a", "draft-b"]
KINDS = {
    "nhs",
    "nino",
    "postcode",
    "address",
    "phone",
    "email",
    "dob",
    "crime-ref",
    "cad",
    "pnc",
    "hospital",
    "vehicle",
    "social",
    "court",
    "marac",
    "national-id",
    "ner-person",
    "ner-place",
}
POSITIONS = {
    "body",
    "heading",
    "table",
    "footnote",
    "list",
    "alt-text",
    "link-url",
    "link-text",
    "comment",
    "front-matter",
}
HELPLINE = "0808 2000 247"

errors = []


def err(msg):
    errors.append(msg)


def words(text):
    text = re.sub(r"(?s)\A---\n.*?\n---\n", "", text)
    return len(re.findall(r"[A-Za-z0-9][\w'’.-]*", text))


def load_allow():
    names = []
    with open(os.path.join(HERE, "allow.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                names.append(line)
    return names


def front_matter_end(lines):
    if lines and lines[0].strip() == "---":
        for i in range(1, len(lines)):
            if lines[i].strip() == "---":
                return i + 1  # 1-based line number of closing ---
    return 0


def comment_mask(text):
    """Character offsets inside <!-- ... --> (whole file)."""
    inside = [False] * len(text)
    for m in re.finditer(r"(?s)<!--.*?-->", text):
        for k in range(m.start(), m.end()):
            inside[k] = True
    return inside


def infer_position(lines, lineno, col, fm_end, cmask, line_starts):
    line = lines[lineno - 1]
    if fm_end and lineno <= fm_end:
        return "front-matter"
    if cmask[line_starts[lineno - 1] + col]:
        return "comment"
    for m in re.finditer(r"!\[([^\]]*)\]\(([^)]*)\)", line):
        if m.start(1) <= col < m.end(1):
            return "alt-text"
    for m in re.finditer(r"(?<!!)\[([^\]]*)\]\(([^)]*)\)", line):
        if m.start(1) <= col < m.end(1):
            return "link-text"
        if m.start(2) <= col < m.end(2):
            return "link-url"
    if re.match(r"\s*#{1,6}\s", line):
        return "heading"
    if re.match(r"\s*\[\^[^\]]+\]:", line):
        return "footnote"
    if line.lstrip().startswith("|"):
        return "table"
    if re.match(r"\s*(?:[-*+]|\d+\.)\s", line):
        return "list"
    return "body"


def nhs_ok(s):
    d = re.sub(r"\s", "", s)
    if not re.fullmatch(r"999\d{7}", d):
        return False
    total = sum(int(c) * w for c, w in zip(d[:9], range(10, 1, -1), strict=False))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(d[9])


def structured_ok(kind, text):
    t = text.strip()
    if kind == "nhs":
        return nhs_ok(t)
    if kind == "nino":
        return re.fullmatch(r"QQ ?\d{2} ?\d{2} ?\d{2} ?[A-D]", t) is not None
    if kind == "postcode":
        m = re.fullmatch(r"([A-Z]{1,2}\d[A-Z\d]?) (\d)([A-Z]{2})", t)
        if not m:
            return False
        # ZZ99 is never issued; otherwise the inward letters must be impossible
        # (C, I, K, M, O and V are never used in the inward code).
        return m.group(1) == "ZZ99" or bool(set(m.group(3)) & set("CIKMOV"))
    if kind == "phone":
        d = re.sub(r"[\s()-]", "", t).replace("+44", "0")
        return bool(re.fullmatch(r"01632960\d{3}|07700900\d{3}|02079460\d{3}", d))
    if kind == "email":
        return re.fullmatch(r"[\w.+-]+@example\.(org|com|net)", t) is not None
    if kind == "vehicle":
        return re.fullmatch(r"ZZ\d{2} [A-Z]{3}", t) is not None
    return True


def check_draft(name, allow):
    md_path = os.path.join(HERE, name + ".md")
    gold_path = os.path.join(HERE, name + ".gold.yaml")
    with open(md_path, encoding="utf-8") as f:
        text = f.read()
    lines = text.split("\n")
    line_starts = []
    pos = 0
    for line in lines:
        line_starts.append(pos)
        pos += len(line) + 1
    fm_end = front_matter_end(lines)
    cmask = comment_mask(text)
    with open(gold_path, encoding="utf-8") as f:
        gold = yaml.safe_load(f) or []

    taken = collections.defaultdict(list)  # line -> list of (start, end) on that line
    allow_re = [re.compile(r"(?<![\w])" + re.escape(a) + r"(?![\w])") for a in allow]
    for i, e in enumerate(gold):
        where = f"{name}.gold.yaml entry {i + 1}"
        for key in ("line", "text", "kind", "position"):
            if key not in e:
                err(f"{where}: missing {key}")
        if any(k not in e for k in ("line", "text", "kind", "position")):
            continue
        extra = set(e) - {"line", "text", "kind", "position", "origin"}
        if extra:
            err(f"{where}: unknown keys {sorted(extra)}")
        ln, t, kind, position = e["line"], str(e["text"]), e["kind"], e["position"]
        where += f" (line {ln}, {t!r})"
        if kind not in KINDS:
            err(f"{where}: kind {kind!r} not allowed")
        if position not in POSITIONS:
            err(f"{where}: position {position!r} not allowed")
        if kind == "ner-person" and not e.get("origin"):
            err(f"{where}: ner-person without origin")
        if kind != "ner-person" and "origin" in e:
            err(f"{where}: origin given for {kind}")
        if not structured_ok(kind, t):
            err(f"{where}: {kind} value is not in a fictional/test range")
        if kind in ("ner-person", "ner-place"):
            for a, rx in zip(allow, allow_re, strict=False):
                if rx.search(t):
                    err(f"{where}: contains allow-listed name {a!r}")
        if not isinstance(ln, int) or not 1 <= ln <= len(lines):
            err(f"{where}: line out of range")
            continue
        line = lines[ln - 1]
        # candidate occurrences on the line (or wrapped onto the next line)
        cands = [m.start() for m in re.finditer(re.escape(t), line)]
        wrapped = False
        if not cands and ln < len(lines):
            joined = line + " " + lines[ln].lstrip()
            for m in re.finditer(re.escape(t), joined):
                if m.start() < len(line) < m.end():
                    cands.append(m.start())
                    wrapped = True
        if not cands:
            err(f"{where}: text not found on its line")
            continue
        chosen = None
        for c in cands:
            end = min(c + len(t), len(line))
            if all(end <= s or c >= f for s, f in taken[ln]):
                chosen = (c, end)
                break
        if chosen is None:
            err(f"{where}: every occurrence overlaps another gold span")
            continue
        taken[ln].append(chosen)
        if wrapped:
            # the continuation on the next line must not overlap a span there either
            cont = len(t) - (len(line) - chosen[0]) - 1
            lead = len(lines[ln]) - len(lines[ln].lstrip())
            span2 = (lead, lead + cont)
            if any(not (span2[1] <= s or span2[0] >= f) for s, f in taken[ln + 1]):
                err(f"{where}: wrapped continuation overlaps a span on the next line")
            taken[ln + 1].append(span2)
        inferred = infer_position(lines, ln, chosen[0], fm_end, cmask, line_starts)
        if inferred != position:
            err(f"{where}: position {position!r} but the span sits in {inferred!r}")
    return gold, text


def check_clean(allow, texts):
    path = os.path.join(HERE, "clean.md")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if re.search(r"[\w.+-]+@[\w-]+\.\w+", text):
        err("clean.md: contains an email address")
    if re.search(r"(?<![\w@])@\w{2,}", text):
        err("clean.md: contains a social-media handle")
    for m in re.finditer(r"(?<!\d)(?:\+44\s?|0)\d[\d ]{8,12}\d(?!\d)", text):
        if m.group(0).strip() != HELPLINE:
            err(f"clean.md: telephone-like number {m.group(0)!r}")
    for rx, what in (
        (r"\b999\s?\d{3}\s?\d{4}\b", "NHS number"),
        (r"\bQQ\s?\d{2}", "NI number"),
        (r"\bZZ99\b", "ZZ99 postcode"),
        (r"\bZZ\d{2} [A-Z]{3}\b", "vehicle registration"),
        (
            r"\b\d{1,2}(?:st|nd|rd|th)? (?:January|February|March|April|May|June|July|"
            r"August|September|October|November|December) (?:19|20)\d\d\b",
            "exact date",
        ),
        (r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b", "numeric date"),
    ):
        if re.search(rx, text):
            err(f"clean.md: contains a {what}")
    if HELPLINE not in text:
        err("clean.md: the helpline number is missing")
    texts["clean"] = text
    for a in allow:
        if not any(re.search(r"(?<![\w])" + re.escape(a) + r"(?![\w])", t) for t in texts.values()):
            err(f"allow.txt: {a!r} occurs in none of the texts")
    return text


def main():
    allow = load_allow()
    texts = {}
    all_gold = {}
    for name in DRAFTS:
        gold, text = check_draft(name, allow)
        all_gold[name] = gold
        texts[name] = text
    clean = check_clean(allow, texts)

    for name, gold in all_gold.items():
        print(f"{name}.md: {len(gold)} gold entries, {words(texts[name])} words")
        print(
            "  kinds:     "
            + ", ".join(
                f"{k} {v}"
                for k, v in collections.Counter(e.get("kind") for e in gold).most_common()
            )
        )
        print(
            "  positions: "
            + ", ".join(
                f"{k} {v}"
                for k, v in collections.Counter(e.get("position") for e in gold).most_common()
            )
        )
        print(
            "  origins:   "
            + ", ".join(
                f"{k} {v}"
                for k, v in collections.Counter(
                    e.get("origin") for e in gold if e.get("kind") == "ner-person"
                ).most_common()
            )
        )
    print(f"clean.md: {words(clean)} words")
    print(f"allow.txt: {len(allow)} names")
    if errors:
        print(f"\nFAIL: {len(errors)} problem(s)")
        for e in errors:
            print("  - " + e)
        return 1
    print("\nOK: all checks pass")
    return 0


if __name__ == "__main__":
    sys.exit(main())
