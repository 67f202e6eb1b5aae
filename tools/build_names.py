"""Writes redaction_rules/forenames.txt and surnames.txt: given names and family names of
many origins, for the gate's people layer (pipeline/gate/people.py).

Source: the person-name lists of the `faker` package (MIT licence; its lists are
compiled by its contributors from public statistics and name registers), every locale
written in the Latin alphabet (so English, Irish, Scottish, Polish, Lithuanian, Romanian,
Portuguese, Spanish, French, Turkish, Yoruba, Igbo, Hausa, Twi, Swahili, Zulu, Indian,
Pakistani, Bangladeshi, Arabic-in-Latin-letters lists and more), the romanised Chinese
lists, and redaction_rules/names-extra.txt (Welsh given names, which faker lacks,
written from public fact). Kept as data so the gate needs no faker at run time; run by
hand: `python tools/build_names.py`.

Ordinary English words (Debian's wbritish) go to forenames-words.txt instead ("Lee",
"Will"). Dropped: words of two letters or fewer and anything not in Latin letters.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = Path("/usr/share/dict/british-english")
LATIN = re.compile(r"^[A-Za-z][A-Za-z'’-]*[a-z]$")


def fold(text: str) -> str:
    text = text.replace("ł", "l").replace("Ł", "L").replace("ø", "o").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))


def names(values) -> set[str]:
    if isinstance(values, dict):
        values = values.keys()
    out = set()
    for value in values:
        for part in str(value).split():
            if LATIN.match(fold(part)) and len(part) > 2:
                out.add(part)
    return out


def main() -> None:
    import faker.providers.person as person

    common = {w for w in WORDS.read_text(encoding="utf-8").split() if w.islower()}
    forenames: set[str] = set()
    surnames: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"faker.providers.person.{module.name}").Provider
        for attr in dir(provider):
            value = getattr(provider, attr)
            if attr.startswith("_") or not isinstance(value, (list, tuple, dict, set)):
                continue
            if attr.startswith(("first_name", "first_romanized")):
                forenames |= names(value)
            elif attr.startswith(("last_name", "last_romanized")) or attr.endswith(
                    "last_names"):
                surnames |= names(value)
    extra = ROOT / "redaction_rules" / "names-extra.txt"
    for line in extra.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, name = line.split(":", 1)
            (forenames if kind.strip() == "forename" else surnames).add(name.strip())

    def keep(name: str) -> bool:
        return fold(name).casefold() not in common and name.casefold() not in common

    header = ("# {what} of many origins, from faker's person-name lists (MIT) and "
              "names-extra.txt; written by tools/build_names.py. Ordinary English words "
              "left out.\n")
    for file, what, found in (("forenames.txt", "Given names", forenames),
                              ("surnames.txt", "Family names", surnames)):
        kept = sorted({n for n in found if keep(n)})
        path = ROOT / "redaction_rules" / file
        path.write_text(header.format(what=what) + "".join(f"{n}\n" for n in kept),
                        encoding="utf-8")
        print(f"{len(kept)} {what.lower()} written to {path.relative_to(ROOT)}")
    # Given names that are also words ("Lee", "Will", "Grace"): only a name when they sit
    # among other names, so they are kept apart.
    words = sorted({n for n in forenames if not keep(n) and n[:1].isupper()})
    path = ROOT / "redaction_rules" / "forenames-words.txt"
    path.write_text("# Given names that are also ordinary English words; see "
                    "tools/build_names.py.\n" + "".join(f"{n}\n" for n in words),
                    encoding="utf-8")
    print(f"{len(words)} given names that are also words written to "
          f"{path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
