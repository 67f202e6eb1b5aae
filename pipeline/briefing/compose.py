"""The briefing's content: case + report tokens -> ``Briefing`` (seven parts, questions,
date, support and where to read the full review), every word limit checked.

Takes a loaded ``Case`` and its parsed report tokens; the parts come from case.yaml's
``briefing:``, empty ones drafted (``pipeline.briefing.draft``). Over a limit or an unknown
theme is an InputError with its case.yaml line. Nothing reads the clock.
"""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it.token import Token

from pipeline.briefing.draft import DRAFT_SOURCES, draft_part, report_text
from pipeline.briefing.text import Block, blocks_text, count_words, parse_text
from pipeline.briefing.themes import (
    TEXT_PARTS,
    Theme,
    choose_questions,
    detect_themes,
    library,
    settings,
)
from pipeline.case.folder import Case, long_date
from pipeline.common.errors import InputError, Problem
from pipeline.common.signposting import signposting, support_lines
from pipeline.common.yamlio import LocatedYaml


@dataclass
class Part:
    number: int
    key: str
    label: str
    blocks: list[Block]
    words: int
    line: int | None
    drafted: bool = False  # drafted from the report, not written in case.yaml


@dataclass
class Briefing:
    case: Case
    parts: list[Part]
    questions: list[str]
    own_questions: int
    themes: list[Theme]
    themes_detected: bool
    date: str
    date_iso: str
    year: int
    word_limit: int
    full_review: str
    support: list[str]  # plain-text lines; the HTML is the shared Support box
    how_to_use: str

    @property
    def review_label(self) -> str:
        return f"{self.case.review_name}: {self.case.victim} ({self.year})"

    @property
    def title(self) -> str:
        return f"7-minute briefing: {self.review_label}"

    @property
    def partnership(self) -> str:
        return " and ".join(self.case.partnerships)


def section_data(case: Case) -> tuple[LocatedYaml, dict]:
    return case.doc, case.doc.data.get("briefing") or {}


def compose(case: Case, tokens: list[Token], strict: bool = True) -> Briefing:
    """The briefing's content: case.yaml's parts, empty ones drafted; limits checked.

    ``strict=False`` (the draft for editing) lets a part run over its word limit or stay
    empty: the officer is about to edit it. Every other problem still stops it."""
    doc, data = section_data(case)
    conf = settings()
    lib = library()
    problems: list[Problem] = []
    soft: list[Problem] = []  # a draft is still written: over a limit, or empty
    text = report_text(tokens)

    limit = int(data.get("word_limit", conf["word_limit"]))
    labels = {**conf["labels"], **data.get("labels", {})}

    themes: list[Theme] = []
    for i, key in enumerate(data.get("themes", [])):
        theme = lib.get(key)
        if theme is None:
            problems.append(Problem(doc.path, doc.line(("briefing", "themes", i)),
                                    f"unknown theme '{key}' in 'briefing.themes'; known "
                                    f"themes: {', '.join(t.key for t in lib.themes)}"))
        else:
            themes.append(theme)
    detected = "themes" not in data
    if detected:
        themes = [t for t, _ in detect_themes(text.all_text(), lib)]

    parts: list[Part] = []
    for number, key in enumerate(TEXT_PARTS, start=1):
        given = data.get(key)
        drafted = not (given or "").strip()
        body = draft_part(key, text, themes, limit) if drafted else given
        blocks = parse_text(body)
        words = count_words(blocks_text(blocks))
        line = doc.line(("briefing", key)) if "briefing" in doc.data else doc.line(())
        label = labels[key]
        if not blocks:
            soft.append(Problem(doc.path, line,
                                f"briefing part {number} '{label}' is empty and could not be "
                                f"drafted from {DRAFT_SOURCES[key]}; write it as "
                                f"'briefing.{key}' in case.yaml"))
        elif words > limit:
            soft.append(Problem(doc.path, line,
                                    f"briefing part {number} '{label}' has {words} words; the "
                                    f"limit is {limit}. Shorten it"
                                    + (" (it was drafted from the report: write your own in "
                                       f"'briefing.{key}')" if drafted else "")))
        parts.append(Part(number, key, label, blocks, words, line, drafted))

    own = [" ".join(q.split()) for q in data.get("questions", [])]
    questions, q_problems = choose_questions(own, themes, lib, limit, conf["questions"])
    q_line = doc.line(("briefing", "questions")) if "briefing" in doc.data else doc.line(())
    q_label = labels["questions"]
    for message in q_problems:
        (soft if "limit is" in message else problems).append(
            Problem(doc.path, q_line, f"briefing part 7 '{q_label}' {message}"))
    parts.append(Part(7, "questions", q_label, [Block(items=tuple(questions))],
                      sum(count_words(q) for q in questions), q_line))
    if strict:
        problems += soft
    if problems:
        raise InputError(sorted(problems, key=lambda p: p.line or 0))

    publication = case.dates.get("publication")
    if data.get("date"):
        import datetime as dt

        try:
            when = dt.date.fromisoformat(data["date"])
        except ValueError:
            raise doc.error(("briefing", "date"),
                            f"'{data['date']}' is not a real date (YYYY-MM-DD)") from None
    else:
        when = publication if publication else case.date
    death = case.dates["death"]
    review = f"{case.review_name} into the death of {case.victim}"
    full = data.get("full_review") or full_review_text(case, review)
    return Briefing(
        case=case, parts=parts, questions=questions, own_questions=len(own), themes=themes,
        themes_detected=detected, date=long_date(when), date_iso=when.isoformat(),
        year=death.year, word_limit=limit, full_review=" ".join(full.split()),
        support=support_lines(),
        how_to_use=" ".join(conf.get("how_to_use", "").split()),
    )


def full_review_text(case: Case, review: str) -> str:
    """Where to read the full review: every site's page (the briefing is one file for all
    sites); until the review is final and has a publication date, "not yet published"."""
    sites = signposting().sites
    pages = " and ".join(f"{s.review_page} ({s.council})" for s in sites)
    published = not case.is_draft and case.dates.get("publication")
    template = settings()["full_review" if published else "full_review_draft"]
    return template.format(review=review, pages=pages,
                           partnerships=" and ".join(case.partnerships))
