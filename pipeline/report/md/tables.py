"""Tables: header cells get ``scope="col"``, a ``Table: ...`` line becomes a caption, and
every table sits in a focusable scroll region.

A paragraph that starts with ``Table:`` directly above a pipe table is the table's
caption (rule ``dhr_table_caption``); screen readers announce it and it names the table
in the contents of a long chronology.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

PREFIX = "Table:"


def tables_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("dhr_table_caption", _captions)
    md.add_render_rule("th_open", _render_th_open)
    md.add_render_rule("table_open", _render_table_open)
    md.add_render_rule("table_close", _render_table_close)


def _captions(state: StateCore) -> None:
    tokens = state.tokens
    out = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if (token.type == "paragraph_open" and i + 3 < len(tokens)
                and tokens[i + 1].content.startswith(PREFIX)
                and tokens[i + 3].type == "table_open"):
            inline = tokens[i + 1]
            tokens[i + 3].meta["caption"] = inline.content[len(PREFIX):].strip()
            i += 3  # drop paragraph_open, inline, paragraph_close
            continue
        out.append(token)
        i += 1
    state.tokens = out


def _render_th_open(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    if token.attrGet("scope") is None:
        token.attrSet("scope", "col")
    return self.renderToken(tokens, idx, options, env)


def _render_table_open(self, tokens, idx, options, env) -> str:
    from markdown_it.common.utils import escapeHtml

    token = tokens[idx]
    caption = token.meta.get("caption")
    # A wide table scrolls inside its own focusable region, so the page itself reflows
    # at 320 CSS pixels (400% zoom) without sideways scrolling.
    label = escapeHtml(caption or "Table")
    html = (f'<div class="table-wrap" role="region" tabindex="0" aria-label="{label}">\n'
            + self.renderToken(tokens, idx, options, env))
    if caption:
        html += f"<caption>{escapeHtml(caption)}</caption>\n"
    return html


def _render_table_close(self, tokens, idx, options, env) -> str:
    return self.renderToken(tokens, idx, options, env) + "</div>\n"
