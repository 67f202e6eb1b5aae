"""Markdown for overview reports: markdown-it-py plus the report's own plugins.

Takes report Markdown; produces a token stream that the renderer (``pipeline.report.render``)
turns into HTML. Each report feature is a plugin that adds named rules:

- ``sections``: classifies level-1 headings against the Home Office section catalogue and
  numbers sections and paragraphs (1, 1.1, 1.2 ...);
- ``inserts``: ``@[panel]``-style lines where tables built from case.yaml go;
- ``callouts``: ``::: tribute`` and ``::: note`` blocks;
- ``summary``: ``::: summary`` blocks, text the executive summary shares;
- ``pseudonyms``: ``[[Anna]]`` markers a chair uses to resolve an ambiguous name;
- ``tables``: header cells with scope, ``Table: ...`` captions;
- ``guard``: refuses what the renderer does not handle (raw HTML, deep headings,
  unknown callouts, images without alt text), so nothing is silently dropped.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from .callouts import CALLOUT_KINDS, callouts_plugin
from .errors import MarkdownError
from .footnotes import footnote_bodies, footnotes_media_plugin, without_notes_list
from .guard import guard_plugin
from .inserts import INSERT_NAMES, inserts_plugin
from .pseudonyms import pseudonyms_plugin
from .sections import Catalogue, sections_plugin
from .summary import summary_plugin
from .tables import tables_plugin

__all__ = [
    "CALLOUT_KINDS", "INSERT_NAMES", "Catalogue", "MarkdownError", "footnote_bodies", "make_parser",
    "without_notes_list",
]


def make_parser(catalogue: Catalogue) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
    md.enable("table")
    md.use(footnote_plugin)
    md.use(footnotes_media_plugin)
    md.use(callouts_plugin)
    md.use(summary_plugin)
    md.use(inserts_plugin)
    md.use(guard_plugin)
    md.use(tables_plugin)
    md.use(pseudonyms_plugin)
    md.use(sections_plugin, catalogue=catalogue)
    return md
