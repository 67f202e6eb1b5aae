"""Parsing: a review's ``report.md`` -> tokens and the outline of its sections.

Takes a loaded ``Case``; parses the report with the report plugins (``pipeline.report.md``)
and the section catalogue (``templates/report/sections.yaml``), checks that every image
is a file in the review folder, and gives a ``ParsedReport`` that the renderer, the
summary, the structure check, the form's cross-checks and the briefing all read.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from urllib.parse import unquote, urlparse

from markdown_it import MarkdownIt
from markdown_it.token import Token

from pipeline.case.folder import Case
from pipeline.common.errors import InputError
from pipeline.common.templates import report_templates
from pipeline.report.md import Catalogue, MarkdownError, make_parser
from pipeline.report.md.errors import line_of
from pipeline.report.structure import Outline, outline


@dataclass
class ParsedReport:
    md: MarkdownIt
    tokens: list[Token]
    outline: Outline



@cache
def catalogue() -> Catalogue:
    return Catalogue.load(report_templates() / "sections.yaml")


def parse_report(case: Case) -> ParsedReport:
    from pipeline.common.fsutil import read_text

    source = read_text(case.report_path)
    md = make_parser(catalogue())
    try:
        tokens = md.parse(source, {})
    except MarkdownError as exc:
        raise InputError.at(case.report_path, exc.line, exc.message) from None
    _check_images(case, tokens)
    return ParsedReport(md, tokens, outline(tokens))


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
