"""The 7-minute briefing, as one namespace: everything its modules offer, for callers and
tests that import ``pipeline.briefing.briefing``.

The code lives in ``text`` (parsing, word counts), ``themes`` (settings, themes library,
questions), ``draft`` (drafting from the report), ``compose`` (the content and its
limits), ``render`` (HTML, text, PDFs), and ``editable`` (the draft YAML); the build stage
that runs them is ``pipeline.build.stages``.
"""

from __future__ import annotations

from pipeline.briefing.compose import Briefing, Part, compose, section_data
from pipeline.briefing.draft import (
    DRAFT_SOURCES,
    MIN_ITEM_WORDS,
    ReportText,
    draft_part,
    plain,
    report_text,
)
from pipeline.briefing.editable import DRAFT_FILE, draft_yaml, write_draft
from pipeline.briefing.render import (
    MAX_PAGES,
    OUTPUTS,
    PREVIEW,
    Rendered,
    form_pdf,
    pdf_page_count,
    plain_text,
    preview_png,
    render,
    render_outputs,
)
from pipeline.briefing.text import (
    SENTENCE_END,
    WORD,
    Block,
    blocks_text,
    count_words,
    parse_text,
    sentences,
)
from pipeline.briefing.themes import (
    PART_KEYS,
    TEXT_PARTS,
    Library,
    Theme,
    choose_questions,
    detect_themes,
    library,
    settings,
    templates_dir,
)

__all__ = [
    "DRAFT_FILE", "DRAFT_SOURCES", "MAX_PAGES", "MIN_ITEM_WORDS", "OUTPUTS",
    "PART_KEYS", "PREVIEW", "SENTENCE_END", "TEXT_PARTS", "WORD", "Block", "Briefing",
    "Library", "Part", "Rendered", "ReportText", "Theme", "blocks_text",
    "choose_questions", "compose", "count_words", "detect_themes",
    "draft_part", "draft_yaml", "form_pdf", "library", "parse_text", "pdf_page_count",
    "plain", "plain_text", "preview_png", "render", "render_outputs", "report_text",
    "section_data", "sentences", "settings", "templates_dir", "write_draft",
]
