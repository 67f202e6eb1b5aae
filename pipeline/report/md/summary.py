"""Summary text: ``::: summary`` ... ``:::`` marks report text the executive summary uses.

The block stays in the report, rendered as ordinary paragraphs (numbered as the section's
own); ``pipeline.report.summary`` takes the same tokens for the executive summary, so the two
documents never drift apart.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from mdit_py_plugins.container import container_plugin


def summary_plugin(md: MarkdownIt) -> None:
    md.use(container_plugin, "summary", render=_render)


def _render(self, tokens, idx, _options, _env) -> str:
    return '<div class="summary-text">\n' if tokens[idx].nesting == 1 else "</div>\n"
