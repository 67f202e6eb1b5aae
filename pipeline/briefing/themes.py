"""Briefing settings and themes: templates/briefing/settings.yaml and themes.yaml -> the
house labels and limits, the themes library, themes detected in a report and the
reflective questions chosen for a review.

Takes the template files (cached once read) and a report's plain text; produces
``Theme``s, a ``Library`` and question lists. Nothing is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.briefing.text import count_words
from pipeline.common.templates import home
from pipeline.common.yamlio import load_yaml

PART_KEYS = ("background", "why_it_matters", "what_happened", "what_we_found",
             "good_practice", "what_you_should_do", "questions")
TEXT_PARTS = PART_KEYS[:-1]



def templates_dir() -> Path:
    return home() / "templates" / "briefing"


@dataclass(frozen=True)
class Theme:
    key: str
    title: str
    keywords: tuple[str, ...]
    why_it_matters: str
    questions: tuple[str, ...]

    @property
    def pattern(self) -> re.Pattern:
        alternatives = "|".join(
            r"\s+".join(re.escape(w) for w in k.split()) for k in
            sorted(self.keywords, key=len, reverse=True))
        return re.compile(rf"(?<![\w-])(?:{alternatives})(?:s|es)?(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class Library:
    themes: tuple[Theme, ...]
    general: tuple[str, ...]
    min_matches: int

    def get(self, key: str) -> Theme | None:
        return next((t for t in self.themes if t.key == key), None)


@cache
def settings() -> dict:
    doc = load_yaml(templates_dir() / "settings.yaml")
    data = doc.data
    missing = [k for k in PART_KEYS if k not in data.get("labels", {})]
    if missing:
        raise doc.error(("labels",), f"labels for {', '.join(missing)} are missing")
    return data


@cache
def library() -> Library:
    doc = load_yaml(templates_dir() / "themes.yaml")
    themes = []
    for i, raw in enumerate(doc.data.get("themes", [])):
        try:
            themes.append(Theme(raw["key"], raw["title"], tuple(raw["keywords"]),
                                " ".join(raw["why_it_matters"].split()),
                                tuple(raw["questions"])))
        except (KeyError, TypeError, AttributeError):
            raise doc.error(("themes", i), "a theme needs key, title, keywords, "
                            "why_it_matters and questions") from None
    return Library(tuple(themes), tuple(doc.data.get("general", ())),
                   int(doc.data.get("min_matches", 3)))


def detect_themes(report_text: str, lib: Library | None = None) -> list[tuple[Theme, int]]:
    """Themes whose keywords occur at least ``min_matches`` times, most matches first."""
    lib = lib or library()
    found = [(t, len(t.pattern.findall(report_text))) for t in lib.themes]
    found = [(t, n) for t, n in found if n >= lib.min_matches]
    return sorted(found, key=lambda tn: -tn[1])  # stable: library order breaks ties


def choose_questions(own: list[str], themes: list[Theme], lib: Library, limit: int,
                     bounds: dict) -> tuple[list[str], list[str]]:
    """The review's own questions, then one from each theme in turn, then the general
    ones, while there are fewer than the maximum and they fit the word limit."""
    low, high = int(bounds["min"]), int(bounds["max"])
    words = sum(count_words(q) for q in own)
    if len(own) > high:
        return own, [f"has {len(own)} questions of the review's own; the most is {high}"]
    if words > limit:
        return own, [f"has {words} words; the limit is {limit}. Shorten the questions"]
    chosen = list(own)
    seen = {q.casefold() for q in chosen}
    rounds = max((len(t.questions) for t in themes), default=0)
    candidates = [t.questions[r] for r in range(rounds) for t in themes
                  if r < len(t.questions)] + list(lib.general)
    for question in candidates:
        n = count_words(question)
        if len(chosen) >= high:
            break
        if question.casefold() in seen or words + n > limit:
            continue
        chosen.append(question)
        seen.add(question.casefold())
        words += n
    if len(chosen) < low:
        return chosen, [f"has {len(chosen)} questions within the {limit}-word limit; it needs "
                        f"at least {low}. Add your own as 'briefing.questions', or shorten them"]
    return chosen, []
