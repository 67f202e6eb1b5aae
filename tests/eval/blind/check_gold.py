#!/usr/bin/env python3
"""Consistency check for the blind evaluation set (python3 + PyYAML only).

Run from anywhere:  python3 tests/eval/blind/check_gold.py
Exit status 0 when every check passes; otherwise the failures are listed.
"""
import collections
import pathlib
import re
import sys

import yaml

HERE = pathlib.Path(__file__).resolve().parent

KINDS = ["key-name", "key-place", "key-term", "nhs", "nino", "postcode", "address", "phone",
         "email", "dob", "crime-ref", "cad", "pnc", "hospital", "vehicle", "social", "court",
         "marac", "national-id", "ner-person", "ner-place"]
POSITIONS = ["body", "heading", "table", "footnote", "list", "alt-text", "link-url",
             "link-text", "comment", "front-matter"]
STRUCTURED = KINDS[3:19]

MIN_TOTAL, MIN_PER_KIND, MIN_NER_PERSON, MIN_ORIGINS = 170, 5, 75, 12
DRAFT_WORDS = (2500, 4000)
CLEAN_MIN_WORDS = {"clean-report.md": 11000, "clean-other.md": 3000}
CLEAN_KEYS = {"clean-report.md": "clean-key.example.yaml",
              "clean-other.md": "clean-other-key.example.yaml"}
# Generic words of place/term names that may legitimately appear in a clean text.
GENERIC = {"the", "of", "and", "at", "in", "on", "st", "road", "street", "lane", "close", "avenue",
           "drive", "way", "court", "house", "flat", "farm", "school", "primary", "academy",
           "surgery", "medical", "centre", "practice", "ltd", "limited", "church", "mosque", "ce",
           "rc", "catholic", "ward", "junior", "infant", "nursery", "community", "college", "hall",
           "cottage", "cottages", "park", "estate", "green", "services", "group", "uk",
           "garage", "care", "home", "shop", "salon", "hair", "restaurant", "mill", "new", "old",
           # towns, regions and ordinary words that are not identifiers on their own
           "maidstone", "weald", "fruit", "haulage"}

failures = []


def fail(msg):
    failures.append(msg)


def words(text):
    return re.findall(r"\S+", text)


def check_drafts():
    total = collections.Counter()
    per_pos = collections.Counter()
    origins = collections.Counter()
    n = 0
    drafts = sorted(HERE.glob("draft-*.md"))
    if len(drafts) < 3:
        fail(f"expected at least 3 drafts, found {len(drafts)}")
    key = yaml.safe_load((HERE / "key.example.yaml").read_text(encoding="utf-8"))
    check_key(key, "key.example.yaml")
    for md in drafts:
        gold_path = md.with_suffix(".gold.yaml")
        if not gold_path.exists():
            fail(f"{md.name}: no gold file")
            continue
        text = md.read_text(encoding="utf-8")
        lines = text.split("\n")
        wc = len(words(text))
        if not DRAFT_WORDS[0] <= wc <= DRAFT_WORDS[1]:
            fail(f"{md.name}: {wc} words, outside {DRAFT_WORDS}")
        gold = yaml.safe_load(gold_path.read_text(encoding="utf-8")) or []
        cursor = {}  # line -> end offset of the previous span on that line
        spans = collections.defaultdict(list)
        for i, e in enumerate(gold):
            where = f"{gold_path.name}[{i}]"
            for f in ("line", "text", "kind", "position"):
                if f not in e:
                    fail(f"{where}: missing {f}")
            if e.get("kind") not in KINDS:
                fail(f"{where}: bad kind {e.get('kind')!r}")
            if e.get("position") not in POSITIONS:
                fail(f"{where}: bad position {e.get('position')!r}")
            if e.get("kind") == "ner-person":
                o = e.get("origin")
                if not o or not re.fullmatch(r"[a-z]+", str(o)):
                    fail(f"{where}: ner-person needs a lower-case one-word origin")
                origins[o] += 1
            elif "origin" in e:
                fail(f"{where}: origin given for kind {e.get('kind')}")
            ln, t = e.get("line"), str(e.get("text"))
            if not isinstance(ln, int) or not 1 <= ln <= len(lines):
                fail(f"{where}: line {ln} out of range")
                continue
            line = lines[ln - 1]
            start = cursor.get(ln, 0)
            pos = line.find(t, start)
            if pos >= 0:
                cursor[ln] = pos + len(t)
                spans[ln].append((pos, pos + len(t)))
            else:
                # a name broken across a line wrap: first part ends this line, rest starts the next
                nxt = lines[ln].lstrip() if ln < len(lines) else ""
                ok = False
                for k in range(1, len(t)):
                    if t[k - 1] == " " and line.endswith(t[:k - 1]) and nxt.startswith(t[k:]):
                        ok = True
                        spans[ln].append((len(line) - (k - 1), len(line)))
                        cursor[ln] = len(line)
                        cursor[ln + 1] = len(lines[ln]) - len(nxt) + len(t) - k
                        break
                if not ok:
                    fail(f"{where}: text {t!r} not found on line {ln} (after column {start}): {line[:120]!r}")
            if not fictional_ok(e.get("kind"), t):
                fail(f"{where}: {e.get('kind')} value {t!r} is not in a fictional/test range")
            total[e.get("kind")] += 1
            per_pos[e.get("position")] += 1
            n += 1
        for ln, ss in spans.items():
            ss.sort()
            for a, b in zip(ss, ss[1:]):
                if b[0] < a[1]:
                    fail(f"{md.name}:{ln}: overlapping spans {a} {b}")
        check_key_leaks(md.name, lines, gold, key)
    if n < MIN_TOTAL:
        fail(f"only {n} gold entries (< {MIN_TOTAL})")
    for k in KINDS:
        if total[k] < MIN_PER_KIND:
            fail(f"kind {k}: {total[k]} (< {MIN_PER_KIND})")
    for p in POSITIONS:
        if per_pos[p] == 0:
            fail(f"position {p} never used")
    if total["ner-person"] < MIN_NER_PERSON:
        fail(f"ner-person {total['ner-person']} (< {MIN_NER_PERSON})")
    if len(origins) < MIN_ORIGINS:
        fail(f"{len(origins)} ner-person origins (< {MIN_ORIGINS})")
    return n, total, per_pos, origins


def nhs_ok(t):
    d = re.sub(r"\D", "", t)
    if len(d) != 10 or not d.startswith("999"):
        return False
    c = 11 - sum(int(x) * (10 - i) for i, x in enumerate(d[:9])) % 11
    c = 0 if c == 11 else c
    return c != 10 and c == int(d[9])


def fictional_ok(kind, t):
    """Structured values must come from never-issued or test ranges."""
    tt = t.upper().replace(" ", "")
    if kind == "nhs":
        return nhs_ok(t)
    if kind == "nino":
        return tt.startswith("QQ") and re.fullmatch(r"QQ\d{6}[A-D]", tt) is not None
    if kind == "postcode":
        return tt.startswith("ZZ99")
    if kind == "phone":
        d = re.sub(r"\D", "", t)
        return d.startswith(("07700900", "01632960", "02079460"))
    if kind == "email":
        return t.lower().endswith(("@example.org", "@example.com", "@example.net"))
    if kind == "vehicle":
        return tt.startswith("ZZ")
    if kind == "national-id":
        d = re.sub(r"\D", "", t)
        return len(d) in (11, 13) or re.fullmatch(r"[A-Z]{2,3}\d{6,7}", tt) is not None
    return True


def key_words(key, generic=True):
    out = set()
    for sect in ("people", "places", "terms"):
        for item in key.get(sect) or []:
            names = [item["real"]] + list(item.get("aliases") or [])
            for name in names:
                for w in re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", name):
                    w = re.sub(r"['’]s$", "", w)
                    if len(w) < 3 or (generic and w.lower() in GENERIC):
                        continue
                    out.add(w)
    return out


def check_key(key, name):
    people = key.get("people") or []
    pseud = [p["pseudonym"] for p in people]
    if len(set(pseud)) != len(pseud):
        fail(f"{name}: pseudonyms not distinct")
    reals = {p["real"].lower() for p in people}
    for ps in pseud:
        if ps.lower() in reals:
            fail(f"{name}: pseudonym {ps!r} equals a real name")
    for p in people:
        if p.get("role") not in ("victim", "perpetrator", "child", "family", "friend",
                                 "professional", "other"):
            fail(f"{name}: bad role for {p.get('real')!r}")


def check_key_leaks(mdname, lines, gold, key):
    """Every occurrence of a word of a key name in a draft must be inside some gold span."""
    covered = collections.defaultdict(list)
    for e in gold:
        ln, t = e["line"], str(e["text"])
        line = lines[ln - 1]
        for m in re.finditer(re.escape(t), line):
            covered[ln].append((m.start(), m.end()))
        if t not in line:  # wrapped
            covered[ln].append((0, len(line)))
            covered[ln + 1].append((0, len(lines[ln]) if ln < len(lines) else 0))
    for w in key_words(key):
        pat = re.compile(r"(?<![^\W_])" + re.escape(fold(w)) + r"(?![^\W_])", re.I)
        for i, line in enumerate(lines, 1):
            fl = fold(line)
            if len(fl) != len(line):  # folding changed offsets: fall back to the raw line
                fl = line.lower()
            for m in pat.finditer(fl):
                if not any(a <= m.start() and m.end() <= b for a, b in covered[i]):
                    fail(f"{mdname}:{i}: key word {w!r} outside any gold span")


def fold(s):
    import unicodedata
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)).lower()


def check_clean():
    counts = {}
    for md, keyname in CLEAN_KEYS.items():
        p = HERE / md
        if not p.exists():
            fail(f"{md} missing")
            continue
        text = p.read_text(encoding="utf-8")
        wc = len(words(text))
        counts[md] = wc
        if wc < CLEAN_MIN_WORDS[md]:
            fail(f"{md}: {wc} words (< {CLEAN_MIN_WORDS[md]})")
        key = yaml.safe_load((HERE / keyname).read_text(encoding="utf-8"))
        check_key(key, keyname)
        for m in re.finditer(r"\b0\d{2,4}[ -]?\d{3,4}[ -]?\d{3,4}\b", text):
            if re.sub(r"\D", "", m.group()) != "08082000247":
                fail(f"{md}: phone-like number {m.group()!r} (only the National Domestic Abuse Helpline is allowed)")
        for pat, what in ((r"[\w.+-]+@[\w-]+\.[\w.]+", "email"), (r"\bZZ\s?99", "postcode"),
                          (r"\bQQ\s?\d", "NI number"), (r"\b999\s?\d{3}\s?\d{4}\b", "NHS number")):
            for m in re.finditer(pat, text, re.I):
                fail(f"{md}: {what} {m.group()!r} in a clean text")
        folded = fold(text)
        for w in key_words(key):
            if re.search(r"(?<![^\W_])" + re.escape(fold(w)) + r"(?![^\W_])", folded):
                fail(f"{md}: word {w!r} of a real name in {keyname} appears in the text")
        allow_txt = HERE / md.replace(".md", ".allow.txt")
        if not allow_txt.exists():
            fail(f"{allow_txt.name} missing")
        else:
            for a in allow_txt.read_text(encoding="utf-8").splitlines():
                a = a.strip()
                if a and not a.startswith("#") and a not in text:
                    fail(f"{allow_txt.name}: {a!r} does not appear in {md}")
        for a in key.get("allow") or []:
            if a not in text:
                fail(f"{keyname}: allowed name {a!r} does not appear in {md}")
    return counts


def main():
    n, total, per_pos, origins = check_drafts()
    counts = check_clean()
    print(f"gold entries: {n}")
    print("per kind:", dict(sorted(total.items())))
    print("per position:", dict(sorted(per_pos.items())))
    print(f"ner-person origins ({len(origins)}):", dict(sorted(origins.items())))
    for md in sorted(HERE.glob("draft-*.md")):
        print(f"{md.name}: {len(words(md.read_text(encoding='utf-8')))} words")
    for md, wc in counts.items():
        print(f"{md}: {wc} words")
    if failures:
        print(f"\nFAILED ({len(failures)}):")
        for f in failures:
            print(" -", f)
        return 1
    print("\nall checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
