"""Tables: header cells get ``scope="col"``, and a ``Table: ...`` line becomes a caption.

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
    token = tokens[idx]
    html = self.renderToken(tokens, idx, options, env)
    caption = token.meta.get("caption")
    if caption:
        from markdown_it.common.utils import escapeHtml

        html += f"<caption>{escapeHtml(caption)}</caption>\n"
    return html
