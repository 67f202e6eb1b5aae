"""Parsing: a review's ``report.md`` -> tokens and the outline of its sections.

Takes a loaded ``Case``; parses the report with the report plugins (``pipeline.report.md``)
and the review's section catalogue (its structure profile in
``templates/report/structures/`` and its own heading mappings, ``pipeline.report.profile``),
refuses an empty report, checks that every image
is a file in the review folder, and gives a ``ParsedReport`` that the renderer, the
summary, the structure check, the form's cross-checks and the briefing all read.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlparse

from markdown_it import MarkdownIt
from markdown_it.token import Token

from pipeline.case.folder import Case
from pipeline.common.errors import InputError
from pipeline.report.md import Catalogue, MarkdownError, make_parser
from pipeline.report.md.errors import line_of
from pipeline.report.profile import catalogue_for, load_profile
from pipeline.report.structure import Outline, outline


@dataclass
class ParsedReport:
    md: MarkdownIt
    tokens: list[Token]
    outline: Outline


def catalogue() -> Catalogue:
    """The default structure profile; a review's own is ``profile.catalogue_for(case)``."""
    return load_profile()


def parse_report(case: Case) -> ParsedReport:
    from pipeline.common.fsutil import read_text

    source = read_text(case.report_path)
    if not source.strip():
        # Refused before anything is written, so the last good outputs stay as they were.
        raise InputError.at(case.report_path, 1, "the report is empty; nothing was built "
                            "(write it, or start from `dhr new` or `dhr import`)")
    sections = catalogue_for(case)
    md = make_parser(sections)
    try:
        tokens = md.parse(source, {})
    except MarkdownError as exc:
        raise InputError.at(case.report_path, exc.line, exc.message) from None
    _check_images(case, tokens)
    parsed = ParsedReport(md, tokens, outline(tokens))
    parsed.outline.catalogue = sections
    return parsed


def _check_images(case: Case, tokens: list[Token]) -> None:
    for token in tokens:
        for child in token.children or []:
            if child.type != "image":
                continue
            src = child.attrGet("src") or ""
            if urlparse(src).scheme:
                raise InputError.at(case.report_path, line_of(token),
                                    f"image '{src}' is not a file in the review folder; "
                                    "reports are built offline")
            target = (case.folder / unquote(src)).resolve()
            if not target.is_file() or case.folder.resolve() not in target.parents:
                raise InputError.at(case.report_path, line_of(token),
                                    f"image '{src}' not found in the review folder")
